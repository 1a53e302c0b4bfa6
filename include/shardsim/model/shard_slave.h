// A shard slave of a geo (seed: shard_slave_india, shard_slave_usa): a read-only copy of one shard,
// kept up to date lazily from its shard master, serving the geo's reads through the SLB.
// A finite-capacity node for reads; the replica applies batches beside it.
#pragma once

#include <cstdint>
#include <string>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class ReadApi;

class ShardSlave {
 public:
  ShardSlave(ModelContext& context, std::uint32_t id, std::uint32_t shard, GeoId geo, const std::string& name,
             ReadApi& read_api);

  void arrive(std::uint64_t id);
  // A crash fails the reads it holds and loses the batches it had not applied.
  void crash();
  void recover();
  bool up() const { return node_.up(); }
  Node& node() { return node_; }
  Replica& replica() { return replica_; }
  const Replica& replica() const { return replica_; }
  std::uint32_t id() const { return id_; }
  std::uint32_t shard() const { return replica_.shard(); }
  GeoId geo() const { return node_.geo(); }

 private:
  void served(std::uint64_t id);

  ModelContext& ctx_;
  std::uint32_t id_;
  Node node_;
  Replica replica_;
  ReadApi& read_api_;
};

}  // namespace shardsim
