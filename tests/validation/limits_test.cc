// Scenarios at the limits of the format finish cleanly: a report that makes sense, or the
// loader's error naming the path, never a crash, a hang, NaN in report.json or memory that grows
// with the key space.
//
// Each case runs the real run path (run_scenario, or the shardsim binary) on a scenario at one
// limit: the smallest topology the schema allows, zero load, the largest key space, every node
// crashed at the same instant, a partition that never heals, the shortest durations, and a
// warm-up as long as the run. They are small on purpose: each takes well under a second in a
// Release build.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/run/run.h"
#include "shardsim/scenario/loader.h"
#include "support/run_binary.h"
#include "support/test_scenarios.h"

extern char** environ;

using nlohmann::json;
using shardsim::load_scenario_text;
using shardsim::run_scenario;
using shardsim::Scenario;
using shardsim::ScenarioError;
using shardsim::testing::base_scenario_json;
using shardsim::testing::test_scenario;

namespace {

// Every number in the document, with its JSON pointer; non-finite ones are collected.
void collect_non_finite(const json& value, const std::string& where, std::vector<std::string>& bad) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it)
      collect_non_finite(it.value(), where + "/" + it.key(), bad);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      collect_non_finite(value[i], where + "/" + std::to_string(i), bad);
  } else if (value.is_number_float() && !std::isfinite(value.get<double>())) {
    bad.push_back(where);
  }
}

// What every report must satisfy, whatever the scenario: finite numbers, shares in [0, 1],
// consistent request counts, the commit accounting identity, the invariants.
void check_sane(const json& report) {
  std::vector<std::string> non_finite;
  collect_non_finite(report, "", non_finite);
  INFO("non-finite numbers at: " << json(non_finite).dump());
  CHECK(non_finite.empty());
  // The text form too: nlohmann writes NaN and infinity as null, which a reader cannot tell from
  // "not applicable", so a round trip must give the same document back.
  CHECK(json::parse(report.dump()) == report);
  REQUIRE(report.contains("requests"));
  for (const auto& [geo, r] : report["requests"].items()) {
    INFO("geo " << geo);
    // null when nothing finished (no evidence either way), else a share.
    const bool finished =
        r["requests_answered"].get<std::uint64_t>() + r["requests_failed"].get<std::uint64_t>() > 0;
    CHECK(r["availability"].is_number() == finished);
    const double availability = finished ? r["availability"].get<double>() : 0.0;
    CHECK(availability >= 0.0);
    CHECK(availability <= 1.0);
    CHECK(r["requests_answered"].get<std::uint64_t>() + r["requests_failed"].get<std::uint64_t>() <=
          r["requests_issued"].get<std::uint64_t>());
    CHECK(r["throughput_per_s"].get<double>() >= 0.0);
  }
  for (const auto& [geo, e] : report["eighty_twenty"].items()) {
    INFO("geo " << geo);
    const json& ratio = e["slave_data_ratio"];
    for (const char* field : {"fresh_share_mean", "fresh_share_min", "share_of_time_below_target"}) {
      INFO(field);
      CHECK(ratio[field].get<double>() >= 0.0);
      CHECK(ratio[field].get<double>() <= 1.0);
    }
  }
  for (const json& node : report["nodes"]) {
    INFO("node " << node["name"].get<std::string>());
    CHECK(node["utilization"].get<double>() >= 0.0);
    CHECK(node["utilization"].get<double>() <= 1.0 + 1e-9);
    CHECK(node["mean_queue"].get<double>() >= 0.0);
  }
  const json& replication = report["replication"];
  CHECK(replication["commits_total"].get<std::uint64_t>() ==
        replication["log_entries_total"].get<std::uint64_t>() +
            report["failures"]["summary"]["writes_lost"].get<std::uint64_t>());
  CHECK(report["invariants"]["ok"] == true);
  CHECK(report["run"]["interrupted"] == false);
  REQUIRE(report.contains("convergence"));
  CHECK(report["convergence"]["checked"] == true);
}

// Runs the scenario and bounds its wall time: a run at a limit must not crawl. The bound is
// generous (sanitizer builds are several times slower); a hang would not come back at all.
json run_checked(const Scenario& scenario, double max_wall_s = 20) {
  const auto start = std::chrono::steady_clock::now();
  const shardsim::RunResult result = run_scenario(scenario);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(wall < max_wall_s);
  CHECK_FALSE(result.interrupted);
  check_sane(result.report);
  return result.report;
}

std::uint64_t total(const json& report, const char* field) {
  std::uint64_t sum = 0;
  for (const auto& [geo, r] : report["requests"].items()) sum += r[field].get<std::uint64_t>();
  return sum;
}

// The error messages of a scenario the loader rejects ("" if it loads).
std::string load_error(const json& document) {
  try {
    load_scenario_text(document.dump(), "limit.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

json crash_all(const std::vector<std::string>& nodes, double at_s, std::optional<double> down_s) {
  json failure{{"kind", "crash"}, {"nodes", nodes}, {"at_s", at_s}};
  if (down_s) failure["duration_s"] = *down_s;
  return failure;
}

// Every node the base scenario's topology can crash: both global masters, the two shard masters
// and the four slaves (one per shard per geo).
const std::vector<std::string> kEveryCrashable = {
    "active_master_global", "passive_master_global", "shard_master_global_1", "shard_master_global_2",
    "shard_slave_east_1",   "shard_slave_east_2",    "shard_slave_west_1",    "shard_slave_west_2"};

// Fast failure detection, so the failovers happen well inside a short run.
json fast_failover() {
  return json{{"heartbeat_interval_ms", 100},
              {"missed_heartbeats", 3},
              {"promotion_ms", 200},
              {"routing_update_ms", 20}};
}

// Runs the binary without a shell and returns its exit code and peak resident memory (KiB).
struct ChildRun {
  int exit_code = -1;
  long max_rss_kib = 0;
};
ChildRun run_binary_measured(const std::vector<std::string>& args) {
  std::vector<std::string> argv_storage{SHARDSIM_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ChildRun run;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return run;
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) != pid) return run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.max_rss_kib = usage.ru_maxrss;
  return run;
}

}  // namespace

TEST_CASE("limits: the smallest topology (one geo, one key, one shard, no slave, no cache) runs",
          "[limits]") {
  // One geo, one key in one shard, zero slaves and zero cache nodes (both allow 0), one server
  // per node with no queue: the fewest boxes the schema allows.
  const json tiny = json::parse(R"({
    "geos": ["a"], "duration_s": 3, "seed": 3,
    "keys": {"count": 1},
    "shards": {"shard_count": 1},
    "slaves": {"per_shard_per_geo": {"a": 0}, "node": {"servers": 1, "queue_capacity": 0}},
    "caches": {"a": {"nodes": 0}},
    "global_master": {"node": {"servers": 1, "queue_capacity": 0}},
    "workload": {"a": {"rate_per_s": 200, "read_fraction": 0.5, "keys": {"dist": "uniform"}}}
  })");
  const json report = run_checked(load_scenario_text(tiny.dump(), "tiny.json"));
  const json& a = report["requests"]["a"];
  CHECK(a["requests_issued"].get<std::uint64_t>() > 300);
  // No slave anywhere: every read fails ("no healthy slave for the shard"), the writes commit.
  CHECK(a["failed_by_operation"]["read"].get<std::uint64_t>() > 100);
  CHECK(a["latency"]["read_hit"]["count"] == 0);
  CHECK(a["latency"]["read_miss"]["count"] == 0);
  CHECK(a["latency"]["sync_write"]["count"].get<std::uint64_t>() > 0);
  CHECK(a["availability"].get<double>() < 0.9);
  CHECK(report["load_balancers"]["a"]["slb"].at(0)["slaves"].empty());
  CHECK(report["caches"]["a"]["nodes"] == 0);
  // The standby and the shard master still converge; no slave to wait for.
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: one slave per shard, one cache node, one key: reads are answered", "[limits]") {
  const json tiny = json::parse(R"({
    "geos": ["a"], "duration_s": 3, "seed": 4,
    "keys": {"count": 1},
    "caches": {"a": {"nodes": 1, "capacity_keys_per_node": 0}},
    "workload": {"a": {"rate_per_s": 200, "read_fraction": 0.5, "keys": {"dist": "uniform"}}}
  })");
  const json report = run_checked(load_scenario_text(tiny.dump(), "tiny.json"));
  const json& a = report["requests"]["a"];
  CHECK(a["latency"]["read_miss"]["count"].get<std::uint64_t>() > 100);
  CHECK(a["requests_failed"] == 0);
  CHECK(a["availability"].get<double>() == 1.0);
  // A cache of capacity 0 holds nothing: no hit, ever.
  CHECK(report["caches"]["a"]["hits"] == 0);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: zero request rate gives zero counts and a converged, finite report", "[limits]") {
  const Scenario s = test_scenario(
      {{"workload", {{"east", {{"rate_per_s", 0}}}, {"west", {{"rate_per_s", 0}}}}}, {"duration_s", 5}});
  const json report = run_checked(s);
  for (const char* field : {"requests_issued", "requests_answered", "requests_failed"}) {
    INFO(field);
    CHECK(total(report, field) == 0);
  }
  for (const auto& [geo, r] : report["requests"].items()) {
    INFO("geo " << geo);
    // Nothing answered and nothing failed: no availability to report (null, not 0/0 or 1).
    CHECK(r["availability"].is_null());
    CHECK(r["throughput_per_s"].get<double>() == 0.0);
    for (const auto& [outcome, latency] : r["latency"].items()) CHECK(latency["count"] == 0);
  }
  CHECK(report["replication"]["commits_total"] == 0);
  CHECK(report["consistency_lag"]["master_to_standby"]["count"] == 0);
  // No write: every slave is fresh for every key all along.
  for (const auto& [geo, e] : report["eighty_twenty"].items()) {
    CHECK(e["slave_data_ratio"]["fresh_share_mean"].get<double>() == 1.0);
    CHECK(e["slave_data_ratio"]["always_holds"] == true);
  }
  CHECK(report["convergence"]["converged"] == true);
  CHECK(report["convergence"]["drain_s"].get<double>() <= 0.1 + 1e-9);
}

TEST_CASE("limits: an empty workload (no geo sends anything) runs", "[limits]") {
  const json document = json::parse(R"({"geos": ["a", "b"], "duration_s": 2, "workload": {}})");
  const json report = run_checked(load_scenario_text(document.dump(), "empty.json"));
  CHECK(total(report, "requests_issued") == 0);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: the largest key space runs without memory growing with the keys", "[limits]") {
  // keys.count at its limit (10^12, state for written keys only) against 1000 keys, through the binary so
  // that the peak memory of the run is the child's own (wait4). Copies are log positions, so state per key
  // exists only for keys that were written: the two runs must differ by far less than 10^12 x (any per-key
  // record).
  const auto dir = shardsim::testing::fresh_directory("limits-keys");
  const std::string file = (dir / "keys.json").string();
  json document = base_scenario_json();
  document["duration_s"] = 3;
  std::ofstream(file) << document.dump();
  const ChildRun small = run_binary_measured({"run", file, "--quiet", "--set", "keys.count=1000"});
  const ChildRun huge = run_binary_measured(
      {"run", file, "--quiet", "--set", "keys.count=1000000000000", "--out", (dir / "huge").string()});
  REQUIRE(small.exit_code == 0);
  REQUIRE(huge.exit_code == 0);
  INFO("peak RSS: 1000 keys " << small.max_rss_kib << " KiB, 10^12 keys " << huge.max_rss_kib << " KiB");
  // 64 MiB of slack: any per-key array over the key space would exceed it by far.
  CHECK(huge.max_rss_kib - small.max_rss_kib < 64 * 1024);
  const json report = json::parse(shardsim::testing::read_file(dir / "huge" / "report.json"));
  check_sane(report);
  CHECK(report["scenario"]["effective"]["keys"]["count"] == 1000000000000);
  CHECK(total(report, "requests_answered") > 500);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: every node crashes at the same instant and recovers", "[limits]") {
  Scenario s = test_scenario({{"duration_s", 12},
                              {"failover", fast_failover()},
                              {"failures", json::array({crash_all(kEveryCrashable, 4.0, 2.0)})}});
  const json report = run_checked(s);
  const json& failures = report["failures"];
  // Every crash and every recovery is on the timeline.
  std::size_t crashes = 0, recoveries = 0;
  for (const json& e : failures["timeline"]) {
    if (e["event"] == "crash") ++crashes;
    if (e["event"] == "recover") ++recoveries;
  }
  CHECK(crashes == kEveryCrashable.size());
  CHECK(recoveries == kEveryCrashable.size());
  CHECK(failures["summary"]["failovers"].get<std::uint64_t>() >= 1);
  // While everything is down, requests fail; afterwards the system serves again.
  CHECK(total(report, "requests_failed") > 0);
  CHECK(total(report, "requests_answered") > 0);
  for (const auto& [geo, r] : report["requests"].items()) CHECK(r["availability"].get<double>() < 1.0);
  // Once everything is back, lazy replication converges.
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: every node crashes at the same instant and never recovers", "[limits]") {
  Scenario s = test_scenario({{"duration_s", 8},
                              {"failover", fast_failover()},
                              {"failures", json::array({crash_all(kEveryCrashable, 3.0, std::nullopt)})}});
  const json report = run_checked(s);
  const json& failures = report["failures"];
  // The monitor declares every node down; there is no live standby or slave left to promote.
  std::size_t promotion_failed = 0;
  for (const json& e : failures["timeline"]) {
    if (e["event"] == "promotion_failed") ++promotion_failed;
  }
  CHECK(promotion_failed == 3);  // the global master and both shard masters
  CHECK(failures["failovers"].size() == kEveryCrashable.size());
  for (const json& f : failures["failovers"]) {
    INFO(f.dump());
    CHECK(f["promoted"].is_null());
    CHECK(f["false_failover"] == false);
    if (f["role"] == "active_master") {
      // The master failover never completes; the sync writes that failed since are counted.
      CHECK(f["completed"] == false);
      CHECK(f["write_unavailability_s"].is_null());
      CHECK(f["sync_writes_failed"].get<std::uint64_t>() > 100);
      CHECK(f["writes_lost"] == 0);  // nothing was cut: no standby took over
    }
  }
  std::uint64_t acked = 0, committed = 0, sync_failed = 0;
  for (const auto& [geo, r] : report["requests"].items()) {
    acked += r["latency"]["async_write_ack"]["count"].get<std::uint64_t>();
    committed += r["latency"]["async_write_commit"]["count"].get<std::uint64_t>();
    sync_failed += r["failed_by_operation"]["sync_write"].get<std::uint64_t>();
    CHECK(r["availability"].get<double>() < 1.0);
  }
  // Sync writes fail from 3 s to 8 s (about 40/s per geo); async writes are acknowledged at the
  // queue and wait there, uncommitted.
  CHECK(sync_failed > 200);
  CHECK(committed < acked);
  // Nothing is left alive to converge: the drain gives up at its limit and says why. No live copy
  // is behind (all are down), but the queue still holds the writes no master took.
  const json& convergence = report["convergence"];
  CHECK(convergence["converged"] == false);
  // It gives up 120 s after the last progress (the consumers drain the queue a little first).
  CHECK(convergence["drain_s"].get<double>() >= 120.0);
  CHECK(convergence["drain_s"].get<double>() <= 130.0);
  CHECK(convergence["lagging_copies"].empty());
  CHECK(convergence["queued_writes"].get<std::uint64_t>() == report["async_path"]["queue_depth_at_end"]);
  CHECK(convergence["queued_writes"].get<std::uint64_t>() > 100);
}

TEST_CASE("limits: the fastest failure detection the schema allows does not flap", "[limits]") {
  // One missed beat of 1 ms, instant promotion and routing. Latencies are constant, so every beat
  // arrives exactly one interval after the previous one: none is missed. (A beat arriving at the
  // instant of the deadline used to count as missed, which made every node flap at every beat and
  // the masters fail over a thousand times a second, with a new stream per shard each time.)
  //
  // At the start the monitor acts as if it had just heard from every node, so a node whose first
  // beat needs more than k h = 1 ms to arrive (west's, 20 ms away; east's with a late phase) is
  // declared down once at 1 ms and up when the beat lands: a start-up artefact of such a short
  // window, allowed here, but only then.
  const Scenario s = test_scenario({{"duration_s", 3},
                                    {"failover",
                                     {{"heartbeat_interval_ms", 1},
                                      {"missed_heartbeats", 1},
                                      {"promotion_ms", 0},
                                      {"routing_update_ms", 0}}}});
  const json report = run_checked(s);
  std::size_t declared_down = 0;
  for (const json& e : report["failures"]["timeline"]) {
    if (e["event"] != "declared_down") continue;
    ++declared_down;
    INFO(e.dump());
    CHECK(e["at_s"].get<double>() <= 0.001 + 1e-8);
  }
  // Each of the 8 watched nodes at most once.
  CHECK(declared_down <= kEveryCrashable.size());
  CHECK(report["failures"]["summary"]["failovers"].get<std::uint64_t>() <= kEveryCrashable.size());
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: a partition that never heals ends in a reported non-convergence", "[limits]") {
  // West is cut off from 3 s to the end of the run (no duration_s): west's slaves stop receiving
  // the log, and the drain after the run cannot bring them up to date. It must give up at its
  // limit and name them, not wait for ever.
  json partition{{"kind", "partition"}, {"between", {"east", "west"}}, {"at_s", 3}};
  Scenario s = test_scenario({{"duration_s", 6}, {"failover", fast_failover()}, {"failures", {partition}}});
  const auto start = std::chrono::steady_clock::now();
  const json report = run_checked(s);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const json& convergence = report["convergence"];
  CHECK(convergence["converged"] == false);
  CHECK(convergence["drain_s"].get<double>() == Approx(120.0).margin(1.0));  // 120 s without progress
  const std::vector<std::string> lagging = convergence["lagging_copies"].get<std::vector<std::string>>();
  CHECK(std::find(lagging.begin(), lagging.end(), "shard_slave_west_1") != lagging.end());
  CHECK(std::find(lagging.begin(), lagging.end(), "shard_slave_west_2") != lagging.end());
  // East's copies are on the master's side of the cut: they converged.
  for (const std::string& copy : lagging) CHECK(copy.find("east") == std::string::npos);
  // 120 simulated seconds of drain with the clients stopped are only heartbeats and ticks.
  CHECK(wall < 10.0);
  // West's requests that needed east (writes) fail during the partition.
  CHECK(report["requests"]["west"]["requests_failed"].get<std::uint64_t>() > 0);
}

TEST_CASE("limits: the never-healing partition through the binary exits 0 with the report", "[limits]") {
  const auto dir = shardsim::testing::fresh_directory("limits-partition");
  json document = base_scenario_json();
  document["duration_s"] = 4;
  document["failures"] = json::array({{{"kind", "partition"}, {"between", {"east", "west"}}, {"at_s", 2}}});
  const std::string file = (dir / "partition.json").string();
  std::ofstream(file) << document.dump();
  const auto result =
      shardsim::testing::run_shardsim("run '" + file + "' --quiet --out '" + (dir / "out").string() + "'");
  INFO(result.out);
  // Non-convergence is reported, not an invariant failure: exit 0.
  CHECK(result.exit_code == 0);
  const json report = json::parse(shardsim::testing::read_file(dir / "out" / "report.json"));
  check_sane(report);
  CHECK(report["convergence"]["converged"] == false);
  CHECK_FALSE(report["convergence"]["lagging_copies"].empty());
}

TEST_CASE("limits: a run of one nanosecond", "[limits]") {
  const Scenario s = test_scenario({{"duration_s", 1e-9}, {"report", {{"warmup_s", 0}}}});
  REQUIRE(s.duration == 1);
  const json report = run_checked(s);
  CHECK(report["run"]["simulated_s"].get<double>() == Approx(1e-9));
  CHECK(report["run"]["measured_s"].get<double>() == Approx(1e-9));
  // At 400 requests/s, the chance of a request in the first nanosecond is 4e-7.
  CHECK(total(report, "requests_issued") == 0);
  CHECK(report["replication"]["commits_total"] == 0);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: the smallest durations the schema accepts run as zero nanoseconds", "[limits]") {
  // duration_s only has to be > 0 (exclusiveMinimum), so there is no smallest value: anything
  // below half a nanosecond rounds to a run of 0 ns, down to the smallest positive double.
  for (const double duration : {4e-10, 1e-300, 4.9406564584124654e-324}) {
    INFO("duration_s " << duration);
    const Scenario s = test_scenario({{"duration_s", duration}, {"report", {{"warmup_s", 0}}}});
    REQUIRE(s.duration == 0);
    const json report = run_checked(s);
    CHECK(report["run"]["simulated_s"].get<double>() == 0.0);
    CHECK(report["run"]["measured_s"].get<double>() == 0.0);
    CHECK(total(report, "requests_issued") == 0);
    for (const auto& [geo, r] : report["requests"].items()) CHECK(r["throughput_per_s"].get<double>() == 0.0);
  }
  // Zero and negative durations are the loader's error, naming the path.
  for (const double duration : {0.0, -1.0}) {
    json document = base_scenario_json();
    document["duration_s"] = duration;
    const std::string error = load_error(document);
    INFO(error);
    CHECK(error.find("at /duration_s") != std::string::npos);
  }
}

TEST_CASE("limits: a warm-up as long as the run, or longer, is the loader's error", "[limits]") {
  for (const double warmup : {5.0, 7.5}) {
    json document = base_scenario_json();
    document["duration_s"] = 5;
    document["report"]["warmup_s"] = warmup;
    const std::string error = load_error(document);
    INFO(error);
    CHECK(error.find("at /report/warmup_s") != std::string::npos);
    CHECK(error.find("expected warmup_s < duration_s") != std::string::npos);
  }
  // The binary says the same and exits 2 (bad scenario), without running.
  const auto dir = shardsim::testing::fresh_directory("limits-warmup");
  json document = base_scenario_json();
  document["duration_s"] = 5;
  document["report"]["warmup_s"] = 5;
  const std::string file = (dir / "warmup.json").string();
  std::ofstream(file) << document.dump();
  const auto result = shardsim::testing::run_shardsim("run '" + file + "' --quiet");
  INFO(result.out);
  CHECK(result.exit_code == 2);
  CHECK(result.out.find("at /report/warmup_s") != std::string::npos);
}

TEST_CASE("limits: a warm-up just short of the run leaves a window of one nanosecond", "[limits]") {
  // Both round to whole nanoseconds: a 1 ns measured window, after 2 s of warm-up with load.
  const Scenario s = test_scenario({{"duration_s", 2.000000001}, {"report", {{"warmup_s", 2}}}});
  REQUIRE(s.duration - s.report.warmup == 1);
  const json report = run_checked(s);
  CHECK(report["run"]["measured_s"].get<double>() == Approx(1e-9));
  // Requests issued in the warm-up are left out; none is issued in the window's 1 ns.
  CHECK(total(report, "requests_issued") == 0);
  CHECK(report["convergence"]["converged"] == true);
}

TEST_CASE("limits: requests issued but none finished in the window give no availability, not 1.0",
          "[limits]") {
  // Every request waits behind a 100 s gateway: 49-odd issued per geo, none answered or failed by
  // the end of the window (they finish in the drain, which the statistics leave out).
  const Scenario s =
      test_scenario({{"duration_s", 3},
                     {"report", {{"warmup_s", 0.5}}},
                     {"front_end", {{"api_gateway", {{"servers", 1000}, {"service_ms", 100000}}}}}});
  const json report = run_checked(s);
  for (const auto& [geo, r] : report["requests"].items()) {
    INFO("geo " << geo);
    CHECK(r["requests_issued"].get<std::uint64_t>() > 0);
    CHECK(r["requests_answered"] == 0);
    CHECK(r["requests_failed"] == 0);
    CHECK(r["availability"].is_null());
  }
}

TEST_CASE("limits: per-key state is bounded up front, dense by the key space, sparse by the writes",
          "[limits]") {
  using shardsim::testing::load_error_of;
  // Dense state past 10^8 keys would take 2.4 GB before the first request.
  const std::string dense = load_error_of({{"keys", {{"count", 200'000'000}, {"state", "dense"}}}});
  CHECK(dense.find("at most 100000000 keys with dense state") != std::string::npos);
  CHECK(load_error_of({{"keys", {{"count", 100'000'000}, {"state", "dense"}}}}).empty());
  // Sparse state grows with the keys written: a vast key space with few writes loads...
  CHECK(load_error_of({{"keys", {{"count", 10'000'000'000}}}}).empty());
  CHECK(load_error_of({{"keys", {{"count", 200'000'000}, {"state", "sparse"}}}}).empty());
  // ...one whose writes could touch more than 10^8 distinct keys does not (2 geos x 200/s x
  // 10^6 s x (1 - 0.5) = 2 x 10^8 writes).
  const std::string many = load_error_of({{"keys", {{"count", 10'000'000'000}}}, {"duration_s", 1'000'000}});
  CHECK(many.find("at most 100000000 distinct keys written") != std::string::npos);
  // The same writes over a key space of 10^8 keys are bounded by the key space.
  CHECK(load_error_of({{"keys", {{"count", 100'000'000}, {"state", "sparse"}}}, {"duration_s", 1'000'000}})
            .find("distinct keys written") == std::string::npos);
}

TEST_CASE("limits: the events a run implies are bounded up front, batch timers included", "[limits]") {
  using shardsim::testing::load_error_of;
  // No load at all, but 1 us batch timers for 30 days: 2 x 10^6 ticks per second per stream.
  const std::string ticks =
      load_error_of({{"duration_s", 2'592'000},
                     {"workload", {{"east", {{"rate_per_s", 0}}}, {"west", {{"rate_per_s", 0}}}}},
                     {"replication", {{"master_to_standby", {{"batch_interval_ms", 0.001}}}}}});
  CHECK(ticks.find("at /duration_s: limit exceeded: at most 100000000000 events expected") !=
        std::string::npos);
  CHECK(ticks.find("longer batch_interval_ms") != std::string::npos);
  // Requests: 2 geos x 10^5/s for 4 x 10^4 s is 8 x 10^9 requests, under the request limit, but
  // over 10^11 events.
  const std::string requests = load_error_of(
      {{"duration_s", 40'000},
       {"workload", {{"east", {{"rate_per_s", 100'000}}}, {"west", {{"rate_per_s", 100'000}}}}}});
  CHECK(requests.find("at /workload: limit exceeded: at most 100000000000 events expected") !=
        std::string::npos);
  // The base scenario (20 s, 10 ms timers) is far below.
  CHECK(load_error_of(json::object()).empty());
}
