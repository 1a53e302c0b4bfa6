#include "shardsim/model/key_space.h"

#include <algorithm>

namespace shardsim {

KeySpace::KeySpace(const Scenario& scenario)
    : first_key_(scenario.keys.first_key), count_(scenario.keys.count) {
  for (const ShardSpec& shard : scenario.shards) shard_first_.push_back(shard.first_key - first_key_);
}

std::uint32_t KeySpace::shard_of(std::uint64_t key_index) const {
  const auto after = std::upper_bound(shard_first_.begin(), shard_first_.end(), key_index);
  return static_cast<std::uint32_t>(after - shard_first_.begin() - 1);
}

std::uint64_t KeySpace::shard_size(std::uint32_t shard) const {
  const std::uint64_t end = shard + 1 < shard_first_.size() ? shard_first_[shard + 1] : count_;
  return end - shard_first_[shard];
}

}  // namespace shardsim
