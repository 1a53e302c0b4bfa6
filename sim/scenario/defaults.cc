#include "scenario/defaults.h"

#include <algorithm>
#include <string>

#include "scenario/json_access.h"
#include "scenario/schema_nav.h"

namespace shardsim::scenario_internal {
namespace {

void fill(const json& root, const json& schema_or_ref, json& value) {
  const json& schema = resolve(root, schema_or_ref);
  if (union_branches(schema)) {
    if (const json* branch = select_branch(root, schema, value)) fill(root, *branch, value);
    return;
  }
  if (value.is_object()) {
    if (schema.contains("properties")) {
      for (const auto& [name, property] : schema["properties"].items()) {
        if (value.contains(name)) continue;
        if (const json* default_value = default_of(root, property)) value[name] = *default_value;
      }
    }
    const auto additional = schema.find("additionalProperties");
    for (auto& [name, member] : value.items()) {
      if (schema.contains("properties") && schema["properties"].contains(name)) {
        fill(root, schema["properties"][name], member);
      } else if (additional != schema.end() && additional->is_object()) {
        fill(root, *additional, member);
      }
    }
  } else if (value.is_array() && schema.contains("items") && schema["items"].is_object()) {
    for (auto& item : value) fill(root, schema["items"], item);
  }
}

// The object member `key` of `parent`, created empty when missing; nullptr if either has the
// wrong type (validation reports that).
json* object_member(json& parent, const std::string& key) {
  if (!parent.is_object()) return nullptr;
  json& member = parent[key];
  if (member.is_null()) member = json::object();
  return member.is_object() ? &member : nullptr;
}

void default_geo(json& document, const std::string& section, const std::string& key, const json& first_geo) {
  if (json* object = object_member(document, section); object && !object->contains(key))
    (*object)[key] = first_geo;
}

// Adds `entry` for every geo missing from the map at document[section]...[key].
void default_per_geo(json* map, const json& geos, const json& entry) {
  if (!map) return;
  for (const auto& geo : geos) {
    if (geo.is_string() && !map->contains(geo.get<std::string>())) (*map)[geo.get<std::string>()] = entry;
  }
}

}  // namespace

void fill_geo_defaults(const json& schema, json& document) {
  if (!document.is_object() || !document.contains("geos") || !document["geos"].is_array() ||
      document["geos"].empty() || !document["geos"][0].is_string()) {
    return;
  }
  const json geos = document["geos"];
  default_geo(document, "global_master", "active_geo", geos[0]);
  default_geo(document, "global_master", "standby_geo", geos[0]);
  default_geo(document, "shard_masters", "geo", geos[0]);
  default_geo(document, "async_path", "geo", geos[0]);
  // The failover monitor sits with the active global master, unless told otherwise (a bad
  // active_geo is reported there, not here as well).
  if (const json* active = value_at(document, "/global_master/active_geo");
      active && active->is_string() && std::find(geos.begin(), geos.end(), *active) != geos.end()) {
    default_geo(document, "failover", "monitor_geo", *active);
  }

  const json& slaves_count = schema["properties"]["slaves"]["properties"]["per_shard_per_geo"];
  json* slaves = object_member(document, "slaves");
  default_per_geo(slaves ? object_member(*slaves, "per_shard_per_geo") : nullptr, geos,
                  slaves_count["additionalProperties"]["default"]);
  default_per_geo(object_member(document, "caches"), geos, json::object());
  // A geo without clients: rate 0 (rate_per_s is required where a geo is listed).
  default_per_geo(object_member(document, "workload"), geos, json{{"rate_per_s", 0}});
}

void fill_schema_defaults(const json& schema, json& document) {
  fill(schema, schema, document);
}

}  // namespace shardsim::scenario_internal
