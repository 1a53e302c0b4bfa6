// What failures happened and what they cost: a timeline of events, and one record per failure the
// monitor detected (or per injected crash it never needed to act on), with the timings a capacity
// planner asks for. Filled by the failure injector and the failover coordinator; read by the report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/kernel/time.h"

namespace shardsim {

struct TimelineEvent {
  Time at = 0;
  std::string what;    // "crash", "recover", "declared_down", "promoted", "routing_updated", ...
  std::string node;    // or "india<->usa" for link failures
  std::string detail;  // free text
};

// The role the failed node held when the monitor declared it down.
enum class FailedRole : std::uint8_t { kActiveMaster, kStandbyMaster, kShardMaster, kShardSlave };

// The role's name in the report: "active_master", "standby_master", "shard_master", "shard_slave".
inline const char* failed_role_name(FailedRole role) {
  switch (role) {
    case FailedRole::kActiveMaster:
      return "active_master";
    case FailedRole::kStandbyMaster:
      return "standby_master";
    case FailedRole::kShardMaster:
      return "shard_master";
    case FailedRole::kShardSlave:
      return "shard_slave";
  }
  return "unknown";
}

struct FailoverRecord {
  std::string node;  // the node declared down
  FailedRole role = FailedRole::kShardSlave;
  bool false_failover = false;  // declared down while it was up (a partition, a slow network)
  Time failed_at = kTimeNever;  // the crash (kTimeNever for a false failover: see detected_at)
  Time detected_at = kTimeNever;
  // When the detectors began to agree on a master's failure: a sentinel leader's failover attempt,
  // an election's first round, a leader key's expiry (kTimeNever: no such step, as with heartbeats).
  Time election_started_at = kTimeNever;
  Time promoted_at = kTimeNever;  // a new leader took over (masters only)
  Time routed_at = kTimeNever;    // every router follows the change
  std::string promoted;           // the new leader
  // Writes (active master failures).
  Time first_write_after = kTimeNever;  // first successful commit after the failure
  std::uint64_t sync_writes_failed = 0;
  std::uint64_t async_writes_delayed = 0;
  Duration async_max_delay = 0;
  std::uint64_t writes_lost = 0;                 // committed, absent on the new leader
  std::uint64_t writes_lost_unacknowledged = 0;  // of them, never answered (held for copies)
  // With fencing off: writes the unfenced old master answered after the promotion (lost with it),
  // and writes the new master committed meanwhile (which the old side never got).
  std::uint64_t divergent_writes_old_side = 0;
  std::uint64_t divergent_writes_new_side = 0;
  std::uint64_t keys_lost = 0;
  Time lost_first_commit = kTimeNever;
  Time lost_last_commit = kTimeNever;
  std::uint64_t entries_discarded_on_replicas = 0;  // applied downstream, then rolled back
  // A Sentinel leader's reconfiguration of the other replicas (sentinel.parallel_syncs); only
  // reported when modelled.
  bool reconfiguration_modelled = false;
  Time reconfiguration_started_at = kTimeNever;  // the leader saw the new role (+promoted-slave)
  Time reconfigured_at = kTimeNever;             // every replica done, or the phase timed out
  std::uint32_t replicas_to_reconfigure = 0;
  std::uint32_t replicas_reconfigured = 0;  // synced and seen so by the leader
  std::uint32_t replicas_skipped = 0;       // down when their turn came
  std::uint32_t full_syncs = 0;
  std::uint32_t reconfiguration_batches = 0;
  bool reconfiguration_timed_out = false;

  // When writes stopped: the crash, or for a false failover the fencing of the old master at
  // promotion (it accepted writes until then). kTimeNever while unknown.
  Time outage_start() const { return false_failover ? promoted_at : failed_at; }

  // Internal bookkeeping while the record is open.
  std::uint64_t sync_failures_at_start = 0;
  bool open = true;
};

struct FailureLog {
  std::string policy;  // failover.policy: who decided the failovers
  std::vector<TimelineEvent> timeline;
  std::vector<FailoverRecord> failovers;
};

}  // namespace shardsim
