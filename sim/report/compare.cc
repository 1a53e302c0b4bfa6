#include "shardsim/report/compare.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "shardsim/report/metric_at.h"
#include "shardsim/report/report_json.h"
#include "shardsim/util/json_pointer.h"

namespace shardsim {

namespace {

using nlohmann::json;

// Latency-like values (ms): +10% and 1 ms of slack; the tails are noisier, so p99.9 gets more.
MetricRule latency(std::string pattern) {
  return {std::move(pattern), Better::kLower, 0.10, 1.0};
}
MetricRule tail(std::string pattern) {
  return {std::move(pattern), Better::kLower, 0.20, 2.0};
}
// Shares in [0, 1]: one percentage point.
MetricRule share_up(std::string pattern, double slack = 0.01) {
  return {std::move(pattern), Better::kHigher, 0, slack};
}
MetricRule share_down(std::string pattern, double slack = 0.01) {
  return {std::move(pattern), Better::kLower, 0, slack};
}
// Counts that must not grow at all.
MetricRule none_more(std::string pattern) {
  return {std::move(pattern), Better::kLower, 0, 0};
}

std::vector<std::string> split_pointer(const std::string& pattern) {
  std::optional<std::vector<std::string>> segments = split_json_pointer(pattern);
  if (!segments || pattern.empty()) {
    throw CompareError(
        fmt::format("metric pattern \"{}\" is not a JSON pointer (it must start with '/', and write '~' as "
                    "\"~0\" and '/' in a name as \"~1\")",
                    pattern));
  }
  return *std::move(segments);
}

// Member names (objects) or indices (arrays) of a node, appended if not there yet.
void add_keys(const json* node, std::vector<std::string>& keys) {
  if (node == nullptr) return;
  auto add = [&keys](std::string key) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  };
  if (node->is_object()) {
    for (const auto& [key, value] : node->items()) add(key);
  } else if (node->is_array()) {
    for (std::size_t i = 0; i < node->size(); ++i) add(std::to_string(i));
  }
}

// Every concrete pointer the pattern matches in either report.
void expand(const std::vector<std::string>& segments, std::size_t at, const json* a, const json* b,
            const std::string& prefix, std::vector<std::string>& out) {
  if (a == nullptr && b == nullptr) return;
  if (at == segments.size()) {
    out.push_back(prefix);
    return;
  }
  std::vector<std::string> keys;
  if (segments[at] == "*") {
    add_keys(a, keys);
    add_keys(b, keys);
  } else {
    keys.push_back(segments[at]);
  }
  for (const std::string& key : keys) {
    expand(segments, at + 1, pointer_child(a, key), pointer_child(b, key),
           prefix + "/" + escape_pointer_segment(key), out);
  }
}

// A metric of one report; `boolean` is set when it is a true/false flag (in either report).
std::optional<double> number_at(const json& report, const std::string& pointer, bool& boolean) {
  const std::optional<MetricValue> metric = metric_at(report, pointer);
  if (!metric) return std::nullopt;
  boolean = boolean || metric->from_boolean;
  return metric->value;
}

CompareStatus judge(const MetricRule& rule, double baseline, double current) {
  const double delta = current - baseline;
  const double slack_relative = rule.relative * std::abs(baseline);
  auto beyond = [&](double by) { return by > slack_relative && by > rule.absolute; };
  switch (rule.better) {
    case Better::kLower:
      if (beyond(delta)) return CompareStatus::kRegressed;
      if (beyond(-delta)) return CompareStatus::kBetter;
      break;
    case Better::kHigher:
      if (beyond(-delta)) return CompareStatus::kRegressed;
      if (beyond(delta)) return CompareStatus::kBetter;
      break;
    case Better::kEqual:
      if (beyond(std::abs(delta))) return CompareStatus::kRegressed;
      break;
  }
  return CompareStatus::kOk;
}

double tolerance_member(const json& entry, const char* key, double fallback, const std::string& pattern) {
  if (!entry.contains(key)) return fallback;
  const json& v = entry[key];
  if (!v.is_number() || v.get<double>() < 0 || !std::isfinite(v.get<double>())) {
    throw CompareError(fmt::format("tolerance for \"{}\": \"{}\" must be a number >= 0", pattern, key));
  }
  return v.get<double>();
}

Better parse_better(const json& v, const std::string& pattern) {
  if (v == "lower") return Better::kLower;
  if (v == "higher") return Better::kHigher;
  if (v == "equal") return Better::kEqual;
  throw CompareError(
      fmt::format("tolerance for \"{}\": \"better\" must be \"lower\", \"higher\" or \"equal\"", pattern));
}

std::string show_value(const std::optional<double>& v, bool boolean) {
  if (!v) return "-";
  if (boolean) return *v != 0 ? "true" : "false";
  return fmt::format("{:.6g}", *v);
}

std::string show_change(const MetricComparison& m) {
  if (!m.baseline || !m.current || m.boolean) return "-";
  if (*m.baseline == *m.current) return "0.0%";
  if (*m.baseline == 0) return "n/a";
  return fmt::format("{:+.1f}%", (*m.current - *m.baseline) / std::abs(*m.baseline) * 100);
}

// The most specific rule whose pattern matches every pointer `pattern` matches (a `*` covers any
// segment, `*` included), or null.
const MetricRule* covering_rule(const std::vector<MetricRule>& rules, const std::string& pattern) {
  const std::vector<std::string> specific = split_pointer(pattern);
  const MetricRule* best = nullptr;
  long best_wildcards = 0;
  for (const MetricRule& rule : rules) {
    const std::vector<std::string> general = split_pointer(rule.pattern);
    if (general.size() != specific.size()) continue;
    bool covers = true;
    for (std::size_t i = 0; i < general.size() && covers; ++i)
      covers = general[i] == "*" || general[i] == specific[i];
    const long wildcards = std::count(general.begin(), general.end(), "*");
    if (covers && (best == nullptr || wildcards <= best_wildcards)) {
      best = &rule;
      best_wildcards = wildcards;
    }
  }
  return best;
}

}  // namespace

const std::vector<MetricRule>& default_metric_rules() {
  static const std::vector<MetricRule> rules = {
      {"/invariants/ok", Better::kHigher, 0, 0},
      none_more("/invariants/reads_at_a_master"),
      none_more("/invariants/commits_off_the_active_master"),
      share_up("/requests/*/availability", 0.001),
      {"/requests/*/throughput_per_s", Better::kHigher, 0.05, 1.0},
      latency("/requests/*/latency/*/p50_ms"),
      latency("/requests/*/latency/*/p99_ms"),
      tail("/requests/*/latency/*/p999_ms"),
      latency("/consistency_lag/master_to_standby/p99_ms"),
      latency("/consistency_lag/master_to_shard_master/p99_ms"),
      latency("/consistency_lag/geos/*/*/p50_ms"),
      latency("/consistency_lag/geos/*/*/p99_ms"),
      share_down("/staleness/*/*/stale_share"),
      latency("/staleness/*/*/staleness_age/p99_ms"),
      share_up("/eighty_twenty/*/slave_data_ratio/fresh_share_mean"),
      share_up("/eighty_twenty/*/slave_data_ratio/fresh_share_min", 0.02),
      share_down("/eighty_twenty/*/slave_data_ratio/share_of_time_below_target"),
      {"/eighty_twenty/*/slave_data_ratio/always_holds", Better::kHigher, 0, 0},
      share_up("/caches/*/hit_ratio"),
      {"/load_balancers/*/slb/*/max_over_mean", Better::kLower, 0.05, 0.02},
      none_more("/async_path/queue_rejected_total"),
      {"/async_path/queue_max_depth", Better::kLower, 0.10, 10},
      none_more("/failures/summary/writes_lost"),
      {"/failures/summary/sync_writes_failed", Better::kLower, 0.10, 5},
      {"/failures/summary/worst_write_unavailability_s", Better::kLower, 0.10, 0.1},
      none_more("/failures/summary/false_failovers"),
      // A failover more or fewer than before means the failure handling changed either way.
      {"/failures/summary/failovers", Better::kEqual, 0, 0},
  };
  return rules;
}

std::vector<MetricRule> apply_tolerances(std::vector<MetricRule> rules, const json& tolerances) {
  if (!tolerances.is_object() || !tolerances.contains("metrics") || !tolerances["metrics"].is_object()) {
    throw CompareError(R"(a tolerance file is a JSON object {"metrics": {"<pattern>": {...}, ...}})");
  }
  for (const auto& [pattern, entry] : tolerances["metrics"].items()) {
    split_pointer(pattern);  // checks the syntax
    if (!entry.is_object())
      throw CompareError(fmt::format("tolerance for \"{}\" must be an object", pattern));
    for (const auto& [key, value] : entry.items()) {
      if (key != "relative" && key != "absolute" && key != "better" && key != "ignore") {
        throw CompareError(fmt::format(
            "tolerance for \"{}\": unknown member \"{}\" (known: relative, absolute, better, ignore)",
            pattern, key));
      }
    }
    // A named copy: clang 14 cannot capture a structured binding in a lambda.
    const std::string& wanted = pattern;
    auto it = std::find_if(rules.begin(), rules.end(),
                           [&wanted](const MetricRule& r) { return r.pattern == wanted; });
    MetricRule rule;
    if (it != rules.end()) {
      rule = *it;
    } else if (const MetricRule* general = covering_rule(rules, pattern)) {
      rule = *general;  // a narrower pattern starts from the rule it narrows
      rule.pattern = pattern;
    } else {
      if (!entry.contains("better")) {
        throw CompareError(
            fmt::format("tolerance for \"{}\": no default metric covers it, so it needs \"better\": "
                        "\"lower\", \"higher\" or "
                        "\"equal\"",
                        pattern));
      }
      rule.pattern = pattern;
    }
    if (entry.contains("better")) rule.better = parse_better(entry["better"], pattern);
    rule.relative = tolerance_member(entry, "relative", rule.relative, pattern);
    rule.absolute = tolerance_member(entry, "absolute", rule.absolute, pattern);
    if (entry.contains("ignore")) {
      if (!entry["ignore"].is_boolean()) {
        throw CompareError(fmt::format("tolerance for \"{}\": \"ignore\" must be true or false", pattern));
      }
      rule.ignore = entry["ignore"].get<bool>();
    }
    if (it != rules.end()) {
      *it = rule;
    } else {
      rules.push_back(rule);
    }
  }
  return rules;
}

void check_report(const json& report, const std::string& label) {
  if (!report.is_object() || report.value("format", json()) != "shardsim-report") {
    throw CompareError(fmt::format("{}: not a shardsim report (no \"format\": \"shardsim-report\")", label));
  }
  const json version = report.value("version", json());
  if (!version.is_number_integer() || version.get<int>() != kReportVersion) {
    throw CompareError(fmt::format("{}: report version {} is not the version this shardsim reads ({})", label,
                                   version.dump(), kReportVersion));
  }
}

const char* status_name(CompareStatus status) {
  switch (status) {
    case CompareStatus::kOk:
      return "ok";
    case CompareStatus::kBetter:
      return "better";
    case CompareStatus::kRegressed:
      return "REGRESSED";
    case CompareStatus::kMissing:
      return "missing";
  }
  return "?";
}

std::size_t Comparison::count(CompareStatus status) const {
  return static_cast<std::size_t>(std::count_if(
      metrics.begin(), metrics.end(), [status](const MetricComparison& m) { return m.status == status; }));
}

Comparison compare_reports(const json& baseline, const json& current, const std::vector<MetricRule>& rules) {
  // Each concrete pointer goes to the most specific matching rule (fewest `*`; later wins ties).
  struct Match {
    std::size_t rule;
    long wildcards;
  };
  std::map<std::string, Match> winner;
  std::vector<std::string> order;  // first appearance
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const std::vector<std::string> segments = split_pointer(rules[r].pattern);
    const long wildcards = std::count(segments.begin(), segments.end(), "*");
    std::vector<std::string> paths;
    expand(segments, 0, &baseline, &current, "", paths);
    for (const std::string& path : paths) {
      auto [it, inserted] = winner.try_emplace(path, Match{r, wildcards});
      if (inserted) {
        order.push_back(path);
      } else if (wildcards <= it->second.wildcards) {
        it->second = Match{r, wildcards};
      }
    }
  }
  Comparison out;
  for (const std::string& path : order) {
    const MetricRule& rule = rules[winner.at(path).rule];
    if (rule.ignore) continue;
    MetricComparison m;
    m.path = path;
    m.baseline = number_at(baseline, path, m.boolean);
    m.current = number_at(current, path, m.boolean);
    if (!m.baseline && !m.current) continue;  // e.g. null in both (no failover, no unavailability)
    m.status = m.baseline && m.current ? judge(rule, *m.baseline, *m.current) : CompareStatus::kMissing;
    out.metrics.push_back(std::move(m));
  }
  return out;
}

std::string render_comparison(const Comparison& comparison, bool changes_only) {
  std::size_t width = 6;
  for (const MetricComparison& m : comparison.metrics) width = std::max(width, m.path.size());
  std::string out = fmt::format("{:<{}}  {:>12}  {:>12}  {:>9}  {}\n", "metric", width, "baseline", "current",
                                "change", "status");
  for (const MetricComparison& m : comparison.metrics) {
    if (changes_only && m.status == CompareStatus::kOk) continue;
    out +=
        fmt::format("{:<{}}  {:>12}  {:>12}  {:>9}  {}\n", m.path, width, show_value(m.baseline, m.boolean),
                    show_value(m.current, m.boolean), show_change(m), status_name(m.status));
  }
  out +=
      fmt::format("\n{} metrics: {} ok, {} better, {} REGRESSED, {} missing: {}\n", comparison.metrics.size(),
                  comparison.count(CompareStatus::kOk), comparison.count(CompareStatus::kBetter),
                  comparison.count(CompareStatus::kRegressed), comparison.count(CompareStatus::kMissing),
                  comparison.regressed() ? "REGRESSION" : "no regression");
  return out;
}

}  // namespace shardsim
