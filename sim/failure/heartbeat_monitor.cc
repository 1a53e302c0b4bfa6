#include "shardsim/failure/heartbeat_monitor.h"

namespace shardsim {

namespace {
constexpr std::uint64_t kHeartbeatBytes = 64;
}

HeartbeatMonitor::Watched::Watched(Simulation& sim, HeartbeatMonitor* monitor)
    : beat(sim, Callback::to<&HeartbeatMonitor::send_beat>(monitor)),
      deadline(sim, Callback::to<&HeartbeatMonitor::missed>(monitor)) {}

HeartbeatMonitor::HeartbeatMonitor(Simulation& sim, Network& network, const FailoverSpec& spec,
                                   std::uint64_t seed, Listener& listener)
    : sim_(sim),
      network_(network),
      spec_(spec),
      rng_(seed, "failover/heartbeat-phase"),
      listener_(listener) {}

std::uint32_t HeartbeatMonitor::watch(std::string name, GeoId geo, const Node* node, const Replica* replica) {
  auto watched = std::make_unique<Watched>(sim_, this);
  watched->name = std::move(name);
  watched->geo = geo;
  watched->node = node;
  watched->replica = replica;
  watched_.push_back(std::move(watched));
  return static_cast<std::uint32_t>(watched_.size() - 1);
}

void HeartbeatMonitor::start() {
  const auto interval = static_cast<std::uint64_t>(spec_.heartbeat_interval);
  for (std::uint32_t w = 0; w < watched_.size(); ++w) {
    // Each node beats at its own phase; the monitor starts as if it had just heard from everyone.
    watched_[w]->beat.arm_in(static_cast<Duration>(rng_.next_below(interval)), w);
    watched_[w]->deadline.arm_in(silence_limit(), w);
  }
}

void HeartbeatMonitor::send_beat(std::uint64_t w) {
  Watched& watched = *watched_[w];
  watched.beat.arm_in(spec_.heartbeat_interval, w);
  if (!watched.alive()) return;
  ++heartbeats_;
  network_.send(watched.geo, spec_.monitor_geo, kHeartbeatBytes, Callback::to<&HeartbeatMonitor::heard>(this),
                w);
}

void HeartbeatMonitor::heard(std::uint64_t w) {
  Watched& watched = *watched_[w];
  watched.deadline.arm_in(silence_limit(), w);
  if (watched.declared_down) {
    watched.declared_down = false;
    listener_.on_declared_up(static_cast<std::uint32_t>(w), sim_.now());
  }
}

void HeartbeatMonitor::missed(std::uint64_t w) {
  Watched& watched = *watched_[w];
  if (watched.declared_down) return;
  watched.declared_down = true;
  listener_.on_declared_down(static_cast<std::uint32_t>(w), sim_.now());
}

}  // namespace shardsim
