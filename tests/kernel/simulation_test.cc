// Simulation: the run window [now, end), the clock, scheduling rules, stop requests and counters.
#include "shardsim/kernel/simulation.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

using shardsim::Callback;
using shardsim::Simulation;
using shardsim::Time;

namespace {

// Records (clock, arg) for every call; optionally stops the run or schedules more work.
struct Recorder {
  explicit Recorder(Simulation& s) : sim(s) {}

  void on(std::uint64_t arg) {
    calls.emplace_back(sim.now(), arg);
    if (arg == stop_on) sim.request_stop();
  }
  // Schedules `arg` again 10 ns later, at most `repeats` times.
  void chain(std::uint64_t arg) {
    calls.emplace_back(sim.now(), arg);
    if (repeats-- > 0) sim.schedule_in(10, Callback::to<&Recorder::chain>(this), arg + 1);
  }
  // Schedules another event at the current instant.
  void spawn_now(std::uint64_t arg) {
    calls.emplace_back(sim.now(), arg);
    sim.schedule_at(sim.now(), cb(), arg + 100);
  }
  Callback cb() { return Callback::to<&Recorder::on>(this); }

  Simulation& sim;
  std::vector<std::pair<Time, std::uint64_t>> calls;
  std::uint64_t stop_on = ~std::uint64_t{0};
  int repeats = 0;
};

using Calls = std::vector<std::pair<Time, std::uint64_t>>;

}  // namespace

TEST_CASE("Simulation starts at time zero with nothing pending", "[kernel]") {
  Simulation sim;
  CHECK(sim.now() == 0);
  CHECK(sim.pending() == 0);
  CHECK(sim.events_run() == 0);
  CHECK_FALSE(sim.stop_requested());
}

TEST_CASE("run_until runs the events strictly before the end and leaves the clock at the end", "[kernel]") {
  Simulation sim;
  Recorder rec(sim);
  sim.schedule_at(30, rec.cb(), 3);
  sim.schedule_at(10, rec.cb(), 1);
  sim.schedule_at(99, rec.cb(), 9);
  sim.schedule_at(150, rec.cb(), 15);
  CHECK(sim.run_until(100) == 3);
  CHECK(rec.calls == Calls{{10, 1}, {30, 3}, {99, 9}});
  CHECK(sim.now() == 100);
  CHECK(sim.pending() == 1);
}

TEST_CASE("events at exactly the end time wait for the next run", "[kernel]") {
  Simulation sim;
  Recorder rec(sim);
  sim.schedule_at(100, rec.cb(), 1);
  sim.schedule_at(100, rec.cb(), 2);
  CHECK(sim.run_until(100) == 0);
  CHECK(rec.calls.empty());
  CHECK(sim.now() == 100);
  CHECK(sim.pending() == 2);
  // The same end again runs nothing; a later end runs both, in scheduling order, at their time.
  CHECK(sim.run_until(100) == 0);
  CHECK(sim.run_until(101) == 2);
  CHECK(rec.calls == Calls{{100, 1}, {100, 2}});
  CHECK(sim.now() == 101);
}

TEST_CASE("run_until returns at once when nothing is pending", "[kernel]") {
  Simulation sim;
  CHECK(sim.run_until(1'000 * shardsim::kSecond) == 0);
  CHECK(sim.now() == 1'000 * shardsim::kSecond);
  CHECK(sim.events_run() == 0);

  // And when the queue empties early, the run ends there with the clock moved to the end.
  Recorder rec(sim);
  sim.schedule_in(5, rec.cb(), 1);
  CHECK(sim.run_until(2'000 * shardsim::kSecond) == 1);
  CHECK(rec.calls == Calls{{1'000 * shardsim::kSecond + 5, 1}});
  CHECK(sim.now() == 2'000 * shardsim::kSecond);
}

TEST_CASE("schedule_in is relative to the current time", "[kernel]") {
  Simulation sim;
  Recorder rec(sim);
  sim.run_until(50);
  sim.schedule_in(7, rec.cb(), 1);
  sim.schedule_in(0, rec.cb(), 0);
  sim.run_until(100);
  CHECK(rec.calls == Calls{{50, 0}, {57, 1}});
}

TEST_CASE("scheduling in the past throws", "[kernel]") {
  Simulation sim;
  Recorder rec(sim);
  sim.run_until(100);
  CHECK_THROWS_AS(sim.schedule_at(99, rec.cb(), 0), std::logic_error);
  CHECK_THROWS_AS(sim.schedule_in(-1, rec.cb(), 0), std::logic_error);
  CHECK(sim.pending() == 0);
  CHECK_NOTHROW(sim.schedule_at(100, rec.cb(), 0));  // now is not the past
  CHECK(sim.pending() == 1);
}

TEST_CASE("events scheduled by events run in the same run, ties after earlier-scheduled ones", "[kernel]") {
  Simulation sim;
  Recorder rec(sim);
  rec.repeats = 3;
  sim.schedule_at(0, Callback::to<&Recorder::chain>(&rec), 0);
  sim.schedule_at(20, rec.cb(), 50);  // scheduled before the chain's event at 20
  CHECK(sim.run_until(1000) == 5);
  CHECK(rec.calls == Calls{{0, 0}, {10, 1}, {20, 50}, {20, 2}, {30, 3}});

  // An event scheduled at the current instant runs after those already pending at that instant.
  Simulation sim2;
  Recorder rec2(sim2);
  sim2.schedule_at(5, Callback::to<&Recorder::spawn_now>(&rec2), 1);
  sim2.schedule_at(5, rec2.cb(), 2);
  sim2.run_until(6);
  CHECK(rec2.calls == Calls{{5, 1}, {5, 2}, {5, 101}});
}

TEST_CASE("request_stop stops the run after the current event", "[kernel]") {
  Simulation sim;
  Recorder rec(sim);
  rec.stop_on = 2;
  for (std::uint64_t i = 1; i <= 4; ++i) sim.schedule_at(static_cast<Time>(10 * i), rec.cb(), i);
  sim.schedule_at(20, rec.cb(), 5);  // same instant as the stopping event, scheduled after it
  CHECK(sim.run_until(1000) == 2);
  CHECK(rec.calls == Calls{{10, 1}, {20, 2}});
  CHECK(sim.stop_requested());
  CHECK(sim.now() == 20);  // the clock stays at the stopping event
  CHECK(sim.pending() == 3);

  // The next run clears the request and carries on from where it stopped.
  CHECK(sim.run_until(1000) == 3);
  CHECK_FALSE(sim.stop_requested());
  CHECK(rec.calls == Calls{{10, 1}, {20, 2}, {20, 5}, {30, 3}, {40, 4}});
  CHECK(sim.now() == 1000);
}

TEST_CASE("a run in bounded chunks runs the same events, in the same order, as one call", "[kernel]") {
  Simulation whole, chunked;
  Recorder a(whole), b(chunked);
  for (Simulation* sim : {&whole, &chunked}) {
    Recorder& rec = sim == &whole ? a : b;
    for (std::uint64_t i = 1; i <= 10; ++i) sim->schedule_at(static_cast<Time>(7 * (i % 4)), rec.cb(), i);
  }
  whole.run_until(100);
  CHECK(chunked.run_until(100, 3) == 3);
  CHECK(chunked.now() < 100);  // events before the end remain: the clock stays at the last one run
  CHECK_FALSE(chunked.stop_requested());
  while (chunked.now() < 100) CHECK(chunked.run_until(100, 3) <= 3);
  CHECK(b.calls == a.calls);
  CHECK(chunked.now() == 100);
  CHECK(chunked.run_until(200, 0) == 0);  // a budget of 0 runs nothing and leaves the clock
  CHECK(chunked.now() == 200);            // ... unless nothing is pending before the end
}

TEST_CASE("events_run counts every event over all runs", "[kernel]") {
  Simulation sim;
  Recorder rec(sim);
  for (Time t = 0; t < 100; ++t) sim.schedule_at(t, rec.cb(), 0);
  CHECK(sim.run_until(40) == 40);
  CHECK(sim.events_run() == 40);
  CHECK(sim.run_until(40) == 0);
  CHECK(sim.events_run() == 40);
  CHECK(sim.run_until(1000) == 60);
  CHECK(sim.events_run() == 100);
  CHECK(rec.calls.size() == 100);
  CHECK(sim.pending() == 0);
}

TEST_CASE("a run sliced before a far event accepts events in between, in time order", "[kernel]") {
  // run_until peeks at the next event without consuming it; work scheduled after the slice, between
  // the clock and that event, must still run first (sim/run/run.cc slices runs this way).
  Simulation sim;
  Recorder rec(sim);
  sim.schedule_at(5, rec.cb(), 1);
  sim.schedule_at(1'000'000, rec.cb(), 2);
  CHECK(sim.run_until(100) == 1);
  sim.schedule_at(100, rec.cb(), 3);
  sim.schedule_at(999'999, rec.cb(), 4);
  CHECK(sim.run_until(500) == 1);
  sim.schedule_at(500, rec.cb(), 5);
  sim.schedule_at(1'000'000, rec.cb(), 6);
  CHECK(sim.run_until(2'000'000) == 4);
  CHECK(rec.calls == Calls{{5, 1}, {100, 3}, {500, 5}, {999'999, 4}, {1'000'000, 2}, {1'000'000, 6}});
}
