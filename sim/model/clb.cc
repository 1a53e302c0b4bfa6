#include "shardsim/model/clb.h"
#include "shardsim/scenario/node_names.h"

#include <string>

namespace shardsim {

Clb::Clb(ModelContext& context, GeoId geo, ReadApi& read_api)
    : ctx_(context),
      geo_(geo),
      ring_(context.scenario.clb.vnodes_per_node, derive_seed(context.seed(), "clb")) {
  const CacheSpec& spec = context.scenario.caches[geo];
  std::vector<std::uint32_t> members;
  for (std::uint32_t i = 0; i < spec.nodes; ++i) {
    const std::string name = node_names::cache_node(context.scenario.geos[geo], i);
    nodes_.push_back(std::make_unique<CacheNode>(context, geo, name, spec, read_api));
    members.push_back(i);
  }
  ring_.add_all(members);
}

void Clb::lookup(std::uint32_t id) {
  const std::uint64_t key = ctx_.requests[id].key_index;
  CacheNode& node = owner(key);
  node.prefetch(key);
  ctx_.network.send(geo_, geo_, ctx_.message_bytes(), Callback::to<&CacheNode::arrive_lookup>(&node), id);
}

void Clb::fill(std::uint32_t id) {
  const std::uint64_t key = ctx_.requests[id].key_index;
  CacheNode& node = owner(key);
  node.prefetch(key);
  ctx_.network.send(geo_, geo_, ctx_.message_bytes(), Callback::to<&CacheNode::arrive_fill>(&node), id);
}

void Clb::on_applied(const Replica& replica, LogPosition from, LogPosition to, Time /*now*/) {
  if (replica.geo() != geo_ || ring_.empty()) return;
  const ReplicationLog& log = replica.log();
  for (LogPosition p = from; p < to; ++p) owner(log.at(p).key_index).invalidate(log.at(p).key_index);
}

}  // namespace shardsim
