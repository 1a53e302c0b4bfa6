#include "shardsim/model/dns.h"

#include "shardsim/model/cdn.h"

namespace shardsim {

Dns::Dns(ModelContext& context, GeoId geo, CdnEdge& edge)
    : ctx_(context), geo_(geo), edge_(edge), rng_(context.seed(), "dns/" + context.scenario.geos[geo]) {}

void Dns::resolve(std::uint32_t id) {
  const EdgeSpec& spec = ctx_.scenario.edges[geo_];
  const double lookup_share = ctx_.scenario.workload[geo_].dns_lookup_fraction;
  if (lookup_share > 0 && rng_.next_double() < lookup_share) {
    ctx_.sim.schedule_in(from_ms(spec.dns_lookup_ms.sample(rng_)), Callback::to<&Dns::resolved>(this), id);
  } else {
    resolved(id);
  }
}

void Dns::resolved(std::uint64_t id) {
  ctx_.network.send(geo_, geo_, ctx_.message_bytes(), Callback::to<&CdnEdge::arrive>(&edge_), id);
}

}  // namespace shardsim
