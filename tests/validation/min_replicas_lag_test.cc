// min-replicas-to-write: the time from a cut to the master's first refusal, against its formula
// (docs/failover-policies.md, "min-replicas-to-write").
//
// One shard; the master and the shard master in east, the standby in west (one-way latency d);
// min_replicas_to_write 2, so the master refuses once the standby is no longer a good replica. The
// standby sends an ACK every second at its own phase; east and west are cut apart (dropping) at c,
// so its last ACK left at c - u, u ~ U(0, 1 s), and arrived at a = c - u + d. The master stamps it
// with its clock's whole second, floor(a + o) for the clock's offset o, and recounts once a second
// at its cron's phase, phi after its clock's second boundaries. The first recount whose second
// exceeds the ACK's by more than max_lag M comes at wall second floor(a + o) + M + 1 + phi, so
//     R - c = M + d + 1 + phi - f - u,    f = frac(a + o);  phi, f, u ~ U(0, 1) independent,
// inside (M + d - 1, M + d + 2), with mean M + d + 1/2 and standard deviation 1/2.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/sample_stats.h"
#include "support/test_scenarios.h"

using nlohmann::json;

namespace {

constexpr double kCutAt = 5.0;
constexpr double kOneWay = 0.02;  // the base scenario's inter-geo latency

// The time from the cut to the timeline's first "noreplicas", in a run with `seed`.
double first_refusal_after_cut(std::uint64_t seed, int max_lag_s) {
  const json patch = {
      {"seed", seed},
      {"duration_s", kCutAt + max_lag_s + 3},
      {"shards", {{"shard_count", 1}}},
      {"global_master",
       {{"standby_geo", "west"}, {"min_replicas_to_write", 2}, {"min_replicas_max_lag_s", max_lag_s}}},
      {"failover", {{"monitor_geo", "east"}, {"missed_heartbeats", 1000}}},  // no failover in the window
      {"workload", {{"east", {{"rate_per_s", 20}}}, {"west", {{"rate_per_s", 0}}}}},
      {"failures", json::array({{{"kind", "partition"},
                                 {"between", {"east", "west"}},
                                 {"at_s", kCutAt},
                                 {"duration_s", 1000},
                                 {"mode", "drop"}}})}};
  const json report = shardsim::run_scenario(shardsim::testing::test_scenario(patch)).report;
  for (const json& e : report["failures"]["timeline"])
    if (e["event"] == "noreplicas") return e["at_s"].get<double>() - kCutAt;
  FAIL("no refusal in seed " << seed);
  return 0;
}

}  // namespace

TEST_CASE(
    "min-replicas-to-write: a master cut off from its replica refuses max_lag + d + U1 - U2 + U3 after the "
    "cut",
    "[validation][min_replicas]") {
  const int max_lag = 3;
  std::vector<double> refusal;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) refusal.push_back(first_refusal_after_cut(seed, max_lag));
  const double lo = max_lag + kOneWay - 1, hi = max_lag + kOneWay + 2;
  const auto [mean, se] = shardsim::testing::check_window_and_mean(refusal, lo, hi);
  const double expected = max_lag + kOneWay + 0.5;
  INFO("mean " << mean << " s, expected " << expected << " s, standard error " << se << " s");
  CHECK(std::abs(mean - expected) < 3 * se);
  // The spread of a sum of three independent uniforms: standard deviation 1/2.
  CHECK(std::abs(se * std::sqrt(300.0 - 1) - 0.5) < 0.06);
}
