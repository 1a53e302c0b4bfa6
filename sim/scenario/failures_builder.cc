#include "failures_builder.h"

#include "scenario_builder.h"

namespace shardsim::scenario_internal {

namespace {

using nlohmann::json;

FailureSpec::Kind kind_from_name(const std::string& name) {
  if (name == "crash") return FailureSpec::Kind::kCrash;
  if (name == "slow") return FailureSpec::Kind::kSlow;
  if (name == "partition") return FailureSpec::Kind::kPartition;
  if (name == "latency_spike") return FailureSpec::Kind::kLatencySpike;
  if (name == "loss") return FailureSpec::Kind::kLoss;
  return FailureSpec::Kind::kRandomCrashes;
}

FailureSpec failure_from_json(const json& value, const Scenario& scenario) {
  FailureSpec spec;
  spec.kind = kind_from_name(value.at("kind").get<std::string>());
  spec.at = from_s(value.value("at_s", 0.0));
  if (value.contains("duration_s")) spec.duration = from_s(value.at("duration_s").get<double>());
  if (value.contains("nodes")) spec.nodes = value.at("nodes").get<std::vector<std::string>>();
  if (value.contains("between")) {
    spec.geo_a = scenario.geo_id(value.at("between").at(0).get<std::string>());
    spec.geo_b = scenario.geo_id(value.at("between").at(1).get<std::string>());
  }
  spec.host_up = value.value("host_up", false);
  spec.slowdown = value.value("factor", 1.0);
  spec.drop = value.value("mode", std::string("hold")) == "drop";
  spec.extra_latency_ms = value.value("extra_ms", 0.0);
  spec.loss_share = value.value("share", 0.0);
  if (value.contains("time_between_failures_s")) {
    spec.time_between_failures_s = distribution_from_json(value.at("time_between_failures_s"));
  }
  if (value.contains("time_to_repair_s"))
    spec.time_to_repair_s = distribution_from_json(value.at("time_to_repair_s"));
  return spec;
}

}  // namespace

DurabilitySpec durability_from_json(const json& d) {
  DurabilitySpec spec;
  const std::string mode = d.value("mode", std::string("async"));
  spec.mode = mode == "semi_sync" ? DurabilitySpec::Mode::kSemiSync
              : mode == "quorum"  ? DurabilitySpec::Mode::kQuorum
                                  : DurabilitySpec::Mode::kAsync;
  spec.replicas = d.value("replicas", 1u);
  if (d.contains("copies")) {
    spec.counts_standby = spec.counts_shard_master = false;
    for (const json& copy : d.at("copies")) {
      if (copy == "standby") spec.counts_standby = true;
      if (copy == "shard_master") spec.counts_shard_master = true;
    }
  }
  spec.timeout = from_ms(d.value("timeout_ms", 10000.0));
  return spec;
}

ElectionSpec election_from_json(const json& e, const Scenario& scenario) {
  ElectionSpec spec;
  if (e.contains("arbiters")) {
    for (const json& geo : e.at("arbiters")) spec.arbiters.push_back(scenario.geo_id(geo.get<std::string>()));
  }
  spec.election_timeout = from_ms(e.value("election_timeout_ms", 10000.0));
  spec.heartbeat_interval = from_ms(e.value("heartbeat_interval_ms", 2000.0));
  spec.heartbeat_timeout = from_ms(e.value("heartbeat_timeout_ms", 10000.0));
  if (e.contains("priority")) {
    spec.priority_by_geo.assign(scenario.geos.size(), 1.0);
    for (const auto& [geo, priority] : e.at("priority").items())
      spec.priority_by_geo[scenario.geo_id(geo)] = priority.get<double>();
  }
  return spec;
}

LeaseSpec lease_from_json(const json& l, const Scenario& scenario) {
  LeaseSpec spec;
  for (const json& geo : l.at("store_geos"))
    spec.store_geos.push_back(scenario.geo_id(geo.get<std::string>()));
  spec.ttl = from_s(l.value("ttl_s", 30.0));
  spec.loop_wait = from_s(l.value("loop_wait_s", 10.0));
  spec.retry_timeout = from_s(l.value("retry_timeout_s", 10.0));
  spec.maximum_lag_on_failover_bytes =
      static_cast<std::uint64_t>(l.value("maximum_lag_on_failover_bytes", 1048576.0));
  spec.entry_bytes = scenario.keys.value_bytes;
  if (l.contains("priority")) {
    spec.priority_by_geo.assign(scenario.geos.size(), 1.0);
    for (const auto& [geo, priority] : l.at("priority").items())
      spec.priority_by_geo[scenario.geo_id(geo)] = priority.get<double>();
  }
  return spec;
}

OrchestratorSpec orchestrator_from_json(const json& o, const Scenario& scenario) {
  OrchestratorSpec spec;
  if (o.contains("geos")) {
    for (const json& geo : o.at("geos")) spec.geos.push_back(scenario.geo_id(geo.get<std::string>()));
  } else {
    spec.geos.push_back(scenario.masters.active_geo);
  }
  spec.instance_poll = from_s(o.value("instance_poll_s", 5.0));
  spec.connect_timeout = from_s(o.value("connect_timeout_s", 2.0));
  spec.slave_net_timeout = from_s(o.value("slave_net_timeout_s", 60.0));
  spec.recovery_block = from_s(o.value("recovery_period_block_s", 3600.0));
  if (o.contains("promotion_rules")) {
    spec.rule_by_geo.assign(scenario.geos.size(), OrchestratorSpec::Rule::kNeutral);
    for (const auto& [geo, rule] : o.at("promotion_rules").items()) {
      const std::string r = rule.get<std::string>();
      spec.rule_by_geo[scenario.geo_id(geo)] = r == "must_not"     ? OrchestratorSpec::Rule::kMustNot
                                               : r == "prefer_not" ? OrchestratorSpec::Rule::kPreferNot
                                               : r == "prefer"     ? OrchestratorSpec::Rule::kPrefer
                                                                   : OrchestratorSpec::Rule::kNeutral;
    }
  }
  return spec;
}

void build_failures(const json& document, Scenario& scenario) {
  if (document.contains("durability")) {
    const json& d = document.at("durability");
    if (d.contains("sync_writes")) scenario.sync_durability = durability_from_json(d.at("sync_writes"));
    if (d.contains("async_writes")) scenario.async_durability = durability_from_json(d.at("async_writes"));
  }
  if (document.contains("failover")) {
    const json& f = document.at("failover");
    FailoverSpec& spec = scenario.failover;
    spec.monitor_geo = f.contains("monitor_geo") ? scenario.geo_id(f.at("monitor_geo").get<std::string>())
                                                 : scenario.masters.active_geo;
    const std::string policy = f.value("policy", std::string("heartbeat"));
    if (policy == "sentinel") spec.detector = FailoverSpec::Detector::kSentinel;
    if (policy == "election") spec.detector = FailoverSpec::Detector::kElection;
    if (policy == "lease") spec.detector = FailoverSpec::Detector::kLease;
    if (policy == "orchestrator") spec.detector = FailoverSpec::Detector::kOrchestrator;
    spec.orchestrator = orchestrator_from_json(f.value("orchestrator", json::object()), scenario);
    if (f.contains("lease")) spec.lease = lease_from_json(f.at("lease"), scenario);
    if (f.contains("election")) spec.election = election_from_json(f.at("election"), scenario);
    if (f.contains("sentinel")) {
      const json& s = f.at("sentinel");
      for (const json& geo : s.at("geos"))
        spec.sentinel.geos.push_back(scenario.geo_id(geo.get<std::string>()));
      spec.sentinel.quorum = s.at("quorum").get<std::uint32_t>();
      spec.sentinel.down_after = from_ms(s.value("down_after_ms", 30000.0));
      spec.sentinel.failover_timeout = from_ms(s.value("failover_timeout_ms", 180000.0));
      spec.sentinel.parallel_syncs = s.value("parallel_syncs", 0u);
      if (s.contains("replica_priority"))
        for (const auto& [node, priority] : s.at("replica_priority").items())
          spec.sentinel.replica_priority[node] = priority.get<std::uint32_t>();
    }
    spec.heartbeat_interval = from_ms(f.value("heartbeat_interval_ms", 500.0));
    spec.missed_heartbeats = f.value("missed_heartbeats", 3u);
    if (f.contains("promotion_ms")) spec.promotion_ms = distribution_from_json(f.at("promotion_ms"));
    if (f.contains("routing_update_ms"))
      spec.routing_update_ms = distribution_from_json(f.at("routing_update_ms"));
    spec.shard_policy = f.value("shard_promotion", std::string("most_caught_up")) == "preferred_geo"
                            ? FailoverSpec::Policy::kPreferredGeo
                            : FailoverSpec::Policy::kMostCaughtUp;
    if (f.contains("preferred_geo"))
      spec.preferred_geo = scenario.geo_id(f.at("preferred_geo").get<std::string>());
    spec.prevent_cross_region = f.value("prevent_cross_region_failover", false);
    spec.fencing = f.value("fencing", true);
    spec.election.same_geo_only = spec.prevent_cross_region;
    spec.lease.same_geo_only = spec.prevent_cross_region;
  } else {
    scenario.failover.monitor_geo = scenario.masters.active_geo;
  }
  if (document.contains("failures")) {
    for (const json& failure : document.at("failures"))
      scenario.failures.push_back(failure_from_json(failure, scenario));
  }
}

}  // namespace shardsim::scenario_internal
