#include "shardsim/model/object_store.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim {

ObjectStore::ObjectStore(ModelContext& context, Callback on_stored)
    : node_(context.sim, std::string(node_names::kObjectStore), context.scenario.async_path.geo,
            context.scenario.async_path.object_store, context.seed(),
            Callback::to<&ObjectStore::served>(this)),
      on_stored_(on_stored) {}

void ObjectStore::put(std::uint32_t id) {
  if (!node_.submit(id)) on_stored_(id);  // rejected: counted by the node, the consumer moves on
}

void ObjectStore::served(std::uint64_t id) {
  on_stored_(id);
}

}  // namespace shardsim
