// The machine-readable forms of `shardsim compare`'s verdict, beside the text table
// (render_comparison): JSON for scripts, JUnit XML for CI dashboards (Jenkins, GitLab, GitHub
// test reporters), one test case per compared metric and per threshold.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/report/compare.h"
#include "shardsim/report/slo.h"

namespace shardsim {

// {"ok", "counts": {status: n}, "metrics": [{"metric", "baseline", "current", "status"}],
//  "slo": {"ok", "checks": [...]}}: every metric, whatever its status.
nlohmann::json comparison_json(const Comparison& comparison, const std::vector<SloVerdict>& slos);

// A <testsuites> document: suite "metrics" (a regressed metric is a <failure>, a missing one
// <skipped>) and suite "slo" (a breached threshold is a <failure>). Text is XML-escaped.
std::string comparison_junit(const Comparison& comparison, const std::vector<SloVerdict>& slos);

// The thresholds' lines for the text form ("SLOs: met (2 of 2 hold)" and one line each).
std::string render_slo_verdicts(const std::vector<SloVerdict>& slos);

}  // namespace shardsim
