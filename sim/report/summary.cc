#include "shardsim/report/summary.h"

#include <fmt/format.h>

namespace shardsim {

namespace {

using nlohmann::json;

void heading(std::string& out, const std::string& title) {
  out += fmt::format("\n== {} ==\n", title);
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

void requests(std::string& out, const json& r) {
  heading(out, "Requests and latency (client-observed, after warm-up)");
  for (const auto& [geo, g] : r.items()) {
    out += fmt::format("{}: {:.1f} answered/s, availability {:.4f}, failed {}\n", geo,
                       g["throughput_per_s"].get<double>(), g["availability"].get<double>(),
                       g["requests_failed"].get<std::uint64_t>());
    latency_header(out, "operation");
    for (const auto& [op, d] : g["latency"].items()) latency_row(out, op, d);
  }
}

void lag(std::string& out, const json& c) {
  heading(out, "Consistency lag (apply time at the replica minus commit time at the active master)");
  latency_header(out, "hop");
  latency_row(out, "master -> standby", c["master_to_standby"]);
  latency_row(out, "master -> shard master", c["master_to_shard_master"]);
  for (const auto& [geo, g] : c["geos"].items()) {
    latency_row(out, "shard master -> " + geo + " slave", g["shard_master_to_slave"]);
    latency_row(out, "end to end, " + geo, g["end_to_end"]);
  }
}

void staleness(std::string& out, const json& s) {
  heading(out, "Read staleness (returned version older than the master's latest at read time)");
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

void eighty_twenty(std::string& out, const json& e) {
  heading(out, "80/20 rule");
  out += fmt::format("  {:<10} {:>8} {:>10} {:>10} {:>14} {:>8} | {:>11} {:>11}\n", "geo", "target",
                     "fresh mean", "fresh min", "time below s", "holds", "slave hot", "cache hot");
  for (const auto& [geo, g] : e.items()) {
    const json& d = g["slave_data_ratio"];
    const json& h = g["hot_cold_split"];
    out += fmt::format("  {:<10} {:>8.2f} {:>10.4f} {:>10.4f} {:>14.3f} {:>8} | {:>11.4f} {:>11.4f}\n", geo,
                       d["target_fresh_share"].get<double>(), d["fresh_share_mean"].get<double>(),
                       d["fresh_share_min"].get<double>(), d["time_below_target_s"].get<double>(),
                       d["always_holds"].get<bool>() ? "yes" : "NO", h["slave_reads_hot_share"].get<double>(),
                       h["cache_hits_hot_share"].get<double>());
  }
  out +=
      "  fresh = share of a geo's slave-held keys whose version equals the master's latest (time-weighted);\n"
      "  hot = share of slave reads / cache hits that went to the workload's hot set.\n";
}

void caches_and_balancers(std::string& out, const json& report) {
  heading(out, "Caches and load balancers");
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

void nodes(std::string& out, const json& n) {
  heading(out, "Nodes");
  out += fmt::format("  {:<34} {:>7} {:>6} {:>7} {:>10} {:>9} {:>11} {:>9}\n", "node", "geo", "c", "util",
                     "mean queue", "max queue", "served", "rejected");
  for (const json& node : n) {
    out += fmt::format("  {:<34} {:>7} {:>6} {:>7.3f} {:>10.3f} {:>9} {:>11} {:>9}\n",
                       node["name"].get<std::string>(), node["geo"].get<std::string>(),
                       node["servers"].get<std::uint32_t>(), node["utilization"].get<double>(),
                       node["mean_queue"].get<double>(), node["max_queue"].get<std::uint64_t>(),
                       node["served"].get<std::uint64_t>(), node["rejected"].get<std::uint64_t>());
  }
}

}  // namespace

std::string render_summary(const json& report) {
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
  out += fmt::format("invariants: {} (reads at a master: {}, commits off the active master: {})\n",
                     inv["ok"].get<bool>() ? "ok" : "VIOLATED", inv["reads_at_a_master"].get<std::uint64_t>(),
                     inv["commits_off_the_active_master"].get<std::uint64_t>());
  requests(out, report["requests"]);
  lag(out, report["consistency_lag"]);
  staleness(out, report["staleness"]);
  eighty_twenty(out, report["eighty_twenty"]);
  caches_and_balancers(out, report);
  nodes(out, report["nodes"]);
  return out;
}

}  // namespace shardsim
