// Checks of "failures" and "failover" that the schema cannot express: node names (against the
// names the topology will give its nodes), start times within the run, and the preferred geo of the
// preferred_geo promotion policy. Geo names are checked with the others, in geo_references.cc.
#include <fmt/format.h>

#include "scenario/json_access.h"
#include "scenario/semantic_checks.h"
#include "scenario/wording.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

// Suggestions are looked for among this many names at most (a scenario may have millions of
// cache nodes; a typo is nearly always in a name of the first few).
constexpr std::size_t kMaxCandidates = 20'000;

// The shape that decides the topology's node names, read from the document as Topology will
// build it (node_names.h holds the naming rules both share).
node_names::Shape node_shape(const json& document) {
  node_names::Shape shape;
  shape.geos = geo_names(document).value_or(std::vector<std::string>{});
  if (const json* shards = value_at(document, "/shards"); shards && shards->is_array()) {
    shape.shards = shards->size();
  } else {
    shape.shards = count_at(document, "/shards/shard_count").value_or(0);
  }
  for (const auto& geo : shape.geos) {
    shape.slaves_per_shard.push_back(
        count_at(document, child_pointer("/slaves/per_shard_per_geo", geo)).value_or(0));
    shape.cache_nodes.push_back(count_at(document, child_pointer("/caches", geo) + "/nodes").value_or(0));
  }
  return shape;
}

class FailureCheck {
 public:
  explicit FailureCheck(const json& document) : document_(document), shape_(node_shape(document)) {}

  Findings run() {
    check_failover();
    const json* failures = value_at(document_, "/failures");
    if (!failures || !failures->is_array()) return std::move(findings_);
    for (std::size_t i = 0; i < failures->size(); ++i) check_failure(child_pointer("/failures", i));
    return std::move(findings_);
  }

 private:
  void check_failover() {
    if (string_at(document_, "/failover/shard_promotion") == "preferred_geo" &&
        !value_at(document_, "/failover/preferred_geo")) {
      findings_.push_back(
          {"/failover", "missing required key \"preferred_geo\" (shard_promotion is \"preferred_geo\")"});
    }
    for (const char* path : {"/durability/sync_writes", "/durability/async_writes"}) check_durability(path);
    const bool sentinel_policy = string_at(document_, "/failover/policy") == "sentinel";
    const json* sentinel = value_at(document_, "/failover/sentinel");
    if (sentinel_policy && !sentinel) {
      findings_.push_back({"/failover",
                           "missing required key \"sentinel\" (policy is \"sentinel\"): give "
                           "the sentinels' geos and quorum, e.g. \"sentinel\": {\"geos\": "
                           "[\"a\", \"b\", \"c\"], \"quorum\": 2}"});
    }
    if (sentinel && !sentinel_policy) {
      findings_.push_back({"/failover/sentinel",
                           "sentinel settings are only used with \"policy\": \"sentinel\"; "
                           "add it, or remove these settings"});
    }
    for (const char* policy : {"election", "orchestrator"}) {
      if (value_at(document_, std::string("/failover/") + policy) &&
          string_at(document_, "/failover/policy") != policy) {
        findings_.push_back(
            {std::string("/failover/") + policy,
             fmt::format("{} settings are only used with \"policy\": \"{}\"; add it, or remove "
                         "these settings",
                         policy, policy)});
      }
    }
    check_lease();
    if (const json* priorities = value_at(document_, "/failover/sentinel/replica_priority");
        priorities && priorities->is_object()) {
      for (const auto& [name, priority] : priorities->items())
        check_node(child_pointer("/failover/sentinel/replica_priority", name), name, "replica_priority");
    }
    const json* geos = value_at(document_, "/failover/sentinel/geos");
    const json* quorum = value_at(document_, "/failover/sentinel/quorum");
    if (geos && geos->is_array() && quorum && quorum->is_number_unsigned() &&
        quorum->get<std::uint64_t>() > geos->size()) {
      findings_.push_back(
          {"/failover/sentinel/quorum",
           fmt::format("quorum {} is more than the {} sentinel(s) listed in geos: no master could "
                       "ever be objectively down",
                       quorum->get<std::uint64_t>(), geos->size())});
    }
  }

  void check_lease() {
    const bool lease_policy = string_at(document_, "/failover/policy") == "lease";
    const json* lease = value_at(document_, "/failover/lease");
    if (lease_policy && !lease) {
      findings_.push_back(
          {"/failover",
           "missing required key \"lease\" (policy is \"lease\"): give the "
           "coordination store's geos, e.g. \"lease\": {\"store_geos\": [\"a\", \"b\", \"c\"]}"});
    }
    if (lease && !lease_policy) {
      findings_.push_back({"/failover/lease",
                           "lease settings are only used with \"policy\": \"lease\"; add it, or remove "
                           "these settings"});
    }
    // Patroni's rule (docs/dynamic_configuration.rst): a leader must be able to retry a renewal
    // twice within the key's life; Patroni lowers loop_wait silently, here it is an error.
    const double ttl = number_at(document_, "/failover/lease/ttl_s").value_or(30);
    const double loop_wait = number_at(document_, "/failover/lease/loop_wait_s").value_or(10);
    const double retry = number_at(document_, "/failover/lease/retry_timeout_s").value_or(10);
    if (lease && loop_wait + 2 * retry > ttl) {
      findings_.push_back(
          {"/failover/lease",
           fmt::format(
               "expected loop_wait_s + 2 x retry_timeout_s <= ttl_s (Patroni's rule), found {} + 2 x {} "
               "> {}; lower loop_wait_s to {} or raise ttl_s to {}",
               loop_wait, retry, ttl, ttl - 2 * retry, loop_wait + 2 * retry)});
    }
  }

  void check_durability(const std::string& pointer) {
    const json* replicas = value_at(document_, pointer + "/replicas");
    const json* copies = value_at(document_, pointer + "/copies");
    if (!replicas || !replicas->is_number_unsigned() || !copies || !copies->is_array()) return;
    if (replicas->get<std::uint64_t>() > copies->size()) {
      findings_.push_back(
          {pointer + "/replicas",
           fmt::format("replicas {} is more than the {} copies listed: no write could ever be "
                       "acknowledged; list more copies or lower replicas",
                       replicas->get<std::uint64_t>(), copies->size())});
    }
  }

  void check_failure(const std::string& pointer) {
    const auto kind = string_at(document_, pointer + "/kind");
    if (!kind) return;  // the schema check reports it
    check_start(pointer);
    if (*kind != "crash" && *kind != "slow" && *kind != "random_crashes") return;
    const json* nodes = value_at(document_, pointer + "/nodes");
    if (!nodes || !nodes->is_array()) return;
    for (std::size_t j = 0; j < nodes->size(); ++j) {
      if ((*nodes)[j].is_string()) {
        check_node(child_pointer(pointer + "/nodes", j), (*nodes)[j].get<std::string>(), *kind);
      }
    }
  }

  void check_start(const std::string& pointer) {
    const auto at = number_at(document_, pointer + "/at_s");
    const auto duration = number_at(document_, "/duration_s");
    if (at && duration && *at > *duration) {
      findings_.push_back({pointer + "/at_s", fmt::format("expected at_s <= duration_s ({}), found {}",
                                                          value_at(document_, "/duration_s")->dump(),
                                                          value_at(document_, pointer + "/at_s")->dump())});
    }
  }

  void check_node(const std::string& pointer, const std::string& name, const std::string& kind) {
    const bool crashable_only = kind != "slow";
    if (crashable_only ? node_names::is_crashable(shape_, name) : node_names::is_node(shape_, name)) return;
    if (!crashable_only && node_names::is_crashable(shape_, name)) {
      findings_.push_back(
          {pointer, fmt::format("node {} cannot be slowed: a shard master has no service queue in "
                                "this model (its cost is "
                                "replication.master_to_shard_master.apply_ms_per_entry)",
                                quote(name))});
      return;
    }
    if (crashable_only && node_names::is_node(shape_, name)) {
      findings_.push_back({pointer, fmt::format("node {} cannot crash: a {} takes global masters, shard "
                                                "masters and shard slaves only",
                                                quote(name), quote(kind))});
      return;
    }
    // A geo with several slaves per shard numbers them: "shard_slave_india_2" is likely ".1".
    const std::vector<std::string> candidates = node_names::list(shape_, crashable_only, kMaxCandidates);
    std::string hint = node_names::is_crashable(shape_, name + ".1")
                           ? "; did you mean " + quote(name + ".1") + "?"
                           : did_you_mean(name, candidates);
    if (hint.empty() && candidates.size() <= 12) hint = "; the nodes are " + quoted_list(candidates);
    if (hint.empty()) {
      hint = crashable_only ? fmt::format(
                                  "; a {} takes active_master_global, passive_master_global, "
                                  "shard_master_global_<i> or shard_slave_<geo>_<i>[.<j>]",
                                  quote(kind))
                            : "; see docs/scenario-format.md for the node names";
    }
    findings_.push_back({pointer, fmt::format("unknown node {}{}", quote(name), hint)});
  }

  const json& document_;
  node_names::Shape shape_;
  Findings findings_;
};

}  // namespace

Findings check_failures(const json& document) {
  if (!document.is_object()) return {};
  return FailureCheck(document).run();
}

}  // namespace shardsim::scenario_internal
