// shard_master_global[i]: the master of one key range (seed: 1-333, 334-666, 667-1000). It is fed
// lazily by the active global master and feeds the shard's slaves in every geo. It takes no client
// traffic, so it is its replica: a position in the shard's log and an applier. It stamps the time
// it applied each entry into the log, which is what the shard-master-to-slave hop lag is measured
// from.
#pragma once

#include <cstdint>
#include <string>

#include "shardsim/model/context.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class ShardMaster : public ReplicaObserver {
 public:
  ShardMaster(ModelContext& context, std::uint32_t shard, const std::string& name, GeoId geo);

  Replica& replica() { return replica_; }
  const Replica& replica() const { return replica_; }
  std::uint32_t shard() const { return replica_.shard(); }
  GeoId geo() const { return replica_.geo(); }

  void on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) override;
  void on_stale_keys_changed(const Replica&, std::int64_t, Time) override {}

 private:
  ReplicationLog& log_;
  Replica replica_;
};

}  // namespace shardsim
