// The orchestrator policy end to end: dead-master analysis confirmed by the replicas, promotion
// rules, the anti-flapping block.
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

// The base test scenario (masters in east; 0.5 ms inside a geo, 20 ms between) under Orchestrator
// with slave_net_timeout 4 s (its documentation's advice) and the scenario's promotion_ms (2 s).
json orchestrator_failover(json orchestrator, json failures, double duration_s = 60) {
  orchestrator.merge_patch({{"slave_net_timeout_s", 4}});
  return json{{"duration_s", duration_s},
              {"failover", {{"policy", "orchestrator"}, {"orchestrator", std::move(orchestrator)}}},
              {"failures", std::move(failures)}};
}

std::vector<json> failovers_of(const json& report, const std::string& role) {
  std::vector<json> found;
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == role) found.push_back(f);
  return found;
}

bool timeline_has(const json& report, const std::string& event) {
  for (const json& e : report["failures"]["timeline"])
    if (e["event"] == event) return true;
  return false;
}

}  // namespace

TEST_CASE(
    "orchestrator: a crashed global master is found dead with its replica's word, and the standby promoted",
    "[failure][orchestrator]") {
  const json report = run_scenario(test_scenario(orchestrator_failover(json::object(), json::parse(R"([
    {"kind": "crash", "nodes": ["active_master_global"], "at_s": 10, "duration_s": 20}])"))))
                          .report;
  const auto f = failovers_of(report, "active_master");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["false_failover"] == false);
  CHECK(f[0]["promoted"] == "passive_master_global");
  // The standby's IO thread stops 4 s after the last batch (up to the crash); the next poll of it
  // (every 5 s) reports it; the next analysis tick (every second) acts.
  const double detection = f[0]["detection_s"].get<double>();
  CHECK(detection >= 4);
  CHECK(detection <= 4 + 5 + 0.01 + 1);
  CHECK(f[0]["promotion_s"].get<double>() == Approx(2.0));
  CHECK(timeline_has(report, "dead_master"));
  CHECK(report["invariants"]["ok"] == true);
}

TEST_CASE("orchestrator: a second dead master of the same cluster within the block period is not recovered",
          "[failure][orchestrator]") {
  // The master crashes at 10 s (back at 25 s as the standby), the new one at 40 s: blocked for
  // 3600 s by default, recovered with a 10 s block.
  const json failures = json::parse(R"([
    {"kind": "crash", "nodes": ["active_master_global"], "at_s": 10, "duration_s": 15},
    {"kind": "crash", "nodes": ["passive_master_global"], "at_s": 40}])");
  const json blocked =
      run_scenario(test_scenario(orchestrator_failover(json::object(), failures, 80))).report;
  CHECK(failovers_of(blocked, "active_master").size() == 1);
  CHECK(timeline_has(blocked, "recovery_blocked"));
  const json unblocked =
      run_scenario(test_scenario(orchestrator_failover({{"recovery_period_block_s", 10}}, failures, 80)))
          .report;
  CHECK(failovers_of(unblocked, "active_master").size() == 2);
  CHECK_FALSE(timeline_has(unblocked, "recovery_blocked"));
}

TEST_CASE("orchestrator: must_not keeps a geo's slaves from promotion; prefer wins a tie",
          "[failure][orchestrator]") {
  for (const char* never : {"east", "west"}) {
    const std::string other = std::string(never) == "east" ? "west" : "east";
    const json report = run_scenario(test_scenario(orchestrator_failover(
                                         {{"promotion_rules", {{never, "must_not"}}}}, json::parse(R"([
      {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10}])"))))
                            .report;
    const auto f = failovers_of(report, "shard_master");
    REQUIRE(f.size() == 1);
    CHECK(f[0]["promoted"] == "shard_slave_" + other + "_1");
  }
  // A crashed shard master ships nothing more, so its slaves end level: west's prefer rule beats
  // the tie-break to the shard masters' geo (east).
  const json report = run_scenario(test_scenario(orchestrator_failover(
                                       {{"promotion_rules", {{"west", "prefer"}}}}, json::parse(R"([
      {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10}])"))))
                          .report;
  const auto f = failovers_of(report, "shard_master");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["promoted"] == "shard_slave_west_1");
}

TEST_CASE("orchestrator: a standby whose rule is must_not is not promoted", "[failure][orchestrator]") {
  json scenario = orchestrator_failover({{"promotion_rules", {{"west", "must_not"}}}}, json::parse(R"([
      {"kind": "crash", "nodes": ["active_master_global"], "at_s": 10}])"));
  scenario["global_master"] = {{"standby_geo", "west"}};
  const json report = run_scenario(test_scenario(scenario)).report;
  const auto f = failovers_of(report, "active_master");
  REQUIRE(f.size() == 1);
  CHECK(f[0]["promoted"].is_null());
  CHECK(timeline_has(report, "promotion_failed"));
}

TEST_CASE("orchestrator: a slave that recovers goes back on its SLB", "[failure][orchestrator]") {
  // Regression: the SLB's view once included the poll's validity, which no event re-checks, so a
  // slave restored before its next poll stayed off the SLB for good.
  const json report = run_scenario(test_scenario(orchestrator_failover(json::object(), json::parse(R"([
      {"kind": "crash", "nodes": ["shard_slave_west_1"], "at_s": 10, "duration_s": 10}])"))))
                          .report;
  bool off = false, back = false;
  for (const json& e : report["failures"]["timeline"]) {
    if (e["event"] != "routing_updated" || e["node"] != "shard_slave_west_1") continue;
    off = off || e["detail"] == "off the SLB";
    back = back || e["detail"] == "back on the SLB";
  }
  CHECK(off);
  CHECK(back);
}
