// The consumers of the message queue: each takes one write at a time, applies it to the active
// global master, puts its payload in the object store, then takes the next. A commit that fails
// (no master accepts writes) puts the write back at the head of the queue and the consumers pause
// for a retry interval: the queue holds the writes until failover completes.
#pragma once

#include <cstdint>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/context.h"
#include "shardsim/model/message_queue.h"
#include "shardsim/model/node.h"
#include "shardsim/model/object_store.h"

namespace shardsim {

class MasterDirectory;

class Consumers {
 public:
  Consumers(ModelContext& context, MessageQueue& queue, MasterDirectory& masters);

  // Takes messages while a consumer is idle and the queue is not empty.
  void wake();
  // The master's answers (sent back over the network to the consumers' geo).
  void on_committed(GeoId master_geo, std::uint32_t id);
  void on_commit_failed(GeoId master_geo, std::uint32_t id);

  Node& node() { return node_; }
  ObjectStore& object_store() { return object_store_; }
  GeoId geo() const { return node_.geo(); }
  std::uint64_t retries() const { return retries_; }

  static constexpr Duration kRetryInterval = 100 * kMillisecond;

 private:
  void wake_event(std::uint64_t /*unused*/) { wake(); }
  void served(std::uint64_t id);
  void committed(std::uint64_t id);
  void commit_failed(std::uint64_t id);
  void stored(std::uint64_t id);

  ModelContext& ctx_;
  MessageQueue& queue_;
  MasterDirectory& masters_;
  Node node_;
  ObjectStore object_store_;
  Timer retry_;
  std::uint32_t idle_;
  std::uint64_t retries_ = 0;
};

}  // namespace shardsim
