#include "shardsim/model/scheduler.h"

#include "shardsim/model/client.h"
#include "shardsim/model/consumer.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim {

Scheduler::Scheduler(ModelContext& context, MessageQueue& queue, Consumers& consumers)
    : ctx_(context),
      node_(context.sim, std::string(node_names::kScheduler), context.scenario.async_path.geo,
            context.scenario.async_path.scheduler, context.seed(), Callback::to<&Scheduler::served>(this)),
      queue_(queue),
      consumers_(consumers) {}

void Scheduler::arrive(std::uint64_t id) {
  if (!node_.submit(id)) ctx_.clients->fail(geo(), static_cast<std::uint32_t>(id));
}

void Scheduler::served(std::uint64_t id) {
  const auto rid = static_cast<std::uint32_t>(id);
  if (!queue_.enqueue(rid)) {
    ctx_.clients->fail(geo(), rid);
    return;
  }
  ctx_.requests.hold(rid);  // the queue keeps the write after the client is answered
  ctx_.clients->answer(geo(), rid, Outcome::kAsyncAck);
  consumers_.wake();
}

}  // namespace shardsim
