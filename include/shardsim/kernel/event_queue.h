// The pending-event set: events ordered by time, then by the order in which they were scheduled.
//
// Tie rule (documented, deterministic): two events at the same instant run in the order they were
// scheduled (first scheduled, first run). Each event gets a sequence number at scheduling time and
// the queue orders on (time, sequence), so the order never depends on the heap's internal layout.
//
// Implementation: an implicit 4-ary min-heap over a contiguous vector of 40-byte entries. A 4-ary
// heap halves the depth of a binary heap and keeps each node's children in one cache line, which
// is what makes it faster than std::priority_queue for the sizes a simulation holds. Once the
// vector has grown to the largest number of pending events, scheduling allocates nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "shardsim/kernel/callback.h"
#include "shardsim/kernel/time.h"

namespace shardsim {

struct Event {
  Time time;
  std::uint64_t seq;  // scheduling order, the tie-breaker
  Callback action;    // fn(target, arg) is called when the event fires
  std::uint64_t arg;

  bool before(const Event& other) const {
    return time < other.time || (time == other.time && seq < other.seq);
  }
};

class EventQueue {
 public:
  // Adds an event; returns its sequence number.
  std::uint64_t push(Time time, Callback action, std::uint64_t arg);
  // The earliest event. Precondition: !empty().
  const Event& top() const { return heap_[0]; }
  // Removes and returns the earliest event. Precondition: !empty().
  Event pop();
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }
  // Bytes held per pending event (capacity included), for the benchmarks.
  std::size_t bytes_reserved() const { return heap_.capacity() * sizeof(Event); }

 private:
  void sift_up(std::size_t index);
  void sift_down(std::size_t index);

  std::vector<Event> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace shardsim
