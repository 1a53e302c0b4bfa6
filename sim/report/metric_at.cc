#include "shardsim/report/metric_at.h"

#include <nlohmann/json.hpp>

#include "shardsim/util/json_pointer.h"

namespace shardsim {

std::optional<MetricValue> metric_at(const nlohmann::json& report, std::string_view pointer) {
  const nlohmann::json* node = value_at(report, pointer);
  if (node == nullptr) return std::nullopt;
  if (node->is_boolean()) return MetricValue{node->get<bool>() ? 1.0 : 0.0, true};
  if (node->is_number()) return MetricValue{node->get<double>(), false};
  return std::nullopt;
}

}  // namespace shardsim
