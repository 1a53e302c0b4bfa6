#include "shardsim/model/replication_log.h"

#include <algorithm>

#include "shardsim/model/replica.h"

namespace shardsim {

static_assert(sizeof(ReplicationLog::Entry) == 32, "a log entry is documented as 32 bytes");

namespace {
// Trimming scans every attached copy, so it runs once per this many appends, not on each.
constexpr std::uint64_t kTrimEvery = 1024;
}  // namespace

ReplicationLog::ReplicationLog(std::uint32_t shard, std::uint64_t first_key_index, std::uint64_t key_count,
                               bool sparse_keys, std::uint64_t retention)
    : shard_(shard),
      first_key_index_(first_key_index),
      key_count_(key_count),
      sparse_keys_(sparse_keys),
      keys_(sparse_keys ? 0 : key_count),
      retention_(std::max<std::uint64_t>(retention, 1)) {}

const ReplicationLog::KeyState& ReplicationLog::key(std::uint64_t key_index) const {
  if (!sparse_keys_) return keys_[local(key_index)];
  static const KeyState kNeverWritten;
  const auto found = written_.find(local(key_index));
  return found == written_.end() ? kNeverWritten : found->second;
}

ReplicationLog::KeyState& ReplicationLog::key_for_write(std::uint64_t key_index) {
  return sparse_keys_ ? written_[local(key_index)] : keys_[local(key_index)];
}

LogPosition ReplicationLog::append(std::uint64_t key_index, Time committed) {
  KeyState& key = key_for_write(key_index);
  const LogPosition position = end();
  const LogPosition previous = key.last;
  if (previous != kNoEntry && previous >= base_) at(previous).superseded = 1;
  entries_.push_back(Entry{key_index, 0, previous, committed});
  key.last = position;
  ++key.version;
  key.committed = committed;
  for (Replica* replica : replicas_) replica->on_log_append(previous);
  if (++appends_since_trim_ >= kTrimEvery) trim();
  return position;
}

ReplicationLog::Held ReplicationLog::walk_back(std::uint64_t key_index, std::uint64_t max_steps,
                                               LogPosition stop_below) const {
  const KeyState& key = this->key(key_index);
  Held held;
  LogPosition index = key.last;
  while (index != kNoEntry && index >= stop_below && index >= base_ && held.versions_behind < max_steps) {
    const Entry& entry = at(index);
    held.first_missed_commit = entry.committed;
    ++held.versions_behind;
    index = entry.previous;
  }
  if (index != kNoEntry && index >= stop_below && index < base_ && held.versions_behind < max_steps) {
    // A lapsed copy (below the trimmed base) misses at least this trimmed write too; its commit
    // time is gone, so the oldest commit known stands for it (staleness is then a lower bound).
    if (held.versions_behind == 0) held.first_missed_commit = key.committed;
    ++held.versions_behind;
  }
  held.version = key.version - held.versions_behind;
  return held;
}

ReplicationLog::Held ReplicationLog::held_at(LogPosition position, std::uint64_t key_index) const {
  return walk_back(key_index, kNoEntry, position);
}

ReplicationLog::Held ReplicationLog::held_version(std::uint64_t version, std::uint64_t key_index) const {
  const std::uint64_t latest = latest_version(key_index);
  Held held = walk_back(key_index, latest > version ? latest - version : 0, 0);
  // Entries every replica applied are trimmed; a cache can hold a version older than that, and its
  // first missed write is then only known to be at or before the oldest entry still held.
  held.version = version;
  held.versions_behind = latest > version ? latest - version : 0;
  return held;
}

std::uint64_t ReplicationLog::keys_made_fresh(LogPosition from, LogPosition to) const {
  std::uint64_t fresh = 0;
  for (LogPosition p = std::max(from, base_); p < to; ++p) {
    if (!at(p).superseded) ++fresh;
  }
  return fresh;
}

ReplicationLog::Cut ReplicationLog::truncate(LogPosition new_end) {
  Cut cut;
  while (end() > new_end && !entries_.empty()) {
    const Entry entry = entries_.back();
    entries_.pop_back();
    KeyState& key = key_for_write(entry.key_index);
    key.last = entry.previous;
    if (entry.previous != kNoEntry && entry.previous >= base_) at(entry.previous).superseded = 0;
    --key.version;
    // The previous write's commit time, if the log still holds it; if it was trimmed, the newest
    // trimmed commit bounds it from above (0: the key has no write left).
    key.committed = entry.previous == kNoEntry ? 0
                    : entry.previous >= base_  ? at(entry.previous).committed
                                               : last_trimmed_commit_;
    ++cut.writes;
    cut.key_indices.push_back(entry.key_index);
    cut.first_commit = std::min(cut.first_commit, entry.committed);
    cut.last_commit = std::max(cut.last_commit, entry.committed);
  }
  std::sort(cut.key_indices.begin(), cut.key_indices.end());
  cut.key_indices.erase(std::unique(cut.key_indices.begin(), cut.key_indices.end()), cut.key_indices.end());
  return cut;
}

void ReplicationLog::detach(Replica* replica) {
  replicas_.erase(std::remove(replicas_.begin(), replicas_.end(), replica), replicas_.end());
}

void ReplicationLog::trim() {
  appends_since_trim_ = 0;
  const LogPosition floor = end() > retention_ ? end() - retention_ : 0;
  LogPosition keep_from = end();
  for (Replica* replica : replicas_) {
    if (!replica->bounds_trim()) continue;
    if (replica->needs_from() < floor) {
      replica->lapse();
      ++lapses_;
      continue;
    }
    keep_from = std::min(keep_from, replica->needs_from());
  }
  while (base_ < keep_from) {
    last_trimmed_commit_ = entries_.front().committed;
    entries_.pop_front();
    ++base_;
  }
}

}  // namespace shardsim
