// Absolute thresholds on a report's metrics (service-level objectives), checked the way k6 checks
// its thresholds: `report.slo` in the scenario, judged by `shardsim run` on the run it just made,
// and by `shardsim compare --slo FILE` on any report.json. Either exits 1 on a breach.
//
// A threshold names a metric by JSON pointer (the same reading as sweeps and compare: metric_at)
// and a min and/or max. A metric the report does not have is a breach: a misspelt pointer must
// not pass for a met objective. A metric that is null in the report (not applicable: the RPO of a
// run without a failover, the availability of a geo where nothing finished) holds, and says so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/scenario/scenario.h"

namespace shardsim {

struct SloVerdict {
  SloSpec slo;
  std::optional<double> value;  // unset: null or absent in the report
  bool present = false;         // the report has the metric (a number, a boolean or null)
  bool holds = false;
  std::string text() const;  // "/requests/india/availability = 0.9991 (min 0.999): holds"
};

std::vector<SloVerdict> check_slos(const nlohmann::json& report, const std::vector<SloSpec>& slos);
bool all_hold(const std::vector<SloVerdict>& verdicts);

// The report's "slo" section: {"ok": bool, "checks": [{"metric", "min", "max", "value", "holds"}]}.
nlohmann::json slo_section(const std::vector<SloVerdict>& verdicts);

// Thresholds from JSON: an array of {"metric", "min", "max"} objects, or an object holding one
// under "slo" (a thresholds file, or a scenario's "report"). Throws std::runtime_error naming the
// entry on a malformed one.
std::vector<SloSpec> slos_from_json(const nlohmann::json& value);

}  // namespace shardsim
