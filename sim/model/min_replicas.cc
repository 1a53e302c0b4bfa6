#include "shardsim/model/min_replicas.h"

#include <fmt/format.h>

#include "shardsim/model/topology.h"

namespace shardsim {

namespace {
constexpr std::uint64_t kAckBytes = 64;  // REPLCONF ACK <offset>
constexpr std::uint32_t kSlots = 2;      // the standby's copy, the shard master
}  // namespace

MinReplicas::Master::Master(Simulation& sim, Callback recount, std::size_t shards)
    : last_ack(shards, {kNoAck, kNoAck}), good(shards, 0), cron(sim, recount) {}

MinReplicas::MinReplicas(Topology& topology)
    : t_(topology),
      needed_(topology.scenario.masters.min_replicas_to_write),
      max_lag_s_(topology.scenario.masters.min_replicas_max_lag_s),
      rng_(topology.scenario.seed, "model/min_replicas") {
  const std::size_t shards = t_.context.logs.size();
  for (int m = 0; m < 2; ++m)
    masters_.emplace_back(t_.sim, Callback::to<&MinReplicas::cron_due>(this), shards);
  for (std::size_t i = 0; i < shards * kSlots; ++i)
    acks_.emplace_back(t_.sim, Callback::to<&MinReplicas::ack_due>(this));
}

void MinReplicas::start() {
  const auto phase = [this] {
    return static_cast<Duration>(rng_.next_below(static_cast<std::uint64_t>(kAckPeriod)));
  };
  for (std::uint32_t m = 0; m < masters_.size(); ++m) {
    masters_[m].clock_offset = phase();
    masters_[m].cron.arm_in(phase(), m);
  }
  // The deployment starts replicated: the active master's copies are online, stamped now.
  Master& active = masters_[index_of(t_.masters->active())];
  for (auto& slots : active.last_ack) slots = {0, 0};
  recount(index_of(t_.masters->active()));
  for (std::uint64_t i = 0; i < acks_.size(); ++i) acks_[i].arm_in(phase(), i);
}

std::uint32_t MinReplicas::index_of(const GlobalMaster& m) const {
  return &m == t_.active_master.get() ? 0 : 1;
}

GlobalMaster& MinReplicas::master(std::uint32_t index) const {
  return index == 0 ? *t_.active_master : *t_.passive_master;
}

std::int64_t MinReplicas::second(std::uint32_t m, Time now) const {
  return (now + masters_[m].clock_offset) / kSecond;
}

bool MinReplicas::refuses(const GlobalMaster& m, std::uint32_t shard) const {
  return masters_[index_of(m)].good[shard] < needed_;
}

void MinReplicas::count_refusal(bool async, bool old_master) {
  ++(async ? stats_.refused_async : stats_.refused_sync);
  if (old_master) ++stats_.refused_by_old_master;
  if (stats_.first_refusal == kTimeNever) stats_.first_refusal = t_.sim.now();
}

// The copy in `slot` of a shard, and the global master that feeds it (-1: none, or a replica).
namespace {
struct Feed {
  Replica* copy = nullptr;
  const Node* source = nullptr;
};
Feed feed_of(Topology& t, std::uint32_t shard, std::uint32_t slot) {
  Feed feed;
  feed.copy = slot == 0 ? t.masters->standby().copies()[shard].get() : t.shard_leaders[shard];
  if (const ReplicationStream* stream = t.stream_to(*feed.copy)) feed.source = stream->source().master;
  return feed;
}
}  // namespace

void MinReplicas::ack_due(std::uint64_t i) {
  acks_[i].arm_in(kAckPeriod, i);
  const auto shard = static_cast<std::uint32_t>(i / kSlots), slot = static_cast<std::uint32_t>(i % kSlots);
  const Feed feed = feed_of(t_, shard, slot);
  // A copy that is down, or lapsed out of the log (not online: it waits for a full sync), sends
  // nothing; nor does one fed by another replica.
  if (feed.source == nullptr || !feed.copy->up() || feed.copy->lapsed()) return;
  const std::uint32_t m = feed.source == &t_.active_master->node() ? 0 : 1;
  t_.network.send(feed.copy->geo(), feed.source->geo(), kAckBytes,
                  Callback::to<&MinReplicas::ack_arrived>(this), i * 2 + m);
}

void MinReplicas::ack_arrived(std::uint64_t packed) {
  const auto m = static_cast<std::uint32_t>(packed % 2);
  const std::uint64_t i = packed / 2;
  if (!master(m).node().up()) return;
  masters_[m].last_ack[i / kSlots][i % kSlots] = second(m, t_.sim.now());
}

void MinReplicas::cron_due(std::uint64_t m) {
  masters_[m].cron.arm_in(kAckPeriod, m);
  recount(static_cast<std::uint32_t>(m));
}

void MinReplicas::recount(std::uint32_t m) {
  Master& box = masters_[m];
  const std::int64_t now = second(m, t_.sim.now());
  box.refusing_shards = 0;
  for (std::size_t shard = 0; shard < box.good.size(); ++shard) {
    std::uint8_t good = 0;
    for (const std::int64_t acked : box.last_ack[shard])
      if (acked != kNoAck && now - acked <= max_lag_s_) ++good;
    box.good[shard] = good;
    if (good < needed_) ++box.refusing_shards;
  }
  // Only a master taking writes has anything to refuse: the timeline follows it alone.
  GlobalMaster& gm = master(m);
  const bool taking = gm.node().up() && (gm.active() || gm.unfenced());
  // A master that stopped taking writes (fenced, crashed) ends its spell without a timeline event:
  // the promotion or the crash already says why.
  if (!taking) {
    if (box.refusing_since != kTimeNever) note_refusing(m, false, false);
    return;
  }
  note_refusing(m, box.refusing_shards > 0, true);
}

void MinReplicas::note_refusing(std::uint32_t m, bool refusing, bool announce) {
  Master& box = masters_[m];
  const Time now = t_.sim.now();
  if (refusing == (box.refusing_since != kTimeNever)) return;
  if (refusing) {
    box.refusing_since = now;
    ++stats_.spells;
  } else {
    stats_.time_refusing += now - box.refusing_since;
    box.refusing_since = kTimeNever;
  }
  if (!announce || t_.context.write_observer == nullptr) return;
  const std::string detail =
      refusing
          ? fmt::format("min-replicas-to-write {}: {} of {} shard(s) with fewer good replicas (lag <= {} s)",
                        needed_, box.refusing_shards, box.good.size(), max_lag_s_)
          : fmt::format("min-replicas-to-write {}: enough good replicas again", needed_);
  t_.context.write_observer->on_min_replicas(now, master(m).name(), refusing, detail);
}

Duration MinReplicas::time_refusing(Time now) const {
  Duration total = stats_.time_refusing;
  for (const Master& box : masters_)
    if (box.refusing_since != kTimeNever) total += now - box.refusing_since;
  return total;
}

void MinReplicas::master_promoted(const GlobalMaster& gm) {
  const std::uint32_t m = index_of(gm);
  Master& box = masters_[m];
  for (auto& slots : box.last_ack) slots = {kNoAck, kNoAck};
  for (std::uint32_t shard = 0; shard < box.last_ack.size(); ++shard) {
    for (std::uint32_t slot = 0; slot < kSlots; ++slot) {
      const Feed feed = feed_of(t_, shard, slot);
      if (feed.source == &master(m).node() && feed.copy->up() && !feed.copy->lapsed())
        box.last_ack[shard][slot] = second(m, t_.sim.now());
    }
  }
  // The old master's count is its own: it keeps what its copies last told it.
  recount(m);
}

void MinReplicas::replica_online(std::uint32_t shard, std::uint32_t slot) {
  const Feed feed = feed_of(t_, shard, slot);
  if (feed.source == nullptr || !feed.copy->up()) return;
  const std::uint32_t m = feed.source == &t_.active_master->node() ? 0 : 1;
  masters_[m].last_ack[shard][slot] = second(m, t_.sim.now());
  recount(m);
}

}  // namespace shardsim
