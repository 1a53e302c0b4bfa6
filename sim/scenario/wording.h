// The words of error messages: how values, choices and suggestions are written.
//
// Every message follows the pattern "expected X, found Y"; these helpers write the Y (and the
// quoted lists in the X) the same way everywhere.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim::scenario_internal {

// A value as the user wrote it: numbers and strings as JSON (`-5`, `"lru"`), containers by kind
// (`an object`, `an array`). Long strings are shortened.
std::string describe_value(const nlohmann::json& value);

// `"a"`, `"a", "b", "c"`: each item as a JSON string.
std::string quote(const std::string& text);
std::string quoted_list(const std::vector<std::string>& items);

// "; did you mean "x"?" for the candidate closest to `word`, or "" when none is close enough.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace shardsim::scenario_internal
