// The pending-event set: events ordered by time, then by the order in which they were scheduled.
//
// Tie rule (documented, deterministic): two events at the same instant run in the order they were
// scheduled (first scheduled, first run). push() numbers the events in scheduling order; the
// structure below keeps equal times in that order without storing or comparing those numbers (see
// the FIFO argument below), so the order never depends on the internal layout.
//
// Implementation: a radix heap (Ahuja, Mehlhorn, Orlin, Tarjan 1990) with a sorted front run.
// Simulated time never runs backwards, so every pushed time is >= the time `last` of the last popped
// event. An event whose time differs from `last` first at bit b-1 (counting from 0, highest
// differing bit) waits in bucket b (1..64). Push appends to a bucket: O(1), no comparisons beyond
// the bucket's running minimum. When the earliest events are needed, the first non-empty bucket is
// opened:
//   - a small bucket (at most kRunTake events, the common case with tens to hundreds pending)
//     becomes the *front run*: its events, sorted by time, are popped from the front one by one;
//   - a large one is redistributed, the classic radix-heap step: its minimum becomes `last` and each
//     event moves to a lower bucket (the events equal to `last` to the run). An event moves at most
//     64 times and in practice a few; every access is a sequential walk over a bucket, which is
//     what beats a binary heap at large sizes (no cache miss per level).
// The run covers the levels below `run_level` (the bucket it came from): every pending event whose
// bucket relative to `last` is below run_level is in the run, and those buckets are empty. Popping
// inside the run keeps this true (all run events share the bits from run_level-1 up), so a push
// below run_level is inserted into the run in time order (shifting the shorter side), and a push at
// or above it goes to its bucket. A run that outgrows kRunMax hands its latest level back to its
// (empty) bucket. Compared with redistributing every bucket, an event moves (to a lower bucket or
// into the run) 2.3 times on average instead of 3.0 (seed model, counted; shifts inside the run
// aside), and with two events pending (M/M/1) a pop is an array read.
//
// FIFO argument (why equal times pop in scheduling order): all events with the same time are in the
// same bucket or all in the run (both are functions of time, `last` and run_level); pushes carry
// the largest sequence number so far and are appended to a bucket, or inserted into the run after
// every event of the same time; a redistribution or a run taking a bucket walks that bucket in
// order (the run sorts stably) into structures that are empty; a run handing a level back moves it
// in order into an empty bucket. So within every bucket and the run, equal times stay in
// scheduling order.
//
// Peeking (top_time) reads the run's front or a cached per-bucket minimum and changes nothing:
// `last` only advances on pop, to the popped event's time, so a run may stop before an event and
// the caller may still schedule anything at or after the current time.
//
// Storage: events (time, callback, argument: 32 bytes, no sequence number: the FIFO argument makes
// it unnecessary) are stored inline, so a pop needs no second lookup. Each bucket is a FIFO list of
// 128-event blocks (4 KiB) from a shared free list: memory follows the number of pending events
// (about 32 B each at 1e5-1e6 pending) plus at most one block kept per bucket (64 x 4 KiB,
// ~260 KiB, the floor even with few events pending), and once the blocks have grown to a run's
// working set scheduling allocates nothing. The run is one array, grown by doubling (it exceeds
// kRunMax only for events at one instant).
//
// Measured against a bare std::priority_queue loop in the same run (docs/performance.md), hold
// model: 1.38x at 1e3 pending, 1.95x at 1e5, 3.76x at 1e6; M/M/1 (two pending) 0.73x. The front
// run (instead of redistributing every bucket) brought the seed model to 0.90x its CPU time.
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
  Callback action;  // fn(target, arg) is called when the event fires
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
  // Bytes held by the blocks (in use or free) and the run, for the benchmarks.
  std::size_t bytes_reserved() const {
    return owned_.size() * sizeof(Block) + run_.capacity() * sizeof(Entry);
  }

 private:
  static constexpr int kBuckets = 65;  // bucket b (1..64): highest bit differing from last is b-1; 0 unused
  // Entries per block: large enough for sequential walks, small enough that ~30 partly filled
  // buckets cost little memory at small sizes.
  static constexpr std::uint32_t kBlockEntries = 128;
  // A bucket of at most this many events becomes the run (sorted) instead of being redistributed.
  static constexpr std::size_t kRunTake = 16;
  // A run this long hands its latest level back to a bucket before it takes one more event.
  static constexpr std::size_t kRunMax = 64;
  static constexpr std::uint64_t kNoKey = std::numeric_limits<std::uint64_t>::max();

  // Times as unsigned keys in the same order (flipping the sign bit), so that radix arithmetic on
  // the key agrees with signed comparison of times.
  static std::uint64_t key_of(Time time) { return static_cast<std::uint64_t>(time) ^ (1ULL << 63); }
  static Time time_of(std::uint64_t key) { return static_cast<Time>(key ^ (1ULL << 63)); }

  // 32 bytes, two per cache line. No sequence number: the structure keeps equal keys in
  // scheduling order by itself (FIFO argument above).
  struct Entry {
    std::uint64_t key;
    Callback action;
    std::uint64_t arg;
  };
  struct Block {
    std::array<Entry, kBlockEntries> entries;
    Block* next;  // the next (newer) block of the same bucket, or of the free list
  };
  // A FIFO list of blocks, always read whole. An empty bucket has fill == kBlockEntries so that
  // the next append takes a block.
  struct Bucket {
    Block* head = nullptr;
    Block* tail = nullptr;
    std::uint32_t fill = kBlockEntries;  // entries written in `tail`
    std::size_t count = 0;               // entries held
    std::uint64_t min = kNoKey;          // smallest key held
  };

  int bucket_of(std::uint64_t key) const { return std::bit_width(key ^ last_); }
  bool run_ready() const { return run_head_ != run_tail_; }
  // First non-empty bucket. Precondition: one exists.
  int first_occupied() const { return std::countr_zero(occupied_) + 1; }
  void append(int bucket, const Entry& entry);
  void add_block(Bucket& bucket);
  void release(Block* block);
  template <class Visit>
  void drain(int bucket, Visit visit);
  void open_next_bucket();
  void take_as_run(int bucket);
  void redistribute(int bucket);
  void insert_into_run(int bucket, const Entry& entry);
  void hand_back_latest_level();
  std::size_t make_room_in_run();
  [[noreturn]] static void refuse_before_last();
  static Event to_event(const Entry& entry) { return Event{time_of(entry.key), entry.action, entry.arg}; }

  std::array<Bucket, kBuckets> buckets_{};
  std::uint64_t occupied_ = 0;  // bit b-1 set <=> bucket b (1..64) is non-empty
  std::uint64_t last_ = 0;      // key of the last popped event (the smallest key before any pop)
  // The front run: run_[run_head_, run_tail_) sorted by key, equal keys in scheduling order. It
  // holds every pending event whose bucket is below run_level_.
  std::vector<Entry> run_;
  std::size_t run_head_ = 0;
  std::size_t run_tail_ = 0;
  int run_level_ = 1;  // with last_ == 0 before any pop: the run takes key 0, the smallest
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
  ++to.count;
  if (entry.key < to.min) to.min = entry.key;
  occupied_ |= std::uint64_t{1} << (bucket - 1);
}

inline std::uint64_t EventQueue::push(Time time, Callback action, std::uint64_t arg) {
  const std::uint64_t key = key_of(time);
  if (key < last_) refuse_before_last();
  const std::uint64_t seq = next_seq_++;
  const Entry entry{key, action, arg};
  const int bucket = bucket_of(key);
  if (bucket < run_level_) {
    // The common case in the run: the latest event so far, and room behind it.
    const bool at_end = run_head_ == run_tail_ || run_[run_tail_ - 1].key <= key;
    if (at_end && run_tail_ < run_.size() && run_tail_ - run_head_ < kRunMax) {
      run_[run_tail_++] = entry;
    } else {
      insert_into_run(bucket, entry);
    }
  } else {
    append(bucket, entry);
  }
  ++size_;
  return seq;
}

inline Time EventQueue::top_time() const {
  return time_of(run_ready() ? run_[run_head_].key : buckets_[first_occupied()].min);
}

inline Event EventQueue::pop() {
  if (!run_ready()) open_next_bucket();
  const Entry& entry = run_[run_head_++];
  last_ = entry.key;
  const Event event = to_event(entry);
  if (--size_ == 0) {  // emptied: accept any time again
    last_ = 0;
    run_level_ = 1;
  }
  if (run_head_ == run_tail_) run_head_ = run_tail_ = 0;
  return event;
}

}  // namespace shardsim
