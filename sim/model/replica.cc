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
  log_.attach(this);
}

Replica::~Replica() { log_.detach(this); }

void Replica::receive(LogPosition from, LogPosition to) {
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
  sim_.schedule_in(from_ms(cost_ms), Callback::to<&Replica::finish_apply>(this), 0);
}

void Replica::finish_apply(std::uint64_t /*unused*/) {
  const Batch batch = pending_.front();
  pending_.pop_front();
  const std::uint64_t made_fresh = log_.keys_made_fresh(batch.from, batch.to);
  position_ = batch.to;
  if (made_fresh > 0) change_stale(-static_cast<std::int64_t>(made_fresh));
  for (ReplicaObserver* observer : observers_) observer->on_applied(*this, batch.from, batch.to, sim_.now());
  applying_ = false;
  if (!pending_.empty()) start_apply();
}

void Replica::change_stale(std::int64_t delta) {
  stale_keys_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(stale_keys_) + delta);
  for (ReplicaObserver* observer : observers_) observer->on_stale_keys_changed(*this, delta, sim_.now());
}

}  // namespace shardsim
