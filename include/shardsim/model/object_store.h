// The object store (S3) of the async write path: a consumer puts each write's payload here after
// the master committed it. A finite-capacity node; a full queue rejects the put (counted).
#pragma once

#include <cstdint>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"

namespace shardsim {

class ObjectStore {
 public:
  ObjectStore(ModelContext& context, Callback on_stored);
  // Puts the payload of request `id`; `on_stored(id)` runs when done (or at once when rejected).
  void put(std::uint32_t id);
  Node& node() { return node_; }

 private:
  void served(std::uint64_t id);

  Node node_;
  Callback on_stored_;
};

}  // namespace shardsim
