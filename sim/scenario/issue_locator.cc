#include "scenario/issue_locator.h"

#include <algorithm>
#include <tuple>

namespace shardsim::scenario_internal {

ScenarioIssue IssueLocator::locate(const Finding& finding) const {
  // The last override that wrote this place (or an ancestor of it) decides.
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
    if (pointer_within(finding.pointer, it->pointer)) {
      return {file_, finding.pointer, 0, 0, finding.message + from_override_suffix(it->text)};
    }
  }
  std::optional<TextPosition> position =
      finding.at_key ? map_.key_position(finding.pointer) : map_.value_position(finding.pointer);
  for (std::string ancestor = finding.pointer; !position && !ancestor.empty();) {
    ancestor.erase(ancestor.rfind('/'));
    position = map_.value_position(ancestor);
  }
  const TextPosition where = position.value_or(TextPosition{});
  return {file_, finding.pointer, where.line, where.column, finding.message};
}

ScenarioIssue IssueLocator::without_position(const Finding& finding) const {
  return {file_, finding.pointer, 0, 0, finding.message};
}

std::vector<ScenarioIssue> sorted_issues(std::vector<ScenarioIssue> issues) {
  const auto order = [](const ScenarioIssue& issue) {
    return std::make_tuple(issue.line == 0, issue.line, issue.column);
  };
  std::stable_sort(issues.begin(), issues.end(),
                   [&order](const ScenarioIssue& a, const ScenarioIssue& b) { return order(a) < order(b); });
  const auto same = [](const ScenarioIssue& a, const ScenarioIssue& b) {
    return a.line == b.line && a.column == b.column && a.path == b.path && a.message == b.message;
  };
  issues.erase(std::unique(issues.begin(), issues.end(), same), issues.end());
  return issues;
}

}  // namespace shardsim::scenario_internal
