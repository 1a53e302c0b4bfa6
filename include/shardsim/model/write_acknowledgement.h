// Write acknowledgement (durability): when the active global master answers a write it committed.
//
// - async (the default, and the seed design): at the commit. No object of this class exists.
// - semi_sync (MySQL semi-synchronous replication): once `replicas` of the master's direct copies of
//   the write's shard (the standby's copy and the shard master) have it. After `timeout` without
//   enough acknowledgements the master falls back to async, answering everything it held, and
//   switches back once the copies have acknowledged everything committed up to the fallback
//   (MySQL's switch_off, and try_switch_on against the last position waited for). Each fallback
//   is counted.
// - quorum (MongoDB w: majority, PostgreSQL synchronous_standby_names = ANY k): once `replicas` of
//   the listed copies have it; a write that waits past `timeout` fails to its client (it stays
//   committed, as a MongoDB wtimeout).
//
// A copy acknowledges once it has applied the write (MySQL acknowledges at the relay-log write, a
// moment earlier; the model's promotion keeps what the standby applied, so an acknowledged write
// survives a promotion of a copy that counts). The acknowledgement travels back over the network.
// A write the master held when it crashed or lost its role is failed to its client: lost before
// its acknowledgement, not after.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/context.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class MasterDirectory;

class WriteAcknowledgement : public ReplicaObserver {
 public:
  static constexpr std::uint64_t kAsyncJob = 1ULL << 63;  // the master's tag of an async write

  WriteAcknowledgement(ModelContext& context, MasterDirectory& masters);

  // Whether writes of this kind wait for acknowledgements (false: answer at the commit).
  bool holds(std::uint64_t job) const;
  // Holds the answer to `job`, committed at `position` of `shard`'s log by the active master.
  void hold(std::uint32_t shard, LogPosition position, std::uint64_t job);
  // The active master crashed or lost its role: every write it held fails to its client, and the
  // acknowledgements on their way no longer count (positions are reused after a cut).
  void master_lost();
  // How many of the writes failed by master_lost() sit at or after `position` in `shard`'s log:
  // cut by a promotion, they were lost before their acknowledgement. Forgets that shard's.
  std::uint64_t take_unacknowledged_from(std::uint32_t shard, LogPosition position);

  void on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) override;
  void on_stale_keys_changed(const Replica& /*replica*/, std::int64_t /*delta*/, Time /*now*/) override {}

  struct Stats {
    std::uint64_t held = 0;
    std::uint64_t acknowledged = 0;
    std::uint64_t released_by_fallback = 0;  // semi_sync: answered when the master fell back
    std::uint64_t timed_out = 0;             // quorum: failed to the client after the timeout
    std::uint64_t failed_by_master_loss = 0;
    std::uint64_t fallbacks = 0;  // semi_sync: switches to async
    Duration time_in_fallback = 0;
    Duration total_wait = 0;  // over the acknowledged writes
    Duration max_wait = 0;
  };
  const Stats& stats(bool async) const { return async ? async_.stats : sync_.stats; }
  // semi_sync: fallen back to async now.
  bool fallen_back(bool async) const { return (async ? async_ : sync_).off; }
  // semi_sync: the time spent fallen back up to `now`, the current spell included.
  Duration time_fallen_back(bool async, Time now) const {
    const Path& p = async ? async_ : sync_;
    return p.stats.time_in_fallback + (p.off ? now - p.off_since : 0);
  }

 private:
  struct Oldest {  // the writes held, in commit order across shards
    std::uint32_t shard;
    LogPosition position;
  };
  struct Held {
    LogPosition position;
    std::uint64_t job;
    Time since;
  };
  // One write path's rule and what it holds, per shard.
  struct Path {
    DurabilitySpec spec;
    std::vector<std::deque<Held>> held;  // by shard, in log order
    std::deque<Oldest> order;            // commit order; entries already released are skipped
    bool off = false;                    // semi_sync fallen back to async
    Time off_since = 0;
    std::vector<LogPosition> resume_at;  // by shard: the log's end when it fell back
    std::size_t shards_behind = 0;       // shards whose copies have not acknowledged up to it
    Timer deadline;                      // the oldest held write's timeout
    Stats stats;
    Path(Simulation& sim, const DurabilitySpec& s, std::size_t shards, Callback on_timeout);
  };
  Path& path(std::uint64_t job) { return (job & kAsyncJob) ? async_ : sync_; }
  void ack_arrived(std::uint64_t packed);
  LogPosition acknowledged_up_to(const Path& path, std::uint32_t shard) const;
  void release(Path& path, std::uint32_t shard);
  bool still_held(const Path& path, const Oldest& o) const;
  void drop_released(Path& path);
  void arm_deadline(Path& path);
  void sync_timeout(std::uint64_t unused);
  void async_timeout(std::uint64_t unused);
  void timeout(Path& path);
  // `before`: what the shard's copies had acknowledged before the acknowledgement just arrived.
  void maybe_switch_on(Path& path, std::uint32_t shard, LogPosition before);

  ModelContext& ctx_;
  MasterDirectory& masters_;
  Path sync_;
  Path async_;
  // Per shard: what the standby's copy [0] and the shard master [1] have acknowledged.
  std::vector<std::array<LogPosition, 2>> acked_;
  std::uint64_t epoch_ = 0;  // bumped when the master changes: older acknowledgements are stale
  std::vector<std::vector<LogPosition>> unacknowledged_;  // by shard: failed by master_lost()
};

}  // namespace shardsim
