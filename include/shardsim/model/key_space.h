// The key space and its range sharding (seed: keys 1-1000 in shards 1-333, 334-666, 667-1000).
// Keys are handled as indices 0..count-1 inside the simulator and shown as keys in reports.
#pragma once

#include <cstdint>
#include <vector>

#include "shardsim/scenario/scenario.h"

namespace shardsim {

class KeySpace {
 public:
  explicit KeySpace(const Scenario& scenario);

  // The shard holding a key index (binary search over the range starts).
  std::uint32_t shard_of(std::uint64_t key_index) const;
  std::uint64_t first_index(std::uint32_t shard) const { return shard_first_[shard]; }
  std::uint64_t shard_size(std::uint32_t shard) const;
  std::uint32_t shard_count() const { return static_cast<std::uint32_t>(shard_first_.size()); }
  std::uint64_t key_count() const { return count_; }
  std::uint64_t key_of(std::uint64_t key_index) const { return first_key_ + key_index; }

 private:
  std::uint64_t first_key_;
  std::uint64_t count_;
  std::vector<std::uint64_t> shard_first_;  // first key index of each shard, ascending
};

}  // namespace shardsim
