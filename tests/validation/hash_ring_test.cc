// Validation: shardsim::HashRing against the theory of consistent hashing with virtual nodes
// (Karger et al., STOC 1997; DeCandia et al., "Dynamo", SOSP 2007).
//
// Spread. With n members of V virtual nodes, the M = nV points fall (for a good hash) like M
// independent uniform points on the circle, so the M arcs between them are Dirichlet(1, ..., 1) and
// a member's share, the sum of V arcs, is Beta(V, M - V): mean 1/n, variance V (M - V) / (M^2 (M + 1)).
// The coefficient of variation of the shares across members therefore has
//   E[CV^2] = (M - V) / (V (M + 1))  ~  (1 - 1/n) / V,
// i.e. CV ~ 1/sqrt(V) (the "1/sqrt(V) of the mean share" of hash_ring.h). We average CV^2 over many
// ring seeds and compare with that exact expectation; the tolerance is four standard errors of
// the average (measured across seeds), and the RMS CV must also lie in a band around 1/sqrt(V).
//
// Movement. When one of n members leaves, exactly the keys it owned move (to other members) and
// nothing else moves; the share that moves is the leaver's share, whose expectation is 1/n. We
// check the first exactly for every key and the second on average over ring seeds.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "shardsim/model/hash_ring.h"

using shardsim::HashRing;

namespace {

HashRing make_ring(std::uint32_t members, std::uint32_t vnodes, std::uint64_t seed) {
  HashRing ring(vnodes, seed);
  for (std::uint32_t m = 0; m < members; ++m) ring.add(m);
  return ring;
}

// CV^2 of the members' shares, with the exact mean 1/n (the shares sum to 1).
double share_cv_squared(const HashRing& ring) {
  const auto shares = ring.ownership();
  const double n = static_cast<double>(shares.size());
  double sum_sq = 0;
  for (const auto& [member, share] : shares) sum_sq += (share - 1 / n) * (share - 1 / n);
  return sum_sq / n * n * n;
}

struct MeanAndError {
  double mean, standard_error;
};
MeanAndError mean_and_error(const std::vector<double>& xs) {
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= static_cast<double>(xs.size());
  double var = 0;
  for (double x : xs) var += (x - mean) * (x - mean);
  var /= static_cast<double>(xs.size() - 1);
  return {mean, std::sqrt(var / static_cast<double>(xs.size()))};
}

void table_row(const std::string& check, const std::string& params, double sim, double ref, double se) {
  if (std::getenv("SHARDSIM_VALIDATION_TABLE") == nullptr) return;
  std::printf("| %s | %s | %.5g | %.5g | %+.2f%% | %.2f%% |\n", check.c_str(), params.c_str(), sim, ref,
              100 * (sim - ref) / ref, 100 * se / ref);
}

}  // namespace

TEST_CASE("Hash ring: spread of member shares matches the Beta(V, M - V) law", "[validation][hash_ring]") {
  struct Case {
    std::uint32_t members, vnodes, seeds;
  };
  const Case c = GENERATE(Case{10, 10, 400}, Case{10, 100, 400}, Case{10, 1000, 100}, Case{3, 100, 1000},
                          Case{5, 100, 600});
  std::vector<double> cv_squared;
  for (std::uint32_t seed = 0; seed < c.seeds; ++seed) {
    cv_squared.push_back(share_cv_squared(make_ring(c.members, c.vnodes, 7919 * seed + 1)));
  }
  const double v = c.vnodes, m = static_cast<double>(c.members) * v;
  const double expected = (m - v) / (v * (m + 1));
  const MeanAndError measured = mean_and_error(cv_squared);
  const double rms_cv = std::sqrt(measured.mean);

  table_row("ring share CV^2 vs Beta law",
            "n=" + std::to_string(c.members) + ", V=" + std::to_string(c.vnodes) + ", " +
                std::to_string(c.seeds) + " seeds",
            measured.mean, expected, measured.standard_error);
  INFO("n " << c.members << ", V " << c.vnodes << ": mean CV^2 " << measured.mean << " (SE "
            << measured.standard_error << ") vs " << expected << "; RMS CV " << rms_cv << ", 1/sqrt(V) "
            << 1 / std::sqrt(v));
  CHECK(std::abs(measured.mean - expected) < 4 * measured.standard_error);
  CHECK(measured.mean == Approx(expected).epsilon(0.15));
  // The rule of thumb of hash_ring.h: the spread is about 1/sqrt(V) of the mean share (a bit less:
  // sqrt(1 - 1/n) of it).
  CHECK(rms_cv * std::sqrt(v) > 0.7);
  CHECK(rms_cv * std::sqrt(v) < 1.1);
}

TEST_CASE("Hash ring: keys fall on members in proportion to their ownership", "[validation][hash_ring]") {
  // Pearson's chi-square of key counts against the exact shares: with a uniform key hash it is
  // chi-square with n - 1 = 9 degrees of freedom (mean 9; P(> 30) < 0.001).
  constexpr std::uint64_t kKeys = 200'000;
  const HashRing ring = make_ring(10, 100, 12345);
  std::vector<double> counts(10, 0.0);
  for (std::uint64_t k = 0; k < kKeys; ++k) counts[ring.owner(k)] += 1;
  double chi_square = 0;
  for (const auto& [member, share] : ring.ownership()) {
    const double expected = share * static_cast<double>(kKeys);
    chi_square += (counts[member] - expected) * (counts[member] - expected) / expected;
  }
  if (std::getenv("SHARDSIM_VALIDATION_TABLE") != nullptr) {
    std::printf(
        "| ring key counts vs ownership, chi-square (9 dof) | n=10, V=100, 200000 keys | %.2f | 9 "
        "(mean) | P(>30)<0.001 | |\n",
        chi_square);
  }
  CHECK(chi_square < 30);
}

TEST_CASE("Hash ring: when one of n members leaves, only its keys move, about 1/n of them",
          "[validation][hash_ring]") {
  constexpr std::uint32_t kVnodes = 100;
  constexpr std::uint32_t kSeeds = 40;
  constexpr std::uint64_t kKeys = 20'000;
  const std::uint32_t n = GENERATE(3u, 5u, 10u);

  std::vector<double> moved_share;
  std::uint64_t wrongly_moved = 0, stayed_on_leaver = 0, not_restored = 0;
  for (std::uint32_t seed = 0; seed < kSeeds; ++seed) {
    HashRing ring = make_ring(n, kVnodes, 104729 * seed + 3);
    const std::uint32_t leaver = seed % n;
    std::vector<std::uint32_t> before(kKeys);
    for (std::uint64_t k = 0; k < kKeys; ++k) before[k] = ring.owner(k);
    ring.remove(leaver);
    std::uint64_t moved = 0;
    for (std::uint64_t k = 0; k < kKeys; ++k) {
      const std::uint32_t after = ring.owner(k);
      if (after != before[k]) ++moved;
      if (before[k] != leaver && after != before[k]) ++wrongly_moved;
      if (after == leaver) ++stayed_on_leaver;
    }
    moved_share.push_back(static_cast<double>(moved) / kKeys);
    ring.add(leaver);  // rejoining restores the mapping exactly
    for (std::uint64_t k = 0; k < kKeys; ++k) not_restored += ring.owner(k) != before[k];
  }

  const MeanAndError measured = mean_and_error(moved_share);
  const double expected = 1.0 / n;
  table_row("ring keys moved when 1 of n leaves", "n=" + std::to_string(n) + ", V=100, 20000 keys, 40 seeds",
            measured.mean, expected, measured.standard_error);
  INFO("n " << n << ": moved share " << measured.mean << " (SE " << measured.standard_error
            << ") vs 1/n = " << expected);
  CHECK(wrongly_moved == 0);
  CHECK(stayed_on_leaver == 0);
  CHECK(not_restored == 0);
  CHECK(std::abs(measured.mean - expected) < 4 * measured.standard_error);
  CHECK(measured.mean == Approx(expected).epsilon(0.08));
}
