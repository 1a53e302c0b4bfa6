#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "scenario/json_access.h"
#include "scenario/schema_nav.h"
#include "scenario/semantic_checks.h"
#include "scenario/wording.h"

namespace shardsim::scenario_internal {
namespace {

// "expected KEY >= OTHER (VALUE), found X" when `key` is below `other` in the object at `pointer`.
void require_not_below(const json& document, const std::string& pointer, const std::string& key,
                       const std::string& other, Findings& findings) {
  const auto low = number_at(document, pointer + "/" + other);
  const auto high = number_at(document, pointer + "/" + key);
  if (low && high && *high < *low) {
    findings.push_back({pointer + "/" + key, fmt::format("expected {} >= {} ({}), found {}", key, other,
                                                         value_at(document, pointer + "/" + other)->dump(),
                                                         value_at(document, pointer + "/" + key)->dump())});
  }
}

// An empirical table: percentiles from 0 to 100 strictly ascending, values non-decreasing.
void check_empirical(const json& table, const std::string& pointer, Findings& findings) {
  for (const auto& point : table) {
    if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_number()) return;
  }
  if (table.empty()) return;
  if (table.front()[0].get<double>() != 0) {
    findings.push_back({pointer + "/0/0", fmt::format("expected the first percentile to be 0, found {}",
                                                      table.front()[0].dump())});
  }
  for (std::size_t i = 1; i < table.size(); ++i) {
    const std::string point = child_pointer(pointer, i);
    if (table[i][0].get<double>() <= table[i - 1][0].get<double>()) {
      findings.push_back({point + "/0", fmt::format("expected a percentile > {} (the previous one), found {}",
                                                    table[i - 1][0].dump(), table[i][0].dump())});
    }
    if (table[i][1].get<double>() < table[i - 1][1].get<double>()) {
      findings.push_back({point + "/1", fmt::format("expected a value >= {} (the previous one), found {}",
                                                    table[i - 1][1].dump(), table[i][1].dump())});
    }
  }
  if (table.back()[0].get<double>() != 100) {
    findings.push_back(
        {child_pointer(pointer, table.size() - 1) + "/0",
         fmt::format("expected the last percentile to be 100, found {}", table.back()[0].dump())});
  }
}

void check_steps(const json& document, const std::string& pointer, Findings& findings) {
  const json* steps = value_at(document, pointer + "/steps");
  if (!steps || !steps->is_array()) return;
  for (std::size_t i = 1; i < steps->size(); ++i) {
    const std::string step = child_pointer(pointer + "/steps", i);
    const auto previous = number_at(document, child_pointer(pointer + "/steps", i - 1) + "/from_s");
    const auto from = number_at(document, step + "/from_s");
    if (previous && from && *from <= *previous) {
      findings.push_back(
          {step + "/from_s", fmt::format("expected from_s > {} (the previous step's), found {}",
                                         (*steps)[i - 1]["from_s"].dump(), (*steps)[i]["from_s"].dump())});
    }
  }
}

void check_mixture(const json& components, const std::string& pointer, Findings& findings) {
  double total = 0;
  for (const json& c : components) {
    if (!c.is_object() || !c.contains("weight") || !c["weight"].is_number()) return;  // the schema reports it
    total += c["weight"].get<double>();
  }
  if (std::abs(total - 1) > 1e-9) {
    findings.push_back(
        {pointer, fmt::format("expected the weights to sum to 1, found {}; scale them", total)});
  }
}

// Presets are in milliseconds: the key they sit under (past any mixture's components) must say so.
void check_preset_unit(const std::string& pointer, Findings& findings) {
  std::string owner = pointer;
  for (;;) {
    const auto law = owner.rfind("/law");
    if (law == std::string::npos || law + 4 != owner.size()) break;
    owner = owner.substr(0, owner.rfind("/components/", law));
  }
  const std::string key = owner.substr(owner.rfind('/') + 1);
  if (key.size() < 3 || key.compare(key.size() - 3, 3, "_ms") != 0) {
    findings.push_back(
        {pointer + "/dist", fmt::format("a preset is in milliseconds, but {} is not a _ms key; use "
                                        "the preset under a key ending in _ms, or give the law",
                                        quote(key))});
  }
}

}  // namespace

Findings check_distribution_parameters(const json& schema, const json& document) {
  Findings findings;
  visit_definition_uses(
      schema, document, "#/definitions/distribution", [&](const std::string& pointer, const json& value) {
        const auto dist = string_at(value, "/dist");
        if (dist == "uniform") require_not_below(document, pointer, "max", "min", findings);
        if (dist == "lognormal") require_not_below(document, pointer, "p99", "median", findings);
        if (dist == "empirical" && value.contains("percentiles") && value["percentiles"].is_array()) {
          check_empirical(value["percentiles"], pointer + "/percentiles", findings);
        }
        if (dist == "mixture" && value.contains("components") && value["components"].is_array()) {
          check_mixture(value["components"], pointer + "/components", findings);
        }
        if (dist == "preset") check_preset_unit(pointer, findings);
      });
  return findings;
}

Findings check_time_relations(const json& schema, const json& document) {
  Findings findings;
  visit_definition_uses(schema, document, "#/definitions/load_shape",
                        [&](const std::string& pointer, const json& value) {
                          if (string_at(value, "/kind") == "steps") check_steps(document, pointer, findings);
                        });
  const auto duration = number_at(document, "/duration_s");
  const auto warmup = number_at(document, "/report/warmup_s");
  // A duration that is itself out of range has its own finding; comparing against it adds noise.
  if (duration && *duration > 0 && warmup && *warmup >= *duration) {
    findings.push_back({"/report/warmup_s", fmt::format("expected warmup_s < duration_s ({}), found {}",
                                                        value_at(document, "/duration_s")->dump(),
                                                        value_at(document, "/report/warmup_s")->dump())});
  }
  return findings;
}

std::vector<LinkDirection> explicit_link_directions(const json& document) {
  std::vector<LinkDirection> out;
  const json* links = value_at(document, "/network/links");
  if (!links || !links->is_array()) return out;
  for (std::size_t i = 0; i < links->size(); ++i) {
    const std::string link = child_pointer("/network/links", i);
    const bool sets_latency = value_at(document, link + "/latency_ms") != nullptr;
    if (auto a = string_at(document, link + "/between/0"), b = string_at(document, link + "/between/1");
        a && b) {
      out.push_back({*a, *b, link, sets_latency});
      out.push_back({*b, *a, link, sets_latency});
    } else if (auto from = string_at(document, link + "/from"), to = string_at(document, link + "/to");
               from && to) {
      out.push_back({*from, *to, link, sets_latency});
    }
  }
  return out;
}

Findings check_link_directions(const json& document) {
  Findings findings;
  std::map<std::pair<std::string, std::string>, std::string> seen;  // direction -> link that set it
  std::string reported;                                             // one finding per link
  for (const LinkDirection& direction : explicit_link_directions(document)) {
    const auto [it, inserted] = seen.emplace(std::pair(direction.from, direction.to), direction.link);
    if (!inserted && it->second != direction.link && reported != direction.link) {
      reported = direction.link;
      findings.push_back(
          {direction.link, fmt::format("expected each direction to be set once, found {} -> {} again (first "
                                       "set by {})",
                                       direction.from, direction.to, it->second)});
    }
  }
  return findings;
}

Findings check_slo_thresholds(const json& document) {
  Findings findings;
  const json* slos = value_at(document, "/report/slo");
  if (!slos || !slos->is_array()) return findings;
  for (std::size_t i = 0; i < slos->size(); ++i) {
    const std::string slo = child_pointer("/report/slo", i);
    const auto metric = string_at(document, slo + "/metric");
    if (metric && !metric->starts_with("/")) {
      findings.push_back(
          {slo + "/metric", fmt::format("expected a JSON pointer into report.json, starting with "
                                        "\"/\" (such as \"/requests/india/availability\"), "
                                        "found {}",
                                        quote(*metric))});
    }
    const json* min = value_at(document, slo + "/min");
    const json* max = value_at(document, slo + "/max");
    if (!min && !max) {
      findings.push_back({slo, "expected a threshold: \"min\", \"max\" or both"});
    } else if (min && max && min->is_number() && max->is_number() &&
               min->get<double>() > max->get<double>()) {
      findings.push_back(
          {slo + "/max", fmt::format("expected max >= min ({}), found {}", min->dump(), max->dump())});
    }
  }
  return findings;
}

Findings check_semantics(const json& schema, const json& document) {
  Findings findings;
  for (Findings part :
       {check_geo_references(document), check_shard_ranges(document),
        check_distribution_parameters(schema, document), check_time_relations(schema, document),
        check_link_directions(document), check_region_bindings(document), check_slo_thresholds(document),
        check_failures(document)}) {
    findings.insert(findings.end(), std::make_move_iterator(part.begin()),
                    std::make_move_iterator(part.end()));
  }
  return findings;
}

}  // namespace shardsim::scenario_internal
