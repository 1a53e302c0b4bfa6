// The replication log of one shard: every write the active global master committed to the shard's
// keys, in commit order. It is the single ordered history that every copy of the shard (the
// standby master, the shard master, the shard slaves) applies lazily, each at its own pace.
//
// A copy of the shard is therefore described by one number, its position: how many entries of the
// log it has applied. The version of a key it holds, whether that version is stale, and how many
// of its keys are stale all follow from the position and the log, so state does not grow with
// keys x replicas. Entries that every copy has applied are trimmed.
//
// Versions: key k's version is the number of writes committed to it (0: the initial load, which
// every copy holds). Each entry links to the previous entry of the same key, so the version a copy
// at position p holds is the latest version minus the number of the key's entries at or after p.
//
// Retention: a copy that stops applying (down for good, or too slow) would pin every entry written
// after its position, and the log would grow with the rest of the run. Like a database that bounds
// the log it keeps for a replica (PostgreSQL's max_slot_wal_keep_size), the log holds at most
// `retention` entries beyond the slowest copy it still serves: a copy further behind *lapses*. It
// stops bounding the trim and can no longer catch up from the log; it must first load a snapshot
// of the shard (ReplicationStream ships one). Memory is then bounded by shards x retention x 32 B.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <unordered_map>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/util/huge_page_allocator.h"

namespace shardsim {

using LogPosition = std::uint64_t;
inline constexpr LogPosition kNoEntry = std::numeric_limits<LogPosition>::max();

class Replica;

class ReplicationLog {
 public:
  struct Entry {
    std::uint64_t key_index : 63;  // global key index (key - first key of the key space)
    // A later entry of the same key exists. keys_made_fresh() reads it instead of looking the key
    // up: applying a batch then scans the batch's entries in order, with no random access into the
    // per-key table (a cache miss per entry and copy in a large key space).
    std::uint64_t superseded : 1;
    LogPosition previous;                    // this key's previous entry, or kNoEntry
    Time committed;                          // commit time at the active global master
    Time shard_master_applied = kTimeNever;  // when the shard master applied it
  };

  // What a copy at some position holds of a key.
  struct Held {
    std::uint64_t version = 0;
    std::uint64_t versions_behind = 0;      // 0: the copy is fresh for this key
    Time first_missed_commit = kTimeNever;  // commit time of the oldest write it misses
  };

  // Per-key state is either dense, a table over the log's whole key range (24 bytes a key, the
  // fastest lookups), or sparse (`sparse_keys`): a hash table of the keys written at least once,
  // so memory grows with the writes, not with the key space (a 10^10-key space would otherwise take
  // 240 GB before the first request). The scenario's keys.state chooses (KeySpaceSpec); the
  // results are the same.

  static constexpr std::uint64_t kUnlimitedRetention = std::numeric_limits<std::uint64_t>::max();

  ReplicationLog(std::uint32_t shard, std::uint64_t first_key_index, std::uint64_t key_count,
                 bool sparse_keys = false, std::uint64_t retention = kUnlimitedRetention);

  // Appends a committed write; returns its position.
  LogPosition append(std::uint64_t key_index, Time committed);
  LogPosition end() const { return base_ + entries_.size(); }
  LogPosition base() const { return base_; }  // the first entry still held
  const Entry& at(LogPosition position) const { return entries_[position - base_]; }
  Entry& at(LogPosition position) { return entries_[position - base_]; }
  // The commit time of the oldest write at or after `position` (position < end()): exact while the
  // log holds it. Below base() (a lapsed copy) it is trimmed, and the oldest entry held, or with
  // none held the newest trimmed one, gives a later time: a lower bound on how long it is missing.
  Time oldest_missing_commit(LogPosition position) const {
    if (position >= base_) return at(position).committed;
    return entries_.empty() ? last_trimmed_commit_ : entries_.front().committed;
  }

  // Asks the CPU to start loading the key's state, which a read will need a few events later.
  // Why: in a large key space the per-key table is far larger than the CPU caches, so each read's
  // first look at it is a miss to memory; issued at an earlier step of the same request, the load
  // overlaps the events in between. It changes no state and no result.
  void prefetch(std::uint64_t key_index) const {
    if (!sparse_keys_) __builtin_prefetch(&keys_[local(key_index)]);
  }

  std::uint64_t latest_version(std::uint64_t key_index) const { return key(key_index).version; }
  Time latest_commit(std::uint64_t key_index) const { return key(key_index).committed; }
  // The position of the key's latest write (kNoEntry: never written); it may be trimmed.
  LogPosition latest_entry(std::uint64_t key_index) const { return key(key_index).last; }
  // What a copy that applied [0, position) holds of the key; `version` may be given instead of a
  // position (a cache holds a version, not a position). A position below base() (a lapsed copy)
  // is told exactly whether it is stale; how many versions behind and since when are then only
  // known down to the oldest entry held (a lower bound on how stale it is).
  Held held_at(LogPosition position, std::uint64_t key_index) const;
  Held held_version(std::uint64_t version, std::uint64_t key_index) const;
  // How many entries in [from, to) are the latest write of their key: the keys a copy stops being
  // stale for when it applies [from, to).
  std::uint64_t keys_made_fresh(LogPosition from, LogPosition to) const;

  // What a cut of the log removed: the writes the active master committed that its successor
  // never received (acknowledged, then lost).
  struct Cut {
    std::uint64_t writes = 0;
    std::vector<std::uint64_t> key_indices;  // sorted, distinct
    Time first_commit = kTimeNever;
    Time last_commit = 0;
  };
  // Cuts the log back to its first `new_end` entries (failover of the global master to a standby
  // that had applied only those). Key versions roll back with it.
  Cut truncate(LogPosition new_end);

  // Copies attached to the log are told when a write makes one of their keys stale, and bound
  // trimming: entries are dropped once every attached copy that has not lapsed has applied them
  // (a copy loading a snapshot holds the entries after the snapshot's position).
  void attach(Replica* replica) { replicas_.push_back(replica); }
  void detach(Replica* replica);
  const std::vector<Replica*>& replicas() const { return replicas_; }

  std::uint32_t shard() const { return shard_; }
  std::uint64_t first_key_index() const { return first_key_index_; }
  std::uint64_t key_count() const { return key_count_; }
  bool owns(std::uint64_t key_index) const { return key_index - first_key_index_ < key_count_; }
  std::size_t entries_held() const { return entries_.size(); }
  // How many times a copy lapsed (fell more than `retention` entries behind).
  std::uint64_t lapses() const { return lapses_; }

 private:
  struct KeyState {
    LogPosition last = kNoEntry;  // latest entry of the key
    std::uint64_t version = 0;
    Time committed = 0;
  };
  std::uint64_t local(std::uint64_t key_index) const { return key_index - first_key_index_; }
  // The state of a key (a never-written key's, if the sparse table has none); for_write creates it.
  const KeyState& key(std::uint64_t key_index) const;
  KeyState& key_for_write(std::uint64_t key_index);
  Held walk_back(std::uint64_t key_index, std::uint64_t steps_or_max, LogPosition stop_below) const;
  void trim();

  std::uint32_t shard_;
  std::uint64_t first_key_index_;
  std::uint64_t key_count_;
  bool sparse_keys_;
  std::vector<KeyState, HugePageAllocator<KeyState>> keys_;  // dense: by local key index
  std::unordered_map<std::uint64_t, KeyState> written_;      // sparse: keys written at least once
  std::deque<Entry> entries_;
  LogPosition base_ = 0;
  std::vector<Replica*> replicas_;
  std::uint64_t appends_since_trim_ = 0;
  std::uint64_t retention_;
  std::uint64_t lapses_ = 0;
  Time last_trimmed_commit_ = 0;  // commit time of the newest entry trimmed (commits are in log order)
};

}  // namespace shardsim
