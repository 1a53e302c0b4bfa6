// Every scenario shipped in scenarios/ loads, and validates against the schema both as written
// and with defaults filled in (so the schema's defaults are themselves valid).
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "shardsim/scenario/loader.h"
#include "support/valijson_check.h"

namespace shardsim {
namespace {

using nlohmann::json;

std::vector<std::filesystem::path> shipped_scenarios() {
  std::vector<std::filesystem::path> paths;
  // The scenarios at the top and the incident replays (docs/incidents.md).
  for (const char* dir : {"/scenarios", "/scenarios/incidents"}) {
    for (const auto& entry : std::filesystem::directory_iterator(std::string(SHARDSIM_SOURCE_DIR) + dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

TEST_CASE("every shipped scenario loads and matches the schema", "[scenario]") {
  const auto paths = shipped_scenarios();
  REQUIRE(!paths.empty());
  for (const auto& path : paths) {
    INFO(path.string());
    Scenario scenario;
    try {
      scenario = load_scenario_file(path.string());
    } catch (const ScenarioError& error) {
      FAIL(error.what());
    }
    CHECK(scenario_internal::check_with_valijson(read_json(path)).empty());
    CHECK(scenario_internal::check_with_valijson(scenario.effective).empty());
  }
}

TEST_CASE("the seed scenario becomes the model it describes", "[scenario]") {
  const Scenario s = load_scenario_file(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/seed.json");
  CHECK(s.name == "seed");
  CHECK(s.seed == 42);
  CHECK(s.duration == 120 * kSecond);
  REQUIRE(s.geos == std::vector<std::string>{"india", "usa"});
  CHECK(s.geo_id("usa") == 1);
  CHECK_THROWS_AS(s.geo_id("mars"), std::out_of_range);

  REQUIRE(s.shards.size() == 3);
  CHECK(s.shards[0].first_key == 1);
  CHECK(s.shards[0].last_key == 333);
  CHECK(s.shards[1].first_key == 334);
  CHECK(s.shards[2].last_key == 1000);

  REQUIRE(s.network.links.size() == 2);  // "between" expands to both directions
  CHECK(s.network.links[0].from == 0);
  CHECK(s.network.links[0].to == 1);
  CHECK(s.network.links[1].from == 1);
  CHECK(s.network.links[1].to == 0);
  CHECK(s.network.links[1].bandwidth_bytes_per_s == 125000000.0);
  CHECK(s.network.links[0].latency_ms.kind() == Distribution::Kind::kLognormal);

  CHECK(s.masters.active_geo == 1);
  CHECK(s.masters.node.servers == 16);
  CHECK(s.shard_masters.geo == 1);
  CHECK(s.slaves.per_shard_per_geo == std::vector<std::uint32_t>{1, 1});
  REQUIRE(s.caches.size() == 2);
  CHECK(s.caches[0].capacity_keys_per_node == 200);
  CHECK(s.caches[0].ttl == 30 * kSecond);
  CHECK(s.caches[0].invalidation == CacheInvalidation::kTtlOnly);
  CHECK(s.replication.shard_master_to_slave.batch_interval == 50 * kMillisecond);
  CHECK(s.replication.master_to_standby.apply_ms_per_entry.kind() == Distribution::Kind::kConstant);
  CHECK(s.front_ends.size() == 2);
  CHECK(s.edges.size() == 2);
  CHECK(s.async_path.consumer.queue_capacity == 0);
  CHECK(s.async_path.object_store.servers == 32);
  REQUIRE(s.workload.size() == 2);
  CHECK(s.workload[1].rate_per_s == 600);
  CHECK(s.workload[0].read_fraction == 0.9);
  CHECK(s.workload[0].keys.law() == KeyPopularity::Law::kHotSet);
  CHECK(s.workload[0].keys.key_count() == 1000);
  CHECK(s.report.warmup == 10 * kSecond);
  CHECK(s.effective["seed"] == 42);
}

}  // namespace
}  // namespace shardsim
