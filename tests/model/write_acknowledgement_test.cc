// Write acknowledgement (durability): semi_sync and quorum hold a write's answer until enough
// copies have applied it; what that adds to latency, and what it saves at a failover.
#include <cmath>

#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

json rule(const std::string& mode, json copies, int replicas = 1, double timeout_ms = 10000) {
  return json{
      {"mode", mode}, {"copies", std::move(copies)}, {"replicas", replicas}, {"timeout_ms", timeout_ms}};
}

// The base test scenario (masters and shard masters in east, 0.5 ms inside a geo) with the
// standby fed every `standby_batch_ms` and `durability` for both write paths.
json durable(const json& durability, double standby_batch_ms, json failures = json::array()) {
  json patch = json::object();
  patch["durability"] = {{"sync_writes", durability}, {"async_writes", durability}};
  patch["replication"]["master_to_standby"] = {{"batch_interval_ms", standby_batch_ms}};
  patch["failures"] = std::move(failures);
  patch["failover"] = {{"heartbeat_interval_ms", 100}, {"missed_heartbeats", 3}, {"promotion_ms", 200}};
  return patch;
}

}  // namespace

TEST_CASE("semi_sync waits for the standby's next batch and the round trip to it", "[model][durability]") {
  // The standby is shipped every B = 10 ms at a fixed phase: a commit waits U(0, B) for the next
  // batch, then 0.5 ms there and 0.5 ms for the acknowledgement back (applying costs nothing):
  // mean B/2 + 2d = 6 ms, between 2d and B + 2d.
  const json report = run_scenario(test_scenario(durable(rule("semi_sync", {"standby"}), 10))).report;
  const json& d = report["durability"]["sync_writes"];
  CHECK(d["mode"] == "semi_sync");
  const double held = d["held"].get<double>();
  REQUIRE(held > 1000);
  CHECK(d["acknowledged"].get<double>() >= held - 5);  // a few still held when the window closes
  const double se = 10.0 / std::sqrt(12.0) / std::sqrt(held);
  CHECK(std::abs(d["ack_wait_mean_ms"].get<double>() - 6.0) < 3 * se + 0.01);
  CHECK(d["ack_wait_max_ms"].get<double>() <= 11.0 + 1e-6);
  CHECK(d["fallbacks_to_async"] == 0);
  // The client sees it: east's sync writes take about 6 ms more than at the commit alone.
  const json async_report = run_scenario(test_scenario(durable(rule("async", {"standby"}), 10))).report;
  const double added = report["requests"]["east"]["latency"]["sync_write"]["p50_ms"].get<double>() -
                       async_report["requests"]["east"]["latency"]["sync_write"]["p50_ms"].get<double>();
  CHECK(added > 3.0);
  CHECK(added < 9.0);
  CHECK(async_report["durability"]["sync_writes"] == json{{"mode", "async"}});
}

TEST_CASE("quorum writes that count the standby lose no acknowledged write at a master crash; async does",
          "[model][durability]") {
  // The standby is 200 ms behind at worst: async loses about lambda x B / 2 writes at the crash.
  const json crash = json::parse(
      R"([{"kind": "crash", "nodes": ["active_master_global"], "at_s": 10.05, "duration_s": 3}])");
  std::uint64_t async_lost = 0;
  for (const int seed : {1, 2, 3}) {
    INFO("seed " << seed);
    json fast = durable(rule("quorum", {"standby"}), 200, crash);
    fast["seed"] = seed;
    const json quorum = run_scenario(test_scenario(fast)).report;
    const json& f = quorum["failures"]["failovers"][0];
    CHECK(f["acknowledged_writes_lost"] == 0);
    CHECK(f["writes_lost"] == f["unacknowledged_writes_lost"]);
    CHECK(quorum["invariants"]["ok"] == true);
    json slow = durable(rule("async", {"standby"}), 200, crash);
    slow["seed"] = seed;
    const json async = run_scenario(test_scenario(slow)).report;
    const json& g = async["failures"]["failovers"][0];
    CHECK(g["unacknowledged_writes_lost"] == 0);
    CHECK(g["acknowledged_writes_lost"] == g["writes_lost"]);
    async_lost += g["acknowledged_writes_lost"].get<std::uint64_t>();
  }
  CHECK(async_lost > 0);
}

TEST_CASE("semi_sync falls back to async when its copy is gone, and switches back once it catches up",
          "[model][durability]") {
  const json report =
      run_scenario(test_scenario(durable(rule("semi_sync", {"standby"}, 1, 1000), 10, json::parse(R"([
    {"kind": "crash", "nodes": ["passive_master_global"], "at_s": 5, "duration_s": 8}])"))))
          .report;
  const json& d = report["durability"]["sync_writes"];
  CHECK(d["fallbacks_to_async"] == 1);
  // Off from 1 s after the crash until the standby is back and has caught up.
  CHECK(d["time_fallen_back_s"].get<double>() > 6.9);
  CHECK(d["time_fallen_back_s"].get<double>() < 7.5);
  CHECK(d["fallen_back_at_end"] == false);
  CHECK(d["answered_while_fallen_back"].get<std::uint64_t>() > 100);
  CHECK(report["invariants"]["ok"] == true);
}

TEST_CASE("a quorum write that waits past its timeout fails to its client", "[model][durability]") {
  const json report =
      run_scenario(test_scenario(durable(rule("quorum", {"standby"}, 1, 1000), 10, json::parse(R"([
    {"kind": "crash", "nodes": ["passive_master_global"], "at_s": 5, "duration_s": 8}])"))))
          .report;
  const json& d = report["durability"]["sync_writes"];
  CHECK(d["timed_out"].get<std::uint64_t>() > 100);
  CHECK(report["requests"]["east"]["failed_by_operation"]["sync_write"].get<std::uint64_t>() > 100);
  CHECK(report["durability"]["async_writes"]["timed_out"].get<std::uint64_t>() > 0);
}

TEST_CASE("two copies of two: a write waits for the slower one", "[model][durability]") {
  const json one =
      run_scenario(test_scenario(durable(rule("semi_sync", {"standby", "shard_master"}, 1), 10))).report;
  const json two =
      run_scenario(test_scenario(durable(rule("semi_sync", {"standby", "shard_master"}, 2), 10))).report;
  const double wait_one = one["durability"]["sync_writes"]["ack_wait_mean_ms"].get<double>();
  const double wait_two = two["durability"]["sync_writes"]["ack_wait_mean_ms"].get<double>();
  CHECK(wait_one < wait_two);
  CHECK(wait_one > 1.0);   // at least the round trip
  CHECK(wait_two < 11.0);  // at most a batch interval and the round trip
}
