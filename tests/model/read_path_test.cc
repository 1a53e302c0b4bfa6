// The read path of the seed diagram: READ_API -> CLB -> cache, on a miss SLB -> shard slave of the
// client's own geo, then a cache fill.
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

std::uint64_t slave_reads(const json& report, const std::string& geo) {
  std::uint64_t total = 0;
  for (const json& shard : report["load_balancers"][geo]["slb"]) {
    for (const json& slave : shard["slaves"]) total += slave["reads"].get<std::uint64_t>();
  }
  return total;
}

}  // namespace

TEST_CASE("reads are served only by the client's own geo", "[model][read_path]") {
  const json patch = {{"workload", {{"west", {{"rate_per_s", 0}}}, {"east", {{"read_fraction", 1.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  CHECK(slave_reads(report, "east") > 0);
  CHECK(slave_reads(report, "west") == 0);
  CHECK(report["caches"]["west"]["lookups"] == 0);
  CHECK(report["invariants"]["ok"] == true);
}

TEST_CASE("cache-aside: a miss reads a slave and fills the cache, later reads hit", "[model][read_path]") {
  // Reads only, no writes and a TTL longer than the run: after the first read of each of the 100
  // keys fills the cache, every read hits.
  const json patch = {{"workload", {{"west", {{"rate_per_s", 0}}}, {"east", {{"read_fraction", 1.0}}}}},
                      {"report", {{"warmup_s", 5}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  const json& east = report["requests"]["east"]["latency"];
  CHECK(east["read_hit"]["count"].get<std::uint64_t>() > 2500);
  CHECK(east["read_miss"]["count"] == 0);
  CHECK(report["caches"]["east"]["hit_ratio"] == 1.0);
  CHECK(report["caches"]["east"]["keys_held_at_end"] == 100);
}

TEST_CASE("a geo without cache nodes reads the slaves directly", "[model][read_path]") {
  const json patch = {{"caches", {{"east", {{"nodes", 0}}}}},
                      {"workload", {{"west", {{"rate_per_s", 0}}}, {"east", {{"read_fraction", 1.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  CHECK(report["caches"]["east"]["lookups"] == 0);
  CHECK(report["requests"]["east"]["latency"]["read_miss"]["count"].get<std::uint64_t>() > 3000);
}

TEST_CASE("the SLB spreads a geo's reads over the slaves of the key's shard", "[model][read_path]") {
  const json patch = {{"slaves", {{"per_shard_per_geo", {{"east", 4}, {"west", 1}}}}},
                      {"caches", {{"east", {{"nodes", 0}}}}},
                      {"keys", {{"count", 10000}}},
                      {"workload", {{"west", {{"rate_per_s", 0}}}, {"east", {{"read_fraction", 1.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  for (const json& shard : report["load_balancers"]["east"]["slb"]) {
    REQUIRE(shard["slaves"].size() == 4);
    for (const json& slave : shard["slaves"]) CHECK(slave["load_share"].get<double>() > 0.1);
    CHECK(shard["max_over_mean"].get<double>() < 1.5);
  }
}

TEST_CASE("a stale read is counted when a slave lags a write", "[model][read_path]") {
  // A slow slave hop (1 s batches) and many writes to few keys: slaves often hold old versions.
  const json patch = {{"keys", {{"count", 10}}},
                      {"caches", {{"east", {{"nodes", 0}}}, {"west", {{"nodes", 0}}}}},
                      {"replication", {{"shard_master_to_slave", {{"batch_interval_ms", 1000}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  const json& slave = report["staleness"]["east"]["slave"];
  CHECK(slave["stale_reads"].get<std::uint64_t>() > 0);
  CHECK(slave["stale_share"].get<double>() > 0.3);
  // Nothing can be older than the whole lag: batch interval + latencies (+ a little).
  CHECK(slave["staleness_age"]["max_ms"].get<double>() < 1100);
}
