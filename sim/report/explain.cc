#include "shardsim/report/explain.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "shardsim/failure/failure_injector.h"
#include "shardsim/model/topology.h"

namespace shardsim {

namespace {

// Counting the keys each ring member owns costs two ring lookups per key and geo (CLB and SLB):
// worth it for the key sets of hand-written scenarios, where 100 virtual nodes still leave a
// visible imbalance, not for 10^7 keys (explain should answer at once).
constexpr std::uint64_t kMaxKeysToCount = 200'000;

std::string node_spec(const NodeSpec& spec) {
  return fmt::format("{} servers, queue {}, service {} ms", spec.servers, spec.queue_capacity,
                     spec.service_ms.describe());
}

std::string key_range(const KeySpace& keys, std::uint32_t shard) {
  const std::uint64_t first = keys.first_index(shard);
  return fmt::format("{}-{}", keys.key_of(first), keys.key_of(first + keys.shard_size(shard) - 1));
}

std::string ring_spec(const LoadBalancerSpec& spec) {
  return spec.bounded_load_factor ? fmt::format("{} vnodes per node, bounded loads c={}",
                                                spec.vnodes_per_node, *spec.bounded_load_factor)
                                  : fmt::format("{} vnodes per node, plain ring", spec.vnodes_per_node);
}

// Keys of [first, first + count) owned by each ring member; empty when the scenario has too many
// keys to count.
std::map<std::uint32_t, std::uint64_t> keys_owned(const KeySpace& keys, const HashRing& ring,
                                                  std::uint64_t first, std::uint64_t count) {
  std::map<std::uint32_t, std::uint64_t> owned;
  if (ring.empty() || keys.key_count() > kMaxKeysToCount) return owned;
  for (std::uint64_t k = first; k < first + count; ++k) ++owned[ring.owner(k)];
  return owned;
}

std::string share_text(double share, const std::map<std::uint32_t, std::uint64_t>& owned,
                       std::uint32_t member) {
  std::string out = fmt::format("ring share {:5.1f}%", share * 100);
  if (!owned.empty()) {
    const auto it = owned.find(member);
    out += fmt::format(" ({} keys)", it == owned.end() ? 0 : it->second);
  }
  return out;
}

const char* cache_invalidation_name(CacheInvalidation i) {
  return i == CacheInvalidation::kOnSlaveApply ? "on_slave_apply" : "ttl_only";
}

// The hop spec a stream follows, from the role of the copy it feeds.
const ReplicationHopSpec& hop_of(const Scenario& s, const Replica& target) {
  switch (target.role()) {
    case ReplicaRole::kStandbyMaster:
      return s.replication.master_to_standby;
    case ReplicaRole::kShardMaster:
      return s.replication.master_to_shard_master;
    case ReplicaRole::kShardSlave:
      break;
  }
  return s.replication.shard_master_to_slave;
}

std::string source_name(const StreamSource& source) {
  return source.replica ? source.replica->name() : source.master->name();
}

// The box a copy lives in: the standby's per-shard copies are parts of the passive master.
std::string box_of(Topology& t, const Replica& replica) {
  return replica.role() == ReplicaRole::kStandbyMaster ? t.passive_master->name() : replica.name();
}

// "  label: a, b, c" wrapped at about 100 columns, continuation lines indented under the first name.
std::string listing(const std::string& label, const std::vector<std::string>& names) {
  std::string out = "  " + label + ":";
  const std::size_t indent = out.size() + 1;
  std::size_t column = out.size();
  if (names.empty()) return out + " -\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string item = names[i] + (i + 1 < names.size() ? "," : "");
    if (column + 1 + item.size() > 100 && column > indent) {
      out += "\n" + std::string(indent - 1, ' ');
      column = indent - 1;
    }
    out += " " + item;
    column += 1 + item.size();
  }
  return out + "\n";
}

// Where each direction's latency comes from: the scenario's defaults, an explicit link, or a region
// table (a later link of the same direction wins, as in Network).
void latency_sources(std::string& out, const Scenario& s) {
  out += "\nNetwork: where each latency comes from\n";
  for (GeoId a = 0; a < s.geos.size(); ++a) {
    for (GeoId b = 0; b < s.geos.size(); ++b) {
      const LinkSpec* link = nullptr;
      for (const LinkSpec& candidate : s.network.links)
        if (candidate.from == a && candidate.to == b) link = &candidate;
      const Distribution& latency = link     ? link->latency_ms
                                    : a == b ? s.network.intra_geo_latency_ms
                                             : s.network.inter_geo_latency_ms;
      const std::string source = link     ? link->source
                                 : a == b ? "network.intra_geo_latency_ms"
                                          : "network.inter_geo_latency_ms";
      out += fmt::format("  {:<25} {:<36} {}\n", s.geos[a] + " -> " + s.geos[b], latency.describe(), source);
    }
  }
}

void overview(std::string& out, Topology& t) {
  const Scenario& s = t.scenario;
  out += fmt::format("Scenario \"{}\" (seed {}, {} s): {} geos, keys {}-{} in {} shards\n", s.name, s.seed,
                     to_s(s.duration), s.geos.size(), t.keys.key_of(0), t.keys.key_of(t.keys.key_count() - 1),
                     t.keys.shard_count());
  out += "\nGeos\n";
  for (GeoId g = 0; g < s.geos.size(); ++g) {
    out += fmt::format("  {:<12} {} req/s offered, {} slave(s) per shard, {} cache node(s)\n", s.geos[g],
                       s.workload[g].rate_per_s, s.slaves.per_shard_per_geo[g], s.caches[g].nodes);
  }
  out += "\nNetwork: mean one-way latency (ms), row = from, column = to\n";
  out += fmt::format("  {:<12}", "");
  for (const std::string& geo : s.geos) out += fmt::format(" {:>10}", geo);
  out += "\n";
  for (GeoId a = 0; a < s.geos.size(); ++a) {
    out += fmt::format("  {:<12}", s.geos[a]);
    for (GeoId b = 0; b < s.geos.size(); ++b)
      out += fmt::format(" {:>10.3f}", t.network.mean_latency_ms(a, b));
    out += "\n";
  }
  latency_sources(out, s);
}

void masters(std::string& out, Topology& t) {
  const Scenario& s = t.scenario;
  out += "\nGlobal masters (writes commit only at the active one)\n";
  for (GlobalMaster* m : {t.active_master.get(), t.passive_master.get()}) {
    out += fmt::format("  {:<24} {:<8} {:<12} {}\n", m->name(), m->active() ? "active" : "standby",
                       s.geos[m->geo()], node_spec(s.masters.node));
  }
  out += "\nShards (range sharded; each fed lazily by the active master)\n";
  std::size_t width = 0;
  for (std::uint32_t shard = 0; shard < t.keys.shard_count(); ++shard) {
    width = std::max(width, key_range(t.keys, shard).size());
  }
  for (std::uint32_t shard = 0; shard < t.keys.shard_count(); ++shard) {
    const ShardMaster& sm = *t.shard_masters[shard];
    out +=
        fmt::format("  shard {:<3} keys {:<{}}  {:>8} keys  master {} in {}\n", shard + 1,
                    key_range(t.keys, shard), width, t.keys.shard_size(shard), sm.name(), s.geos[sm.geo()]);
  }
}

void geo_section(std::string& out, Topology& t, GeoId g) {
  const Scenario& s = t.scenario;
  GeoFrontEnd& fe = t.geos[g];
  const FrontEndSpec& spec = s.front_ends[g];
  // The seed diagram's first two boxes: clients resolve the name (DNS), then the CDN edge answers
  // the static requests and passes the rest to the front end.
  const EdgeSpec& edge = s.edges[g];
  const GeoWorkloadSpec& load = s.workload[g];
  out += fmt::format("\nGeo {}\n  clients: {:g} requests/s\n", s.geos[g], load.rate_per_s);
  out += fmt::format(
      "    {:<26} {:g}% of requests look the name up first (workload.{}.dns_lookup_fraction), "
      "{} ms each (edge.dns_lookup_ms)\n",
      "dns_" + s.geos[g], load.dns_lookup_fraction * 100, s.geos[g], edge.dns_lookup_ms.describe());
  out += fmt::format(
      "    {:<26} answers the {:g}% static requests (workload.{}.static_fraction) in {} ms "
      "(edge.cdn_response_ms); the rest go on to the front end\n",
      "cdn_edge_" + s.geos[g], load.static_fraction * 100, s.geos[g], edge.cdn_response_ms.describe());
  out += "  front end\n";
  out += fmt::format("    {:<26} {}\n", fe.gateway->node().name(), node_spec(spec.api_gateway));
  out += fmt::format("    {:<26} {}\n", fe.read_api->node().name(), node_spec(spec.read_api));
  out += fmt::format("    {:<26} {}\n", fe.write_sync->node().name(), node_spec(spec.write_sync));
  out += fmt::format("    {:<26} {}\n", fe.write_async->node().name(), node_spec(spec.write_async));

  const CacheSpec& cache = s.caches[g];
  out += fmt::format("  CLB ({}): {} cache node(s), capacity {} keys each, TTL {} s, invalidation {}\n",
                     ring_spec(s.clb), fe.clb->node_count(), cache.capacity_keys_per_node, to_s(cache.ttl),
                     cache_invalidation_name(cache.invalidation));
  const auto cache_keys = keys_owned(t.keys, fe.clb->ring(), 0, t.keys.key_count());
  for (const auto& [member, share] : fe.clb->ring().ownership()) {
    out += fmt::format("    {:<26} {}  {}\n", fe.clb->node(member).node().name(),
                       share_text(share, cache_keys, member), node_spec(cache.node));
  }

  out += fmt::format("  SLB ({}); each slave: {}\n", ring_spec(s.slb), node_spec(s.slaves.node));
  for (std::uint32_t shard = 0; shard < t.keys.shard_count(); ++shard) {
    const HashRing& ring = fe.slb->ring(shard);
    out += fmt::format("    shard {} (keys {}):{}\n", shard + 1, key_range(t.keys, shard),
                       ring.empty() ? " no slave here (reads of it fail in this geo)" : "");
    const auto owned = keys_owned(t.keys, ring, t.keys.first_index(shard), t.keys.shard_size(shard));
    for (const auto& [member, share] : ring.ownership()) {
      out += fmt::format("      {:<24} {}\n", t.slaves[member]->replica().name(),
                         share_text(share, owned, member));
    }
  }
}

void replication(std::string& out, Topology& t) {
  const Scenario& s = t.scenario;
  out += "\nLazy replication hops (ordered log shipped in batches; link = mean one-way latency)\n";
  std::size_t width = 0;
  for (auto& stream : t.streams)
    width = std::max(width, source_name(stream->source()).size() + 4 + stream->target().name().size());
  for (auto& stream : t.streams) {
    const Replica& target = stream->target();
    const ReplicationHopSpec& hop = hop_of(s, target);
    const GeoId from = stream->source().geo;
    out += fmt::format("  {:<{}}  every {} ms, <= {} entries, apply {} ms/entry, link {}->{} {:.3f} ms\n",
                       source_name(stream->source()) + " -> " + target.name(), width,
                       to_ms(hop.batch_interval), hop.max_batch_entries, hop.apply_ms_per_entry.describe(),
                       s.geos[from], s.geos[target.geo()], t.network.mean_latency_ms(from, target.geo()));
  }
}

void async_path(std::string& out, Topology& t) {
  const AsyncPathSpec& a = t.scenario.async_path;
  out += fmt::format(
      "\nAsync write path (in {}): write_async_<geo> -> scheduler -> message queue -> consumers -> "
      "{} + object store\n",
      t.scenario.geos[a.geo], t.active_master->name());
  out += fmt::format("    {:<26} {}\n", t.scheduler->node().name(), node_spec(a.scheduler));
  out += fmt::format("    {:<26} capacity {} messages\n", "message queue", t.queue->capacity());
  out += fmt::format("    {:<26} {}\n", t.consumers->node().name(), node_spec(a.consumer));
  out += fmt::format("    {:<26} {}\n", t.consumers->object_store().node().name(), node_spec(a.object_store));
}

void failure_targets(std::string& out, Topology& t) {
  const Scenario& s = t.scenario;
  out += "\nFailure targets\n";
  out += listing("crash, random_crashes", FailureInjector::crashable_names(t));
  std::vector<std::string> nodes;
  for (Node* n : t.nodes()) nodes.push_back(n->name());
  out += listing("slow", nodes);
  std::vector<std::string> links;
  for (GeoId a = 0; a < s.geos.size(); ++a) {
    for (GeoId b = a + 1; b < s.geos.size(); ++b) links.push_back(s.geos[a] + "<->" + s.geos[b]);
  }
  out += listing("partition, latency_spike, loss (between geos)", links);
  out += fmt::format("  failover: monitor in {}, heartbeat every {} ms, down after {} missed\n",
                     s.geos[s.failover.monitor_geo], to_ms(s.failover.heartbeat_interval),
                     s.failover.missed_heartbeats);
  const nlohmann::json scheduled = s.effective.value("failures", nlohmann::json::array());
  out += fmt::format("  scheduled failures: {}\n", scheduled.empty() ? "none" : "");
  for (const auto& f : scheduled) out += fmt::format("    {}\n", f.dump());
}

// ---- DOT ----

std::string quoted(const std::string& id) {
  std::string out = "\"";
  for (char c : id) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Dot {
  std::map<GeoId, std::vector<std::string>> clusters;  // node statements by geo
  std::vector<std::string> edges;
  std::set<std::string> seen_edges;

  void node(GeoId geo, const std::string& name, const std::string& attributes = "") {
    clusters[geo].push_back(quoted(name) + (attributes.empty() ? "" : " [" + attributes + "]"));
  }
  void edge(const std::string& from, const std::string& to, const std::string& attributes = "") {
    std::string e = quoted(from) + " -> " + quoted(to) + (attributes.empty() ? "" : " [" + attributes + "]");
    if (seen_edges.insert(e).second) edges.push_back(std::move(e));
  }
};

}  // namespace

std::string explain_text(Topology& t) {
  std::string out;
  overview(out, t);
  masters(out, t);
  for (GeoId g = 0; g < t.scenario.geos.size(); ++g) geo_section(out, t, g);
  replication(out, t);
  async_path(out, t);
  failure_targets(out, t);
  return out;
}

std::string explain_dot(Topology& t) {
  const Scenario& s = t.scenario;
  Dot dot;
  const std::string active = t.active_master->name();
  dot.node(t.active_master->geo(), active, "shape=box3d, style=filled, fillcolor=\"#f4c7c3\"");
  dot.node(t.passive_master->geo(), t.passive_master->name(),
           "shape=box3d, style=filled, fillcolor=\"#fce8e6\"");
  for (auto& sm : t.shard_masters) {
    dot.node(sm->geo(), sm->name(),
             fmt::format("shape=box3d, style=filled, fillcolor=\"#fef7e0\", label=\"{}\\nkeys {}\"",
                         sm->name(), key_range(t.keys, sm->shard())));
  }
  // Request paths (solid).
  for (GeoId g = 0; g < s.geos.size(); ++g) {
    GeoFrontEnd& fe = t.geos[g];
    const std::string clients = "clients_" + s.geos[g], cdn = "cdn_edge_" + s.geos[g];
    const std::string gateway = fe.gateway->node().name(), read_api = fe.read_api->node().name();
    const std::string clb = "clb_" + s.geos[g], slb = "slb_" + s.geos[g];
    dot.node(g, clients, "shape=ellipse");
    dot.node(g, cdn);
    for (const std::string& n :
         {gateway, read_api, fe.write_sync->node().name(), fe.write_async->node().name()}) {
      dot.node(g, n);
    }
    dot.node(g, clb, "shape=diamond");
    dot.node(g, slb, "shape=diamond");
    dot.edge(clients, cdn);
    dot.edge(cdn, gateway);
    dot.edge(gateway, read_api, "label=read");
    dot.edge(gateway, fe.write_sync->node().name(), "label=\"sync write\"");
    dot.edge(gateway, fe.write_async->node().name(), "label=\"async write\"");
    dot.edge(read_api, clb);
    for (std::size_t i = 0; i < fe.clb->node_count(); ++i) {
      dot.node(g, fe.clb->node(i).node().name(), "shape=cylinder");
      dot.edge(clb, fe.clb->node(i).node().name());
    }
    dot.edge(read_api, slb, "label=miss");
    dot.edge(fe.write_sync->node().name(), active);
    dot.edge(fe.write_async->node().name(), t.scheduler->node().name());
  }
  for (auto& slave : t.slaves) {
    dot.node(slave->geo(), slave->replica().name(), "shape=cylinder");
    dot.edge("slb_" + s.geos[slave->geo()], slave->replica().name());
  }
  const GeoId async_geo = s.async_path.geo;
  const std::string scheduler = t.scheduler->node().name(), queue = "message_queue";
  const std::string consumer = t.consumers->node().name(), store = t.consumers->object_store().node().name();
  dot.node(async_geo, scheduler);
  dot.node(async_geo, queue, "shape=cds");
  dot.node(async_geo, consumer);
  dot.node(async_geo, store, "shape=cylinder");
  dot.edge(scheduler, queue);
  dot.edge(queue, consumer);
  dot.edge(consumer, active, "label=commit");
  dot.edge(consumer, store);
  // Lazy replication (dashed), one edge per pair of boxes.
  for (auto& stream : t.streams) {
    const std::string from = source_name(stream->source()), to = box_of(t, stream->target());
    dot.edge(from, to,
             fmt::format("style=dashed, color=\"#1a73e8\", label=\"lazy {} ms\"",
                         to_ms(hop_of(s, stream->target()).batch_interval)));
  }

  std::string out =
      "digraph shardsim {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n  node [shape=box, "
      "fontname=\"Helvetica\"];\n"
      "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  out += fmt::format("  label={};\n  labelloc=t;\n", quoted("shardsim: " + s.name));
  for (const auto& [geo, nodes] : dot.clusters) {
    out += fmt::format("  subgraph {} {{\n    label={};\n    style=rounded;\n",
                       quoted("cluster_" + s.geos[geo]), quoted(s.geos[geo]));
    for (const std::string& n : nodes) out += "    " + n + ";\n";
    out += "  }\n";
  }
  for (const std::string& e : dot.edges) out += "  " + e + ";\n";
  return out + "}\n";
}

}  // namespace shardsim
