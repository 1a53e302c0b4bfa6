#include "shardsim/model/read_api.h"

#include "shardsim/model/clb.h"
#include "shardsim/model/client.h"
#include "shardsim/model/shard_slave.h"
#include "shardsim/model/slb.h"
#include "shardsim/scenario/node_names.h"

namespace shardsim {

ReadApi::ReadApi(ModelContext& context, GeoId geo)
    : ctx_(context),
      geo_(geo),
      node_(context.sim, node_names::front_end(node_names::FrontEnd::kReadApi, context.scenario.geos[geo]),
            geo, context.scenario.front_ends[geo].read_api, context.seed(),
            Callback::to<&ReadApi::served>(this)) {}

void ReadApi::connect(Clb* clb, Slb* slb, std::vector<ShardSlave*> slaves_by_id) {
  clb_ = clb;
  slb_ = slb;
  slaves_ = std::move(slaves_by_id);
}

void ReadApi::arrive(std::uint64_t id) {
  if (!node_.submit(id)) ctx_.clients->fail(geo_, static_cast<std::uint32_t>(id));
}

void ReadApi::served(std::uint64_t id) {
  const auto rid = static_cast<std::uint32_t>(id);
  // Warm what a miss will touch next: the key's state in its log and its bucket on the SLB ring.
  const std::uint64_t key = ctx_.requests[rid].key_index;
  ctx_.log_of(key).prefetch(key);
  slb_->prefetch(key);
  if (clb_ != nullptr && clb_->has_nodes()) {
    clb_->lookup(rid);
  } else {
    read_from_slave(rid);
  }
}

void ReadApi::on_cache_answer(std::uint64_t id) {
  const auto rid = static_cast<std::uint32_t>(id);
  if (ctx_.requests[rid].cache_hit) {
    ctx_.clients->answer(geo_, rid, Outcome::kReadHit);
  } else {
    read_from_slave(rid);
  }
}

void ReadApi::read_from_slave(std::uint32_t id) {
  Request& r = ctx_.requests[id];
  const std::optional<std::uint32_t> slave = slb_->route(r.key_index);
  if (!slave) {  // no healthy slave holds the shard in this geo
    ctx_.clients->fail(geo_, id);
    return;
  }
  r.node = *slave;
  ctx_.network.send(geo_, geo_, ctx_.message_bytes(), Callback::to<&ShardSlave::arrive>(slaves_[*slave]), id);
}

void ReadApi::on_slave_rejected(std::uint64_t id) {
  const auto rid = static_cast<std::uint32_t>(id);
  slb_->finished(ctx_.requests[rid].node);
  ctx_.clients->fail(geo_, rid);
}

void ReadApi::on_slave_answer(std::uint64_t id) {
  const auto rid = static_cast<std::uint32_t>(id);
  slb_->finished(ctx_.requests[rid].node);
  if (clb_ != nullptr && clb_->has_nodes()) {
    ctx_.requests.hold(rid);  // the fill outlives the answer
    ctx_.clients->answer(geo_, rid, Outcome::kReadMiss);
    clb_->fill(rid);
  } else {
    ctx_.clients->answer(geo_, rid, Outcome::kReadMiss);
  }
}

}  // namespace shardsim
