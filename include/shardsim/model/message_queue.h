// The message queue of the async write path: a bounded FIFO of writes waiting for a consumer.
// A full queue rejects (the client's async write fails). While no master accepts writes the queue
// holds them, and it drains after failover: async writes are not lost unless rejected.
#pragma once

#include <cstdint>
#include <deque>

#include "shardsim/kernel/time.h"

namespace shardsim {

class MessageQueue {
 public:
  explicit MessageQueue(std::uint64_t capacity) : capacity_(capacity) {}

  bool enqueue(std::uint32_t id);
  std::uint32_t dequeue();
  // A message whose commit failed goes back to the head, keeping the order of writes.
  void requeue_front(std::uint32_t id) { messages_.push_front(id); }
  bool empty() const { return messages_.empty(); }
  std::uint64_t depth() const { return messages_.size(); }
  std::uint64_t max_depth() const { return max_depth_; }
  std::uint64_t rejected() const { return rejected_; }
  std::uint64_t capacity() const { return capacity_; }

 private:
  std::uint64_t capacity_;
  std::deque<std::uint32_t> messages_;
  std::uint64_t max_depth_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace shardsim
