// Mixtures and presets in scenario files: accepted where they make sense, with an error at the
// right place otherwise.
#include <catch2/catch.hpp>

#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::testing::load_error_of;

TEST_CASE("a mixture and a preset load into the distributions they name", "[scenario][mixture]") {
  const shardsim::Scenario s = shardsim::testing::test_scenario(json::parse(R"({
    "network": {"intra_geo_latency_ms": {"dist": "preset", "name": "pbs/lnkd-ssd"},
                "inter_geo_latency_ms": {"dist": "mixture", "components": [
                  {"weight": 0.75, "law": 20}, {"weight": 0.25, "law": {"dist": "preset", "name": "pbs/ymmr-write"}}]}}})"));
  CHECK(s.network.intra_geo_latency_ms.kind() == shardsim::Distribution::Kind::kMixture);
  const double ymmr_write = 0.939 * 3 * 3.35 / 2.35 + 0.061 / 0.0028;
  CHECK(s.network.inter_geo_latency_ms.mean() == Approx(0.75 * 20 + 0.25 * ymmr_write));
}

TEST_CASE("mixture weights that do not sum to 1, and a preset under a key in seconds, are errors",
          "[scenario][mixture]") {
  CHECK_THAT(
      load_error_of(json::parse(R"({"network": {"intra_geo_latency_ms": {"dist": "mixture", "components": [
                 {"weight": 0.5, "law": 1}, {"weight": 0.4, "law": 2}]}}})")),
      Catch::Contains(
          "/network/intra_geo_latency_ms/components: expected the weights to sum to 1, found 0.9"));
  CHECK_THAT(
      load_error_of(json::parse(R"({"failures": [{"kind": "random_crashes", "nodes": ["shard_slave_east_1"],
                 "at_s": 1, "time_between_failures_s": {"dist": "preset", "name": "pbs/lnkd-ssd"}}]})")),
      Catch::Contains("a preset is in milliseconds, but \"time_between_failures_s\" is not a _ms key"));
  CHECK_THAT(load_error_of(json::parse(
                 R"({"network": {"intra_geo_latency_ms": {"dist": "preset", "name": "pbs/lnkd"}}})")),
             Catch::Contains("expected one of \"pbs/lnkd-ssd\""));
}
