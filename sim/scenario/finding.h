// A problem found in a scenario document, before it is located in the file.
//
// Checks speak in JSON pointers only; the loader turns each Finding into a ScenarioIssue with the
// file, line and column (or the --set override the value came from).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim::scenario_internal {

struct Finding {
  std::string pointer;  // where: a JSON pointer into the document
  std::string message;
  bool at_key = false;  // locate the member's key rather than its value (unknown keys)
};

using Findings = std::vector<Finding>;

// The JSON pointer of member `key` (escaped per RFC 6901) or item `index` of `parent`.
std::string child_pointer(const std::string& parent, std::string_view key);
std::string child_pointer(const std::string& parent, std::size_t index);

// True when `pointer` is `ancestor` or lies below it.
bool pointer_within(std::string_view pointer, std::string_view ancestor);

}  // namespace shardsim::scenario_internal
