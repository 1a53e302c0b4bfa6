// The pending-event set: events ordered by time, then by the order in which they were scheduled.
//
// Tie rule (documented, deterministic): two events at the same instant run in the order they were
// scheduled (first scheduled, first run). Each event gets a sequence number at scheduling time and
// the queue orders on (time, sequence), so the order never depends on the heap's internal layout.
//
// Implementation: an implicit 4-ary min-heap of 16-byte keys (time; sequence and payload slot
// packed in one word), so a node's four children share one 64-byte cache line; the callback and
// its argument wait in a slab of payload slots, recycled through a free list. Once the heap and the
// slab have grown to the largest number of pending events, scheduling allocates nothing. Limits:
// 2^24 events pending at once and 2^40 events scheduled in one run (both checked).
#pragma once

#include <cstdint>
#include <vector>

#include "shardsim/kernel/callback.h"
#include "shardsim/kernel/time.h"

namespace shardsim {

// An event as its owner sees it.
struct Event {
  Time time;
  std::uint64_t seq;  // scheduling order, the tie-breaker
  Callback action;    // fn(target, arg) is called when the event fires
  std::uint64_t arg;
};

class EventQueue {
 public:
  static constexpr int kSlotBits = 24;
  static constexpr std::uint64_t kMaxPending = 1ULL << kSlotBits;
  static constexpr std::uint64_t kMaxScheduled = 1ULL << (64 - kSlotBits);

  // Adds an event; returns its sequence number. Throws std::length_error past the limits.
  std::uint64_t push(Time time, Callback action, std::uint64_t arg);
  // The earliest event's time. Precondition: !empty().
  Time top_time() const { return heap_[0].time; }
  // The earliest event (a copy). Precondition: !empty().
  Event top() const;
  // Removes and returns the earliest event. Precondition: !empty().
  Event pop();
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n);
  // Bytes held per pending event (capacity included), for the benchmarks.
  std::size_t bytes_reserved() const;

 private:
  struct Key {
    Time time;
    std::uint64_t order;  // sequence << kSlotBits | payload slot
    bool before(const Key& other) const {
      return time < other.time || (time == other.time && order < other.order);
    }
  };
  struct Payload {
    Callback action;
    std::uint64_t arg;
  };
  static std::uint32_t slot_of(const Key& key) {
    return static_cast<std::uint32_t>(key.order & (kMaxPending - 1));
  }
  // Fill the hole at `index` with `moving`, restoring the heap order.
  void sift_up(std::size_t index, Key moving);
  void sift_down(std::size_t index, Key moving);

  std::vector<Key> heap_;
  std::vector<Payload> payloads_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace shardsim
