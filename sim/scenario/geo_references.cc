#include <fmt/format.h>

#include "scenario/json_access.h"
#include "scenario/semantic_checks.h"
#include "scenario/suggest.h"
#include "scenario/wording.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

// Maps keyed by geo name.
constexpr const char* kGeoMaps[] = {"/workload",
                                    "/network/regions",
                                    "/caches",
                                    "/slaves/per_shard_per_geo",
                                    "/failover/election/priority",
                                    "/failover/lease/priority",
                                    "/failover/orchestrator/promotion_rules"};
// Single values holding a geo name.
constexpr const char* kGeoValues[] = {"/global_master/active_geo", "/global_master/standby_geo",
                                      "/shard_masters/geo",        "/async_path/geo",
                                      "/failover/monitor_geo",     "/failover/preferred_geo"};

// The schema's pattern for a geo name, ^[a-z][a-z0-9_]*$.
bool well_formed(const std::string& name) {
  return !name.empty() && name[0] >= 'a' && name[0] <= 'z' && tidy_name(name) == name;
}

class GeoReferenceCheck {
 public:
  GeoReferenceCheck(const json& document, std::vector<std::string> geos)
      : document_(document), geos_(std::move(geos)) {}

  Findings run() {
    for (const char* map : kGeoMaps) check_map_keys(map);
    for (const char* value : kGeoValues) check_value(value);
    check_links();
    check_failures();
    check_list("/failover/sentinel/geos");
    check_list("/failover/election/arbiters");
    check_list("/failover/lease/store_geos");
    check_list("/failover/orchestrator/geos");
    return std::move(findings_);
  }

 private:
  void check_name(const std::string& pointer, const std::string& name, bool at_key) {
    if (std::find(geos_.begin(), geos_.end(), name) != geos_.end()) return;
    // Suggest well-formed names only: a geo the list spells badly ("Europe", which the schema check
    // reports) is offered as its well-formed spelling ("europe"), the one the list should have.
    std::vector<std::string> candidates;
    for (const std::string& geo : geos_) candidates.push_back(well_formed(geo) ? geo : tidy_name(geo));
    for (std::size_t i = 0; i < geos_.size(); ++i) {
      if (candidates[i] == name && candidates[i] != geos_[i]) {
        findings_.push_back({pointer,
                             fmt::format("unknown geo {}; /geos/{} spells it {}, which is not a valid geo "
                                         "name: write {} there",
                                         quote(name), i, quote(geos_[i]), quote(name)),
                             at_key});
        return;
      }
    }
    std::string hint = did_you_mean(name, candidates);
    if (hint.empty()) hint = "; the geos are " + quoted_list(geos_);
    findings_.push_back({pointer, fmt::format("unknown geo {}{}", quote(name), hint), at_key});
  }

  void check_map_keys(const std::string& pointer) {
    const json* map = value_at(document_, pointer);
    if (!map || !map->is_object()) return;
    for (const auto& [name, unused] : map->items()) check_name(child_pointer(pointer, name), name, true);
  }

  void check_value(const std::string& pointer) {
    if (const auto name = string_at(document_, pointer)) check_name(pointer, *name, false);
  }

  void check_links() {
    const json* links = value_at(document_, "/network/links");
    if (!links || !links->is_array()) return;
    for (std::size_t i = 0; i < links->size(); ++i) {
      const std::string link = child_pointer("/network/links", i);
      check_value(link + "/between/0");
      check_value(link + "/between/1");
      check_value(link + "/from");
      check_value(link + "/to");
    }
  }

  void check_failures() {
    const json* failures = value_at(document_, "/failures");
    if (!failures || !failures->is_array()) return;
    for (std::size_t i = 0; i < failures->size(); ++i) {
      const std::string failure = child_pointer("/failures", i);
      check_value(failure + "/between/0");
      check_value(failure + "/between/1");
    }
  }

  void check_list(const std::string& pointer) {
    const json* geos = value_at(document_, pointer);
    if (!geos || !geos->is_array()) return;
    for (std::size_t i = 0; i < geos->size(); ++i) check_value(child_pointer(pointer, i));
  }

  const json& document_;
  std::vector<std::string> geos_;
  Findings findings_;
};

}  // namespace

Findings check_geo_references(const json& document) {
  auto geos = geo_names(document);
  if (!geos || geos->empty()) return {};  // the schema check reports a bad geo list
  return GeoReferenceCheck(document, std::move(*geos)).run();
}

}  // namespace shardsim::scenario_internal
