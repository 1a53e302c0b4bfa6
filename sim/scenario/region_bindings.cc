// Checks of network.regions: the references resolve in the shipped tables.
#include <map>
#include <set>

#include <fmt/format.h>

#include "scenario/json_access.h"
#include "scenario/semantic_checks.h"
#include "scenario/wording.h"
#include "shardsim/scenario/region_catalog.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

std::vector<std::string> provider_names() {
  std::vector<std::string> names;
  for (const RegionDataset& dataset : region_datasets()) names.push_back(dataset.provider());
  return names;
}

// The dataset and region a binding names, or the finding that says why it names none.
std::optional<std::string> resolve(const std::string& pointer, const std::string& text, Findings& findings) {
  const auto ref = parse_region_ref(text);
  if (!ref) {
    findings.push_back({pointer, fmt::format("expected \"provider:region\", such as \"azure:centralindia\", "
                                             "found {} (shardsim regions lists the shipped tables)",
                                             quote(text))});
    return std::nullopt;
  }
  const RegionDataset* dataset = find_region_dataset(ref->provider);
  if (!dataset) {
    findings.push_back(
        {pointer, fmt::format("unknown region table {}{}; the shipped tables are {}", quote(ref->provider),
                              did_you_mean(ref->provider, provider_names()), quoted_list(provider_names()))});
    return std::nullopt;
  }
  if (!dataset->has_region(ref->region)) {
    std::string hint = did_you_mean(ref->region, dataset->regions());
    if (hint.empty())
      hint = fmt::format(" (shardsim regions {} lists its {} regions)", ref->provider,
                         dataset->regions().size());
    findings.push_back(
        {pointer, fmt::format("unknown {} region {}{}", ref->provider, quote(ref->region), hint)});
    return std::nullopt;
  }
  return ref->provider + ":" + ref->region;
}

}  // namespace

Findings check_region_bindings(const json& document) {
  Findings findings;
  const json* regions = value_at(document, "/network/regions");
  if (!regions || !regions->is_object()) return findings;
  std::map<std::string, std::string> region_of;  // geo -> resolved "provider:region"
  for (const auto& [geo, value] : regions->items()) {
    if (!value.is_string()) continue;  // the schema check reports it
    if (auto resolved = resolve(child_pointer("/network/regions", geo), value.get<std::string>(), findings))
      region_of[geo] = *resolved;
  }
  std::set<std::pair<std::string, std::string>> explicit_directions;
  for (const LinkDirection& direction : explicit_link_directions(document))
    if (direction.sets_latency) explicit_directions.emplace(direction.from, direction.to);
  for (auto a = region_of.begin(); a != region_of.end(); ++a) {
    for (auto b = std::next(a); b != region_of.end(); ++b) {
      if (explicit_directions.count({a->first, b->first}) && explicit_directions.count({b->first, a->first}))
        continue;
      const std::string where = child_pointer("/network/regions", b->first);
      if (a->second == b->second) {
        findings.push_back(
            {where, fmt::format("expected geos in different regions, found {} and {} both in {} "
                                "(the tables hold no round trip of a region with itself): bind "
                                "one elsewhere, or set their latency in network.links",
                                quote(a->first), quote(b->first), a->second)});
      } else if (parse_region_ref(a->second)->provider != parse_region_ref(b->second)->provider) {
        findings.push_back(
            {where, fmt::format("expected geos {} and {} in one provider's regions, found {} and "
                                "{} (no table spans providers): set their latency in "
                                "network.links",
                                quote(a->first), quote(b->first), a->second, b->second)});
      }
    }
  }
  return findings;
}

}  // namespace shardsim::scenario_internal
