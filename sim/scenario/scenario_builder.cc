#include "scenario/scenario_builder.h"

#include <algorithm>

#include "scenario/failures_builder.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

NodeSpec node_from_json(const json& value) {
  NodeSpec node;
  node.servers = value.at("servers").get<std::uint32_t>();
  node.queue_capacity = value.at("queue_capacity").get<std::uint32_t>();
  node.service_ms = distribution_from_json(value.at("service_ms"));
  return node;
}

ReplicationHopSpec hop_from_json(const json& value) {
  ReplicationHopSpec hop;
  hop.batch_interval = from_ms(value.at("batch_interval_ms").get<double>());
  hop.batch_jitter = value.at("batch_jitter").get<double>();
  hop.max_batch_entries = value.at("max_batch_entries").get<std::uint32_t>();
  hop.apply_ms_per_entry = distribution_from_json(value.at("apply_ms_per_entry"));
  return hop;
}

LoadBalancerSpec load_balancer_from_json(const json& value) {
  LoadBalancerSpec balancer;
  balancer.vnodes_per_node = value.at("vnodes_per_node").get<std::uint32_t>();
  if (value.contains("bounded_load_factor"))
    balancer.bounded_load_factor = value["bounded_load_factor"].get<double>();
  return balancer;
}

CacheSpec cache_from_json(const json& value) {
  CacheSpec cache;
  cache.nodes = value.at("nodes").get<std::uint32_t>();
  cache.capacity_keys_per_node = value.at("capacity_keys_per_node").get<std::uint64_t>();
  cache.ttl = from_s(value.at("ttl_s").get<double>());
  cache.invalidation = value.at("invalidation") == "on_slave_apply" ? CacheInvalidation::kOnSlaveApply
                                                                    : CacheInvalidation::kTtlOnly;
  cache.node = node_from_json(value.at("node"));
  return cache;
}

GeoWorkloadSpec workload_from_json(const json& value, std::uint64_t key_count) {
  GeoWorkloadSpec workload;
  workload.rate_per_s = value.at("rate_per_s").get<double>();
  workload.static_fraction = value.at("static_fraction").get<double>();
  workload.read_fraction = value.at("read_fraction").get<double>();
  workload.async_write_fraction = value.at("async_write_fraction").get<double>();
  workload.dns_lookup_fraction = value.at("dns_lookup_fraction").get<double>();
  workload.keys = key_popularity_from_json(value.at("keys"), key_count);
  workload.shape = load_shape_from_json(value.at("shape"));
  return workload;
}

NetworkSpec network_from_json(const json& value, const Scenario& scenario) {
  NetworkSpec network;
  network.intra_geo_latency_ms = distribution_from_json(value.at("intra_geo_latency_ms"));
  network.inter_geo_latency_ms = distribution_from_json(value.at("inter_geo_latency_ms"));
  network.message_bytes = value.at("message_bytes").get<std::uint32_t>();
  network.timeout = from_ms(value.at("timeout_ms").get<double>());
  for (const auto& link : value.at("links")) {
    LinkSpec spec;
    spec.latency_ms = distribution_from_json(link.at("latency_ms"));
    if (link.contains("bandwidth_bytes_per_s"))
      spec.bandwidth_bytes_per_s = link["bandwidth_bytes_per_s"].get<double>();
    const bool both_ways = link.contains("between");
    spec.from = scenario.geo_id(both_ways ? link["between"][0].get<std::string>()
                                          : link.at("from").get<std::string>());
    spec.to =
        scenario.geo_id(both_ways ? link["between"][1].get<std::string>() : link.at("to").get<std::string>());
    network.links.push_back(spec);
    if (both_ways && spec.from != spec.to) {
      std::swap(spec.from, spec.to);
      network.links.push_back(spec);
    }
  }
  return network;
}

// Per-geo pieces, indexed by GeoId.
void build_per_geo(const json& document, Scenario& scenario) {
  for (const auto& geo : scenario.geos) {
    scenario.slaves.per_shard_per_geo.push_back(
        document["slaves"]["per_shard_per_geo"].at(geo).get<std::uint32_t>());
    scenario.caches.push_back(cache_from_json(document["caches"].at(geo)));
    scenario.workload.push_back(workload_from_json(document["workload"].at(geo), scenario.keys.count));
    scenario.edges.push_back({distribution_from_json(document["edge"]["dns_lookup_ms"]),
                              distribution_from_json(document["edge"]["cdn_response_ms"])});
    const json& front_end = document["front_end"];
    scenario.front_ends.push_back(
        {node_from_json(front_end["api_gateway"]), node_from_json(front_end["read_api"]),
         node_from_json(front_end["write_sync"]), node_from_json(front_end["write_async"])});
  }
}

void build_roles(const json& document, Scenario& scenario) {
  const json& master = document["global_master"];
  scenario.masters.active_geo = scenario.geo_id(master["active_geo"].get<std::string>());
  scenario.masters.standby_geo = scenario.geo_id(master["standby_geo"].get<std::string>());
  scenario.masters.node = node_from_json(master["node"]);
  scenario.shard_masters.geo = scenario.geo_id(document["shard_masters"]["geo"].get<std::string>());
  scenario.shard_masters.node = node_from_json(document["shard_masters"]["node"]);
  scenario.slaves.node = node_from_json(document["slaves"]["node"]);
  const json& async_path = document["async_path"];
  scenario.async_path.geo = scenario.geo_id(async_path["geo"].get<std::string>());
  scenario.async_path.scheduler = node_from_json(async_path["scheduler"]);
  scenario.async_path.queue_capacity = async_path["queue_capacity"].get<std::uint64_t>();
  scenario.async_path.consumer = node_from_json(async_path["consumer"]);
  scenario.async_path.object_store = node_from_json(async_path["object_store"]);
}

}  // namespace

std::vector<ShardSpec> shards_from_json(const json& shards, std::uint64_t first_key,
                                        std::uint64_t key_count) {
  std::vector<ShardSpec> out;
  if (shards.is_array()) {
    for (const auto& shard : shards)
      out.push_back({shard["first_key"].get<std::uint64_t>(), shard["last_key"].get<std::uint64_t>()});
    return out;
  }
  // An even split; the last shard takes the remainder (1000 keys in 3: 333, 333, 334).
  const std::uint64_t count = shards["shard_count"].get<std::uint64_t>();
  const std::uint64_t size = key_count / count;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t first = first_key + i * size;
    out.push_back({first, i + 1 == count ? first_key + key_count - 1 : first + size - 1});
  }
  return out;
}

Scenario build_scenario(const json& document) {
  Scenario scenario;
  scenario.name = document["name"].get<std::string>();
  scenario.description = document["description"].get<std::string>();
  scenario.seed = document["seed"].get<std::uint64_t>();
  scenario.duration = from_s(document["duration_s"].get<double>());
  scenario.geos = document["geos"].get<std::vector<std::string>>();
  scenario.network = network_from_json(document["network"], scenario);
  const json& keys = document["keys"];
  scenario.keys = {keys["first"].get<std::uint64_t>(), keys["count"].get<std::uint64_t>(),
                   keys["value_bytes"].get<std::uint32_t>()};
  scenario.shards = shards_from_json(document["shards"], scenario.keys.first_key, scenario.keys.count);
  build_roles(document, scenario);
  build_per_geo(document, scenario);
  scenario.slb = load_balancer_from_json(document["load_balancers"]["slb"]);
  scenario.clb = load_balancer_from_json(document["load_balancers"]["clb"]);
  const json& replication = document["replication"];
  scenario.replication = {hop_from_json(replication["master_to_standby"]),
                          hop_from_json(replication["master_to_shard_master"]),
                          hop_from_json(replication["shard_master_to_slave"])};
  const std::uint64_t shard_count = std::max<std::uint64_t>(scenario.shards.size(), 1);
  scenario.replication.log_retention_entries =
      replication.contains("log_retention_entries")
          ? replication["log_retention_entries"].get<std::uint64_t>()
          : std::min(ReplicationSpec::kDefaultLogRetention,
                     ReplicationSpec::kMaxRetainedEntries / shard_count);
  const json& report = document["report"];
  scenario.report = {from_s(report["warmup_s"].get<double>()),
                     from_s(report["sample_interval_s"].get<double>()),
                     report["fresh_share_target"].get<double>(), report["hot_share_target"].get<double>()};
  build_failures(document, scenario);  // after the geos and the masters: it resolves geo names
  scenario.effective = document;
  return scenario;
}

}  // namespace shardsim::scenario_internal
