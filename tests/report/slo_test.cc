// Absolute thresholds on report metrics: met, breached, not applicable (null) and absent (a typo
// must not pass), read from a scenario's report.slo and from a thresholds file.
#include <catch2/catch.hpp>

#include "shardsim/report/compare_formats.h"
#include "shardsim/report/slo.h"
#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::check_slos;
using shardsim::SloSpec;

namespace {

const json kReport = json::parse(R"({
  "requests": {"india": {"availability": 0.9991, "latency": {"read_hit": {"p99_ms": 42.5}}}},
  "failures": {"summary": {"worst_rpo_s": null}},
  "invariants": {"ok": true}})");

SloSpec slo(std::string metric, std::optional<double> min, std::optional<double> max) {
  return SloSpec{std::move(metric), min, max};
}

}  // namespace

TEST_CASE("a threshold holds inside its bounds and is breached outside", "[report][slo]") {
  const auto verdicts = check_slos(kReport, {slo("/requests/india/availability", 0.999, std::nullopt),
                                             slo("/requests/india/latency/read_hit/p99_ms", std::nullopt, 40),
                                             slo("/requests/india/latency/read_hit/p99_ms", 40, 50)});
  REQUIRE(verdicts.size() == 3);
  CHECK(verdicts[0].holds);
  CHECK_FALSE(verdicts[1].holds);
  CHECK(verdicts[2].holds);
  CHECK(verdicts[1].text() == "/requests/india/latency/read_hit/p99_ms = 42.5 (max 40): BREACHED");
  CHECK_FALSE(shardsim::all_hold(verdicts));
  const json section = shardsim::slo_section(verdicts);
  CHECK(section["ok"] == false);
  CHECK(section["checks"][1]["value"] == 42.5);
  CHECK(section["checks"][1]["holds"] == false);
}

TEST_CASE("a null metric is not applicable and holds; an absent one is a breach", "[report][slo]") {
  const auto verdicts = check_slos(kReport, {slo("/failures/summary/worst_rpo_s", std::nullopt, 1),
                                             slo("/requests/india/availabilty", 0.999, std::nullopt)});
  CHECK(verdicts[0].holds);
  CHECK(verdicts[0].text() == "/failures/summary/worst_rpo_s = null (max 1): holds (not applicable)");
  CHECK_FALSE(verdicts[1].holds);
  CHECK_THAT(verdicts[1].text(), Catch::Contains("no such metric in the report"));
  // A boolean reads as 1 / 0.
  CHECK(check_slos(kReport, {slo("/invariants/ok", 1, std::nullopt)})[0].holds);
}

TEST_CASE("thresholds read from a file, with the entry named on a mistake", "[report][slo]") {
  const auto slos =
      shardsim::slos_from_json(json::parse(R"({"slo": [{"metric": "/a", "min": 1, "max": 2}]})"));
  REQUIRE(slos.size() == 1);
  CHECK(slos[0].min == 1);
  CHECK(slos[0].max == 2);
  CHECK_THROWS_WITH(shardsim::slos_from_json(json::parse(R"([{"metric": "/a"}])")),
                    Catch::Contains("slo[0]: expected a threshold"));
  CHECK_THROWS_WITH(shardsim::slos_from_json(json::parse(R"([{"metric": "a", "max": 1}])")),
                    Catch::Contains("JSON pointer"));
  CHECK_THROWS_WITH(shardsim::slos_from_json(json::parse(R"([{"metric": "/a", "below": 1}])")),
                    Catch::Contains("\"below\""));
}

TEST_CASE("a run judges its scenario's report.slo and writes the verdicts into its report", "[report][slo]") {
  const json patch = json::parse(R"({"report": {"slo": [
      {"metric": "/requests/east/availability", "min": 0.99},
      {"metric": "/requests/west/latency/read_hit/p99_ms", "max": 0.001}]}})");
  const json report = shardsim::run_scenario(shardsim::testing::test_scenario(patch)).report;
  REQUIRE(report.contains("slo"));
  CHECK(report["slo"]["ok"] == false);
  CHECK(report["slo"]["checks"][0]["holds"] == true);
  CHECK(report["slo"]["checks"][1]["holds"] == false);  // a read takes far more than 1 us
  // Without thresholds the report has no slo section (its bytes are those of before).
  CHECK_FALSE(shardsim::run_scenario(shardsim::testing::test_scenario()).report.contains("slo"));
}

TEST_CASE("report.slo mistakes are scenario errors", "[report][slo]") {
  CHECK_THAT(shardsim::testing::load_error_of(json::parse(R"({"report": {"slo": [{"metric": "/a"}]}})")),
             Catch::Contains("at /report/slo/0: expected a threshold"));
  CHECK_THAT(shardsim::testing::load_error_of(
                 json::parse(R"({"report": {"slo": [{"metric": "/a", "min": 2, "max": 1}]}})")),
             Catch::Contains("expected max >= min (2), found 1"));
  CHECK_THAT(
      shardsim::testing::load_error_of(json::parse(R"({"report": {"slo": [{"metric": "a", "max": 1}]}})")),
      Catch::Contains("expected a JSON pointer into report.json"));
}

TEST_CASE("compare's JUnit form has a failure per regressed metric and breached threshold", "[report][slo]") {
  shardsim::Comparison comparison;
  comparison.metrics.push_back(
      {"/requests/usa/availability", 1.0, 0.5, false, shardsim::CompareStatus::kRegressed});
  comparison.metrics.push_back({"/caches/<usa>/hit_ratio", 0.5, 0.5, false, shardsim::CompareStatus::kOk});
  const auto verdicts = check_slos(kReport, {slo("/requests/india/availability", 0.9999, std::nullopt)});
  const std::string xml = shardsim::comparison_junit(comparison, verdicts);
  CHECK_THAT(xml, Catch::Contains("<testsuite name=\"metrics\" tests=\"2\" failures=\"1\" skipped=\"0\">"));
  CHECK_THAT(xml, Catch::Contains("name=\"/caches/&lt;usa&gt;/hit_ratio\"/>"));
  CHECK_THAT(xml, Catch::Contains("<failure message=\"regressed: baseline 1, current 0.5\"/>"));
  CHECK_THAT(xml, Catch::Contains("<testsuite name=\"slo\" tests=\"1\" failures=\"1\">"));
  const json as_json = shardsim::comparison_json(comparison, verdicts);
  CHECK(as_json["ok"] == false);
  CHECK(as_json["counts"]["regressed"] == 1);
  CHECK(as_json["metrics"][0]["status"] == "regressed");
}
