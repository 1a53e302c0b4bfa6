// --set overrides: "path=value" edits applied to the parsed document before validation.
//
// The path is dotted (workload.india.rate_per_s; array items by index: shards.0.last_key) or a
// JSON pointer (/workload/india/rate_per_s). The value is JSON, or a plain string when it does
// not parse as JSON. Missing object members along the path are created (so an override can set a
// key the file leaves to its default); an array index must exist.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/finding.h"

namespace shardsim::scenario_internal {

struct AppliedOverride {
  std::string text;     // as given: "workload.india.rate_per_s=500"
  std::string pointer;  // the shallowest node it created or replaced: nothing below has a position
};

// Applies `overrides` in order. Malformed ones (no "=", a path through a number, an index out of
// range) become findings, and the others still apply.
Findings apply_overrides(nlohmann::json& document, const std::vector<std::string>& overrides,
                         std::vector<AppliedOverride>& applied);

// " (from --set workload.india.rate_per_s=500)"
std::string from_override_suffix(const std::string& override_text);

}  // namespace shardsim::scenario_internal
