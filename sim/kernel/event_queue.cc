#include "shardsim/kernel/event_queue.h"

namespace shardsim {

namespace {
constexpr std::size_t kArity = 4;
}

std::uint64_t EventQueue::push(Time time, Callback action, std::uint64_t arg) {
  const std::uint64_t seq = next_seq_++;
  heap_.push_back(Event{time, seq, action, arg});
  sift_up(heap_.size() - 1);
  return seq;
}

Event EventQueue::pop() {
  Event earliest = heap_[0];
  heap_[0] = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
  return earliest;
}

// Moves a hole up instead of swapping: one write per level.
void EventQueue::sift_up(std::size_t index) {
  const Event moving = heap_[index];
  while (index > 0) {
    const std::size_t parent = (index - 1) / kArity;
    if (!moving.before(heap_[parent])) break;
    heap_[index] = heap_[parent];
    index = parent;
  }
  heap_[index] = moving;
}

void EventQueue::sift_down(std::size_t index) {
  const Event moving = heap_[index];
  const std::size_t size = heap_.size();
  while (true) {
    const std::size_t first_child = index * kArity + 1;
    if (first_child >= size) break;
    const std::size_t last_child = first_child + kArity < size ? first_child + kArity : size;
    std::size_t best = first_child;
    for (std::size_t child = first_child + 1; child < last_child; ++child) {
      if (heap_[child].before(heap_[best])) best = child;
    }
    if (!heap_[best].before(moving)) break;
    heap_[index] = heap_[best];
    index = best;
  }
  heap_[index] = moving;
}

}  // namespace shardsim
