// "failures", "failover" and network.timeout_ms: what they load into, and the exact messages of
// the mistakes users make with them.
#include <string>

#include <catch2/catch.hpp>

#include "shardsim/scenario/loader.h"

namespace shardsim {
namespace {

using nlohmann::json;

// A two-geo scenario (india, usa; 3 shards; 2 slaves per shard in india, 1 in usa; 2 cache nodes in
// india) with `extra` merged into it at the top level.
std::string scenario_text(const std::string& extra) {
  return R"({
  "duration_s": 100,
  "geos": ["india", "usa"],
  "shards": {"shard_count": 3},
  "global_master": {"active_geo": "usa", "standby_geo": "india"},
  "slaves": {"per_shard_per_geo": {"india": 2, "usa": 1}},
  "caches": {"india": {"nodes": 2}},
  "workload": {"india": {"rate_per_s": 10}, "usa": {"rate_per_s": 10}})" +
         (extra.empty() ? std::string() : ",\n  " + extra) + "\n}\n";
}

std::string load_error(const std::string& extra) {
  try {
    load_scenario_text(scenario_text(extra), "t.json", LoadOptions{});
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "loaded";
}

TEST_CASE("one failure of each kind and a failover policy load into their specs", "[scenario]") {
  const Scenario scenario = load_scenario_text(scenario_text(R"("network": {"timeout_ms": 250},
  "failover": {"monitor_geo": "india", "heartbeat_interval_ms": 200, "missed_heartbeats": 4,
               "promotion_ms": 1500, "routing_update_ms": {"dist": "exponential", "mean": 50},
               "shard_promotion": "preferred_geo", "preferred_geo": "usa"},
  "failures": [
    {"kind": "crash", "nodes": ["active_master_global", "shard_slave_india_2.1"], "at_s": 10, "duration_s": 30},
    {"kind": "slow", "nodes": ["cache_india_2", "object_store"], "at_s": 5, "factor": 3},
    {"kind": "partition", "between": ["india", "usa"], "at_s": 20, "duration_s": 10, "mode": "drop"},
    {"kind": "latency_spike", "between": ["usa", "india"], "at_s": 30, "duration_s": 5, "extra_ms": 200},
    {"kind": "loss", "between": ["india", "usa"], "at_s": 40, "share": 0.25},
    {"kind": "random_crashes", "nodes": ["shard_slave_usa_1", "shard_master_global_3"],
     "time_between_failures_s": {"dist": "exponential", "mean": 120}, "time_to_repair_s": 20}
  ])"),
                                               "t.json", LoadOptions{});
  CHECK(scenario.network.timeout == 250 * kMillisecond);
  const FailoverSpec& failover = scenario.failover;
  CHECK(failover.monitor_geo == 0);
  CHECK(failover.heartbeat_interval == 200 * kMillisecond);
  CHECK(failover.missed_heartbeats == 4);
  CHECK(failover.promotion_ms.mean() == Approx(1500));
  CHECK(failover.routing_update_ms.kind() == Distribution::Kind::kExponential);
  CHECK(failover.routing_update_ms.mean() == Approx(50));
  CHECK(failover.shard_policy == FailoverSpec::Policy::kPreferredGeo);
  CHECK(failover.preferred_geo == 1);

  REQUIRE(scenario.failures.size() == 6);
  const FailureSpec& crash = scenario.failures[0];
  CHECK(crash.kind == FailureSpec::Kind::kCrash);
  CHECK(crash.nodes == std::vector<std::string>{"active_master_global", "shard_slave_india_2.1"});
  CHECK(crash.at == 10 * kSecond);
  CHECK(crash.duration == 30 * kSecond);
  const FailureSpec& slow = scenario.failures[1];
  CHECK(slow.kind == FailureSpec::Kind::kSlow);
  CHECK(slow.nodes == std::vector<std::string>{"cache_india_2", "object_store"});
  CHECK(slow.at == 5 * kSecond);
  CHECK_FALSE(slow.duration.has_value());
  CHECK(slow.slowdown == 3);
  const FailureSpec& partition = scenario.failures[2];
  CHECK(partition.kind == FailureSpec::Kind::kPartition);
  CHECK(partition.geo_a == 0);
  CHECK(partition.geo_b == 1);
  CHECK(partition.drop);
  CHECK(partition.duration == 10 * kSecond);
  const FailureSpec& spike = scenario.failures[3];
  CHECK(spike.kind == FailureSpec::Kind::kLatencySpike);
  CHECK(spike.geo_a == 1);
  CHECK(spike.geo_b == 0);
  CHECK(spike.extra_latency_ms == 200);
  const FailureSpec& loss = scenario.failures[4];
  CHECK(loss.kind == FailureSpec::Kind::kLoss);
  CHECK(loss.loss_share == 0.25);
  CHECK(loss.at == 40 * kSecond);
  const FailureSpec& random = scenario.failures[5];
  CHECK(random.kind == FailureSpec::Kind::kRandomCrashes);
  CHECK(random.at == 0);
  CHECK(random.time_between_failures_s.kind() == Distribution::Kind::kExponential);
  CHECK(random.time_between_failures_s.mean() == Approx(120));
  CHECK(random.time_to_repair_s.mean() == Approx(20));
}

TEST_CASE("failover and timeout defaults, shown in the effective scenario", "[scenario]") {
  const Scenario scenario = load_scenario_text(
      scenario_text(R"("failures": [{"kind": "partition", "between": ["india", "usa"], "at_s": 1}])"),
      "t.json", LoadOptions{});
  CHECK(scenario.network.timeout == kSecond);
  CHECK(scenario.failover.monitor_geo == 1);  // the active master's geo
  CHECK(scenario.failover.heartbeat_interval == 500 * kMillisecond);
  CHECK(scenario.failover.missed_heartbeats == 3);
  CHECK(scenario.failover.promotion_ms.mean() == Approx(2000));
  CHECK(scenario.failover.routing_update_ms.mean() == Approx(100));
  CHECK(scenario.failover.shard_policy == FailoverSpec::Policy::kMostCaughtUp);
  CHECK(scenario.failover.detector == FailoverSpec::Detector::kHeartbeat);
  REQUIRE(scenario.failures.size() == 1);
  CHECK_FALSE(scenario.failures[0].drop);
  CHECK(scenario.effective["network"]["timeout_ms"] == 1000);
  CHECK(scenario.effective["failover"] ==
        json::parse(R"({"policy": "heartbeat", "monitor_geo": "usa", "heartbeat_interval_ms": 500,
      "missed_heartbeats": 3, "promotion_ms": 2000, "routing_update_ms": 100,
      "shard_promotion": "most_caught_up", "prevent_cross_region_failover": false, "fencing": true})"));
  CHECK(scenario.effective["failures"][0]["mode"] == "hold");

  const Scenario none = load_scenario_text(scenario_text(""), "t.json", LoadOptions{});
  CHECK(none.failures.empty());
  CHECK(none.effective["failures"] == json::array());
}

TEST_CASE("an unknown failure kind gets a did-you-mean", "[scenario]") {
  CHECK(load_error(R"("failures": [{"kind": "crahs", "nodes": ["active_master_global"], "at_s": 1}])") ==
        "t.json:9:25: error: at /failures/0/kind: expected one of \"crash\", \"slow\", \"partition\", "
        "\"latency_spike\", \"loss\", \"random_crashes\", found \"crahs\"; did you mean \"crash\"?");
}

TEST_CASE("an unknown node gets a did-you-mean", "[scenario]") {
  CHECK(load_error(R"("failures": [{"kind": "crash", "nodes": ["shard_slave_india_2"], "at_s": 1}])") ==
        "t.json:9:44: error: at /failures/0/nodes/0: unknown node \"shard_slave_india_2\"; did you mean "
        "\"shard_slave_india_2.1\"?");
  CHECK(load_error(R"("failures": [{"kind": "crash", "nodes": ["cache_india_1"], "at_s": 1}])") ==
        "t.json:9:44: error: at /failures/0/nodes/0: node \"cache_india_1\" cannot crash: a \"crash\" takes "
        "global masters, shard masters and shard slaves only");
  CHECK(load_error(R"("failures": [{"kind": "slow", "nodes": ["cache_india_3"], "at_s": 1, "factor": 2}])") ==
        "t.json:9:43: error: at /failures/0/nodes/0: unknown node \"cache_india_3\"; did you mean "
        "\"cache_india_1\"?");
}

TEST_CASE("an unknown geo in between", "[scenario]") {
  CHECK(
      load_error(R"("failures": [{"kind": "loss", "between": ["india", "usb"], "at_s": 1, "share": 0.1}])") ==
      "t.json:9:54: error: at /failures/0/between/1: unknown geo \"usb\"; did you mean \"usa\"?");
  CHECK(load_error(R"("failures": [{"kind": "loss", "between": ["usa", "usa"], "at_s": 1, "share": 0.1}])") ==
        "t.json:9:52: error: at /failures/0/between/1: expected unique items, found \"usa\" again (first at "
        "/failures/0/between/0)");
}

TEST_CASE("a partition without between", "[scenario]") {
  CHECK(load_error(R"("failures": [{"kind": "partition", "at_s": 1}])") ==
        "t.json:9:16: error: at /failures/0: missing required key \"between\"");
}

TEST_CASE("a slowdown factor below 1, a member of another kind", "[scenario]") {
  CHECK(load_error(R"("failures": [{"kind": "slow", "nodes": ["scheduler"], "at_s": 1, "factor": 0.5}])") ==
        "t.json:9:78: error: at /failures/0/factor: expected a number >= 1, found 0.5");
  CHECK(
      load_error(
          R"("failures": [{"kind": "crash", "nodes": ["passive_master_global"], "at_s": 1, "factor": 2}])") ==
      "t.json:9:81: error: at /failures/0/factor: unknown key \"factor\"; the keys allowed here are "
      "\"at_s\", \"duration_s\", \"host_up\", \"kind\", \"nodes\"");
}

TEST_CASE("preferred_geo promotion without a preferred geo", "[scenario]") {
  CHECK(load_error(R"("failover": {"shard_promotion": "preferred_geo"})") ==
        "t.json:9:15: error: at /failover: missing required key \"preferred_geo\" (shard_promotion is "
        "\"preferred_geo\")");
}

TEST_CASE("a loss share above 1, a failure after the end of the run", "[scenario]") {
  CHECK(
      load_error(R"("failures": [{"kind": "loss", "between": ["india", "usa"], "at_s": 1, "share": 1.5}])") ==
      "t.json:9:82: error: at /failures/0/share: expected a number > 0 and <= 1, found 1.5");
  CHECK(load_error(R"("failures": [{"kind": "partition", "between": ["india", "usa"], "at_s": 101}])") ==
        "t.json:9:75: error: at /failures/0/at_s: expected at_s <= duration_s (100), found 101");
}

TEST_CASE("the sentinel policy loads with Redis's defaults, and its mistakes are reported", "[scenario]") {
  const Scenario scenario = load_scenario_text(
      scenario_text(
          R"("failover": {"policy": "sentinel", "sentinel": {"geos": ["usa", "usa", "india"], "quorum": 2}})"),
      "t.json", LoadOptions{});
  CHECK(scenario.failover.detector == FailoverSpec::Detector::kSentinel);
  CHECK(scenario.failover.sentinel.geos == std::vector<shardsim::GeoId>{1, 1, 0});
  CHECK(scenario.failover.sentinel.quorum == 2);
  CHECK(scenario.failover.sentinel.down_after == 30 * kSecond);
  CHECK(scenario.failover.sentinel.failover_timeout == 180 * kSecond);
  CHECK(scenario.effective["failover"]["sentinel"]["down_after_ms"] == 30000);

  // All at once: a quorum above the sentinels, and an unknown geo with a did-you-mean.
  const std::string both = load_error(
      R"("failover": {"policy": "sentinel", "sentinel": {"geos": ["usa", "indai"], "quorum": 3}})");
  CHECK(both.find("/failover/sentinel/quorum") != std::string::npos);
  CHECK(both.find("quorum 3 is more than the 2 sentinel(s)") != std::string::npos);
  CHECK(both.find("/failover/sentinel/geos/1") != std::string::npos);
  CHECK(both.find("did you mean \"india\"") != std::string::npos);
  CHECK(load_error(R"("failover": {"policy": "sentinel"})").find("missing required key \"sentinel\"") !=
        std::string::npos);
  CHECK(load_error(R"("failover": {"sentinel": {"geos": ["usa"], "quorum": 1}})")
            .find("only used with \"policy\": \"sentinel\"") != std::string::npos);
  CHECK(load_error(R"("failover": {"policy": "sentinel", "sentinel": {"geos": [], "quorum": 1}})") !=
        "loaded");
}

TEST_CASE("sentinel state is bounded up front: sentinels squared x watched nodes", "[scenario][limits]") {
  // 15 sentinels over 1,000 shards with 60 slaves each: 61,002 watched nodes, 13.7 M opinions.
  std::string error = "loaded";
  try {
    load_scenario_text(R"({"duration_s": 10, "geos": ["india", "usa"], "shards": {"shard_count": 1000},
      "slaves": {"per_shard_per_geo": {"india": 30, "usa": 30}}, "workload": {"india": {"rate_per_s": 10}},
      "failover": {"policy": "sentinel", "sentinel": {"geos": ["usa", "usa", "usa", "usa", "usa", "usa", "usa",
        "usa", "usa", "usa", "usa", "usa", "usa", "usa", "india"], "quorum": 8}}})",
                       "t.json", LoadOptions{});
  } catch (const ScenarioError& e) {
    error = e.what();
  }
  CHECK(error.find("limit exceeded: at most 10000000 sentinel opinions") != std::string::npos);
  CHECK(error.find("sentinel views") == std::string::npos);  // 915,030 views: within their limit
}

}  // namespace
}  // namespace shardsim
