// A cache node of a geo (seed: cache_ind): a finite-capacity node holding an LRU store with a TTL.
// It serves lookups (answered to READ_API: hit with the cached version, or miss) and fills (the
// version a slave returned, written after the client was answered). A cache can serve stale data:
// every hit is checked against the active master's latest version and recorded.
#pragma once

#include <cstdint>
#include <string>

#include "shardsim/model/context.h"
#include "shardsim/model/lru_cache.h"
#include "shardsim/model/node.h"

namespace shardsim {

class ReadApi;

class CacheNode {
 public:
  CacheNode(ModelContext& context, GeoId geo, const std::string& name, const CacheSpec& spec,
            ReadApi& read_api);
  void arrive_lookup(std::uint64_t id);
  void arrive_fill(std::uint64_t id);
  void invalidate(std::uint64_t key_index) { store_.erase(key_index); }
  // A lookup or fill of the key is on its way (see LruCache::prefetch); changes nothing.
  void prefetch(std::uint64_t key_index) const { store_.prefetch(key_index); }
  Node& node() { return node_; }
  const LruCache& store() const { return store_; }

 private:
  static constexpr std::uint64_t kFill = 1ULL << 63;  // job tag: a fill, not a lookup
  void served(std::uint64_t job);
  void serve_lookup(std::uint32_t id);
  void serve_fill(std::uint32_t id);

  ModelContext& ctx_;
  GeoId geo_;
  Duration ttl_;
  Node node_;
  bool holds_nothing_;  // capacity 0: every lookup misses, fills are dropped
  LruCache store_;
  ReadApi& read_api_;
};

}  // namespace shardsim
