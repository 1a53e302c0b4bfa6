#include "shardsim/random/key_popularity.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

namespace shardsim {
namespace {

constexpr int kDraws = 200'000;

// A count of `n` Bernoulli(p) trials within 5 standard deviations of n p: a false alarm once in
// ~3.5 million checks, and the seeds are fixed, so a passing test stays passing.
void check_frequency(std::uint64_t count, std::uint64_t n, double p) {
  const double expected = static_cast<double>(n) * p;
  const double sd = std::sqrt(static_cast<double>(n) * p * (1 - p));
  INFO("count " << count << ", expected " << expected << " +- 5 * " << sd);
  CHECK(std::abs(static_cast<double>(count) - expected) <= 5 * sd);
}

// Checks that key_index_of_rank is a permutation of [0, N).
void check_bijection(const KeyPopularity& p) {
  const std::uint64_t n = p.key_count();
  std::vector<bool> seen(n);
  for (std::uint64_t r = 0; r < n; ++r) {
    const std::uint64_t k = p.key_index_of_rank(r);
    REQUIRE(k < n);
    REQUIRE_FALSE(seen[k]);
    seen[k] = true;
  }
}

std::set<std::uint64_t> hot_keys(const KeyPopularity& p) {
  std::set<std::uint64_t> keys;
  for (std::uint64_t r = 0; r < p.hot_rank_count(); ++r) keys.insert(p.key_index_of_rank(r));
  return keys;
}

TEST_CASE("zipf frequencies of the top ranks match probability_of_rank") {
  for (const std::uint64_t n : {std::uint64_t{1000}, std::uint64_t{10'000'000}}) {
    for (const double exponent : {0.5, 0.99, 1.0, 1.5}) {
      const auto p = KeyPopularity::zipf(n, exponent);
      RandomStream rng(5, "zipf");
      std::vector<std::uint64_t> counts(5);
      for (int i = 0; i < kDraws; ++i) {
        const std::uint64_t r = p.sample_rank(rng);
        REQUIRE(r < n);
        if (r < counts.size()) ++counts[r];
      }
      for (std::uint64_t r = 0; r < counts.size(); ++r) {
        INFO("N " << n << ", exponent " << exponent << ", rank " << r);
        check_frequency(counts[r], kDraws, p.probability_of_rank(r));
      }
    }
  }
}

TEST_CASE("zipf frequencies over the whole tail match theory") {
  // Rank buckets [0,1), [1,10), [10,100), [100,1000) of N = 1000, at the extremes of the exponent
  // range and at 1: the sampler must be right in the tail, not only at the head.
  for (const double exponent : {0.0, 0.3, 1.0, 2.5, 5.0}) {
    const auto p = KeyPopularity::zipf(1000, exponent);
    RandomStream rng(6, "zipf-tail");
    const std::uint64_t edges[] = {0, 1, 10, 100, 1000};
    std::vector<std::uint64_t> counts(4);
    for (int i = 0; i < kDraws; ++i) {
      const std::uint64_t r = p.sample_rank(rng);
      ++counts[std::upper_bound(std::begin(edges), std::end(edges), r) - std::begin(edges) - 1];
    }
    for (std::size_t b = 0; b < counts.size(); ++b) {
      double prob = 0;
      for (std::uint64_t r = edges[b]; r < edges[b + 1]; ++r) prob += p.probability_of_rank(r);
      INFO("exponent " << exponent << ", ranks [" << edges[b] << ", " << edges[b + 1] << ")");
      if (prob < 1e-12) {
        CHECK(counts[b] <= 1);  // exponent 5: the far tail is practically never drawn
      } else {
        check_frequency(counts[b], kDraws, prob);
      }
    }
  }
}

TEST_CASE("zipf probabilities are normalised exactly") {
  // N = 100000 exercises the Euler-Maclaurin tail of the normalisation; the sum here is direct.
  for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{1000}, std::uint64_t{100'000}}) {
    for (const double exponent : {0.0, 0.5, 0.99, 1.0, 1.01, 2.0, 5.0}) {
      const auto p = KeyPopularity::zipf(n, exponent);
      long double sum = 0;  // extended precision: 10^5 double additions alone would lose ~1e-12
      for (std::uint64_t r = n; r-- > 0;) sum += p.probability_of_rank(r);
      INFO("N " << n << ", exponent " << exponent);
      CHECK(static_cast<double>(sum) == Approx(1).epsilon(1e-13));
    }
  }
  // The normalisation is the generalized harmonic number H(N, s) = 1 / P(rank 0); references from
  // mpmath (harmonic(N), zeta(s) - zeta(s, N + 1)) at 30 digits, covering the Euler-Maclaurin tail.
  CHECK(1 / KeyPopularity::zipf(100'000, 1).probability_of_rank(0) ==
        Approx(12.0901461298634279).epsilon(1e-14));
  CHECK(1 / KeyPopularity::zipf(100'000, 0.5).probability_of_rank(0) ==
        Approx(630.996758662378748).epsilon(1e-14));
  CHECK(1 / KeyPopularity::zipf(100'000, 5).probability_of_rank(0) ==
        Approx(1.03692775514336993).epsilon(1e-14));
  CHECK(1 / KeyPopularity::zipf(10'000'000, 1.5).probability_of_rank(0) ==
        Approx(2.61174289316926606).epsilon(1e-14));
  // Hand-computed: H(3, 1) = 1 + 1/2 + 1/3 = 11/6, so P(rank 0) = 6/11.
  CHECK(KeyPopularity::zipf(3, 1).probability_of_rank(0) == Approx(6.0 / 11));
  CHECK(KeyPopularity::zipf(4, 0).probability_of_rank(3) == Approx(0.25));
  CHECK(KeyPopularity::zipf(4, 2).probability_of_rank(4) == 0);  // out of range
}

TEST_CASE("zipf with a single key always draws rank 0") {
  const auto p = KeyPopularity::zipf(1, 1.2);
  RandomStream rng(7);
  for (int i = 0; i < 1000; ++i) REQUIRE(p.sample_rank(rng) == 0);
}

TEST_CASE("uniform law draws every rank equally") {
  const auto p = KeyPopularity::uniform(10);
  RandomStream rng(8);
  std::vector<std::uint64_t> counts(10);
  for (int i = 0; i < kDraws; ++i) ++counts.at(p.sample_rank(rng));
  for (std::uint64_t r = 0; r < 10; ++r) {
    CHECK(p.probability_of_rank(r) == Approx(0.1));
    check_frequency(counts[r], kDraws, 0.1);
  }
}

TEST_CASE("hot_set draws hot_share of requests from its hot keys") {
  const auto p = KeyPopularity::hot_set(1000, 0.2, 0.8);
  CHECK(p.hot_rank_count() == 200);
  CHECK(p.probability_of_rank(0) == Approx(0.8 / 200));
  CHECK(p.probability_of_rank(999) == Approx(0.2 / 800));
  RandomStream rng(9);
  std::uint64_t hot = 0, rank0 = 0, rank999 = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t r = p.sample_rank(rng);
    hot += p.is_hot_rank(r);
    rank0 += r == 0;
    rank999 += r == 999;
  }
  check_frequency(hot, kDraws, 0.8);
  check_frequency(rank0, kDraws, p.probability_of_rank(0));
  check_frequency(rank999, kDraws, p.probability_of_rank(999));
}

TEST_CASE("hot rank counts round up the hot fraction") {
  CHECK(KeyPopularity::hot_set(30, 0.1, 0.9).hot_rank_count() == 3);  // 0.1 * 30 is 3.0000000000000004
  CHECK(KeyPopularity::hot_set(7, 0.5, 0.9).hot_rank_count() == 4);
  CHECK(KeyPopularity::hot_set(1000, 1e-9, 0.9).hot_rank_count() == 1);
  CHECK(KeyPopularity::zipf(1000, 1).hot_rank_count() == 200);  // other laws: the top 20%
  CHECK(KeyPopularity::uniform(7).hot_rank_count() == 2);
  CHECK(KeyPopularity::uniform(1).hot_rank_count() == 1);
  CHECK(KeyPopularity::uniform(1000).is_hot_rank(199));
  CHECK_FALSE(KeyPopularity::uniform(1000).is_hot_rank(200));

  // Every key hot: the split is moot and draws are uniform.
  const auto all_hot = KeyPopularity::hot_set(10, 1, 0.5);
  CHECK(all_hot.hot_rank_count() == 10);
  CHECK(all_hot.probability_of_rank(9) == Approx(0.1));
}

TEST_CASE("scattered placement is a bijection") {
  for (const std::uint64_t n : {1, 2, 3, 7, 1000, 1001, 1024, 4097}) {
    INFO("N " << n);
    check_bijection(KeyPopularity::uniform(n).place(KeyPopularity::Placement::kScattered, 17));
  }
  // A huge key space: spot-check range and distinctness.
  const std::uint64_t huge = (std::uint64_t{1} << 40) + 3;
  auto p = KeyPopularity::zipf(huge, 1.1);
  p.place(KeyPopularity::Placement::kScattered, 3);
  std::set<std::uint64_t> keys;
  for (std::uint64_t r = 0; r < 1000; ++r) {
    const std::uint64_t k = p.key_index_of_rank(r);
    REQUIRE(k < huge);
    keys.insert(k);
  }
  CHECK(keys.size() == 1000);
}

TEST_CASE("contiguous placement is the identity") {
  const auto p = KeyPopularity::zipf(100, 1);
  for (std::uint64_t r = 0; r < 100; ++r) REQUIRE(p.key_index_of_rank(r) == r);
  CHECK_THROWS_AS(p.key_index_of_rank(100), std::out_of_range);
}

TEST_CASE("scattered placement spreads hot keys and depends on the salt") {
  using P = KeyPopularity::Placement;
  const auto a = KeyPopularity::hot_set(1000, 0.1, 0.9).place(P::kScattered, 1);
  const auto a_again = KeyPopularity::hot_set(1000, 0.1, 0.9).place(P::kScattered, 1);
  const auto b = KeyPopularity::hot_set(1000, 0.1, 0.9).place(P::kScattered, 2);
  CHECK(hot_keys(a) == hot_keys(a_again));
  CHECK(hot_keys(a) != hot_keys(b));
  // Two independent random 100-key subsets of 1000 share about 10 keys; far more would mean the
  // salt barely matters.
  std::vector<std::uint64_t> common;
  const auto ka = hot_keys(a), kb = hot_keys(b);
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(), std::back_inserter(common));
  CHECK(common.size() < 30);
  // Scattered means scattered: the hot keys are not bunched at the start of the key space.
  CHECK(*ka.rbegin() > 500);
}

TEST_CASE("key sampling is deterministic for a given seed") {
  const auto p = KeyPopularity::zipf(1'000'000, 0.99).place(KeyPopularity::Placement::kScattered, 11);
  RandomStream x(1, "keys"), y(1, "keys");
  for (int i = 0; i < 1000; ++i) REQUIRE(p.sample_key_index(x) == p.sample_key_index(y));
}

TEST_CASE("key popularity constructors reject bad parameters") {
  using K = KeyPopularity;
  CHECK_THROWS_AS(K::uniform(0), std::invalid_argument);
  CHECK_THROWS_AS(K::zipf(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(K::zipf(10, -0.5), std::invalid_argument);
  CHECK_THROWS_AS(K::zipf(10, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(K::hot_set(0, 0.2, 0.8), std::invalid_argument);
  CHECK_THROWS_AS(K::hot_set(10, 0, 0.8), std::invalid_argument);
  CHECK_THROWS_AS(K::hot_set(10, 1.5, 0.8), std::invalid_argument);
  CHECK_THROWS_AS(K::hot_set(10, 0.2, -0.1), std::invalid_argument);
  CHECK_THROWS_AS(K::hot_set(10, 0.2, 1.1), std::invalid_argument);
  CHECK_NOTHROW(K::hot_set(10, 1, 0));
  CHECK_NOTHROW(K::hot_set(10, 0.2, 1));
}

TEST_CASE("key popularity describe names the law and placement") {
  CHECK(KeyPopularity::uniform(10).describe() == "uniform(N=10, contiguous)");
  CHECK(KeyPopularity::zipf(1000, 0.99).describe() == "zipf(N=1000, exponent=0.99, contiguous)");
  CHECK(KeyPopularity::hot_set(1000, 0.2, 0.8).place(KeyPopularity::Placement::kScattered, 5).describe() ==
        "hot_set(N=1000, hot_keys=200, hot_share=0.8, scattered salt=5)");
}

}  // namespace
}  // namespace shardsim
