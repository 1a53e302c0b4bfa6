// Why an open-addressing index rather than std::unordered_map: reserve() pre-sizes the buckets of
// an unordered_map, but every insertion still allocates a node, so a full cache that evicts and
// inserts would allocate and free on every miss. A flat table of 32-bit node indices allocates only
// when it grows (never once the cache is full), takes 4 bytes per slot, and keeps probes in one
// cache line. Linear probing with backward-shift deletion needs no tombstones, so the table never
// degrades under the steady insert/evict churn of a cache.
#include "shardsim/model/lru_cache.h"

#include <algorithm>
#include <stdexcept>

namespace shardsim {
namespace {

// SplitMix64 finalizer: sequential keys spread over the whole table.
std::uint64_t mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr std::uint64_t kMaxCapacity = 0xFFFFFFFEull;  // node indices are 32-bit, kNil excluded
constexpr std::size_t kMinSlots = 16;

}  // namespace

LruCache::LruCache(std::uint64_t capacity_keys) : capacity_(capacity_keys) {
  if (capacity_ < 1 || capacity_ > kMaxCapacity) {
    throw std::invalid_argument("LruCache: capacity must be in [1, 2^32 - 2]");
  }
  slots_.assign(kMinSlots, kNil);
}

const LruCache::Entry* LruCache::lookup(std::uint64_t key, Time now) {
  const std::uint32_t node = find(key);
  if (node == kNil) return nullptr;
  if (nodes_[node].entry.expires_at <= now) {
    remove_node(node);
    ++expirations_;
    return nullptr;
  }
  unlink(node);
  push_front(node);
  return &nodes_[node].entry;
}

void LruCache::insert(std::uint64_t key, const Entry& entry) {
  std::uint32_t node = find(key);
  if (node != kNil) {
    nodes_[node].entry = entry;
    unlink(node);
    push_front(node);
    return;
  }
  if (size_ == capacity_) {
    remove_node(tail_);
    ++evictions_;
  }
  node = allocate_node();
  nodes_[node].key = key;
  nodes_[node].entry = entry;
  if ((size_ + 1) * 2 > slots_.size()) grow_index();
  index_insert(node);
  push_front(node);
  ++size_;
}

// The home slot's node is the key's in most lookups (the index is at most half full); warming it
// with a prefetch rather than find() keeps a miss on the node from stalling this step.
void LruCache::warm(std::uint64_t key) const {
  const std::uint32_t node = slots_[slot_of(key)];
  if (node != kNil) __builtin_prefetch(&nodes_[node]);
}

bool LruCache::erase(std::uint64_t key) {
  const std::uint32_t node = find(key);
  if (node == kNil) return false;
  remove_node(node);
  return true;
}

std::uint64_t LruCache::slot_of(std::uint64_t key) const {
  return mix(key) & (slots_.size() - 1);
}

std::uint32_t LruCache::find(std::uint64_t key) const {
  const std::uint64_t mask = slots_.size() - 1;
  for (std::uint64_t s = slot_of(key);; s = (s + 1) & mask) {
    const std::uint32_t node = slots_[s];
    if (node == kNil || nodes_[node].key == key) return node;
  }
}

void LruCache::index_insert(std::uint32_t node) {
  const std::uint64_t mask = slots_.size() - 1;
  std::uint64_t s = slot_of(nodes_[node].key);
  while (slots_[s] != kNil) s = (s + 1) & mask;
  slots_[s] = node;
}

// Backward-shift deletion: after emptying slot `hole`, move back every later entry of the probe
// run whose home slot does not lie cyclically in (hole, current], so lookups never stop early.
void LruCache::index_erase(std::uint64_t key) {
  const std::uint64_t mask = slots_.size() - 1;
  std::uint64_t hole = slot_of(key);
  while (nodes_[slots_[hole]].key != key) hole = (hole + 1) & mask;
  for (std::uint64_t s = (hole + 1) & mask; slots_[s] != kNil; s = (s + 1) & mask) {
    const std::uint64_t home = slot_of(nodes_[slots_[s]].key);
    const bool stays = ((s - home) & mask) < ((s - hole) & mask);  // home in (hole, s]
    if (stays) continue;
    slots_[hole] = slots_[s];
    hole = s;
  }
  slots_[hole] = kNil;
}

// Doubles the table and reinserts the live nodes (in list order: deterministic).
void LruCache::grow_index() {
  slots_.assign(slots_.size() * 2, kNil);
  for (std::uint32_t n = head_; n != kNil; n = nodes_[n].next) index_insert(n);
}

void LruCache::unlink(std::uint32_t node) {
  Node& n = nodes_[node];
  (n.prev == kNil ? head_ : nodes_[n.prev].next) = n.next;
  (n.next == kNil ? tail_ : nodes_[n.next].prev) = n.prev;
}

void LruCache::push_front(std::uint32_t node) {
  nodes_[node].prev = kNil;
  nodes_[node].next = head_;
  (head_ == kNil ? tail_ : nodes_[head_].prev) = node;
  head_ = node;
}

// A free node if any, else a new one. The node array grows geometrically but never past capacity.
std::uint32_t LruCache::allocate_node() {
  if (free_ != kNil) {
    const std::uint32_t node = free_;
    free_ = nodes_[node].next;
    return node;
  }
  if (nodes_.size() == nodes_.capacity()) {
    nodes_.reserve(static_cast<std::size_t>(
        std::min<std::uint64_t>(capacity_, std::max<std::uint64_t>(16, nodes_.size() * 2))));
  }
  nodes_.push_back(Node{});
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

void LruCache::remove_node(std::uint32_t node) {
  index_erase(nodes_[node].key);
  unlink(node);
  nodes_[node].next = free_;
  free_ = node;
  --size_;
}

}  // namespace shardsim
