// Resends after a lost message are at least network.timeout_ms apart, and that timeout has a
// floor: a zero timeout once let the failover's routing news be resent at one simulated instant
// forever (issue 20, item 1).
#include <catch2/catch.hpp>

#include <string>

#include "shardsim/kernel/simulation.h"
#include "shardsim/net/network.h"
#include "shardsim/run/run.h"
#include "shardsim/scenario/errors.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::testing::test_scenario;

namespace {

// Every message between east and west lost from 1 s to 6 s, with the slaves' heartbeats among
// them: the monitor (east) declares the west slaves down and its news to west are lost too.
json total_loss(double timeout_ms) {
  return json{{"network", {{"timeout_ms", timeout_ms}}},
              {"duration_s", 10},
              {"failures", json::array({{{"kind", "loss"},
                                         {"between", json::array({"east", "west"})},
                                         {"at_s", 1},
                                         {"duration_s", 5},
                                         {"share", 1}}})}};
}

}  // namespace

TEST_CASE("a timeout below the 1 ms floor is refused at its position", "[failure][network]") {
  try {
    test_scenario(total_loss(1e-9));
    FAIL("a 1e-9 ms timeout was accepted");
  } catch (const shardsim::ScenarioError& error) {
    const std::string text = error.what();
    CHECK(text.find("/network/timeout_ms") != std::string::npos);
    CHECK(text.find(">= 1") != std::string::npos);
  }
}

TEST_CASE("a network refuses a timeout below the floor however the scenario was made", "[failure][network]") {
  shardsim::Scenario s = test_scenario();
  s.network.timeout = 0;
  shardsim::Simulation sim;
  CHECK_THROWS_AS(shardsim::Network(sim, s), std::invalid_argument);
}

TEST_CASE("at the floor, news lost on a dead link are resent until the link heals, then applied",
          "[failure][network]") {
  const json report = shardsim::run_scenario(test_scenario(total_loss(1))).report;
  int drained_in_west = 0;
  for (const json& e : report["failures"]["timeline"]) {
    if (e["event"] != "routing_updated" || e["detail"] != "off the SLB") continue;
    if (e["node"].get<std::string>().find("west") == std::string::npos) continue;
    ++drained_in_west;
    // The news cannot reach west before the loss ends at 6 s: it was resent, not given up.
    CHECK(e["at_s"].get<double>() >= 6.0);
  }
  CHECK(drained_in_west > 0);
}

TEST_CASE("a link slower than 1 byte per second is refused at its position", "[failure][network]") {
  const json patch = {{"network",
                       {{"links", json::array({{{"between", json::array({"east", "west"})},
                                                {"latency_ms", 20},
                                                {"bandwidth_bytes_per_s", 1e-9}}})}}}};
  CHECK_THROWS_WITH(test_scenario(patch), Catch::Contains("/network/links/0/bandwidth_bytes_per_s"));
}
