// failover.fencing: with the old master fenced at the promotion nothing diverges; unfenced, a
// master cut off from the detector keeps taking the writes of its geo until the news of the new
// master reaches it, and both sides' divergent writes are counted (issue 16's "done when").
#include <catch2/catch.hpp>

#include "shardsim/run/run.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::run_scenario;
using shardsim::testing::test_scenario;

namespace {

// The active master in east, the standby and the monitor in west; east and west cut apart
// (holding messages) from 10 s to 20 s: the monitor declares the master down and promotes the
// standby, and the news to east waits for the heal.
json split_brain(bool fencing) {
  return json{{"duration_s", 40},
              {"global_master", {{"standby_geo", "west"}}},
              {"failover", {{"monitor_geo", "west"}, {"fencing", fencing}}},
              {"failures", json::parse(R"([
      {"kind": "partition", "between": ["east", "west"], "at_s": 10, "duration_s": 10}])")}};
}

const json& master_failover(const json& report) {
  for (const json& f : report["failures"]["failovers"])
    if (f["role"] == "active_master") return f;
  FAIL("no failover of the active master");
  throw;
}

}  // namespace

TEST_CASE("fencing: on, nothing diverges; off, both sides take writes the other never gets",
          "[failure][fencing]") {
  const json fenced = run_scenario(test_scenario(split_brain(true))).report;
  const json& f = master_failover(fenced);
  CHECK(f["false_failover"] == true);
  CHECK(f["divergent_writes_old_side"] == 0);
  CHECK(f["divergent_writes_new_side"] == 0);
  CHECK(fenced["failures"]["summary"]["divergent_writes"] == 0);

  const json unfenced = run_scenario(test_scenario(split_brain(false))).report;
  const json& g = master_failover(unfenced);
  CHECK(g["false_failover"] == true);
  // East's clients write to the old master for the rest of the partition (about 8 s at 100
  // writes/s, half of them sync); west's go to the new master.
  CHECK(g["divergent_writes_old_side"].get<double>() > 300);
  CHECK(g["divergent_writes_new_side"].get<double>() > 300);
  CHECK(unfenced["failures"]["summary"]["divergent_writes"] ==
        g["divergent_writes_old_side"].get<std::uint64_t>() +
            g["divergent_writes_new_side"].get<std::uint64_t>());
  // Fenced, east's writes fail during the split instead of being answered and lost.
  CHECK(f["sync_writes_failed"].get<double>() > g["sync_writes_failed"].get<double>());
  bool not_fenced = false, fenced_later = false;
  for (const json& e : unfenced["failures"]["timeline"]) {
    not_fenced = not_fenced || e["event"] == "not_fenced";
    if (e["event"] == "fenced") {
      fenced_later = true;
      CHECK(e["at_s"].get<double>() >= 20);  // the news reaches east once the partition heals
    }
  }
  CHECK(not_fenced);
  CHECK(fenced_later);
  CHECK(unfenced["invariants"]["ok"] == true);
}
