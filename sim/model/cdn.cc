#include "shardsim/model/cdn.h"

#include "shardsim/model/api_gateway.h"
#include "shardsim/model/client.h"

namespace shardsim {

CdnEdge::CdnEdge(ModelContext& context, GeoId geo, ApiGateway& gateway)
    : ctx_(context),
      geo_(geo),
      gateway_(gateway),
      rng_(context.seed(), "cdn/" + context.scenario.geos[geo]) {}

void CdnEdge::arrive(std::uint64_t id) {
  if (ctx_.requests[static_cast<std::uint32_t>(id)].op == Operation::kStatic) {
    const Duration response = from_ms(ctx_.scenario.edges[geo_].cdn_response_ms.sample(rng_));
    ctx_.sim.schedule_in(response, Callback::to<&CdnEdge::answer_static>(this), id);
    return;
  }
  gateway_.arrive(id);
}

void CdnEdge::answer_static(std::uint64_t id) {
  ctx_.clients->answer_now(static_cast<std::uint32_t>(id), Outcome::kStatic);
}

}  // namespace shardsim
