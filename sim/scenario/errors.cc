#include "shardsim/scenario/errors.h"

#include <fmt/format.h>

namespace shardsim {
namespace {

std::string format_all(const std::vector<ScenarioIssue>& issues) {
  std::string out;
  for (const auto& issue : issues) {
    if (!out.empty()) out += '\n';
    out += format_issue(issue);
  }
  return out;
}

}  // namespace

std::string format_issue(const ScenarioIssue& issue) {
  const std::string path = issue.path.empty() ? "/" : issue.path;
  if (issue.line <= 0) return fmt::format("{}: error: at {}: {}", issue.file, path, issue.message);
  return fmt::format("{}:{}:{}: error: at {}: {}", issue.file, issue.line, issue.column, path, issue.message);
}

ScenarioError::ScenarioError(std::vector<ScenarioIssue> issues)
    : std::runtime_error(format_all(issues)), issues_(std::move(issues)) {}

}  // namespace shardsim
