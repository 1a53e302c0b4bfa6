#include "scenario/limits.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "scenario/json_access.h"
#include "scenario/scenario_builder.h"
#include "scenario/source_map.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

std::string limit_message(double limit, const std::string& what, double found) {
  return fmt::format("limit exceeded: at most {} {}, found {}", limit, what, found);
}

double shard_count(const json& document) {
  if (const json* shards = value_at(document, "/shards"); shards && shards->is_array()) {
    return static_cast<double>(shards->size());
  }
  return static_cast<double>(count_at(document, "/shards/shard_count").value_or(1));
}

// Sum over the members of a per-geo map of f(member pointer).
template <typename F>
double sum_over_map(const json& document, const std::string& map_pointer, F f) {
  double total = 0;
  if (const json* map = value_at(document, map_pointer); map && map->is_object()) {
    for (const auto& [name, unused] : map->items()) total += f(child_pointer(map_pointer, name));
  }
  return total;
}

// The largest of f(member pointer) over the members of a per-geo map.
template <typename F>
double max_over_map(const json& document, const std::string& map_pointer, F f) {
  double largest = 0;
  if (const json* map = value_at(document, map_pointer); map && map->is_object()) {
    for (const auto& [name, unused] : map->items())
      largest = std::max(largest, f(child_pointer(map_pointer, name)));
  }
  return largest;
}

double count_or_zero(const json& document, const std::string& pointer) {
  return static_cast<double>(count_at(document, pointer).value_or(0));
}

// The largest rate multiplier a load shape reaches.
double max_multiplier(const json& document, const std::string& shape) {
  const auto kind = string_at(document, shape + "/kind");
  if (kind == "daily") return 1 + number_at(document, shape + "/amplitude").value_or(0);
  if (kind == "spike") return std::max(1.0, number_at(document, shape + "/multiplier").value_or(1));
  double largest = 1;
  if (kind == "steps") {
    if (const json* steps = value_at(document, shape + "/steps"); steps && steps->is_array()) {
      for (std::size_t i = 0; i < steps->size(); ++i) {
        largest = std::max(largest, number_at(*steps, child_pointer("", i) + "/multiplier").value_or(1));
      }
    }
  }
  return largest;
}

void check(Findings& findings, const std::string& pointer, double found, double limit,
           const std::string& what) {
  if (found > limit) findings.push_back({pointer, limit_message(limit, what, found)});
}

// The events of a run: its requests', and the batch timers of its replication streams (one per
// shard to the standby and to the shard master, one per slave). The error names the larger part.
void check_expected_events(const json& document, double duration, double shards, double slaves,
                           double requests, Findings& findings) {
  const auto ticks_per_s = [&](const char* hop) {
    const double interval_ms =
        number_at(document, std::string("/replication/") + hop + "/batch_interval_ms").value_or(0);
    return interval_ms > 0 ? 1000 / interval_ms : 0.0;
  };
  const double ticks =
      duration * (shards * (ticks_per_s("master_to_standby") + ticks_per_s("master_to_shard_master")) +
                  slaves * ticks_per_s("shard_master_to_slave"));
  const double request_events = requests * kEventsPerRequest;
  const double events = ticks + request_events;
  // Too many requests is its own error already; one finding per cause.
  if (events <= kMaxExpectedEvents || (ticks <= kMaxExpectedEvents / 2 && requests > kMaxExpectedRequests))
    return;
  const bool ticks_lead = ticks > request_events;
  findings.push_back(
      {ticks_lead ? "/duration_s" : "/workload",
       fmt::format(
           "limit exceeded: at most {} events expected in a run (about 3 CPU hours), found {:.3g}: {:.3g} "
           "from the requests ({} events each at most) and {:.3g} from the replication streams' batch "
           "timers (duration_s / batch_interval_ms per stream: shards x 2 + slaves); {}",
           kMaxExpectedEvents, events, request_events, kEventsPerRequest, ticks,
           ticks_lead ? "longer batch_interval_ms or a shorter duration_s"
                      : "a lower rate or a shorter duration_s")});
}

// The memory of per-key state (ReplicationLog): a dense table costs the whole key space up front;
// a sparse one grows with the distinct keys written, at most the writes of the run (requests that
// are not reads, an upper bound: static requests are counted as writes too).
void check_key_states(const json& document, double duration, Findings& findings) {
  const double keys = count_or_zero(document, "/keys/count");
  const auto state = string_at(document, "/keys/state").value_or("auto");
  const bool dense = state == "dense" || (state == "auto" && keys <= KeySpaceSpec::kAutoDenseKeys);
  if (dense) {
    check(findings, "/keys/count", keys, kMaxDenseKeys,
          "keys with dense state (keys.count; keys.state \"sparse\" keeps state for written keys only)");
    return;
  }
  const double writes = sum_over_map(document, "/workload", [&](const std::string& p) {
    const double read_fraction = number_at(document, p + "/read_fraction").value_or(0);
    return number_at(document, p + "/rate_per_s").value_or(0) * max_multiplier(document, p + "/shape") *
           duration * (1 - read_fraction);
  });
  check(findings, "/keys/count", std::min(keys, writes), kMaxSparseWrittenKeys,
        "distinct keys written (the smaller of keys.count and the writes: rate_per_s x peak shape "
        "multiplier x duration_s x (1 - read_fraction), over all geos)");
}

// The mean of a distribution in the document, or nullopt when it is not a valid one (the other
// checks report that).
std::optional<double> mean_of(const json& document, const std::string& pointer) {
  const json* value = value_at(document, pointer);
  if (value == nullptr) return std::nullopt;
  try {
    return distribution_from_json(*value).mean();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A random_crashes failure crashes each of its nodes about once per mean time between failures
// plus mean time to repair; each crash is events in the run and a record in the report (a mean of
// 1e-5 s on one slave for 60 s meant 6 million crashes, 4.6 GB and a 750 MB report).
void check_random_crashes(const json& document, double duration, Findings& findings) {
  const json* failures = value_at(document, "/failures");
  if (!failures || !failures->is_array()) return;
  for (std::size_t i = 0; i < failures->size(); ++i) {
    const std::string failure = child_pointer("/failures", i);
    if (string_at(document, failure + "/kind") != "random_crashes") continue;
    const auto between = mean_of(document, failure + "/time_between_failures_s");
    const auto repair = mean_of(document, failure + "/time_to_repair_s");
    const json* nodes = value_at(document, failure + "/nodes");
    if (!between || !repair || !nodes || !nodes->is_array()) continue;
    const double cycle = std::max(*between + *repair, 1e-300);
    const double from = number_at(document, failure + "/at_s").value_or(0);
    const double crashes = static_cast<double>(nodes->size()) * std::max(0.0, duration - from) / cycle;
    check(findings, failure + "/time_between_failures_s", std::ceil(crashes), kMaxExpectedRandomCrashes,
          "random crashes expected in a run (nodes x (duration_s - at_s) / (mean time between failures + "
          "mean time to repair))");
  }
}

// Requests the model can hold waiting at once: every node's queue and servers, times the nodes of
// its kind, and never more than the run issues. Each costs about 100 bytes (the request, its queue
// place and its pending event), so this bounds the memory a saturated deployment can take.
void check_queued_requests(const json& document, double shards, double slaves, double requests,
                           Findings& findings) {
  const auto places = [&](const std::string& node) {
    return count_or_zero(document, node + "/queue_capacity") + count_or_zero(document, node + "/servers");
  };
  const double geos = static_cast<double>(geo_names(document).value_or(std::vector<std::string>{}).size());
  std::vector<std::pair<std::string, double>> parts = {
      {"/global_master/node", 2 * places("/global_master/node")},
      {"/shard_masters/node", shards * places("/shard_masters/node")},
      {"/slaves/node", slaves * places("/slaves/node")},
      {"/async_path/queue_capacity", count_or_zero(document, "/async_path/queue_capacity") +
                                         places("/async_path/scheduler") + places("/async_path/consumer") +
                                         places("/async_path/object_store")}};
  for (const char* box : {"api_gateway", "read_api", "write_sync", "write_async"})
    parts.push_back({std::string("/front_end/") + box, geos * places(std::string("/front_end/") + box)});
  sum_over_map(document, "/caches", [&](const std::string& p) {
    parts.push_back({p + "/node", count_or_zero(document, p + "/nodes") * places(p + "/node")});
    return 0.0;
  });
  double total = 0;
  const std::pair<std::string, double>* largest = &parts.front();
  for (const auto& part : parts) {
    total += part.second;
    if (part.second > largest->second) largest = &part;
  }
  check(findings, largest->first + (largest->first.ends_with("/queue_capacity") ? "" : "/queue_capacity"),
        std::min(total, requests), kMaxQueuedRequests,
        fmt::format("requests waiting at once, about 100 bytes each (the queue_capacity and servers of every "
                    "node, at most the requests of the run; the largest share here: {})",
                    largest->first));
}

}  // namespace

std::optional<TextLimitViolation> check_text_limits(std::string_view text) {
  if (text.size() > kMaxScenarioFileBytes) {
    return TextLimitViolation{0, fmt::format("limit exceeded: at most {} bytes in a scenario file, found {}",
                                             kMaxScenarioFileBytes, text.size())};
  }
  const NestingDepth nesting = max_nesting_depth(text, kMaxJsonValues);
  if (nesting.depth > kMaxNestingDepth) {
    return TextLimitViolation{nesting.offset,
                              fmt::format("limit exceeded: at most {} nested objects and arrays, "
                                          "found {}",
                                          kMaxNestingDepth, nesting.depth)};
  }
  if (nesting.values > kMaxJsonValues) {
    return TextLimitViolation{nesting.value_limit_offset,
                              fmt::format("limit exceeded: at most {} values (numbers, strings, objects, "
                                          "arrays) in a scenario, found about {}; the position is where "
                                          "the limit was passed",
                                          kMaxJsonValues, nesting.values)};
  }
  return std::nullopt;
}

Findings check_total_limits(const json& document) {
  Findings findings;
  const double shards = shard_count(document);
  const double slaves_per_shard =
      sum_over_map(document, "/slaves/per_shard_per_geo",
                   [&](const std::string& p) { return count_or_zero(document, p); });
  check(findings, "/slaves/per_shard_per_geo", shards * slaves_per_shard, kMaxTotalSlaves,
        "slaves in total (shards x slaves per shard, over all geos)");

  const double slb_vnodes = count_or_zero(document, "/load_balancers/slb/vnodes_per_node");
  const double slaves_in_a_geo =
      max_over_map(document, "/slaves/per_shard_per_geo",
                   [&](const std::string& p) { return count_or_zero(document, p); });
  check(findings, "/load_balancers/slb/vnodes_per_node", slaves_in_a_geo * slb_vnodes, kMaxRingPoints,
        "points on a ring (slaves of a shard in a geo x vnodes_per_node)");

  const double clb_vnodes = count_or_zero(document, "/load_balancers/clb/vnodes_per_node");
  const double cache_nodes_in_a_geo = max_over_map(
      document, "/caches", [&](const std::string& p) { return count_or_zero(document, p + "/nodes"); });
  check(findings, "/load_balancers/clb/vnodes_per_node", cache_nodes_in_a_geo * clb_vnodes, kMaxRingPoints,
        "points on a ring (cache nodes of a geo x vnodes_per_node)");

  const double cache_keys = sum_over_map(document, "/caches", [&](const std::string& p) {
    return count_or_zero(document, p + "/nodes") * count_or_zero(document, p + "/capacity_keys_per_node");
  });
  check(findings, "/caches", cache_keys, kMaxTotalCacheKeys,
        "cached keys in total (nodes x capacity_keys_per_node)");

  if (const auto retention = count_at(document, "/replication/log_retention_entries")) {
    check(findings, "/replication/log_retention_entries", shards * static_cast<double>(*retention),
          kMaxRetainedLogEntries, "retained log entries in total (shards x log_retention_entries)");
  }

  if (const json* sentinels = value_at(document, "/failover/sentinel/geos");
      sentinels && sentinels->is_array()) {
    // Watched: the two global masters, the shard masters and the slaves.
    const double watched = 2 + shards + shards * slaves_per_shard;
    const auto count = static_cast<double>(sentinels->size());
    check(findings, "/failover/sentinel/geos", count * watched, kMaxSentinelViews,
          "sentinel views (sentinels x watched nodes: 2 masters, the shard masters and the slaves)");
    check(findings, "/failover/sentinel/geos", count * count * watched, kMaxSentinelOpinions,
          "sentinel opinions (sentinels x sentinels x watched nodes)");
  }

  if (string_at(document, "/failover/policy") == "election") {
    // Every member of a replica set sends a heartbeat to every other: members^2 per set, where a
    // shard's set is its master, its slaves and the arbiters.
    const json* arbiters = value_at(document, "/failover/election/arbiters");
    const double a = arbiters && arbiters->is_array() ? static_cast<double>(arbiters->size()) : 0;
    const double shard_set = 1 + slaves_per_shard + a;
    check(findings, "/slaves/per_shard_per_geo", (2 + a) * (2 + a) + shards * shard_set * shard_set,
          kMaxElectionHeartbeatPairs,
          "replica-set heartbeat pairs (members^2 summed over the sets: each shard's master, slaves "
          "and arbiters)");
  }

  const double duration = number_at(document, "/duration_s").value_or(0);
  const double requests = sum_over_map(document, "/workload", [&](const std::string& p) {
    return number_at(document, p + "/rate_per_s").value_or(0) * max_multiplier(document, p + "/shape") *
           duration;
  });
  check(findings, "/workload", requests, kMaxExpectedRequests,
        "requests in a run (rate_per_s x peak shape multiplier x duration_s, over all geos)");
  check_key_states(document, duration, findings);
  check_expected_events(document, duration, shards, shards * slaves_per_shard, requests, findings);
  check_queued_requests(document, shards, shards * slaves_per_shard, requests, findings);

  if (const auto interval = number_at(document, "/report/sample_interval_s"); interval && *interval > 0) {
    check(findings, "/report/sample_interval_s", duration / *interval, kMaxSamples,
          "samples in a run (duration_s / sample_interval_s)");
  }
  check_random_crashes(document, duration, findings);
  return findings;
}

}  // namespace shardsim::scenario_internal
