#include "shardsim/scenario/loader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "scenario/defaults.h"
#include "scenario/issue_locator.h"
#include "scenario/limits.h"
#include "scenario/overrides.h"
#include "scenario/scenario_builder.h"
#include "scenario/schema_check.h"
#include "scenario/semantic_checks.h"
#include "scenario/source_map.h"
#include "scenario/syntax_error.h"
#include "shardsim/util/input_file.h"

namespace shardsim {
namespace {

using nlohmann::json;
using namespace scenario_internal;

// More issues than this are one mistake repeated, or a file that is not a scenario: the first
// ones are enough (and locating each one costs a scan of its line).
constexpr std::size_t kMaxIssues = 100;

[[noreturn]] void fail(const std::string& file, const std::string& message) {
  throw ScenarioError({ScenarioIssue{file, "", 0, 0, message}});
}

void append(Findings& to, Findings from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

json parse_document(std::string_view text, const std::string& file) {
  if (const auto violation = check_text_limits(text)) {
    const TextPosition where = LineIndex(text).at(violation->offset);
    throw ScenarioError({ScenarioIssue{file, "", where.line, where.column, violation->message}});
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    throw ScenarioError({syntax_issue(text, file, error)});
  } catch (const json::out_of_range& error) {
    throw ScenarioError({number_range_issue(text, file, error)});
  }
}

// Every check, on the document as it will be built. The schema check comes first; the others
// read the document defensively, so they run (and report) even when it failed.
Findings check_document(json& document) {
  const json& schema = scenario_schema();
  Findings findings = check_against_schema(schema, document);
  fill_geo_defaults(schema, document);
  fill_schema_defaults(schema, document);
  append(findings, check_semantics(schema, document));
  append(findings, check_total_limits(document));
  return findings;
}

}  // namespace

Scenario load_scenario_text(std::string_view json_text, const std::string& file_label,
                            const LoadOptions& options) {
  json document = parse_document(json_text, file_label);
  const SourceMap map(json_text);
  std::vector<AppliedOverride> applied;
  const Findings override_findings = apply_overrides(document, options.overrides, applied);
  if (options.seed_override && document.is_object()) document["seed"] = *options.seed_override;

  const IssueLocator locator(file_label, map, applied);
  const IssueLocator file_locator(file_label, map, {});  // duplicate keys are in the file, whatever --set did
  std::vector<ScenarioIssue> issues;
  std::size_t not_shown = 0;
  const auto add = [&](const IssueLocator& by, const Finding& finding, bool positioned) {
    if (issues.size() == kMaxIssues) return void(++not_shown);
    issues.push_back(positioned ? by.locate(finding) : by.without_position(finding));
  };
  for (const auto& finding : map.duplicate_keys()) add(file_locator, finding, true);
  for (const auto& finding : override_findings) add(locator, finding, false);
  for (const auto& finding : check_document(document)) add(locator, finding, true);
  if (!issues.empty()) {
    issues = sorted_issues(std::move(issues));
    if (not_shown > 0) {
      issues.push_back({file_label, "", 0, 0,
                        fmt::format("{} more issue{} not shown (the first {} are above)", not_shown,
                                    not_shown == 1 ? "" : "s", kMaxIssues)});
    }
    throw ScenarioError(std::move(issues));
  }
  return build_scenario(document);
}

Scenario load_scenario_file(const std::string& path, const LoadOptions& options) {
  const InputFile file = read_input_file(path, kMaxScenarioFileBytes, "scenario file");
  if (!file.error.empty()) fail(path, file.error);
  return load_scenario_text(file.text, path, options);
}

const json& scenario_schema() {
  static const json schema = json::parse(scenario_schema_text());
  return schema;
}

}  // namespace shardsim
