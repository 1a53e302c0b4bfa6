#include "shardsim/model/replication_stream.h"

#include <algorithm>

namespace shardsim {

ReplicationStream::ReplicationStream(Simulation& sim, Network& network, const ReplicationHopSpec& spec,
                                     ReplicationLog& log, const Replica* source, GeoId source_geo,
                                     Replica& target, std::uint32_t entry_bytes, std::uint64_t seed)
    : sim_(sim),
      network_(network),
      spec_(spec),
      log_(log),
      source_(source),
      source_geo_(source_geo),
      target_(target),
      entry_bytes_(entry_bytes),
      rng_(seed, "replication/" + target.name()),
      shipped_(target.received()) {}

void ReplicationStream::start() {
  const Duration phase = static_cast<Duration>(rng_.next_below(static_cast<std::uint64_t>(spec_.batch_interval)));
  sim_.schedule_in(phase, Callback::to<&ReplicationStream::tick>(this), 0);
}

void ReplicationStream::set_source(const Replica* source, GeoId source_geo) {
  source_ = source;
  source_geo_ = source_geo;
  shipped_ = std::max(shipped_, target_.received());
}

std::uint64_t ReplicationStream::backlog() const {
  const LogPosition have = available();
  return have > target_.position() ? have - target_.position() : 0;
}

void ReplicationStream::tick(std::uint64_t /*unused*/) {
  sim_.schedule_in(spec_.batch_interval, Callback::to<&ReplicationStream::tick>(this), 0);
  const LogPosition have = available();
  if (paused_ || have <= shipped_) return;
  const LogPosition to = std::min<LogPosition>(have, shipped_ + spec_.max_batch_entries);
  in_flight_.push_back(InFlight{shipped_, to});
  const std::uint64_t bytes = (to - shipped_) * entry_bytes_;
  network_.send(source_geo_, target_.geo(), bytes, Callback::to<&ReplicationStream::arrive>(this), 0);
  ++batches_;
  entries_ += to - shipped_;
  shipped_ = to;
}

void ReplicationStream::arrive(std::uint64_t /*unused*/) {
  const InFlight batch = in_flight_.front();
  in_flight_.pop_front();
  target_.receive(batch.from, batch.to);
}

}  // namespace shardsim
