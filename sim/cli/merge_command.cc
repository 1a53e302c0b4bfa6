// shardsim merge DIR... --out DIR [--sweep FILE]
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <boost/program_options.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "shardsim/sweep/aggregate.h"
#include "shardsim/sweep/execute.h"
#include "shardsim/sweep/sweep.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

const char* kMergeUsage = R"(Usage: shardsim merge DIR... --out DIR [options]

Aggregates the run-N/report.json files of a sweep run as separate jobs (sweep --index N, e.g. from
the scripts of sweep --emit-jobs) into OUT/sweep.csv and OUT/sweep.json, exactly as a local sweep
would, and prints the table. The runs may be spread over several directories (the first holding a
run wins). The sweep is read from the directories' sweep.spec.json, or from --sweep FILE.

Options:
)";

const char* kMergeExamples = R"(
Examples:
  shardsim merge /shared/india-slaves --out /shared/india-slaves
  shardsim merge host-a/out host-b/out --sweep scenarios/sweeps/india-slaves.json --out merged

Exit codes: 0 success, 2 bad usage, a missing run or a bad sweep, 3 an output could not be
written.
)";

}  // namespace

int merge_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("out", po::value<std::string>(), "write sweep.csv and sweep.json here (required)")(
      "sweep", po::value<std::string>(), "the sweep file (default: DIR/sweep.spec.json)");
  CommandLine command_line({"merge", kMergeUsage, kMergeExamples}, options);
  command_line.positional({"dirs", -1});
  if (const auto exit = command_line.parse(args)) return *exit;
  const po::variables_map& vm = command_line.vars();
  if (!vm.count("dirs") || !vm.count("out")) return command_line.usage_error("expected DIR... and --out DIR");
  const auto dirs = vm["dirs"].as<std::vector<std::string>>();
  try {
    std::optional<sweep::SweepSpec> spec;
    if (vm.count("sweep")) {
      spec = sweep::load_sweep_file(vm["sweep"].as<std::string>());
    } else {
      for (const std::string& dir : dirs) {
        if (std::filesystem::exists(dir + "/sweep.spec.json")) {
          spec = sweep::read_output_spec(dir);
          break;
        }
      }
      if (!spec) spec = sweep::read_output_spec(dirs.front());  // throws, naming the directory
    }
    const std::uint64_t total = sweep::run_count(*spec);
    std::vector<nlohmann::json> reports(total);
    std::vector<std::uint64_t> missing;
    for (std::uint64_t i = 0; i < total; ++i) {
      for (const std::string& dir : dirs) {
        if (auto report = sweep::read_run_report(dir, i)) {
          reports[i] = std::move(*report);
          break;
        }
      }
      if (reports[i].is_null()) missing.push_back(i);
    }
    if (!missing.empty()) {
      std::string list;
      for (std::size_t k = 0; k < missing.size() && k < 20; ++k) list += " " + std::to_string(missing[k]);
      fmt::print(stderr, "shardsim merge: {} of {} runs have no report.json:{}{}\n", missing.size(), total,
                 list, missing.size() > 20 ? " ..." : "");
      return kExitBadInput;
    }
    const sweep::SweepTable table = sweep::aggregate(*spec, reports);
    for (const std::string& warning : table.warnings)
      fmt::print(stderr, "shardsim merge: warning: {}\n", warning);
    sweep::write_table(vm["out"].as<std::string>(), table);
    std::cout << sweep::render_text(table);
    return kExitOk;
  } catch (const sweep::SweepError& e) {
    fmt::print(stderr, "shardsim merge: {}\n", e.what());
    return kExitBadInput;
  }
}

}  // namespace shardsim::cli
