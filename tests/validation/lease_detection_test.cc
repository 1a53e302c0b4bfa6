// The lease policy's time from a crash to the new leader, against its formula
// (docs/failover-policies.md).
//
// Two members (the leader and a replica) and three store nodes, all in one geo (one-way latency d),
// HA loop every L. The leader renews at each loop tick; the renewal reaches the store's leader (d)
// and commits once a second store node has it (2d), so the key lives ttl from t_k + 3d, where t_k,
// the last tick before the crash c, is U(0, L) before it. The expiry is a store write (2d) and the
// store tells the replica (d). The replica asks the dead leader for its status and gives up at
// Patroni's 2 s REST timeout, then takes the key (d + 2d + d). So the new leader is decided at
//     D = ttl + 2 s - U(0, L) + 10d,   D in [ttl + 2 s - L + 10d, ttl + 2 s + 10d],
// with mean ttl + 2 s - L/2 + 10d.
#include <cmath>
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/failure/leader_leases.h"
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

// Stands in for the failover coordinator: one member is master; when the detector replaces it,
// its successor is.
class Recorder : public FailureDetector::Listener {
 public:
  void on_declared_down(std::uint32_t watch, Time now) override {
    if (watch != master) return;
    decided.push_back(now);
    master = detector->successor(watch).value_or(99);
  }
  void on_declared_up(std::uint32_t /*watch*/, Time /*now*/) override {}
  bool is_master(std::uint32_t watch) const override { return watch == master; }
  // The master is ahead of the replica, as a master is.
  std::uint64_t replication_position(std::uint32_t watch) const override { return watch == master ? 10 : 5; }
  void on_master_demoted(std::uint32_t /*watch*/, Time now) override { demoted.push_back(now); }
  void on_master_reinstated(std::uint32_t /*watch*/, Time now) override { reinstated.push_back(now); }
  void on_detector_event(Time /*now*/, std::string /*what*/, std::string /*node*/,
                         std::string /*detail*/) override {}
  const FailureDetector* detector = nullptr;
  std::uint32_t master = 0;
  std::vector<Time> decided, demoted, reinstated;
};

struct TwoMembers {
  explicit TwoMembers(std::vector<shardsim::GeoId> store)
      : scenario(shardsim::testing::test_scenario()), network(sim, scenario) {
    spec.store_geos = std::move(store);
    spec.ttl = 20 * kSecond;
    spec.loop_wait = 5 * kSecond;
    spec.retry_timeout = 5 * kSecond;
    for (int i = 0; i < 2; ++i) {
      nodes.push_back(std::make_unique<shardsim::Node>(sim, "member" + std::to_string(i), 0,
                                                       shardsim::NodeSpec{}, 1, shardsim::Callback{}));
    }
    leases = std::make_unique<shardsim::LeaderLeases>(sim, network, spec, 13, recorder);
    recorder.detector = leases.get();
    for (auto& node : nodes) leases->watch(node->name(), node->geo(), node.get(), nullptr);
    leases->start();
  }
  shardsim::Scenario scenario;
  shardsim::Simulation sim;
  shardsim::Network network;
  shardsim::LeaseSpec spec;
  Recorder recorder;
  std::vector<std::unique_ptr<shardsim::Node>> nodes;
  std::unique_ptr<shardsim::LeaderLeases> leases;
};

}  // namespace

TEST_CASE("lease: a leader crash is decided within the formula's window, on average at its mean",
          "[validation][failover][lease]") {
  TwoMembers set({0, 0, 0});  // constant latencies: d = 0.5 ms
  const double d = 0.0005, ttl = 20, L = 5;
  shardsim::RandomStream crash_times(5, "test/crash-times");
  std::vector<double> detection;
  const int crashes = 300;
  for (int k = 0; k < crashes; ++k) {
    // Crash the leader at a random phase; it comes back as a replica 5 s after the decision.
    set.sim.run_until(set.sim.now() + 30 * kSecond +
                      static_cast<Duration>(crash_times.next_below(5 * kSecond)));
    const Time crashed = set.sim.now();
    const std::uint32_t leader = set.recorder.master;
    set.nodes[leader]->crash();
    const std::size_t before = set.recorder.decided.size();
    while (set.recorder.decided.size() == before && set.sim.now() < crashed + 120 * kSecond) {
      set.sim.run_until(set.sim.now() + kSecond / 100);
    }
    REQUIRE(set.recorder.decided.size() == before + 1);
    CHECK(set.recorder.master == 1 - leader);
    detection.push_back(shardsim::to_s(set.recorder.decided.back() - crashed));
    set.sim.run_until(set.sim.now() + 5 * kSecond);
    set.nodes[leader]->recover();
  }
  const double lo = ttl + 2 - L + 10 * d, hi = ttl + 2 + 10 * d;
  const auto [mean, se] = shardsim::testing::check_window_and_mean(detection, lo, hi);
  const double expected = ttl + 2 - L / 2 + 10 * d;
  INFO("mean " << mean << " s, expected " << expected << " s, standard error " << se << " s");
  CHECK(std::abs(mean - expected) < 3 * se);
  CHECK(set.recorder.demoted.empty());  // a crashed leader is replaced, not demoted
}

TEST_CASE(
    "lease: a store without a majority takes no renewal: the leader demotes itself and nobody is elected",
    "[validation][failover][lease]") {
  // The store's leader in geo 0 with the members, its two other nodes in geo 1.
  TwoMembers set({0, 1, 1});
  set.sim.run_until(30 * kSecond);
  set.network.partition(0, 1, true, shardsim::kTimeNever);
  set.sim.run_until(120 * kSecond);
  // The first renewal after the cut waits retry_timeout (5 s) for a majority: within a loop and a
  // retry timeout of the cut, the leader refuses writes.
  REQUIRE(set.recorder.demoted.size() == 1);
  CHECK(shardsim::to_s(set.recorder.demoted[0]) <= 30 + 5 + 5 + 0.01);
  // Nothing expires without a majority either, so nobody takes the key.
  CHECK(set.recorder.decided.empty());
  CHECK(set.recorder.master == 0);
  // Healed, the store commits again: the waiting expiry goes through, and the demoted leader,
  // the most caught up, takes its key back and resumes writes.
  set.network.heal(0, 1);
  set.sim.run_until(200 * kSecond);
  CHECK(set.recorder.decided.empty());
  REQUIRE(set.recorder.reinstated.size() == 1);
  CHECK(set.recorder.master == 0);
}
