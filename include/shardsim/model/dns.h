// DNS with geo routing: sends each client to its own geo's edge. A share of requests pays a
// resolution (the rest hit a warm resolver cache). Modeled as a delay, not a finite-capacity node:
// resolvers are not what a capacity plan of this architecture sizes.
#pragma once

#include <cstdint>

#include "shardsim/model/context.h"
#include "shardsim/random/stream.h"

namespace shardsim {

class CdnEdge;

class Dns {
 public:
  Dns(ModelContext& context, GeoId geo, CdnEdge& edge);
  // A new request from this geo's clients.
  void resolve(std::uint32_t id);

 private:
  void resolved(std::uint64_t id);

  ModelContext& ctx_;
  GeoId geo_;
  CdnEdge& edge_;
  RandomStream rng_;
};

}  // namespace shardsim
