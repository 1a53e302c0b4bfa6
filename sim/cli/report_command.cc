// shardsim report DIR [--html FILE]
#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <boost/program_options.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "shardsim/report/compare.h"
#include "shardsim/report/html_report.h"
#include "shardsim/util/input_file.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

const char* kReportUsage = R"(Usage: shardsim report DIR [options]

Writes the single-file HTML report of a run made with `shardsim run ... --out DIR`, from
DIR/report.json and DIR/timeseries.csv (without it, the time charts say so). The page opens
offline: its scripts, styles and data are inlined. Default output: DIR/report.html.

Options:
)";

const char* kReportExamples = R"(
Examples:
  shardsim run scenarios/failover-sentinel.json --out out/sentinel && shardsim report out/sentinel
  shardsim report out/sentinel --html sentinel.html
  shardsim run scenarios/seed.json --html seed.html     (the same page, straight from a run)

Exit codes: 0 written, 2 bad usage or an unreadable or invalid report, 3 the page could not be
written.
)";

// Reads DIR's report; throws CompareError naming the file.
nlohmann::json read_report(const std::string& path) {
  const InputFile file = read_input_file(path, kMaxReportFileBytes, "report");
  if (!file.error.empty()) throw CompareError(fmt::format("{}: {}", path, file.error));
  nlohmann::json report;
  try {
    report = nlohmann::json::parse(file.text);
  } catch (const nlohmann::json::parse_error& e) {
    throw CompareError(fmt::format("{}: not valid JSON ({})", path, e.what()));
  }
  check_report(report, path);
  return report;
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

}  // namespace

int report_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("html", po::value<std::string>(),
                        "where to write the page (default: DIR/report.html)");
  CommandLine command_line({"report", kReportUsage, kReportExamples}, options);
  command_line.positional({"dir", 1});
  if (const auto exit = command_line.parse(args)) return *exit;
  const po::variables_map& vm = command_line.vars();
  if (!vm.count("dir")) return command_line.usage_error("missing DIR (a run's --out directory)");
  const std::string dir = vm["dir"].as<std::string>();
  const std::string html = vm.count("html") ? vm["html"].as<std::string>() : dir + "/report.html";
  nlohmann::json report;
  std::optional<TimeSeriesColumns> timeseries;
  try {
    report = read_report(dir + "/report.json");
    timeseries = read_timeseries(dir + "/timeseries.csv");
  } catch (const CompareError& e) {
    fmt::print(stderr, "shardsim report: {}\n", e.what());
    return kExitBadInput;
  }
  try {
    write_html_report(html, report, timeseries ? &*timeseries : nullptr);
  } catch (const std::exception& e) {
    fmt::print(stderr, "shardsim report: {}\n", e.what());
    return kExitOutputFailed;
  }
  std::cout << "wrote " << html << "\n";
  return kExitOk;
}

}  // namespace shardsim::cli
