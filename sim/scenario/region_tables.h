// The region tables' text, embedded at build time from data/regions/ (cmake/EmbedText.cmake).
#pragma once

#include <string_view>

namespace shardsim::scenario_internal {

// data/regions/azure_rtt_p50_ms.csv: a header `source,destination,rtt_p50_ms`, then a row per
// ordered pair of regions.
std::string_view azure_rtt_p50_ms_csv();

}  // namespace shardsim::scenario_internal
