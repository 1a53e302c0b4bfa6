// The report comparison behind `shardsim compare`: tolerances, directions, wildcards, overrides.
#include "shardsim/report/compare.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "shardsim/report/report_json.h"

using nlohmann::json;
using namespace shardsim;

namespace {

// A hand-made report holding a few of the compared metrics, for two geos.
json small_report() {
  json geo = {{"availability", 0.999},
              {"throughput_per_s", 500.0},
              {"latency", {{"read_hit", {{"count", 100}, {"p50_ms", 2.0}, {"p99_ms", 20.0}}}}}};
  return json{{"format", "shardsim-report"},
              {"version", kReportVersion},
              {"invariants", {{"ok", true}, {"reads_at_a_master", 0}, {"commits_off_the_active_master", 0}}},
              {"requests", {{"india", geo}, {"usa", geo}}},
              {"eighty_twenty", {{"india", {{"slave_data_ratio", {{"fresh_share_mean", 0.9}}}}}}},
              {"failures",
               {{"summary", {{"writes_lost", 0}, {"failovers", 1}, {"worst_write_unavailability_s", 3.0}}}}}};
}

const MetricComparison& row(const Comparison& c, const std::string& path) {
  const auto it = std::find_if(c.metrics.begin(), c.metrics.end(),
                               [&](const MetricComparison& m) { return m.path == path; });
  REQUIRE(it != c.metrics.end());
  return *it;
}

Comparison compare(const json& baseline, const json& current, const json& tolerances = json()) {
  std::vector<MetricRule> rules = default_metric_rules();
  if (!tolerances.is_null()) rules = apply_tolerances(rules, tolerances);
  return compare_reports(baseline, current, rules);
}

const char* kP99 = "/requests/usa/latency/read_hit/p99_ms";

}  // namespace

TEST_CASE("identical reports compare ok on every metric", "[compare]") {
  const Comparison c = compare(small_report(), small_report());
  CHECK_FALSE(c.regressed());
  CHECK(c.count(CompareStatus::kOk) == c.metrics.size());
  // The wildcard expands over both geos.
  CHECK(row(c, "/requests/india/latency/read_hit/p99_ms").baseline == 20.0);
  CHECK(row(c, kP99).current == 20.0);
  CHECK(row(c, "/invariants/ok").boolean);
}

TEST_CASE("a p99 worse by more than both the relative and the absolute slack regresses", "[compare]") {
  json current = small_report();
  current["requests"]["usa"]["latency"]["read_hit"]["p99_ms"] = 23.0;  // +15%, +3 ms
  const Comparison c = compare(small_report(), current);
  CHECK(c.regressed());
  CHECK(row(c, kP99).status == CompareStatus::kRegressed);
  CHECK(row(c, "/requests/india/latency/read_hit/p99_ms").status == CompareStatus::kOk);
  CHECK(render_comparison(c).find("REGRESSED") != std::string::npos);
}

TEST_CASE("worsening within the tolerance is ok", "[compare]") {
  json current = small_report();
  current["requests"]["usa"]["latency"]["read_hit"]["p99_ms"] = 21.9;  // +9.5%
  current["requests"]["usa"]["latency"]["read_hit"]["p50_ms"] = 2.9;   // +45%, but under 1 ms
  const Comparison c = compare(small_report(), current);
  CHECK_FALSE(c.regressed());
  CHECK(row(c, kP99).status == CompareStatus::kOk);
  CHECK(row(c, "/requests/usa/latency/read_hit/p50_ms").status == CompareStatus::kOk);
}

TEST_CASE("a better value is marked better and does not fail", "[compare]") {
  json current = small_report();
  current["requests"]["usa"]["latency"]["read_hit"]["p99_ms"] = 10.0;
  current["requests"]["usa"]["availability"] = 0.9995;  // higher is better, but within 0.001
  current["eighty_twenty"]["india"]["slave_data_ratio"]["fresh_share_mean"] = 0.95;
  const Comparison c = compare(small_report(), current);
  CHECK_FALSE(c.regressed());
  CHECK(row(c, kP99).status == CompareStatus::kBetter);
  CHECK(row(c, "/requests/usa/availability").status == CompareStatus::kOk);
  CHECK(row(c, "/eighty_twenty/india/slave_data_ratio/fresh_share_mean").status == CompareStatus::kBetter);
}

TEST_CASE("directions: higher is better, no lost write, must be equal, invariants", "[compare]") {
  json current = small_report();
  current["eighty_twenty"]["india"]["slave_data_ratio"]["fresh_share_mean"] = 0.88;  // -0.02 > 0.01
  current["failures"]["summary"]["writes_lost"] = 1;
  current["failures"]["summary"]["failovers"] = 0;  // fewer is as suspect as more
  current["invariants"]["ok"] = false;
  const Comparison c = compare(small_report(), current);
  CHECK(row(c, "/eighty_twenty/india/slave_data_ratio/fresh_share_mean").status == CompareStatus::kRegressed);
  CHECK(row(c, "/failures/summary/writes_lost").status == CompareStatus::kRegressed);
  CHECK(row(c, "/failures/summary/failovers").status == CompareStatus::kRegressed);
  CHECK(row(c, "/invariants/ok").status == CompareStatus::kRegressed);
  CHECK(render_comparison(c).find("false") != std::string::npos);
}

TEST_CASE("a tolerance file overrides the defaults and flips results", "[compare]") {
  json current = small_report();
  current["requests"]["usa"]["latency"]["read_hit"]["p99_ms"] = 21.9;    // ok by default
  current["requests"]["india"]["latency"]["read_hit"]["p99_ms"] = 30.0;  // regressed by default

  SECTION("a tighter pattern makes a regression") {
    const json file = {
        {"metrics", {{"/requests/*/latency/read_hit/p99_ms", {{"relative", 0.05}, {"absolute", 0.5}}}}}};
    CHECK(row(compare(small_report(), current, file), kP99).status == CompareStatus::kRegressed);
  }
  SECTION("a concrete pointer beats the wildcard for its one value only") {
    const json file = {{"metrics", {{"/requests/india/latency/read_hit/p99_ms", {{"relative", 1.0}}}}}};
    const Comparison c = compare(small_report(), current, file);
    CHECK(row(c, "/requests/india/latency/read_hit/p99_ms").status == CompareStatus::kOk);
    CHECK_FALSE(c.regressed());
  }
  SECTION("ignore drops a metric") {
    const json file = {{"metrics", {{"/requests/*/latency/*/p99_ms", {{"ignore", true}}}}}};
    const Comparison c = compare(small_report(), current, file);
    CHECK_FALSE(c.regressed());
    CHECK(std::none_of(c.metrics.begin(), c.metrics.end(),
                       [](const MetricComparison& m) { return m.path == kP99; }));
  }
  SECTION("a new metric needs a direction") {
    const json file = {{"metrics", {{"/requests/*/requests_failed", {{"better", "lower"}}}}}};
    json worse = small_report();
    worse["requests"]["usa"]["requests_failed"] = 3;
    json base = small_report();
    base["requests"]["usa"]["requests_failed"] = 2;
    CHECK(row(compare(base, worse, file), "/requests/usa/requests_failed").status ==
          CompareStatus::kRegressed);
    CHECK_THROWS_AS(apply_tolerances(default_metric_rules(), json{{"metrics", {{"/x", {{"relative", 1}}}}}}),
                    CompareError);
  }
}

TEST_CASE("malformed tolerance files are rejected with the reason", "[compare]") {
  const auto& rules = default_metric_rules();
  CHECK_THROWS_AS(apply_tolerances(rules, json::array()), CompareError);
  CHECK_THROWS_AS(apply_tolerances(rules, json{{"metrics", {{"/invariants/ok", {{"absolute_ms", 1}}}}}}),
                  CompareError);
  CHECK_THROWS_AS(apply_tolerances(rules, json{{"metrics", {{"/invariants/ok", {{"relative", -1}}}}}}),
                  CompareError);
  CHECK_THROWS_AS(apply_tolerances(rules, json{{"metrics", {{"requests", {{"relative", 1}}}}}}),
                  CompareError);
  CHECK_THROWS_WITH(apply_tolerances(rules, json{{"metrics", {{"/invariants/ok", {{"better", "up"}}}}}}),
                    Catch::Contains("\"better\""));
}

TEST_CASE("a value present in one report only is missing", "[compare]") {
  json current = small_report();
  current["requests"].erase("india");
  current["failures"]["summary"]["worst_write_unavailability_s"] = nullptr;
  const Comparison c = compare(small_report(), current);
  CHECK(row(c, "/requests/india/availability").status == CompareStatus::kMissing);
  CHECK_FALSE(row(c, "/requests/india/availability").current.has_value());
  CHECK(row(c, "/failures/summary/worst_write_unavailability_s").status == CompareStatus::kMissing);
  CHECK_FALSE(c.regressed());
  CHECK(render_comparison(c, true).find("/requests/usa/availability") == std::string::npos);
}

TEST_CASE("only shardsim reports of this version are compared", "[compare]") {
  CHECK_NOTHROW(check_report(small_report(), "a.json"));
  CHECK_THROWS_WITH(check_report(json{{"format", "other"}}, "a.json"),
                    Catch::Contains("a.json") && Catch::Contains("not a shardsim report"));
  CHECK_THROWS_AS(check_report(json::array(), "a.json"), CompareError);
  json old = small_report();
  old["version"] = kReportVersion + 1;
  CHECK_THROWS_WITH(check_report(old, "old.json"), Catch::Contains("version"));
  old.erase("version");
  CHECK_THROWS_AS(check_report(old, "old.json"), CompareError);
}
