// Health checks from the routers: each watched node answers a check from the router in its own
// geo every `interval`, and is out (off its SLB, if a slave) once it has not answered for longer
// than `silence`, and back at the first answer. This is how reads find live replicas under policies
// whose own protocol does not route reads: a MongoDB driver's server monitoring, or HAProxy's
// checks of Patroni's REST API.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"

namespace shardsim {

// HAProxy's checks as Patroni's haproxy.cfg template sets them (inter 3s fall 3): out after three
// missed checks. Used for policies that leave read routing to a proxy (lease, orchestrator).
inline constexpr Duration kProxyCheckInterval = 3 * kSecond;
inline constexpr Duration kProxyCheckSilence = 9 * kSecond;

class RouterHealthChecks {
 public:
  struct Target {
    GeoId geo = 0;
    std::function<bool()> alive;  // whether the node answers now
  };
  // `on_change(target, down)` runs when a target goes out (down = true) or comes back.
  RouterHealthChecks(Simulation& sim, Network& network, Duration interval, Duration silence,
                     std::uint64_t seed, std::function<void(std::uint32_t, bool)> on_change);

  void add(Target target);
  void start();
  bool down(std::uint32_t target) const { return checks_[target]->down; }
  std::uint64_t messages_sent() const { return messages_; }

 private:
  struct Check {
    Check(Simulation& sim, RouterHealthChecks* checks);
    Timer beat, deadline;
    bool down = false;
  };
  void beat(std::uint64_t target);
  void heard(std::uint64_t target);
  void missed(std::uint64_t target);

  Simulation& sim_;
  Network& network_;
  Duration interval_;
  Duration silence_;
  RandomStream rng_;
  std::function<void(std::uint32_t, bool)> on_change_;
  std::vector<Target> targets_;
  std::vector<std::unique_ptr<Check>> checks_;
  std::uint64_t messages_ = 0;
};

}  // namespace shardsim
