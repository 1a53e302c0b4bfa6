// The network between geos: one directed link for every ordered pair of geos (a geo to itself is
// the link inside that geo).
//
// A message sent on a link leaves when the link is free (serialization at the link's bandwidth,
// when one is set), travels for a sampled one-way latency, and arrives no earlier than the message
// sent before it on the same link: links deliver in order, like a TCP connection. Every link draws
// its latencies from its own random stream ("link/<from>-><to>").
//
// Failures impair links between two geos: a partition holds messages until it heals, or drops
// them; a latency spike adds to every message; loss drops a share of messages. A dropped message
// never arrives; if its sender gave an `on_lost` callback, that runs after the scenario's timeout
// (the sender noticing no answer came).
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

  // Sends a message of `bytes` from geo `from` to geo `to`; `on_arrival(arg)` runs when it arrives,
  // or `on_lost(arg)` a timeout after it was sent if the message was dropped.
  // Returns the arrival time (kTimeNever: dropped).
  Time send(GeoId from, GeoId to, std::uint64_t bytes, Callback on_arrival, std::uint64_t arg,
            Callback on_lost = {});
  // The arrival time a message sent now would have (kTimeNever: dropped), consuming the link as
  // send() does.
  Time transmit(GeoId from, GeoId to, std::uint64_t bytes);

  // Link impairments, in both directions between two geos (set and cleared by the failure
  // injector). `heals_at` is when a holding partition releases its messages.
  void partition(GeoId a, GeoId b, bool drop, Time heals_at);
  void heal(GeoId a, GeoId b);
  void add_latency(GeoId a, GeoId b, double extra_ms);
  void set_loss(GeoId a, GeoId b, double share);
  bool partitioned(GeoId a, GeoId b) const { return link(a, b).partitioned; }

  std::size_t geo_count() const { return geos_; }
  // Mean one-way latency of a link (for explain and validation).
  double mean_latency_ms(GeoId from, GeoId to) const { return link(from, to).latency_ms.mean(); }

  struct LinkStats {
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    std::uint64_t dropped = 0;
    Duration busy = 0;  // time spent serializing (bandwidth-limited links only)
  };
  const LinkStats& stats(GeoId from, GeoId to) const { return link(from, to).stats; }

 private:
  struct Link {
    Link(Distribution latency, RandomStream stream) : latency_ms(latency), rng(stream) {}
    Distribution latency_ms;
    std::optional<double> bandwidth_bytes_per_s;
    RandomStream rng;
    // When serialization of the last message ends, in fractional ns: rounding each message's b/W
    // to whole ns would add up and let a busy link run faster (or, below 0.5 ns, unlimited).
    double free_at_ns = 0;
    Time last_arrival = 0;  // in-order delivery
    LinkStats stats;
    // Impairments.
    bool partitioned = false;
    bool drops = false;
    Time heals_at = 0;
    double extra_latency_ms = 0;
    double loss_share = 0;
  };
  Link& link(GeoId from, GeoId to) { return links_[from * geos_ + to]; }
  const Link& link(GeoId from, GeoId to) const { return links_[from * geos_ + to]; }

  bool lost(Link& l);

  Simulation& sim_;
  Duration timeout_;
  RandomStream loss_rng_;
  std::size_t geos_;
  std::vector<Link> links_;
};

}  // namespace shardsim
