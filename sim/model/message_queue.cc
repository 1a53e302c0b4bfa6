#include "shardsim/model/message_queue.h"

#include <algorithm>

namespace shardsim {

bool MessageQueue::enqueue(std::uint32_t id) {
  if (depth() >= capacity_) {
    ++rejected_;
    return false;
  }
  messages_.push_back(id);
  max_depth_ = std::max(max_depth_, depth());
  return true;
}

std::uint32_t MessageQueue::dequeue() {
  const std::uint32_t id = messages_.front();
  messages_.pop_front();
  ++in_flight_;
  return id;
}

void MessageQueue::acknowledge() {
  --in_flight_;
}

void MessageQueue::requeue_front(std::uint32_t id) {
  --in_flight_;
  messages_.push_front(id);
}

}  // namespace shardsim
