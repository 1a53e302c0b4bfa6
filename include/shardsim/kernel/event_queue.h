// The pending-event set: events ordered by time, then by the order in which they were scheduled.
//
// Tie rule (documented, deterministic): two events at the same instant run in the order they were
// scheduled (first scheduled, first run). Each event gets a sequence number at scheduling time; the
// structure below keeps equal times in that order without comparing sequence numbers (see the FIFO
// argument below), so the order never depends on the internal layout.
//
// Implementation: a radix heap (Ahuja, Mehlhorn, Orlin, Tarjan 1990). Simulated time never runs
// backwards, so every pushed time is >= the time `last` of the last popped event. An event whose
// time differs from `last` first at bit b-1 (counting from 0, highest differing bit) waits in bucket
// b; bucket 0 holds the events at exactly `last`. Push appends to a bucket: O(1), no comparisons
// beyond the bucket's running minimum. Pop takes the front of bucket 0; when bucket 0 is empty, the
// first non-empty bucket b is redistributed: its minimum becomes `last` and each of its events
// moves to a lower bucket (it now differs from `last` at a lower bit). An event moves at most 64
// times and in practice a few times; every access is a sequential walk over a bucket, which is
// what beats a binary heap at large sizes (no cache miss per level).
//
// FIFO argument (why equal times pop in scheduling order): all events with the same time are in the
// same bucket (the bucket is a function of time and `last`); pushes append with the largest
// sequence number so far; a redistribution walks its bucket in order into buckets that are empty
// (they are below the first non-empty one) and appends; bucket 0 pops from its front. So within
// every bucket, equal times stay in scheduling order.
//
// Peeking (top_time) reads a cached per-bucket minimum and changes nothing: `last` only advances on
// pop, to the popped event's time, so a run may stop before an event and the caller may still
// schedule anything at or after the current time.
//
// Storage: events (time, sequence, callback, argument: 40 bytes) are stored inline, so a pop needs
// no second lookup. Each bucket is a FIFO list of 128-event blocks (5 KiB) from a shared free list:
// memory follows the number of pending events (about 40 B each at 1e5-1e6 pending) plus at most
// one block kept per bucket (65 x 5 KiB, ~330 KiB, the floor even with few events pending), and
// once the blocks have grown to a run's working set scheduling allocates nothing. A bucket holding
// a single event is popped in place (the common case with few events pending).
//
// Measured (hold model, docs/performance.md): 3.5x a bare std::priority_queue at 1e6 pending
// (the 4-ary heap before it: 0.76x), 1.5x at 1e5, 1.0x at 1e3; slower on M/M/1 (two events
// pending: 0.60x vs 0.78x), faster on the whole model (0.91x the CPU time).
//
// Limits: push refuses (std::logic_error) a time earlier than the last popped event's time, unless
// the queue has been empty since that pop; Simulation never does that (it checks against its clock
// first). Sequence numbers are 64-bit; the number of pending events is bounded by memory only.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
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
  EventQueue() = default;
  EventQueue(EventQueue&&) = default;
  EventQueue& operator=(EventQueue&&) = default;

  // Adds an event; returns its sequence number. Throws std::logic_error if `time` is before the
  // last popped event's time, unless the queue has been empty since that pop.
  std::uint64_t push(Time time, Callback action, std::uint64_t arg);
  // The earliest event's time, without restructuring. Precondition: !empty().
  Time top_time() const;
  // The earliest event (a copy). Precondition: !empty().
  Event top() const;
  // Removes and returns the earliest event. Precondition: !empty().
  Event pop();
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // Bytes held by the blocks (in use or free), for the benchmarks.
  std::size_t bytes_reserved() const { return owned_.size() * sizeof(Block); }

 private:
  static constexpr int kBuckets = 65;  // bucket 0: time == last; bucket b: highest differing bit b-1
  // Entries per block: large enough for sequential walks, small enough that ~30 partly filled
  // buckets cost little memory at small sizes.
  static constexpr std::uint32_t kBlockEntries = 128;
  static constexpr std::uint64_t kNoKey = std::numeric_limits<std::uint64_t>::max();

  // Times as unsigned keys in the same order (flipping the sign bit), so that radix arithmetic on
  // the key agrees with signed comparison of times.
  static std::uint64_t key_of(Time time) { return static_cast<std::uint64_t>(time) ^ (1ULL << 63); }
  static Time time_of(std::uint64_t key) { return static_cast<Time>(key ^ (1ULL << 63)); }

  struct Entry {
    std::uint64_t key;
    std::uint64_t seq;
    Callback action;
    std::uint64_t arg;
  };
  struct Block {
    std::array<Entry, kBlockEntries> entries;
    Block* next;  // the next (newer) block of the same bucket, or of the free list
  };
  // A FIFO list of blocks. Only bucket 0 is read partially (from `read`); the others are always
  // moved whole. An empty bucket has fill == kBlockEntries so that the next append takes a block.
  struct Bucket {
    Block* head = nullptr;
    Block* tail = nullptr;
    std::uint32_t read = 0;              // next entry to pop in `head`
    std::uint32_t fill = kBlockEntries;  // entries written in `tail`
    std::uint64_t min = kNoKey;          // smallest key held (unused for bucket 0)
  };

  int bucket_of(std::uint64_t key) const { return std::bit_width(key ^ last_); }
  bool front_ready() const { return front_count_ != 0; }
  // First non-empty bucket above 0. Precondition: one exists.
  int first_occupied() const { return std::countr_zero(occupied_) + 1; }
  void append(int bucket, const Entry& entry);
  void add_block(Bucket& bucket);
  void release(Block* block);
  Event pop_only(int bucket);
  void refill_front(int source);
  [[noreturn]] static void refuse_before_last();
  void drop_read_block();
  static Event to_event(const Entry& entry) {
    return Event{time_of(entry.key), entry.seq, entry.action, entry.arg};
  }

  std::array<Bucket, kBuckets> buckets_{};
  std::uint64_t occupied_ = 0;   // bit b-1 set <=> bucket b (1..64) is non-empty
  std::size_t front_count_ = 0;  // entries in bucket 0
  std::uint64_t last_ = 0;       // key of the last popped event (the smallest key before any pop)
  std::size_t size_ = 0;
  std::uint64_t next_seq_ = 0;
  Block* free_ = nullptr;                      // recycled blocks
  std::vector<std::unique_ptr<Block>> owned_;  // every block ever allocated
};

// The hot paths are inline: every event pays one push and one pop.

inline void EventQueue::append(int bucket, const Entry& entry) {
  Bucket& to = buckets_[bucket];
  if (to.fill == kBlockEntries) add_block(to);
  to.tail->entries[to.fill++] = entry;
  if (entry.key < to.min) to.min = entry.key;
  occupied_ |= bucket == 0 ? 0 : std::uint64_t{1} << (bucket - 1);  // bucket 0 has no bit
  front_count_ += bucket == 0 ? 1 : 0;
}

inline std::uint64_t EventQueue::push(Time time, Callback action, std::uint64_t arg) {
  const std::uint64_t key = key_of(time);
  if (key < last_) refuse_before_last();
  const std::uint64_t seq = next_seq_++;
  append(bucket_of(key), Entry{key, seq, action, arg});
  ++size_;
  return seq;
}

inline Time EventQueue::top_time() const {
  return time_of(front_ready() ? last_ : buckets_[first_occupied()].min);
}

inline Event EventQueue::pop() {
  if (!front_ready()) {
    const int bucket = first_occupied();
    // Few pending events (the common case) leave one event per bucket: take it where it is.
    if (buckets_[bucket].fill == 1 && buckets_[bucket].head == buckets_[bucket].tail) return pop_only(bucket);
    refill_front(bucket);
  }
  Bucket& front = buckets_[0];
  const Event event = to_event(front.head->entries[front.read++]);
  --front_count_;
  --size_;
  if (front_count_ == 0) {
    front.read = 0;  // keep the block and start it over
    front.fill = 0;
    if (size_ == 0) last_ = 0;  // emptied: accept any time again
  } else if (front.read == kBlockEntries) {
    drop_read_block();
  }
  return event;
}

// The earliest event is the only one in `bucket`: it becomes `last` and leaves the bucket empty.
inline Event EventQueue::pop_only(int bucket) {
  Bucket& only = buckets_[bucket];
  const Entry& entry = only.head->entries[0];
  only.fill = 0;
  only.min = kNoKey;
  occupied_ &= ~(std::uint64_t{1} << (bucket - 1));
  --size_;
  last_ = size_ == 0 ? 0 : entry.key;  // emptied: accept any time again
  return to_event(entry);
}

}  // namespace shardsim
