// Consistent hashing: determinism, minimal disruption, spread, and bounded loads.
#include "shardsim/model/hash_ring.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

using shardsim::HashRing;

namespace {

constexpr std::uint64_t kKeys = 100'000;

HashRing make_ring(std::uint32_t members, std::uint32_t vnodes, std::uint64_t seed = 42) {
  HashRing ring(vnodes, seed);
  for (std::uint32_t m = 0; m < members; ++m) ring.add(m);
  return ring;
}

std::vector<std::uint32_t> owners(const HashRing& ring) {
  std::vector<std::uint32_t> out(kKeys);
  for (std::uint64_t k = 0; k < kKeys; ++k) out[k] = ring.owner(k);
  return out;
}

std::vector<double> key_counts(const HashRing& ring, std::uint32_t members) {
  std::vector<double> counts(members, 0.0);
  for (std::uint64_t k = 0; k < kKeys; ++k) counts[ring.owner(k)] += 1.0;
  return counts;
}

double coefficient_of_variation(const std::vector<double>& xs) {
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= static_cast<double>(xs.size());
  double var = 0;
  for (double x : xs) var += (x - mean) * (x - mean);
  var /= static_cast<double>(xs.size());
  return std::sqrt(var) / mean;
}

}  // namespace

TEST_CASE("hash ring membership is idempotent", "[hash_ring]") {
  HashRing ring(10);
  CHECK(ring.empty());
  ring.add(3);
  ring.add(3);
  ring.add(1);
  CHECK(ring.member_count() == 2);
  CHECK(ring.contains(3));
  CHECK_FALSE(ring.contains(2));
  ring.remove(2);
  ring.remove(3);
  ring.remove(3);
  CHECK(ring.member_count() == 1);
  CHECK_FALSE(ring.contains(3));
  CHECK(ring.owner(12345) == 1);
  CHECK_THROWS_AS(HashRing(0), std::invalid_argument);
}

TEST_CASE("hash ring owner is stable and deterministic", "[hash_ring]") {
  HashRing a = make_ring(6, 50);
  HashRing b(50, 42);
  for (std::uint32_t m : {5u, 2u, 0u, 4u, 1u, 3u}) b.add(m);  // order of adds does not matter
  const auto expected = owners(a);
  CHECK(owners(a) == expected);
  CHECK(owners(b) == expected);
  // Another seed gives another layout.
  const auto other = owners(make_ring(6, 50, 43));
  CHECK(std::count(other.begin(), other.end(), 0u) > 0);
  CHECK(other != expected);
}

TEST_CASE("hash ring removal moves only the removed member's keys", "[hash_ring]") {
  // With V vnodes a member's share has a coefficient of variation of about 1/sqrt(V), so the moved
  // share is 1/n * (1 +- 4/sqrt(V)) at 4 sigma (binomial noise over 100k keys is far smaller).
  constexpr std::uint32_t kVnodes = 100;
  const double tolerance = 4.0 / std::sqrt(double{kVnodes});
  for (std::uint32_t n : {4u, 8u}) {
    HashRing ring = make_ring(n, kVnodes);
    const auto before = owners(ring);
    for (std::uint32_t removed = 0; removed < n; ++removed) {
      ring.remove(removed);
      const auto after = owners(ring);
      std::uint64_t moved = 0;
      for (std::uint64_t k = 0; k < kKeys; ++k) {
        if (before[k] == removed) {
          ++moved;
          REQUIRE(after[k] != removed);
        } else {
          REQUIRE(after[k] == before[k]);
        }
      }
      const double share_ratio = static_cast<double>(moved) / kKeys * n;
      INFO("n=" << n << " removed=" << removed << " moved share * n = " << share_ratio);
      CHECK(std::abs(share_ratio - 1.0) < tolerance);
      ring.add(removed);
      REQUIRE(owners(ring) == before);  // re-adding restores the mapping exactly
    }
  }
}

TEST_CASE("hash ring load spread shrinks like 1/sqrt(vnodes)", "[hash_ring]") {
  constexpr std::uint32_t kMembers = 8;
  for (std::uint32_t vnodes : {16u, 64u, 100u, 256u}) {
    const HashRing ring = make_ring(kMembers, vnodes);
    const double bound = 2.0 / std::sqrt(static_cast<double>(vnodes));
    const auto counts = key_counts(ring, kMembers);
    const double mean = kKeys / double{kMembers};
    const double max = *std::max_element(counts.begin(), counts.end());
    INFO("vnodes=" << vnodes << " cv=" << coefficient_of_variation(counts) << " max/mean=" << max / mean);
    CHECK(coefficient_of_variation(counts) < bound);
    CHECK(max / mean < 1.0 + 2.0 * bound);  // 4 sigma above the mean

    // ownership() agrees with the keys actually mapped (within 5 binomial sigmas) and sums to 1.
    const auto shares = ring.ownership();
    REQUIRE(shares.size() == kMembers);
    double total = 0;
    std::vector<double> fractions;
    for (std::uint32_t m = 0; m < kMembers; ++m) {
      REQUIRE(shares[m].first == m);
      const double p = shares[m].second;
      total += p;
      fractions.push_back(p);
      CHECK(std::abs(counts[m] / kKeys - p) < 5.0 * std::sqrt(p * (1 - p) / kKeys));
    }
    CHECK(total == Approx(1.0).epsilon(1e-12));
    CHECK(coefficient_of_variation(fractions) < bound);
  }
}

TEST_CASE("hash ring ownership edge cases", "[hash_ring]") {
  HashRing ring(4);
  CHECK(ring.ownership().empty());
  ring.add(7);
  const auto shares = ring.ownership();
  REQUIRE(shares.size() == 1);
  CHECK(shares[0].first == 7);
  CHECK(shares[0].second == Approx(1.0));
}

TEST_CASE("hash ring bounded loads cap every member", "[hash_ring]") {
  constexpr std::uint32_t kMembers = 8;
  constexpr std::uint64_t kAssigned = 10'000;
  const HashRing ring = make_ring(kMembers, 100);
  std::vector<std::uint64_t> loads(kMembers, 0);
  auto load_of = [&loads](std::uint32_t m) { return loads[m]; };
  for (std::uint64_t k = 0; k < kAssigned; ++k) {
    // cap = ceil(1.25 * average load including this key), in integers: ceil(5 (k+1) / (4 n)).
    const std::uint64_t cap = (5 * (k + 1) + 4 * kMembers - 1) / (4 * kMembers);
    const std::uint32_t m = ring.owner_bounded(k, load_of, cap);
    REQUIRE(loads[m] < cap);
    if (loads[ring.owner(k)] < cap) REQUIRE(m == ring.owner(k));  // no detour when not needed
    ++loads[m];
  }
  const std::uint64_t final_cap = (5 * kAssigned + 4 * kMembers - 1) / (4 * kMembers);  // 1563
  for (std::uint64_t load : loads) CHECK(load <= final_cap);
}

TEST_CASE("hash ring bounded loads terminate when everyone is full", "[hash_ring]") {
  const HashRing ring = make_ring(5, 20);
  for (std::uint64_t k = 0; k < 1000; ++k) {
    CHECK(ring.owner_bounded(
              k, [](std::uint32_t) { return std::uint64_t{10}; }, 10) == ring.owner(k));
    // Only the owner is full: the key goes to another member.
    const std::uint32_t owner = ring.owner(k);
    auto only_owner_full = [owner](std::uint32_t m) { return m == owner ? 10 : 0; };
    CHECK(ring.owner_bounded(k, only_owner_full, 10) != owner);
  }
}

TEST_CASE("hash ring filled at once equals one filled member by member", "[hash_ring]") {
  const HashRing one_by_one = make_ring(40, 30);
  HashRing at_once(30, 42);
  at_once.add_all({39, 0, 17, 5});
  at_once.add_all({0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                   20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39});
  CHECK(at_once.member_count() == 40);
  CHECK(owners(at_once) == owners(one_by_one));
  CHECK(at_once.ownership() == one_by_one.ownership());

  // Incremental changes keep the table as a fresh build would have it.
  at_once.remove(17);
  at_once.remove(3);
  at_once.add(17);
  HashRing rebuilt(30, 42);
  std::vector<std::uint32_t> members;
  for (std::uint32_t m = 0; m < 40; ++m) {
    if (m != 3) members.push_back(m);
  }
  rebuilt.add_all(members);
  CHECK(owners(at_once) == owners(rebuilt));
  at_once.add_all({});  // nothing new: nothing changes
  CHECK(owners(at_once) == owners(rebuilt));
}
