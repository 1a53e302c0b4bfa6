// The storage of one cache node: least-recently-used eviction, a capacity in keys, and a time to
// live per entry.
//
// Entries live in a node array threaded by an intrusive doubly-linked recency list (by index, not
// pointer), found through an open-addressing index. Both grow with the number of cached keys and
// stop at the capacity, so a large but cold cache costs little memory and a full cache performs
// no heap allocation per operation. Nothing depends on pointer values or hash-table iteration
// order, so runs are deterministic.
#pragma once

#include <cstdint>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/util/huge_page_allocator.h"

namespace shardsim {

class LruCache {
 public:
  struct Entry {
    std::uint64_t version;  // version of the value cached (for staleness accounting)
    Time filled_at;         // when the cache was filled
    Time expires_at;        // first instant at which the entry is dead (TTL end)
  };

  // capacity_keys in [1, 2^32 - 2] (throws std::invalid_argument otherwise).
  explicit LruCache(std::uint64_t capacity_keys);

  // The live entry for `key` at `now` (one with expires_at > now), made most recently used. An
  // expired entry is removed, counted in expirations(), and nullptr returned. The pointer stays
  // valid until the next insert/erase/lookup.
  const Entry* lookup(std::uint64_t key, Time now);
  // Inserts or overwrites `key` and makes it most recently used. When the cache is full and the
  // key is new, evicts the least recently used entry (counted in evictions()), expired or not.
  void insert(std::uint64_t key, const Entry& entry);
  // Hints that `key` will be looked up or inserted soon; they change nothing. prefetch() starts
  // loading the key's index slot; warm(), a step later, follows the slot to its entry and starts
  // loading that. (A large cache does not fit in the CPU caches: see ReplicationLog::prefetch.)
  void prefetch(std::uint64_t key) const { __builtin_prefetch(&slots_[slot_of(key)]); }
  void warm(std::uint64_t key) const;
  // Invalidation: removes `key`; returns whether it was present (expired or not).
  bool erase(std::uint64_t key);

  std::uint64_t size() const { return size_; }
  std::uint64_t capacity() const { return capacity_; }
  std::uint64_t evictions() const { return evictions_; }
  std::uint64_t expirations() const { return expirations_; }

 private:
  static constexpr std::uint32_t kNil = 0xFFFFFFFFu;

  struct Node {
    std::uint64_t key;
    Entry entry;
    std::uint32_t prev;  // towards the most recently used; kNil at the head
    std::uint32_t next;  // towards the least recently used; kNil at the tail (or free-list link)
  };

  // Index (open addressing, linear probing, backward-shift deletion; slots hold node indices).
  std::uint64_t slot_of(std::uint64_t key) const;
  std::uint32_t find(std::uint64_t key) const;  // node index or kNil
  void index_insert(std::uint32_t node);
  void index_erase(std::uint64_t key);
  void grow_index();

  // Recency list.
  void unlink(std::uint32_t node);
  void push_front(std::uint32_t node);

  std::uint32_t allocate_node();
  void remove_node(std::uint32_t node);  // from index and list, onto the free list

  std::uint64_t capacity_;
  std::uint64_t size_ = 0;
  std::uint64_t evictions_ = 0;
  std::uint64_t expirations_ = 0;
  std::vector<Node, HugePageAllocator<Node>> nodes_;
  std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>>
      slots_;                  // power-of-two size, at most half full
  std::uint32_t head_ = kNil;  // most recently used
  std::uint32_t tail_ = kNil;  // least recently used
  std::uint32_t free_ = kNil;  // free nodes, linked by `next`
};

}  // namespace shardsim
