#include "shardsim/report/slo.h"

#include <stdexcept>

#include <fmt/format.h>

#include "shardsim/report/metric_at.h"
#include "shardsim/util/json_pointer.h"

namespace shardsim {
namespace {

bool present_in(const nlohmann::json& report, const std::string& pointer) {
  const nlohmann::json* value = value_at(report, pointer);
  return value != nullptr && (value->is_number() || value->is_boolean() || value->is_null());
}

std::string bounds(const SloSpec& slo) {
  if (slo.min && slo.max) return fmt::format("min {}, max {}", *slo.min, *slo.max);
  return slo.min ? fmt::format("min {}", *slo.min) : fmt::format("max {}", slo.max.value_or(0));
}

}  // namespace

std::string SloVerdict::text() const {
  const std::string shown = value ? fmt::format("{}", *value) : present ? "null" : "absent";
  const std::string verdict = holds ? (value ? "holds" : "holds (not applicable)")
                                    : (present ? "BREACHED" : "BREACHED (no such metric in the report)");
  return fmt::format("{} = {} ({}): {}", slo.metric, shown, bounds(slo), verdict);
}

std::vector<SloVerdict> check_slos(const nlohmann::json& report, const std::vector<SloSpec>& slos) {
  std::vector<SloVerdict> out;
  for (const SloSpec& slo : slos) {
    SloVerdict verdict{slo, std::nullopt, present_in(report, slo.metric), false};
    if (const auto metric = metric_at(report, slo.metric)) verdict.value = metric->value;
    verdict.holds = verdict.present && (!verdict.value || ((!slo.min || *verdict.value >= *slo.min) &&
                                                           (!slo.max || *verdict.value <= *slo.max)));
    out.push_back(verdict);
  }
  return out;
}

bool all_hold(const std::vector<SloVerdict>& verdicts) {
  for (const SloVerdict& v : verdicts)
    if (!v.holds) return false;
  return true;
}

nlohmann::json slo_section(const std::vector<SloVerdict>& verdicts) {
  nlohmann::json checks = nlohmann::json::array();
  for (const SloVerdict& v : verdicts) {
    nlohmann::json check = {{"metric", v.slo.metric}};
    if (v.slo.min) check["min"] = *v.slo.min;
    if (v.slo.max) check["max"] = *v.slo.max;
    check["value"] = v.value ? nlohmann::json(*v.value) : nlohmann::json(nullptr);
    check["present"] = v.present;
    check["holds"] = v.holds;
    checks.push_back(check);
  }
  return {{"ok", all_hold(verdicts)}, {"checks", checks}};
}

std::vector<SloSpec> slos_from_json(const nlohmann::json& value) {
  const nlohmann::json& list = value.is_object() && value.contains("slo") ? value["slo"] : value;
  if (!list.is_array())
    throw std::runtime_error("expected an array of thresholds, or an object with \"slo\"");
  std::vector<SloSpec> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& entry = list[i];
    const auto bad = [i](const std::string& why) {
      return std::runtime_error(fmt::format("slo[{}]: {}", i, why));
    };
    if (!entry.is_object() || !entry.contains("metric") || !entry["metric"].is_string())
      throw bad("expected {\"metric\": \"/json/pointer\", \"min\": N and/or \"max\": N}");
    SloSpec slo;
    slo.metric = entry["metric"].get<std::string>();
    if (!slo.metric.starts_with("/")) throw bad("the metric must be a JSON pointer starting with \"/\"");
    for (const auto& [key, bound] : entry.items()) {
      if (key == "metric") continue;
      if ((key != "min" && key != "max") || !bound.is_number())
        throw bad(fmt::format("expected \"min\" or \"max\" with a number, found \"{}\"", key));
      (key == "min" ? slo.min : slo.max) = bound.get<double>();
    }
    if (!slo.min && !slo.max) throw bad("expected a threshold: \"min\", \"max\" or both");
    out.push_back(slo);
  }
  return out;
}

}  // namespace shardsim
