// EventQueue: time order, the FIFO tie rule, and a randomized comparison with a reference model.
#include "shardsim/kernel/event_queue.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "shardsim/random/stream.h"

using shardsim::Callback;
using shardsim::Event;
using shardsim::EventQueue;
using shardsim::Time;

namespace {

// Pops everything; returns the args in pop order.
std::vector<std::uint64_t> drain_args(EventQueue& queue) {
  std::vector<std::uint64_t> args;
  while (!queue.empty()) args.push_back(queue.pop().arg);
  return args;
}

}  // namespace

TEST_CASE("EventQueue starts empty and counts what it holds", "[kernel]") {
  EventQueue queue;
  CHECK(queue.empty());
  CHECK(queue.size() == 0);
  queue.push(5, Callback{}, 1);
  queue.push(3, Callback{}, 2);
  CHECK_FALSE(queue.empty());
  CHECK(queue.size() == 2);
  CHECK(queue.top().time == 3);
  CHECK(queue.size() == 2);  // top() does not remove
  queue.pop();
  CHECK(queue.size() == 1);
  queue.pop();
  CHECK(queue.empty());
  CHECK(queue.size() == 0);
}

TEST_CASE("EventQueue pops in time order", "[kernel]") {
  EventQueue queue;
  const std::vector<Time> times{50, 10, 40, 0, 30, 20, 70, 60, 5, 1000};
  for (std::size_t i = 0; i < times.size(); ++i) queue.push(times[i], Callback{}, i);
  std::vector<Time> popped;
  while (!queue.empty()) {
    const Time top_time = queue.top().time;
    const Event event = queue.pop();
    CHECK(event.time == top_time);
    CHECK(times[event.arg] == event.time);  // the arg travels with its event
    popped.push_back(event.time);
  }
  std::vector<Time> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  CHECK(popped == sorted);
}

TEST_CASE("EventQueue returns increasing sequence numbers carried by the events", "[kernel]") {
  EventQueue queue;
  const std::uint64_t a = queue.push(10, Callback{}, 0);
  const std::uint64_t b = queue.push(5, Callback{}, 0);
  const std::uint64_t c = queue.push(10, Callback{}, 0);
  CHECK(a < b);
  CHECK(b < c);
  CHECK(queue.pop().seq == b);
  CHECK(queue.pop().seq == a);
  CHECK(queue.pop().seq == c);
}

TEST_CASE("EventQueue breaks ties in scheduling order", "[kernel]") {
  SECTION("all at one instant") {
    EventQueue queue;
    for (std::uint64_t i = 0; i < 100; ++i) queue.push(7, Callback{}, i);
    std::vector<std::uint64_t> expected(100);
    for (std::uint64_t i = 0; i < 100; ++i) expected[i] = i;
    CHECK(drain_args(queue) == expected);
  }
  SECTION("many at one instant interleaved with earlier and later events") {
    EventQueue queue;
    // arg = 1000 * group + index in group; the instant-100 group is pushed in between the others.
    std::uint64_t next_at_100 = 0;
    for (int round = 0; round < 50; ++round) {
      queue.push(200 - round, Callback{}, 2000 + static_cast<std::uint64_t>(round));  // later
      queue.push(100, Callback{}, 1000 + next_at_100++);
      queue.push(static_cast<Time>(round), Callback{}, static_cast<std::uint64_t>(round));  // earlier
      queue.push(100, Callback{}, 1000 + next_at_100++);
    }
    const std::vector<std::uint64_t> popped = drain_args(queue);
    REQUIRE(popped.size() == 200);
    // First the 50 earlier ones (times 0..49), then the 100 at instant 100 in push order.
    for (std::uint64_t i = 0; i < 50; ++i) CHECK(popped[i] == i);
    for (std::uint64_t i = 0; i < 100; ++i) CHECK(popped[50 + i] == 1000 + i);
    // Then the later ones by time: 151..200, i.e. rounds 49 down to 0.
    for (std::uint64_t i = 0; i < 50; ++i) CHECK(popped[150 + i] == 2000 + 49 - i);
  }
  SECTION("ties keep scheduling order across interleaved pops") {
    EventQueue queue;
    queue.push(10, Callback{}, 0);
    queue.push(10, Callback{}, 1);
    CHECK(queue.pop().arg == 0);
    queue.push(10, Callback{}, 2);  // scheduled after 1, at the same instant
    queue.push(9, Callback{}, 3);
    CHECK(queue.pop().arg == 3);
    CHECK(queue.pop().arg == 1);
    CHECK(queue.pop().arg == 2);
  }
}

TEST_CASE("EventQueue matches a stable-sorted reference over random pushes and pops", "[kernel]") {
  // The reference keeps pending events in push order; stable-sorting them by time gives the order
  // the queue must follow (time, then scheduling order). Times are drawn from a narrow range so
  // that ties are common.
  struct Ref {
    Time time;
    std::uint64_t seq;
    std::uint64_t arg;
  };
  const auto by_time = [](const Ref& a, const Ref& b) { return a.time < b.time; };

  shardsim::RandomStream rng(20240611);
  EventQueue queue;
  std::vector<Ref> pending;  // in push order
  std::uint64_t next_arg = 0;
  Time clock = 0;  // like a simulation: new events are never before the last popped one
  std::uint64_t pops = 0;
  constexpr int kOperations = 100'000;
  for (int op = 0; op < kOperations; ++op) {
    // Drift between a small and a larger backlog so both shallow and deep heaps are exercised.
    const std::uint64_t push_percent = (op / 10'000) % 2 == 0 ? 55 : 45;
    const bool push = pending.empty() || rng.next_below(100) < push_percent;
    if (push) {
      const Time time = clock + static_cast<Time>(rng.next_below(64));
      const std::uint64_t arg = next_arg++;
      const std::uint64_t seq = queue.push(time, Callback{}, arg);
      pending.push_back(Ref{time, seq, arg});
    } else {
      // The first of the earliest in push order: the front of stable_sort by time.
      const auto expected = std::min_element(pending.begin(), pending.end(), by_time);
      REQUIRE(queue.top().time == expected->time);
      const Event event = queue.pop();
      REQUIRE(event.time == expected->time);
      REQUIRE(event.seq == expected->seq);
      REQUIRE(event.arg == expected->arg);
      clock = event.time;
      pending.erase(expected);
      ++pops;
    }
    REQUIRE(queue.size() == pending.size());
  }
  CHECK(pops > 40'000);
  // Drain what is left and compare with the full stable sort.
  std::stable_sort(pending.begin(), pending.end(), by_time);
  for (const Ref& ref : pending) {
    REQUIRE_FALSE(queue.empty());
    const Event event = queue.pop();
    REQUIRE(event.time == ref.time);
    REQUIRE(event.seq == ref.seq);
    REQUIRE(event.arg == ref.arg);
  }
  CHECK(queue.empty());
}

TEST_CASE("EventQueue keeps its capacity once grown", "[kernel]") {
  EventQueue queue;
  queue.reserve(1000);
  const std::size_t reserved = queue.bytes_reserved();
  CHECK(reserved > 0);
  for (int round = 0; round < 3; ++round) {
    for (std::uint64_t i = 0; i < 1000; ++i) queue.push(static_cast<Time>(i % 17), Callback{}, i);
    while (!queue.empty()) queue.pop();
  }
  CHECK(queue.bytes_reserved() == reserved);
}
