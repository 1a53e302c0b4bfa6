// Lookups that tolerate a document which failed validation.
//
// The semantic checks and limits run even when the schema check found problems (so the user gets
// every issue at once); they read the document through these, which answer "absent" rather than
// throw when a value is missing or has the wrong type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/util/json_pointer.h"

namespace shardsim::scenario_internal {

// The value at a JSON pointer, or nullptr (a missing member, a bad index, a path through a scalar,
// a malformed pointer): shardsim::value_at, the one pointer lookup.
using shardsim::value_at;

std::optional<double> number_at(const nlohmann::json& document, std::string_view pointer);
std::optional<std::uint64_t> count_at(const nlohmann::json& document,
                                      std::string_view pointer);  // integer >= 0
std::optional<std::string> string_at(const nlohmann::json& document, std::string_view pointer);

// The geo names of /geos when it is an array of strings, else nullopt.
std::optional<std::vector<std::string>> geo_names(const nlohmann::json& document);

}  // namespace shardsim::scenario_internal
