#include "shardsim/failure/heartbeat_monitor.h"

namespace shardsim {

namespace {
constexpr std::uint64_t kHeartbeatBytes = 64;
}

HeartbeatMonitor::Beats::Beats(Simulation& sim, HeartbeatMonitor* monitor)
    : beat(sim, Callback::to<&HeartbeatMonitor::send_beat>(monitor)),
      deadline(sim, Callback::to<&HeartbeatMonitor::missed>(monitor)) {}

HeartbeatMonitor::HeartbeatMonitor(Simulation& sim, Network& network, const FailoverSpec& spec,
                                   std::uint64_t seed, Listener& listener)
    : FailureDetector(listener),
      sim_(sim),
      network_(network),
      spec_(spec),
      rng_(seed, "failover/heartbeat-phase") {}

Duration HeartbeatMonitor::detection_horizon() const {
  // k missed beats, one more interval, and a network timeout of slack (set by the coordinator).
  return spec_.heartbeat_interval * (spec_.missed_heartbeats + 1);
}

void HeartbeatMonitor::start() {
  const auto interval = static_cast<std::uint64_t>(spec_.heartbeat_interval);
  for (std::uint32_t w = 0; w < watch_count(); ++w) {
    beats_.push_back(std::make_unique<Beats>(sim_, this));
    // Each node beats at its own phase; the monitor starts as if it had just heard from everyone.
    beats_[w]->beat.arm_in(static_cast<Duration>(rng_.next_below(interval)), w);
    beats_[w]->deadline.arm_in(silence_limit(), w);
  }
}

void HeartbeatMonitor::send_beat(std::uint64_t w) {
  beats_[w]->beat.arm_in(spec_.heartbeat_interval, w);
  if (!watched(static_cast<std::uint32_t>(w)).alive()) return;
  ++heartbeats_;
  network_.send(geo(static_cast<std::uint32_t>(w)), spec_.monitor_geo, kHeartbeatBytes,
                Callback::to<&HeartbeatMonitor::heard>(this), w);
}

void HeartbeatMonitor::heard(std::uint64_t w) {
  Beats& beats = *beats_[w];
  beats.deadline.arm_in(silence_limit(), w);
  if (beats.declared_down) {
    beats.declared_down = false;
    listener().on_declared_up(static_cast<std::uint32_t>(w), sim_.now());
  }
}

void HeartbeatMonitor::missed(std::uint64_t w) {
  Beats& beats = *beats_[w];
  if (beats.declared_down) return;
  beats.declared_down = true;
  listener().on_declared_down(static_cast<std::uint32_t>(w), sim_.now());
}

}  // namespace shardsim
