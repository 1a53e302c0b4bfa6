// shardsim report DIR [--html FILE]: the page of a run's or a sweep's --out directory
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <boost/program_options.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "shardsim/report/compare.h"
#include "shardsim/report/html_report.h"
#include "shardsim/sweep/sweep_html.h"
#include "shardsim/util/input_file.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

const char* kReportUsage = R"(Usage: shardsim report DIR [options]

Writes the single-file HTML report of a run made with `shardsim run ... --out DIR`, from
DIR/report.json and DIR/timeseries.csv (without it, the time charts say so); or, for a sweep's
`--out DIR`, the sweep's page from DIR/sweep.json and DIR/find.json (either or both). The page
opens offline: its scripts, styles and data are inlined. Default output: DIR/report.html.

Options:
)";

const char* kReportExamples = R"(
Examples:
  shardsim run scenarios/failover-sentinel.json --out out/sentinel && shardsim report out/sentinel
  shardsim report out/sentinel --html sentinel.html
  shardsim run scenarios/seed.json --html seed.html     (the same page, straight from a run)
  shardsim sweep scenarios/sweeps/india-slaves.json --out out/india-slaves && shardsim report out/india-slaves

Exit codes: 0 written, 2 bad usage or an unreadable or invalid report, 3 the page could not be
written.
)";

// A JSON file of DIR (`kind` names it in errors); throws CompareError naming the file.
template <typename Json>
Json read_json_file(const std::string& path, const char* kind) {
  const InputFile file = read_input_file(path, kMaxReportFileBytes, kind);
  if (!file.error.empty()) throw CompareError(fmt::format("{}: {}", path, file.error));
  try {
    return Json::parse(file.text);
  } catch (const nlohmann::json::parse_error& e) {
    throw CompareError(fmt::format("{}: not valid JSON ({})", path, e.what()));
  }
}

// Reads DIR's report; throws CompareError naming the file.
nlohmann::json read_report(const std::string& path) {
  nlohmann::json report = read_json_file<nlohmann::json>(path, "report");
  check_report(report, path);
  return report;
}

// A sweep document of DIR (sweep.json or find.json), or nullopt when DIR has none. Throws
// CompareError on a file that is not one: `required` names the keys it must hold.
std::optional<nlohmann::ordered_json> read_sweep_document(const std::string& path,
                                                          std::initializer_list<const char*> required) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  nlohmann::ordered_json document = read_json_file<nlohmann::ordered_json>(path, "sweep output");
  for (const char* key : required) {
    if (!document.is_object() || !document.contains(key)) {
      throw CompareError(fmt::format("{}: not a shardsim sweep output (no \"{}\")", path, key));
    }
  }
  return document;
}

// The page of the sweep whose --out directory is `dir`, from what it holds. Throws CompareError.
sweep::SweepPageData read_sweep_outputs(const std::string& dir) {
  sweep::SweepPageData data;
  data.grid = read_sweep_document(dir + "/sweep.json", {"spec", "rows"});
  data.find = read_sweep_document(dir + "/find.json", {"spec", "probes"});
  return data;
}

bool is_sweep_directory(const std::string& dir) {
  return !std::filesystem::exists(dir + "/report.json") &&
         (std::filesystem::exists(dir + "/sweep.json") || std::filesystem::exists(dir + "/find.json"));
}

// DIR's time series, or nullopt when the run wrote none. Throws CompareError on a bad file.
std::optional<TimeSeriesColumns> read_timeseries(const std::string& path) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  const InputFile file = read_input_file(path, kMaxReportFileBytes, "time series");
  if (!file.error.empty()) throw CompareError(fmt::format("{}: {}", path, file.error));
  try {
    return parse_timeseries_csv(file.text);
  } catch (const std::runtime_error& e) {
    throw CompareError(fmt::format("{}: {}", path, e.what()));
  }
}

// Reads what the page needs with `read` (CompareError: bad input, exit 2), then renders and
// writes it atomically with `write` (any other failure: exit 3).
template <typename Read, typename Write>
int make_page(const std::string& html, Read read, Write write) {
  try {
    read();
  } catch (const CompareError& e) {
    fmt::print(stderr, "shardsim report: {}\n", e.what());
    return kExitBadInput;
  }
  try {
    write();
  } catch (const std::exception& e) {
    fmt::print(stderr, "shardsim report: {}\n", e.what());
    return kExitOutputFailed;
  }
  std::cout << "wrote " << html << "\n";
  return kExitOk;
}

}  // namespace

int report_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("html", po::value<std::string>(),
                        "where to write the page (default: DIR/report.html)");
  CommandLine command_line({"report", kReportUsage, kReportExamples}, options);
  command_line.positional({"dir", 1});
  if (const auto exit = command_line.parse(args)) return *exit;
  const po::variables_map& vm = command_line.vars();
  if (!vm.count("dir")) return command_line.usage_error("missing DIR (a run's or a sweep's --out directory)");
  const std::string dir = vm["dir"].as<std::string>();
  const std::string html = vm.count("html") ? vm["html"].as<std::string>() : dir + "/report.html";
  if (is_sweep_directory(dir)) {
    sweep::SweepPageData data;
    return make_page(
        html, [&] { data = read_sweep_outputs(dir); }, [&] { sweep::write_sweep_html(html, data); });
  }
  nlohmann::json report;
  std::optional<TimeSeriesColumns> timeseries;
  return make_page(
      html,
      [&] {
        report = read_report(dir + "/report.json");
        timeseries = read_timeseries(dir + "/timeseries.csv");
      },
      [&] { write_html_report(html, report, timeseries ? &*timeseries : nullptr); });
}

}  // namespace shardsim::cli
