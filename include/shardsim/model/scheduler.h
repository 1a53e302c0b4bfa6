// The scheduler of the async write path ("WRITE_ASYNC (Schedulers)" in the seed diagram): puts each
// async write in the message queue, answers the client at enqueue, and wakes the consumers.
#pragma once

#include <cstdint>

#include "shardsim/model/context.h"
#include "shardsim/model/message_queue.h"
#include "shardsim/model/node.h"

namespace shardsim {

class Consumers;

class Scheduler {
 public:
  Scheduler(ModelContext& context, MessageQueue& queue, Consumers& consumers);
  void arrive(std::uint64_t id);
  Node& node() { return node_; }
  GeoId geo() const { return node_.geo(); }

 private:
  void served(std::uint64_t id);

  ModelContext& ctx_;
  Node node_;
  MessageQueue& queue_;
  Consumers& consumers_;
};

}  // namespace shardsim
