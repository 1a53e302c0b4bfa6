// The message queue of the async write path: a bounded FIFO of writes waiting for a consumer.
// A full queue rejects (the client's async write fails). While no master accepts writes the queue
// holds them, and it drains after failover: async writes are not lost unless rejected.
//
// The capacity bounds the messages the queue holds: those waiting and those a consumer has taken
// but not yet acknowledged (SQS's in-flight messages). A message whose commit failed goes back to
// the head in the slot it already held, so a requeue never takes the queue past its capacity.
#pragma once

#include <cstdint>
#include <deque>

#include "shardsim/kernel/time.h"

namespace shardsim {

class MessageQueue {
 public:
  explicit MessageQueue(std::uint64_t capacity) : capacity_(capacity) {}

  bool enqueue(std::uint32_t id);
  // Hands the oldest waiting message to a consumer; it stays held until acknowledged or requeued.
  std::uint32_t dequeue();
  // The consumer is done with a message it took: its slot is free.
  void acknowledge();
  // A message whose commit failed goes back to the head, keeping the order of writes.
  void requeue_front(std::uint32_t id);
  bool empty() const { return messages_.empty(); }
  // Messages held: waiting, or taken by a consumer and not yet acknowledged. At most the capacity.
  std::uint64_t depth() const { return messages_.size() + in_flight_; }
  std::uint64_t in_flight() const { return in_flight_; }
  std::uint64_t max_depth() const { return max_depth_; }
  std::uint64_t rejected() const { return rejected_; }
  std::uint64_t capacity() const { return capacity_; }

 private:
  std::uint64_t capacity_;
  std::deque<std::uint32_t> messages_;
  std::uint64_t in_flight_ = 0;
  std::uint64_t max_depth_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace shardsim
