// Redis min-replicas-to-write and min-replicas-max-lag (redis.conf, Redis 7.2): a master refuses
// writes (-NOREPLICAS) while fewer than N of its replicas have acknowledged it within the last M
// whole seconds. It bounds how long a master cut off from its replicas keeps accepting writes that
// a promotion on the far side will cut. docs/failover-policies.md quotes the source.
//
// - Every direct copy of a shard (the standby's copy, the shard master) sends a replication ACK
//   (REPLCONF ACK) to the master it replicates from once a second, at its own phase, while it is up
//   and holds its place in the log (replicationCron calls replicationSendAck). The ACK crosses the
//   network, so a partition holds or drops it.
// - The master stamps each ACK with its clock in whole seconds (repl_ack_time = server.unixtime).
//   Once a second, at its replication cron's phase, it counts the copies whose lag, now's second
//   minus the ACK's, is at most M (refreshGoodSlavesCount). A copy that comes online (a sync done)
//   counts at once, stamped now (replicaPutOnline's "prevent false timeout").
// - A write of a shard with fewer than N good copies is refused before its commit
//   (processCommand, checkGoodReplicasStatus). Every global master keeps its own count, so an old
//   master that was not fenced refuses on its own once its copies went quiet.
//
// Per shard rather than per node: a shard's direct copies are the model's replicas of its log. With
// one shard it is Redis's count exactly.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/kernel/time.h"
#include "shardsim/random/stream.h"

namespace shardsim {

class GlobalMaster;
class Topology;

class MinReplicas {
 public:
  // The ACK period of a Redis replica (replicationCron runs at 1 Hz) and the master's recount.
  static constexpr Duration kAckPeriod = kSecond;

  explicit MinReplicas(Topology& topology);
  MinReplicas(const MinReplicas&) = delete;
  MinReplicas& operator=(const MinReplicas&) = delete;

  // Arms the copies' ACK timers and the masters' recounts; every copy starts online.
  void start();

  // Whether `master` refuses a write of `shard` now (fewer good copies than needed).
  bool refuses(const GlobalMaster& master, std::uint32_t shard) const;
  // A write was refused (counted for the report); `old_master`: by a master that lost its role.
  void count_refusal(bool async, bool old_master);

  // `master` just became the active master: it has no replicas until they come online (its former
  // peers' ACKs went to the old master). Every direct copy it feeds now, up and in the log, comes
  // online at once (a reconfiguration that re-points them at the promotion).
  void master_promoted(const GlobalMaster& master);
  // Copy `slot` (0: the standby's copy, 1: the shard master) of `shard` finished its sync with
  // the master that feeds it: online, stamped now.
  void replica_online(std::uint32_t shard, std::uint32_t slot);

  struct Stats {
    std::uint64_t refused_sync = 0;
    std::uint64_t refused_async = 0;
    std::uint64_t refused_by_old_master = 0;  // an old master that was not fenced
    Time first_refusal = kTimeNever;
    std::uint64_t spells = 0;  // times the master taking writes began to refuse some shard
    Duration time_refusing = 0;
  };
  const Stats& stats() const { return stats_; }
  // Time the master taking writes spent refusing some shard, up to `now`.
  Duration time_refusing(Time now) const;
  std::uint32_t needed() const { return needed_; }
  std::uint32_t max_lag_s() const { return max_lag_s_; }

 private:
  static constexpr std::int64_t kNoAck = -1;
  struct Master {
    std::vector<std::array<std::int64_t, 2>> last_ack;  // by shard and slot: the ACK's second
    std::vector<std::uint8_t> good;                     // by shard: the count at the last recount
    std::uint64_t refusing_shards = 0;
    Duration clock_offset = 0;  // its wall clock's second boundaries against simulated time
    Time refusing_since = kTimeNever;
    Timer cron;
    Master(Simulation& sim, Callback recount, std::size_t shards);
  };

  std::uint32_t index_of(const GlobalMaster& master) const;
  GlobalMaster& master(std::uint32_t index) const;
  std::int64_t second(std::uint32_t master_index, Time now) const;
  void ack_due(std::uint64_t slot);
  void ack_arrived(std::uint64_t packed);
  void cron_due(std::uint64_t master_index);
  void recount(std::uint32_t master_index);
  void note_refusing(std::uint32_t master_index, bool refusing, bool announce);

  Topology& t_;
  std::uint32_t needed_;
  std::uint32_t max_lag_s_;
  RandomStream rng_;
  std::deque<Master> masters_;  // 0: the scenario's active_master box, 1: the passive one
  std::deque<Timer> acks_;      // by shard x 2 + slot
  Stats stats_;
};

}  // namespace shardsim
