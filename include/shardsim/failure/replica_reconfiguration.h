// A Sentinel leader's reconfiguration of the other replicas after a promotion (Redis 7.2
// src/sentinel.c, the RECONF_SLAVES state; docs/failover-policies.md quotes the source).
//
// Once the leader has seen the promoted replica's new role, at each timer tick it sends
// REPLICAOF <new master> to the replicas not yet re-pointed, as long as fewer than parallel_syncs
// are in progress (sentinelFailoverReconfNextSlave). A replica re-points when the command arrives
// and resyncs with the new master: a partial resync (PSYNC, +CONTINUE: a round trip to the new
// master) or, when it held writes the new master never got, a full one (a snapshot of the shard,
// shipped and loaded by the model's replication stream). The leader learns that a replica is done
// from its INFO replies (master_link_status:up: +slave-reconf-done), polled every second; the next
// replica goes at the tick after. A replica down when its turn comes is skipped. The phase ends
// when every replica is done, or failover_timeout after it began (+failover-end-for-timeout); the
// replicas still waiting are then re-pointed at once (the leader's best-effort REPLICAOF).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "shardsim/failure/failure_detector.h"
#include "shardsim/failure/failure_log.h"
#include "shardsim/model/reconfiguration.h"
#include "shardsim/model/replication_stream.h"

namespace shardsim {

class Topology;

class ReplicaReconfiguration {
 public:
  // `note` records a step in the failure timeline.
  using Note = std::function<void(Time, std::string, std::string, std::string)>;
  ReplicaReconfiguration(Topology& topology, Reconfiguration& reconfigure, FailureDetector& detector,
                         FailureLog& log, Note note);

  struct Target {
    Replica* replica = nullptr;
    bool full_sync = false;    // it held writes the new master never got
    bool direct_copy = false;  // a copy of the global master (counts for min-replicas-to-write)
  };
  // Starts re-pointing `replicas` at `source` `delay` from now (when the leader sees the new role),
  // for failover record `record` of the master `watch`, from the leader's geo `leader_geo`.
  void start(std::size_t record, std::uint32_t watch, GeoId leader_geo, StreamSource source,
             std::vector<Target> replicas, Duration delay = 0);

 private:
  enum class State : std::uint8_t { kPending, kSent, kSyncing, kDone, kSkipped };
  struct Member {
    Target spec;
    State state = State::kPending;
    Time link_up_at = kTimeNever;  // a partial resync: when its PSYNC round trip completes
    std::uint64_t snapshots_before = 0;
    bool synced_at_poll = false;  // what the last INFO reply said
  };
  struct Phase {
    std::size_t record = 0;
    std::uint32_t watch = 0;
    GeoId leader_geo = 0;
    StreamSource source;
    std::vector<Member> members;
    std::uint32_t in_progress = 0;
    std::uint32_t batches = 0;
    bool over = false;
  };
  static std::uint64_t pack(std::size_t phase, std::size_t member) { return (phase << 20) | member; }
  Phase& phase_of(std::uint64_t packed) { return phases_[packed >> 20]; }
  Member& member_of(std::uint64_t packed) { return phases_[packed >> 20].members[packed & 0xfffff]; }

  void begin(std::uint64_t phase);
  void next_batch(std::uint64_t phase);
  void skip(std::uint64_t packed);
  void send_replicaof(std::uint64_t packed);
  void replicaof_arrived(std::uint64_t packed);
  void send_poll(std::uint64_t packed);
  void poll_arrived(std::uint64_t packed);
  void reply_arrived(std::uint64_t packed);
  void deadline(std::uint64_t phase);
  void finish(std::size_t phase, bool timed_out);
  bool synced(const Member& m) const;

  Topology& t_;
  Reconfiguration& reconfigure_;
  FailureDetector& detector_;
  FailureLog& log_;
  Note note_;
  std::deque<Phase> phases_;
};

}  // namespace shardsim
