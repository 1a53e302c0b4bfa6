#include "shardsim/report/summary.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace shardsim {

namespace {

using nlohmann::json;

// ANSI colour, only when the style asks for it (a terminal). Applied to already padded text, so
// the columns stay aligned whatever the colour.
enum class Tone { kHeading, kGood, kBad, kWarn };

std::string paint(const SummaryStyle& style, Tone tone, const std::string& text) {
  if (!style.colour) return text;
  static constexpr const char* kCodes[] = {"\x1b[1;36m", "\x1b[32m", "\x1b[1;31m", "\x1b[33m"};
  return kCodes[static_cast<int>(tone)] + text + "\x1b[0m";
}

std::string verdict(const SummaryStyle& style, bool good, const std::string& text) {
  return paint(style, good ? Tone::kGood : Tone::kBad, text);
}

void heading(std::string& out, const SummaryStyle& style, const std::string& title) {
  out += "\n" + paint(style, Tone::kHeading, fmt::format("== {} ==", title)) + "\n";
}

std::string num(const json& v, const char* key, int decimals = 2) {
  if (!v.contains(key) || v[key].is_null()) return "-";
  return fmt::format("{:.{}f}", v[key].get<double>(), decimals);
}

void latency_row(std::string& out, const std::string& label, const json& d) {
  if (d.value("count", 0) == 0) return;
  out +=
      fmt::format("  {:<26} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10}\n", label, d["count"].get<std::uint64_t>(),
                  num(d, "p50_ms"), num(d, "p95_ms"), num(d, "p99_ms"), num(d, "p999_ms"), num(d, "max_ms"));
}

void latency_header(std::string& out, const char* first) {
  out += fmt::format("  {:<26} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10}\n", first, "count", "p50 ms", "p95 ms",
                     "p99 ms", "p99.9 ms", "max ms");
}

void requests(std::string& out, const SummaryStyle& style, const json& r) {
  heading(out, style, "Requests and latency (client-observed, after warm-up)");
  for (const auto& [geo, g] : r.items()) {
    const json& availability = g["availability"];
    const std::string shown = availability.is_number()
                                  ? verdict(style, availability.get<double>() >= 1.0,
                                            fmt::format("{:.4f}", availability.get<double>()))
                                  : "- (no request finished)";
    out += fmt::format("{}: {:.1f} answered/s, availability {}, failed {}\n", geo,
                       g["throughput_per_s"].get<double>(), shown, g["requests_failed"].get<std::uint64_t>());
    latency_header(out, "operation");
    for (const auto& [op, d] : g["latency"].items()) latency_row(out, op, d);
  }
}

void lag(std::string& out, const SummaryStyle& style, const json& c) {
  heading(out, style, "Consistency lag (apply time at the replica minus commit time at the active master)");
  latency_header(out, "hop");
  latency_row(out, "master -> standby", c["master_to_standby"]);
  latency_row(out, "master -> shard master", c["master_to_shard_master"]);
  for (const auto& [geo, g] : c["geos"].items()) {
    latency_row(out, "shard master -> " + geo + " slave", g["shard_master_to_slave"]);
    latency_row(out, "end to end, " + geo, g["end_to_end"]);
  }
}

void staleness(std::string& out, const SummaryStyle& style, const json& s) {
  heading(out, style, "Read staleness (returned version older than the master's latest at read time)");
  out += fmt::format("  {:<10} {:<7} {:>10} {:>10} {:>9} {:>12} {:>12}\n", "geo", "source", "reads", "stale",
                     "share", "age p50 ms", "age p99 ms");
  for (const auto& [geo, g] : s.items()) {
    for (const char* source : {"cache", "slave"}) {
      const json& d = g[source];
      out += fmt::format("  {:<10} {:<7} {:>10} {:>10} {:>9.4f} {:>12} {:>12}\n", geo, source,
                         d["reads"].get<std::uint64_t>(), d["stale_reads"].get<std::uint64_t>(),
                         d["stale_share"].get<double>(), num(d["staleness_age"], "p50_ms"),
                         num(d["staleness_age"], "p99_ms"));
    }
    out += fmt::format("  t-visibility, {} (P[read sees the latest write | t since its commit]):\n   ", geo);
    for (const json& bin : g["t_visibility"]) {
      out += fmt::format(" {}ms:{:.3f}", bin["t_from_ms"].get<double>(), bin["p_visible"].get<double>());
    }
    out += "\n";
  }
}

void eighty_twenty(std::string& out, const SummaryStyle& style, const json& e) {
  heading(out, style, "80/20 rule");
  out += fmt::format("  {:<10} {:>8} {:>10} {:>10} {:>14} {:>8} | {:>11} {:>11}\n", "geo", "target",
                     "fresh mean", "fresh min", "time below s", "holds", "slave hot", "cache hot");
  for (const auto& [geo, g] : e.items()) {
    const json& d = g["slave_data_ratio"];
    const json& h = g["hot_cold_split"];
    const bool holds = d["always_holds"].get<bool>();
    out += fmt::format("  {:<10} {:>8.2f} {:>10.4f} {:>10.4f} {:>14.3f} {} | {:>11.4f} {:>11.4f}\n", geo,
                       d["target_fresh_share"].get<double>(), d["fresh_share_mean"].get<double>(),
                       d["fresh_share_min"].get<double>(), d["time_below_target_s"].get<double>(),
                       verdict(style, holds, fmt::format("{:>8}", holds ? "yes" : "NO")),
                       h["slave_reads_hot_share"].get<double>(), h["cache_hits_hot_share"].get<double>());
  }
  out +=
      "  fresh = share of a geo's slave-held keys whose version equals the master's latest (time-weighted);\n"
      "  hot = share of slave reads / cache hits that went to the workload's hot set.\n";
}

void caches_and_balancers(std::string& out, const SummaryStyle& style, const json& report) {
  heading(out, style, "Caches and load balancers");
  for (const auto& [geo, c] : report["caches"].items()) {
    out += fmt::format("  cache {}: {} node(s), hit ratio {:.4f} ({} of {} lookups), evictions {}\n", geo,
                       c["nodes"].get<std::uint64_t>(), c["hit_ratio"].get<double>(),
                       c["hits"].get<std::uint64_t>(), c["lookups"].get<std::uint64_t>(),
                       c["evictions_total"].get<std::uint64_t>());
  }
  for (const auto& [geo, lb] : report["load_balancers"].items()) {
    for (const json& shard : lb["slb"]) {
      out += fmt::format("  SLB {} shard {}: max/mean load {:.3f} over {} slave(s)\n", geo,
                         shard["shard"].get<int>(), shard["max_over_mean"].get<double>(),
                         shard["slaves"].size());
    }
  }
}

void nodes(std::string& out, const SummaryStyle& style, const json& n) {
  heading(out, style, "Nodes");
  out += fmt::format("  {:<34} {:>7} {:>6} {:>7} {:>10} {:>9} {:>11} {:>9}\n", "node", "geo", "c", "util",
                     "mean queue", "max queue", "served", "rejected");
  for (const json& node : n) {
    const double utilization = node["utilization"].get<double>();
    const std::uint64_t rejected = node["rejected"].get<std::uint64_t>();
    // Near saturation latency climbs steeply: flag nodes a planner should look at.
    const std::string util = fmt::format("{:>7.3f}", utilization);
    out += fmt::format("  {:<34} {:>7} {:>6} {} {:>10.3f} {:>9} {:>11} {}\n", node["name"].get<std::string>(),
                       node["geo"].get<std::string>(), node["servers"].get<std::uint32_t>(),
                       utilization >= 0.8 ? paint(style, Tone::kWarn, util) : util,
                       node["mean_queue"].get<double>(), node["max_queue"].get<std::uint64_t>(),
                       node["served"].get<std::uint64_t>(),
                       rejected > 0 ? paint(style, Tone::kBad, fmt::format("{:>9}", rejected))
                                    : fmt::format("{:>9}", rejected));
  }
}

// Seconds, or "-" where a failover never reached that step.
std::string seconds(const json& v, const char* key) {
  return num(v, key, 3);
}

void failover_table(std::string& out, const SummaryStyle& style, const json& failovers) {
  out += fmt::format("  {:<26} {:<14} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>7} {:>7}  {}\n", "failed node",
                     "role", "at s", "detect s", "promo s", "route s", "unavail s", "sync err", "lost",
                     "RPO s", "promoted");
  for (const json& f : failovers) {
    // Write figures exist for the active master's failovers only; the others show "-".
    const bool writes = f.contains("writes_lost");
    const std::uint64_t lost = writes ? f["writes_lost"].get<std::uint64_t>() : 0;
    const std::string role =
        f["role"].get<std::string>() + (f["false_failover"].get<bool>() ? " (false)" : "");
    const json& promoted = f["promoted"];
    out += fmt::format(
        "  {:<26} {:<14} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {} {:>7}  {}\n", f["node"].get<std::string>(),
        role, seconds(f, "failed_at_s"), seconds(f, "detection_s"), seconds(f, "promotion_s"),
        seconds(f, "routing_s"), seconds(f, "write_unavailability_s"),
        writes ? std::to_string(f["sync_writes_failed"].get<std::uint64_t>()) : "-",
        writes ? verdict(style, lost == 0, fmt::format("{:>7}", lost)) : fmt::format("{:>7}", "-"),
        seconds(f, "rpo_s"), promoted.is_string() ? promoted.get<std::string>() : "-");
  }
  // A Sentinel leader's reconfiguration of the other replicas (parallel_syncs), when modelled.
  for (const json& f : failovers) {
    if (!f.contains("reconfiguration")) continue;
    const json& r = f["reconfiguration"];
    out += fmt::format(
        "  {}: the leader re-pointed {} of {} replica(s) in {} s ({} full resync(s), {} skipped, {} "
        "round(s){})\n",
        f["node"].get<std::string>(), r["reconfigured"].get<std::uint64_t>(),
        r["replicas"].get<std::uint64_t>(), seconds(f, "reconfiguration_s"),
        r["full_syncs"].get<std::uint64_t>(), r["skipped"].get<std::uint64_t>(),
        r["batches"].get<std::uint64_t>(), r["timed_out"].get<bool>() ? ", ended by failover_timeout" : "");
  }
}

void failures(std::string& out, const SummaryStyle& style, const json& f) {
  heading(out, style, "Failures and failover");
  const json& timeline = f["timeline"];
  if (timeline.empty()) {
    out += "  no failure injected or detected\n";
    return;
  }
  const json& sum = f["summary"];
  out += fmt::format(
      "  {} failover(s), {} false; writes lost {}; sync writes failed {}; worst write outage {} s\n",
      sum["failovers"].get<std::uint64_t>(), sum["false_failovers"].get<std::uint64_t>(),
      sum["writes_lost"].get<std::uint64_t>(), sum["sync_writes_failed"].get<std::uint64_t>(),
      num(sum, "worst_write_unavailability_s", 3));
  if (!f["failovers"].empty()) failover_table(out, style, f["failovers"]);
  // The timeline can be long (random crashes): the first events here, all of them in report.json.
  constexpr std::size_t kShown = 12;
  out += "  timeline:\n";
  for (std::size_t i = 0; i < std::min(kShown, timeline.size()); ++i) {
    const json& e = timeline[i];
    const std::string detail = e["detail"].get<std::string>();
    out +=
        fmt::format("    {:>10.3f} s  {:<16} {}{}\n", e["at_s"].get<double>(), e["event"].get<std::string>(),
                    e["node"].get<std::string>(), detail.empty() ? "" : " (" + detail + ")");
  }
  if (timeline.size() > kShown)
    out += fmt::format("    ... {} more in report.json\n", timeline.size() - kShown);
}

// Writes refused for want of good replicas (min-replicas-to-write), when the option is on.
void min_replicas(std::string& out, const SummaryStyle& style, const json& m) {
  const auto refused = m["refused_writes"].get<std::uint64_t>();
  out += fmt::format(
      "  min-replicas-to-write {} (max lag {} s): refused {} write(s) (sync {}, async {}; {} by an old "
      "master), first at {} s; refusing for {} s over {} spell(s)\n",
      m["to_write"].get<std::uint64_t>(), m["max_lag_s"].get<std::uint64_t>(),
      verdict(style, refused == 0, std::to_string(refused)), m["refused_sync_writes"].get<std::uint64_t>(),
      m["refused_async_writes"].get<std::uint64_t>(), m["refused_by_old_master"].get<std::uint64_t>(),
      num(m, "first_refusal_at_s", 3), num(m, "time_refusing_s", 3),
      m["refusal_spells"].get<std::uint64_t>());
}

void replication(std::string& out, const SummaryStyle& style, const json& report) {
  heading(out, style, "Replication and the async write path");
  const json& r = report["replication"];
  std::uint64_t backlog = 0;
  std::string worst = "-";
  for (const json& stream : r["streams"]) {
    const auto b = stream["backlog_at_end"].get<std::uint64_t>();
    if (b > backlog) {
      backlog = b;
      worst = stream["target"].get<std::string>();
    }
  }
  out += fmt::format("  commits {}, log entries {}, held at end {}; {} stream(s), largest backlog {} ({})\n",
                     r["commits_total"].get<std::uint64_t>(), r["log_entries_total"].get<std::uint64_t>(),
                     r["log_entries_held_at_end"].get<std::uint64_t>(), r["streams"].size(), backlog, worst);
  if (const auto lapses = r["lapses_total"].get<std::uint64_t>(); lapses > 0) {
    std::uint64_t snapshots = 0;
    for (const json& stream : r["streams"]) snapshots += stream["snapshots_total"].get<std::uint64_t>();
    const json& still = r["lapsed_at_end"];
    out += fmt::format(
        "  log retention {} entries: {} lapse(s) (a copy fell further behind), {} snapshot(s) "
        "sent; still lapsed at the end: {}\n",
        r["log_retention_entries"].get<std::uint64_t>(), lapses, snapshots,
        still.empty() ? std::string("none") : fmt::format("{}", fmt::join(still, ", ")));
  }
  const json& a = report["async_path"];
  const std::uint64_t rejected = a["queue_rejected_total"].get<std::uint64_t>();
  out += fmt::format("  message queue: max depth {} of {}, rejected {}, commit retries {}\n",
                     a["queue_max_depth"].get<std::uint64_t>(), a["queue_capacity"].get<std::uint64_t>(),
                     verdict(style, rejected == 0, std::to_string(rejected)),
                     a["commit_retries_total"].get<std::uint64_t>());
  if (report["durability"].contains("min_replicas"))
    min_replicas(out, style, report["durability"]["min_replicas"]);
  if (!report.contains("convergence")) return;
  const json& c = report["convergence"];
  const bool converged = c["converged"].get<bool>();
  out += fmt::format(
      "  convergence after the run: {} (drain {} s{})\n",
      verdict(style, converged, converged ? "converged" : "NOT converged"), num(c, "drain_s", 3),
      converged ? ""
                : fmt::format("; lagging: {}; writes still queued: {}; failures still in force: {}",
                              fmt::join(c["lagging_copies"], ", "),
                              c.value("queued_writes", std::uint64_t{0}), c.value("failures_in_force", 0)));
}

}  // namespace

// report.slo's verdicts, right under the invariants: the lines a CI log reader looks for.
void slos(std::string& out, const SummaryStyle& style, const json& slo) {
  std::size_t holding = 0;
  for (const json& check : slo["checks"]) holding += check["holds"].get<bool>() ? 1 : 0;
  const bool ok = slo["ok"].get<bool>();
  out += fmt::format("SLOs: {} ({} of {} hold)\n", verdict(style, ok, ok ? "met" : "BREACHED"), holding,
                     slo["checks"].size());
  for (const json& check : slo["checks"]) {
    std::string bounds;
    if (check.contains("min")) bounds += fmt::format(">= {}", check["min"].get<double>());
    if (check.contains("max"))
      bounds += fmt::format("{}<= {}", bounds.empty() ? "" : ", ", check["max"].get<double>());
    const std::string value = check["value"].is_number()     ? fmt::format("{}", check["value"].get<double>())
                              : check["present"].get<bool>() ? "null (not applicable)"
                                                             : "not in the report";
    const bool holds = check["holds"].get<bool>();
    out += fmt::format("  {} {} {}: {}\n", verdict(style, holds, holds ? "ok  " : "FAIL"),
                       check["metric"].get<std::string>(), bounds, value);
  }
}

std::string render_summary(const json& report, const SummaryStyle& style) {
  std::string out;
  const json& run = report["run"];
  out += fmt::format(
      "shardsim {} - scenario \"{}\", seed {}\n", report["simulator_version"].get<std::string>(),
      report["scenario"]["name"].get<std::string>(), report["scenario"]["seed"].get<std::uint64_t>());
  out +=
      fmt::format("simulated {:.3f} s (warm-up {:.3f} s left out), {} events{}\n",
                  run["simulated_s"].get<double>(), run["warmup_s"].get<double>(),
                  run["events"].get<std::uint64_t>(), run["interrupted"].get<bool>() ? ", INTERRUPTED" : "");
  const json& inv = report["invariants"];
  out += fmt::format(
      "invariants: {} (reads at a master: {}, commits off the active master: {}{})\n",
      verdict(style, inv["ok"].get<bool>(), inv["ok"].get<bool>() ? "ok" : "VIOLATED"),
      inv["reads_at_a_master"].get<std::uint64_t>(),
      inv["commits_off_the_active_master"].get<std::uint64_t>(),
      inv.value("converged_once_healed", true) ? "" : ", NOT converged with every failure healed");
  if (report.contains("slo")) slos(out, style, report["slo"]);
  requests(out, style, report["requests"]);
  lag(out, style, report["consistency_lag"]);
  staleness(out, style, report["staleness"]);
  eighty_twenty(out, style, report["eighty_twenty"]);
  failures(out, style, report["failures"]);
  replication(out, style, report);
  caches_and_balancers(out, style, report);
  nodes(out, style, report["nodes"]);
  return out;
}

}  // namespace shardsim
