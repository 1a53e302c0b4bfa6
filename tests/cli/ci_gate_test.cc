// tools/ci_gate/replication_gate.sh, the README's CI example: records a baseline, passes against
// an identical run (runs are deterministic), fails with exit 1 when replication gets slower.
#include <filesystem>
#include <string>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/python.h"
#include "support/run_binary.h"

using shardsim::testing::shell;
using shardsim::testing::source_path;

TEST_CASE("the replication gate passes an identical run and fails a slower replication", "[cli][compare]") {
  const auto dir = shardsim::testing::fresh_directory("ci-gate-" + std::to_string(::getpid()));
  const std::string gate = "SHARDSIM='" + std::string(SHARDSIM_BINARY) + "' bash '" +
                           source_path("tools/ci_gate/replication_gate.sh") + "' ";
  const std::string quick = "SHARDSIM_RUN_ARGS='--set duration_s=8 --set report.warmup_s=2' ";
  const std::string scenario = " '" + source_path("scenarios/seed.json") + "' > /dev/null 2>&1";
  const std::string baseline = "'" + (dir / "baseline").string() + "'";

  REQUIRE(shell(quick + gate + "--update " + baseline + scenario) == 0);
  CHECK(std::filesystem::exists(dir / "baseline" / "seed.json"));
  CHECK(shell(quick + gate + baseline + scenario) == 0);
  const std::string slower =
      "SHARDSIM_RUN_ARGS='--set duration_s=8 --set report.warmup_s=2 "
      "--set replication.shard_master_to_slave.batch_interval_ms=300' ";
  CHECK(shell(slower + gate + baseline + scenario) == 1);
  CHECK(shell(gate + scenario) == 2);  // no baseline directory given
}
