// shard_master_global[i]: the master of one key range (seed: 1-333, 334-666, 667-1000). It is fed
// lazily by the active global master and feeds the shard's slaves in every geo. It takes no client
// traffic, so the box is its replica: a position in the shard's log and an applier (whose role,
// kShardMaster, makes it stamp its apply times into the log for the slave hop's lag).
//
// After a failover a promoted slave leads the shard instead (see failure/failover.h); this box
// then rejoins as a follower of the new leader when it recovers.
#pragma once

#include <cstdint>
#include <string>

#include "shardsim/model/context.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class ShardMaster {
 public:
  ShardMaster(ModelContext& context, std::uint32_t shard, const std::string& name, GeoId geo)
      : replica_(context.sim, *context.logs[shard], ReplicaRole::kShardMaster, name, geo, shard,
                 context.scenario.replication.master_to_shard_master.apply_ms_per_entry, context.seed()) {}

  Replica& replica() { return replica_; }
  const Replica& replica() const { return replica_; }
  std::uint32_t shard() const { return replica_.shard(); }
  GeoId geo() const { return replica_.geo(); }
  const std::string& name() const { return replica_.name(); }

 private:
  Replica replica_;
};

}  // namespace shardsim
