// Checks a schema cannot express: relations between values and references to geo names.
//
// They run on the document with defaults filled in, even when the schema check failed, reading it
// through json_access.h so that a value of the wrong type is skipped (already reported), not
// reported twice.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/finding.h"

namespace shardsim::scenario_internal {

// Every geo named in a map key or a value must be listed in /geos (with a did-you-mean).
Findings check_geo_references(const nlohmann::json& document);

// Shard ranges: sorted, contiguous, covering exactly the key space; shard_count <= keys.count.
Findings check_shard_ranges(const nlohmann::json& document);

// Distribution parameters: uniform max >= min, lognormal p99 >= median, empirical tables.
Findings check_distribution_parameters(const nlohmann::json& schema, const nlohmann::json& document);

// Load shapes (steps ascending), warmup shorter than the run, each link direction set once.
Findings check_time_relations(const nlohmann::json& schema, const nlohmann::json& document);
Findings check_link_directions(const nlohmann::json& document);

// One direction a `network.links` entry sets (a `between` entry sets two).
struct LinkDirection {
  std::string from;
  std::string to;
  std::string link;  // the entry's pointer, /network/links/N
  bool sets_latency = true;
};
std::vector<LinkDirection> explicit_link_directions(const nlohmann::json& document);

// `network.regions`: each binding names a shipped table and one of its regions (with a
// did-you-mean), and two geos in one region have an explicit link (the tables hold no round trip
// of a region with itself).
Findings check_region_bindings(const nlohmann::json& document);

// Failures: node names the topology will have, start times within the run; failover: the
// preferred geo of the preferred_geo policy.
Findings check_failures(const nlohmann::json& document);

// report.slo: each threshold names a JSON pointer and at least one of min and max, min <= max.
Findings check_slo_thresholds(const nlohmann::json& document);

// All of the above.
Findings check_semantics(const nlohmann::json& schema, const nlohmann::json& document);

}  // namespace shardsim::scenario_internal
