// active_master_global and passive_master_global: the global masters holding all keys.
//
// Writes commit only at the active master: a commit appends the write to its shard's replication
// log (the ordered history every other copy applies lazily). The passive master is a standby: one
// replica per shard, fed lazily from the active master. Which of the two is active is a role, so
// that failover can swap them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class Consumers;

class GlobalMaster {
 public:
  GlobalMaster(ModelContext& context, const std::string& name, GeoId geo, bool active);
  void connect(Consumers* consumers) { consumers_ = consumers; }

  // A sync write from WRITE_SYNC: committed, then answered to the client.
  void arrive_sync(std::uint64_t id);
  // An async write from a message-queue consumer: committed, then confirmed to the consumer.
  void arrive_async(std::uint64_t id);

  bool active() const { return active_; }
  void set_active(bool active) { active_ = active; }
  Node& node() { return node_; }
  GeoId geo() const { return node_.geo(); }
  const std::string& name() const { return node_.name(); }
  // The standby's copy of each shard (empty on the active master).
  std::vector<std::unique_ptr<Replica>>& standby_replicas() { return standby_; }
  std::uint64_t commits() const { return commits_; }

 private:
  static constexpr std::uint64_t kAsync = 1ULL << 63;  // job tag
  void served(std::uint64_t job);
  void reject(std::uint64_t job);

  ModelContext& ctx_;
  Node node_;
  bool active_;
  Consumers* consumers_ = nullptr;
  std::vector<std::unique_ptr<Replica>> standby_;
  std::uint64_t commits_ = 0;
};

}  // namespace shardsim
