// WRITE_ASYNC of a geo: accepts an async write and hands it to the scheduler of the async path
// (in the async path's geo), which enqueues it; the client is answered at enqueue.
#pragma once

#include <cstdint>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"

namespace shardsim {

class Scheduler;

class WriteAsync {
 public:
  WriteAsync(ModelContext& context, GeoId geo, Scheduler& scheduler);
  void arrive(std::uint64_t id);
  Node& node() { return node_; }

 private:
  void served(std::uint64_t id);

  ModelContext& ctx_;
  GeoId geo_;
  Node node_;
  Scheduler& scheduler_;
};

}  // namespace shardsim
