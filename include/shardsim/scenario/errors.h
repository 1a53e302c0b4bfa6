// What a user sees when a scenario file is wrong.
//
// Loading reports every problem it can find at once (not only the first), each with the file,
// the line and column of the offending value (or key), the JSON pointer of the place, and a
// message that says what was expected and what was found, e.g.
//
//   scenarios/x.json:12:21: error: at /workload/india/rate_per_s: expected a number >= 0, found -5
//
// A value that came from a --set override has no position in the file: its issue has line 0
// and its message ends with "(from --set PATH=VALUE)".
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace shardsim {

struct ScenarioIssue {
  std::string file;  // as the user named it
  std::string path;  // JSON pointer, e.g. /workload/india/rate_per_s ("" is the whole document)
  int line = 0;      // 1-based; 0 when there is no position (overrides, unreadable file)
  int column = 0;    // 1-based, in characters
  std::string message;
};

// One line: "FILE:LINE:COL: error: at /path: MESSAGE" ("FILE: error: ..." without a position).
std::string format_issue(const ScenarioIssue& issue);

class ScenarioError : public std::runtime_error {
 public:
  // `issues` must not be empty. what() is one format_issue() line per issue.
  explicit ScenarioError(std::vector<ScenarioIssue> issues);

  const std::vector<ScenarioIssue>& issues() const { return issues_; }

 private:
  std::vector<ScenarioIssue> issues_;
};

}  // namespace shardsim
