// A second opinion for the tests: valijson, a general JSON Schema validator, on the same document
// and schema.
//
// The loader has one checking path, its own (scenario/schema_check.h), so every finding reaches
// the user in one voice, with a position. The tests hold that checker to valijson's verdict
// (schema_agreement_test.cc, good_scenarios_test.cc); valijson is not part of the program.
#pragma once

#include <nlohmann/json.hpp>

#include "scenario/finding.h"

namespace shardsim::scenario_internal {

Findings check_with_valijson(const nlohmann::json& document);

}  // namespace shardsim::scenario_internal
