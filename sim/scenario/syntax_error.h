// A JSON syntax error as a ScenarioIssue: line, column, the container it is in, and a hint for
// the two classic mistakes (a trailing comma, a missing comma).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "shardsim/scenario/errors.h"

namespace shardsim::scenario_internal {

ScenarioIssue syntax_issue(std::string_view text, const std::string& file,
                           const nlohmann::json::parse_error& error);

}  // namespace shardsim::scenario_internal
