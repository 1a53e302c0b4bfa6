#include "shardsim/model/consumer.h"

#include "shardsim/model/client.h"
#include "shardsim/model/master_directory.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim {

Consumers::Consumers(ModelContext& context, MessageQueue& queue, MasterDirectory& masters)
    : ctx_(context),
      queue_(queue),
      masters_(masters),
      node_(context.sim, std::string(node_names::kConsumer), context.scenario.async_path.geo,
            context.scenario.async_path.consumer, context.seed(), Callback::to<&Consumers::served>(this)),
      object_store_(context, Callback::to<&Consumers::stored>(this)),
      retry_(context.sim, Callback::to<&Consumers::wake_event>(this)),
      idle_(context.scenario.async_path.consumer.servers) {}

void Consumers::wake() {
  if (retry_.armed()) return;  // pausing after a failed commit
  while (idle_ > 0 && !queue_.empty()) {
    --idle_;
    node_.submit(queue_.dequeue());  // never queues: at most `servers` are taken
  }
}

void Consumers::served(std::uint64_t id) {
  GlobalMaster& master = masters_.active_for(geo());
  ctx_.network.send(geo(), master.geo(), ctx_.message_bytes(),
                    Callback::to<&GlobalMaster::arrive_async>(&master), id,
                    Callback::to<&Consumers::commit_failed>(this));
}

void Consumers::on_committed(GeoId master_geo, std::uint32_t id) {
  // A lost confirmation: writes carry their request id, so the consumer's retry would be
  // deduplicated by the master; the simulator takes the shortcut of treating it as confirmed.
  ctx_.network.send(master_geo, geo(), ctx_.message_bytes(), Callback::to<&Consumers::committed>(this), id,
                    Callback::to<&Consumers::committed>(this));
}

void Consumers::on_commit_failed(GeoId master_geo, std::uint32_t id) {
  ctx_.network.send(master_geo, geo(), ctx_.message_bytes(), Callback::to<&Consumers::commit_failed>(this),
                    id, Callback::to<&Consumers::commit_failed>(this));
}

void Consumers::committed(std::uint64_t id) {
  object_store_.put(static_cast<std::uint32_t>(id));
}

void Consumers::commit_failed(std::uint64_t id) {
  ++retries_;
  queue_.requeue_front(static_cast<std::uint32_t>(id));
  ++idle_;
  if (!retry_.armed()) retry_.arm_in(kRetryInterval);
}

void Consumers::stored(std::uint64_t id) {
  ++idle_;
  queue_.acknowledge();
  ctx_.requests.release(static_cast<std::uint32_t>(id));
  wake();
}

}  // namespace shardsim
