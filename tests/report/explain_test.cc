// `shardsim explain`: the resolved topology as text and as Graphviz DOT.
#include "shardsim/report/explain.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "shardsim/failure/failure_injector.h"
#include "shardsim/model/topology.h"
#include "support/test_scenarios.h"

using namespace shardsim;
using shardsim::testing::test_scenario;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Two slaves per shard in west, one in east; two cache nodes in east.
Scenario sample() {
  return test_scenario(nlohmann::json::parse(R"({
    "slaves": {"per_shard_per_geo": {"east": 1, "west": 2}},
    "caches": {"east": {"nodes": 2, "capacity_keys_per_node": 30, "ttl_s": 5}}})"));
}

}  // namespace

TEST_CASE("explain lists masters, shards as keys, caches and slaves with ring shares", "[explain]") {
  const Scenario s = sample();
  Topology t(s);
  const std::string text = explain_text(t);
  CHECK(has(text, "active_master_global"));
  CHECK(has(text, "passive_master_global"));
  // 100 keys from 1 in two shards: keys, not indices.
  CHECK(has(text, "keys 1-50"));
  CHECK(has(text, "keys 51-100"));
  CHECK(has(text, "shard_master_global_2"));
  CHECK(has(text, "cache_east_1"));
  CHECK(has(text, "cache_east_2"));
  CHECK(has(text, "capacity 30 keys"));
  CHECK(has(text, "shard_slave_west_1.2"));
  // A lone member owns the whole ring; two share it.
  CHECK(has(text, "ring share 100.0% (100 keys)"));
  CHECK(has(text, "ring share 100.0% (50 keys)"));
  CHECK(has(text, "active_master_global -> shard_master_global_1"));
  CHECK(has(text, "shard_master_global_1 -> shard_slave_east_1"));
  CHECK(has(text, "east<->west"));
  for (const std::string& name : FailureInjector::crashable_names(t)) CHECK(has(text, name));
}

TEST_CASE("explain shows each geo's DNS and CDN edge with their settings", "[explain]") {
  const Scenario s = test_scenario(nlohmann::json::parse(R"({
    "edge": {"dns_lookup_ms": 31, "cdn_response_ms": 7},
    "workload": {"east": {"rate_per_s": 10, "static_fraction": 0.25, "dns_lookup_fraction": 0.125}}})"));
  Topology t(s);
  const std::string text = explain_text(t);
  INFO(text);
  for (const std::string& geo : s.geos) {
    CHECK(has(text, "dns_" + geo));
    CHECK(has(text, "cdn_edge_" + geo));
    CHECK(has(text, "workload." + geo + ".dns_lookup_fraction"));
    CHECK(has(text, "workload." + geo + ".static_fraction"));
  }
  CHECK(has(text, "edge.dns_lookup_ms"));
  CHECK(has(text, "edge.cdn_response_ms"));
  CHECK(has(text, "12.5% of requests look the name up first"));
  CHECK(has(text, "answers the 25% static requests"));
  CHECK(has(text, s.edges[0].dns_lookup_ms.describe() + " ms each"));
  CHECK(has(text, s.edges[0].cdn_response_ms.describe() + " ms"));
}

TEST_CASE("explain's ring shares are the rings' own ownership", "[explain]") {
  const Scenario s = sample();
  Topology t(s);
  const std::string text = explain_text(t);
  for (const auto& [member, share] : t.geos[0].clb->ring().ownership()) {
    CHECK(has(text, fmt::format("ring share {:5.1f}%", share * 100)));
    CHECK(share < 1.0);
  }
}

TEST_CASE("explain --dot names every master and slave and is valid Graphviz", "[explain]") {
  const Scenario s = sample();
  Topology t(s);
  const std::string dot = explain_dot(t);
  CHECK(dot.rfind("digraph", 0) == 0);
  CHECK(has(dot, "\"cluster_east\""));
  CHECK(has(dot, "\"cluster_west\""));
  CHECK(has(dot, "\"active_master_global\""));
  CHECK(has(dot, "\"passive_master_global\""));
  for (auto& sm : t.shard_masters) CHECK(has(dot, "\"" + sm->name() + "\""));
  for (auto& slave : t.slaves) {
    CHECK(has(dot, "\"" + slave->replica().name() + "\""));
    CHECK(has(dot, "-> \"" + slave->replica().name() + "\" [style=dashed"));
  }

  if (std::system("command -v dot >/dev/null 2>&1") != 0) {
    WARN("graphviz `dot` not installed: DOT syntax not checked");
    return;
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("shardsim-explain-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "t.dot") << dot;
  const std::string command = "dot -Tsvg '" + (dir / "t.dot").string() + "' -o '" + (dir / "t.svg").string() +
                              "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(command.c_str());
  std::ifstream err(dir / "err");
  const std::string errors((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  INFO(errors);
  CHECK(status == 0);
  CHECK(std::filesystem::file_size(dir / "t.svg") > 0);
  std::filesystem::remove_all(dir);
}
