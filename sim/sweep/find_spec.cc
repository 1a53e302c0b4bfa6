// Parsing and validating the "find" section of a sweep file.
#include <cmath>

#include <fmt/format.h>

#include "shardsim/sweep/sweep.h"
#include "shardsim/util/json_pointer.h"
#include "sweep/spec_errors.h"

namespace shardsim::sweep {

namespace {

using ojson = nlohmann::ordered_json;
using spec_internal::fail;

constexpr const char* kWhere = "/find";

std::string at(const char* key) {
  return spec_internal::member(kWhere, key);
}

double finite_number(const ojson& section, const char* key, const std::string& label, const char* expected) {
  if (!section.contains(key) || !section[key].is_number() || !std::isfinite(section[key].get<double>())) {
    fail(label, at(key), expected, section.contains(key) ? &section[key] : nullptr);
  }
  return section[key].get<double>();
}

std::vector<std::string> parameter_paths(const ojson& section, const std::string& label) {
  const char* expected = "a scenario path, or an array of paths that all take the probed value";
  if (!section.contains("parameter")) fail(label, at("parameter"), expected);
  const ojson& p = section["parameter"];
  std::vector<std::string> paths;
  if (p.is_string()) paths.push_back(p.get<std::string>());
  if (p.is_array()) {
    for (const ojson& item : p) {
      if (!item.is_string()) fail(label, at("parameter"), expected, &p);
      paths.push_back(item.get<std::string>());
    }
  }
  if (paths.empty()) fail(label, at("parameter"), expected, &p);
  for (const std::string& path : paths) {
    if (path.empty()) fail(label, at("parameter"), expected, &p);
  }
  return paths;
}

void parse_range(const ojson& section, const std::string& label, FindSpec& find) {
  const char* expected = "[low, high], two finite numbers with low < high";
  if (!section.contains("range") || !section["range"].is_array() || section["range"].size() != 2 ||
      !section["range"][0].is_number() || !section["range"][1].is_number()) {
    fail(label, at("range"), expected, section.contains("range") ? &section["range"] : nullptr);
  }
  find.low = section["range"][0].get<double>();
  find.high = section["range"][1].get<double>();
  if (!std::isfinite(find.low) || !std::isfinite(find.high) || !(find.low < find.high)) {
    fail(label, at("range"), expected, &section["range"]);
  }
  if (find.integer && (find.low != std::floor(find.low) || find.high != std::floor(find.high))) {
    fail(label, at("range"), "integer bounds (\"integer\": true)", &section["range"]);
  }
}

void parse_condition(const ojson& section, const std::string& label, FindSpec& find) {
  if (!section.contains("metric") || !section["metric"].is_string() ||
      !section["metric"].get<std::string>().starts_with('/')) {
    fail(label, at("metric"), "a JSON pointer into report.json such as \"/requests/india/availability\"",
         section.contains("metric") ? &section["metric"] : nullptr);
  }
  find.metric = section["metric"].get<std::string>();
  if (!split_json_pointer(find.metric)) {
    fail(label, at("metric"), "a valid JSON pointer (RFC 6901)", &section["metric"]);
  }
  const bool most = section.contains("at_most"), least = section.contains("at_least");
  if (most == least)
    fail(label, kWhere, "exactly one of \"at_most\" and \"at_least\" (the bound on the metric)");
  find.at_most = most;
  find.bound = finite_number(section, most ? "at_most" : "at_least", label, "a finite number");
}

void parse_goal(const ojson& section, const std::string& label, FindSpec& find) {
  const char* expected = "\"highest\" or \"lowest\" (the value that still meets the condition)";
  if (!section.contains("goal") || !section["goal"].is_string()) {
    fail(label, at("goal"), expected, section.contains("goal") ? &section["goal"] : nullptr);
  }
  const std::string goal = section["goal"].get<std::string>();
  if (goal != "highest" && goal != "lowest") fail(label, at("goal"), expected, &section["goal"]);
  find.goal = goal == "highest" ? FindSpec::Goal::kHighest : FindSpec::Goal::kLowest;
}

void parse_search_limits(const ojson& section, const std::string& label, FindSpec& find) {
  if (section.contains("confidence")) {
    find.confidence = finite_number(section, "confidence", label, "a number in [0.5, 0.9999]");
    if (find.confidence < 0.5 || find.confidence > 0.9999) {
      fail(label, at("confidence"), "a number in [0.5, 0.9999]", &section["confidence"]);
    }
  }
  // Default: 1/64 of the range, six or so halvings.
  find.tolerance = find.integer ? 1.0 : (find.high - find.low) / 64;
  if (section.contains("tolerance")) {
    find.tolerance = finite_number(section, "tolerance", label, "a positive number");
    if (!(find.tolerance > 0)) fail(label, at("tolerance"), "a positive number", &section["tolerance"]);
    if (find.integer) find.tolerance = std::max(1.0, std::floor(find.tolerance));
  }
  if (section.contains("max_replications")) {
    const ojson& m = section["max_replications"];
    if (!m.is_number_unsigned() || m.get<std::uint64_t>() < 2 || m.get<std::uint64_t>() > 10'000) {
      fail(label, at("max_replications"), "an integer in [2, 10000]", &m);
    }
    find.max_replications = m.get<std::uint64_t>();
  }
}

}  // namespace

FindSpec parse_find(const ojson& section, const std::string& label) {
  if (!section.is_object()) fail(label, kWhere, "an object", &section);
  static const char* const kKeys[] = {"parameter", "range",    "integer",    "goal",      "metric",
                                      "at_most",   "at_least", "confidence", "tolerance", "max_replications"};
  for (const auto& [key, value] : section.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known) {
      fail(label, spec_internal::member(kWhere, key),
           "one of the keys parameter, range, integer, goal, metric, at_most, at_least, confidence, "
           "tolerance, max_replications (unknown key)");
    }
  }
  FindSpec find;
  find.paths = parameter_paths(section, label);
  if (section.contains("integer")) {
    if (!section["integer"].is_boolean()) fail(label, at("integer"), "true or false", &section["integer"]);
    find.integer = section["integer"].get<bool>();
  }
  parse_range(section, label, find);
  parse_goal(section, label, find);
  parse_condition(section, label, find);
  parse_search_limits(section, label, find);
  return find;
}

ojson to_json(const FindSpec& find) {
  ojson section;
  section["parameter"] = find.paths;
  section["range"] = {find.low, find.high};
  section["integer"] = find.integer;
  section["goal"] = find.goal == FindSpec::Goal::kHighest ? "highest" : "lowest";
  section["metric"] = find.metric;
  section[find.at_most ? "at_most" : "at_least"] = find.bound;
  section["confidence"] = find.confidence;
  section["tolerance"] = find.tolerance;
  if (find.max_replications > 0) section["max_replications"] = find.max_replications;
  return section;
}

}  // namespace shardsim::sweep
