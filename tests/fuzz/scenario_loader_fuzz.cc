// libFuzzer target over the scenario loader: load_scenario_text() with the input as the file's
// text (and, through "//set" and "//seed" lines in front of it, --set and --seed overrides; see
// fuzz_input.h). Built only with -DSHARDSIM_FUZZ=ON and clang; run by tools/fuzz.sh.
//
// A ScenarioError is the loader's answer to bad input and is fine. Anything else is a finding:
// a crash, a sanitizer report, any other exception escaping (libFuzzer reports it as a deadly
// signal), a hang (-timeout) or a huge allocation (-rss_limit_mb, -malloc_limit_mb).
//
// A scenario that loads must also satisfy valijson, a general JSON Schema validator: the loader's
// own schema checker is its only one, and valijson is its oracle here and in the tests.
//
// A scenario that loads is also built into the model (Topology, FailoverCoordinator and
// FailureInjector, as run_scenario() does before starting), which must not throw either: the
// loader promises that what it accepts can be run. Only small scenarios are built, so that an
// input stays at a few milliseconds; the loader's own limits allow models of gigabytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/fuzz_input.h"
#include "shardsim/failure/failover.h"
#include "shardsim/failure/failure_injector.h"
#include "shardsim/model/topology.h"
#include "shardsim/scenario/errors.h"
#include "shardsim/scenario/loader.h"
#include "support/valijson_check.h"

namespace {

using shardsim::Scenario;

// Whether building the model of `scenario` is cheap enough for a fuzz input.
bool small_enough_to_build(const Scenario& scenario) {
  if (scenario.keys.count > 100'000 || scenario.shards.size() > 64 || scenario.geos.size() > 8) return false;
  std::uint64_t slaves_per_shard = 0;
  for (const std::uint32_t count : scenario.slaves.per_shard_per_geo) slaves_per_shard += count;
  if (slaves_per_shard * scenario.shards.size() > 256) return false;
  std::uint64_t cache_nodes = 0;
  for (const auto& cache : scenario.caches) cache_nodes += cache.nodes;
  if (cache_nodes > 64) return false;
  return scenario.slb.vnodes_per_node <= 1000 && scenario.clb.vnodes_per_node <= 1000;
}

void build_model(const Scenario& scenario) {
  shardsim::Topology topology(scenario);
  shardsim::FailoverCoordinator failover(topology);
  shardsim::FailureInjector injector(topology, failover);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const shardsim::fuzz::FuzzLoad load = shardsim::fuzz::split_fuzz_input(input);
  Scenario scenario;
  try {
    scenario = shardsim::load_scenario_text(load.text, "fuzz.json", load.options);
  } catch (const shardsim::ScenarioError& error) {
    // The error must say something: an empty list of issues would be a silent failure.
    if (error.issues().empty() || std::string_view(error.what()).empty()) std::abort();
    return 0;
  }
  // Every run writes the effective scenario into its output: it must be printable JSON (valid UTF-8).
  static_cast<void>(scenario.effective.dump());
  // valijson's nlohmann adapter reads an unsigned integer above 2^63 - 1 as a negative one, so a
  // seed from 2^63 (valid: seeds are 64-bit) is left out of the comparison.
  nlohmann::json oracle_view = scenario.effective;
  if (scenario.seed > static_cast<std::uint64_t>(INT64_MAX)) oracle_view["seed"] = 0;
  if (!shardsim::scenario_internal::check_with_valijson(oracle_view).empty()) std::abort();
  if (small_enough_to_build(scenario)) build_model(scenario);
  return 0;
}
