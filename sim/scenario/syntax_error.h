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

// A number too large for a double (1e400): nlohmann's parser throws out_of_range 406 for it,
// naming the number but not its position, which is the first such number outside a string.
ScenarioIssue number_range_issue(std::string_view text, const std::string& file,
                                 const nlohmann::json::out_of_range& error);

}  // namespace shardsim::scenario_internal
