// Lazy replication through the hops of the seed diagram: master -> standby, master -> shard
// master -> slaves, in order and in batches.
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

TEST_CASE("end-to-end lag is the sum of the hops' latencies and batching", "[model][replication]") {
  // Constant latencies, no apply cost: master->shard master (intra, 0.5 ms) then shard master ->
  // west slave (20 ms), each batched every 10 ms. Lag lies in [20.5, 40.5] ms.
  const json report = run_scenario(test_scenario()).report;
  const json& west = report["consistency_lag"]["geos"]["west"]["end_to_end"];
  CHECK(west["count"].get<std::uint64_t>() > 1000);
  CHECK(west["max_ms"].get<double>() <= 40.5 * 1.01);
  CHECK(west["p50_ms"].get<double>() >= 20.5);
  const json& hop = report["consistency_lag"]["geos"]["west"]["shard_master_to_slave"];
  CHECK(hop["max_ms"].get<double>() <= 30.0 * 1.01);
  CHECK(hop["p50_ms"].get<double>() >= 20.0);
}

TEST_CASE("a batch never carries more than its maximum, so a heavy write rate builds a backlog",
          "[model][replication]") {
  // 200 writes/s over 2 shards through a hop shipping at most 1 entry every 100 ms: lag grows.
  const json patch = {
      {"replication", {{"shard_master_to_slave", {{"batch_interval_ms", 100}, {"max_batch_entries", 1}}}}},
      {"workload", {{"east", {{"read_fraction", 0.0}}}, {"west", {{"read_fraction", 0.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  for (const json& stream : report["replication"]["streams"]) {
    const std::string target = stream["target"];
    if (target.rfind("shard_slave", 0) != 0) continue;
    CHECK(stream["entries_total"].get<std::uint64_t>() <= stream["batches_total"].get<std::uint64_t>());
    CHECK(stream["backlog_at_end"].get<std::uint64_t>() > 500);
  }
  CHECK(report["eighty_twenty"]["west"]["slave_data_ratio"]["always_holds"] == false);
}

TEST_CASE("every replica converges once writes stop", "[model][replication]") {
  const json report = run_scenario(test_scenario()).report;
  CHECK(report["convergence"]["converged"] == true);
  CHECK(report["convergence"]["lagging_copies"].empty());
}

TEST_CASE("the fresh share of a geo's slaves is the share of keys at the master's version",
          "[model][replication][eighty_twenty]") {
  // No writes: every key stays at version 0 everywhere, all fresh, all the time.
  const json patch = {{"workload", {{"east", {{"read_fraction", 1.0}}}, {"west", {{"read_fraction", 1.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  const json& ratio = report["eighty_twenty"]["east"]["slave_data_ratio"];
  CHECK(ratio["fresh_share_mean"] == 1.0);
  CHECK(ratio["fresh_share_min"] == 1.0);
  CHECK(ratio["always_holds"] == true);
}

TEST_CASE("a slave that crashes between two batches gets what it lost resent", "[model][replication]") {
  // Found by the simulation tester: a crash shorter than the batch interval fell between two ticks
  // of the stream, which never saw the slave down; the slave had lost the batch that reached it,
  // every later batch started past what it held and was dropped, and it never caught up. (Applying
  // takes about half of each interval here, so most crashes find entries received, not applied.)
  for (const double crash_at : {5.3, 7.61, 9.05, 12.47}) {
    INFO("crash at " << crash_at);
    json patch = json::object();
    patch["replication"]["shard_master_to_slave"] = {{"batch_interval_ms", 1000}, {"apply_ms_per_entry", 5}};
    patch["failures"] = json::array(
        {{{"kind", "crash"}, {"nodes", {"shard_slave_west_1"}}, {"at_s", crash_at}, {"duration_s", 0.02}}});
    const json report = run_scenario(test_scenario(patch)).report;
    CHECK(report["convergence"]["converged"] == true);
    CHECK(report["invariants"]["ok"] == true);
  }
}
