#include "shardsim/net/network.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace shardsim {

Network::Network(Simulation& sim, const Scenario& scenario)
    : sim_(sim),
      timeout_(scenario.network.timeout),
      loss_rng_(scenario.seed, "network/loss"),
      geos_(scenario.geos.size()) {
  // The loader refuses shorter timeouts; checked here too because a zero timeout would let a
  // sender resend at one simulated instant forever.
  if (timeout_ < NetworkSpec::kMinTimeout) {
    throw std::invalid_argument("network timeout below its floor of 1 ms");
  }
  links_.reserve(geos_ * geos_);
  for (std::size_t from = 0; from < geos_; ++from) {
    for (std::size_t to = 0; to < geos_; ++to) {
      const std::string name = "link/" + scenario.geos[from] + "->" + scenario.geos[to];
      const Distribution& latency =
          from == to ? scenario.network.intra_geo_latency_ms : scenario.network.inter_geo_latency_ms;
      links_.emplace_back(latency, RandomStream(scenario.seed, name));
    }
  }
  for (const LinkSpec& spec : scenario.network.links) {
    Link& l = link(spec.from, spec.to);
    l.latency_ms = spec.latency_ms;
    l.bandwidth_bytes_per_s = spec.bandwidth_bytes_per_s;
  }
}

bool Network::lost(Link& l) {
  if ((l.partitioned && l.drops) || (l.loss_share > 0 && loss_rng_.next_double() < l.loss_share)) {
    ++l.stats.dropped;
    return true;
  }
  return false;
}

Time Network::transmit(GeoId from, GeoId to, std::uint64_t bytes) {
  Link& l = link(from, to);
  if (lost(l)) return kTimeNever;
  Time departs = sim_.now();
  if (l.partitioned) departs = std::max(departs, l.heals_at);  // held until the partition heals
  if (l.bandwidth_bytes_per_s) {
    const double serialization_ns = static_cast<double>(bytes) / *l.bandwidth_bytes_per_s * 1e9;
    // Saturated at kLongestDelay (73 years, past any run's end): a slow link under a heavy load
    // would otherwise push its backlog past the range of Time.
    l.free_at_ns = std::min(std::max(static_cast<double>(departs), l.free_at_ns) + serialization_ns,
                            static_cast<double>(kLongestDelay));
    departs = static_cast<Time>(std::ceil(l.free_at_ns));  // the last bit has left
    l.stats.busy = std::min(l.stats.busy + round_ns(serialization_ns), kLongestDelay);
  }
  const double latency_ms = l.latency_ms.sample(l.rng) + l.extra_latency_ms;
  const Time arrives = std::max(departs + from_ms(latency_ms), l.last_arrival);
  l.last_arrival = arrives;
  ++l.stats.messages;
  l.stats.bytes += bytes;
  return arrives;
}

Time Network::send(GeoId from, GeoId to, std::uint64_t bytes, Callback on_arrival, std::uint64_t arg,
                   Callback on_lost) {
  const Time arrives = transmit(from, to, bytes);
  if (arrives != kTimeNever) {
    sim_.schedule_at(arrives, on_arrival, arg);
  } else if (on_lost) {
    sim_.schedule_in(timeout_, on_lost, arg);
  }
  return arrives;
}

void Network::partition(GeoId a, GeoId b, bool drop, Time heals_at) {
  for (Link* l : {&link(a, b), &link(b, a)}) {
    l->partitioned = true;
    l->drops = drop;
    l->heals_at = heals_at;
  }
}

void Network::heal(GeoId a, GeoId b) {
  for (Link* l : {&link(a, b), &link(b, a)}) l->partitioned = false;
}

void Network::add_latency(GeoId a, GeoId b, double extra_ms) {
  link(a, b).extra_latency_ms += extra_ms;
  if (a != b) link(b, a).extra_latency_ms += extra_ms;
}

void Network::set_loss(GeoId a, GeoId b, double share) {
  link(a, b).loss_share = share;
  link(b, a).loss_share = share;
}

}  // namespace shardsim
