// The CDN edge of a geo: static content ends here (answered after the edge's response time); every
// other request goes on to the geo's API gateway. Like DNS, a delay rather than a capacity node.
#pragma once

#include <cstdint>

#include "shardsim/model/context.h"
#include "shardsim/random/stream.h"

namespace shardsim {

class ApiGateway;

class CdnEdge {
 public:
  CdnEdge(ModelContext& context, GeoId geo, ApiGateway& gateway);
  // A request arrives at the edge (sent there by DNS).
  void arrive(std::uint64_t id);

 private:
  void answer_static(std::uint64_t id);

  ModelContext& ctx_;
  GeoId geo_;
  ApiGateway& gateway_;
  RandomStream rng_;
};

}  // namespace shardsim
