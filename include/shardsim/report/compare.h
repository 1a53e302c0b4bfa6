// Comparing two run reports (report.json) metric by metric: the CI regression gate behind
// `shardsim compare BASELINE CURRENT`.
//
// A metric rule names a set of report values by a pattern: a JSON pointer whose segments may be
// `*`, matching every member of an object or every element of an array (geo names, outcomes, slave
// positions), e.g. /requests/*/latency/read_hit/p99_ms. Each rule says which direction is better
// and how much worse a value may get before it counts as a regression. The patterns expand over
// both reports, so a geo present in only one of them shows up as "missing" rather than vanishing.
//
// Tolerances: a value is REGRESSED only when it is worse than the baseline by more than BOTH
// `relative` x |baseline| AND `absolute` (so a p99 of 0.4 ms growing to 0.6 ms is +50% but within
// a 1 ms absolute slack: small values are noisy in relative terms, big ones in absolute terms).
// A tolerance of 0/0 makes any worsening a regression (lost writes). Getting better by more than
// the same margins is marked "better", which never fails the gate.
//
// Tolerance file (JSON), to override the defaults or add metrics:
//   {"metrics": {
//      "/requests/*/latency/read_hit/p99_ms": {"relative": 0.05, "absolute": 0.5},
//      "/requests/usa/availability": {"absolute": 0.005},
//      "/async_path/queue_max_depth": {"better": "lower", "relative": 0.2},
//      "/caches/*/hit_ratio": {"ignore": true}}}
// Members of an entry: relative, absolute (>= 0), better ("lower", "higher", "equal"), ignore
// (true: do not compare). An entry for a default pattern changes that rule; an entry for a
// narrower pattern (a `*` replaced by a name, e.g. /requests/usa/availability) starts from the
// rule it narrows and changes only the members it gives; an entry no rule covers is a new metric
// and needs "better" (omitted tolerances are 0). When several rules match one value, the most
// specific pattern (fewest `*`) wins; among equally specific ones, the later (the file's) wins.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim {

// A report or tolerance file that cannot be compared (wrong format, bad entry): the message says
// which file and why.
class CompareError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Better { kLower, kHigher, kEqual };

struct MetricRule {
  std::string pattern;  // JSON pointer, `*` segments are wildcards
  Better better = Better::kLower;
  double relative = 0;  // allowed worsening as a fraction of |baseline|
  double absolute = 0;  // allowed worsening in the metric's own unit
  bool ignore = false;
};

// The default registry: the metrics a change to the simulator should not silently worsen.
const std::vector<MetricRule>& default_metric_rules();

// The rules after a tolerance file's overrides (format above). Throws CompareError naming the
// offending pattern or member.
std::vector<MetricRule> apply_tolerances(std::vector<MetricRule> rules, const nlohmann::json& tolerances);

// Throws CompareError unless `report` is a shardsim report ("format" == "shardsim-report") of
// the version this build writes. `label` names the file in the message.
void check_report(const nlohmann::json& report, const std::string& label);

enum class CompareStatus { kOk, kBetter, kRegressed, kMissing };
const char* status_name(CompareStatus status);

struct MetricComparison {
  std::string path;                // the concrete pointer, e.g. /requests/usa/availability
  std::optional<double> baseline;  // unset: absent, null or not a number in that report
  std::optional<double> current;
  bool boolean = false;  // true/false values (shown as such; compared as 1/0)
  CompareStatus status = CompareStatus::kOk;
};

struct Comparison {
  std::vector<MetricComparison> metrics;  // in rule order, then pointer order
  std::size_t count(CompareStatus status) const;
  bool regressed() const { return count(CompareStatus::kRegressed) > 0; }
};

// Compares every value the rules match in either report. Both reports are assumed checked.
Comparison compare_reports(const nlohmann::json& baseline, const nlohmann::json& current,
                           const std::vector<MetricRule>& rules);

// An aligned table (metric, baseline, current, change %, status) and a one-line summary.
// `changes_only` leaves out the rows whose status is ok (the summary still counts them).
std::string render_comparison(const Comparison& comparison, bool changes_only = false);

}  // namespace shardsim
