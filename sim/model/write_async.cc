#include "shardsim/model/write_async.h"

#include "shardsim/model/client.h"
#include "shardsim/model/scheduler.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim {

WriteAsync::WriteAsync(ModelContext& context, GeoId geo, Scheduler& scheduler)
    : ctx_(context),
      geo_(geo),
      node_(context.sim, node_names::front_end(node_names::FrontEnd::kWriteAsync, context.scenario.geos[geo]),
            geo, context.scenario.front_ends[geo].write_async, context.seed(),
            Callback::to<&WriteAsync::served>(this)),
      scheduler_(scheduler) {}

void WriteAsync::arrive(std::uint64_t id) {
  if (!node_.submit(id)) ctx_.clients->fail(geo_, static_cast<std::uint32_t>(id));
}

void WriteAsync::served(std::uint64_t id) {
  ctx_.network.send(geo_, scheduler_.geo(), ctx_.message_bytes(),
                    Callback::to<&Scheduler::arrive>(&scheduler_), id,
                    Callback::to<&Clients::lost>(ctx_.clients));
}

}  // namespace shardsim
