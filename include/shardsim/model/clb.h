// CLB of a geo: the load balancer in front of the geo's cache nodes (seed: cache_ind). Consistent
// hashing over the cache nodes, so each key lives on one node and a node leaving moves only its
// own keys. With invalidation "on_slave_apply" it also listens to the geo's slaves and drops a
// key from its cache node when a slave applies a newer version.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "shardsim/model/cache.h"
#include "shardsim/model/context.h"
#include "shardsim/model/hash_ring.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class Clb : public ReplicaObserver {
 public:
  Clb(ModelContext& context, GeoId geo, ReadApi& read_api);

  bool has_nodes() const { return !ring_.empty(); }
  // Sends a read to the cache node owning the key; its answer goes back to READ_API.
  void lookup(std::uint32_t id);
  // Sends a cache fill (the version a slave returned) to the node owning the key.
  void fill(std::uint32_t id);

  void on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) override;
  void on_stale_keys_changed(const Replica&, std::int64_t, Time) override {}

  std::size_t node_count() const { return nodes_.size(); }
  CacheNode& node(std::size_t i) { return *nodes_[i]; }
  const HashRing& ring() const { return ring_; }

 private:
  CacheNode& owner(std::uint64_t key_index) { return *nodes_[ring_.owner(key_index)]; }

  ModelContext& ctx_;
  GeoId geo_;
  std::vector<std::unique_ptr<CacheNode>> nodes_;
  HashRing ring_;
};

}  // namespace shardsim
