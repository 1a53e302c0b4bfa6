// Building the failure injection and failover settings of a scenario ("failures", "failover").
#pragma once

#include <nlohmann/json.hpp>

#include "shardsim/scenario/scenario.h"

namespace shardsim::scenario_internal {

// Fills scenario.failures and scenario.failover from a validated, defaulted document. Geo names
// are resolved with scenario.geo_id, so the geos must be built first.
void build_failures(const nlohmann::json& document, Scenario& scenario);

}  // namespace shardsim::scenario_internal
