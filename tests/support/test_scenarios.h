// Small, hand-checkable scenarios for tests: a base deployment (two geos "east" and "west", 100
// keys in two shards, constant latencies and service times) that each test patches with a JSON
// merge patch, loaded through the real loader.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "shardsim/scenario/loader.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim::testing {

inline nlohmann::json base_scenario_json() {
  return nlohmann::json::parse(R"({
    "name": "test", "seed": 7, "duration_s": 20,
    "geos": ["east", "west"],
    "network": {"intra_geo_latency_ms": 0.5, "inter_geo_latency_ms": 20},
    "keys": {"first": 1, "count": 100, "value_bytes": 100},
    "shards": {"shard_count": 2},
    "global_master": {"active_geo": "east", "standby_geo": "east",
                      "node": {"servers": 8, "queue_capacity": 10000, "service_ms": 1}},
    "shard_masters": {"geo": "east"},
    "slaves": {"per_shard_per_geo": {"east": 1, "west": 1},
               "node": {"servers": 8, "queue_capacity": 10000, "service_ms": 1}},
    "caches": {"east": {"nodes": 1, "capacity_keys_per_node": 1000, "ttl_s": 1000},
               "west": {"nodes": 1, "capacity_keys_per_node": 1000, "ttl_s": 1000}},
    "replication": {
      "master_to_standby": {"batch_interval_ms": 10, "max_batch_entries": 1000, "apply_ms_per_entry": 0},
      "master_to_shard_master": {"batch_interval_ms": 10, "max_batch_entries": 1000, "apply_ms_per_entry": 0},
      "shard_master_to_slave": {"batch_interval_ms": 10, "max_batch_entries": 1000, "apply_ms_per_entry": 0}},
    "edge": {"dns_lookup_ms": 0, "cdn_response_ms": 1},
    "workload": {
      "east": {"rate_per_s": 200, "static_fraction": 0, "read_fraction": 0.5, "async_write_fraction": 0.5,
               "dns_lookup_fraction": 0, "keys": {"dist": "uniform"}},
      "west": {"rate_per_s": 200, "static_fraction": 0, "read_fraction": 0.5, "async_write_fraction": 0.5,
               "dns_lookup_fraction": 0, "keys": {"dist": "uniform"}}},
    "report": {"warmup_s": 1}
  })");
}

// The base scenario with `patch` merged in (RFC 7386: null removes a key).
inline Scenario test_scenario(const nlohmann::json& patch = nlohmann::json::object()) {
  nlohmann::json document = base_scenario_json();
  document.merge_patch(patch);
  return load_scenario_text(document.dump(), "test.json");
}

// A crash of `node` at `at_s`, down for `down_s` (for good when empty).
// The loader's message for the base scenario patched with `patch`, or "" if it loads.
inline std::string load_error_of(const nlohmann::json& patch) {
  try {
    test_scenario(patch);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

inline FailureSpec crash(const std::string& node, double at_s, std::optional<double> down_s = std::nullopt) {
  FailureSpec f;
  f.kind = FailureSpec::Kind::kCrash;
  f.nodes = {node};
  f.at = from_s(at_s);
  if (down_s) f.duration = from_s(*down_s);
  return f;
}

}  // namespace shardsim::testing
