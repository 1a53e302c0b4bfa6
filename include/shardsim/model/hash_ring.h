// Consistent hashing with virtual nodes.
//
// The SLB spreads keys over the slaves of a shard and the CLB over the cache nodes with this ring:
// when a member joins or leaves, only the keys it gains or loses change owner, so caches and
// connection pools stay warm. Each member is placed at `vnodes_per_member` pseudo-random points;
// with V points per member the standard deviation of a member's share is about 1/sqrt(V) of the
// mean share.
//
// Everything is defined bit for bit (XXH64 of little-endian bytes, ties broken by member id), so
// the same seed and members give the same mapping on any platform and in any order of add/remove.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace shardsim {

class HashRing {
 public:
  // vnodes_per_member >= 1 (throws std::invalid_argument otherwise). `seed` selects the layout.
  explicit HashRing(std::uint32_t vnodes_per_member, std::uint64_t seed = 0);

  // Both are idempotent. They merge the member's points into the table or take them out, in time
  // linear in the points (vnodes * log vnodes to place the new member's own): a failover's
  // change to one ring costs one pass over it.
  void add(std::uint32_t member);
  void remove(std::uint32_t member);
  // Adds every member of `members` not there yet, with one sort of the whole table
  // (O(points * log points)): how a ring is first filled, since adding its members one by one
  // would cost O(members * points). The result is the same as adding them one at a time.
  void add_all(const std::vector<std::uint32_t>& members);

  bool contains(std::uint32_t member) const;
  std::size_t member_count() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  std::uint32_t vnodes_per_member() const { return vnodes_; }

  // The member owning `key`: that of the first virtual node clockwise from hash(key) (a point
  // equal to the hash owns it). O(log points), no allocation. Precondition: !empty().
  std::uint32_t owner(std::uint64_t key) const {
    return points_[first_point_at_or_after(key_hash(key))].member;
  }

  // Starts loading the bucket a later owner(key) reads; changes nothing.
  void prefetch(std::uint64_t key) const {
    __builtin_prefetch(&bucket_first_[static_cast<std::size_t>(key_hash(key) >> (64 - bucket_bits_))]);
  }
  // Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2018): walk clockwise
  // from hash(key) and return the first member whose load is below `load_cap`. The caller picks
  // the cap, normally ceil(c * average load) counting the key being placed, with c > 1: then some
  // member is always below the cap. `load_of(member)` returns its current load (convertible to
  // uint64). If every member is at or above the cap, returns the plain owner(key) after one lap.
  // Precondition: !empty().
  template <class LoadOf>
  std::uint32_t owner_bounded(std::uint64_t key, LoadOf&& load_of, std::uint64_t load_cap) const;

  // For each member, the fraction of the 2^64 hash space it owns, sorted by member id (the
  // fractions sum to 1). For reports and `explain`.
  std::vector<std::pair<std::uint32_t, double>> ownership() const;

 private:
  struct Point {
    std::uint64_t hash;
    std::uint32_t member;
  };

  std::uint64_t key_hash(std::uint64_t key) const;
  std::uint64_t vnode_hash(std::uint32_t member, std::uint32_t vnode) const;
  // Index of the first point with hash >= h, wrapping to 0 past the end.
  std::size_t first_point_at_or_after(std::uint64_t h) const;
  // The table's order: by hash, ties by member id (so it does not depend on insertion order).
  static bool point_before(const Point& a, const Point& b);
  // The member's points, sorted.
  std::vector<Point> points_of(std::uint32_t member) const;
  // Rebuilds bucket_first_ after the points changed.
  void index_buckets();

  std::uint32_t vnodes_;
  std::uint64_t seed_;
  std::vector<std::uint32_t> members_;  // sorted
  std::vector<Point> points_;           // sorted by (hash, member)
  // Why a bucket index: a lookup is a binary search over every point of the ring, and with many
  // rings (one per shard and geo) their points fall out of the CPU caches, so each step of the
  // search is a miss. The top `bucket_bits_` bits of a hash name a bucket; bucket_first_[b] is the
  // first point at or after the bucket's start (size 2^bits + 1, about one point per bucket), so a
  // lookup reads two adjacent words and searches a handful of points. The answer is the same.
  int bucket_bits_ = 1;
  std::vector<std::uint32_t> bucket_first_ = {0, 0, 0};
};

template <class LoadOf>
std::uint32_t HashRing::owner_bounded(std::uint64_t key, LoadOf&& load_of, std::uint64_t load_cap) const {
  const std::size_t start = first_point_at_or_after(key_hash(key));
  std::size_t i = start;
  for (std::size_t step = 0; step < points_.size(); ++step) {
    const std::uint32_t member = points_[i].member;
    if (static_cast<std::uint64_t>(load_of(member)) < load_cap) return member;
    if (++i == points_.size()) i = 0;
  }
  return points_[start].member;
}

}  // namespace shardsim
