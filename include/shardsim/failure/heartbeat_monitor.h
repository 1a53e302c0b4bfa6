// The failure detector: every watched node sends a heartbeat to the monitor (which lives in a
// configurable geo) every `interval`; the monitor declares a node down when it has heard nothing
// for `missed` intervals, and up again when heartbeats resume.
//
// Heartbeats travel over the network like everything else, so a partition between the monitor
// and a healthy node makes the monitor declare it down: a false failover, modelled and counted,
// not prevented. With heartbeat interval h, k missed beats and one-way delay d, a crash is
// declared between (k-1)h + d and kh + d after it happens.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/node.h"
#include "shardsim/model/replica.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class HeartbeatMonitor {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_declared_down(std::uint32_t watch, Time now) = 0;
    virtual void on_declared_up(std::uint32_t watch, Time now) = 0;
  };

  HeartbeatMonitor(Simulation& sim, Network& network, const FailoverSpec& spec, std::uint64_t seed,
                   Listener& listener);

  // Watches a node: alive while `node` (if given) and `replica` (if given) are up. Returns its id.
  std::uint32_t watch(std::string name, GeoId geo, const Node* node, const Replica* replica);
  void start();

  const std::string& name(std::uint32_t watch) const { return watched_[watch]->name; }
  GeoId geo(std::uint32_t watch) const { return watched_[watch]->geo; }
  bool declared_down(std::uint32_t watch) const { return watched_[watch]->declared_down; }
  GeoId monitor_geo() const { return spec_.monitor_geo; }
  std::uint64_t heartbeats_sent() const { return heartbeats_; }

 private:
  struct Watched {
    Watched(Simulation& sim, HeartbeatMonitor* monitor);
    std::string name;
    GeoId geo = 0;
    const Node* node = nullptr;
    const Replica* replica = nullptr;
    Timer beat;      // the node's side: sends the next heartbeat
    Timer deadline;  // the monitor's side: declares the node down when it fires
    bool declared_down = false;
    bool alive() const { return (node == nullptr || node->up()) && (replica == nullptr || replica->up()); }
  };
  void send_beat(std::uint64_t watch);
  void heard(std::uint64_t watch);
  void missed(std::uint64_t watch);
  // Declared down once the silence *exceeds* k beats: a beat that arrives exactly k h after the
  // previous one is not missed. (Without the 1 ns, with k = 1 and a constant latency every beat
  // arrives at the instant of the deadline, and the deadline, armed earlier, fired first: every
  // node was declared down and up again at every beat, a storm of false failovers.)
  Duration silence_limit() const { return spec_.heartbeat_interval * spec_.missed_heartbeats + 1; }

  Simulation& sim_;
  Network& network_;
  FailoverSpec spec_;
  RandomStream rng_;
  Listener& listener_;
  std::vector<std::unique_ptr<Watched>> watched_;
  std::uint64_t heartbeats_ = 0;
};

}  // namespace shardsim
