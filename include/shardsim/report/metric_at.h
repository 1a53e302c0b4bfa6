// How a study reads one metric out of a report.json: sweeps aggregate it, `sweep --find` searches
// on it and `shardsim compare` judges it, and all three read it the same way.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace shardsim {

struct MetricValue {
  double value = 0;
  bool from_boolean = false;  // the report holds true/false, read as 1/0
};

// The number at JSON pointer `pointer` in `report`, or a boolean there as 1 (true) / 0 (false).
// nullopt when the pointer is malformed, names nothing, or names a string, null, object or array.
std::optional<MetricValue> metric_at(const nlohmann::json& report, std::string_view pointer);

}  // namespace shardsim
