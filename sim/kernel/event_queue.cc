#include "shardsim/kernel/event_queue.h"

#include <stdexcept>

namespace shardsim {

namespace {
constexpr std::size_t kArity = 4;
}

std::uint64_t EventQueue::push(Time time, Callback action, std::uint64_t arg) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    payloads_[slot] = Payload{action, arg};
  } else {
    if (payloads_.size() >= kMaxPending) {
      throw std::length_error("more than 16,777,216 events pending at once: the scenario is too large");
    }
    slot = static_cast<std::uint32_t>(payloads_.size());
    payloads_.push_back(Payload{action, arg});
  }
  if (next_seq_ >= kMaxScheduled) throw std::length_error("more than 2^40 events in one run");
  const std::uint64_t seq = next_seq_++;
  heap_.emplace_back();
  sift_up(heap_.size() - 1, Key{time, (seq << kSlotBits) | slot});
  return seq;
}

Event EventQueue::top() const {
  const Key& key = heap_[0];
  const Payload& payload = payloads_[slot_of(key)];
  return Event{key.time, key.order >> kSlotBits, payload.action, payload.arg};
}

Event EventQueue::pop() {
  const Event earliest = top();
  free_slots_.push_back(slot_of(heap_[0]));
  const Key last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
  return earliest;
}

void EventQueue::reserve(std::size_t n) {
  heap_.reserve(n);
  payloads_.reserve(n);
  free_slots_.reserve(n);
}

std::size_t EventQueue::bytes_reserved() const {
  return heap_.capacity() * sizeof(Key) + payloads_.capacity() * sizeof(Payload) +
         free_slots_.capacity() * sizeof(std::uint32_t);
}

// Moves a hole up instead of swapping: one write per level. The moving key stays in registers
// (writing it first and reading it back stalls on store forwarding).
void EventQueue::sift_up(std::size_t index, Key moving) {
  while (index > 0) {
    const std::size_t parent = (index - 1) / kArity;
    if (!moving.before(heap_[parent])) break;
    heap_[index] = heap_[parent];
    index = parent;
  }
  heap_[index] = moving;
}

void EventQueue::sift_down(std::size_t index, Key moving) {
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
