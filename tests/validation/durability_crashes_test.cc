// Write acknowledgement across 200 master crashes (issue 16's "done when"): quorum writes that
// need the standby lose no acknowledged write when the standby is promoted, while async writes
// lose what Little's law puts in the queue of committed writes not yet shipped to the standby.
//
// The base test scenario writes 200 times a second (half sync, half async), and ships to the
// standby every B = 10 ms over 0.5 ms; the standby applies at once. A write committed at a uniform
// moment waits B/2 on average for its batch, so at a crash L = lambda W = 200/s x 5 ms = 1 write
// on average has committed without being shipped: lost at the promotion. The crashes come 30 s
// apart (the active master down for 10 s, longer than detection and promotion), each at a random
// phase, so every one meets the standby up and caught up.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/random/stream.h"
#include "shardsim/run/run.h"
#include "support/sample_stats.h"
#include "support/test_scenarios.h"

using nlohmann::json;

namespace {

constexpr int kCrashes = 200;

json crashes_of_the_active_master() {
  // Each crash takes the active master, which alternates between the two boxes as each crash
  // promotes the other.
  shardsim::RandomStream phase(21, "test/crash-phase");
  json failures = json::array();
  for (int k = 0; k < kCrashes; ++k) {
    const double at = 10 + 30.0 * k + static_cast<double>(phase.next_below(1000000)) / 1e6;
    failures.push_back({{"kind", "crash"},
                        {"nodes", {k % 2 == 0 ? "active_master_global" : "passive_master_global"}},
                        {"at_s", at},
                        {"duration_s", 10}});
  }
  return failures;
}

struct Losses {
  std::vector<double> acknowledged;
  double all = 0;
};

Losses run_with(const json& durability) {
  json patch = {{"duration_s", 10 + 30 * kCrashes},
                {"report", {{"warmup_s", 1}, {"sample_interval_s", 10}}},
                {"failures", crashes_of_the_active_master()}};
  if (!durability.is_null()) patch["durability"] = durability;
  const json report = shardsim::run_scenario(shardsim::testing::test_scenario(patch)).report;
  REQUIRE(report["invariants"]["ok"] == true);
  Losses losses;
  for (const json& f : report["failures"]["failovers"]) {
    if (f["role"] != "active_master") continue;
    REQUIRE(f["false_failover"] == false);
    REQUIRE(f["promoted"].is_string());  // every crash met a live, caught-up standby
    losses.acknowledged.push_back(f["acknowledged_writes_lost"].get<double>());
    losses.all += f["writes_lost"].get<double>();
  }
  REQUIRE(losses.acknowledged.size() == kCrashes);
  return losses;
}

}  // namespace

TEST_CASE("durability: over 200 master crashes async loses about Little's law, quorum on the standby none",
          "[validation][durability]") {
  const Losses async = run_with(json(nullptr));
  REQUIRE(async.acknowledged.size() == kCrashes);
  const auto [mean, se] = shardsim::testing::sample_mean(async.acknowledged);
  const double expected = 200 * 0.005;
  INFO("async: " << mean << " acknowledged writes lost per crash, Little's law " << expected
                 << ", standard error " << se);
  CHECK(std::abs(mean - expected) < 3 * se);

  const json quorum = {{"mode", "quorum"}, {"replicas", 1}, {"copies", {"standby"}}};
  const Losses held = run_with({{"sync_writes", quorum}, {"async_writes", quorum}});
  for (const double x : held.acknowledged) CHECK(x == 0);
  // Not vacuous: writes were still cut at the promotions, but none of them had been answered.
  CHECK(held.all > 50);
}
