#include "shardsim/model/replica.h"

#include <stdexcept>

namespace shardsim {

Replica::Replica(Simulation& sim, ReplicationLog& log, ReplicaRole role, std::string name, GeoId geo,
                 std::uint32_t id, const Distribution& apply_ms_per_entry, std::uint64_t seed)
    : sim_(sim),
      log_(log),
      role_(role),
      name_(std::move(name)),
      geo_(geo),
      id_(id),
      apply_ms_per_entry_(apply_ms_per_entry),
      rng_(seed, "apply/" + name_) {
  attach();
}

Replica::~Replica() {
  detach();
}

void Replica::attach() {
  if (attached_) return;
  attached_ = true;
  log_.attach(this);
}

void Replica::detach() {
  if (!attached_) return;
  attached_ = false;
  log_.detach(this);
}

void Replica::reset_position(LogPosition position) {
  if (attached_) throw std::logic_error("reset_position on attached replica " + name_);
  drop_pending();
  position_ = position;
  received_ = position;
}

void Replica::receive(LogPosition from, LogPosition to) {
  // Lapsed: only batches after a snapshot that has arrived are of any use.
  if (!up_ || (lapsed_ && !snapshot_arrived_)) return;
  if (from != received_) throw std::logic_error("replica " + name_ + " received a batch out of order");
  received_ = to;
  last_batch_at_ = sim_.now();
  pending_.push_back(Batch{from, to, false});
  if (!applying_) start_apply();
}

void Replica::lapse() {
  lapsed_ = true;
  drop_pending();
}

std::uint64_t Replica::await_snapshot(LogPosition position) {
  if (!up_ || !lapsed_ || awaiting_snapshot()) return 0;
  if (position < log_.base() || position > log_.end())
    throw std::logic_error("replica " + name_ + " was sent a snapshot the log does not hold");
  snapshot_to_ = position;
  return ++snapshot_ticket_;
}

bool Replica::receive_snapshot(std::uint64_t ticket) {
  // Crashed, cut back or lapsed again since it was sent: this snapshot is of no use any more.
  if (!up_ || ticket != snapshot_ticket_ || !awaiting_snapshot() || snapshot_arrived_) return false;
  snapshot_arrived_ = true;
  received_ = snapshot_to_;
  pending_.push_back(Batch{snapshot_to_, snapshot_to_, true});
  if (!applying_) start_apply();
  return true;
}

void Replica::snapshot_lost(std::uint64_t ticket) {
  if (ticket == snapshot_ticket_ && !snapshot_arrived_) snapshot_to_ = kNoEntry;
}

void Replica::on_log_append(LogPosition previous) {
  // The key was fresh here iff this copy had applied its previous write (or it had none).
  if (previous == kNoEntry || previous < position_) change_stale(+1);
}

void Replica::start_apply() {
  applying_ = true;
  const Batch& batch = pending_.front();
  // A snapshot loads every key of the shard once; a batch applies each of its entries.
  const std::uint64_t entries = batch.snapshot ? log_.key_count() : batch.to - batch.from;
  double cost_ms = 0;
  for (std::uint64_t i = 0; i < entries; ++i) cost_ms += apply_ms_per_entry_.sample(rng_);
  sim_.schedule_in(from_ms(cost_ms), Callback::to<&Replica::finish_apply>(this), apply_generation_);
}

void Replica::finish_apply(std::uint64_t generation) {
  if (generation != apply_generation_) return;  // the batch was dropped (crash or roll-back)
  const Batch batch = pending_.front();
  pending_.pop_front();
  if (batch.snapshot) {
    finish_snapshot(batch.to);
  } else {
    finish_batch(batch);
  }
  applying_ = false;
  if (!pending_.empty()) start_apply();
}

void Replica::finish_snapshot(LogPosition position) {
  snapshot_to_ = kNoEntry;
  snapshot_arrived_ = false;
  lapsed_ = false;
  ++snapshots_loaded_;
  position_ = position;
  // Exact again: the snapshot's position is still in the log (it bounded the trim while loading).
  recount_stale_keys();
}

void Replica::finish_batch(const Batch& batch) {
  const Time now = sim_.now();
  const std::uint64_t made_fresh = log_.keys_made_fresh(batch.from, batch.to);
  position_ = batch.to;
  if (role_ == ReplicaRole::kShardMaster) {
    for (LogPosition p = batch.from; p < batch.to; ++p) log_.at(p).shard_master_applied = now;
  }
  if (made_fresh > 0) change_stale(-static_cast<std::int64_t>(made_fresh));
  for (ReplicaObserver* observer : observers_) observer->on_applied(*this, batch.from, batch.to, now);
}

void Replica::drop_pending() {
  pending_.clear();
  applying_ = false;
  ++apply_generation_;
  received_ = position_;
  snapshot_to_ = kNoEntry;  // a lapsed replica waits for another snapshot
  snapshot_arrived_ = false;
}

void Replica::crash() {
  up_ = false;
  drop_pending();
}

std::uint64_t Replica::roll_back_to(LogPosition end) {
  drop_pending();
  if (position_ <= end) return 0;
  const std::uint64_t dropped = position_ - end;
  discarded_ += dropped;
  position_ = end;
  received_ = end;
  return dropped;
}

void Replica::recount_stale_keys() {
  const std::uint64_t stale = log_.keys_made_fresh(position_, log_.end());
  change_stale(static_cast<std::int64_t>(stale) - static_cast<std::int64_t>(stale_keys_));
}

void Replica::recount_stale_keys_after(const ReplicationLog::Cut& cut) {
  if (!lapsed_) return recount_stale_keys();
  // Every key the cut touched had a write after this copy's position (the cut is above the log's
  // base, this copy below it): it was stale here, and stays stale iff a write after the position
  // remains.
  std::int64_t made_fresh = 0;
  for (const std::uint64_t key_index : cut.key_indices) {
    const LogPosition last = log_.latest_entry(key_index);
    if (last == kNoEntry || last < position_) ++made_fresh;
  }
  change_stale(-made_fresh);
}

void Replica::change_stale(std::int64_t delta) {
  if (delta == 0) return;
  stale_keys_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(stale_keys_) + delta);
  for (ReplicaObserver* observer : observers_) observer->on_stale_keys_changed(*this, delta, sim_.now());
}

}  // namespace shardsim
