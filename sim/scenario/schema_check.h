// Checks a document against the scenario schema, with messages written for people.
//
// A generic validator says "Value type not permitted by 'type' constraint"; this one says
// `expected a number >= 0, found -5` or `unknown key "rate_per_sec"; did you mean "rate_per_s"?`.
// It interprets the schema subset described in schema_nav.h. For a oneOf it first picks the branch
// the value is meant for (by JSON type, then by the discriminating key such as "dist"), so the
// user hears about that branch only, not about every alternative. It is the loader's only schema
// check; the tests hold it to valijson's verdict (tests/support/valijson_check.h).
#pragma once

#include <nlohmann/json.hpp>

#include "scenario/finding.h"

namespace shardsim::scenario_internal {

Findings check_against_schema(const nlohmann::json& schema, const nlohmann::json& document);

}  // namespace shardsim::scenario_internal
