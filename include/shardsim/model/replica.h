// One copy of a shard's data, kept up to date lazily from the shard's replication log.
//
// A replica is its position in the log plus an applier: batches shipped to it are applied one
// after the other, each as one transaction whose cost is the sum of its entries' apply costs; the
// batch's entries become visible together when its apply finishes. Applying runs beside the
// node's read service (a replication thread), so it does not take read capacity. A replica whose
// role is shard master stamps the time it applied each entry into the log (the start of the
// shard-master-to-slave hop).
//
// The replica keeps an exact count of its stale keys (keys whose version is older than the active
// master's latest), so the "80/20" fresh share is exact at every instant.
//
// A replica that falls more than the log's retention behind *lapses* (ReplicationLog): it drops
// what it had received, ignores batches, and waits for a snapshot of the shard. Loading a snapshot
// is applied like a batch (one apply cost per key of the shard); batches after the snapshot's
// position queue behind it. A lapsed replica still serves what it holds, and its stale-key count
// stays exact (appends are still counted).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/replication_log.h"
#include "shardsim/random/distribution.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class Replica;

// Told about what a replica applies; the metrics recorder and caches that invalidate on apply
// listen here.
class ReplicaObserver {
 public:
  virtual ~ReplicaObserver() = default;
  virtual void on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) = 0;
  virtual void on_stale_keys_changed(const Replica& replica, std::int64_t delta, Time now) = 0;
};

enum class ReplicaRole : std::uint8_t { kStandbyMaster, kShardMaster, kShardSlave };

class Replica {
 public:
  Replica(Simulation& sim, ReplicationLog& log, ReplicaRole role, std::string name, GeoId geo,
          std::uint32_t id, const Distribution& apply_ms_per_entry, std::uint64_t seed);
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;
  ~Replica();

  void add_observer(ReplicaObserver* observer) { observers_.push_back(observer); }

  // A batch [from, to) has arrived over the network: applied after the batches before it. A down
  // replica drops it (the stream resends from what the replica has once it is back).
  void receive(LogPosition from, LogPosition to);
  // The log gained a write to a key whose previous entry is `previous` (kNoEntry: none).
  void on_log_append(LogPosition previous);

  // Retention. A lapsed replica lost its place in the log (see above) and waits for a snapshot.
  // `needs_from` is the first entry it needs from the log while it bounds trimming: its position,
  // or the position of the snapshot on its way to it or being loaded.
  bool lapsed() const { return lapsed_; }
  bool awaiting_snapshot() const { return snapshot_to_ != kNoEntry; }
  bool bounds_trim() const { return !lapsed_ || awaiting_snapshot(); }
  LogPosition needs_from() const { return awaiting_snapshot() ? snapshot_to_ : position_; }
  void lapse();
  // A snapshot of the log's first `position` entries is sent to this lapsed replica (it pins the
  // log there); await_snapshot returns the snapshot's ticket (0: the replica cannot take one now).
  // The snapshot then arrives (it is loaded, and batches from `position` on queue behind it; false
  // if the replica no longer awaits that ticket: it crashed, was cut back or lapsed again), or is
  // lost on the way.
  std::uint64_t await_snapshot(LogPosition position);
  bool receive_snapshot(std::uint64_t ticket);
  void snapshot_lost(std::uint64_t ticket);
  bool snapshot_arrived() const { return snapshot_arrived_; }
  std::uint64_t snapshots_loaded() const { return snapshots_loaded_; }

  // Failures. A crash loses the batches received but not applied; the applied state survives.
  void crash();
  void recover() { up_ = true; }
  bool up() const { return up_; }
  // The log was cut back to `end` (failover of the global master): a copy that applied entries
  // past it discards them. Returns how many it discarded.
  std::uint64_t roll_back_to(LogPosition end);
  // Recounts the stale keys from the log (after the log itself changed).
  void recount_stale_keys();
  // Recounts the stale keys after the log was cut (`cut` is what it removed). A lapsed copy's
  // missing entries are no longer in the log, so its count is corrected key by key instead.
  void recount_stale_keys_after(const ReplicationLog::Cut& cut);

  // A copy attached to its log bounds the log's trimming and is told of appends. The active
  // global master is the log itself, so its copy is detached while it is active.
  void attach();
  void detach();
  bool attached() const { return attached_; }
  // Puts a detached copy at `position` (it holds exactly the log's first `position` entries).
  void reset_position(LogPosition position);

  LogPosition position() const { return position_; }
  // Highest position received so far (applied or waiting to be applied).
  LogPosition received() const { return received_; }
  // When the last batch arrived while the replica was up (kTimeNever: none yet). A MongoDB
  // secondary counts each oplog batch from the primary as contact (replica_set_elections.h).
  Time last_batch_at() const { return last_batch_at_; }
  std::uint64_t stale_keys() const { return stale_keys_; }
  std::uint64_t key_count() const { return log_.key_count(); }
  std::uint64_t discarded() const { return discarded_; }
  ReplicationLog::Held held(std::uint64_t key_index) const { return log_.held_at(position_, key_index); }

  // Whether this copy counts in its geo's fresh share (the geo's slaves that serve reads).
  bool in_fresh_share() const { return in_fresh_share_; }
  void set_in_fresh_share(bool counted) { in_fresh_share_ = counted; }

  ReplicaRole role() const { return role_; }
  void set_role(ReplicaRole role) { role_ = role; }
  const std::string& name() const { return name_; }
  GeoId geo() const { return geo_; }
  std::uint32_t id() const { return id_; }
  std::uint32_t shard() const { return log_.shard(); }
  const ReplicationLog& log() const { return log_; }

 private:
  struct Batch {
    LogPosition from, to;
    bool snapshot;  // a snapshot of the log's first `to` entries
  };
  void start_apply();
  void finish_apply(std::uint64_t generation);
  void finish_snapshot(LogPosition position);
  void finish_batch(const Batch& batch);
  void drop_pending();
  void change_stale(std::int64_t delta);

  Simulation& sim_;
  ReplicationLog& log_;
  ReplicaRole role_;
  std::string name_;
  GeoId geo_;
  std::uint32_t id_;
  Distribution apply_ms_per_entry_;
  RandomStream rng_;
  std::vector<ReplicaObserver*> observers_;

  LogPosition position_ = 0;
  LogPosition received_ = 0;
  Time last_batch_at_ = kTimeNever;
  std::uint64_t stale_keys_ = 0;
  std::uint64_t discarded_ = 0;
  std::deque<Batch> pending_;  // received, not yet applied; front is applying when applying_
  bool applying_ = false;
  std::uint64_t apply_generation_ = 0;  // bumped when pending batches are dropped
  bool up_ = true;
  bool attached_ = false;
  bool in_fresh_share_ = false;
  bool lapsed_ = false;
  LogPosition snapshot_to_ = kNoEntry;  // the position of the snapshot sent or loading, if any
  bool snapshot_arrived_ = false;       // it has arrived and is loading
  std::uint64_t snapshot_ticket_ = 0;   // the latest snapshot sent
  std::uint64_t snapshots_loaded_ = 0;
};

}  // namespace shardsim
