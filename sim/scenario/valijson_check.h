// A second opinion: valijson, a general JSON Schema validator, on the same document and schema.
//
// The friendly checker (schema_check.h) interprets the schema itself. Should it ever accept a
// document the schema rejects, the loader reports valijson's findings (in valijson's words)
// rather than let an invalid scenario through; tests keep the two in agreement.
#pragma once

#include <nlohmann/json.hpp>

#include "scenario/finding.h"

namespace shardsim::scenario_internal {

Findings check_with_valijson(const nlohmann::json& document);

}  // namespace shardsim::scenario_internal
