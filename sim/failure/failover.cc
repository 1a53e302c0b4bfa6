#include "shardsim/failure/failover.h"

#include <algorithm>
#include <utility>

#include "shardsim/failure/heartbeat_monitor.h"
#include "shardsim/failure/leader_leases.h"
#include "shardsim/failure/orchestrator.h"
#include "shardsim/failure/replica_set_elections.h"
#include "shardsim/failure/sentinels.h"
#include "shardsim/model/topology.h"

namespace shardsim {

namespace {
constexpr std::uint64_t kNewsBytes = 64;
// A piece of news from the monitor to a geo's routers, packed in an event argument.
enum NewsKind : std::uint64_t { kMasterChanged = 0, kSlaveOff = 1, kSlaveBack = 2 };
std::uint64_t news(NewsKind kind, std::uint64_t target) {
  return (static_cast<std::uint64_t>(kind) << 48) | target;
}
// A master change names the geo to tell and the failover record it completes: with failovers back
// to back, the news of the first can arrive after the second has begun.
constexpr unsigned kGeoBits = 8;  // at most 64 geos
std::uint64_t master_changed(GeoId geo, std::uint64_t record) {
  return news(kMasterChanged, (record << kGeoBits) | geo);
}
GeoId geo_of(std::uint64_t target) {
  return static_cast<GeoId>(target & ((1u << kGeoBits) - 1));
}
std::uint64_t record_of(std::uint64_t target) {
  return target >> kGeoBits;
}
const char* policy_name(FailoverSpec::Detector detector) {
  switch (detector) {
    case FailoverSpec::Detector::kSentinel:
      return "sentinel";
    case FailoverSpec::Detector::kElection:
      return "election";
    case FailoverSpec::Detector::kLease:
      return "lease";
    case FailoverSpec::Detector::kOrchestrator:
      return "orchestrator";
    case FailoverSpec::Detector::kHeartbeat:
      break;
  }
  return "heartbeat";
}
std::unique_ptr<FailureDetector> make_detector(Topology& t, FailureDetector::Listener& listener) {
  const FailoverSpec& spec = t.scenario.failover;
  if (spec.detector == FailoverSpec::Detector::kSentinel) {
    return std::make_unique<Sentinels>(t.sim, t.network, spec.sentinel, t.scenario.seed, listener);
  }
  if (spec.detector == FailoverSpec::Detector::kOrchestrator) {
    return std::make_unique<Orchestrator>(t.sim, t.network, spec.orchestrator, t.scenario.seed, listener);
  }
  if (spec.detector == FailoverSpec::Detector::kLease) {
    return std::make_unique<LeaderLeases>(t.sim, t.network, spec.lease, t.scenario.seed, listener);
  }
  if (spec.detector == FailoverSpec::Detector::kElection) {
    return std::make_unique<ReplicaSetElections>(t.sim, t.network, spec.election, t.scenario.geos.size(),
                                                 t.scenario.seed, listener);
  }
  return std::make_unique<HeartbeatMonitor>(t.sim, t.network, spec, t.scenario.seed, listener);
}
}  // namespace

FailoverCoordinator::FailoverCoordinator(Topology& topology)
    : t_(topology),
      reconfigure_(topology),
      detector_(make_detector(topology, *this)),
      replica_reconfiguration_(topology, reconfigure_, *detector_, log_,
                               [this](Time now, std::string what, std::string node, std::string detail) {
                                 note(now, std::move(what), std::move(node), std::move(detail));
                               }),
      rng_(topology.scenario.seed, "failover/timings"),
      promoting_shard_(topology.keys.shard_count(), 0),
      chosen_leader_(topology.keys.shard_count(), nullptr) {
  log_.policy = policy_name(topology.scenario.failover.detector);
}

void FailoverCoordinator::start() {
  for (GlobalMaster* box : {t_.active_master.get(), t_.passive_master.get()}) {
    std::vector<const Replica*> copies;
    for (auto& copy : box->copies()) copies.push_back(copy.get());
    detector_->watch(box->name(), box->geo(), &box->node(), nullptr, std::move(copies));
    watches_.push_back({Target::kGlobalMaster, static_cast<std::uint32_t>(watches_.size())});
  }
  for (auto& sm : t_.shard_masters) {
    detector_->watch(sm->name(), sm->geo(), nullptr, &sm->replica());
    watches_.push_back({Target::kShardMaster, sm->shard()});
  }
  for (auto& slave : t_.slaves) {
    slave_watch_.push_back(
        detector_->watch(slave->replica().name(), slave->geo(), &slave->node(), &slave->replica()));
    watches_.push_back({Target::kShardSlave, slave->id()});
  }
  t_.context.write_observer = this;
  detector_->start();
}

void FailoverCoordinator::note(Time now, std::string what, std::string node, std::string detail) {
  TraceSink* trace = t_.context.trace;
  if (trace && trace->traces(TraceKind::kFailure, node)) {
    trace->failure_noted(now, node, FailureNoted{what, detail});
  }
  log_.timeline.push_back(TimelineEvent{now, std::move(what), std::move(node), std::move(detail)});
}

void FailoverCoordinator::on_crash(const std::string& node, Time now, bool host_up) {
  crashed_at_[node] = Crash{now, sync_write_failures_};
  note(now, "crash", node, host_up ? "process killed, host up" : "");
  if (!host_up) return;
  for (std::uint32_t w = 0; w < detector_->watch_count(); ++w)
    if (detector_->name(w) == node) detector_->on_connections_reset(w);
}

void FailoverCoordinator::on_recover(const std::string& node, Time now) {
  // The crash stays on record: a node that recovers just before the monitor declares it down was
  // still really down (see open_record).
  note(now, "recover", node);
}

Replica& FailoverCoordinator::watched_replica(std::uint32_t watch) {
  return const_cast<Replica&>(std::as_const(*this).watched_replica(watch));
}

const Replica& FailoverCoordinator::watched_replica(std::uint32_t watch) const {
  const Watch& w = watches_[watch];
  if (w.target == Target::kShardMaster) return t_.shard_masters[w.index]->replica();
  return t_.slaves[w.index]->replica();
}

bool FailoverCoordinator::is_master(std::uint32_t watch) const {
  const Watch& w = watches_[watch];
  if (w.target == Target::kGlobalMaster) {
    const GlobalMaster& box = w.index == 0 ? *t_.active_master : *t_.passive_master;
    return &box == &t_.masters->active();
  }
  const Replica& replica = watched_replica(watch);
  return t_.shard_leaders[replica.shard()] == &replica;
}

// Only the active global master takes writes from clients; a shard master that loses its lease
// is noted (it keeps feeding its slaves, as a read-only Postgres can cascade).
void FailoverCoordinator::on_master_demoted(std::uint32_t watch, Time now) {
  if (watches_[watch].target == Target::kGlobalMaster && is_master(watch)) {
    reconfigure_.refuse_writes(true);
    note(now, "writes_refused", detector_->name(watch), "demoted: lost its lease");
  }
}

void FailoverCoordinator::on_master_reinstated(std::uint32_t watch, Time now) {
  if (watches_[watch].target == Target::kGlobalMaster && is_master(watch)) {
    reconfigure_.refuse_writes(false);
    note(now, "writes_resumed", detector_->name(watch), "holds its lease again");
  }
}

void FailoverCoordinator::on_detector_event(Time now, std::string what, std::string node,
                                            std::string detail) {
  note(now, std::move(what), std::move(node), std::move(detail));
}

std::uint64_t FailoverCoordinator::replication_position(std::uint32_t watch) const {
  const Watch& w = watches_[watch];
  if (w.target != Target::kGlobalMaster) return watched_replica(watch).position();
  // A global master holds every shard: the active one is the logs' end, the standby its copies.
  GlobalMaster& box = w.index == 0 ? *t_.active_master : *t_.passive_master;
  const bool active = &box == &t_.masters->active();
  std::uint64_t total = 0;
  for (const auto& copy : box.copies()) total += active ? copy->log().end() : copy->position();
  return total;
}

void FailoverCoordinator::send_promotion(GeoId from, GeoId to, Callback promote, std::uint64_t arg,
                                         std::uint64_t record) {
  commands_.push_back(
      Command{from, to, promote, arg, record, t_.sim.now() + t_.scenario.failover.sentinel.failover_timeout});
  const Duration delay = detector_->command_delay(record_watch_[record]);
  if (delay == 0) return send_command(commands_.size() - 1);
  t_.sim.schedule_in(delay, Callback::to<&FailoverCoordinator::send_command>(this), commands_.size() - 1);
}

// A dropped command is sent again while Redis waits for the promotion (failover_timeout); then the
// leader aborts the failover.
void FailoverCoordinator::send_command(std::uint64_t index) {
  const Command& c = commands_[index];
  if (t_.sim.now() > c.deadline) {
    abandon_promotion(c.record, "not confirmed within failover_timeout: the sentinel leader aborts");
    return;
  }
  t_.network.send(c.from, c.to, kNewsBytes, Callback::to<&FailoverCoordinator::command_arrived>(this), index,
                  Callback::to<&FailoverCoordinator::send_command>(this));
}

void FailoverCoordinator::command_arrived(std::uint64_t index) {
  const Command& c = commands_[index];
  if (t_.sim.now() > c.deadline) {
    abandon_promotion(c.record, "not confirmed within failover_timeout: the sentinel leader aborts");
    return;
  }
  c.deliver(c.arg);
}

// The decision is dropped: the record stays open (its master was never replaced) and the detector
// may decide again.
void FailoverCoordinator::abandon_promotion(std::uint64_t record_index, const std::string& why) {
  FailoverRecord& record = log_.failovers[record_index];
  if (record.role == FailedRole::kActiveMaster) {
    promoting_global_ = false;
  } else {
    const std::uint32_t shard = watched_replica(record_watch_[record_index]).shard();
    promoting_shard_[shard] = 0;
    chosen_leader_[shard] = nullptr;
    record.open = false;
  }
  note(t_.sim.now(), "promotion_failed", record.node, why);
  detector_->promotion_failed(record_watch_[record_index]);
}

// A master declared down again after its promotion failed, with no new crash in between, is the
// same failure retried (an election won again, a key taken again, an analysis run again): it keeps
// its record instead of opening one per attempt.
std::size_t FailoverCoordinator::record_for(std::uint32_t watch, FailedRole role, Time now) {
  for (std::size_t i = record_watch_.size(); i-- > 0;) {
    if (record_watch_[i] != watch) continue;
    const FailoverRecord& last = log_.failovers[i];
    if (last.role == role && last.promoted.empty() && !crashed_at_.count(last.node)) return i;
    break;
  }
  open_record(watch, role, now);
  return log_.failovers.size() - 1;
}

FailoverRecord& FailoverCoordinator::open_record(std::uint32_t watch, FailedRole role, Time now) {
  FailoverRecord record;
  record.node = detector_->name(watch);
  record.role = role;
  record.detected_at = now;
  if (role == FailedRole::kActiveMaster || role == FailedRole::kShardMaster)
    record.election_started_at = detector_->election_started(watch);
  // A real failure if the node crashed within the detector's longest detection delay before now,
  // with a network timeout of slack. Each crash explains one record.
  const Duration horizon = detector_->detection_horizon() + t_.scenario.network.timeout;
  const auto crash = crashed_at_.find(record.node);
  record.false_failover = crash == crashed_at_.end() || now - crash->second.at > horizon;
  record.failed_at = record.false_failover ? kTimeNever : crash->second.at;
  // Sync writes fail from the crash on, not from its detection (which may take Sentinel's 30 s).
  record.sync_failures_at_start = record.false_failover ? sync_write_failures_ : crash->second.sync_failures;
  if (crash != crashed_at_.end()) crashed_at_.erase(crash);
  log_.failovers.push_back(record);
  record_watch_.push_back(watch);
  return log_.failovers.back();
}

void FailoverCoordinator::on_declared_down(std::uint32_t watch, Time now) {
  note(now, "declared_down", detector_->name(watch));
  const Watch& w = watches_[watch];
  if (w.target == Target::kGlobalMaster) {
    GlobalMaster& box = w.index == 0 ? *t_.active_master : *t_.passive_master;
    if (&box == &t_.masters->active()) {
      global_master_down(watch, now);
    } else {
      FailoverRecord& record = open_record(watch, FailedRole::kStandbyMaster, now);
      record.open = false;
    }
    return;
  }
  Replica& replica = watched_replica(watch);
  if (t_.shard_leaders[replica.shard()] == &replica) {
    shard_leader_down(replica.shard(), watch, now);
  } else if (w.target == Target::kShardSlave && replica.role() == ReplicaRole::kShardSlave) {
    open_record(watch, FailedRole::kShardSlave, now);
    slave_down(w.index, now);
  }
}

void FailoverCoordinator::on_declared_up(std::uint32_t watch, Time now) {
  note(now, "declared_up", detector_->name(watch));
  const Watch& w = watches_[watch];
  if (w.target == Target::kShardSlave && t_.slaves[w.index]->replica().role() == ReplicaRole::kShardSlave) {
    slave_up(w.index, now);
    // Back before the news to drop it reached its SLB: nothing more to follow.
    for (auto it = log_.failovers.rbegin(); it != log_.failovers.rend(); ++it) {
      if (it->node == detector_->name(watch) && it->open) {
        it->open = false;
        break;
      }
    }
  }
}

// ---- The active global master ----

void FailoverCoordinator::global_master_down(std::uint32_t watch, Time now) {
  if (promoting_global_) return;
  promoting_global_ = true;
  global_record_ = record_for(watch, FailedRole::kActiveMaster, now);
  news_origin_[global_record_] = detector_->decision_geo(watch);
  switch (detector_->promotion()) {
    case FailureDetector::Promotion::kCommandFromDecisionGeo:
      // The leader sends the promotion (REPLICAOF NO ONE) to the standby.
      send_promotion(detector_->decision_geo(watch), t_.masters->standby().geo(),
                     Callback::to<&FailoverCoordinator::promote_standby>(this), global_record_,
                     global_record_);
      return;
    case FailureDetector::Promotion::kBySuccessor:
      // The elected standby (the set's only other data member) is master once it has caught up.
      promote_standby(global_record_);
      return;
    case FailureDetector::Promotion::kAfterPromotionTime:
      break;
  }
  const Duration promotion = from_ms(t_.scenario.failover.promotion_ms.sample(rng_));
  t_.sim.schedule_in(promotion, Callback::to<&FailoverCoordinator::promote_standby>(this), global_record_);
}

void FailoverCoordinator::promote_standby(std::uint64_t record_index) {
  FailoverRecord& record = log_.failovers[record_index];
  const Time now = t_.sim.now();
  promoting_global_ = false;
  const std::string standby = t_.masters->standby().name();
  std::optional<std::string> why = reconfigure_.standby_unpromotable();
  const std::uint32_t standby_watch = &t_.masters->standby() == t_.active_master.get() ? 0 : 1;
  if (!why && !detector_->may_promote(standby_watch)) why = "its promotion rule is must_not";
  if (!why && detector_->replica_priority(standby_watch) == 0) why = "its replica-priority is 0";
  if (!why && t_.scenario.failover.prevent_cross_region &&
      t_.masters->standby().geo() != t_.masters->active().geo()) {
    why = "prevent_cross_region_failover: the standby is in " +
          t_.scenario.geos[t_.masters->standby().geo()] + ", the master in " +
          t_.scenario.geos[t_.masters->active().geo()];
  }
  if (why) {
    // The record stays open: the failover never completes, and its count of failed sync writes
    // runs on (see on_sync_write_failed) instead of stopping at 0.
    note(now, "promotion_failed", standby, *why);
    detector_->promotion_failed(record_watch_[record_index]);
    return;
  }
  const GlobalMaster& old_master = t_.masters->active();
  const GeoId old_geo = old_master.geo();
  fence_unfenced(now);  // a second failover before the first one's old master heard of it
  // With parallel_syncs the leader re-points the shard masters later (promotion_observed); one that
  // applied writes the cut removes needs a full resync.
  const bool reconfigures = detector_->parallel_syncs() > 0;
  std::vector<std::uint64_t> discarded_before;
  for (Replica* leader : t_.shard_leaders) discarded_before.push_back(leader->discarded());
  const WriteLoss loss = reconfigure_.promote_standby(t_.scenario.failover.fencing, reconfigures);
  if (reconfigures) {
    shard_master_ahead_.clear();
    for (std::size_t s = 0; s < t_.shard_leaders.size(); ++s)
      shard_master_ahead_.push_back(t_.shard_leaders[s]->discarded() > discarded_before[s]);
  }
  if (t_.masters->standby().unfenced()) {
    unfenced_record_ = record_index;
    unfenced_geo_ = old_geo;
    note(now, "not_fenced", t_.masters->standby().name(), "takes writes until the news reaches it");
  }
  record.writes_lost += loss.writes;
  record.writes_lost_unacknowledged += loss.unacknowledged;
  record.keys_lost += loss.keys;
  if (loss.writes > 0) {
    record.lost_first_commit = std::min(record.lost_first_commit, loss.first_commit);
    record.lost_last_commit = record.lost_last_commit == kTimeNever
                                  ? loss.last_commit
                                  : std::max(record.lost_last_commit, loss.last_commit);
  }
  record.entries_discarded_on_replicas += loss.entries_discarded_on_replicas;
  record.promoted_at = now;
  record.promoted = standby;
  note(now, "promoted", standby, "active global master");
  if (detector_->promotion() == FailureDetector::Promotion::kCommandFromDecisionGeo) {
    // The leader learns of the new role from the standby's next INFO reply, then tells the routers.
    t_.sim.schedule_in(detector_->observation_delay(record_watch_[record_index], t_.masters->active().geo()),
                       Callback::to<&FailoverCoordinator::report_promotion>(this), record_index);
    return;
  }
  promotion_observed(record_index);
}

void FailoverCoordinator::report_promotion(std::uint64_t record_index) {
  t_.network.send(t_.masters->active().geo(), news_origin_.at(record_index), kNewsBytes,
                  Callback::to<&FailoverCoordinator::promotion_observed>(this), record_index,
                  Callback::to<&FailoverCoordinator::report_promotion>(this));
}

void FailoverCoordinator::promotion_observed(std::uint64_t record_index) {
  if (detector_->parallel_syncs() > 0 && log_.failovers[record_index].role == FailedRole::kActiveMaster) {
    // +promoted-slave: the leader re-points the shard masters, parallel_syncs at a time.
    std::vector<ReplicaReconfiguration::Target> shard_masters;
    for (std::size_t s = 0; s < t_.shard_leaders.size(); ++s)
      shard_masters.push_back(
          {t_.shard_leaders[s], s < shard_master_ahead_.size() && shard_master_ahead_[s], true});
    replica_reconfiguration_.start(record_index, record_watch_[record_index], news_origin_.at(record_index),
                                   StreamSource::active_master(t_.masters->active().node()),
                                   std::move(shard_masters));
  }
  views_pending_[record_index] = t_.scenario.geos.size();
  for (GeoId g = 0; g < t_.scenario.geos.size(); ++g) send_news(master_changed(g, record_index));
}

void FailoverCoordinator::update_geo_view(GeoId geo, std::uint64_t record_index) {
  const Time now = t_.sim.now();
  note(now, "routing_updated", t_.scenario.geos[geo], "writes go to " + reconfigure_.active_master_name());
  if (unfenced_record_ && geo == unfenced_geo_) fence_unfenced(now);
  reconfigure_.repoint_write_route(geo);
  const auto pending = views_pending_.find(record_index);
  if (pending != views_pending_.end() && --pending->second == 0) {
    views_pending_.erase(pending);
    news_origin_.erase(record_index);
    FailoverRecord& record = log_.failovers[record_index];
    record.routed_at = now;
    maybe_close(record);
  }
}

void FailoverCoordinator::on_commit(Time now, Time issued, bool async) {
  if (unfenced_record_) ++log_.failovers[*unfenced_record_].divergent_writes_new_side;
  if (log_.failovers.empty()) return;
  FailoverRecord& record = log_.failovers[global_record_];
  if (record.role != FailedRole::kActiveMaster) return;
  const Time start = record.outage_start();
  if (start == kTimeNever || now < start) return;
  if (record.first_write_after == kTimeNever) {
    record.first_write_after = now;
    maybe_close(record);
  }
  if (async && issued < record.first_write_after) {
    ++record.async_writes_delayed;
    record.async_max_delay = std::max(record.async_max_delay, now - std::max(issued, start));
  }
}

void FailoverCoordinator::on_min_replicas(Time now, const std::string& master, bool refusing,
                                          const std::string& detail) {
  note(now, refusing ? "noreplicas" : "replicas_good", master, detail);
}

void FailoverCoordinator::on_divergent_write(Time /*now*/) {
  if (unfenced_record_) ++log_.failovers[*unfenced_record_].divergent_writes_old_side;
}

// The news of the new master reached the old one: it stops taking writes.
void FailoverCoordinator::fence_unfenced(Time now) {
  if (!unfenced_record_) return;
  if (reconfigure_.fence_old_master())
    note(now, "fenced", t_.masters->standby().name(), "heard of the new master");
  unfenced_record_.reset();
}

void FailoverCoordinator::on_sync_write_failed(Time /*now*/) {
  ++sync_write_failures_;
  // Keep an open master failover's count current, so that one that never completes (no live
  // standby to promote, or the run ends first) reports the sync writes that failed, not 0.
  if (log_.failovers.empty()) return;
  FailoverRecord& record = log_.failovers[global_record_];
  if (record.role == FailedRole::kActiveMaster && record.open) {
    record.sync_writes_failed = sync_write_failures_ - record.sync_failures_at_start;
  }
}

void FailoverCoordinator::maybe_close(FailoverRecord& record) {
  if (!record.open || record.first_write_after == kTimeNever || record.routed_at == kTimeNever) return;
  record.sync_writes_failed = sync_write_failures_ - record.sync_failures_at_start;
  record.open = false;
}

// ---- Shard masters ----

void FailoverCoordinator::shard_leader_down(std::uint32_t shard, std::uint32_t watch, Time now) {
  if (promoting_shard_[shard]) return;
  promoting_shard_[shard] = 1;
  const std::uint64_t record = record_for(watch, FailedRole::kShardMaster, now);
  if (detector_->promotion() == FailureDetector::Promotion::kBySuccessor) {
    // The election's winner promotes itself.
    const std::optional<std::uint32_t> winner = detector_->successor(watch);
    chosen_leader_[shard] = winner ? &watched_replica(*winner) : nullptr;
    promote_in_shard((record << 32) | shard);
    return;
  }
  if (detector_->promotion() == FailureDetector::Promotion::kCommandFromDecisionGeo) {
    // The leader chooses the replica now (by position; ties as below) and sends it the promotion.
    chosen_leader_[shard] = choose_new_leader(shard);
    if (chosen_leader_[shard] == nullptr) {
      promote_in_shard((record << 32) | shard);  // records the failed promotion
      return;
    }
    send_promotion(detector_->decision_geo(watch), chosen_leader_[shard]->geo(),
                   Callback::to<&FailoverCoordinator::promote_in_shard>(this), (record << 32) | shard,
                   record);
    return;
  }
  const Duration promotion = from_ms(t_.scenario.failover.promotion_ms.sample(rng_));
  t_.sim.schedule_in(promotion, Callback::to<&FailoverCoordinator::promote_in_shard>(this),
                     (record << 32) | shard);
}

Replica* FailoverCoordinator::choose_new_leader(std::uint32_t shard) {
  const FailoverSpec& spec = t_.scenario.failover;
  Replica* best = nullptr;
  bool best_preferred = false;
  int best_rank = 0;
  std::uint32_t best_priority = 0;
  LogPosition best_position = 0;
  for (auto& slave : t_.slaves) {  // by id: ties go to the lowest id
    Replica& r = slave->replica();
    // The coordinator sees what the monitor sees: a slave it has declared down is no candidate,
    // and a crashed one it has not noticed yet may be promoted (and fail over again later).
    // A lapsed slave stays a candidate of last resort (its position is below anything the log
    // holds): the shard's history is all in the global master's log, which re-seeds it by snapshot.
    if (slave->shard() != shard || r.role() != ReplicaRole::kShardSlave ||
        detector_->declared_down(slave_watch_[slave->id()])) {
      continue;
    }
    if (spec.prevent_cross_region && r.geo() != t_.shard_leaders[shard]->geo()) continue;
    if (!detector_->may_promote(slave_watch_[slave->id()])) continue;
    // Redis replica-priority comes first (lower wins; 0 is never promoted), then all of the below.
    const std::uint32_t priority = detector_->replica_priority(slave_watch_[slave->id()]);
    if (priority == 0) continue;
    if (best != nullptr && priority != best_priority) {
      if (priority > best_priority) continue;
      best = nullptr;  // a lower priority beats whatever was best
    }
    const int rank = detector_->candidate_rank(slave_watch_[slave->id()]);
    const bool preferred =
        spec.shard_policy == FailoverSpec::Policy::kPreferredGeo && r.geo() == spec.preferred_geo;
    // Ties on position (common: a crashed shard master ships nothing more, so its slaves catch up)
    // go to a slave in the shard masters' geo, nearest the global master, then to the lowest id.
    const bool near = r.geo() == t_.scenario.shard_masters.geo;
    const bool best_near = best != nullptr && best->geo() == t_.scenario.shard_masters.geo;
    // A live slave beats a lapsed one whatever the policy: a lapsed leader can feed nothing to the
    // shard's slaves until it has loaded a whole snapshot.
    const bool lapse_decides = best != nullptr && r.lapsed() != best->lapsed();
    // Level in position, the detector's rank decides (Orchestrator's promotion rules), then nearness.
    const bool level_and_better =
        r.position() == best_position && (rank > best_rank || (rank == best_rank && near && !best_near));
    const bool better =
        best == nullptr || (lapse_decides && !r.lapsed()) ||
        (!lapse_decides &&
         ((preferred && !best_preferred) ||
          (preferred == best_preferred && (r.position() > best_position || level_and_better))));
    if (better) {
      best = &r;
      best_priority = priority;
      best_preferred = preferred;
      best_rank = rank;
      best_position = r.position();
    }
  }
  return best;
}

void FailoverCoordinator::promote_in_shard(std::uint64_t record_and_shard) {
  const auto shard = static_cast<std::uint32_t>(record_and_shard & 0xffffffff);
  FailoverRecord& record = log_.failovers[record_and_shard >> 32];
  const Time now = t_.sim.now();
  promoting_shard_[shard] = 0;
  record.open = false;
  Replica* promoted = detector_->promotion() == FailureDetector::Promotion::kAfterPromotionTime
                          ? choose_new_leader(shard)
                          : chosen_leader_[shard];
  chosen_leader_[shard] = nullptr;
  // A chosen replica that crashed, or was promoted elsewhere, on the way does not answer.
  if (promoted != nullptr && (!promoted->up() || promoted->role() != ReplicaRole::kShardSlave))
    promoted = nullptr;
  if (promoted == nullptr) {
    note(
        now, "promotion_failed", record.node,
        "no live slave holds shard " + std::to_string(shard + 1) +
            (t_.scenario.failover.prevent_cross_region ? " in its geo (prevent_cross_region_failover)" : ""));
    detector_->promotion_failed(record_watch_[record_and_shard >> 32]);
    return;
  }
  // With parallel_syncs the leader re-points the other slaves later; one ahead of the promoted
  // replica needs a full resync.
  const bool reconfigures = detector_->parallel_syncs() > 0;
  std::vector<ReplicaReconfiguration::Target> followers;
  if (reconfigures) {
    for (ReplicationStream* stream : t_.streams_from(*t_.shard_leaders[shard]))
      if (&stream->target() != promoted)
        followers.push_back({&stream->target(), stream->target().position() > promoted->position(), false});
  }
  reconfigure_.replace_shard_leader(shard, *promoted, reconfigures);
  record.promoted_at = now;
  record.routed_at = now;  // the SLB drained at promotion (and the slaves re-pointed, unless below)
  record.promoted = promoted->name();
  note(now, "promoted", promoted->name(), "shard master of shard " + std::to_string(shard + 1));
  if (reconfigures) {
    // The leader sees the new role at an INFO reply, which travels back to it.
    const std::uint64_t index = record_and_shard >> 32;
    const std::uint32_t watch = record_watch_[index];
    const GeoId leader_geo = detector_->decision_geo(watch);
    const Duration seen = detector_->observation_delay(watch, promoted->geo()) +
                          from_ms(t_.network.mean_latency_ms(promoted->geo(), leader_geo));
    replica_reconfiguration_.start(index, watch, leader_geo, StreamSource::from_replica(*promoted),
                                   std::move(followers), seen);
  }
}

// ---- Shard slaves ----

void FailoverCoordinator::slave_down(std::uint32_t slave, Time /*now*/) {
  send_news(news(kSlaveOff, slave));
}
void FailoverCoordinator::slave_up(std::uint32_t slave, Time /*now*/) {
  send_news(news(kSlaveBack, slave));
}

void FailoverCoordinator::slb_remove(std::uint32_t slave_id) {
  ShardSlave& slave = *t_.slaves[slave_id];
  if (slave.replica().role() != ReplicaRole::kShardSlave) return;  // promoted meanwhile: already off
  // Stale news (resent through a partition): the monitor has heard from the slave again since.
  if (!detector_->declared_down(slave_watch_[slave_id])) return;
  reconfigure_.drain_slave(slave_id);
  note(t_.sim.now(), "routing_updated", slave.replica().name(), "off the SLB");
  for (auto it = log_.failovers.rbegin(); it != log_.failovers.rend(); ++it) {
    if (it->node == slave.replica().name() && it->open) {
      it->routed_at = t_.sim.now();
      it->open = false;
      break;
    }
  }
}

void FailoverCoordinator::slb_restore(std::uint32_t slave_id) {
  ShardSlave& slave = *t_.slaves[slave_id];
  // Only a slave still serving reads, and still heard by the monitor, goes back on the ring.
  if (detector_->declared_down(slave_watch_[slave_id]) || !reconfigure_.restore_slave(slave_id)) return;
  note(t_.sim.now(), "routing_updated", slave.replica().name(), "back on the SLB");
}

// ---- News from the monitor to the routers ----

GeoId FailoverCoordinator::news_geo(std::uint64_t item) const {
  const std::uint64_t target = item & 0xffffffffffff;
  return (item >> 48) == kMasterChanged ? geo_of(target) : t_.slaves[target]->geo();
}

GeoId FailoverCoordinator::news_origin(std::uint64_t item) const {
  const std::uint64_t target = item & 0xffffffffffff;
  if ((item >> 48) == kMasterChanged) return news_origin_.at(record_of(target));
  return detector_->decision_geo(slave_watch_[target]);
}

// News travels as a message over the network (held or resent while a partition stands in the
// way), then the router applies it after the routing update time.
void FailoverCoordinator::send_news(std::uint64_t item) {
  t_.network.send(news_origin(item), news_geo(item), kNewsBytes,
                  Callback::to<&FailoverCoordinator::news_arrived>(this), item,
                  Callback::to<&FailoverCoordinator::send_news>(this));
}

void FailoverCoordinator::news_arrived(std::uint64_t item) {
  const Duration update = from_ms(t_.scenario.failover.routing_update_ms.sample(rng_));
  t_.sim.schedule_in(update, Callback::to<&FailoverCoordinator::apply_news>(this), item);
}

void FailoverCoordinator::apply_news(std::uint64_t item) {
  const std::uint64_t target = item & 0xffffffffffff;
  switch (item >> 48) {
    case kMasterChanged:
      update_geo_view(geo_of(target), record_of(target));
      break;
    case kSlaveOff:
      slb_remove(static_cast<std::uint32_t>(target));
      break;
    case kSlaveBack:
      slb_restore(static_cast<std::uint32_t>(target));
      break;
    default:
      break;
  }
}

}  // namespace shardsim
