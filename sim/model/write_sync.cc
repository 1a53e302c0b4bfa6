#include "shardsim/model/write_sync.h"

#include "shardsim/model/client.h"
#include "shardsim/model/master_directory.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim {

WriteSync::WriteSync(ModelContext& context, GeoId geo, MasterDirectory& masters)
    : ctx_(context),
      geo_(geo),
      node_(context.sim, node_names::front_end(node_names::FrontEnd::kWriteSync, context.scenario.geos[geo]),
            geo, context.scenario.front_ends[geo].write_sync, context.seed(),
            Callback::to<&WriteSync::served>(this)),
      masters_(masters) {}

void WriteSync::arrive(std::uint64_t id) {
  if (!node_.submit(id)) ctx_.clients->fail(geo_, static_cast<std::uint32_t>(id));
}

void WriteSync::served(std::uint64_t id) {
  GlobalMaster& master = masters_.active_for(geo_);
  ctx_.network.send(geo_, master.geo(), ctx_.message_bytes(),
                    Callback::to<&GlobalMaster::arrive_sync>(&master), id,
                    Callback::to<&Clients::lost>(ctx_.clients));
}

}  // namespace shardsim
