#include "shardsim/model/write_acknowledgement.h"

#include <algorithm>

#include "shardsim/model/global_master.h"
#include "shardsim/model/master_directory.h"

namespace shardsim {

namespace {
constexpr std::uint64_t kAckBytes = 64;
// An acknowledgement packs the copy (shard x 2 + 0 for the standby's copy, 1 for the shard
// master), the master's epoch and the position applied.
constexpr unsigned kSlotBits = 19;  // 2 x 100,000 shards
constexpr unsigned kEpochBits = 5;
std::uint64_t pack(std::uint64_t slot, std::uint64_t epoch, LogPosition position) {
  return (position << (kSlotBits + kEpochBits)) | ((epoch & ((1u << kEpochBits) - 1)) << kSlotBits) | slot;
}
}  // namespace

WriteAcknowledgement::Path::Path(Simulation& sim, const DurabilitySpec& s, std::size_t shards,
                                 Callback on_timeout)
    : spec(s), held(shards), deadline(sim, on_timeout) {}

WriteAcknowledgement::WriteAcknowledgement(ModelContext& context, MasterDirectory& masters)
    : ctx_(context),
      masters_(masters),
      sync_(context.sim, context.scenario.sync_durability, context.logs.size(),
            Callback::to<&WriteAcknowledgement::sync_timeout>(this)),
      async_(context.sim, context.scenario.async_durability, context.logs.size(),
             Callback::to<&WriteAcknowledgement::async_timeout>(this)),
      acked_(context.logs.size(), {0, 0}),
      unacknowledged_(context.logs.size()) {}

bool WriteAcknowledgement::holds(std::uint64_t job) const {
  return ((job & kAsyncJob) ? async_ : sync_).spec.mode != DurabilitySpec::Mode::kAsync;
}

void WriteAcknowledgement::hold(std::uint32_t shard, LogPosition position, std::uint64_t job) {
  Path& p = path(job);
  if (p.off) {  // semi_sync fallen back: answered at the commit, as async
    ++p.stats.released_by_fallback;
    masters_.active().answer(job);
    return;
  }
  ++p.stats.held;
  p.held[shard].push_back(Held{position, job, ctx_.sim.now()});
  p.order.push_back(Oldest{shard, position});
  release(p, shard);
  arm_deadline(p);
}

LogPosition WriteAcknowledgement::acknowledged_up_to(const Path& p, std::uint32_t shard) const {
  // The k-th highest position among the copies that count (there are at most two).
  const LogPosition standby = acked_[shard][0], shard_master = acked_[shard][1];
  if (p.spec.counts_standby && p.spec.counts_shard_master) {
    return p.spec.replicas >= 2 ? std::min(standby, shard_master) : std::max(standby, shard_master);
  }
  return p.spec.counts_standby ? standby : shard_master;
}

void WriteAcknowledgement::release(Path& p, std::uint32_t shard) {
  const LogPosition up_to = acknowledged_up_to(p, shard);
  std::deque<Held>& held = p.held[shard];
  const Time now = ctx_.sim.now();
  while (!held.empty() && held.front().position < up_to) {
    const Duration wait = now - held.front().since;
    p.stats.total_wait += wait;
    p.stats.max_wait = std::max(p.stats.max_wait, wait);
    ++p.stats.acknowledged;
    masters_.active().answer(held.front().job);
    held.pop_front();
  }
}

void WriteAcknowledgement::on_applied(const Replica& replica, LogPosition /*from*/, LogPosition to,
                                      Time /*now*/) {
  std::uint64_t which;
  if (replica.role() == ReplicaRole::kStandbyMaster) {
    which = 0;
  } else if (replica.role() == ReplicaRole::kShardMaster) {
    which = 1;
  } else {
    return;  // a slave: not a direct copy of the master
  }
  const std::uint64_t slot = 2 * static_cast<std::uint64_t>(replica.shard()) + which;
  ctx_.network.send(replica.geo(), masters_.active().geo(), kAckBytes,
                    Callback::to<&WriteAcknowledgement::ack_arrived>(this), pack(slot, epoch_, to));
}

void WriteAcknowledgement::ack_arrived(std::uint64_t packed) {
  const std::uint64_t slot = packed & ((1u << kSlotBits) - 1);
  const std::uint64_t epoch = (packed >> kSlotBits) & ((1u << kEpochBits) - 1);
  const LogPosition position = packed >> (kSlotBits + kEpochBits);
  if (epoch != (epoch_ & ((1u << kEpochBits) - 1))) return;  // from before the master changed
  const auto shard = static_cast<std::uint32_t>(slot / 2);
  const LogPosition sync_before = acknowledged_up_to(sync_, shard);
  const LogPosition async_before = acknowledged_up_to(async_, shard);
  LogPosition& acked = acked_[shard][slot % 2];
  acked = std::max(acked, position);
  for (Path* p : {&sync_, &async_}) {
    if (p->spec.mode == DurabilitySpec::Mode::kAsync) continue;
    release(*p, shard);
    arm_deadline(*p);
    maybe_switch_on(*p, shard, p == &sync_ ? sync_before : async_before);
  }
}

bool WriteAcknowledgement::still_held(const Path& p, const Oldest& o) const {
  const std::deque<Held>& held = p.held[o.shard];
  return !held.empty() && held.front().position <= o.position;
}

void WriteAcknowledgement::drop_released(Path& p) {
  while (!p.order.empty() && !still_held(p, p.order.front())) p.order.pop_front();
}

void WriteAcknowledgement::arm_deadline(Path& p) {
  drop_released(p);
  if (p.order.empty()) {
    p.deadline.cancel();
    return;
  }
  const Oldest& oldest = p.order.front();
  const Time since = p.held[oldest.shard].front().since;
  if (!p.deadline.armed() || p.deadline.fires_at() != since + p.spec.timeout)
    p.deadline.arm_at(since + p.spec.timeout);
}

void WriteAcknowledgement::sync_timeout(std::uint64_t /*unused*/) {
  timeout(sync_);
}
void WriteAcknowledgement::async_timeout(std::uint64_t /*unused*/) {
  timeout(async_);
}

void WriteAcknowledgement::timeout(Path& p) {
  const Time now = ctx_.sim.now();
  if (p.spec.mode == DurabilitySpec::Mode::kSemiSync) {
    // MySQL's switch_off: answer every held write and carry on asynchronously.
    p.off = true;
    p.off_since = now;
    ++p.stats.fallbacks;
    p.resume_at.clear();
    p.shards_behind = 0;
    for (std::uint32_t shard = 0; shard < ctx_.logs.size(); ++shard) {
      p.resume_at.push_back(ctx_.logs[shard]->end());
      if (acknowledged_up_to(p, shard) < p.resume_at[shard]) ++p.shards_behind;
    }
    for (std::deque<Held>& held : p.held) {
      for (const Held& h : held) {
        ++p.stats.released_by_fallback;
        masters_.active().answer(h.job);
      }
      held.clear();
    }
    p.order.clear();
    return;
  }
  // quorum: the writes that waited out the timeout fail to their clients (still committed).
  drop_released(p);
  while (!p.order.empty()) {
    const Oldest o = p.order.front();
    std::deque<Held>& held = p.held[o.shard];
    if (held.front().since + p.spec.timeout > now) break;
    ++p.stats.timed_out;
    masters_.active().fail_write(held.front().job);
    held.pop_front();
    p.order.pop_front();
    drop_released(p);
  }
  arm_deadline(p);
}

void WriteAcknowledgement::maybe_switch_on(Path& p, std::uint32_t shard, LogPosition before) {
  // MySQL's try_switch_on: back to semi-sync once the copies have acknowledged what was committed
  // up to the fallback (while writes flow, the log's end itself is always a batch ahead). Counted
  // per shard as each catches up, so that an acknowledgement costs no scan of every shard.
  if (!p.off) return;
  const LogPosition after = acknowledged_up_to(p, shard);
  if (before < p.resume_at[shard] && after >= p.resume_at[shard]) --p.shards_behind;
  if (p.shards_behind > 0) return;
  p.off = false;
  p.stats.time_in_fallback += ctx_.sim.now() - p.off_since;
}

void WriteAcknowledgement::master_lost() {
  const Time now = ctx_.sim.now();
  for (Path* p : {&sync_, &async_}) {
    for (std::uint32_t shard = 0; shard < p->held.size(); ++shard) {
      for (const Held& h : p->held[shard]) {
        ++p->stats.failed_by_master_loss;
        unacknowledged_[shard].push_back(h.position);
        masters_.active().fail_write(h.job);
      }
      p->held[shard].clear();
    }
    p->order.clear();
    p->deadline.cancel();
    if (p->off) p->stats.time_in_fallback += now - p->off_since;
    p->off = false;
  }
  ++epoch_;
  for (auto& acked : acked_) acked = {0, 0};
}

std::uint64_t WriteAcknowledgement::take_unacknowledged_from(std::uint32_t shard, LogPosition position) {
  std::vector<LogPosition>& positions = unacknowledged_[shard];
  const auto count = static_cast<std::uint64_t>(
      std::count_if(positions.begin(), positions.end(), [position](LogPosition p) { return p >= position; }));
  positions.clear();
  return count;
}

}  // namespace shardsim
