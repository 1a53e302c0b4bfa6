#include "scenario/scenario_builder.h"

#include <algorithm>

#include <fmt/format.h>

#include "scenario/failures_builder.h"
#include "shardsim/scenario/region_catalog.h"

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

// The latency a direction gets without an explicit one: from the region tables when both geos are
// bound (the loader has checked every binding, check_region_bindings, so each lookup succeeds),
// else the scenario's intra or inter geo default.
LinkSpec default_link(const NetworkSpec& network, GeoId from, GeoId to, double p99_over_median) {
  LinkSpec spec;
  spec.from = from;
  spec.to = to;
  const std::string& here = network.regions[from];
  const std::string& there = network.regions[to];
  if (from == to || here.empty() || there.empty()) {
    spec.latency_ms = from == to ? network.intra_geo_latency_ms : network.inter_geo_latency_ms;
    spec.source = from == to ? "network.intra_geo_latency_ms" : "network.inter_geo_latency_ms";
    return spec;
  }
  const RegionRef a = *parse_region_ref(here), b = *parse_region_ref(there);
  const RegionDataset& dataset = *find_region_dataset(a.provider);
  const double out = *dataset.round_trip_ms(a.region, b.region),
               back = *dataset.round_trip_ms(b.region, a.region);
  spec.latency_ms = region_link_latency(out, back, p99_over_median);
  spec.source = fmt::format("{} -> {}: round trips {} and {} ms ({}), halved", here, there, out, back,
                            dataset.provenance().file);
  return spec;
}

// Explicit links first, then a derived link for each direction between two bound geos that no
// explicit link sets. A link without latency_ms keeps the direction's default latency and adds
// its bandwidth.
std::vector<LinkSpec> links_from_json(const json& links, const NetworkSpec& network, const Scenario& scenario,
                                      double p99_over_median) {
  std::vector<LinkSpec> out;
  for (std::size_t i = 0; i < links.size(); ++i) {
    const json& link = links[i];
    const bool both_ways = link.contains("between");
    const GeoId from = scenario.geo_id(both_ways ? link["between"][0].get<std::string>()
                                                 : link.at("from").get<std::string>());
    const GeoId to =
        scenario.geo_id(both_ways ? link["between"][1].get<std::string>() : link.at("to").get<std::string>());
    for (const auto& [a, b] : {std::pair(from, to), std::pair(to, from)}) {
      const std::string entry = fmt::format("network.links[{}]", i);
      LinkSpec spec;
      if (link.contains("latency_ms")) {
        spec.from = a;
        spec.to = b;
        spec.latency_ms = distribution_from_json(link["latency_ms"]);
        spec.source = entry;
      } else {
        spec = default_link(network, a, b, p99_over_median);
        spec.source = entry + " (bandwidth; latency from " + spec.source + ")";
      }
      if (link.contains("bandwidth_bytes_per_s"))
        spec.bandwidth_bytes_per_s = link["bandwidth_bytes_per_s"].get<double>();
      out.push_back(spec);
      if (!both_ways || from == to) break;
    }
  }
  for (GeoId from = 0; from < network.regions.size(); ++from) {
    for (GeoId to = 0; to < network.regions.size(); ++to) {
      const bool set = std::any_of(out.begin(), out.end(),
                                   [&](const LinkSpec& link) { return link.from == from && link.to == to; });
      if (from != to && !network.regions[from].empty() && !network.regions[to].empty() && !set)
        out.push_back(default_link(network, from, to, p99_over_median));
    }
  }
  return out;
}

NetworkSpec network_from_json(const json& value, const Scenario& scenario) {
  NetworkSpec network;
  network.intra_geo_latency_ms = distribution_from_json(value.at("intra_geo_latency_ms"));
  network.inter_geo_latency_ms = distribution_from_json(value.at("inter_geo_latency_ms"));
  network.message_bytes = value.at("message_bytes").get<std::uint32_t>();
  network.timeout = from_ms(value.at("timeout_ms").get<double>());
  network.regions.assign(scenario.geos.size(), "");
  for (const auto& [geo, region] : value.at("regions").items())
    network.regions[scenario.geo_id(geo)] = region.get<std::string>();
  network.links =
      links_from_json(value.at("links"), network, scenario, value.at("region_p99_over_median").get<double>());
  return network;
}

std::vector<SloSpec> slo_thresholds_from_json(const json& slos) {
  std::vector<SloSpec> out;
  for (const json& slo : slos) {
    SloSpec spec;
    spec.metric = slo.at("metric").get<std::string>();
    if (slo.contains("min")) spec.min = slo["min"].get<double>();
    if (slo.contains("max")) spec.max = slo["max"].get<double>();
    out.push_back(spec);
  }
  return out;
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
  // No schema defaults for these two: a scenario that does not use them keeps its effective form.
  scenario.masters.min_replicas_to_write = master.value("min_replicas_to_write", 0u);
  scenario.masters.min_replicas_max_lag_s = master.value("min_replicas_max_lag_s", 10u);
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

KeySpaceSpec::State key_state_from_json(const json& value) {
  const std::string& name = value.get_ref<const std::string&>();
  return name == "dense"    ? KeySpaceSpec::State::kDense
         : name == "sparse" ? KeySpaceSpec::State::kSparse
                            : KeySpaceSpec::State::kAuto;
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
                   keys["value_bytes"].get<std::uint32_t>(), key_state_from_json(keys["state"])};
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
                     report["fresh_share_target"].get<double>(), report["hot_share_target"].get<double>(),
                     slo_thresholds_from_json(report["slo"])};
  build_failures(document, scenario);  // after the geos and the masters: it resolves geo names
  scenario.effective = document;
  return scenario;
}

}  // namespace shardsim::scenario_internal
