// The election policy's time from a crash to the new primary, against its formula
// (docs/failover-policies.md).
//
// A replica set of three data members in one geo (one-way latency d): the primary and two
// secondaries, heartbeat interval h, election timeout T, heartbeat timeout below T - h (so that the
// dead primary is seen down by the time anyone stands). Secondary i's last contact with the primary
// is the answer to its last heartbeat the primary could answer: with its heartbeats every h at a
// random phase, that answer arrives at c + d - u_i, u_i ~ U(0, h) (c: the crash). Its election
// timer then fires at c + d - u_i + T + o_i, o_i ~ U(0, 0.15 T). The first to fire wins the dry run
// and the real election (a round trip each, to the other secondary) and catches up (a heartbeat
// round trip), so the new primary is decided at
//     D = min(X_1, X_2) + d + 6d,    X_i = T + o_i - u_i,
// within [T - h + 7d, T + 0.15 T + 7d].
#include <algorithm>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/failure/replica_set_elections.h"
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

// Stands in for the failover coordinator: watch 0 is the primary until it is replaced, and again
// once it is back (so that each crash is a fresh failover); the winners are recorded.
class Recorder : public FailureDetector::Listener {
 public:
  void on_declared_down(std::uint32_t watch, Time now) override {
    if (watch == 0 && master) {
      decided.push_back(now);
      winners.push_back(detector->successor(watch).value_or(99));
      master = false;
    }
  }
  void on_declared_up(std::uint32_t /*watch*/, Time /*now*/) override {}
  bool is_master(std::uint32_t watch) const override { return watch == 0 && master; }
  void on_detector_event(Time /*now*/, std::string what, std::string /*node*/,
                         std::string /*detail*/) override {
    if (what == "election_started") ++elections;
  }
  const FailureDetector* detector = nullptr;
  std::vector<Time> decided;
  std::vector<std::uint32_t> winners;
  bool master = true;
  int elections = 0;
};

// E[min(X_1, X_2)] for X = T + o - u, o ~ U(0, a), u ~ U(0, h): the integral of P(X > x)^2 over
// the support, plus its lower end.
double expected_first_timer(double timeout, double a, double h) {
  auto survival = [&](double x) {  // P(o - u > x)
    const int n = 400;
    double p = 0;
    for (int i = 0; i < n; ++i) {
      const double o = a * (i + 0.5) / n;
      p += std::clamp((o - x) / h, 0.0, 1.0);
    }
    return p / n;
  };
  const double lo = -h, hi = a;
  const int steps = 4000;
  double integral = 0;
  for (int i = 0; i < steps; ++i) {
    const double x = lo + (hi - lo) * (i + 0.5) / steps;
    integral += survival(x) * survival(x) * (hi - lo) / steps;
  }
  return timeout + lo + integral;
}

struct ThreeMembers {
  explicit ThreeMembers(shardsim::GeoId second_geo)
      : scenario(shardsim::testing::test_scenario()), network(sim, scenario) {
    spec.election_timeout = 10 * kSecond;
    spec.heartbeat_interval = 2 * kSecond;
    spec.heartbeat_timeout = 5 * kSecond;
    for (int i = 0; i < 3; ++i) {
      nodes.push_back(std::make_unique<shardsim::Node>(sim, "member" + std::to_string(i),
                                                       i == 2 ? second_geo : 0, shardsim::NodeSpec{}, 1,
                                                       shardsim::Callback{}));
    }
  }
  void watch_all(shardsim::ReplicaSetElections& elections) {
    for (auto& node : nodes) elections.watch(node->name(), node->geo(), node.get(), nullptr);
  }
  shardsim::Scenario scenario;
  shardsim::Simulation sim;
  shardsim::Network network;
  shardsim::ElectionSpec spec;
  std::vector<std::unique_ptr<shardsim::Node>> nodes;
};

}  // namespace

TEST_CASE("election: a primary crash is decided within the formula's window, on average at its mean",
          "[validation][failover][election]") {
  // Each crash in a fresh run (its own seed): the heartbeat phases, fixed within a run, are then
  // independent from crash to crash, as the formula takes them.
  const double d = 0.0005, T = 10.0, hb = 2.0, a = 0.15 * T;  // constant latencies: d = 0.5 ms
  shardsim::RandomStream crash_times(5, "test/crash-times");
  std::vector<double> detection;
  const int crashes = 300;
  for (int k = 0; k < crashes; ++k) {
    ThreeMembers set(0);
    Recorder recorder;
    shardsim::ReplicaSetElections elections(set.sim, set.network, set.spec, 2, 100 + k, recorder);
    recorder.detector = &elections;
    set.watch_all(elections);
    elections.start();
    REQUIRE(elections.voters_in_set_of(0) == 3);
    set.sim.run_until(20 * kSecond + static_cast<Duration>(crash_times.next_below(2 * kSecond)));
    const Time crashed = set.sim.now();
    set.nodes[0]->crash();
    set.sim.run_until(crashed + 60 * kSecond);
    REQUIRE(recorder.decided.size() == 1);
    CHECK((recorder.winners.back() == 1 || recorder.winners.back() == 2));
    detection.push_back(shardsim::to_s(recorder.decided.back() - crashed));
  }

  const double lo = T - hb + 7 * d, hi = T + a + 7 * d;
  const auto [mean, se] = shardsim::testing::check_window_and_mean(detection, lo, hi);
  const double expected = expected_first_timer(T, a, hb) + 7 * d;
  INFO("mean " << mean << " s, expected " << expected << " s, standard error " << se << " s");
  CHECK(std::abs(mean - expected) < 3 * se);
}

TEST_CASE("election: a partition that leaves no member a majority elects nobody, until it heals",
          "[validation][failover][election]") {
  // The primary and one secondary in geo 0, the other secondary in geo 1. The primary crashes
  // while geo 0 and geo 1 are cut apart: each secondary sees 1 of the 3 voters, and stands only
  // once it sees a majority.
  ThreeMembers set(1);
  Recorder recorder;
  shardsim::ReplicaSetElections elections(set.sim, set.network, set.spec, 2, 3, recorder);
  recorder.detector = &elections;
  set.watch_all(elections);
  elections.start();
  set.sim.run_until(30 * kSecond);
  set.network.partition(0, 1, true, shardsim::kTimeNever);
  set.nodes[0]->crash();
  set.sim.run_until(90 * kSecond);
  CHECK(recorder.decided.empty());
  CHECK(recorder.elections == 0);
  set.network.heal(0, 1);
  set.sim.run_until(120 * kSecond);
  REQUIRE(recorder.decided.size() == 1);
  // Once the secondaries hear each other again (a heartbeat, up to h), the next timer that fires
  // stands: within T + 15% of the heal.
  CHECK(shardsim::to_s(recorder.decided[0]) < 90 + 2 + 11.5 + 0.1);
}
