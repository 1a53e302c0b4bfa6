#include "shardsim/kernel/event_queue.h"

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

// Bucket 0 is empty and `source` is the first non-empty bucket. Moves the first non-empty bucket down: its
// minimum becomes `last`, so each of its events now differs from `last` at a lower bit and lands in a lower
// bucket. The walk is in bucket order and the lower buckets are empty, which keeps equal times in FIFO order.
// Read blocks go back to the free list, so the targets reuse them while they are still in cache; the bucket
// keeps its first block, so that few pending events cause no block traffic at all.
void EventQueue::refill_front(int source) {
  Bucket& from = buckets_[source];
  occupied_ &= ~(std::uint64_t{1} << (source - 1));
  last_ = from.min;
  for (Block* block = from.head; block != nullptr;) {
    const std::uint32_t count = block == from.tail ? from.fill : kBlockEntries;
    for (std::uint32_t i = 0; i < count; ++i) append(bucket_of(block->entries[i].key), block->entries[i]);
    Block* const next = block == from.tail ? nullptr : block->next;
    if (block != from.head) release(block);
    block = next;
  }
  from.tail = from.head;
  from.tail->next = nullptr;
  from.fill = 0;
  from.min = kNoKey;
}

// Bucket 0's head block has been read to its end (and more entries follow in the next block).
void EventQueue::drop_read_block() {
  Bucket& front = buckets_[0];
  Block* const done = front.head;
  front.head = done->next;
  front.read = 0;
  release(done);
}

void EventQueue::refuse_before_last() {
  throw std::logic_error("event queue: event pushed before the last popped one");
}

Event EventQueue::top() const {
  const Bucket& front = buckets_[0];
  if (front_ready()) return to_event(front.head->entries[front.read]);
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
