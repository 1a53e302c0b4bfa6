#include "shardsim/model/global_master.h"

#include "shardsim/model/client.h"
#include "shardsim/model/consumer.h"
#include "shardsim/model/min_replicas.h"
#include "shardsim/model/write_acknowledgement.h"

namespace shardsim {

GlobalMaster::GlobalMaster(ModelContext& context, const std::string& name, GeoId geo, bool active)
    : ctx_(context),
      node_(context.sim, name, geo, context.scenario.masters.node, context.seed(),
            Callback::to<&GlobalMaster::served>(this)),
      active_(active) {
  const ReplicationHopSpec& hop = context.scenario.replication.master_to_standby;
  for (std::uint32_t s = 0; s < context.logs.size(); ++s) {
    copies_.push_back(std::make_unique<Replica>(context.sim, *context.logs[s], ReplicaRole::kStandbyMaster,
                                                name + "/shard" + std::to_string(s + 1), geo, s,
                                                hop.apply_ms_per_entry, context.seed()));
    if (active) copies_.back()->detach();
  }
}

void GlobalMaster::promote() {
  active_ = true;
  refusing_writes_ = false;
  unfenced_ = false;
  for (auto& copy : copies_) copy->detach();
}

void GlobalMaster::demote(const std::vector<LogPosition>& positions) {
  active_ = false;
  refusing_writes_ = false;
  for (std::size_t s = 0; s < copies_.size(); ++s) {
    copies_[s]->reset_position(positions[s]);
    copies_[s]->attach();
    copies_[s]->recount_stale_keys();
  }
}

void GlobalMaster::crash() {
  // The writes it committed but had not yet answered (waiting for acknowledgements) fail too.
  if (active_ && ctx_.acknowledgement) ctx_.acknowledgement->master_lost();
  for (std::uint64_t job : node_.crash()) reject(job);
  for (auto& copy : copies_) copy->crash();
}

void GlobalMaster::recover() {
  node_.recover();
  for (auto& copy : copies_) copy->recover();
}

void GlobalMaster::arrive_sync(std::uint64_t id) {
  if ((!active_ && !unfenced_) || refusing_writes_ || !node_.submit(id)) reject(id);
}

void GlobalMaster::arrive_async(std::uint64_t id) {
  if ((!active_ && !unfenced_) || refusing_writes_ || !node_.submit(id | kAsync)) reject(id | kAsync);
}

void GlobalMaster::reject(std::uint64_t job) {
  const auto id = static_cast<std::uint32_t>(job);
  if (job & kAsync) {
    consumers_->on_commit_failed(geo(), id);
  } else {
    ctx_.clients->fail(geo(), id);
  }
}

void GlobalMaster::trace_commit(std::uint32_t shard, LogPosition position, std::uint64_t job) {
  const Request& r = ctx_.requests[static_cast<std::uint32_t>(job)];
  ctx_.trace->write_committed(
      ctx_.sim.now(), name(),
      WriteCommitted{static_cast<std::uint32_t>(job), shard, position, r.key_index, (job & kAsync) != 0});
}

// min-replicas-to-write: Redis refuses the write in processCommand, before it runs, when the
// master counts too few good replicas; the client gets -NOREPLICAS.
bool GlobalMaster::refused_for_replicas(std::uint64_t job) {
  if (ctx_.min_replicas == nullptr) return false;
  const std::uint32_t shard = ctx_.log_of(ctx_.requests[static_cast<std::uint32_t>(job)].key_index).shard();
  if (!ctx_.min_replicas->refuses(*this, shard)) return false;
  ctx_.min_replicas->count_refusal((job & kAsync) != 0, !active_);
  reject(job);
  return true;
}

void GlobalMaster::served(std::uint64_t job) {
  const auto id = static_cast<std::uint32_t>(job);
  const bool takes_writes = node_.up() && ((active_ && !refusing_writes_) || (!active_ && unfenced_));
  if (takes_writes && refused_for_replicas(job)) return;
  if (!active_ && unfenced_ && node_.up()) {
    // Answered as committed by a master that no longer is one: the write is lost with its role.
    if (ctx_.write_observer) ctx_.write_observer->on_divergent_write(ctx_.sim.now());
    answer(job);
    return;
  }
  if (!active_ || refusing_writes_ || !node_.up()) {  // lost the role, or crashed, while in service
    reject(job);
    return;
  }
  const Request& r = ctx_.requests[id];
  ReplicationLog& log = ctx_.log_of(r.key_index);
  const LogPosition position = log.append(r.key_index, ctx_.sim.now());
  ++commits_;
  if (ctx_.trace && ctx_.trace->traces(TraceKind::kCommit, name())) trace_commit(log.shard(), position, job);
  if (ctx_.write_observer) ctx_.write_observer->on_commit(ctx_.sim.now(), r.issued, (job & kAsync) != 0);
  if (ctx_.acknowledgement && ctx_.acknowledgement->holds(job)) {
    ctx_.acknowledgement->hold(log.shard(), position, job);
  } else {
    answer(job);
  }
}

void GlobalMaster::answer(std::uint64_t job) {
  const auto id = static_cast<std::uint32_t>(job);
  if (job & kAsync) {
    const Request& r = ctx_.requests[id];
    if (r.issued >= ctx_.metrics.window_start()) {
      ctx_.metrics.request_completed(r.geo, Outcome::kAsyncCommit, ctx_.sim.now() - r.issued);
    }
    consumers_->on_committed(geo(), id);
  } else {
    ctx_.clients->answer(geo(), id, Outcome::kSyncWrite);
  }
}

}  // namespace shardsim
