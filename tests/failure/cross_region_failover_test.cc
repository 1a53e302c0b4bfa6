// failover.prevent_cross_region_failover: a partition that leaves the detectors' quorum on the far
// side of the master fails it over to a standby over there when the switch is off, and not when it
// is on (issue 16's "done when").
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

// Masters in east, the standby in west, two of three sentinels in west; east and west cut apart
// (dropping) from 10 s to 30 s.
json split_from_the_sentinels(bool prevent, const char* policy) {
  json scenario = {
      {"duration_s", 40}, {"global_master", {{"standby_geo", "west"}}}, {"failures", json::parse(R"([
      {"kind": "partition", "between": ["east", "west"], "at_s": 10, "duration_s": 20, "mode": "drop"}])")}};
  if (std::string(policy) == "sentinel") {
    scenario["failover"] = {{"policy", "sentinel"},
                            {"prevent_cross_region_failover", prevent},
                            {"sentinel",
                             {{"geos", {"west", "west", "east"}},
                              {"quorum", 2},
                              {"down_after_ms", 2000},
                              {"failover_timeout_ms", 5000}}}};
  } else {
    scenario["failover"] = {{"policy", "election"},
                            {"prevent_cross_region_failover", prevent},
                            {"election",
                             {{"arbiters", {"west"}},
                              {"election_timeout_ms", 2000},
                              {"heartbeat_interval_ms", 500},
                              {"heartbeat_timeout_ms", 2000}}}};
  }
  return scenario;
}

const json* master_failover(const json& report) {
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == "active_master") return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("cross-region failover: allowed, the far side promotes its standby; prevented, it does not",
          "[failure][cross_region]") {
  for (const char* policy : {"sentinel", "election"}) {
    INFO(policy);
    const json allowed = run_scenario(test_scenario(split_from_the_sentinels(false, policy))).report;
    const json* f = master_failover(allowed);
    REQUIRE(f != nullptr);
    CHECK((*f)["false_failover"] == true);
    CHECK((*f)["promoted"] == "passive_master_global");
    CHECK((*f)["detected_at_s"].get<double>() < 30);
    CHECK(allowed["invariants"]["ok"] == true);

    const json prevented = run_scenario(test_scenario(split_from_the_sentinels(true, policy))).report;
    const json* g = master_failover(prevented);
    if (g != nullptr) CHECK((*g)["promoted"].is_null());  // decided, but refused
    // Nothing crosses: no west node becomes a master (an east slave may replace an east shard
    // master the far side sees down; the standby and the west slaves may not).
    for (const json& e : prevented["failures"]["timeline"]) {
      if (e["event"] == "promoted") {
        CHECK(e["node"] != "passive_master_global");
        CHECK(e["node"].get<std::string>().find("west") == std::string::npos);
      }
    }
    CHECK(prevented["invariants"]["ok"] == true);
  }
}
