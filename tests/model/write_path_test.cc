// The write paths: WRITE_SYNC commits at the active master; WRITE_ASYNC enqueues, and consumers
// commit later; a full queue rejects.
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

TEST_CASE("every acknowledged async write commits", "[model][write_path]") {
  const json patch = {{"workload",
                       {{"east", {{"read_fraction", 0.0}, {"async_write_fraction", 1.0}}},
                        {"west", {{"read_fraction", 0.0}, {"async_write_fraction", 1.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  for (const char* geo : {"east", "west"}) {
    const json& latency = report["requests"][geo]["latency"];
    const auto acked = latency["async_write_ack"]["count"].get<std::uint64_t>();
    const auto committed = latency["async_write_commit"]["count"].get<std::uint64_t>();
    CHECK(acked > 2000);
    // Commits of writes issued in the window, whose acks may still be in flight, and vice versa.
    CHECK(committed == Approx(acked).epsilon(0.01));
    CHECK(report["requests"][geo]["requests_failed"] == 0);
  }
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("a full message queue rejects async writes", "[model][write_path]") {
  // One slow consumer, a queue of ten: most async writes are rejected.
  const json patch = {
      {"async_path", {{"queue_capacity", 10}, {"consumer", {{"servers", 1}, {"service_ms", 50}}}}},
      {"workload", {{"east", {{"read_fraction", 0.0}, {"async_write_fraction", 1.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  CHECK(report["requests"]["east"]["failed_by_operation"]["async_write"].get<std::uint64_t>() > 1000);
  CHECK(report["async_path"]["queue_rejected_total"].get<std::uint64_t>() > 1000);
  CHECK(report["async_path"]["queue_max_depth"] == 10);
}

TEST_CASE("a sync write is answered after the commit at the active master", "[model][write_path]") {
  // West clients pay a round trip to the master in east (2 x 20 ms) plus the 1 ms commit.
  const json patch = {{"workload", {{"west", {{"read_fraction", 0.0}, {"async_write_fraction", 0.0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  const json& sync = report["requests"]["west"]["latency"]["sync_write"];
  CHECK(sync["p50_ms"].get<double>() > 41.0);
  CHECK(sync["p50_ms"].get<double>() < 45.0);
  CHECK(report["invariants"]["commits_off_the_active_master"] == 0);
}

TEST_CASE("a saturated node queues, then rejects", "[model][write_path]") {
  // The master serves 1 write at a time in 10 ms: 100 writes/s at most, offered 200.
  const json patch = {
      {"global_master", {{"node", {{"servers", 1}, {"queue_capacity", 50}, {"service_ms", 10}}}}},
      {"workload",
       {{"east", {{"read_fraction", 0.0}, {"async_write_fraction", 0.0}}}, {"west", {{"rate_per_s", 0}}}}}};
  const json report = run_scenario(test_scenario(patch)).report;
  const json& master = report["nodes"][0];
  REQUIRE(master["name"] == "active_master_global");
  CHECK(master["utilization"].get<double>() > 0.99);
  CHECK(master["max_queue"] == 50);
  CHECK(master["rejected"].get<std::uint64_t>() > 1000);
}
