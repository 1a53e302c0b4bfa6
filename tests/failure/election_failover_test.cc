// The election policy end to end: the failover coordinator acting on the replica sets' elections
// (who wins, that oplog batches count as contact with the primary, what a set without a majority
// does).
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

// The base test scenario (masters in east; 0.5 ms inside a geo, 20 ms between) under elections
// with a 2 s election timeout, heartbeats every 0.5 s and a 2 s heartbeat timeout.
json election_failover(json election, json failures) {
  election.merge_patch(
      {{"election_timeout_ms", 2000}, {"heartbeat_interval_ms", 500}, {"heartbeat_timeout_ms", 2000}});
  return json{{"duration_s", 40},
              {"failover", {{"policy", "election"}, {"election", std::move(election)}}},
              {"failures", std::move(failures)}};
}

const json* failover_of(const json& report, const std::string& role) {
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == role) return &f;
  return nullptr;
}

bool timeline_has(const json& report, const std::string& event) {
  for (const json& e : report["failures"]["timeline"])
    if (e["event"] == event) return true;
  return false;
}

}  // namespace

TEST_CASE("election: a crashed global master is replaced by the standby, elected with the arbiter's vote",
          "[failure][election]") {
  const json report = run_scenario(test_scenario(election_failover({{"arbiters", {"west"}}}, json::parse(R"([
    {"kind": "crash", "nodes": ["active_master_global"], "at_s": 10, "duration_s": 15}])"))))
                          .report;
  const json* f = failover_of(report, "active_master");
  REQUIRE(f != nullptr);
  CHECK((*f)["false_failover"] == false);
  CHECK((*f)["promoted"] == "passive_master_global");
  // Oplog batches every 10 ms keep the standby's contact with the primary up to the crash, so its
  // timer fires 2 s to 2.3 s after it. Then a dry run and a real election (a round trip to west
  // each) and the catch-up's heartbeat round trip: 3 x 40 ms.
  const double detection = (*f)["detection_s"].get<double>();
  CHECK(detection >= 2.0 + 0.12 - 0.05);
  CHECK(detection <= 2.3 + 0.12 + 0.01);
  CHECK((*f)["promotion_s"].get<double>() == 0);  // the winner promotes itself
  CHECK((*f)["completed"] == true);
  CHECK(report["invariants"]["ok"] == true);
  CHECK(timeline_has(report, "elected"));
}

TEST_CASE("election: two global masters without an arbiter cannot elect, and say why",
          "[failure][election]") {
  const json report = run_scenario(test_scenario(election_failover(json::object(), json::parse(R"([
    {"kind": "crash", "nodes": ["active_master_global"], "at_s": 10, "duration_s": 15}])"))))
                          .report;
  CHECK(failover_of(report, "active_master") == nullptr);
  CHECK(timeline_has(report, "cannot_see_majority"));
  CHECK_FALSE(timeline_has(report, "elected"));
  // Once the master is back it is primary again, and the writes resume.
  CHECK(report["invariants"]["ok"] == true);
}

TEST_CASE("election: a crashed shard master is replaced by a slave its set elected", "[failure][election]") {
  const json report = run_scenario(test_scenario(election_failover({{"arbiters", {"east"}}}, json::parse(R"([
    {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10}])"))))
                          .report;
  const json* f = failover_of(report, "shard_master");
  REQUIRE(f != nullptr);
  CHECK((*f)["false_failover"] == false);
  const std::string promoted = (*f)["promoted"].get<std::string>();
  CHECK((promoted == "shard_slave_east_1" || promoted == "shard_slave_west_1"));
  CHECK((*f)["detection_s"].get<double>() >= 2.0 - 0.05);
  CHECK((*f)["detection_s"].get<double>() <= 2.3 + 0.2);
  CHECK(report["invariants"]["ok"] == true);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("election: priority 0 keeps a geo's slaves from becoming shard master", "[failure][election]") {
  for (const char* never : {"east", "west"}) {
    const std::string other = std::string(never) == "east" ? "west" : "east";
    const json report =
        run_scenario(test_scenario(election_failover({{"arbiters", {"east"}}, {"priority", {{never, 0}}}},
                                                     json::parse(R"([
      {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10}])"))))
            .report;
    const json* f = failover_of(report, "shard_master");
    REQUIRE(f != nullptr);
    CHECK((*f)["promoted"] == "shard_slave_" + other + "_1");
  }
}

TEST_CASE(
    "election: a crashed slave leaves its SLB once its geo's router has not heard it for the heartbeat "
    "timeout",
    "[failure][election]") {
  const json report = run_scenario(test_scenario(election_failover({{"arbiters", {"east"}}}, json::parse(R"([
    {"kind": "crash", "nodes": ["shard_slave_west_1"], "at_s": 10, "duration_s": 10}])"))))
                          .report;
  const json* f = failover_of(report, "shard_slave");
  REQUIRE(f != nullptr);
  CHECK((*f)["false_failover"] == false);
  // The last beat reached the router up to 0.5 s before the crash; silence of 2 s declares it.
  CHECK((*f)["detection_s"].get<double>() >= 1.5 - 0.001);
  CHECK((*f)["detection_s"].get<double>() <= 2.0 + 0.001);
  CHECK(report["invariants"]["ok"] == true);
}

TEST_CASE("election: settings without the policy, and unknown arbiter geos, are refused",
          "[failure][election]") {
  json document = shardsim::testing::base_scenario_json();
  document["failover"] = {{"election", {{"arbiters", {"north"}}}}};
  try {
    shardsim::load_scenario_text(document.dump(), "test.json");
    FAIL("expected an error");
  } catch (const std::exception& e) {
    const std::string what = e.what();
    CHECK(what.find("only used with \"policy\": \"election\"") != std::string::npos);
    CHECK(what.find("unknown geo \"north\"") != std::string::npos);
  }
}

TEST_CASE("election: the shard's first master, elected back, is promoted without touching the SLBs",
          "[failure][election]") {
  // Regression: the original shard master's replica id is its shard number, which the promotion
  // once took for a slave id and removed that slave from its SLB.
  const json report = run_scenario(test_scenario(election_failover(
                                       {{"arbiters", {"east"}}, {"priority", {{"west", 0}}}}, json::parse(R"([
    {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10, "duration_s": 5},
    {"kind": "crash", "nodes": ["shard_slave_east_1"], "at_s": 30}])"))))
                          .report;
  std::vector<std::string> promoted;
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == "shard_master" && f["promoted"].is_string()) promoted.push_back(f["promoted"]);
  REQUIRE(promoted.size() == 2);
  CHECK(promoted[0] == "shard_slave_east_1");
  CHECK(promoted[1] == "shard_master_global_1");
  for (const json& e : report["failures"]["timeline"]) {
    if (e["event"] == "routing_updated") CHECK(e["node"] != "shard_slave_west_1");  // never drained
  }
  CHECK(report["invariants"]["ok"] == true);
  CHECK(report["convergence"]["converged"] == true);
}
