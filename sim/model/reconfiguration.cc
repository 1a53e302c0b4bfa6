#include "shardsim/model/reconfiguration.h"

#include <algorithm>
#include <vector>

#include "shardsim/model/topology.h"
#include "shardsim/model/write_acknowledgement.h"

namespace shardsim {

std::optional<std::string> Reconfiguration::standby_unpromotable() {
  GlobalMaster& standby = t_.masters->standby();
  if (!standby.node().up()) return "the standby is down";
  for (auto& copy : standby.copies()) {
    if (copy->lapsed()) {
      return "the standby lapsed (out of the replication log's retention) for shard " +
             std::to_string(copy->shard() + 1);
    }
  }
  return std::nullopt;
}

const std::string& Reconfiguration::active_master_name() {
  return t_.masters->active().name();
}

bool Reconfiguration::fence_old_master() {
  GlobalMaster& old_master = t_.masters->standby();
  if (!old_master.unfenced()) return false;
  old_master.keep_taking_writes(false);
  return true;
}

WriteLoss Reconfiguration::promote_standby(bool fence, bool hold_shard_masters) {
  GlobalMaster& old_master = t_.masters->active();
  GlobalMaster& new_master = t_.masters->standby();
  std::vector<LogPosition> positions;
  for (auto& copy : new_master.copies()) positions.push_back(copy->position());
  // The old master loses its role: the writes it still held for acknowledgements fail first, so
  // that the cut can tell them from the acknowledged ones.
  if (t_.acknowledgement) t_.acknowledgement->master_lost();
  const WriteLoss loss = cut_logs_to_standby();
  // A master that already refused writes (it lost its lease) does not start taking them unfenced.
  const bool was_taking_writes = !old_master.refusing_writes();
  new_master.promote();
  old_master.demote(positions);
  old_master.keep_taking_writes(!fence && old_master.node().up() && was_taking_writes);
  t_.masters->promote_standby();
  // Re-point the replication from the active master: the new one ships, and feeds the old one.
  for (ReplicationStream* stream : t_.streams_from_master()) {
    if (&stream->target() == new_master.copies()[stream->target().shard()].get()) {
      stream->retire();
    } else if (hold_shard_masters && stream->target().role() == ReplicaRole::kShardMaster) {
      stream->pause();
    } else {
      stream->set_source(StreamSource::active_master(new_master.node()));
    }
  }
  for (auto& copy : old_master.copies()) {
    t_.add_stream(t_.scenario.replication.master_to_standby, StreamSource::active_master(new_master.node()),
                  *copy);
  }
  if (t_.min_replicas) t_.min_replicas->master_promoted(new_master);
  return loss;
}

WriteLoss Reconfiguration::cut_logs_to_standby() {
  WriteLoss loss;
  GlobalMaster& standby = t_.masters->standby();
  for (std::uint32_t shard = 0; shard < t_.context.logs.size(); ++shard) {
    ReplicationLog& log = *t_.context.logs[shard];
    const LogPosition keep = standby.copies()[shard]->position();
    const ReplicationLog::Cut cut = log.truncate(keep);
    loss.writes += cut.writes;
    if (t_.acknowledgement) loss.unacknowledged += t_.acknowledgement->take_unacknowledged_from(shard, keep);
    loss.keys += cut.key_indices.size();
    if (cut.writes > 0) {
      loss.first_commit = std::min(loss.first_commit, cut.first_commit);
      loss.last_commit =
          loss.last_commit == kTimeNever ? cut.last_commit : std::max(loss.last_commit, cut.last_commit);
    }
    const std::vector<Replica*> copies = log.replicas();
    for (Replica* copy : copies) loss.entries_discarded_on_replicas += copy->roll_back_to(keep);
    for (Replica* copy : copies) copy->recount_stale_keys_after(cut);
    for (ReplicationStream* stream : t_.streams_of_shard(shard)) stream->resync();
  }
  return loss;
}

Replica& Reconfiguration::replace_shard_leader(std::uint32_t shard, Replica& promoted, bool hold_followers) {
  Replica& old_leader = *t_.shard_leaders[shard];
  // Off the SLB first: no read may reach a master. Only a read slave is on one: the shard's first
  // master, elected back, is not (its replica's id is its shard, not a slave's id).
  const bool read_slave =
      promoted.id() < t_.slaves.size() && &t_.slaves[promoted.id()]->replica() == &promoted;
  if (read_slave) t_.geos[promoted.geo()].slb->remove_slave(shard, promoted.id());
  t_.metrics.untrack_fresh_share(promoted, t_.sim.now());
  promoted.set_role(ReplicaRole::kShardMaster);
  if (ReplicationStream* feed = t_.stream_to(promoted)) feed->retire();
  if (ReplicationStream* feed = t_.stream_to(old_leader)) feed->retire();
  t_.add_stream(t_.scenario.replication.master_to_shard_master,
                StreamSource::active_master(t_.masters->active().node()), promoted);
  for (ReplicationStream* stream : t_.streams_from(old_leader)) {
    if (hold_followers) {
      stream->pause();
    } else {
      stream->set_source(StreamSource::from_replica(promoted));
    }
  }
  old_leader.set_role(ReplicaRole::kShardSlave);  // a follower now, outside the SLBs
  t_.add_stream(t_.scenario.replication.shard_master_to_slave, StreamSource::from_replica(promoted),
                old_leader);
  t_.shard_leaders[shard] = &promoted;
  if (t_.min_replicas) t_.min_replicas->replica_online(shard, 1);
  return old_leader;
}

void Reconfiguration::repoint_replica(Replica& replica, StreamSource source, bool full_sync) {
  ReplicationStream* feed = t_.stream_to(replica);
  if (feed == nullptr) return;  // replaced meanwhile (promoted by another failover)
  if (full_sync && !replica.lapsed()) replica.lapse();
  feed->set_source(source);
}

bool Reconfiguration::drain_slave(std::uint32_t slave_id) {
  ShardSlave& slave = *t_.slaves[slave_id];
  if (slave.replica().role() != ReplicaRole::kShardSlave) return false;  // promoted: already off
  t_.geos[slave.geo()].slb->remove_slave(slave.shard(), slave.id());
  return true;
}

bool Reconfiguration::restore_slave(std::uint32_t slave_id) {
  ShardSlave& slave = *t_.slaves[slave_id];
  if (slave.replica().role() != ReplicaRole::kShardSlave) return false;
  t_.geos[slave.geo()].slb->restore_slave(slave.shard(), slave.id());
  return true;
}

void Reconfiguration::repoint_write_route(GeoId geo) {
  t_.masters->update_view(geo);
  if (t_.consumers->geo() == geo) t_.consumers->wake();
}

void Reconfiguration::refuse_writes(bool refuse) {
  t_.masters->active().refuse_writes(refuse);
}

}  // namespace shardsim
