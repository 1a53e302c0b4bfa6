// Resource limits, checked before anything is built, so that no scenario can exhaust memory or
// run forever. Limits on single values (geos, keys, servers, queue capacities, vnodes, duration,
// sample interval...) are in the schema as maximum/minimum with an "x-limit" name; the ones here
// bound products and sums of several values, which a schema cannot express.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scenario/finding.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim::scenario_internal {

inline constexpr std::size_t kMaxScenarioFileBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kMaxNestingDepth = 64;
// Values in a scenario text (counted from its separators before parsing). The largest arrays the
// schema allows hold 10^5 items; a free-form field of 33 million numbers took 7 GB to validate.
inline constexpr std::size_t kMaxJsonValues = 2'000'000;
inline constexpr double kMaxTotalSlaves = 100'000;
inline constexpr double kMaxRingPoints = 10'000'000;
inline constexpr double kMaxTotalCacheKeys = 100'000'000;
// Keys with state in the replication logs: the whole key space when keys.state is dense (24 bytes
// each, 2.4 GB at the limit), at most the writes of the run when sparse (about 60 bytes each).
inline constexpr double kMaxDenseKeys = 100'000'000;
inline constexpr double kMaxSparseWrittenKeys = 100'000'000;
inline constexpr double kMaxExpectedRequests = 10'000'000'000.0;
// Requests waiting at once in every queue and server (about 2 GB at ~100 bytes each).
inline constexpr double kMaxQueuedRequests = 20'000'000;
inline constexpr double kMaxSamples = 10'000'000;
// Events a run is expected to schedule (about 3 CPU hours at this project's ~10 M events per CPU
// second, docs/performance.md): each request at most kEventsPerRequest (a read miss with a DNS
// lookup; tools/bench/model_limit.py measures 3 to 13 without DNS), plus every replication
// stream's batch timer, which ticks whether or not there is anything to ship.
inline constexpr double kMaxExpectedEvents = 100'000'000'000.0;
inline constexpr double kEventsPerRequest = 16;
inline constexpr double kMaxExpectedRandomCrashes = 100'000;
// Sentinel state: each sentinel keeps a view and four timers per watched node (about 250 bytes), and
// what each other sentinel said of it (32 bytes).
inline constexpr double kMaxSentinelViews = 1'000'000;           // sentinels x watched nodes
inline constexpr double kMaxSentinelOpinions = 10'000'000;       // sentinels^2 x watched nodes
inline constexpr double kMaxElectionHeartbeatPairs = 1'000'000;  // members^2 over replica sets
inline constexpr double kMaxRetainedLogEntries = static_cast<double>(ReplicationSpec::kMaxRetainedEntries);

// A limit on the text itself (size, nesting), checked before parsing.
struct TextLimitViolation {
  std::size_t offset = 0;  // where in the text
  std::string message;
};
std::optional<TextLimitViolation> check_text_limits(std::string_view text);

// Limits on totals, on a document with defaults filled in (tolerates invalid values).
Findings check_total_limits(const nlohmann::json& document);

}  // namespace shardsim::scenario_internal
