// Turning findings (JSON pointers) into issues a user can act on: file, line and column.
//
// A value's position comes from the source map; a key's too for unknown keys. A value the file
// does not contain (a default, or a missing key) is placed at its nearest ancestor that is in the
// file. A value that came from a --set override has no position: its message says which
// override it came from instead.
#pragma once

#include <string>
#include <vector>

#include "scenario/finding.h"
#include "scenario/overrides.h"
#include "scenario/source_map.h"
#include "shardsim/scenario/errors.h"

namespace shardsim::scenario_internal {

class IssueLocator {
 public:
  IssueLocator(std::string file, const SourceMap& map, std::vector<AppliedOverride> overrides)
      : file_(std::move(file)), map_(map), overrides_(std::move(overrides)) {}

  ScenarioIssue locate(const Finding& finding) const;
  // A finding that is about an override itself (its message already names it): no position.
  ScenarioIssue without_position(const Finding& finding) const;

 private:
  std::string file_;
  const SourceMap& map_;
  std::vector<AppliedOverride> overrides_;
};

// Document order (issues without a position last), without repeats.
std::vector<ScenarioIssue> sorted_issues(std::vector<ScenarioIssue> issues);

}  // namespace shardsim::scenario_internal
