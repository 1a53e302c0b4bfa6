// The lease policy end to end: the failover coordinator acting on Patroni's leader key (who takes
// it, the leader that demotes itself when the store cannot confirm its renewal).
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

// The base test scenario (masters in east; 0.5 ms inside a geo, 20 ms between) under Patroni with
// ttl 20 s, loop_wait 5 s, retry_timeout 5 s.
json lease_failover(const json& store, json failures, double duration_s = 80) {
  return json{
      {"duration_s", duration_s},
      {"failover",
       {{"policy", "lease"},
        {"lease", {{"store_geos", store}, {"ttl_s", 20}, {"loop_wait_s", 5}, {"retry_timeout_s", 5}}}}},
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

TEST_CASE("lease: a crashed global master is replaced once its key expires", "[failure][lease]") {
  const json report =
      run_scenario(test_scenario(lease_failover(json::array({"east", "east", "west"}), json::parse(R"([
    {"kind": "crash", "nodes": ["active_master_global"], "at_s": 10, "duration_s": 40}])"))))
          .report;
  const json* f = failover_of(report, "active_master");
  REQUIRE(f != nullptr);
  CHECK((*f)["false_failover"] == false);
  CHECK((*f)["promoted"] == "passive_master_global");
  // ttl after the last renewal (up to a loop before the crash), the 2 s REST timeout on the dead
  // master, and a few store round trips (the store's majority is in east).
  const double detection = (*f)["detection_s"].get<double>();
  CHECK(detection >= 20 + 2 - 5);
  CHECK(detection <= 20 + 2 + 0.1);
  CHECK((*f)["completed"] == true);
  CHECK(report["invariants"]["ok"] == true);
  CHECK(timeline_has(report, "acquired_key"));
}

TEST_CASE("lease: a crashed shard master is replaced by a slave that took its key", "[failure][lease]") {
  const json report =
      run_scenario(test_scenario(lease_failover(json::array({"east", "east", "west"}), json::parse(R"([
    {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10}])"))))
          .report;
  const json* f = failover_of(report, "shard_master");
  REQUIRE(f != nullptr);
  const std::string promoted = (*f)["promoted"].get<std::string>();
  CHECK((promoted == "shard_slave_east_1" || promoted == "shard_slave_west_1"));
  CHECK(report["invariants"]["ok"] == true);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE(
    "lease: a master cut off from the store's majority refuses writes, and nobody in its geo replaces it",
    "[failure][lease]") {
  // The whole store in west; east (the masters, the standby, an east slave per shard) is cut off
  // from it for 30 s.
  const json report =
      run_scenario(test_scenario(lease_failover(json::array({"west", "west", "west"}), json::parse(R"([
    {"kind": "partition", "between": ["east", "west"], "at_s": 10, "duration_s": 30, "mode": "drop"}])"))))
          .report;
  // The first renewal after the cut fails at its retry_timeout: within a loop and a retry timeout.
  bool refused = false;
  for (const json& e : report["failures"]["timeline"]) {
    if (e["event"] == "writes_refused") {
      refused = true;
      CHECK(e["at_s"].get<double>() <= 10 + 5 + 5 + 0.01);
    }
  }
  CHECK(refused);
  CHECK(report["failures"]["summary"]["sync_writes_failed"].get<double>() > 0);
  // The store is whole, so the keys expire. The standby cannot reach it, so the global master is
  // not replaced while the cut lasts. Each shard's west slave can, and takes its shard's key: a
  // false failover of the shard master, counted as such.
  for (const json& f : report["failures"]["failovers"]) {
    if (f["role"] == "active_master") CHECK(f["detected_at_s"].get<double>() >= 40);
    if (f["role"] == "shard_master") {
      CHECK(f["false_failover"] == true);
      CHECK(f["promoted"].get<std::string>().rfind("shard_slave_west_", 0) == 0);
    }
  }
  CHECK(failover_of(report, "shard_master") != nullptr);
  CHECK(report["invariants"]["ok"] == true);
}

TEST_CASE("lease: priority 0 (nofailover) keeps a geo's slaves from taking a shard's key",
          "[failure][lease]") {
  for (const char* never : {"east", "west"}) {
    const std::string other = std::string(never) == "east" ? "west" : "east";
    json scenario = lease_failover(json::array({"east", "east", "west"}), json::parse(R"([
      {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10}])"));
    scenario["failover"]["lease"]["priority"] = {{never, 0}};
    const json report = run_scenario(test_scenario(scenario)).report;
    const json* f = failover_of(report, "shard_master");
    REQUIRE(f != nullptr);
    CHECK((*f)["promoted"] == "shard_slave_" + other + "_1");
  }
}

TEST_CASE("lease: Patroni's timing rule and a missing store are refused", "[failure][lease]") {
  json document = shardsim::testing::base_scenario_json();
  document["failover"] = {{"policy", "lease"}};
  CHECK_THROWS_WITH(shardsim::load_scenario_text(document.dump(), "test.json"),
                    Catch::Contains("missing required key \"lease\""));
  document["failover"]["lease"] = {
      {"store_geos", {"east"}}, {"ttl_s", 20}, {"loop_wait_s", 10}, {"retry_timeout_s", 10}};
  CHECK_THROWS_WITH(shardsim::load_scenario_text(document.dump(), "test.json"),
                    Catch::Contains("loop_wait_s + 2 x retry_timeout_s <= ttl_s"));
}
