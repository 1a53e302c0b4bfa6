#include "shardsim/net/network.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace shardsim {

Network::Network(Simulation& sim, const Scenario& scenario) : sim_(sim), geos_(scenario.geos.size()) {
  links_.reserve(geos_ * geos_);
  for (std::size_t from = 0; from < geos_; ++from) {
    for (std::size_t to = 0; to < geos_; ++to) {
      const std::string name = "link/" + scenario.geos[from] + "->" + scenario.geos[to];
      const Distribution& latency = from == to ? scenario.network.intra_geo_latency_ms
                                               : scenario.network.inter_geo_latency_ms;
      links_.push_back(Link{latency, std::nullopt, RandomStream(scenario.seed, name), 0, 0, {}});
    }
  }
  for (const LinkSpec& spec : scenario.network.links) {
    Link& l = link(spec.from, spec.to);
    l.latency_ms = spec.latency_ms;
    l.bandwidth_bytes_per_s = spec.bandwidth_bytes_per_s;
  }
}

Time Network::transmit(GeoId from, GeoId to, std::uint64_t bytes) {
  Link& l = link(from, to);
  Time departs = sim_.now();
  if (l.bandwidth_bytes_per_s) {
    const Duration serialization = from_s(static_cast<double>(bytes) / *l.bandwidth_bytes_per_s);
    departs = std::max(departs, l.free_at) + serialization;
    l.stats.busy += serialization;
    l.free_at = departs;
  }
  const Time arrives = std::max(departs + from_ms(l.latency_ms.sample(l.rng)), l.last_arrival);
  l.last_arrival = arrives;
  ++l.stats.messages;
  l.stats.bytes += bytes;
  return arrives;
}

Time Network::send(GeoId from, GeoId to, std::uint64_t bytes, Callback on_arrival, std::uint64_t arg) {
  const Time arrives = transmit(from, to, bytes);
  sim_.schedule_at(arrives, on_arrival, arg);
  return arrives;
}

}  // namespace shardsim
