// The sentinel policy end to end: the failover coordinator acting on the sentinels' decisions
// (who is elected, from which geo the promotion and the news leave).
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

// The base test scenario (masters in east; 0.5 ms inside a geo, 20 ms between) with sentinels.
json sentinel_failover(const json& geos, int quorum, json failures) {
  return json{
      {"duration_s", 40},
      {"failover",
       {{"policy", "sentinel"},
        {"sentinel",
         {{"geos", geos}, {"quorum", quorum}, {"down_after_ms", 2000}, {"failover_timeout_ms", 5000}}}}},
      {"failures", std::move(failures)}};
}

const json& only_failover(const json& report, const std::string& role) {
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == role) return f;
  FAIL("no failover of a " << role);
  throw;
}

}  // namespace

TEST_CASE("sentinel: a crashed global master is failed over by the elected leader", "[failure][sentinel]") {
  const json report =
      run_scenario(test_scenario(sentinel_failover(json::array({"east", "east", "west"}), 2, json::parse(R"([
    {"kind": "crash", "nodes": ["active_master_global"], "at_s": 10, "duration_s": 15}])"))))
          .report;
  const json& f = only_failover(report, "active_master");
  CHECK(f["false_failover"] == false);
  CHECK(f["promoted"] == "passive_master_global");
  // Down-after 2 s, a ping cycle of about 1 s, three ticks (SDOWN, ODOWN, the vote count) and the
  // round trips (the validation test checks the distribution; here the window).
  CHECK(f["detection_s"].get<double>() >= 2.0 - 0.001);
  CHECK(f["detection_s"].get<double>() <= 2.0 + 1.05 + 0.3 + 0.1);
  // The promotion is the leader's two failover steps (a tick share and a tick: at least 1/19 s, at
  // most 0.2 s), then one message from the leader (in east or west) to the standby (in east).
  CHECK(f["promotion_s"].get<double>() >= 1.0 / 19);
  CHECK(f["promotion_s"].get<double>() <= 0.2 + 0.0201);
  // The leader sees the new role within its 1 s INFO poll (the answer travels back to it), then
  // tells every geo, each of which switches after routing_update_ms (100).
  CHECK(f["routing_s"].get<double>() <= 1.0 + 0.02 + 0.02 + 0.1 + 0.0001);
  CHECK(f["completed"] == true);
  CHECK(report["invariants"]["ok"] == true);
  bool elected = false;
  for (const json& e : report["failures"]["timeline"]) elected = elected || e["event"] == "elected_leader";
  CHECK(elected);
}

TEST_CASE("sentinel: a crashed shard master is replaced by its most caught-up slave", "[failure][sentinel]") {
  const json report =
      run_scenario(test_scenario(sentinel_failover(json::array({"east", "west", "west"}), 2, json::parse(R"([
    {"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 10}])"))))
          .report;
  const json& f = only_failover(report, "shard_master");
  CHECK(f["false_failover"] == false);
  CHECK(f["promoted"].is_string());
  CHECK(f["detection_s"].get<double>() >= 2.0 - 0.02);
  CHECK(report["invariants"]["ok"] == true);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("sentinel: a crashed slave leaves its SLB when the sentinel of its geo sees it down",
          "[failure][sentinel]") {
  const json report =
      run_scenario(test_scenario(sentinel_failover(json::array({"east", "west", "west"}), 2, json::parse(R"([
    {"kind": "crash", "nodes": ["shard_slave_west_1"], "at_s": 10, "duration_s": 10}])"))))
          .report;
  const json& f = only_failover(report, "shard_slave");
  CHECK(f["false_failover"] == false);
  CHECK(f["detection_s"].get<double>() >= 2.0 - 0.001);
  CHECK(f["detection_s"].get<double>() <= 2.0 + 1.05 + 0.1);
  CHECK(f["completed"] == true);
}

TEST_CASE(
    "sentinel: a partition that leaves a quorum and a majority on the far side fails a healthy master over",
    "[failure][sentinel]") {
  // Two of three sentinels in west with the standby, the master in east: cut off for 10 s, the west
  // sentinels see the master down, agree, elect one of them and promote the standby. A false
  // failover, counted.
  json far_side = sentinel_failover(json::array({"east", "west", "west"}), 2, json::parse(R"([
    {"kind": "partition", "between": ["east", "west"], "at_s": 10, "duration_s": 10}])"));
  far_side["global_master"] = {{"standby_geo", "west"}};
  const json far = run_scenario(test_scenario(far_side)).report;
  const json& f = only_failover(far, "active_master");
  CHECK(f["false_failover"] == true);
  CHECK(f["promoted"] == "passive_master_global");
  CHECK(f["detected_at_s"].get<double>() < 20);  // decided during the partition
  // With the standby beside the cut-off master, the leader's promotion cannot reach it within
  // failover_timeout (5 s): Redis aborts the failover, and after the partition the master answers
  // again, so nothing is promoted.
  const json held =
      run_scenario(test_scenario(sentinel_failover(json::array({"east", "west", "west"}), 2, json::parse(R"([
    {"kind": "partition", "between": ["east", "west"], "at_s": 10, "duration_s": 10}])"))))
          .report;
  const json& g = only_failover(held, "active_master");
  CHECK(g["promoted"].is_null());
  bool aborted = false;
  for (const json& e : held["failures"]["timeline"]) aborted = aborted || e["event"] == "failover_abort";
  CHECK(aborted);
  // With the majority beside the masters, the lone west sentinel can neither reach a quorum of 2
  // nor win a vote: no failover.
  const json near =
      run_scenario(test_scenario(sentinel_failover(json::array({"east", "east", "west"}), 2, json::parse(R"([
    {"kind": "partition", "between": ["east", "west"], "at_s": 10, "duration_s": 10}])"))))
          .report;
  for (const json& record : near["failures"]["failovers"]) CHECK(record["role"] != "active_master");
}

TEST_CASE("sentinel: a master killed on a live host is seen down down_after after the reset",
          "[failure][sentinel]") {
  // Sentinels in east and west; the reset reaches west after 20 ms. Each reconnects at a tick
  // and its unanswered ping starts the 2 s clock; SDOWN at a tick, ODOWN and the votes each a
  // round trip (up to 40 ms) and a tick: detection within 2 s + 20 ms + 0.5 s + 80 ms, whatever
  // the phase of the pings (silent crashes may take a ping period more).
  for (const double at : {10.0, 10.25, 10.5, 10.75}) {
    const json report =
        run_scenario(test_scenario(sentinel_failover(json::array({"east", "west", "west"}), 2,
                                                     json::array({{{"kind", "crash"},
                                                                   {"nodes", {"active_master_global"}},
                                                                   {"at_s", at},
                                                                   {"duration_s", 15},
                                                                   {"host_up", true}}}))))
            .report;
    const json& f = only_failover(report, "active_master");
    INFO("crash at " << at << " s: detection " << f["detection_s"]);
    CHECK(f["false_failover"] == false);
    CHECK(f["detection_s"].get<double>() >= 2.0);
    CHECK(f["detection_s"].get<double>() <= 2.0 + 0.02 + 0.5 + 0.08);
    bool noted = false;
    for (const json& e : report["failures"]["timeline"])
      noted = noted || (e["event"] == "crash" && e["detail"] == "process killed, host up");
    CHECK(noted);
  }
}
