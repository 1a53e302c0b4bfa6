#include "shardsim/model/slb.h"

#include <cmath>

namespace shardsim {

Slb::Slb(ModelContext& context, GeoId geo)
    : ctx_(context),
      geo_(geo),
      shard_in_flight_(context.keys.shard_count(), 0),
      bound_(context.scenario.slb.bounded_load_factor) {
  const std::uint64_t seed = derive_seed(context.seed(), "slb");
  for (std::uint32_t s = 0; s < context.keys.shard_count(); ++s) {
    rings_.emplace_back(context.scenario.slb.vnodes_per_node, seed);
  }
}

void Slb::add_slaves(std::uint32_t shard,
                     const std::vector<std::pair<std::uint32_t, const Replica*>>& slaves) {
  std::vector<std::uint32_t> ids;
  for (const auto& [slave_id, replica] : slaves) {
    if (in_flight_.size() <= slave_id) {
      in_flight_.resize(slave_id + 1, 0);
      shard_of_slave_.resize(slave_id + 1, 0);
      replicas_.resize(slave_id + 1, nullptr);
    }
    shard_of_slave_[slave_id] = shard;
    replicas_[slave_id] = replica;
    ids.push_back(slave_id);
  }
  rings_[shard].add_all(ids);
}

void Slb::remove_slave(std::uint32_t shard, std::uint32_t slave_id) {
  rings_[shard].remove(slave_id);
}
void Slb::restore_slave(std::uint32_t shard, std::uint32_t slave_id) {
  rings_[shard].add(slave_id);
}

std::optional<std::uint32_t> Slb::route(std::uint64_t key_index) {
  const std::uint32_t shard = ctx_.keys.shard_of(key_index);
  const HashRing& ring = rings_[shard];
  if (ring.empty()) return std::nullopt;
  std::uint32_t slave;
  if (bound_) {
    const double average = static_cast<double>(shard_in_flight_[shard] + 1) / ring.member_count();
    const auto cap = static_cast<std::uint64_t>(std::ceil(*bound_ * average));
    slave = ring.owner_bounded(
        key_index, [this](std::uint32_t m) { return in_flight_[m]; }, cap);
  } else {
    slave = ring.owner(key_index);
  }
  ++in_flight_[slave];
  ++shard_in_flight_[shard];
  // Invariant: reads never reach a master (a slave is taken off the ring before its promotion).
  if (replicas_[slave]->role() != ReplicaRole::kShardSlave) ctx_.metrics.read_at_master();
  return slave;
}

void Slb::finished(std::uint32_t slave_id) {
  --in_flight_[slave_id];
  --shard_in_flight_[shard_of_slave_[slave_id]];
}

}  // namespace shardsim
