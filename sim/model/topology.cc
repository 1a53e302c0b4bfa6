#include "shardsim/model/topology.h"

#include "shardsim/model/write_acknowledgement.h"
#include "shardsim/scenario/node_names.h"

#include <string>

namespace shardsim {

Topology::Topology(const Scenario& s)
    : scenario(s),
      keys(s),
      network(sim, s),
      metrics(s),
      context{sim, network, metrics, requests, s, keys, nullptr, nullptr, nullptr, nullptr, nullptr, {}},
      // A log entry on the wire: the value, plus key, version and framing.
      entry_bytes_(s.keys.value_bytes + 64) {
  for (std::uint32_t shard = 0; shard < keys.shard_count(); ++shard) {
    context.logs.push_back(
        std::make_unique<ReplicationLog>(shard, keys.first_index(shard), keys.shard_size(shard),
                                         // Large key spaces: per-key state for written keys only.
                                         s.keys.sparse_state(), s.replication.log_retention_entries));
  }
  build_masters();
  build_async_path();
  build_front_ends();
  build_slaves();
  build_streams();
  wire();
}

void Topology::build_masters() {
  active_master = std::make_unique<GlobalMaster>(context, std::string(node_names::kActiveMaster),
                                                 scenario.masters.active_geo, true);
  passive_master = std::make_unique<GlobalMaster>(context, std::string(node_names::kPassiveMaster),
                                                  scenario.masters.standby_geo, false);
  masters = std::make_unique<MasterDirectory>(*active_master, *passive_master, scenario.geos.size());
  for (std::uint32_t shard = 0; shard < keys.shard_count(); ++shard) {
    shard_masters.push_back(std::make_unique<ShardMaster>(context, shard, node_names::shard_master(shard),
                                                          scenario.shard_masters.geo));
  }
}

void Topology::build_async_path() {
  queue = std::make_unique<MessageQueue>(scenario.async_path.queue_capacity);
  consumers = std::make_unique<Consumers>(context, *queue, *masters);
  scheduler = std::make_unique<Scheduler>(context, *queue, *consumers);
}

void Topology::build_front_ends() {
  geos.resize(scenario.geos.size());
  for (GeoId g = 0; g < scenario.geos.size(); ++g) {
    GeoFrontEnd& fe = geos[g];
    fe.gateway = std::make_unique<ApiGateway>(context, g);
    fe.read_api = std::make_unique<ReadApi>(context, g);
    fe.write_sync = std::make_unique<WriteSync>(context, g, *masters);
    fe.write_async = std::make_unique<WriteAsync>(context, g, *scheduler);
    fe.cdn = std::make_unique<CdnEdge>(context, g, *fe.gateway);
    fe.dns = std::make_unique<Dns>(context, g, *fe.cdn);
    fe.clb = std::make_unique<Clb>(context, g, *fe.read_api);
    fe.slb = std::make_unique<Slb>(context, g);
  }
}

void Topology::build_slaves() {
  for (std::uint32_t shard = 0; shard < keys.shard_count(); ++shard) {
    for (GeoId g = 0; g < scenario.geos.size(); ++g) {
      const std::uint32_t count = scenario.slaves.per_shard_per_geo[g];
      std::vector<std::pair<std::uint32_t, const Replica*>> behind_slb;
      for (std::uint32_t j = 0; j < count; ++j) {
        const std::string name = node_names::shard_slave(scenario.geos[g], shard, j, count);
        const auto id = static_cast<std::uint32_t>(slaves.size());
        slaves.push_back(std::make_unique<ShardSlave>(context, id, shard, g, name, *geos[g].read_api));
        behind_slb.emplace_back(id, &slaves.back()->replica());
      }
      geos[g].slb->add_slaves(shard, behind_slb);
    }
  }
  metrics.set_slave_count(slaves.size());
}

void Topology::build_streams() {
  const ReplicationSpec& hops = scenario.replication;
  for (std::uint32_t shard = 0; shard < keys.shard_count(); ++shard) {
    const StreamSource master = StreamSource::active_master(active_master->node());
    add_stream(hops.master_to_standby, master, *passive_master->copies()[shard]);
    add_stream(hops.master_to_shard_master, master, shard_masters[shard]->replica());
    shard_leaders.push_back(&shard_masters[shard]->replica());
  }
  for (auto& slave : slaves) {
    add_stream(hops.shard_master_to_slave,
               StreamSource::from_replica(shard_masters[slave->shard()]->replica()), slave->replica());
  }
}

ReplicationStream& Topology::add_stream(const ReplicationHopSpec& hop, StreamSource source, Replica& target) {
  const std::uint32_t generation = ++feeds_built_[target.name()];
  streams.push_back(std::make_unique<ReplicationStream>(sim, network, hop, *context.logs[target.shard()],
                                                        source, target, entry_bytes_, scenario.seed,
                                                        generation));
  if (started_) streams.back()->start();
  live_.push_back(streams.back().get());
  return *streams.back();
}

const std::vector<ReplicationStream*>& Topology::live_streams() {
  std::erase_if(live_, [](const ReplicationStream* stream) { return stream->retired(); });
  return live_;
}

ReplicationStream* Topology::stream_to(const Replica& target) {
  for (ReplicationStream* stream : live_streams()) {
    if (&stream->target() == &target) return stream;
  }
  return nullptr;
}

std::vector<ReplicationStream*> Topology::streams_from(const Replica& source) {
  std::vector<ReplicationStream*> found;
  for (ReplicationStream* stream : live_streams()) {
    if (stream->source().replica == &source) found.push_back(stream);
  }
  return found;
}

std::vector<ReplicationStream*> Topology::streams_from_master() {
  std::vector<ReplicationStream*> found;
  for (ReplicationStream* stream : live_streams()) {
    if (stream->source().replica == nullptr) found.push_back(stream);
  }
  return found;
}

std::vector<ReplicationStream*> Topology::streams_of_shard(std::uint32_t shard) {
  std::vector<ReplicationStream*> found;
  for (ReplicationStream* stream : live_streams()) {
    if (stream->target().shard() == shard) found.push_back(stream);
  }
  return found;
}

void Topology::wire() {
  std::vector<Dns*> dns;
  std::vector<ShardSlave*> slave_ptrs;
  for (auto& slave : slaves) slave_ptrs.push_back(slave.get());
  for (GeoFrontEnd& fe : geos) {
    dns.push_back(fe.dns.get());
    fe.gateway->connect(fe.read_api.get(), fe.write_sync.get(), fe.write_async.get());
    fe.read_api->connect(fe.clb.get(), fe.slb.get(), slave_ptrs);
  }
  clients = std::make_unique<Clients>(context, dns);
  context.clients = clients.get();
  active_master->connect(consumers.get());
  passive_master->connect(consumers.get());
  wire_acknowledgement();
  if (scenario.masters.min_replicas_to_write > 0 && scenario.masters.min_replicas_max_lag_s > 0) {
    min_replicas = std::make_unique<MinReplicas>(*this);
    context.min_replicas = min_replicas.get();
  }

  for (auto& copy : passive_master->copies()) copy->add_observer(&metrics);
  for (auto& copy : active_master->copies()) copy->add_observer(&metrics);
  for (auto& sm : shard_masters) sm->replica().add_observer(&metrics);
  for (auto& slave : slaves) {
    slave->replica().add_observer(&metrics);
    metrics.track_fresh_share(slave->replica());
    if (scenario.caches[slave->geo()].invalidation == CacheInvalidation::kOnSlaveApply) {
      slave->replica().add_observer(geos[slave->geo()].clb.get());
    }
  }
}

void Topology::wire_acknowledgement() {
  if (scenario.sync_durability.mode == DurabilitySpec::Mode::kAsync &&
      scenario.async_durability.mode == DurabilitySpec::Mode::kAsync) {
    return;  // answered at the commit: nothing to wait for
  }
  acknowledgement = std::make_unique<WriteAcknowledgement>(context, *masters);
  context.acknowledgement = acknowledgement.get();
  // Every replica that can be a direct copy of the master: the masters' copies, the shard masters,
  // and the slaves (one may be promoted to shard master).
  for (auto& copy : passive_master->copies()) copy->add_observer(acknowledgement.get());
  for (auto& copy : active_master->copies()) copy->add_observer(acknowledgement.get());
  for (auto& sm : shard_masters) sm->replica().add_observer(acknowledgement.get());
  for (auto& slave : slaves) slave->replica().add_observer(acknowledgement.get());
}

void Topology::start() {
  started_ = true;
  clients->start();
  for (auto& stream : streams) stream->start();
  if (min_replicas) min_replicas->start();
}

std::vector<Node*> Topology::nodes() {
  std::vector<Node*> all{&active_master->node(), &passive_master->node()};
  for (GeoFrontEnd& fe : geos) {
    all.push_back(&fe.gateway->node());
    all.push_back(&fe.read_api->node());
    all.push_back(&fe.write_sync->node());
    all.push_back(&fe.write_async->node());
    for (std::size_t i = 0; i < fe.clb->node_count(); ++i) all.push_back(&fe.clb->node(i).node());
  }
  for (auto& slave : slaves) all.push_back(&slave->node());
  all.push_back(&scheduler->node());
  all.push_back(&consumers->node());
  all.push_back(&consumers->object_store().node());
  return all;
}

std::vector<Replica*> Topology::replicas() {
  std::vector<Replica*> all;
  for (auto& copy : passive_master->copies()) all.push_back(copy.get());
  for (auto& copy : active_master->copies()) all.push_back(copy.get());
  for (auto& sm : shard_masters) all.push_back(&sm->replica());
  for (auto& slave : slaves) all.push_back(&slave->replica());
  return all;
}

}  // namespace shardsim
