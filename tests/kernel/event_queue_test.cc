// EventQueue: time order, the FIFO tie rule, and a randomized comparison with a reference model.
#include "shardsim/kernel/event_queue.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <stdexcept>
#include <utility>
#include <vector>

#include "shardsim/random/stream.h"

using shardsim::Callback;
using shardsim::Event;
using shardsim::EventQueue;
using shardsim::Time;

namespace {

// The reference: std::priority_queue on (time, seq), earliest first.
using RefEntry = std::pair<Time, std::uint64_t>;
using RefQueue = std::priority_queue<RefEntry, std::vector<RefEntry>, std::greater<RefEntry>>;

// Pops one event from both and requires the same (time, seq); the arg must be the seq here.
void pop_both(EventQueue& queue, RefQueue& ref) {
  REQUIRE(queue.top_time() == ref.top().first);
  REQUIRE(queue.top().arg == ref.top().second);
  const Event event = queue.pop();
  REQUIRE(event.time == ref.top().first);
  REQUIRE(event.arg == ref.top().second);
  ref.pop();
}

// Random pushes (at `clock` + a delay drawn by `delay`) and pops compared with the reference;
// returns the number of pops.
template <class Delay>
std::uint64_t compare_with_reference(std::uint64_t seed, int operations, Time start, Delay delay) {
  shardsim::RandomStream rng(seed);
  EventQueue queue;
  RefQueue ref;
  Time clock = start;  // the last popped time: pushes are never earlier, as in a simulation
  std::uint64_t pops = 0;
  std::uint64_t next_seq = 0;
  for (int op = 0; op < operations; ++op) {
    // Phases of growth and shrinkage, so that buckets fill, empty and refill many times.
    const std::uint64_t push_percent = (op / 5'000) % 3 == 0 ? 70 : (op / 5'000) % 3 == 1 ? 50 : 30;
    if (ref.empty() || rng.next_below(100) < push_percent) {
      // How far the clock may still move without overflowing (from a negative clock, any delay fits).
      constexpr Time kMax = std::numeric_limits<Time>::max();
      const Time room = clock < 0 ? kMax : kMax - clock;
      const Time time = clock + std::min(delay(rng), room);
      const std::uint64_t seq = queue.push(time, Callback{}, next_seq);  // the arg is the seq
      REQUIRE(seq == next_seq++);
      ref.emplace(time, seq);
    } else {
      clock = ref.top().first;
      pop_both(queue, ref);
      ++pops;
    }
    REQUIRE(queue.size() == ref.size());
  }
  while (!ref.empty()) pop_both(queue, ref);
  CHECK(queue.empty());
  return pops;
}

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

TEST_CASE("EventQueue returns increasing sequence numbers; events carry their argument", "[kernel]") {
  EventQueue queue;
  const std::uint64_t a = queue.push(10, Callback{}, 1);
  const std::uint64_t b = queue.push(5, Callback{}, 2);
  const std::uint64_t c = queue.push(10, Callback{}, 3);
  CHECK(a < b);
  CHECK(b < c);
  CHECK(queue.pop().arg == 2);
  CHECK(queue.pop().arg == 1);
  CHECK(queue.pop().arg == 3);
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
    queue.push(11, Callback{}, 3);
    queue.push(10, Callback{}, 2);  // scheduled after 1, at the same instant
    CHECK(queue.pop().arg == 1);
    CHECK(queue.pop().arg == 2);
    CHECK(queue.pop().arg == 3);
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
    REQUIRE(event.arg == ref.arg);
  }
  CHECK(queue.empty());
}

TEST_CASE("EventQueue keeps its capacity once grown", "[kernel]") {
  // The same workload again (an emptied queue accepts earlier times) allocates nothing more.
  EventQueue queue;
  std::size_t reserved = 0;
  for (int round = 0; round < 4; ++round) {
    for (std::uint64_t i = 0; i < 1000; ++i) queue.push(static_cast<Time>(i % 17), Callback{}, i);
    while (!queue.empty()) queue.pop();
    if (round == 0) reserved = queue.bytes_reserved();
  }
  CHECK(reserved > 0);
  CHECK(queue.bytes_reserved() == reserved);
}

TEST_CASE("EventQueue matches std::priority_queue on (time, seq) for many time distributions", "[kernel]") {
  using shardsim::RandomStream;
  SECTION("ties everywhere: delays 0..3, a quarter at the current time") {
    CHECK(compare_with_reference(
              1, 60'000, 0, [](RandomStream& rng) { return static_cast<Time>(rng.next_below(4)); }) > 15'000);
  }
  SECTION("exponential-like delays over many bit widths") {
    CHECK(compare_with_reference(2, 60'000, 0, [](RandomStream& rng) {
            return static_cast<Time>(rng.next_u64() >> (20 + rng.next_below(44)));
          }) > 15'000);
  }
  SECTION("times near 2^62 with spans up to 2^61") {
    CHECK(compare_with_reference(3, 60'000, Time{1} << 62, [](RandomStream& rng) {
            return rng.next_below(8) == 0 ? Time{0}
                                          : static_cast<Time>(rng.next_u64() >> (3 + rng.next_below(61)));
          }) > 15'000);
  }
  SECTION("negative start and the whole signed range") {
    CHECK(compare_with_reference(4, 60'000, std::numeric_limits<Time>::min(), [](RandomStream& rng) {
            return static_cast<Time>(rng.next_u64() >> (2 + rng.next_below(40)));
          }) > 15'000);
  }
}

TEST_CASE("EventQueue keeps scheduling order for thousands of events at one instant", "[kernel]") {
  EventQueue queue;
  // 1000 events at 5 and 1000 at 9, interleaved, then a chain: every pop at 5 pushes one more at 5
  // (an event scheduling at the current instant), 3000 times, across many blocks of bucket 0.
  for (std::uint64_t i = 0; i < 2000; ++i) queue.push(i % 2 == 0 ? 5 : 9, Callback{}, i);
  std::vector<std::uint64_t> at_five;
  std::uint64_t next = 2000;
  while (queue.top_time() == 5) {
    at_five.push_back(queue.pop().arg);
    if (next < 5000) queue.push(5, Callback{}, next++);
  }
  std::vector<std::uint64_t> expected;
  for (std::uint64_t i = 0; i < 2000; i += 2) expected.push_back(i);
  for (std::uint64_t i = 2000; i < 5000; ++i) expected.push_back(i);
  CHECK(at_five == expected);
  std::vector<std::uint64_t> at_nine;
  while (!queue.empty()) {
    CHECK(queue.top_time() == 9);
    at_nine.push_back(queue.pop().arg);
  }
  expected.clear();
  for (std::uint64_t i = 1; i < 2000; i += 2) expected.push_back(i);
  CHECK(at_nine == expected);
}

TEST_CASE("EventQueue refuses a time before the last popped one while events are pending", "[kernel]") {
  EventQueue queue;
  queue.push(100, Callback{}, 0);
  queue.push(200, Callback{}, 1);
  CHECK(queue.pop().time == 100);
  CHECK_THROWS_AS(queue.push(99, Callback{}, 2), std::logic_error);
  CHECK(queue.size() == 1);
  queue.push(100, Callback{}, 3);  // at the last popped time: fine
  CHECK(queue.pop().arg == 3);
  CHECK(queue.pop().arg == 1);
  // Empty again: any time is accepted, earlier ones included, until the next pop.
  queue.push(7, Callback{}, 4);
  queue.push(-3, Callback{}, 5);
  queue.push(std::numeric_limits<Time>::max(), Callback{}, 6);
  CHECK(queue.pop().arg == 5);
  CHECK_THROWS_AS(queue.push(-4, Callback{}, 7), std::logic_error);
  CHECK(queue.pop().arg == 4);
  CHECK(queue.pop().arg == 6);
  CHECK(queue.empty());
}

TEST_CASE("EventQueue empties and refills many times", "[kernel]") {
  EventQueue queue;
  shardsim::RandomStream rng(77);
  Time clock = 0;
  std::uint64_t pushed = 0;  // the next sequence number, also each event's argument
  for (int cycle = 0; cycle < 200; ++cycle) {
    RefQueue ref;
    const std::uint64_t count = 1 + rng.next_below(cycle % 10 == 0 ? 2000 : 20);
    for (std::uint64_t i = 0; i < count; ++i) {
      const Time time = clock + static_cast<Time>(rng.next_below(1000));
      REQUIRE(queue.push(time, Callback{}, pushed) == pushed);
      ref.emplace(time, pushed++);
    }
    while (!ref.empty()) {
      REQUIRE(queue.top_time() == ref.top().first);
      const Event event = queue.pop();
      REQUIRE(event.time == ref.top().first);
      REQUIRE(event.arg == ref.top().second);
      ref.pop();
    }
    REQUIRE(queue.empty());
    clock += static_cast<Time>(rng.next_below(3000)) - 1000;  // sometimes earlier than before
  }
}

TEST_CASE("EventQueue top_time and top do not move the radix", "[kernel]") {
  // Simulation::run_until peeks at an event beyond its end and stops there; the caller then
  // schedules events between the current time and that event. They must come out first.
  EventQueue queue;
  queue.push(10, Callback{}, 0);
  queue.push(1'000'000, Callback{}, 1);
  queue.push(1'000'000, Callback{}, 2);
  CHECK(queue.pop().time == 10);
  for (int peek = 0; peek < 3; ++peek) {
    CHECK(queue.top_time() == 1'000'000);
    CHECK(queue.top().arg == 1);
  }
  queue.push(11, Callback{}, 3);
  queue.push(999'999, Callback{}, 4);
  queue.push(10, Callback{}, 5);
  queue.push(1'000'000, Callback{}, 6);
  CHECK(drain_args(queue) == std::vector<std::uint64_t>{5, 3, 4, 1, 2, 6});
}

TEST_CASE("EventQueue top() finds the first scheduled of the earliest events in a deep bucket", "[kernel]") {
  EventQueue queue;
  for (std::uint64_t i = 0; i < 600; ++i) queue.push(static_cast<Time>(1000 - i % 300), Callback{}, i);
  // Earliest time 701 was pushed at i = 299 and i = 599.
  CHECK(queue.top().time == 701);
  CHECK(queue.top().arg == 299);
  CHECK(queue.pop().arg == 299);
  CHECK(queue.top().arg == 599);
}

TEST_CASE("EventQueue memory follows the pending count", "[kernel]") {
  EventQueue queue;
  shardsim::RandomStream rng(5);
  Time clock = 0;
  for (int i = 0; i < 100'000; ++i)
    queue.push(static_cast<Time>(rng.next_below(1'000'000'000)), Callback{}, 0);
  for (int i = 0; i < 300'000; ++i) {  // hold model: pop one, push one
    clock = queue.pop().time;
    queue.push(clock + static_cast<Time>(rng.next_below(1'000'000'000)), Callback{}, 0);
  }
  const std::size_t held = queue.bytes_reserved();
  // 40-byte events plus partly filled blocks, one per bucket at most: well under twice the events.
  CHECK(held < 100'000 * 40 * 3 / 2);
  while (!queue.empty()) queue.pop();
  CHECK(queue.bytes_reserved() == held);  // blocks are kept for reuse
}
