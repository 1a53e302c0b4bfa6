// shardsim compare BASELINE CURRENT [--tolerances FILE] [--slo FILE] [--format F] [--changes-only] [--strict]
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <boost/program_options.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "shardsim/report/compare.h"
#include "shardsim/report/compare_formats.h"
#include "shardsim/report/slo.h"
#include "shardsim/util/input_file.h"
#include "shardsim/util/json_pointer.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

const char* kCompareUsage = R"(Usage: shardsim compare BASELINE CURRENT [options]

Compares two report.json files metric by metric (latency percentiles, consistency lag, staleness,
fresh share, availability, cache hit ratios, lost writes, invariants, ...) and fails when CURRENT is
worse than BASELINE beyond a metric's tolerance: by more than both its relative and its absolute
slack (defaults: latency and lag +10% and 1 ms, shares 0.01, lost writes 0). It also checks
CURRENT against absolute thresholds: those of its scenario's report.slo, and those of --slo FILE.

Options:
)";

const char* kCompareExamples = R"(
Tolerance file (overrides a default pattern, or adds one with "better"):
  {"metrics": {
     "/requests/*/latency/read_hit/p99_ms": {"relative": 0.05, "absolute": 0.5},
     "/async_path/queue_max_depth": {"better": "lower", "relative": 0.2},
     "/caches/*/hit_ratio": {"ignore": true}}}
  `*` matches any member (geo, operation, ...); the most specific pattern wins.

Threshold file (--slo; the same form as a scenario's report.slo):
  [{"metric": "/requests/india/latency/read_hit/p99_ms", "max": 50},
   {"metric": "/eighty_twenty/india/slave_data_ratio/fresh_share_min", "min": 0.8},
   {"metric": "/failures/summary/worst_write_unavailability_s", "max": 5}]

Examples:
  shardsim compare baseline/report.json out/report.json
  shardsim compare baseline/report.json out/report.json --tolerances ci/tolerances.json --changes-only
  shardsim compare baseline/report.json out/report.json --slo ci/slo.json --format junit > compare.xml

Exit codes: 0 no regression and every threshold met, 1 a metric regressed or a threshold was
breached, 2 bad usage or an unreadable or invalid file, 3 standard output could not be written.
)";

// Reads a JSON file; throws CompareError naming the file.
nlohmann::json read_json(const std::string& path) {
  const InputFile file = read_input_file(path, kMaxReportFileBytes, "report");
  if (!file.error.empty()) throw CompareError(fmt::format("{}: {}", path, file.error));
  try {
    return nlohmann::json::parse(file.text);
  } catch (const nlohmann::json::parse_error& e) {
    throw CompareError(fmt::format("{}: not valid JSON ({})", path, e.what()));
  }
}

// The thresholds CURRENT must meet: its own scenario's report.slo, then the --slo file's.
std::vector<SloSpec> thresholds_for(const nlohmann::json& current, const std::string& slo_file) {
  std::vector<SloSpec> slos;
  const nlohmann::json* own = value_at(current, "/scenario/effective/report/slo");
  if (own && own->is_array()) slos = slos_from_json(*own);
  if (slo_file.empty()) return slos;
  try {
    for (SloSpec& slo : slos_from_json(read_json(slo_file))) slos.push_back(std::move(slo));
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    throw CompareError(what.starts_with(slo_file) ? what : slo_file + ": " + what);
  }
  return slos;
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("tolerances", po::value<std::string>(),
                        "JSON file overriding the metrics' tolerances")(
      "slo", po::value<std::string>(), "JSON file of absolute thresholds CURRENT must meet")(
      "format", po::value<std::string>()->default_value("text"), "text, json or junit (JUnit XML)")(
      "changes-only", "list only the metrics that are not ok")(
      "strict", "also fail when a metric is missing from one report");
  CommandLine command_line({"compare", kCompareUsage, kCompareExamples}, options);
  command_line.positional({"reports", 2});
  if (const auto exit = command_line.parse(args)) return *exit;
  const po::variables_map& vm = command_line.vars();
  if (!vm.count("reports") || vm["reports"].as<std::vector<std::string>>().size() != 2) {
    return command_line.usage_error("needs two reports, BASELINE and CURRENT");
  }
  const auto& files = vm["reports"].as<std::vector<std::string>>();
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json" && format != "junit")
    return command_line.usage_error("--format takes text, json or junit, not '" + format + "'");
  Comparison comparison;
  std::vector<SloVerdict> slos;
  try {
    const nlohmann::json baseline = read_json(files[0]);
    check_report(baseline, files[0]);
    const nlohmann::json current = read_json(files[1]);
    check_report(current, files[1]);
    std::vector<MetricRule> rules = default_metric_rules();
    if (vm.count("tolerances")) {
      const std::string& path = vm["tolerances"].as<std::string>();
      try {
        rules = apply_tolerances(std::move(rules), read_json(path));
      } catch (const CompareError& e) {
        // Name the tolerance file when the message names only a pattern.
        const std::string what = e.what();
        throw CompareError(what.starts_with(path) ? what : path + ": " + what);
      }
    }
    comparison = compare_reports(baseline, current, rules);
    slos = check_slos(current, thresholds_for(current, vm.count("slo") ? vm["slo"].as<std::string>() : ""));
  } catch (const CompareError& e) {
    fmt::print(stderr, "shardsim compare: {}\n", e.what());
    return kExitBadInput;
  }
  if (format == "json") {
    std::cout << comparison_json(comparison, slos).dump(2) << "\n";
  } else if (format == "junit") {
    std::cout << comparison_junit(comparison, slos);
  } else {
    std::cout << render_comparison(comparison, vm.count("changes-only") > 0) << render_slo_verdicts(slos);
  }
  const bool missing_fails = vm.count("strict") && comparison.count(CompareStatus::kMissing) > 0;
  return comparison.regressed() || missing_fails || !all_hold(slos) ? kExitCheckFailed : kExitOk;
}

}  // namespace shardsim::cli
