#include "shardsim/model/replication_stream.h"

#include <cmath>

#include <algorithm>

namespace shardsim {

namespace {

// "replication/<target>" for the first stream to a target (the name every run before generations
// used, so runs without failovers keep their numbers), "replication/<target>#<n>" for the n-th.
std::string stream_name(const Replica& target, std::uint32_t generation) {
  std::string name = "replication/" + target.name();
  if (generation > 1) name += "#" + std::to_string(generation);
  return name;
}

}  // namespace

ReplicationStream::ReplicationStream(Simulation& sim, Network& network, const ReplicationHopSpec& spec,
                                     ReplicationLog& log, StreamSource source, Replica& target,
                                     std::uint32_t entry_bytes, std::uint64_t seed, std::uint32_t generation)
    : sim_(sim),
      network_(network),
      spec_(spec),
      log_(log),
      source_(source),
      target_(target),
      entry_bytes_(entry_bytes),
      rng_(seed, stream_name(target, generation)),
      shipped_(target.received()) {}

void ReplicationStream::start() {
  const auto interval = static_cast<std::uint64_t>(std::max<Duration>(spec_.batch_interval, 1));
  sim_.schedule_in(static_cast<Duration>(rng_.next_below(interval)),
                   Callback::to<&ReplicationStream::tick>(this), 0);
}

void ReplicationStream::set_source(StreamSource source) {
  source_ = source;
  paused_ = false;
  resync();
}

void ReplicationStream::resync() {
  ++epoch_;
  shipped_ = target_.received();
}

std::uint64_t ReplicationStream::backlog() const {
  const LogPosition have = available();
  return have > target_.position() ? have - target_.position() : 0;
}

Duration ReplicationStream::next_interval() {
  const Duration interval = std::max<Duration>(spec_.batch_interval, 1);
  if (spec_.batch_jitter == 0) return interval;  // no draw: lockstep runs keep their numbers
  const double factor = 1 - spec_.batch_jitter + 2 * spec_.batch_jitter * rng_.next_double();
  return std::max<Duration>(static_cast<Duration>(std::llround(static_cast<double>(interval) * factor)), 1);
}

void ReplicationStream::tick(std::uint64_t /*unused*/) {
  if (retired_) return;
  sim_.schedule_in(next_interval(), Callback::to<&ReplicationStream::tick>(this), 0);
  if (paused_) return;
  if (!target_.up()) {
    target_was_down_ = true;
    return;
  }
  // The target lost what reached it while down: resend from what it has. A crash shorter than a
  // batch interval falls between two ticks, so look at what it holds too: with nothing in flight it
  // must hold all that was shipped.
  if (target_was_down_ || (in_flight_.empty() && target_.received() < shipped_)) {
    target_was_down_ = false;
    resync();
  }
  if (target_.lapsed() && !target_.snapshot_arrived()) {
    if (!target_.awaiting_snapshot() && source_can_ship()) ship_snapshot();
    return;
  }
  const LogPosition have = available();
  if (!source_can_ship() || have <= shipped_) return;
  const LogPosition to = std::min<LogPosition>(have, shipped_ + spec_.max_batch_entries);
  const std::uint64_t sequence = first_in_flight_ + in_flight_.size();
  in_flight_.push_back(InFlight{shipped_, to, epoch_, false});
  const std::uint64_t bytes = (to - shipped_) * entry_bytes_;
  network_.send(source_.geo, target_.geo(), bytes, Callback::to<&ReplicationStream::arrive>(this), sequence,
                Callback::to<&ReplicationStream::lost>(this));
  ++batches_;
  entries_ += to - shipped_;
  shipped_ = to;
}

bool ReplicationStream::source_can_ship() const {
  return source_.replica ? source_.replica->up() && !source_.replica->lapsed() : source_.master->up();
}

void ReplicationStream::ship_snapshot() {
  const std::uint64_t ticket = target_.await_snapshot(available());
  if (ticket == 0) return;
  const std::uint64_t bytes = log_.key_count() * entry_bytes_;
  network_.send(source_.geo, target_.geo(), bytes, Callback::to<&ReplicationStream::snapshot_arrived>(this),
                ticket, Callback::to<&ReplicationStream::snapshot_lost>(this));
  ++snapshots_;
}

void ReplicationStream::snapshot_arrived(std::uint64_t ticket) {
  // A retired stream's snapshot is not loaded (the stream that replaced it ships batches from what
  // the target has, and sends a snapshot of its own).
  if (retired_) return target_.snapshot_lost(ticket);
  if (target_.receive_snapshot(ticket)) {  // taken: ship batches from the snapshot's position on
    ++epoch_;
    shipped_ = target_.received();
  }
}

void ReplicationStream::snapshot_lost(std::uint64_t ticket) {
  target_.snapshot_lost(ticket);
}

void ReplicationStream::arrive(std::uint64_t sequence) {
  InFlight& batch = in_flight_[sequence - first_in_flight_];
  batch.arrived = true;
  // A batch from before a re-pointing or a cut, or one the target can no longer use, is dropped.
  if (!retired_ && batch.epoch == epoch_ && batch.from == target_.received())
    target_.receive(batch.from, batch.to);
  settle_in_flight();
}

void ReplicationStream::lost(std::uint64_t sequence) {
  InFlight& batch = in_flight_[sequence - first_in_flight_];
  batch.arrived = true;
  if (batch.epoch == epoch_) resync();  // resend from what the target has
  settle_in_flight();
}

void ReplicationStream::settle_in_flight() {
  while (!in_flight_.empty() && in_flight_.front().arrived) {
    in_flight_.pop_front();
    ++first_in_flight_;
  }
}

}  // namespace shardsim
