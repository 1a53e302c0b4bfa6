#include "shardsim/model/hash_ring.h"

#include <xxhash.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace shardsim {
namespace {

// Little-endian encoding, so the hashes do not depend on the host byte order.
void put_le(unsigned char* out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}

constexpr double kTwoTo64 = 18446744073709551616.0;

}  // namespace

HashRing::HashRing(std::uint32_t vnodes_per_member, std::uint64_t seed)
    : vnodes_(vnodes_per_member), seed_(seed) {
  if (vnodes_ == 0) throw std::invalid_argument("HashRing: vnodes_per_member must be >= 1");
}

bool HashRing::point_before(const Point& a, const Point& b) {
  return a.hash != b.hash ? a.hash < b.hash : a.member < b.member;
}

void HashRing::add(std::uint32_t member) {
  auto it = std::lower_bound(members_.begin(), members_.end(), member);
  if (it != members_.end() && *it == member) return;
  members_.insert(it, member);
  const std::vector<Point> fresh = points_of(member);
  const auto middle = static_cast<std::ptrdiff_t>(points_.size());
  points_.insert(points_.end(), fresh.begin(), fresh.end());
  std::inplace_merge(points_.begin(), points_.begin() + middle, points_.end(),
                     [](const Point& a, const Point& b) { return point_before(a, b); });
  index_buckets();
}

void HashRing::remove(std::uint32_t member) {
  auto it = std::lower_bound(members_.begin(), members_.end(), member);
  if (it == members_.end() || *it != member) return;
  members_.erase(it);
  std::erase_if(points_, [member](const Point& p) { return p.member == member; });
  index_buckets();
}

void HashRing::add_all(const std::vector<std::uint32_t>& members) {
  std::vector<std::uint32_t> joined = members_;
  joined.insert(joined.end(), members.begin(), members.end());
  std::sort(joined.begin(), joined.end());
  joined.erase(std::unique(joined.begin(), joined.end()), joined.end());
  if (joined.size() == members_.size()) return;
  std::vector<std::uint32_t> added;
  std::set_difference(joined.begin(), joined.end(), members_.begin(), members_.end(),
                      std::back_inserter(added));
  members_ = std::move(joined);
  points_.reserve(members_.size() * vnodes_);
  for (std::uint32_t member : added) {
    for (std::uint32_t v = 0; v < vnodes_; ++v) points_.push_back({vnode_hash(member, v), member});
  }
  std::sort(points_.begin(), points_.end(),
            [](const Point& a, const Point& b) { return point_before(a, b); });
  index_buckets();
}

void HashRing::index_buckets() {
  constexpr int kMaxBucketBits = 24;  // 64 MiB of index at most, for a ring of 16 M points
  bucket_bits_ = 1;
  while (bucket_bits_ < kMaxBucketBits && (std::size_t{1} << bucket_bits_) < points_.size()) ++bucket_bits_;
  const std::size_t buckets = std::size_t{1} << bucket_bits_;
  const int shift = 64 - bucket_bits_;
  bucket_first_.assign(buckets + 1, static_cast<std::uint32_t>(points_.size()));
  // Walk the buckets and the sorted points together: bucket b starts at the first point whose
  // top bits are >= b.
  std::size_t point = 0;
  for (std::size_t b = 0; b < buckets; ++b) {
    while (point < points_.size() && (points_[point].hash >> shift) < b) ++point;
    bucket_first_[b] = static_cast<std::uint32_t>(point);
  }
}

bool HashRing::contains(std::uint32_t member) const {
  return std::binary_search(members_.begin(), members_.end(), member);
}

std::uint64_t HashRing::key_hash(std::uint64_t key) const {
  unsigned char bytes[8];
  put_le(bytes, key, 8);
  return XXH64(bytes, sizeof bytes, seed_);
}

std::uint64_t HashRing::vnode_hash(std::uint32_t member, std::uint32_t vnode) const {
  unsigned char bytes[8];
  put_le(bytes, member, 4);
  put_le(bytes + 4, vnode, 4);
  return XXH64(bytes, sizeof bytes, seed_);
}

// Every point before bucket_first_[b] hashes below the bucket, every point from bucket_first_[b + 1]
// on above it, so the first point >= h lies in [first, last] of its bucket (last: the next bucket's
// first point, or past the end, which wraps to point 0).
std::size_t HashRing::first_point_at_or_after(std::uint64_t h) const {
  const std::size_t bucket = static_cast<std::size_t>(h >> (64 - bucket_bits_));
  const auto first = points_.begin() + bucket_first_[bucket];
  const auto last = points_.begin() + bucket_first_[bucket + 1];
  auto it =
      std::lower_bound(first, last, h, [](const Point& p, std::uint64_t value) { return p.hash < value; });
  return it == points_.end() ? 0 : static_cast<std::size_t>(it - points_.begin());
}

std::vector<HashRing::Point> HashRing::points_of(std::uint32_t member) const {
  std::vector<Point> points;
  points.reserve(vnodes_);
  for (std::uint32_t v = 0; v < vnodes_; ++v) points.push_back({vnode_hash(member, v), member});
  std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return point_before(a, b); });
  return points;
}

// Point i owns the arc (hash of point i-1, hash of point i]; point 0 owns the wrap-around arc.
std::vector<std::pair<std::uint32_t, double>> HashRing::ownership() const {
  std::vector<std::pair<std::uint32_t, double>> shares;
  shares.reserve(members_.size());
  for (std::uint32_t member : members_) shares.emplace_back(member, 0.0);
  if (points_.empty()) return shares;
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const std::uint64_t prev = points_[i == 0 ? points_.size() - 1 : i - 1].hash;
    const std::uint64_t arc = points_[i].hash - prev;  // mod 2^64
    // Point 0 with a zero arc means all points coincide: it owns the whole ring.
    const double share = (i == 0 && arc == 0) ? 1.0 : static_cast<double>(arc) / kTwoTo64;
    auto it = std::lower_bound(members_.begin(), members_.end(), points_[i].member);
    shares[static_cast<std::size_t>(it - members_.begin())].second += share;
  }
  return shares;
}

}  // namespace shardsim
