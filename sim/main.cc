// shardsim: a discrete-event simulator of a geo-distributed, sharded master/slave database.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

const char* kUsage = R"(shardsim - simulate a geo-distributed, sharded master/slave database

Usage: shardsim COMMAND [options]

Commands:
  run FILE          run a scenario and print its report (report.json with --out DIR)
  validate FILE..   check scenario files and report every problem
  compare OLD NEW   compare two report.json files; exit 1 when a metric regressed
  explain FILE      print a scenario's resolved topology without running it (--dot: Graphviz)
  sweep FILE        run a scenario over a parameter grid with replications; mean and 95% CI per point
  merge DIR..       aggregate the runs of a sweep run as separate jobs (sweep --index N) into --out DIR
  report DIR        write the single-file HTML report of a run's --out DIR (run --html does it directly)
  regions [P[:R]]   the shipped cloud-region latency tables (bind a geo with network.regions)

Run `shardsim COMMAND --help` (or `shardsim help COMMAND`) for a command's options and examples.

Examples:
  shardsim run scenarios/seed.json
  shardsim run scenarios/seed.json --seed 7 --set workload.usa.rate_per_s=3000 --out out/
  shardsim validate scenarios/*.json
  shardsim compare baseline/report.json out/report.json --tolerances tolerances.json
  shardsim run scenarios/failover-sentinel.json --html sentinel.html
  shardsim explain scenarios/seed.json --dot | dot -Tsvg > seed.svg
  shardsim sweep scenarios/sweeps/india-slaves.json -j 4 --out out/india-slaves
)";

// Whether everything printed reached standard output: a full disk or a closed descriptor under it
// must not pass for success (`shardsim run --json > /dev/full` exited 0).
bool standard_output_written() {
  std::cout.flush();
  if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0 && std::cout.good()) return true;
  std::cerr << "shardsim: cannot write to standard output: " << std::strerror(errno) << "\n";
  return false;
}

int dispatch(const std::string& command, const std::vector<std::string>& args) {
  using namespace shardsim::cli;
  try {
    if (command == "run") return run_command(args);
    if (command == "validate") return validate_command(args);
    if (command == "compare") return compare_command(args);
    if (command == "explain") return explain_command(args);
    if (command == "sweep") return sweep_command(args);
    if (command == "merge") return merge_command(args);
    if (command == "report") return report_command(args);
    if (command == "regions") return regions_command(args);
  } catch (const std::exception& e) {
    std::cerr << "shardsim: " << e.what() << "\n";
    return kExitBadInput;
  }
  std::cerr << "shardsim: unknown command '" << command << "'\nsee 'shardsim --help'\n";
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace shardsim::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitBadInput;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  // `shardsim help COMMAND` is `shardsim COMMAND --help`; `shardsim help` alone, the commands.
  if (command == "help" && !args.empty()) {
    const std::string topic = args[0];
    const int code = dispatch(topic, {"--help"});
    if (!standard_output_written()) return kExitOutputFailed;
    return code;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return standard_output_written() ? kExitOk : kExitOutputFailed;
  }
  if (command == "--version") {
    std::cout << "shardsim " << SHARDSIM_VERSION << "\n";
    return standard_output_written() ? kExitOk : kExitOutputFailed;
  }
  const int code = dispatch(command, args);
  if (!standard_output_written() && code != kExitInterrupted) return kExitOutputFailed;
  return code;
}
