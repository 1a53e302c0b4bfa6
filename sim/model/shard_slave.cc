#include "shardsim/model/shard_slave.h"

#include "shardsim/model/client.h"
#include "shardsim/model/read_api.h"

namespace shardsim {

ShardSlave::ShardSlave(ModelContext& context, std::uint32_t id, std::uint32_t shard, GeoId geo,
                       const std::string& name, ReadApi& read_api)
    : ctx_(context),
      id_(id),
      node_(context.sim, name, geo, context.scenario.slaves.node, context.seed(),
            Callback::to<&ShardSlave::served>(this)),
      replica_(context.sim, *context.logs[shard], ReplicaRole::kShardSlave, name, geo, id,
               context.scenario.replication.shard_master_to_slave.apply_ms_per_entry, context.seed()),
      read_api_(read_api) {}

void ShardSlave::arrive(std::uint64_t id) {
  const std::uint64_t key = ctx_.requests[static_cast<std::uint32_t>(id)].key_index;
  replica_.log().prefetch(key);  // served() reads the key's state (see ReplicationLog::prefetch)
  if (!node_.submit(id)) read_api_.on_slave_rejected(id);
}

void ShardSlave::crash() {
  for (std::uint64_t id : node_.crash()) read_api_.on_slave_rejected(id);
  replica_.crash();
}

void ShardSlave::recover() {
  node_.recover();
  replica_.recover();
}

void ShardSlave::served(std::uint64_t id) {
  const auto rid = static_cast<std::uint32_t>(id);
  if (!node_.up()) {  // crashed while serving
    read_api_.on_slave_rejected(id);
    return;
  }
  Request& r = ctx_.requests[rid];
  const ReplicationLog& log = replica_.log();
  const ReplicationLog::Held held = replica_.held(r.key_index);
  r.version = held.version;
  ctx_.metrics.read_served(r.geo, ReadSource::kSlave, r.hot, held.version, log.latest_version(r.key_index),
                           log.latest_commit(r.key_index), held.first_missed_commit, ctx_.sim.now());
  ctx_.metrics.slave_read(id_);
  ctx_.network.send(node_.geo(), node_.geo(), ctx_.message_bytes(),
                    Callback::to<&ReadApi::on_slave_answer>(&read_api_), rid);
}

}  // namespace shardsim
