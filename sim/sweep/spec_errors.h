// Error helpers shared by the parsers of the sweep file (sweep.cc) and of its "find" section
// (find_spec.cc): every message names the file, the JSON path and what was expected.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace shardsim::sweep::spec_internal {

// The JSON pointer of member `key` of `parent`, escaped (RFC 6901).
std::string member(const std::string& parent, const std::string& key);

// Throws SweepError: "<label>: <path>: expected <expected>[, got <value>]".
[[noreturn]] void fail(const std::string& label, const std::string& path, const std::string& expected,
                       const nlohmann::ordered_json* got = nullptr);

}  // namespace shardsim::sweep::spec_internal
