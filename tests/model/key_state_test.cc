// Per-key state kept dense (a table over the key space) or sparse (the keys written) must give the
// same run: the choice is one of memory and speed, never of results. Each shipped scenario below
// exercises a different part of the log's per-key state: reads of stale and fresh keys from caches
// and slaves (seed), a cut of the log at a global master failover (failover-global-master), and
// trimmed entries, lapses and snapshots (the GitLab replay).
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "shardsim/run/run.h"
#include "shardsim/scenario/loader.h"

using nlohmann::json;

namespace {

json report_with_state(const std::string& relative_path, const char* state, double duration_s) {
  std::ifstream in(std::string(SHARDSIM_SOURCE_DIR) + "/" + relative_path);
  json document = json::parse(in);
  document["keys"]["state"] = state;
  if (duration_s > 0) document["duration_s"] = duration_s;
  const shardsim::Scenario scenario = shardsim::load_scenario_text(document.dump(), relative_path);
  json report = shardsim::run_scenario(scenario).report;
  // The one place the two runs may differ: the effective scenario echoes the setting.
  REQUIRE(report["scenario"]["effective"]["keys"]["state"] == state);
  report["scenario"]["effective"]["keys"].erase("state");
  return report;
}

// Runs both forms, checks the reports are equal, and returns the dense one (for the test to check
// that the run exercised what it is meant to).
json same_run(const std::string& relative_path, double duration_s) {
  const json dense = report_with_state(relative_path, "dense", duration_s);
  const json sparse = report_with_state(relative_path, "sparse", duration_s);
  CHECK(json::diff(dense, sparse).dump() == "[]");
  CHECK(dense["replication"]["commits_total"].get<std::uint64_t>() > 0);
  return dense;
}

std::uint64_t stale_reads(const json& report) {
  std::uint64_t stale = 0;
  for (const auto& [geo, by_source] : report["staleness"].items()) {
    stale += by_source["cache"]["stale_reads"].get<std::uint64_t>() +
             by_source["slave"]["stale_reads"].get<std::uint64_t>();
  }
  return stale;
}

}  // namespace

TEST_CASE("key state: dense and sparse give the same report on the seed", "[model][keys]") {
  const json report = same_run("scenarios/seed.json", 60);
  CHECK(stale_reads(report) > 0);
}

TEST_CASE("key state: dense and sparse give the same report across a global master failover",
          "[model][keys]") {
  const json report = same_run("scenarios/failover-global-master.json", 120);
  CHECK(report["failures"]["summary"]["failovers"].get<std::uint64_t>() >= 1);
  CHECK(stale_reads(report) > 0);
}

TEST_CASE("key state: dense and sparse give the same report through lapses and snapshots", "[model][keys]") {
  const json report = same_run("scenarios/incidents/gitlab-2017-01-31.json", 0);
  CHECK(report["replication"]["lapses_total"].get<std::uint64_t>() >= 1);
}
