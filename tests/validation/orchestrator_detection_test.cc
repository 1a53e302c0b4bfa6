// The orchestrator policy's detection time (crash to DeadMaster), against its formula
// (docs/failover-policies.md).
//
// A master and one replica in one geo (one-way latency d), polls every P, connect timeout C,
// slave_net_timeout S (the master heartbeats every S/2), the analysis every second. For a crash at c:
// - the master's first poll after the crash, u_m ~ U(0, P) later, times out C after it: its last
//   check is invalid at c + u_m + C;
// - the replica's last heartbeat left v ~ U(0, S/2) before the crash and arrived d later, so its IO
//   thread stops S after that; the first poll to reach it afterwards (polls every P at a phase
//   w ~ U(0, P) after the crash) carries "not replicating" back, 2d after it left;
// - DeadMaster is found at the first analysis tick after both, a uniform share of a second later.
// The test draws that expression a million times for its mean, and holds 300 simulated crashes to
// it (within 3 standard errors) and to its bounds.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/failure/orchestrator.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/model/node.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "support/sample_stats.h"
#include "support/test_scenarios.h"

using shardsim::Duration;
using shardsim::FailureDetector;
using shardsim::kSecond;
using shardsim::Time;

namespace {

// Stands in for the failover coordinator: when the master is declared dead, the other member is
// promoted at once.
class Recorder : public FailureDetector::Listener {
 public:
  void on_declared_down(std::uint32_t watch, Time now) override {
    if (watch != master) return;
    decided.push_back(now);
    master = 1 - master;
  }
  void on_declared_up(std::uint32_t /*watch*/, Time /*now*/) override {}
  bool is_master(std::uint32_t watch) const override { return watch == master; }
  void on_detector_event(Time /*now*/, std::string /*what*/, std::string /*node*/,
                         std::string /*detail*/) override {}
  std::uint32_t master = 0;
  std::vector<Time> decided;
};

double formula_sample(shardsim::RandomStream& rng, double P, double C, double S, double d) {
  const double master_invalid = rng.next_double() * P + C;
  const double io_stops = -rng.next_double() * S / 2 + d + S;
  double poll = rng.next_double() * P;  // the replica's first poll after the crash
  while (poll + d <= io_stops) poll += P;
  const double replica_says = poll + 2 * d;
  return std::max(master_invalid, replica_says) + rng.next_double();
}

}  // namespace

TEST_CASE("orchestrator: a dead master is found within the formula's window, on average at its mean",
          "[validation][failover][orchestrator]") {
  // Each crash in a fresh run (its own seed): the phases of the polls and heartbeats, fixed within
  // a run, are then independent from crash to crash, as the formula takes them.
  const shardsim::Scenario scenario = shardsim::testing::test_scenario();  // d = 0.5 ms
  const double P = 5, C = 2, S = 4, d = 0.0005;
  shardsim::RandomStream crash_times(5, "test/crash-times");
  std::vector<double> detection;
  const int crashes = 300;
  for (int k = 0; k < crashes; ++k) {
    shardsim::Simulation sim;
    shardsim::Network network(sim, scenario);
    shardsim::OrchestratorSpec spec;
    spec.geos = {0};
    spec.slave_net_timeout = 4 * kSecond;
    Recorder recorder;
    shardsim::Orchestrator orchestrator(sim, network, spec, 100 + k, recorder);
    shardsim::Node master(sim, "master", 0, shardsim::NodeSpec{}, 1, shardsim::Callback{});
    shardsim::Node replica(sim, "replica", 0, shardsim::NodeSpec{}, 1, shardsim::Callback{});
    orchestrator.watch("master", 0, &master, nullptr);
    orchestrator.watch("replica", 0, &replica, nullptr);
    orchestrator.start();
    sim.run_until(20 * kSecond + static_cast<Duration>(crash_times.next_below(5 * kSecond)));
    const Time crashed = sim.now();
    master.crash();
    sim.run_until(crashed + 60 * kSecond);
    REQUIRE(recorder.decided.size() == 1);
    detection.push_back(shardsim::to_s(recorder.decided.front() - crashed));
  }

  shardsim::RandomStream formula(3, "test/formula");
  double expected = 0;
  const int draws = 1000000;
  for (int i = 0; i < draws; ++i) expected += formula_sample(formula, P, C, S, d);
  expected /= draws;
  const double lo = std::max(S / 2 + d, C), hi = std::max(S + P + 3 * d, P + C) + 1;
  const auto [mean, se] = shardsim::testing::check_window_and_mean(detection, lo, hi);
  INFO("mean " << mean << " s, expected " << expected << " s, standard error " << se << " s");
  CHECK(std::abs(mean - expected) < 3 * se);
}

TEST_CASE("orchestrator: a replica still replicating, or no replica reachable, is no dead master",
          "[validation][failover][orchestrator]") {
  // The master in geo 0 cut off from the orchestrator (geo 1) but not from its replica (geo 0):
  // the replica keeps replicating, so the analysis is UnreachableMaster and nothing is recovered.
  shardsim::Scenario scenario = shardsim::testing::test_scenario();
  shardsim::Simulation sim;
  shardsim::Network network(sim, scenario);
  shardsim::OrchestratorSpec spec;
  spec.geos = {1};
  spec.slave_net_timeout = 4 * kSecond;
  Recorder recorder;
  shardsim::Orchestrator orchestrator(sim, network, spec, 5, recorder);
  shardsim::Node master(sim, "master", 0, shardsim::NodeSpec{}, 1, shardsim::Callback{});
  shardsim::Node replica(sim, "replica", 0, shardsim::NodeSpec{}, 1, shardsim::Callback{});
  orchestrator.watch("master", 0, &master, nullptr);
  orchestrator.watch("replica", 0, &replica, nullptr);
  orchestrator.start();
  sim.run_until(30 * kSecond);
  network.partition(0, 1, true, shardsim::kTimeNever);
  sim.run_until(90 * kSecond);
  CHECK(recorder.decided.empty());  // the replica is unreachable too: DeadMasterAndReplicas, no action
  network.heal(0, 1);
  sim.run_until(120 * kSecond);
  CHECK(recorder.decided.empty());
  // Crash the master with the orchestrator cut off from it alone would need a third geo; here the
  // master crashes with everything reachable: recovered.
  master.crash();
  sim.run_until(160 * kSecond);
  CHECK(recorder.decided.size() == 1);
}
