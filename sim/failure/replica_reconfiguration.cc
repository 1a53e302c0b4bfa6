#include "shardsim/failure/replica_reconfiguration.h"

#include <algorithm>

#include "shardsim/model/topology.h"

namespace shardsim {

namespace {
constexpr std::uint64_t kCommandBytes = 64;
}  // namespace

ReplicaReconfiguration::ReplicaReconfiguration(Topology& topology, Reconfiguration& reconfigure,
                                               FailureDetector& detector, FailureLog& log, Note note)
    : t_(topology), reconfigure_(reconfigure), detector_(detector), log_(log), note_(std::move(note)) {}

void ReplicaReconfiguration::start(std::size_t record, std::uint32_t watch, GeoId leader_geo,
                                   StreamSource source, std::vector<Target> replicas, Duration delay) {
  // A newer failover of the same replicas supersedes a phase still running: its leader's commands
  // would re-point them at a master that is no longer one.
  for (Phase& older : phases_) {
    if (older.over) continue;
    const bool overlaps = std::any_of(older.members.begin(), older.members.end(), [&](const Member& m) {
      return std::any_of(replicas.begin(), replicas.end(),
                         [&](const Target& t) { return t.replica == m.spec.replica; });
    });
    if (!overlaps) continue;
    older.over = true;
    log_.failovers[older.record].reconfigured_at = t_.sim.now();
    note_(t_.sim.now(), "failover_end", log_.failovers[older.record].node, "superseded by a newer failover");
  }
  Phase phase;
  phase.record = record;
  phase.watch = watch;
  phase.leader_geo = leader_geo;
  phase.source = source;
  for (const Target& target : replicas) phase.members.push_back(Member{target});
  phases_.push_back(std::move(phase));
  FailoverRecord& r = log_.failovers[record];
  r.reconfiguration_modelled = true;
  r.replicas_to_reconfigure = static_cast<std::uint32_t>(replicas.size());
  t_.sim.schedule_in(delay, Callback::to<&ReplicaReconfiguration::begin>(this), phases_.size() - 1);
}

void ReplicaReconfiguration::begin(std::uint64_t index) {
  const Phase& phase = phases_[index];
  FailoverRecord& r = log_.failovers[phase.record];
  r.reconfiguration_started_at = t_.sim.now();
  note_(t_.sim.now(), "promoted_slave", r.promoted,
        "the leader sees the new role: reconfiguring the replicas");
  const std::uint32_t watch = phase.watch;
  // sentinelFailoverDetectEnd forces the end failover_timeout after the state began.
  t_.sim.schedule_in(t_.scenario.failover.sentinel.failover_timeout,
                     Callback::to<&ReplicaReconfiguration::deadline>(this), index);
  t_.sim.schedule_in(detector_.tick_wait(watch), Callback::to<&ReplicaReconfiguration::next_batch>(this),
                     index);
}

// sentinelFailoverReconfNextSlave, at a tick: REPLICAOF to the next replicas, parallel_syncs in all.
void ReplicaReconfiguration::next_batch(std::uint64_t index) {
  Phase& phase = phases_[index];
  if (phase.over) return;
  bool sent = false;
  for (std::size_t i = 0; i < phase.members.size() && phase.in_progress < detector_.parallel_syncs(); ++i) {
    Member& m = phase.members[i];
    if (m.state != State::kPending) continue;
    if (!m.spec.replica->up()) {  // disconnected: skipped, and not waited for
      m.state = State::kSkipped;
      ++log_.failovers[phase.record].replicas_skipped;
      continue;
    }
    m.state = State::kSent;
    ++phase.in_progress;
    sent = true;
    note_(t_.sim.now(), "slave_reconf_sent", m.spec.replica->name(),
          "REPLICAOF " + log_.failovers[phase.record].promoted);
    send_replicaof(pack(index, i));
  }
  if (sent) ++log_.failovers[phase.record].reconfiguration_batches;
  if (phase.in_progress == 0) finish(index, false);
}

void ReplicaReconfiguration::send_replicaof(std::uint64_t packed) {
  const Phase& phase = phase_of(packed);
  if (phase.over) return;
  t_.network.send(phase.leader_geo, member_of(packed).spec.replica->geo(), kCommandBytes,
                  Callback::to<&ReplicaReconfiguration::replicaof_arrived>(this), packed,
                  Callback::to<&ReplicaReconfiguration::send_replicaof>(this));
}

void ReplicaReconfiguration::replicaof_arrived(std::uint64_t packed) {
  Phase& phase = phase_of(packed);
  Member& m = member_of(packed);
  if (phase.over || m.state != State::kSent) return;
  if (!m.spec.replica->up()) return skip(packed);  // crashed on the way
  m.state = State::kSyncing;
  m.snapshots_before = m.spec.replica->snapshots_loaded();
  if (m.spec.full_sync) {
    ++log_.failovers[phase.record].full_syncs;
  } else {
    // PSYNC and its +CONTINUE: a round trip to the new master.
    m.link_up_at =
        t_.sim.now() + 2 * from_ms(t_.network.mean_latency_ms(m.spec.replica->geo(), phase.source.geo));
  }
  reconfigure_.repoint_replica(*m.spec.replica, phase.source, m.spec.full_sync);
  t_.sim.schedule_in(detector_.poll_wait(phase.watch), Callback::to<&ReplicaReconfiguration::send_poll>(this),
                     packed);
}

void ReplicaReconfiguration::skip(std::uint64_t packed) {
  Phase& phase = phase_of(packed);
  member_of(packed).state = State::kSkipped;
  ++log_.failovers[phase.record].replicas_skipped;
  --phase.in_progress;
  t_.sim.schedule_in(detector_.tick_wait(phase.watch),
                     Callback::to<&ReplicaReconfiguration::next_batch>(this), packed >> 20);
}

bool ReplicaReconfiguration::synced(const Member& m) const {
  const Replica& r = *m.spec.replica;
  if (!r.up()) return false;
  if (m.spec.full_sync) return !r.lapsed() && r.snapshots_loaded() > m.snapshots_before;
  return t_.sim.now() >= m.link_up_at;
}

void ReplicaReconfiguration::send_poll(std::uint64_t packed) {
  const Phase& phase = phase_of(packed);
  if (phase.over) return;
  t_.network.send(phase.leader_geo, member_of(packed).spec.replica->geo(), kCommandBytes,
                  Callback::to<&ReplicaReconfiguration::poll_arrived>(this), packed,
                  Callback::to<&ReplicaReconfiguration::send_poll>(this));
}

void ReplicaReconfiguration::poll_arrived(std::uint64_t packed) {
  Member& m = member_of(packed);
  if (phase_of(packed).over || m.state != State::kSyncing) return;
  // A replica that went down is not waited for (sentinelFailoverDetectEnd skips SDOWN replicas).
  if (!m.spec.replica->up()) return skip(packed);
  m.synced_at_poll = synced(m);
  t_.network.send(m.spec.replica->geo(), phase_of(packed).leader_geo, kCommandBytes,
                  Callback::to<&ReplicaReconfiguration::reply_arrived>(this), packed,
                  Callback::to<&ReplicaReconfiguration::send_poll>(this));
}

void ReplicaReconfiguration::reply_arrived(std::uint64_t packed) {
  Phase& phase = phase_of(packed);
  Member& m = member_of(packed);
  if (phase.over || m.state != State::kSyncing) return;
  if (!m.synced_at_poll) {  // the next INFO a period after this reply, at a tick
    t_.sim.schedule_in(detector_.poll_period() + detector_.tick_wait(phase.watch),
                       Callback::to<&ReplicaReconfiguration::send_poll>(this), packed);
    return;
  }
  m.state = State::kDone;
  --phase.in_progress;
  ++log_.failovers[phase.record].replicas_reconfigured;
  note_(t_.sim.now(), "slave_reconf_done", m.spec.replica->name(),
        m.spec.full_sync ? "full resync" : "partial resync");
  if (m.spec.direct_copy && t_.min_replicas) t_.min_replicas->replica_online(m.spec.replica->shard(), 1);
  t_.sim.schedule_in(detector_.tick_wait(phase.watch),
                     Callback::to<&ReplicaReconfiguration::next_batch>(this), packed >> 20);
}

void ReplicaReconfiguration::deadline(std::uint64_t index) {
  if (!phases_[index].over) finish(index, true);
}

void ReplicaReconfiguration::finish(std::size_t index, bool timed_out) {
  Phase& phase = phases_[index];
  phase.over = true;
  FailoverRecord& r = log_.failovers[phase.record];
  r.reconfigured_at = t_.sim.now();
  r.reconfiguration_timed_out = timed_out;
  // The replicas never re-pointed (skipped, or waiting at the timeout) follow now: the leader's
  // best-effort REPLICAOF, or the sentinels' later +fix-slave-config, which the model does not
  // time.
  for (Member& m : phase.members) {
    if (m.state == State::kPending || m.state == State::kSkipped || m.state == State::kSent)
      reconfigure_.repoint_replica(*m.spec.replica, phase.source, m.spec.full_sync);
  }
  note_(t_.sim.now(), timed_out ? "failover_end_for_timeout" : "failover_end", r.node,
        std::to_string(r.replicas_reconfigured) + " of " + std::to_string(r.replicas_to_reconfigure) +
            " replica(s) reconfigured");
}

}  // namespace shardsim
