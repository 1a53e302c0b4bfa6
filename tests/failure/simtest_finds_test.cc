// Regression tests for the finds of the simulation tester (tools/simtest/finds/README.md): each
// runs the minimised scenario the tester found and checks the property it broke.
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "shardsim/scenario/loader.h"
#include "support/run_binary.h"

using nlohmann::json;
using shardsim::load_scenario_file;
using shardsim::load_scenario_text;
using shardsim::run_scenario;
using shardsim::testing::source_path;

namespace {

json run_find(const std::string& name) {
  return run_scenario(load_scenario_file(source_path("tools/simtest/finds/" + name + ".json"))).report;
}

json run_text(const std::string& text) {
  return run_scenario(load_scenario_text(text, "test.json")).report;
}

// What clients saw and what the replicas hold: the parts of a report that two runs with the same
// arrivals and the same effective failures must share (the timeline differs: it lists each failure).
json outcome(const json& report) {
  return json{{"requests", report["requests"]},
              {"replication", report["replication"]},
              {"failovers", report["failures"]["failovers"]},
              {"staleness", report["staleness"]}};
}

}  // namespace

TEST_CASE("back-to-back master failovers credit each routing update to its own failover",
          "[failure][simtest]") {
  const json report = run_find("routing-s-negative");
  const json& failovers = report["failures"]["failovers"];
  REQUIRE(failovers.size() == 2);
  // The first promotion's news lands after the second failure was declared; it completes the first.
  CHECK(failovers[0]["routing_s"].is_number());
  CHECK(failovers[0]["routing_s"].get<double>() >= 0.5);  // routing_update_ms is 500
  for (const json& f : failovers) {
    if (f["routing_s"].is_number()) CHECK(f["routing_s"].get<double>() >= 0);
  }
}

TEST_CASE("the RPO is never negative when the old master came back before the promotion",
          "[failure][simtest]") {
  const json report = run_find("rpo-s-negative");
  const json& failovers = report["failures"]["failovers"];
  REQUIRE(failovers.size() == 1);
  CHECK(failovers[0]["writes_lost"].get<std::uint64_t>() > 0);
  CHECK(failovers[0]["rpo_s"].get<double>() >= 0);
  CHECK(failovers[0]["rpo_s"].get<double>() >= failovers[0]["lost_commit_span_s"].get<double>());
}

TEST_CASE("a requeued async write keeps its slot: the message queue never exceeds its capacity",
          "[failure][simtest]") {
  const json report = run_find("message-queue-over-capacity");
  const json& async = report["async_path"];
  CHECK(async["queue_capacity"] == 2);
  CHECK(async["queue_max_depth"].get<std::uint64_t>() <= 2);
  CHECK(async["queue_depth_at_end"].get<std::uint64_t>() <= 2);
  CHECK(async["queue_rejected_total"].get<std::uint64_t>() > 0);  // the master is down for good
}

TEST_CASE("overlapping partitions of one link hold it until the last of them heals", "[failure][simtest]") {
  const std::string base = R"({"geos": ["a", "b"], "duration_s": 8,
    "workload": {"a": {"rate_per_s": 100, "read_fraction": 0, "async_write_fraction": 0, "dns_lookup_fraction": 0}},
    "global_master": {"active_geo": "b", "standby_geo": "b"}, "shard_masters": {"geo": "b"},
    "failover": {"monitor_geo": "b"}, "network": {"timeout_ms": 100}, "failures": )";
  const json overlapping = run_text(base + R"([
    {"kind": "partition", "between": ["a", "b"], "at_s": 1, "duration_s": 2, "mode": "drop"},
    {"kind": "partition", "between": ["b", "a"], "at_s": 2, "duration_s": 4, "mode": "drop"}]})");
  const json single = run_text(base + R"([
    {"kind": "partition", "between": ["a", "b"], "at_s": 1, "duration_s": 5, "mode": "drop"}]})");
  CHECK(outcome(overlapping) == outcome(single));
  CHECK(overlapping["convergence"]["failures_in_force"] == 0);
}

TEST_CASE("overlapping crashes of one node keep it down until the last of them ends", "[failure][simtest]") {
  const std::string base =
      R"({"geos": ["a"], "duration_s": 8, "workload": {"a": {"rate_per_s": 50}}, "failures": )";
  const json overlapping = run_text(base + R"([
    {"kind": "crash", "nodes": ["shard_slave_a_1"], "at_s": 1, "duration_s": 5},
    {"kind": "crash", "nodes": ["shard_slave_a_1"], "at_s": 2, "duration_s": 1}]})");
  const json inner_last = run_text(base + R"([
    {"kind": "crash", "nodes": ["shard_slave_a_1"], "at_s": 1, "duration_s": 2},
    {"kind": "crash", "nodes": ["shard_slave_a_1"], "at_s": 2, "duration_s": 4}]})");
  const json single = run_text(base + R"([
    {"kind": "crash", "nodes": ["shard_slave_a_1"], "at_s": 1, "duration_s": 5}]})");
  CHECK(outcome(overlapping) == outcome(single));
  CHECK(outcome(inner_last) == outcome(single));
  CHECK(overlapping["convergence"]["failures_in_force"] == 0);
}

TEST_CASE("overlapping slowdowns run at the worse factor; overlapping losses compound",
          "[failure][simtest]") {
  const std::string base = R"({"geos": ["a", "b"], "duration_s": 6,
    "workload": {"a": {"rate_per_s": 200, "read_fraction": 0.5}}, "failures": )";
  const json slow_overlap = run_text(base + R"([
    {"kind": "slow", "nodes": ["active_master_global"], "at_s": 1, "duration_s": 4, "factor": 5},
    {"kind": "slow", "nodes": ["active_master_global"], "at_s": 2, "duration_s": 1, "factor": 2}]})");
  const json slow_single = run_text(base + R"([
    {"kind": "slow", "nodes": ["active_master_global"], "at_s": 1, "duration_s": 4, "factor": 5}]})");
  CHECK(outcome(slow_overlap) == outcome(slow_single));
  // Two losses of 50% in force at once drop 75% of messages, like one loss of 75%.
  const json loss_overlap = run_text(base + R"([
    {"kind": "loss", "between": ["a", "b"], "at_s": 1, "duration_s": 2, "share": 0.5},
    {"kind": "loss", "between": ["b", "a"], "at_s": 1, "duration_s": 2, "share": 0.5}]})");
  const json loss_single = run_text(base + R"([
    {"kind": "loss", "between": ["a", "b"], "at_s": 1, "duration_s": 2, "share": 0.75}]})");
  CHECK(outcome(loss_overlap) == outcome(loss_single));
}
