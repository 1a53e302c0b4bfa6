#include "shardsim/model/shard_master.h"

namespace shardsim {

ShardMaster::ShardMaster(ModelContext& context, std::uint32_t shard, const std::string& name, GeoId geo)
    : log_(*context.logs[shard]),
      replica_(context.sim, log_, ReplicaRole::kShardMaster, name, geo, shard,
               context.scenario.replication.master_to_shard_master.apply_ms_per_entry, context.seed()) {
  replica_.add_observer(this);
}

void ShardMaster::on_applied(const Replica& /*replica*/, LogPosition from, LogPosition to, Time now) {
  for (LogPosition p = from; p < to; ++p) log_.at(p).shard_master_applied = now;
}

}  // namespace shardsim
