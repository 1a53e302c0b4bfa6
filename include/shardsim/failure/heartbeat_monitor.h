// The heartbeat policy: every watched node sends a heartbeat to one monitor (which lives in a
// configurable geo) every `interval`; the monitor declares a node down when it has heard nothing
// for `missed` intervals, and up again when heartbeats resume.
//
// With heartbeat interval h, k missed beats and one-way delay d, a crash is declared between
// (k-1)h + d and kh + d after it happens.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shardsim/failure/failure_detector.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class HeartbeatMonitor : public FailureDetector {
 public:
  HeartbeatMonitor(Simulation& sim, Network& network, const FailoverSpec& spec, std::uint64_t seed,
                   Listener& listener);

  void start() override;
  bool declared_down(std::uint32_t watch) const override { return beats_[watch]->declared_down; }
  GeoId decision_geo(std::uint32_t /*watch*/) const override { return spec_.monitor_geo; }
  Duration detection_horizon() const override;
  Duration observation_delay(std::uint32_t /*watch*/, GeoId /*promoted_geo*/) override { return 0; }
  std::uint64_t messages_sent() const override { return heartbeats_; }

 private:
  struct Beats {
    Beats(Simulation& sim, HeartbeatMonitor* monitor);
    Timer beat;      // the node's side: sends the next heartbeat
    Timer deadline;  // the monitor's side: declares the node down when it fires
    bool declared_down = false;
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
  std::vector<std::unique_ptr<Beats>> beats_;  // by watch
  std::uint64_t heartbeats_ = 0;
};

}  // namespace shardsim
