#include "scenario/json_access.h"

#include "shardsim/util/json_pointer.h"

namespace shardsim::scenario_internal {

using nlohmann::json;

std::optional<double> number_at(const json& document, std::string_view pointer) {
  const json* value = value_at(document, pointer);
  if (!value || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

std::optional<std::uint64_t> count_at(const json& document, std::string_view pointer) {
  const json* value = value_at(document, pointer);
  if (!value || !value->is_number_integer()) return std::nullopt;
  if (!value->is_number_unsigned() && value->get<std::int64_t>() < 0) return std::nullopt;
  return value->get<std::uint64_t>();
}

std::optional<std::string> string_at(const json& document, std::string_view pointer) {
  const json* value = value_at(document, pointer);
  if (!value || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

std::optional<std::vector<std::string>> geo_names(const json& document) {
  const json* geos = value_at(document, "/geos");
  if (!geos || !geos->is_array()) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& geo : *geos) {
    if (!geo.is_string()) return std::nullopt;
    names.push_back(geo.get<std::string>());
  }
  return names;
}

}  // namespace shardsim::scenario_internal
