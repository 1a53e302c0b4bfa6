// The report of a run as JSON: the stable, versioned structure documented in docs/metrics.md.
// The text summary is rendered from this JSON, so the two can never disagree.
#pragma once

#include <nlohmann/json.hpp>

namespace shardsim {

class Topology;

inline constexpr int kReportVersion = 1;

nlohmann::json build_report(Topology& topology, bool interrupted);

}  // namespace shardsim
