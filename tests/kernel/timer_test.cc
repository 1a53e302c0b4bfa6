// Timer: one firing at a time, O(1) cancel, re-arming, periodic use from its own callback.
#include <catch2/catch.hpp>

#include <cstdint>
#include <utility>
#include <vector>

#include "shardsim/kernel/simulation.h"

using shardsim::Callback;
using shardsim::Simulation;
using shardsim::Time;
using shardsim::Timer;

namespace {

using Calls = std::vector<std::pair<Time, std::uint64_t>>;

// A timer whose firings are recorded; `period` > 0 re-arms it from its own callback.
struct Probe {
  explicit Probe(Simulation& s) : sim(s), timer(s, Callback::to<&Probe::fired>(this)) {}

  void fired(std::uint64_t arg) {
    fires.emplace_back(sim.now(), arg);
    CHECK_FALSE(timer.armed());  // disarmed before the callback runs
    if (period > 0 && arg + 1 < max_fires) timer.arm_in(period, arg + 1);
  }

  Simulation& sim;
  Timer timer;
  Calls fires;
  shardsim::Duration period = 0;
  std::uint64_t max_fires = ~std::uint64_t{0};
};

// A plain event that acts on a timer when it runs.
struct Poker {
  void cancel_and_rearm(std::uint64_t arg) {
    timer->cancel();
    timer->arm_at(sim->now(), arg);
  }
  void cancel(std::uint64_t) { timer->cancel(); }

  Simulation* sim;
  Timer* timer;
};

}  // namespace

TEST_CASE("Timer fires once at its time with its arg", "[kernel]") {
  Simulation sim;
  Probe probe(sim);
  CHECK_FALSE(probe.timer.armed());
  CHECK(probe.timer.fires_at() == shardsim::kTimeNever);
  probe.timer.arm_at(100, 7);
  CHECK(probe.timer.armed());
  CHECK(probe.timer.fires_at() == 100);
  sim.run_until(100);
  CHECK(probe.fires.empty());
  sim.run_until(1000);
  CHECK(probe.fires == Calls{{100, 7}});
  CHECK_FALSE(probe.timer.armed());
  CHECK(probe.timer.fires_at() == shardsim::kTimeNever);
  sim.run_until(5000);
  CHECK(probe.fires.size() == 1);
}

TEST_CASE("arm_in is relative to the current time", "[kernel]") {
  Simulation sim;
  Probe probe(sim);
  sim.run_until(40);
  probe.timer.arm_in(15, 3);
  CHECK(probe.timer.fires_at() == 55);
  sim.run_until(100);
  CHECK(probe.fires == Calls{{55, 3}});
}

TEST_CASE("cancel prevents the firing", "[kernel]") {
  Simulation sim;
  Probe probe(sim);
  probe.timer.arm_at(100, 1);
  probe.timer.cancel();
  CHECK_FALSE(probe.timer.armed());
  CHECK(probe.timer.fires_at() == shardsim::kTimeNever);
  sim.run_until(1000);
  CHECK(probe.fires.empty());

  // Cancelling from an event just before the firing instant, and cancelling an idle timer.
  probe.timer.arm_at(2000, 2);
  Poker poker{&sim, &probe.timer};
  sim.schedule_at(1999, Callback::to<&Poker::cancel>(&poker), 0);
  sim.run_until(3000);
  CHECK(probe.fires.empty());
  probe.timer.cancel();
  CHECK_FALSE(probe.timer.armed());
}

TEST_CASE("re-arming cancels the previous firing", "[kernel]") {
  Simulation sim;
  SECTION("to a later time") {
    Probe probe(sim);
    probe.timer.arm_at(100, 1);
    probe.timer.arm_at(200, 2);
    CHECK(probe.timer.fires_at() == 200);
    sim.run_until(1000);
    CHECK(probe.fires == Calls{{200, 2}});
  }
  SECTION("to an earlier time") {
    Probe probe(sim);
    probe.timer.arm_at(200, 1);
    probe.timer.arm_at(100, 2);
    sim.run_until(1000);
    CHECK(probe.fires == Calls{{100, 2}});
  }
  SECTION("many times: only the last fires") {
    Probe probe(sim);
    for (std::uint64_t i = 0; i < 50; ++i) probe.timer.arm_at(static_cast<Time>(10 + i % 7), i);
    sim.run_until(1000);
    CHECK(probe.fires == Calls{{10 + 49 % 7, 49}});
  }
}

TEST_CASE("a timer re-armed from its own callback is periodic", "[kernel]") {
  Simulation sim;
  Probe probe(sim);
  probe.period = 10;
  probe.timer.arm_at(10, 0);
  sim.run_until(55);
  CHECK(probe.fires == Calls{{10, 0}, {20, 1}, {30, 2}, {40, 3}, {50, 4}});
  CHECK(probe.timer.armed());
  CHECK(probe.timer.fires_at() == 60);
  probe.timer.cancel();
  sim.run_until(1000);
  CHECK(probe.fires.size() == 5);
  CHECK(sim.pending() == 0);
}

TEST_CASE("cancel then re-arm at the same instant fires once, with the new arg", "[kernel]") {
  Simulation sim;
  SECTION("before the instant") {
    Probe probe(sim);
    probe.timer.arm_at(100, 1);
    probe.timer.cancel();
    probe.timer.arm_at(100, 2);
    sim.run_until(1000);
    CHECK(probe.fires == Calls{{100, 2}});
  }
  SECTION("at the instant, from an event that runs before the stale firing") {
    Probe probe(sim);
    Poker poker{&sim, &probe.timer};
    sim.schedule_at(100, Callback::to<&Poker::cancel_and_rearm>(&poker), 2);  // runs first
    probe.timer.arm_at(100, 1);
    sim.run_until(1000);
    CHECK(probe.fires == Calls{{100, 2}});
    CHECK_FALSE(probe.timer.armed());
  }
  SECTION("at the current instant, after an earlier firing") {
    Probe probe(sim);
    probe.timer.arm_at(100, 1);
    sim.run_until(100 + 1);
    probe.timer.arm_in(0, 5);
    probe.timer.cancel();
    probe.timer.arm_in(0, 6);
    sim.run_until(102);
    CHECK(probe.fires == Calls{{100, 1}, {101, 6}});
  }
}
