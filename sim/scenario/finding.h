// A problem found in a scenario document, before it is located in the file.
//
// Checks speak in JSON pointers only; the loader turns each Finding into a ScenarioIssue with the
// file, line and column (or the --set override the value came from).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/util/json_pointer.h"

namespace shardsim::scenario_internal {

struct Finding {
  std::string pointer;  // where: a JSON pointer into the document
  std::string message;
  bool at_key = false;  // locate the member's key rather than its value (unknown keys)
};

using Findings = std::vector<Finding>;

// Pointer building and prefix tests: shardsim/util/json_pointer.h, the one implementation.
using shardsim::child_pointer;
using shardsim::pointer_within;

}  // namespace shardsim::scenario_internal
