#include "shardsim/kernel/event_queue.h"

#include <algorithm>
#include <stdexcept>

namespace shardsim {

// Links a block to the tail of `bucket`, from the free list if it has one.
void EventQueue::add_block(Bucket& bucket) {
  Block* block = free_;
  if (block != nullptr) {
    free_ = block->next;
  } else {
    owned_.push_back(std::make_unique<Block>());
    block = owned_.back().get();
  }
  block->next = nullptr;
  if (bucket.tail != nullptr) {
    bucket.tail->next = block;
  } else {
    bucket.head = block;
  }
  bucket.tail = block;
  bucket.fill = 0;
}

void EventQueue::release(Block* block) {
  block->next = free_;
  free_ = block;
}

// Empties `bucket`, calling visit(entry) on each entry in bucket order. Blocks after the first go
// back to the free list as soon as they are read, so appends made by `visit` reuse them while they
// are still in cache; the bucket keeps its first block, so that few pending events cause no block
// traffic at all.
template <class Visit>
void EventQueue::drain(int bucket, Visit visit) {
  Bucket& from = buckets_[bucket];
  occupied_ &= ~(std::uint64_t{1} << (bucket - 1));
  for (Block* block = from.head; block != nullptr;) {
    const std::uint32_t count = block == from.tail ? from.fill : kBlockEntries;
    for (std::uint32_t i = 0; i < count; ++i) visit(block->entries[i]);
    Block* const next = block == from.tail ? nullptr : block->next;
    if (block != from.head) release(block);
    block = next;
  }
  from.tail = from.head;
  from.tail->next = nullptr;
  from.fill = 0;
  from.count = 0;
  from.min = kNoKey;
}

// The run is empty and events are pending: the first non-empty bucket holds the earliest ones.
void EventQueue::open_next_bucket() {
  const int bucket = first_occupied();
  if (buckets_[bucket].count <= kRunTake) {
    take_as_run(bucket);
  } else {
    redistribute(bucket);
  }
}

// Moves a small bucket into the (empty) run, sorted by key. Insertion sort is stable, and the bucket
// holds equal keys in scheduling order, so the run does too.
void EventQueue::take_as_run(int bucket) {
  const std::size_t count = buckets_[bucket].count;
  if (run_.size() < count) run_.resize(std::max<std::size_t>(count, kRunMax));
  last_ = buckets_[bucket].min;
  run_head_ = 0;
  run_tail_ = 0;
  drain(bucket, [this](const Entry& entry) {
    std::size_t i = run_tail_++;
    for (; i > 0 && run_[i - 1].key > entry.key; --i) run_[i] = run_[i - 1];
    run_[i] = entry;
  });
  run_level_ = bucket;
}

// The classic radix-heap step for a large bucket: its minimum becomes `last`, so each of its events
// now differs from `last` at a lower bit and lands in a lower bucket, or in the run when it equals
// `last`. The walk is in bucket order and the targets are empty, which keeps equal times in FIFO
// order.
void EventQueue::redistribute(int bucket) {
  last_ = buckets_[bucket].min;
  run_head_ = 0;
  run_tail_ = 0;
  run_level_ = 1;
  drain(bucket, [this](const Entry& entry) {
    const int to = bucket_of(entry.key);
    if (to == 0) {
      if (run_tail_ == run_.size()) make_room_in_run();  // the run starts at 0 here: it grows
      run_[run_tail_++] = entry;
    } else {
      append(to, entry);
    }
  });
}

// `entry` belongs to the run (its bucket is below run_level_): inserts it after every event with a
// key not greater than its own, shifting whichever side of the run is shorter.
void EventQueue::insert_into_run(int bucket, const Entry& entry) {
  if (run_tail_ - run_head_ >= kRunMax && run_level_ > 1) {
    hand_back_latest_level();
    if (bucket >= run_level_) {
      append(bucket, entry);
      return;
    }
  }
  // Runs are short (kRunMax): a linear search and element-wise shifts beat a binary search and
  // memmove calls there.
  std::size_t at = run_tail_;  // first position with a greater key
  while (at > run_head_ && run_[at - 1].key > entry.key) --at;
  if (run_head_ > 0 && at - run_head_ < run_tail_ - at) {
    for (std::size_t i = run_head_; i < at; ++i) run_[i - 1] = run_[i];
    run_[at - 1] = entry;
    --run_head_;
    return;
  }
  if (run_tail_ == run_.size()) at -= make_room_in_run();
  for (std::size_t i = run_tail_; i > at; --i) run_[i] = run_[i - 1];
  run_[at] = entry;
  ++run_tail_;
}

// The run is full: its latest level (the events in the highest bucket relative to `last`, a suffix
// of the run) moves, in order, to that bucket, which is empty because it is below run_level_.
void EventQueue::hand_back_latest_level() {
  const int level = bucket_of(run_[run_tail_ - 1].key);
  if (level == 0) return;  // every event in the run is at `last`: the run grows instead
  std::size_t start = run_tail_ - 1;
  while (start > run_head_ && bucket_of(run_[start - 1].key) == level) --start;
  for (std::size_t i = start; i < run_tail_; ++i) append(level, run_[i]);
  run_tail_ = start;
  run_level_ = level;
}

// The run has reached the end of its array: moves it to the front if it has been popped from,
// otherwise doubles the array. Returns how far the entries moved towards the front.
std::size_t EventQueue::make_room_in_run() {
  if (run_head_ == 0) {
    run_.resize(std::max<std::size_t>(2 * run_.size(), kRunMax));
    return 0;
  }
  const std::size_t shift = run_head_;
  std::move(run_.begin() + static_cast<std::ptrdiff_t>(run_head_),
            run_.begin() + static_cast<std::ptrdiff_t>(run_tail_), run_.begin());
  run_head_ = 0;
  run_tail_ -= shift;
  return shift;
}

void EventQueue::refuse_before_last() {
  throw std::logic_error("event queue: event pushed before the last popped one");
}

Event EventQueue::top() const {
  if (run_ready()) return to_event(run_[run_head_]);
  const Bucket& bucket = buckets_[first_occupied()];
  // The first entry at the minimum in bucket order is the first scheduled (FIFO argument).
  for (const Block* block = bucket.head; block != nullptr; block = block->next) {
    const std::uint32_t count = block == bucket.tail ? bucket.fill : kBlockEntries;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (block->entries[i].key == bucket.min) return to_event(block->entries[i]);
    }
  }
  throw std::logic_error("event queue: bucket minimum not found");  // unreachable
}

}  // namespace shardsim
