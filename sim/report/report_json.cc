#include "shardsim/report/report_json.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "shardsim/failure/failure_log.h"
#include "shardsim/model/topology.h"

namespace shardsim {

namespace {

using nlohmann::json;

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}
// Rounds to 6 significant digits: a report states what the model resolves, not float noise.
double round6(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double scale = std::pow(10.0, 5 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
  return std::round(v * scale) / scale;
}

json distribution_ms(const LogHistogram& h) {
  if (h.empty()) return json{{"count", 0}};
  return json{{"count", h.count()},
              {"mean_ms", round6(h.mean() / 1e6)},
              {"p50_ms", round6(ms(h.quantile(0.50)))},
              {"p95_ms", round6(ms(h.quantile(0.95)))},
              {"p99_ms", round6(ms(h.quantile(0.99)))},
              {"p999_ms", round6(ms(h.quantile(0.999)))},
              {"max_ms", round6(ms(h.max()))}};
}

double share(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : round6(static_cast<double>(part) / static_cast<double>(whole));
}

json latency_section(Topology& t, double window_s) {
  json out = json::object();
  for (GeoId g = 0; g < t.scenario.geos.size(); ++g) {
    const GeoMetrics& m = t.metrics.geo(g);
    json geo = json::object();
    std::uint64_t completed = 0, failed = 0, issued = 0;
    for (std::size_t o = 0; o < static_cast<std::size_t>(Outcome::kCount); ++o) {
      geo[outcome_name(static_cast<Outcome>(o))] = distribution_ms(m.latency[o]);
      if (static_cast<Outcome>(o) != Outcome::kAsyncCommit) completed += m.completed[o];
    }
    json failures = json::object();
    for (std::size_t op = 0; op < static_cast<std::size_t>(Operation::kCount); ++op) {
      failures[operation_name(static_cast<Operation>(op))] = m.failed[op];
      failed += m.failed[op];
      issued += m.issued[op];
    }
    out[t.scenario.geos[g]] =
        json{{"latency", geo},
             {"requests_issued", issued},
             {"requests_answered", completed},
             {"requests_failed", failed},
             {"failed_by_operation", failures},
             {"failed_latency", distribution_ms(m.failed_latency)},
             {"throughput_per_s", round6(window_s > 0 ? static_cast<double>(completed) / window_s : 0)},
             // null when no request finished in the window: no evidence either way (1.0 read as
             // "all answered" for a geo whose 49 requests were all still in flight).
             {"availability",
              completed + failed == 0 ? json(nullptr) : json(share(completed, completed + failed))}};
  }
  return out;
}

json consistency_section(Topology& t) {
  json geos = json::object();
  for (GeoId g = 0; g < t.scenario.geos.size(); ++g) {
    const GeoMetrics& m = t.metrics.geo(g);
    geos[t.scenario.geos[g]] = json{{"end_to_end", distribution_ms(m.lag_end_to_end)},
                                    {"shard_master_to_slave", distribution_ms(m.lag_slave_hop)}};
  }
  return json{{"master_to_standby", distribution_ms(t.metrics.lag_standby())},
              {"master_to_shard_master", distribution_ms(t.metrics.lag_shard_master())},
              {"geos", geos}};
}

json staleness_section(Topology& t) {
  json out = json::object();
  for (GeoId g = 0; g < t.scenario.geos.size(); ++g) {
    const GeoMetrics& m = t.metrics.geo(g);
    json geo = json::object();
    for (std::size_t s = 0; s < static_cast<std::size_t>(ReadSource::kCount); ++s) {
      geo[read_source_name(static_cast<ReadSource>(s))] =
          json{{"reads", m.reads[s]},
               {"stale_reads", m.stale_reads[s]},
               {"stale_share", share(m.stale_reads[s], m.reads[s])},
               {"staleness_age", distribution_ms(m.staleness_age[s])}};
    }
    json curve = json::array();
    const auto& edges = TVisibility::bin_edges();
    for (std::size_t b = 0; b < edges.size(); ++b) {
      if (m.t_visibility.reads(b) == 0) continue;
      json bin{{"t_from_ms", ms(edges[b])},
               {"reads", m.t_visibility.reads(b)},
               {"p_visible", share(m.t_visibility.visible(b), m.t_visibility.reads(b))}};
      bin["t_to_ms"] = b + 1 < edges.size() ? json(ms(edges[b + 1])) : json(nullptr);
      curve.push_back(bin);
    }
    geo["t_visibility"] = curve;
    out[t.scenario.geos[g]] = geo;
  }
  return out;
}

json eighty_twenty_section(Topology& t) {
  json out = json::object();
  const ReportSpec& targets = t.scenario.report;
  for (GeoId g = 0; g < t.scenario.geos.size(); ++g) {
    const GeoMetrics& m = t.metrics.geo(g);
    const TimeWeightedShare& fresh = m.fresh_share;
    const auto slave = static_cast<std::size_t>(ReadSource::kSlave);
    const auto cache = static_cast<std::size_t>(ReadSource::kCache);
    out[t.scenario.geos[g]] = json{{"slave_data_ratio",
                                    {{"target_fresh_share", targets.fresh_share_target},
                                     {"fresh_share_mean", round6(fresh.mean())},
                                     {"fresh_share_min", round6(fresh.min())},
                                     {"time_below_target_s", round6(fresh.time_below_target_s())},
                                     {"share_of_time_below_target", round6(fresh.fraction_below_target())},
                                     {"always_holds", fresh.time_below_target_s() == 0}}},
                                   {"hot_cold_split",
                                    {{"target_hot_share", targets.hot_share_target},
                                     {"slave_reads", m.reads[slave]},
                                     {"slave_reads_hot_share", share(m.hot_reads[slave], m.reads[slave])},
                                     {"cache_hits", m.reads[cache]},
                                     {"cache_hits_hot_share", share(m.hot_reads[cache], m.reads[cache])}}}};
  }
  return out;
}

json nodes_section(Topology& t) {
  json out = json::array();
  const Time now = t.sim.now();
  for (Node* node : t.nodes()) {
    const Node::Stats s = node->stats(now);
    out.push_back(json{{"name", node->name()},
                       {"geo", t.scenario.geos[node->geo()]},
                       {"servers", node->servers()},
                       {"utilization", round6(node->utilization(now))},
                       {"mean_queue", round6(node->mean_queue(now))},
                       {"max_queue", s.max_queue},
                       {"served", s.served},
                       {"rejected", s.rejected}});
  }
  return out;
}

json load_balancer_section(Topology& t) {
  // The slaves behind each (geo, shard) SLB ring, in topology order: one pass over the slaves,
  // where a scan per ring cost geos x shards x slaves (10 s at 20,000 shards).
  const std::uint32_t shard_count = t.keys.shard_count();
  std::vector<std::vector<const ShardSlave*>> behind(t.scenario.geos.size() * std::size_t{shard_count});
  for (auto& slave : t.slaves)
    behind[slave->geo() * std::size_t{shard_count} + slave->shard()].push_back(slave.get());
  json out = json::object();
  for (GeoId g = 0; g < t.scenario.geos.size(); ++g) {
    json shards = json::array();
    for (std::uint32_t shard = 0; shard < shard_count; ++shard) {
      json slaves = json::array();
      std::uint64_t total = 0, most = 0, count = 0;
      for (const ShardSlave* slave : behind[g * std::size_t{shard_count} + shard]) {
        const std::uint64_t reads = t.metrics.slave_reads(slave->id());
        slaves.push_back(json{{"slave", slave->replica().name()}, {"reads", reads}});
        total += reads;
        most = std::max(most, reads);
        ++count;
      }
      for (json& s : slaves) s["load_share"] = share(s["reads"].get<std::uint64_t>(), total);
      const double mean = count ? static_cast<double>(total) / static_cast<double>(count) : 0;
      shards.push_back(json{{"shard", shard + 1},
                            {"slaves", slaves},
                            {"max_over_mean", mean > 0 ? round6(static_cast<double>(most) / mean) : 0.0}});
    }
    out[t.scenario.geos[g]] = json{{"slb", shards}};
  }
  return out;
}

json cache_section(Topology& t) {
  json out = json::object();
  for (GeoId g = 0; g < t.scenario.geos.size(); ++g) {
    const GeoMetrics& m = t.metrics.geo(g);
    std::uint64_t evictions = 0, expirations = 0, size = 0;
    Clb& clb = *t.geos[g].clb;
    for (std::size_t i = 0; i < clb.node_count(); ++i) {
      evictions += clb.node(i).store().evictions();
      expirations += clb.node(i).store().expirations();
      size += clb.node(i).store().size();
    }
    const auto hits = m.reads[static_cast<std::size_t>(ReadSource::kCache)];
    out[t.scenario.geos[g]] = json{{"nodes", clb.node_count()},
                                   {"lookups", m.cache_lookups},
                                   {"hits", hits},
                                   {"hit_ratio", share(hits, m.cache_lookups)},
                                   {"evictions_total", evictions},
                                   {"expirations_total", expirations},
                                   {"keys_held_at_end", size}};
  }
  return out;
}

json async_section(Topology& t) {
  return json{{"queue_capacity", t.queue->capacity()},
              {"queue_depth_at_end", t.queue->depth()},
              {"queue_max_depth", t.queue->max_depth()},
              {"queue_rejected_total", t.queue->rejected()},
              {"commit_retries_total", t.consumers->retries()}};
}

const char* durability_mode_name(DurabilitySpec::Mode mode) {
  switch (mode) {
    case DurabilitySpec::Mode::kSemiSync:
      return "semi_sync";
    case DurabilitySpec::Mode::kQuorum:
      return "quorum";
    case DurabilitySpec::Mode::kAsync:
      break;
  }
  return "async";
}

json durability_path(Topology& t, const DurabilitySpec& spec, bool async) {
  json out{{"mode", durability_mode_name(spec.mode)}};
  if (spec.mode == DurabilitySpec::Mode::kAsync || !t.acknowledgement) return out;
  const WriteAcknowledgement::Stats& s = t.acknowledgement->stats(async);
  out["replicas"] = spec.replicas;
  out["held"] = s.held;
  out["acknowledged"] = s.acknowledged;
  out["ack_wait_mean_ms"] =
      s.acknowledged ? round6(to_ms(s.total_wait) / static_cast<double>(s.acknowledged)) : 0.0;
  out["ack_wait_max_ms"] = round6(to_ms(s.max_wait));
  out["failed_when_master_lost"] = s.failed_by_master_loss;
  if (spec.mode == DurabilitySpec::Mode::kSemiSync) {
    out["fallbacks_to_async"] = s.fallbacks;
    out["answered_while_fallen_back"] = s.released_by_fallback;
    out["time_fallen_back_s"] = round6(to_s(t.acknowledgement->time_fallen_back(async, t.sim.now())));
    out["fallen_back_at_end"] = t.acknowledgement->fallen_back(async);
  } else {
    out["timed_out"] = s.timed_out;
  }
  return out;
}

json min_replicas_json(Topology& t) {
  const MinReplicas& gate = *t.min_replicas;
  const MinReplicas::Stats& s = gate.stats();
  return json{{"to_write", gate.needed()},
              {"max_lag_s", gate.max_lag_s()},
              {"refused_writes", s.refused_sync + s.refused_async},
              {"refused_sync_writes", s.refused_sync},
              {"refused_async_writes", s.refused_async},
              {"refused_by_old_master", s.refused_by_old_master},
              {"first_refusal_at_s",
               s.first_refusal == kTimeNever ? json(nullptr) : json(round6(to_s(s.first_refusal)))},
              {"refusal_spells", s.spells},
              {"time_refusing_s", round6(to_s(gate.time_refusing(t.sim.now())))}};
}

json durability_section(Topology& t) {
  json out{{"sync_writes", durability_path(t, t.scenario.sync_durability, false)},
           {"async_writes", durability_path(t, t.scenario.async_durability, true)}};
  if (t.min_replicas) out["min_replicas"] = min_replicas_json(t);
  return out;
}

json replication_section(Topology& t) {
  json streams = json::array();
  for (auto& stream : t.streams) {
    streams.push_back(json{{"target", stream->target().name()},
                           {"batches_total", stream->batches_shipped()},
                           {"entries_total", stream->entries_shipped()},
                           {"snapshots_total", stream->snapshots_shipped()},
                           // A retired stream (failover replaced it) owes nothing more.
                           {"backlog_at_end", stream->retired() ? 0 : stream->backlog()},
                           {"retired", stream->retired()}});
  }
  std::uint64_t held = 0, entries = 0, lapses = 0;
  json lapsed = json::array();  // copies still out of the logs' retention at the end, by shard
  for (auto& log : t.context.logs) {
    held += log->entries_held();
    entries += log->end();
    lapses += log->lapses();
    for (const Replica* copy : log->replicas())
      if (copy->lapsed()) lapsed.push_back(copy->name());
  }
  // Every commit ever made is either in a log or was cut by a failover (counted lost).
  json out{{"commits_total", t.active_master->commits() + t.passive_master->commits()},
           {"log_entries_total", entries},
           {"log_entries_held_at_end", held},
           {"log_retention_entries", t.scenario.replication.log_retention_entries},
           {"lapses_total", lapses},
           {"lapsed_at_end", std::move(lapsed)}};
  out["streams"] = std::move(streams);  // moved, not copied as an initializer list would: storms make it long
  return out;
}

json time_or_null(Time at) {
  return at == kTimeNever ? json(nullptr) : json(round6(to_s(at)));
}
json span_or_null(Time from, Time to) {
  return from == kTimeNever || to == kTimeNever ? json(nullptr) : json(round6(to_s(to - from)));
}

json failover_json(const FailoverRecord& r) {
  const Time start = r.outage_start();
  json out{
      {"node", r.node},
      {"role", failed_role_name(r.role)},
      {"false_failover", r.false_failover},
      {"failed_at_s", time_or_null(r.failed_at)},
      {"detected_at_s", time_or_null(r.detected_at)},
      {"detection_s", span_or_null(r.failed_at, r.detected_at)},
      {"election_s", span_or_null(r.election_started_at, r.detected_at)},
      {"promoted", r.promoted.empty() ? json(nullptr) : json(r.promoted)},
      {"promotion_s", span_or_null(r.detected_at, r.promoted_at)},
      {"routing_s", span_or_null(r.promoted_at == kTimeNever ? r.detected_at : r.promoted_at, r.routed_at)},
      {"completed", !r.open}};
  if (r.reconfiguration_modelled) {
    // The leader's re-pointing of the other replicas, after it saw the new role (+promoted-slave)
    // up to +failover-end: the step after detection, election and promotion.
    out["reconfiguration_s"] = span_or_null(r.reconfiguration_started_at, r.reconfigured_at);
    out["reconfiguration"] = json{{"started_at_s", time_or_null(r.reconfiguration_started_at)},
                                  {"ended_at_s", time_or_null(r.reconfigured_at)},
                                  {"replicas", r.replicas_to_reconfigure},
                                  {"reconfigured", r.replicas_reconfigured},
                                  {"skipped", r.replicas_skipped},
                                  {"full_syncs", r.full_syncs},
                                  {"batches", r.reconfiguration_batches},
                                  {"timed_out", r.reconfiguration_timed_out}};
  }
  if (r.role == FailedRole::kActiveMaster) {
    out["write_unavailability_s"] = span_or_null(start, r.first_write_after);
    out["sync_writes_failed"] = r.sync_writes_failed;
    out["async_writes_delayed"] = r.async_writes_delayed;
    out["async_max_delay_s"] = round6(to_s(r.async_max_delay));
    out["writes_lost"] = r.writes_lost;
    // Split by what the clients were told: answered (then lost), or failed before an answer.
    out["acknowledged_writes_lost"] = r.writes_lost - r.writes_lost_unacknowledged;
    out["unacknowledged_writes_lost"] = r.writes_lost_unacknowledged;
    out["keys_lost"] = r.keys_lost;
    out["divergent_writes_old_side"] = r.divergent_writes_old_side;
    out["divergent_writes_new_side"] = r.divergent_writes_new_side;
    out["lost_commit_span_s"] =
        r.writes_lost ? span_or_null(r.lost_first_commit, r.lost_last_commit) : json(0.0);
    // The loss window ends at the failure, or later when the old master came back before the
    // promotion and committed more writes that the promotion then cut.
    out["rpo_s"] = r.writes_lost
                       ? span_or_null(r.lost_first_commit,
                                      start == kTimeNever ? start : std::max(start, r.lost_last_commit))
                       : json(0.0);
    out["entries_discarded_on_replicas"] = r.entries_discarded_on_replicas;
  }
  return out;
}

json failures_section(const FailureLog& log) {
  json timeline = json::array();
  for (const TimelineEvent& e : log.timeline) {
    timeline.push_back(
        json{{"at_s", round6(to_s(e.at))}, {"event", e.what}, {"node", e.node}, {"detail", e.detail}});
  }
  json failovers = json::array();
  std::uint64_t lost = 0, failed = 0, false_failovers = 0, divergent = 0;
  double worst_unavailability = 0;
  for (const FailoverRecord& r : log.failovers) {
    failovers.push_back(failover_json(r));
    lost += r.writes_lost;
    divergent += r.divergent_writes_old_side + r.divergent_writes_new_side;
    failed += r.sync_writes_failed;
    if (r.false_failover) ++false_failovers;
    const json& u = failovers.back().value("write_unavailability_s", json(nullptr));
    if (u.is_number()) worst_unavailability = std::max(worst_unavailability, u.get<double>());
  }
  json out{{"summary",
            {{"policy", log.policy},
             {"failovers", log.failovers.size()},
             {"false_failovers", false_failovers},
             {"writes_lost", lost},
             {"divergent_writes", divergent},
             {"sync_writes_failed", failed},
             {"worst_write_unavailability_s", worst_unavailability}}}};
  // Moved, not copied as an initializer list would: in a failure storm these are the report's bulk.
  out["timeline"] = std::move(timeline);
  out["failovers"] = std::move(failovers);
  return out;
}

}  // namespace

nlohmann::json convergence_json(const Convergence& c) {
  return json{{"checked", c.checked},
              {"converged", c.converged},
              {"drain_s", round6(to_s(c.after))},
              {"lagging_copies", c.lagging},
              {"queued_writes", c.queued_writes},
              {"failures_in_force", c.failures_in_force}};
}

void add_convergence(nlohmann::json& report, const Convergence& c) {
  report["convergence"] = convergence_json(c);
  json& invariants = report["invariants"];
  invariants["converged_once_healed"] = c.converged_once_healed();
  invariants["ok"] = invariants["ok"].get<bool>() && c.converged_once_healed();
}

nlohmann::json build_report(Topology& t, const FailureLog& failures, bool interrupted) {
  const Scenario& s = t.scenario;
  const double window_s = to_s(t.sim.now() - t.metrics.window_start());
  const bool invariants_ok = t.metrics.reads_at_master() == 0 && t.metrics.commits_off_active_master() == 0;
  json report;
  report["format"] = "shardsim-report";
  report["version"] = kReportVersion;
  report["simulator_version"] = SHARDSIM_VERSION;
  report["scenario"] = json{{"name", s.name}, {"seed", s.seed}, {"effective", s.effective}};
  report["run"] = json{{"simulated_s", to_s(t.sim.now())},
                       {"warmup_s", to_s(std::min(s.report.warmup, t.sim.now()))},
                       {"measured_s", window_s},
                       {"events", t.sim.events_run()},
                       {"peak_requests_in_flight", t.requests.peak()},
                       {"interrupted", interrupted}};
  report["invariants"] = json{{"reads_at_a_master", t.metrics.reads_at_master()},
                              {"commits_off_the_active_master", t.metrics.commits_off_active_master()},
                              {"ok", invariants_ok}};
  report["requests"] = latency_section(t, window_s);
  report["consistency_lag"] = consistency_section(t);
  report["staleness"] = staleness_section(t);
  report["eighty_twenty"] = eighty_twenty_section(t);
  report["caches"] = cache_section(t);
  report["load_balancers"] = load_balancer_section(t);
  report["nodes"] = nodes_section(t);
  report["async_path"] = async_section(t);
  report["durability"] = durability_section(t);
  report["replication"] = replication_section(t);
  report["failures"] = failures_section(failures);
  return report;
}

}  // namespace shardsim
