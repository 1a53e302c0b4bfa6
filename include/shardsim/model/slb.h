// SLB of a geo: the load balancer in front of the geo's shard slaves. For each shard, a consistent
// hash ring (virtual nodes) over the geo's healthy slaves holding that shard: a read goes to the
// owner of its key. A slave taken off the ring (failed, or promoted to shard master) moves only its
// own keys; it rejoins on recovery. Optional bounded loads: no slave takes more than
// ceil(c x average) of the reads in flight (Mirrokni et al.), which caps hot-key hot spots.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "shardsim/model/context.h"
#include "shardsim/model/hash_ring.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class Slb {
 public:
  Slb(ModelContext& context, GeoId geo);

  // Puts slaves (id and replica) behind the SLB for `shard`, all onto its ring in one build.
  void add_slaves(std::uint32_t shard, const std::vector<std::pair<std::uint32_t, const Replica*>>& slaves);
  // Takes a slave off / back onto its shard's ring.
  void remove_slave(std::uint32_t shard, std::uint32_t slave_id);
  void restore_slave(std::uint32_t shard, std::uint32_t slave_id);

  // The slave that serves a read of `key_index`; nothing when no healthy slave holds the shard.
  std::optional<std::uint32_t> route(std::uint64_t key_index);
  // A hint that route(key_index) follows soon (see HashRing::prefetch); changes nothing.
  void prefetch(std::uint64_t key_index) const { rings_[ctx_.keys.shard_of(key_index)].prefetch(key_index); }
  // A read routed to `slave_id` has been answered (bounded loads count reads in flight).
  void finished(std::uint32_t slave_id);

  std::size_t healthy_slaves(std::uint32_t shard) const { return rings_[shard].member_count(); }
  const HashRing& ring(std::uint32_t shard) const { return rings_[shard]; }

 private:
  ModelContext& ctx_;
  GeoId geo_;
  std::vector<HashRing> rings_;                 // by shard
  std::vector<std::uint64_t> in_flight_;        // by slave id
  std::vector<std::uint64_t> shard_in_flight_;  // by shard
  std::vector<std::uint32_t> shard_of_slave_;   // by slave id
  std::vector<const Replica*> replicas_;        // by slave id
  std::optional<double> bound_;
};

}  // namespace shardsim
