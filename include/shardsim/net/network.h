// The network between geos: one directed link for every ordered pair of geos (a geo to itself is
// the link inside that geo).
//
// A message sent on a link leaves when the link is free (serialization at the link's bandwidth,
// when one is set), travels for a sampled one-way latency, and arrives no earlier than the message
// sent before it on the same link: links deliver in order, like a TCP connection. Every link draws
// its latencies from its own random stream ("link/<from>-><to>").
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "shardsim/kernel/callback.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/random/distribution.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class Network {
 public:
  Network(Simulation& sim, const Scenario& scenario);

  // Sends a message of `bytes` from geo `from` to geo `to`; `on_arrival(arg)` runs when it arrives.
  // Returns the arrival time.
  Time send(GeoId from, GeoId to, std::uint64_t bytes, Callback on_arrival, std::uint64_t arg);
  // The arrival time a message sent now would have, consuming the link as send() does.
  Time transmit(GeoId from, GeoId to, std::uint64_t bytes);

  std::size_t geo_count() const { return geos_; }
  // Mean one-way latency of a link (for explain and validation).
  double mean_latency_ms(GeoId from, GeoId to) const { return link(from, to).latency_ms.mean(); }

  struct LinkStats {
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    Duration busy = 0;  // time spent serializing (bandwidth-limited links only)
  };
  const LinkStats& stats(GeoId from, GeoId to) const { return link(from, to).stats; }

 private:
  struct Link {
    Distribution latency_ms;
    std::optional<double> bandwidth_bytes_per_s;
    RandomStream rng;
    Time free_at = 0;       // when serialization of the last message ends
    Time last_arrival = 0;  // in-order delivery
    LinkStats stats;
  };
  Link& link(GeoId from, GeoId to) { return links_[from * geos_ + to]; }
  const Link& link(GeoId from, GeoId to) const { return links_[from * geos_ + to]; }

  Simulation& sim_;
  std::size_t geos_;
  std::vector<Link> links_;
};

}  // namespace shardsim
