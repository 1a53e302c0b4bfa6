// The names of the topology's nodes, in one place.
//
// The model names every node it builds with these functions, and the loader checks the "nodes" of
// each failure against the same rules (is_crashable, is_node) before a run starts: a name the
// loader accepts is a node the run has, and renaming a node is a change to this file alone.
// Numbers in names are 1-based, as a reader counts: the first shard is shard_master_global_1.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim::node_names {

inline constexpr std::string_view kActiveMaster = "active_master_global";
inline constexpr std::string_view kPassiveMaster = "passive_master_global";
inline constexpr std::string_view kScheduler = "scheduler";
inline constexpr std::string_view kConsumer = "consumer";
inline constexpr std::string_view kObjectStore = "object_store";

// The per-geo servers in front of the data: one of each in every geo.
enum class FrontEnd { kApiGateway, kReadApi, kWriteSync, kWriteAsync };

std::string front_end(FrontEnd role, std::string_view geo);  // "read_api_india"
std::string shard_master(std::uint64_t shard);               // shard 0: "shard_master_global_1"
// Shard `shard`'s slave `replica` of `replicas` in `geo`: "shard_slave_india_3" when the geo has
// one slave per shard, "shard_slave_india_3.2" (the second of several) otherwise.
std::string shard_slave(std::string_view geo, std::uint64_t shard, std::uint64_t replica,
                        std::uint64_t replicas);
std::string cache_node(std::string_view geo, std::uint64_t node);  // node 0: "cache_india_1"

// What decides which names exist: the geos, the shard count, and per geo the slaves per shard and
// the cache nodes.
struct Shape {
  std::vector<std::string> geos;
  std::uint64_t shards = 0;
  std::vector<std::uint64_t> slaves_per_shard;  // by geo
  std::vector<std::uint64_t> cache_nodes;       // by geo
};

// A node a crash or random_crashes can take: a global master, a shard master or a shard slave.
bool is_crashable(const Shape& shape, std::string_view name);

// Any server of the topology with a service queue (what a slow failure can take): not a shard
// master, which in this model is a replica applying its hop's batches, without a node of its own.
bool is_node(const Shape& shape, std::string_view name);

// The names is_crashable (or is_node) accepts, in topology order, at most `at_most` of them.
std::vector<std::string> list(const Shape& shape, bool crashable_only, std::size_t at_most);

}  // namespace shardsim::node_names
