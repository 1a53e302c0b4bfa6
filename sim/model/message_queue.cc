#include "shardsim/model/message_queue.h"

#include <algorithm>

namespace shardsim {

bool MessageQueue::enqueue(std::uint32_t id) {
  if (messages_.size() >= capacity_) {
    ++rejected_;
    return false;
  }
  messages_.push_back(id);
  max_depth_ = std::max<std::uint64_t>(max_depth_, messages_.size());
  return true;
}

std::uint32_t MessageQueue::dequeue() {
  const std::uint32_t id = messages_.front();
  messages_.pop_front();
  return id;
}

}  // namespace shardsim
