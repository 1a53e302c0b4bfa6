// Filling in defaults: every key the file leaves out gets the schema's "default".
//
// The defaults live in the schema only (one source of truth); the C++ model's initializers are
// never relied on. Defaults that depend on the document come from fill_geo_defaults: the
// first geo is the home of the masters and of the async path, and every geo gets an entry in the
// per-geo maps (caches, slaves.per_shard_per_geo, workload) so the effective scenario shows them.
#pragma once

#include <nlohmann/json.hpp>

namespace shardsim::scenario_internal {

// Both fills tolerate a document that failed validation: they skip whatever has the wrong type.
void fill_geo_defaults(const nlohmann::json& schema, nlohmann::json& document);
void fill_schema_defaults(const nlohmann::json& schema, nlohmann::json& document);

}  // namespace shardsim::scenario_internal
