// Sentinel's replica-priority and parallel-syncs (Redis 7.2 sentinel.c: compareSlavesForPromotion,
// sentinelFailoverReconfNextSlave): the candidate choice, and the leader's re-pointing of the other
// replicas after the promotion, parallel_syncs at a time.
#include <cmath>

#include <catch2/catch.hpp>

#include "shardsim/report/summary.h"
#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

const json* failover_of(const json& report, const std::string& role) {
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == role) return &f;
  return nullptr;
}

json sentinels(json extra = json::object()) {
  json s = {{"geos", {"east", "east", "east"}},
            {"quorum", 2},
            {"down_after_ms", 2000},
            {"failover_timeout_ms", 60000}};
  s.merge_patch(extra);
  return s;
}

// Four shards of 1000 keys; the standby is fed once a second and the shard masters every 10 ms, so
// at the master's crash every shard master holds writes the standby never got: each needs a full
// resync, a snapshot whose load costs 1000 keys x 5 ms = 5 s.
json crash_with_four_shard_masters(int parallel_syncs) {
  return {
      {"duration_s", 45},
      {"keys", {{"count", 4000}}},
      {"shards", {{"shard_count", 4}}},
      {"replication",
       {{"master_to_standby", {{"batch_interval_ms", 1000}}},
        {"master_to_shard_master", {{"apply_ms_per_entry", 5}}}}},
      {"failover", {{"policy", "sentinel"}, {"sentinel", sentinels({{"parallel_syncs", parallel_syncs}})}}},
      {"failures", json::parse(R"([{"kind": "crash", "nodes": ["active_master_global"], "at_s": 5}])")}};
}

}  // namespace

TEST_CASE("sentinel parallel_syncs: the reconfiguration takes ceil(replicas / parallel_syncs) resyncs",
          "[failure][sentinel][parallel_syncs]") {
  const double resync_s = 1000 * 0.005;  // the snapshot's load; its trip and the ship tick add ~10 ms
  // Per batch the leader learns of the done sync at its next INFO poll (a second apart) and sends
  // the next REPLICAOF at its next tick: at most about 1.2 s more.
  const double overhead_s = 1.25;
  double phase_of_one = 0;
  for (const int p : {1, 2, 4}) {
    const json report = run_scenario(test_scenario(crash_with_four_shard_masters(p))).report;
    const json* f = failover_of(report, "active_master");
    REQUIRE(f != nullptr);
    REQUIRE((*f)["promoted"] == "passive_master_global");
    const json& r = (*f)["reconfiguration"];
    CHECK(r["replicas"] == 4);
    CHECK(r["reconfigured"] == 4);
    CHECK(r["full_syncs"] == 4);
    CHECK(r["timed_out"] == false);
    const int batches = (4 + p - 1) / p;
    // Rounds of REPLICAOF: a rolling window of p, so a freed slot starts a round of its own.
    CHECK(r["batches"].get<int>() >= batches);
    CHECK(r["batches"].get<int>() <= (p == 4 ? 1 : 4));
    const double phase = (*f)["reconfiguration_s"].get<double>();
    INFO("parallel_syncs " << p << ": reconfiguration " << phase << " s");
    CHECK(phase >= batches * resync_s);
    CHECK(phase <= batches * (resync_s + overhead_s));
    CHECK(shardsim::render_summary(report).find("the leader re-pointed 4 of 4 replica(s)") !=
          std::string::npos);
    if (p == 1) phase_of_one = phase;
    if (p == 4) CHECK(phase_of_one / phase > 3.0);
    // Each step of the failover is a field of its record.
    CHECK((*f)["detection_s"].is_number());
    CHECK((*f)["election_s"].is_number());
    CHECK((*f)["promotion_s"].is_number());
    CHECK(r["started_at_s"].get<double>() >=
          (*f)["detected_at_s"].get<double>() + (*f)["promotion_s"].get<double>());
    CHECK(report["invariants"]["ok"] == true);
  }
}

TEST_CASE(
    "sentinel parallel_syncs: a new master with min-replicas-to-write refuses until a replica is re-pointed",
    "[failure][sentinel][parallel_syncs][min_replicas]") {
  json patch = crash_with_four_shard_masters(1);
  patch["shards"]["shard_count"] = 1;
  patch["keys"]["count"] = 1000;
  patch["global_master"] = {{"min_replicas_to_write", 1}, {"min_replicas_max_lag_s", 10}};
  const json report = run_scenario(test_scenario(patch)).report;
  const json* f = failover_of(report, "active_master");
  REQUIRE(f != nullptr);
  // The old master is dead, so the new one's only good replica is the shard master, once synced.
  double done = -1, refused = -1, good = -1;
  for (const json& e : report["failures"]["timeline"]) {
    if (e["event"] == "slave_reconf_done" && done < 0) done = e["at_s"].get<double>();
    if (e["event"] == "noreplicas" && e["node"] == "passive_master_global" && refused < 0)
      refused = e["at_s"].get<double>();
    if (e["event"] == "replicas_good" && e["node"] == "passive_master_global") good = e["at_s"].get<double>();
  }
  REQUIRE(done > 0);
  CHECK(refused > 0);
  CHECK(refused <= (*f)["reconfiguration"]["started_at_s"].get<double>());
  CHECK(std::abs(good - done) < 1e-6);
  CHECK(report["durability"]["min_replicas"]["refused_writes"].get<double>() > 0);
  // The first write after the failure waits for the re-pointed replica.
  CHECK((*f)["write_unavailability_s"].get<double>() + 5 >= done - 0.01);
}

TEST_CASE("sentinel replica_priority: lower wins over position and nearness, 0 is never promoted",
          "[failure][sentinel][replica_priority]") {
  const json crash_shard_master =
      json::parse(R"([{"kind": "crash", "nodes": ["shard_master_global_1"], "at_s": 5}])");
  // Both slaves of shard 1 catch up with the crashed shard master; the tie goes to the one in the
  // shard masters' geo (east) unless priorities say otherwise.
  const auto promoted = [&](json priorities) {
    const json report =
        run_scenario(test_scenario({{"failover",
                                     {{"policy", "sentinel"},
                                      {"sentinel", sentinels({{"replica_priority", priorities}})}}},
                                    {"failures", crash_shard_master}}))
            .report;
    const json* f = failover_of(report, "shard_master");
    REQUIRE(f != nullptr);
    return (*f)["promoted"];
  };
  CHECK(promoted(json::object()) == "shard_slave_east_1");
  CHECK(promoted({{"shard_slave_west_1", 10}}) == "shard_slave_west_1");
  CHECK(promoted({{"shard_slave_east_1", 0}}) == "shard_slave_west_1");
  CHECK(promoted({{"shard_slave_east_1", 0}, {"shard_slave_west_1", 0}}).is_null());

  // The standby of the global master with priority 0: no promotion.
  const json report =
      run_scenario(
          test_scenario(
              {{"failover",
                {{"policy", "sentinel"},
                 {"sentinel", sentinels({{"replica_priority", {{"passive_master_global", 0}}}})}}},
               {"failures",
                json::parse(R"([{"kind": "crash", "nodes": ["active_master_global"], "at_s": 5}])")}}))
          .report;
  bool refused = false;
  for (const json& e : report["failures"]["timeline"])
    refused = refused || (e["event"] == "promotion_failed" && e["detail"] == "its replica-priority is 0");
  CHECK(refused);
  CHECK(shardsim::testing::load_error_of(
            {{"failover",
              {{"policy", "sentinel"},
               {"sentinel", sentinels({{"replica_priority", {{"shard_slave_north_1", 1}}}})}}}})
            .find("unknown node") != std::string::npos);
}
