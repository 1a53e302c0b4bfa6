// Checks of "failures" and "failover" that the schema cannot express: node names (against the
// names the topology will give its nodes), start times within the run, and the preferred geo of the
// preferred_geo promotion policy. Geo names are checked with the others, in geo_references.cc.
#include <charconv>

#include <fmt/format.h>

#include "scenario/json_access.h"
#include "scenario/semantic_checks.h"
#include "scenario/wording.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

// Suggestions are looked for among this many names at most (a scenario may have millions of
// cache nodes; a typo is nearly always in a name of the first few).
constexpr std::size_t kMaxCandidates = 20'000;

// The names of the topology's nodes, computed from the document as Topology will build them.
class NodeNames {
 public:
  explicit NodeNames(const json& document) : geos_(geo_names(document).value_or(std::vector<std::string>{})) {
    if (const json* shards = value_at(document, "/shards"); shards && shards->is_array()) {
      shards_ = shards->size();
    } else {
      shards_ = count_at(document, "/shards/shard_count").value_or(0);
    }
    for (const auto& geo : geos_) {
      slaves_.push_back(count_at(document, child_pointer("/slaves/per_shard_per_geo", geo)).value_or(0));
      caches_.push_back(count_at(document, child_pointer("/caches", geo) + "/nodes").value_or(0));
    }
  }

  // Global masters, shard masters and shard slaves: what crash and random_crashes take.
  bool can_crash(std::string_view name) const {
    if (name == "active_master_global" || name == "passive_master_global") return true;
    if (name.starts_with("shard_master_global_")) return index_in(name.substr(20), shards_);
    if (!name.starts_with("shard_slave_")) return false;
    const std::string_view rest = name.substr(12);
    for (std::size_t g = 0; g < geos_.size(); ++g) {
      const std::string prefix = geos_[g] + "_";
      if (!rest.starts_with(prefix) || slaves_[g] == 0) continue;
      const std::string_view tail = rest.substr(prefix.size());
      if (slaves_[g] == 1 && index_in(tail, shards_)) return true;
      const std::size_t dot = tail.find('.');
      if (slaves_[g] > 1 && dot != std::string_view::npos && index_in(tail.substr(0, dot), shards_) &&
          index_in(tail.substr(dot + 1), slaves_[g])) {
        return true;
      }
    }
    return false;
  }

  // Any server of the topology: what slow takes.
  bool exists(std::string_view name) const {
    if (can_crash(name) || name == "scheduler" || name == "consumer" || name == "object_store") return true;
    for (std::size_t g = 0; g < geos_.size(); ++g) {
      for (const char* role : kFrontEndRoles) {
        if (name == std::string(role) + geos_[g]) return true;
      }
      const std::string cache = "cache_" + geos_[g] + "_";
      if (name.starts_with(cache) && index_in(name.substr(cache.size()), caches_[g])) return true;
    }
    return false;
  }

  // The names (up to kMaxCandidates) that crash takes, or that slow takes.
  std::vector<std::string> list(bool crashable_only) const {
    std::vector<std::string> names = {"active_master_global", "passive_master_global"};
    for (std::uint64_t i = 1; i <= shards_ && names.size() < kMaxCandidates; ++i) {
      names.push_back(fmt::format("shard_master_global_{}", i));
    }
    for (std::size_t g = 0; g < geos_.size(); ++g) {
      for (std::uint64_t i = 1; i <= shards_ && names.size() < kMaxCandidates; ++i) {
        if (slaves_[g] == 1) names.push_back(fmt::format("shard_slave_{}_{}", geos_[g], i));
        for (std::uint64_t j = 1; slaves_[g] > 1 && j <= slaves_[g] && names.size() < kMaxCandidates; ++j) {
          names.push_back(fmt::format("shard_slave_{}_{}.{}", geos_[g], i, j));
        }
      }
    }
    if (crashable_only) return names;
    for (const char* fixed : {"scheduler", "consumer", "object_store"}) names.push_back(fixed);
    for (std::size_t g = 0; g < geos_.size(); ++g) {
      for (const char* role : kFrontEndRoles) names.push_back(role + geos_[g]);
      for (std::uint64_t k = 1; k <= caches_[g] && names.size() < kMaxCandidates; ++k) {
        names.push_back(fmt::format("cache_{}_{}", geos_[g], k));
      }
    }
    return names;
  }

 private:
  static constexpr const char* kFrontEndRoles[] = {"api_gateway_", "read_api_", "write_sync_",
                                                   "write_async_"};

  // True when `text` is a decimal number from 1 to `count`, written without leading zeros.
  static bool index_in(std::string_view text, std::uint64_t count) {
    if (text.empty() || text.front() == '0') return false;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && value >= 1 && value <= count;
  }

  std::vector<std::string> geos_;
  std::uint64_t shards_ = 0;
  std::vector<std::uint64_t> slaves_;  // per shard, by geo
  std::vector<std::uint64_t> caches_;  // cache nodes, by geo
};

class FailureCheck {
 public:
  explicit FailureCheck(const json& document) : document_(document), names_(document) {}

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
    if (crashable_only ? names_.can_crash(name) : names_.exists(name)) return;
    if (crashable_only && names_.exists(name)) {
      findings_.push_back({pointer, fmt::format("node {} cannot crash: a {} takes global masters, shard "
                                                "masters and shard slaves only",
                                                quote(name), quote(kind))});
      return;
    }
    // A geo with several slaves per shard numbers them: "shard_slave_india_2" is likely ".1".
    const std::vector<std::string> candidates = names_.list(crashable_only);
    std::string hint = names_.can_crash(name + ".1") ? "; did you mean " + quote(name + ".1") + "?"
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
  NodeNames names_;
  Findings findings_;
};

}  // namespace

Findings check_failures(const json& document) {
  if (!document.is_object()) return {};
  return FailureCheck(document).run();
}

}  // namespace shardsim::scenario_internal
