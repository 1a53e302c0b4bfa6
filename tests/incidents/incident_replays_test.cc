// The incident replays of scenarios/incidents/ (docs/incidents.md, issue 17): each test runs the
// shipped scenario and checks the outcome the replay exists to show, so that a model change that
// breaks a replay fails here. The bands are derived in docs/incidents.md.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "shardsim/scenario/loader.h"

using nlohmann::json;
using shardsim::load_scenario_text;
using shardsim::run_scenario;

namespace {

json scenario_json(const std::string& name) {
  std::ifstream in(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/incidents/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

shardsim::RunResult run(const json& document, bool timeseries = false) {
  shardsim::RunOptions options;
  options.timeseries_text = timeseries;
  return run_scenario(load_scenario_text(document.dump(), "incident.json"), options);
}

const json& failover_of(const json& report, const std::string& node) {
  for (const json& f : report["failures"]["failovers"])
    if (f["node"] == node) return f;
  FAIL("no failover of " << node);
  throw;
}

// The first timeline event of `event` at `node`, or null.
json event_at(const json& report, const std::string& event, const std::string& node) {
  for (const json& e : report["failures"]["timeline"])
    if (e["event"] == event && e["node"] == node) return e;
  return nullptr;
}

}  // namespace

TEST_CASE("GitHub 2018-10-21: the far side's orchestrator promotes across regions inside the 43 s cut",
          "[incidents]") {
  json document = scenario_json("github-2018-10-21.json");
  const double cut = 30, heal = 30 + 43;
  const json report = run(document).report;
  CHECK(report["invariants"]["ok"] == true);

  // The standby in west, and a west replica of each shard, are promoted while east is cut off.
  REQUIRE(document["global_master"]["standby_geo"] == "west");
  for (const char* node : {"passive_master_global", "shard_slave_west_1", "shard_slave_west_2"}) {
    INFO(node);
    const json promoted = event_at(report, "promoted", node);
    REQUIRE(!promoted.is_null());
    CHECK(promoted["at_s"].get<double>() > cut);
    CHECK(promoted["at_s"].get<double>() < heal);
  }
  const json& master = failover_of(report, "active_master_global");
  CHECK(master["false_failover"] == true);
  CHECK(master["promoted"] == "passive_master_global");
  const double promoted_at = event_at(report, "promoted", "passive_master_global")["at_s"].get<double>();

  // Fencing off: both sides take writes the other never gets, until the news reaches east at the heal.
  const json fenced = event_at(report, "fenced", "active_master_global");
  REQUIRE(!fenced.is_null());
  CHECK(fenced["at_s"].get<double>() >= heal);
  const double split_s = fenced["at_s"].get<double>() - promoted_at;
  const double hub_writes_per_s = document["workload"]["hub"]["rate_per_s"].get<double>();
  const double east_writes_per_s = document["workload"]["east"]["rate_per_s"].get<double>();
  // Poisson counts: the expectation +- 4 standard deviations (and 10%).
  const auto band = [](double expected) {
    const double slack = 4 * std::sqrt(expected) + 0.1 * expected;
    return std::pair{expected - slack, expected + slack};
  };
  const auto [old_lo, old_hi] = band(east_writes_per_s * split_s);
  CHECK(master["divergent_writes_old_side"].get<double>() > old_lo);
  CHECK(master["divergent_writes_old_side"].get<double>() < old_hi);
  const auto [new_lo, new_hi] = band(hub_writes_per_s * split_s);
  CHECK(master["divergent_writes_new_side"].get<double>() > new_lo);
  CHECK(master["divergent_writes_new_side"].get<double>() < new_hi);

  // Unreplicated at the cut: with the east jobs silenced, only what the standby's hop had not yet
  // shipped is lost, each shard's stream U(0, B) behind: between 0 and R x B.
  json quiet = document;
  quiet["workload"]["east"]["rate_per_s"] = 0;
  const json quiet_report = run(quiet).report;
  const double batch_s =
      document["replication"]["master_to_standby"]["batch_interval_ms"].get<double>() / 1000;
  const double lost_at_cut = failover_of(quiet_report, "active_master_global")["writes_lost"].get<double>();
  CHECK(lost_at_cut > 0);
  CHECK(lost_at_cut < band(hub_writes_per_s * batch_s).second);
  // With the jobs, east's own commits between the cut and the promotion are lost too.
  const auto [jobs_lo, jobs_hi] = band(east_writes_per_s * (promoted_at - cut));
  const double lost = master["writes_lost"].get<double>();
  CHECK(lost - lost_at_cut > jobs_lo);
  CHECK(lost - lost_at_cut < jobs_hi);

  // MySQL's default slave_net_timeout (60 s) would have kept the replicas "replicating" past the
  // cut: no promotion inside it.
  json slow = document;
  slow["failover"]["orchestrator"]["slave_net_timeout_s"] = 60;
  const json slow_report = run(slow).report;
  const json slow_promoted = event_at(slow_report, "promoted", "passive_master_global");
  CHECK((slow_promoted.is_null() || slow_promoted["at_s"].get<double>() >= heal));
}

TEST_CASE("GitLab 2017-01-31: the standby lapses at the log retention and is rebuilt from a snapshot",
          "[incidents]") {
  const json document = scenario_json("gitlab-2017-01-31.json");
  const shardsim::RunResult result = run(document, true);
  const json& report = result.report;
  CHECK(report["invariants"]["ok"] == true);
  CHECK(report["convergence"]["converged"] == true);
  const json& replication = report["replication"];
  CHECK(replication["lapses_total"] == 1);
  CHECK(replication["lapsed_at_end"].empty());
  for (const json& stream : replication["streams"]) {
    INFO(stream["target"].get<std::string>());
    CHECK(stream["snapshots_total"] == (stream["target"] == "passive_master_global/shard1" ? 1 : 0));
  }

  // The lapse comes once the backlog passes the retention: the spike's excess over what the link
  // carries, retention / (3 x 10 - bandwidth / entry bytes) after the spike's start.
  const double keys = document["keys"]["count"].get<double>();
  const double entry_bytes = document["keys"]["value_bytes"].get<double>() + 64;
  const double bandwidth = document["network"]["links"][0]["bandwidth_bytes_per_s"].get<double>();
  const double retention = document["replication"]["log_retention_entries"].get<double>();
  const double lapse_at = 600 + retention / (30 - bandwidth / entry_bytes);
  // The rebuild: the snapshot (keys x entry bytes) over the link, behind the batches already queued
  // on it (at most what the link carries in the lapse's lag, under 1,000 s here), then loaded.
  const double transfer_s = keys * entry_bytes / bandwidth;
  std::istringstream csv(result.timeseries_csv);
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  for (std::stringstream cells(line); std::getline(cells, line, ',');) header.push_back(line);
  const auto column =
      std::find(header.begin(), header.end(), "lag_ms_passive_master_global/shard1") - header.begin();
  REQUIRE(column < static_cast<long>(header.size()));
  double behind_from = -1, rebuilt_at = -1;
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    for (std::stringstream row(line); std::getline(row, line, ',');) cells.push_back(line);
    const double t = std::stod(cells[0]), lag_ms = std::stod(cells[column]);
    if (behind_from < 0 && lag_ms > 60000) behind_from = t;  // a minute behind: the spike is biting
    if (t > lapse_at && lag_ms == 0 && rebuilt_at < 0) rebuilt_at = t;
  }
  CHECK(behind_from > 600);
  CHECK(behind_from < lapse_at);
  REQUIRE(rebuilt_at > 0);
  CHECK(rebuilt_at > lapse_at + transfer_s);
  CHECK(rebuilt_at < lapse_at + transfer_s + 1000 + 120);
}

TEST_CASE("Cloudflare 2020-11-02: a rack cut from the etcd majority gets its healthy primary replaced",
          "[incidents]") {
  const json document = scenario_json("cloudflare-2020-11-02.json");
  const json report = run(document).report;
  CHECK(report["invariants"]["ok"] == true);
  const double cut = 60, heal = 60 + 300;
  const double ttl = document["failover"]["lease"]["ttl_s"].get<double>();
  const double loop = document["failover"]["lease"]["loop_wait_s"].get<double>();
  const double retry = document["failover"]["lease"]["retry_timeout_s"].get<double>();

  // Nothing crashed: the primary demotes itself (its renewal is not confirmed within retry_timeout)
  // and the standby on the store's majority side takes the expired key.
  for (const json& e : report["failures"]["timeline"]) CHECK(e["event"] != "crash");
  const json demoted = event_at(report, "demoted", "active_master_global");
  REQUIRE(!demoted.is_null());
  CHECK(demoted["at_s"].get<double>() > cut);
  CHECK(demoted["at_s"].get<double>() <= cut + loop + retry + 1);
  const json promoted = event_at(report, "promoted", "passive_master_global");
  REQUIRE(!promoted.is_null());
  // The key lives ttl after the last renewal (up to a loop before the cut), then Patroni's 2 s
  // REST timeout for the unreachable primary's status.
  CHECK(promoted["at_s"].get<double>() > cut + ttl - loop);
  CHECK(promoted["at_s"].get<double>() < cut + ttl + 2 + 1);
  CHECK(promoted["at_s"].get<double>() < heal);
  const json& master = failover_of(report, "active_master_global");
  CHECK(master["false_failover"] == true);
  CHECK(master["promoted"] == "passive_master_global");
  // The shard sets' masters are in the cut rack too: their replicas take over as well.
  CHECK(report["failures"]["summary"]["false_failovers"] == 3);
}
