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
  if (!up_) return;
  if (from != received_) throw std::logic_error("replica " + name_ + " received a batch out of order");
  received_ = to;
  pending_.push_back(Batch{from, to});
  if (!applying_) start_apply();
}

void Replica::on_log_append(LogPosition previous) {
  // The key was fresh here iff this copy had applied its previous write (or it had none).
  if (previous == kNoEntry || previous < position_) change_stale(+1);
}

void Replica::start_apply() {
  applying_ = true;
  const Batch& batch = pending_.front();
  double cost_ms = 0;
  for (LogPosition p = batch.from; p < batch.to; ++p) cost_ms += apply_ms_per_entry_.sample(rng_);
  sim_.schedule_in(from_ms(cost_ms), Callback::to<&Replica::finish_apply>(this), apply_generation_);
}

void Replica::finish_apply(std::uint64_t generation) {
  if (generation != apply_generation_) return;  // the batch was dropped (crash or roll-back)
  const Batch batch = pending_.front();
  pending_.pop_front();
  const Time now = sim_.now();
  const std::uint64_t made_fresh = log_.keys_made_fresh(batch.from, batch.to);
  position_ = batch.to;
  if (role_ == ReplicaRole::kShardMaster) {
    for (LogPosition p = batch.from; p < batch.to; ++p) log_.at(p).shard_master_applied = now;
  }
  if (made_fresh > 0) change_stale(-static_cast<std::int64_t>(made_fresh));
  for (ReplicaObserver* observer : observers_) observer->on_applied(*this, batch.from, batch.to, now);
  applying_ = false;
  if (!pending_.empty()) start_apply();
}

void Replica::drop_pending() {
  pending_.clear();
  applying_ = false;
  ++apply_generation_;
  received_ = position_;
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

void Replica::change_stale(std::int64_t delta) {
  if (delta == 0) return;
  stale_keys_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(stale_keys_) + delta);
  for (ReplicaObserver* observer : observers_) observer->on_stale_keys_changed(*this, delta, sim_.now());
}

}  // namespace shardsim
