// Building the typed Scenario from a validated document with every default filled in.
//
// By the time it runs, every value has the type and range the schema requires and every
// relation holds, so the builder only converts (units to nanoseconds, geo names to GeoIds, shard
// counts to ranges, "between" links to two directions); it throws nothing a user can cause.
#pragma once

#include <nlohmann/json.hpp>

#include "shardsim/scenario/scenario.h"

namespace shardsim::scenario_internal {

Scenario build_scenario(const nlohmann::json& document);

// Pieces, exposed for tests.
Distribution distribution_from_json(const nlohmann::json& value);
KeyPopularity key_popularity_from_json(const nlohmann::json& value, std::uint64_t key_count);
LoadShapeSpec load_shape_from_json(const nlohmann::json& value);
std::vector<ShardSpec> shards_from_json(const nlohmann::json& shards, std::uint64_t first_key,
                                        std::uint64_t key_count);

}  // namespace shardsim::scenario_internal
