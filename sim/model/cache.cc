#include "shardsim/model/cache.h"

#include <algorithm>

#include "shardsim/model/client.h"
#include "shardsim/model/read_api.h"

namespace shardsim {

CacheNode::CacheNode(ModelContext& context, GeoId geo, const std::string& name, const CacheSpec& spec,
                     ReadApi& read_api)
    : ctx_(context),
      geo_(geo),
      ttl_(spec.ttl),
      node_(context.sim, name, geo, spec.node, context.seed(), Callback::to<&CacheNode::served>(this)),
      // The schema allows capacity_keys_per_node = 0 (a node that holds nothing); LruCache needs at
      // least 1 key, so such a node gets a store of 1 that is never filled (see serve_fill).
      holds_nothing_(spec.capacity_keys_per_node == 0),
      store_(std::max<std::uint64_t>(spec.capacity_keys_per_node, 1)),
      read_api_(read_api) {}

void CacheNode::arrive_lookup(std::uint64_t id) {
  const std::uint64_t key = ctx_.requests[static_cast<std::uint32_t>(id)].key_index;
  store_.warm(key);
  ctx_.log_of(key).prefetch(key);
  if (!node_.submit(id)) ctx_.clients->fail(geo_, static_cast<std::uint32_t>(id));
}

void CacheNode::arrive_fill(std::uint64_t id) {
  store_.warm(ctx_.requests[static_cast<std::uint32_t>(id)].key_index);
  // A fill the cache has no room to queue is dropped: the next read misses again.
  if (!node_.submit(id | kFill)) ctx_.requests.release(static_cast<std::uint32_t>(id));
}

void CacheNode::served(std::uint64_t job) {
  const auto id = static_cast<std::uint32_t>(job);
  if (job & kFill) {
    serve_fill(id);
  } else {
    serve_lookup(id);
  }
}

void CacheNode::serve_lookup(std::uint32_t id) {
  Request& r = ctx_.requests[id];
  const Time now = ctx_.sim.now();
  ctx_.metrics.cache_lookup(r.geo);
  const LruCache::Entry* entry = store_.lookup(r.key_index, now);
  r.cache_hit = entry != nullptr;
  if (entry != nullptr) {
    r.version = entry->version;
    const ReplicationLog& log = ctx_.log_of(r.key_index);
    const ReplicationLog::Held held = log.held_version(entry->version, r.key_index);
    ctx_.metrics.read_served(r.geo, ReadSource::kCache, r.hot, entry->version,
                             log.latest_version(r.key_index), log.latest_commit(r.key_index),
                             held.first_missed_commit, now);
  }
  ctx_.network.send(geo_, geo_, ctx_.message_bytes(), Callback::to<&ReadApi::on_cache_answer>(&read_api_),
                    id);
}

void CacheNode::serve_fill(std::uint32_t id) {
  const Request& r = ctx_.requests[id];
  const Time now = ctx_.sim.now();
  if (!holds_nothing_) store_.insert(r.key_index, LruCache::Entry{r.version, now, now + ttl_});
  ctx_.requests.release(id);
}

}  // namespace shardsim
