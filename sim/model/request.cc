#include "shardsim/model/request.h"

#include <limits>
#include <stdexcept>

namespace shardsim {

RequestPool::Id RequestPool::acquire() {
  Id id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    if (slots_.size() >= std::numeric_limits<Id>::max())
      throw std::runtime_error("too many requests in flight");
    id = static_cast<Id>(slots_.size());
    slots_.emplace_back();
  }
  slots_[id] = Request{};
  slots_[id].holds = 1;
  return id;
}

void RequestPool::release(Id id) {
  if (--slots_[id].holds == 0) free_.push_back(id);
}

}  // namespace shardsim
