// LRU cache: recency order, TTL, counters, and a randomized comparison with a reference model.
#include "shardsim/model/lru_cache.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <list>
#include <map>
#include <utility>

using shardsim::LruCache;
using shardsim::Time;

namespace {

constexpr Time kForever = shardsim::kTimeNever;

LruCache::Entry entry(std::uint64_t version, Time expires_at = kForever) {
  return {version, 0, expires_at};
}

bool has(LruCache& cache, std::uint64_t key, Time now = 0) {
  return cache.lookup(key, now) != nullptr;
}

// The obvious implementation: a recency list (front = most recent) and an ordered map.
class ReferenceLru {
 public:
  explicit ReferenceLru(std::uint64_t capacity) : capacity_(capacity) {}

  const LruCache::Entry* lookup(std::uint64_t key, Time now) {
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    if (it->second.first.expires_at <= now) {
      order_.erase(it->second.second);
      map_.erase(it);
      ++expirations;
      return nullptr;
    }
    order_.splice(order_.begin(), order_, it->second.second);
    return &it->second.first;
  }

  void insert(std::uint64_t key, const LruCache::Entry& e) {
    auto it = map_.find(key);
    if (it != map_.end()) {
      it->second.first = e;
      order_.splice(order_.begin(), order_, it->second.second);
      return;
    }
    if (map_.size() == capacity_) {
      map_.erase(order_.back());
      order_.pop_back();
      ++evictions;
    }
    order_.push_front(key);
    map_.emplace(key, std::make_pair(e, order_.begin()));
  }

  bool erase(std::uint64_t key) {
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    order_.erase(it->second.second);
    map_.erase(it);
    return true;
  }

  std::uint64_t size() const { return map_.size(); }
  std::uint64_t evictions = 0;
  std::uint64_t expirations = 0;

 private:
  std::uint64_t capacity_;
  std::list<std::uint64_t> order_;
  std::map<std::uint64_t, std::pair<LruCache::Entry, std::list<std::uint64_t>::iterator>> map_;
};

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

TEST_CASE("lru cache hit and miss", "[lru_cache]") {
  LruCache cache(4);
  CHECK(cache.capacity() == 4);
  CHECK(cache.lookup(1, 0) == nullptr);
  cache.insert(1, {7, 5, 100});
  const LruCache::Entry* e = cache.lookup(1, 50);
  REQUIRE(e != nullptr);
  CHECK(e->version == 7);
  CHECK(e->filled_at == 5);
  CHECK(e->expires_at == 100);
  CHECK(cache.size() == 1);
  CHECK_THROWS_AS(LruCache(0), std::invalid_argument);
}

TEST_CASE("lru cache evicts least recently used first", "[lru_cache]") {
  LruCache cache(3);
  for (std::uint64_t k = 1; k <= 3; ++k) cache.insert(k, entry(k));
  cache.insert(4, entry(4));  // evicts 1
  CHECK(cache.evictions() == 1);
  CHECK_FALSE(has(cache, 1));
  cache.insert(5, entry(5));  // evicts 2
  CHECK_FALSE(has(cache, 2));
  CHECK(has(cache, 3));
  CHECK(has(cache, 4));
  CHECK(has(cache, 5));
  CHECK(cache.size() == 3);
  CHECK(cache.evictions() == 2);
}

TEST_CASE("lru cache lookup and overwrite refresh recency", "[lru_cache]") {
  LruCache cache(3);
  for (std::uint64_t k = 1; k <= 3; ++k) cache.insert(k, entry(k));
  CHECK(has(cache, 1));       // order, most recent first: 1 3 2
  cache.insert(2, entry(9));  // overwrite: 2 1 3, no growth
  CHECK(cache.size() == 3);
  CHECK(cache.lookup(2, 0)->version == 9);
  cache.insert(4, entry(4));  // evicts 3
  CHECK_FALSE(has(cache, 3));
  CHECK(has(cache, 1));
  CHECK(has(cache, 2));
  CHECK(cache.evictions() == 1);
}

TEST_CASE("lru cache entries expire exactly at expires_at", "[lru_cache]") {
  LruCache cache(2);
  cache.insert(1, {1, 0, 100});
  CHECK(has(cache, 1, 99));
  CHECK_FALSE(has(cache, 1, 100));  // expires_at == now: expired
  CHECK(cache.expirations() == 1);
  CHECK(cache.size() == 0);
  CHECK_FALSE(has(cache, 1, 50));  // removed for good
  CHECK(cache.expirations() == 1);
  CHECK(cache.evictions() == 0);
}

TEST_CASE("lru cache erase invalidates", "[lru_cache]") {
  LruCache cache(2);
  cache.insert(1, entry(1));
  cache.insert(2, entry(2));
  CHECK(cache.erase(1));
  CHECK_FALSE(cache.erase(1));
  CHECK(cache.size() == 1);
  CHECK_FALSE(has(cache, 1));
  cache.insert(3, entry(3));  // room freed by erase: no eviction
  CHECK(cache.evictions() == 0);
  CHECK(has(cache, 2));
  CHECK(has(cache, 3));
}

TEST_CASE("lru cache of capacity 1", "[lru_cache]") {
  LruCache cache(1);
  cache.insert(1, entry(1));
  cache.insert(1, entry(2));
  CHECK(cache.evictions() == 0);
  CHECK(cache.lookup(1, 0)->version == 2);
  cache.insert(2, entry(3));
  CHECK(cache.evictions() == 1);
  CHECK_FALSE(has(cache, 1));
  CHECK(cache.lookup(2, 0)->version == 3);
  CHECK(cache.size() == 1);
}

TEST_CASE("lru cache matches a reference model on random operations", "[lru_cache]") {
  for (std::uint64_t capacity : {1u, 7u, 64u, 1000u}) {
    LruCache cache(capacity);
    ReferenceLru reference(capacity);
    std::uint64_t rng = 1234 + capacity;
    const std::uint64_t key_space = 2 * capacity + 3;  // hits, misses and evictions all happen
    Time now = 0;
    for (int op = 0; op < 100'000; ++op) {
      now += static_cast<Time>(splitmix64(rng) % 3);
      const std::uint64_t key = splitmix64(rng) % key_space;
      const std::uint64_t kind = splitmix64(rng) % 10;
      if (kind < 5) {
        const LruCache::Entry* got = cache.lookup(key, now);
        const LruCache::Entry* want = reference.lookup(key, now);
        REQUIRE((got == nullptr) == (want == nullptr));
        if (got) REQUIRE((got->version == want->version && got->expires_at == want->expires_at));
      } else if (kind < 9) {
        const Time ttl = static_cast<Time>(splitmix64(rng) % (3 * key_space));  // some live past capacity
        const LruCache::Entry e{static_cast<std::uint64_t>(op), now, now + ttl};
        cache.insert(key, e);
        reference.insert(key, e);
      } else {
        REQUIRE(cache.erase(key) == reference.erase(key));
      }
      REQUIRE(cache.size() == reference.size());
    }
    INFO("capacity " << capacity);
    CHECK(cache.evictions() == reference.evictions);
    CHECK(cache.expirations() == reference.expirations);
    CHECK(cache.evictions() > 0);
    CHECK(cache.expirations() > 0);
  }
}
