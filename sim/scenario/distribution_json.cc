#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario_builder.h"
#include "shardsim/random/latency_presets.h"

namespace shardsim::scenario_internal {

using nlohmann::json;

Distribution distribution_from_json(const json& value) {
  if (value.is_number()) return Distribution::constant(value.get<double>());
  const std::string& dist = value.at("dist").get_ref<const std::string&>();
  if (dist == "constant") return Distribution::constant(value.at("value").get<double>());
  if (dist == "uniform")
    return Distribution::uniform(value.at("min").get<double>(), value.at("max").get<double>());
  if (dist == "exponential") return Distribution::exponential(value.at("mean").get<double>());
  if (dist == "normal")
    return Distribution::normal(value.at("mean").get<double>(), value.at("stddev").get<double>());
  if (dist == "lognormal") {
    return Distribution::lognormal(value.at("median").get<double>(), value.at("p99").get<double>());
  }
  if (dist == "pareto")
    return Distribution::pareto(value.at("scale").get<double>(), value.at("shape").get<double>());
  if (dist == "preset")
    return *latency_preset(value.at("name").get<std::string>());  // the schema checks the name
  if (dist == "mixture") {
    std::vector<double> weights;
    std::vector<Distribution> components;
    for (const auto& component : value.at("components")) {
      weights.push_back(component.at("weight").get<double>());
      components.push_back(distribution_from_json(component.at("law")));
    }
    return Distribution::mixture(std::move(weights), std::move(components));
  }
  std::vector<std::pair<double, double>> table;
  for (const auto& point : value.at("percentiles"))
    table.emplace_back(point[0].get<double>(), point[1].get<double>());
  return Distribution::empirical(std::move(table));
}

KeyPopularity key_popularity_from_json(const json& value, std::uint64_t key_count) {
  const std::string& dist = value.at("dist").get_ref<const std::string&>();
  KeyPopularity popularity = dist == "uniform" ? KeyPopularity::uniform(key_count)
                             : dist == "zipf"
                                 ? KeyPopularity::zipf(key_count, value.at("exponent").get<double>())
                                 : KeyPopularity::hot_set(key_count, value.at("hot_fraction").get<double>(),
                                                          value.at("hot_share").get<double>());
  const auto placement = value.at("placement") == "contiguous" ? KeyPopularity::Placement::kContiguous
                                                               : KeyPopularity::Placement::kScattered;
  popularity.place(placement, value.at("salt").get<std::uint64_t>());
  return popularity;
}

LoadShapeSpec load_shape_from_json(const json& value) {
  LoadShapeSpec shape;
  const std::string& kind = value.at("kind").get_ref<const std::string&>();
  if (kind == "steps") {
    shape.kind = LoadShapeSpec::Kind::kSteps;
    for (const auto& step : value.at("steps")) {
      shape.steps.emplace_back(from_s(step.at("from_s").get<double>()), step.at("multiplier").get<double>());
    }
  } else if (kind == "daily") {
    shape.kind = LoadShapeSpec::Kind::kDaily;
    shape.daily_amplitude = value.at("amplitude").get<double>();
    shape.daily_period = from_s(value.at("period_s").get<double>());
    shape.daily_peak = from_s(value.at("peak_s").get<double>());
  } else if (kind == "spike") {
    shape.kind = LoadShapeSpec::Kind::kSpike;
    shape.spike_at = from_s(value.at("at_s").get<double>());
    shape.spike_length = from_s(value.at("length_s").get<double>());
    shape.spike_multiplier = value.at("multiplier").get<double>();
  }
  return shape;
}

}  // namespace shardsim::scenario_internal
