#include "shardsim/scenario/node_names.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace shardsim::node_names {
namespace {

constexpr std::string_view kShardMasterPrefix = "shard_master_global_";
constexpr std::string_view kShardSlavePrefix = "shard_slave_";
constexpr std::string_view kCachePrefix = "cache_";
constexpr std::array<FrontEnd, 4> kFrontEnds = {FrontEnd::kApiGateway, FrontEnd::kReadApi,
                                                FrontEnd::kWriteSync, FrontEnd::kWriteAsync};

std::string_view prefix(FrontEnd role) {
  switch (role) {
    case FrontEnd::kApiGateway:
      return "api_gateway_";
    case FrontEnd::kReadApi:
      return "read_api_";
    case FrontEnd::kWriteSync:
      return "write_sync_";
    case FrontEnd::kWriteAsync:
      return "write_async_";
  }
  return "";
}

// True when `text` is a decimal number from 1 to `count`, written without leading zeros.
bool index_in(std::string_view text, std::uint64_t count) {
  if (text.empty() || text.front() == '0') return false;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value >= 1 && value <= count;
}

// Whether `tail` ("3" or "3.2") names a slave of a geo with `replicas` slaves per shard.
bool is_slave_tail(std::string_view tail, std::uint64_t shards, std::uint64_t replicas) {
  if (replicas == 1) return index_in(tail, shards);
  const std::size_t dot = tail.find('.');
  return replicas > 1 && dot != std::string_view::npos && index_in(tail.substr(0, dot), shards) &&
         index_in(tail.substr(dot + 1), replicas);
}

}  // namespace

std::string front_end(FrontEnd role, std::string_view geo) {
  return fmt::format("{}{}", prefix(role), geo);
}

std::string shard_master(std::uint64_t shard) {
  return fmt::format("{}{}", kShardMasterPrefix, shard + 1);
}

std::string shard_slave(std::string_view geo, std::uint64_t shard, std::uint64_t replica,
                        std::uint64_t replicas) {
  if (replicas == 1) return fmt::format("{}{}_{}", kShardSlavePrefix, geo, shard + 1);
  return fmt::format("{}{}_{}.{}", kShardSlavePrefix, geo, shard + 1, replica + 1);
}

std::string cache_node(std::string_view geo, std::uint64_t node) {
  return fmt::format("{}{}_{}", kCachePrefix, geo, node + 1);
}

bool is_crashable(const Shape& shape, std::string_view name) {
  if (name == kActiveMaster || name == kPassiveMaster) return true;
  if (name.starts_with(kShardMasterPrefix))
    return index_in(name.substr(kShardMasterPrefix.size()), shape.shards);
  if (!name.starts_with(kShardSlavePrefix)) return false;
  const std::string_view rest = name.substr(kShardSlavePrefix.size());
  for (std::size_t g = 0; g < shape.geos.size(); ++g) {
    const std::string geo = shape.geos[g] + "_";
    if (rest.starts_with(geo) &&
        is_slave_tail(rest.substr(geo.size()), shape.shards, shape.slaves_per_shard[g])) {
      return true;
    }
  }
  return false;
}

bool is_node(const Shape& shape, std::string_view name) {
  if (name.starts_with(kShardMasterPrefix)) return false;  // a replica without a service queue
  if (is_crashable(shape, name) || name == kScheduler || name == kConsumer || name == kObjectStore)
    return true;
  for (std::size_t g = 0; g < shape.geos.size(); ++g) {
    for (FrontEnd role : kFrontEnds) {
      if (name == front_end(role, shape.geos[g])) return true;
    }
    const std::string cache = fmt::format("{}{}_", kCachePrefix, shape.geos[g]);
    if (name.starts_with(cache) && index_in(name.substr(cache.size()), shape.cache_nodes[g])) return true;
  }
  return false;
}

std::vector<std::string> list(const Shape& shape, bool crashable_only, std::size_t at_most) {
  std::vector<std::string> names = {std::string(kActiveMaster), std::string(kPassiveMaster)};
  auto room = [&names, at_most] { return names.size() < at_most; };
  for (std::uint64_t i = 0; i < shape.shards && room(); ++i) names.push_back(shard_master(i));
  for (std::size_t g = 0; g < shape.geos.size(); ++g) {
    const std::uint64_t replicas = shape.slaves_per_shard[g];
    for (std::uint64_t i = 0; i < shape.shards && room(); ++i) {
      for (std::uint64_t j = 0; j < replicas && room(); ++j)
        names.push_back(shard_slave(shape.geos[g], i, j, replicas));
    }
  }
  if (crashable_only) return names;
  std::erase_if(names, [](const std::string& name) { return name.starts_with(kShardMasterPrefix); });
  for (std::string_view fixed : {kScheduler, kConsumer, kObjectStore}) names.emplace_back(fixed);
  for (std::size_t g = 0; g < shape.geos.size(); ++g) {
    for (FrontEnd role : kFrontEnds) names.push_back(front_end(role, shape.geos[g]));
    for (std::uint64_t k = 0; k < shape.cache_nodes[g] && room(); ++k)
      names.push_back(cache_node(shape.geos[g], k));
  }
  return names;
}

}  // namespace shardsim::node_names
