// min-replicas-to-write bounds what a master cut off from its replicas accepts (issue 16 with
// Redis's min-replicas-to-write): writes it would commit and a promotion on the far side would cut.
#include <catch2/catch.hpp>

#include "shardsim/report/summary.h"
#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

// The active master in east; its standby, the shard masters and the monitor in west. East is cut
// off from west (dropping) from 10 s to 30 s: the monitor misses the master's heartbeats for 15 s
// (30 x 0.5 s) and promotes the standby about 17 s into the cut. East's clients keep writing to
// the old master meanwhile (100 writes/s).
json isolated_master(bool fencing, int min_replicas) {
  json patch = {{"duration_s", 45},
                {"global_master", {{"standby_geo", "west"}}},
                {"shard_masters", {{"geo", "west"}}},
                {"failover", {{"monitor_geo", "west"}, {"missed_heartbeats", 30}, {"fencing", fencing}}},
                {"failures", json::array({{{"kind", "partition"},
                                           {"between", {"east", "west"}},
                                           {"at_s", 10},
                                           {"duration_s", 20},
                                           {"mode", "drop"}}})}};
  if (min_replicas > 0) {
    patch["global_master"]["min_replicas_to_write"] = min_replicas;
    patch["global_master"]["min_replicas_max_lag_s"] = 3;
  }
  return patch;
}

const json& master_failover(const json& report) {
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == "active_master") return f;
  FAIL("no failover of the active master");
  throw;
}

double first_event(const json& report, const char* what) {
  for (const json& e : report["failures"]["timeline"])
    if (e["event"] == what) return e["at_s"].get<double>();
  return -1;
}

}  // namespace

TEST_CASE("min-replicas-to-write: an isolated master stops taking writes max_lag after the cut",
          "[failure][min_replicas]") {
  const json plain = run_scenario(test_scenario(isolated_master(true, 0))).report;
  const json gated = run_scenario(test_scenario(isolated_master(true, 1))).report;
  const json& p = master_failover(plain);
  const json& g = master_failover(gated);
  REQUIRE(p["promoted"] == "passive_master_global");
  REQUIRE(g["promoted"] == "passive_master_global");
  // Off, the option leaves no trace in the report.
  CHECK_FALSE(plain["durability"].contains("min_replicas"));

  // The refusal: max_lag 3 s + d after the cut, give or take the ACK period and the whole seconds.
  const double refused_at = first_event(gated, "noreplicas");
  INFO("first refusal at " << refused_at << " s");
  CHECK(refused_at > 10 + 3 - 1);
  CHECK(refused_at < 10 + 3 + 2.1);
  const json& m = gated["durability"]["min_replicas"];
  CHECK(m["to_write"] == 1);
  CHECK(m["max_lag_s"] == 3);
  CHECK(m["refused_writes"].get<double>() > 500);  // east's writes for the rest of the cut, and retries
  CHECK(m["refused_writes"] ==
        m["refused_sync_writes"].get<std::uint64_t>() + m["refused_async_writes"].get<std::uint64_t>());
  CHECK(m["first_refusal_at_s"].get<double>() >= refused_at);
  CHECK(m["first_refusal_at_s"].get<double>() < refused_at + 0.2);
  CHECK(shardsim::render_summary(gated).find("min-replicas-to-write 1 (max lag 3 s): refused") !=
        std::string::npos);
  CHECK(shardsim::render_summary(plain).find("min-replicas-to-write") == std::string::npos);

  // Every write the old master took during the cut is cut at the promotion: without the option,
  // about 17 s of east's writes (100/s); with it, at most max_lag + 2 s of them.
  const auto lost_plain = p["acknowledged_writes_lost"].get<double>();
  const auto lost_gated = g["acknowledged_writes_lost"].get<double>();
  INFO("acknowledged writes lost: " << lost_plain << " without, " << lost_gated << " with min-replicas");
  CHECK(lost_plain > 1200);
  CHECK(lost_gated > 100);
  CHECK(lost_gated < 100 * (3 + 2.1) * 1.3);
  // The refused writes fail to their clients: counted like any failed sync write.
  CHECK(gated["requests"]["east"]["failed_by_operation"]["sync_write"].get<double>() >
        plain["requests"]["east"]["failed_by_operation"]["sync_write"].get<double>());
  CHECK(gated["invariants"]["ok"] == true);
}

TEST_CASE("min-replicas-to-write: unfenced, the old master refuses instead of diverging",
          "[failure][min_replicas][fencing]") {
  const json plain = run_scenario(test_scenario(isolated_master(false, 0))).report;
  const json gated = run_scenario(test_scenario(isolated_master(false, 1))).report;
  const json& p = master_failover(plain);
  const json& g = master_failover(gated);
  // Without it, the old master answers east's writes from the promotion to the heal (about 3 s):
  // divergent. With it, it has refused them since max_lag after the cut, long before.
  CHECK(p["divergent_writes_old_side"].get<double>() > 150);
  CHECK(g["divergent_writes_old_side"] == 0);
  CHECK(gated["durability"]["min_replicas"]["refused_by_old_master"].get<double>() > 0);
  // Once the partition heals, the news reaches the old master and the standby's writes resume.
  CHECK(first_event(gated, "fenced") >= 30);
}
