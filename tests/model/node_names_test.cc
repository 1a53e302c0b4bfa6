// node_names.h is the one place that names nodes: the topology the model builds has exactly the
// names the loader's checks accept, no more and no fewer.
#include "shardsim/scenario/node_names.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "shardsim/failure/failure_injector.h"
#include "shardsim/model/topology.h"
#include "support/test_scenarios.h"

namespace shardsim {
namespace {

using testing::test_scenario;

node_names::Shape shape_of(const Scenario& scenario) {
  node_names::Shape shape;
  shape.geos = scenario.geos;
  shape.shards = scenario.shards.size();
  for (std::size_t g = 0; g < scenario.geos.size(); ++g) {
    shape.slaves_per_shard.push_back(scenario.slaves.per_shard_per_geo[g]);
    shape.cache_nodes.push_back(scenario.caches[g].nodes);
  }
  return shape;
}

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

// Several slaves per shard in one geo (numbered ".j"), one in the other, none in a third.
const nlohmann::json kUneven = nlohmann::json::parse(R"({
  "geos": ["east", "west", "edge"],
  "shards": {"shard_count": 3},
  "slaves": {"per_shard_per_geo": {"east": 2, "west": 1, "edge": 0}},
  "caches": {"east": {"nodes": 3, "capacity_keys_per_node": 10, "ttl_s": 10},
             "west": {"nodes": 1, "capacity_keys_per_node": 10, "ttl_s": 10},
             "edge": {"nodes": 2, "capacity_keys_per_node": 10, "ttl_s": 10}},
  "workload": {"east": {"rate_per_s": 10}, "west": {"rate_per_s": 10}, "edge": {"rate_per_s": 10}}
})");

TEST_CASE("the topology's node names are the ones the loader accepts", "[model][node_names]") {
  const Scenario scenario = test_scenario(kUneven);
  Topology topology(scenario);
  const node_names::Shape shape = shape_of(scenario);

  std::vector<std::string> built;
  for (Node* node : topology.nodes()) built.push_back(node->name());
  CHECK(sorted(built) == sorted(node_names::list(shape, false, 1'000'000)));
  for (const std::string& name : built) CHECK(node_names::is_node(shape, name));

  const std::vector<std::string> crashable = FailureInjector::crashable_names(topology);
  CHECK(sorted(crashable) == sorted(node_names::list(shape, true, 1'000'000)));
  for (const std::string& name : crashable) CHECK(node_names::is_crashable(shape, name));
}

TEST_CASE("names outside the shape are refused", "[model][node_names]") {
  const node_names::Shape shape = shape_of(test_scenario(kUneven));
  CHECK(node_names::is_crashable(shape, "shard_slave_east_3.2"));
  CHECK_FALSE(node_names::is_crashable(shape, "shard_slave_east_3"));    // east numbers its slaves
  CHECK_FALSE(node_names::is_crashable(shape, "shard_slave_east_3.3"));  // only two per shard
  CHECK_FALSE(node_names::is_crashable(shape, "shard_slave_west_1.1"));  // west has one
  CHECK_FALSE(node_names::is_crashable(shape, "shard_slave_edge_1"));    // edge has none
  CHECK_FALSE(node_names::is_crashable(shape, "shard_master_global_4"));
  CHECK_FALSE(node_names::is_crashable(shape, "shard_master_global_01"));
  CHECK_FALSE(node_names::is_crashable(shape, "cache_east_1"));  // a cache can be slow, not crash
  CHECK(node_names::is_crashable(shape, "shard_master_global_1"));
  CHECK_FALSE(node_names::is_node(shape, "shard_master_global_1"));  // crashes, cannot be slowed
  CHECK(node_names::is_node(shape, "cache_east_3"));
  CHECK_FALSE(node_names::is_node(shape, "cache_east_4"));
  CHECK(node_names::is_node(shape, "write_async_edge"));
  CHECK_FALSE(node_names::is_node(shape, "write_async_mars"));
}

TEST_CASE("a list stops at its limit", "[model][node_names]") {
  const node_names::Shape shape = shape_of(test_scenario(kUneven));
  CHECK(node_names::list(shape, true, 4).size() == 4);
  CHECK(node_names::list(shape, true, 4)[2] == "shard_master_global_1");
}

}  // namespace
}  // namespace shardsim
