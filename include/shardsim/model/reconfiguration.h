// The operations a failover performs on the deployment. Each one rewires the model (replication
// streams, SLB rings, the fresh-share population, write routes) and leaves it consistent; the
// failure layer (sim/failure/) decides when and on whom to call them, keeps the timings and the
// records, and never touches the wiring itself.
//
//   promote_standby(fence)       the passive global master becomes active; the logs are cut back to
//                                what it had applied (the returned WriteLoss), the old master is
//                                fenced (or, unfenced, keeps taking writes until fence_old_master)
//                                and rejoins as the standby, streams are re-pointed
//   replace_shard_leader(s, r)   replica r (a slave of shard s) leads the shard; the old leader
//                                follows it
//   drain_slave / restore_slave  a slave leaves or rejoins its geo's SLB ring
//   repoint_write_route(g)       geo g's front end (and the consumers there) write to the active
//                                master
//   refuse_writes(b)             the active global master refuses writes (it lost its lease) or
//                                takes them again
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "shardsim/kernel/time.h"
#include "shardsim/model/replication_stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class Replica;
class Topology;

// What a promotion of the standby cut from the logs: writes the old master acknowledged that the
// new one never received.
struct WriteLoss {
  std::uint64_t writes = 0;
  std::uint64_t unacknowledged = 0;  // of them, writes whose clients were never answered
  std::uint64_t keys = 0;
  Time first_commit = kTimeNever;  // the span of their commit times (the RPO)
  Time last_commit = kTimeNever;
  std::uint64_t entries_discarded_on_replicas = 0;  // applied downstream, then rolled back
};

class Reconfiguration {
 public:
  explicit Reconfiguration(Topology& topology) : t_(topology) {}

  // Why the standby cannot be promoted now (it is down, or a copy of it lapsed out of the log's
  // retention, so what it misses exists only on the failed master), or nullopt when it can.
  std::optional<std::string> standby_unpromotable();

  // Promotes the standby (the caller has checked standby_unpromotable()). Returns what was lost.
  // With `fence` false, the old master, if up, keeps taking writes until fence_old_master().
  // With `hold_shard_masters`, the shard masters' feeds pause instead of following the new master
  // (a Sentinel leader re-points them later, repoint_replica).
  WriteLoss promote_standby(bool fence = true, bool hold_shard_masters = false);
  // The old master (now the standby) stops taking writes; false if it was not taking any.
  bool fence_old_master();

  // Makes `promoted`, a slave of `shard`, the shard's leader: it leaves its SLB, stops counting in
  // its geo's fresh share and is fed by the active master; the old leader's followers and the old
  // leader itself follow it. Returns the old leader.
  // With `hold_followers`, the old leader's followers pause instead (re-pointed later).
  Replica& replace_shard_leader(std::uint32_t shard, Replica& promoted, bool hold_followers = false);

  // Re-points `replica`'s paused feed at `source` (REPLICAOF): a partial resync that ships from
  // what it holds, or with `full_sync` a snapshot of the shard first (the replica drops what it
  // holds, as Redis's full resync does).
  void repoint_replica(Replica& replica, StreamSource source, bool full_sync);

  // Takes slave `slave_id` off its geo's SLB ring (false: it is no longer a read slave, nothing
  // done), or puts it back.
  bool drain_slave(std::uint32_t slave_id);
  bool restore_slave(std::uint32_t slave_id);

  // Geo `geo`'s front end sends writes to the active master; consumers in that geo wake up.
  void repoint_write_route(GeoId geo);

  // The active global master refuses writes, or takes them again.
  void refuse_writes(bool refuse);

  // The name of the active global master (for the records and the timeline).
  const std::string& active_master_name();

 private:
  WriteLoss cut_logs_to_standby();

  Topology& t_;
};

}  // namespace shardsim
