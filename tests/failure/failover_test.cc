// Failure injection and automatic failover, checked against their definitions.
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::Distribution;
using shardsim::FailureSpec;
using shardsim::from_s;
using shardsim::run_scenario;
using shardsim::Scenario;
using shardsim::testing::crash;
using shardsim::testing::test_scenario;

namespace {

// Heartbeats every 100 ms, 3 missed beats, promotion 500 ms, routing update 50 ms; the monitor
// sits with the masters in east (0.5 ms away).
Scenario with_failover(const json& patch = json::object()) {
  Scenario s = test_scenario(patch);
  s.failover.monitor_geo = 0;
  s.failover.heartbeat_interval = 100 * shardsim::kMillisecond;
  s.failover.missed_heartbeats = 3;
  s.failover.promotion_ms = Distribution::constant(500);
  s.failover.routing_update_ms = Distribution::constant(50);
  return s;
}

const json& first_failover(const json& report) {
  return report["failures"]["failovers"].at(0);
}

}  // namespace

TEST_CASE("a crashed active master is detected within its heartbeat window", "[failure][failover]") {
  Scenario s = with_failover();
  s.failures.push_back(crash("active_master_global", 5.0));
  const json report = run_scenario(s).report;
  const json& f = first_failover(report);
  CHECK(f["role"] == "active_master");
  CHECK(f["false_failover"] == false);
  // (k-1)h + d <= detection <= kh + d, d = 0.5 ms one way (constant).
  CHECK(f["detection_s"].get<double>() >= 0.2005 - 1e-9);
  CHECK(f["detection_s"].get<double>() <= 0.3005 + 1e-9);
  CHECK(f["promotion_s"].get<double>() == Approx(0.5));
  CHECK(f["promoted"] == "passive_master_global");
}

TEST_CASE("write unavailability is detection + promotion + routing, then the next write",
          "[failure][failover]") {
  Scenario s = with_failover({{"workload", {{"east", {{"rate_per_s", 2000}}}}}});
  s.failures.push_back(crash("active_master_global", 5.0));
  const json report = run_scenario(s).report;
  const json& f = first_failover(report);
  const double floor = f["detection_s"].get<double>() + f["promotion_s"].get<double>();
  // Routing: the first geo to hear (east: 0.5 ms + 50 ms update) lets writes through; the next
  // write arrives within a few ms at 2,000 requests/s.
  CHECK(f["write_unavailability_s"].get<double>() >= floor + 0.0505 - 1e-6);
  CHECK(f["write_unavailability_s"].get<double>() <= floor + 0.0505 + 0.02);
  // Routing follows everywhere once the news reaches west (20 ms) and is applied (50 ms).
  CHECK(f["routing_s"].get<double>() == Approx(0.070).margin(1e-6));
  CHECK(f["sync_writes_failed"].get<std::uint64_t>() > 0);
}

TEST_CASE("lost writes are exactly the commits the standby had not applied", "[failure][failover]") {
  // A slow standby hop (1 s batches) so that it lags the master when it crashes.
  Scenario s = with_failover({{"replication", {{"master_to_standby", {{"batch_interval_ms", 1000}}}}}});
  s.failures.push_back(crash("active_master_global", 5.0, 2.0));
  const json report = run_scenario(s).report;
  const json& f = first_failover(report);
  const auto lost = f["writes_lost"].get<std::uint64_t>();
  CHECK(lost > 0);
  CHECK(f["keys_lost"].get<std::uint64_t>() <= lost);
  // Accounting: every commit either survives in the logs or is counted lost.
  const json& r = report["replication"];
  CHECK(r["commits_total"].get<std::uint64_t>() == r["log_entries_total"].get<std::uint64_t>() + lost);
  // The lost writes were committed within one standby batch interval before the crash.
  CHECK(f["rpo_s"].get<double>() <= 1.0 + 1e-6);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("no write is lost without a master failover", "[failure][failover]") {
  Scenario s = with_failover();
  s.failures.push_back(crash("shard_slave_east_1", 3.0, 4.0));
  s.failures.push_back(crash("shard_master_global_2", 6.0, 2.0));
  FailureSpec partition;
  partition.kind = FailureSpec::Kind::kPartition;
  partition.geo_a = 0;
  partition.geo_b = 1;
  partition.at = from_s(10);
  partition.duration = from_s(2);
  s.failures.push_back(partition);
  const json report = run_scenario(s).report;
  CHECK(report["failures"]["summary"]["writes_lost"] == 0);
  const json& r = report["replication"];
  CHECK(r["commits_total"] == r["log_entries_total"]);
  CHECK(report["invariants"]["ok"] == true);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("a crashed shard master is replaced by its most caught-up slave", "[failure][failover]") {
  Scenario s = with_failover({{"slaves", {{"per_shard_per_geo", {{"east", 2}, {"west", 1}}}}}});
  s.failures.push_back(crash("shard_master_global_1", 5.0));
  const json report = run_scenario(s).report;
  const json& f = first_failover(report);
  CHECK(f["role"] == "shard_master");
  // East slaves are 0.5 ms from the shard master, west ones 20 ms: an east slave is ahead.
  CHECK(f["promoted"].get<std::string>().rfind("shard_slave_east_1", 0) == 0);
  CHECK(report["invariants"]["reads_at_a_master"] == 0);
  CHECK(report["convergence"]["converged"] == true);
  // The promoted slave left the SLB: east shard 1 has one slave serving reads at the end.
  CHECK(report["failures"]["summary"]["writes_lost"] == 0);
}

TEST_CASE("a partition between the monitor and a healthy master causes a false failover",
          "[failure][failover]") {
  // The monitor lives in west; the masters are in east. A 2 s partition hides them.
  Scenario s = with_failover();
  s.failover.monitor_geo = 1;
  FailureSpec partition;
  partition.kind = FailureSpec::Kind::kPartition;
  partition.geo_a = 0;
  partition.geo_b = 1;
  partition.drop = true;
  partition.at = from_s(5);
  partition.duration = from_s(2);
  s.failures.push_back(partition);
  const json report = run_scenario(s).report;
  REQUIRE(report["failures"]["failovers"].size() >= 1);
  bool false_master_failover = false;
  for (const json& f : report["failures"]["failovers"]) {
    if (f["role"] == "active_master" && f["false_failover"] == true) false_master_failover = true;
  }
  CHECK(false_master_failover);
  CHECK(report["failures"]["summary"]["false_failovers"].get<std::uint64_t>() >= 1);
}

TEST_CASE("random crashes come from their own stream: the workload does not change",
          "[failure][determinism]") {
  Scenario quiet = with_failover();
  Scenario failing = with_failover();
  FailureSpec random;
  random.kind = FailureSpec::Kind::kRandomCrashes;
  random.nodes = {"shard_slave_west_2"};
  random.time_between_failures_s = Distribution::exponential(3);
  random.time_to_repair_s = Distribution::exponential(1);
  failing.failures.push_back(random);
  const json a = run_scenario(quiet).report;
  const json b = run_scenario(failing).report;
  for (const char* geo : {"east", "west"}) {
    CHECK(a["requests"][geo]["requests_issued"] == b["requests"][geo]["requests_issued"]);
  }
  CHECK(b["failures"]["timeline"].size() > 2);
}

TEST_CASE("async writes wait in the queue through a master outage and all commit", "[failure][write_path]") {
  // Async writes only; the master is down from 5 s to 9 s (failover takes over meanwhile).
  Scenario s = with_failover({{"workload",
                               {{"east", {{"read_fraction", 0.0}, {"async_write_fraction", 1.0}}},
                                {"west", {{"read_fraction", 0.0}, {"async_write_fraction", 1.0}}}}}});
  s.failures.push_back(crash("active_master_global", 5.0, 4.0));
  const json report = run_scenario(s).report;
  std::uint64_t acked = 0, committed = 0;
  for (const char* geo : {"east", "west"}) {
    const json& latency = report["requests"][geo]["latency"];
    acked += latency["async_write_ack"]["count"].get<std::uint64_t>();
    committed += latency["async_write_commit"]["count"].get<std::uint64_t>();
    CHECK(report["requests"][geo]["failed_by_operation"]["async_write"] == 0);
  }
  CHECK(committed == Approx(acked).epsilon(0.01));
  const json& f = first_failover(report);
  CHECK(f["async_writes_delayed"].get<std::uint64_t>() > 100);
  CHECK(f["async_max_delay_s"].get<double>() > f["detection_s"].get<double>());
  CHECK(report["async_path"]["commit_retries_total"].get<std::uint64_t>() > 0);
  // Writes committed in the last standby batch interval before the crash can still be lost (the
  // RPO); the queue itself loses nothing. Every commit is accounted for.
  const json& r = report["replication"];
  CHECK(r["commits_total"].get<std::uint64_t>() ==
        r["log_entries_total"].get<std::uint64_t>() +
            report["failures"]["summary"]["writes_lost"].get<std::uint64_t>());
  CHECK(report["convergence"]["converged"] == true);
}
