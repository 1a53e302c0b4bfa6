#include "shardsim/random/stream.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace shardsim {
namespace {

// Reference transcriptions of SplitMix64 and xoshiro256++ (Vigna's public-domain C code), kept
// independent of the implementation so that a change to either shows up here.
std::uint64_t reference_splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t reference_xoshiro(std::uint64_t (&s)[4]) {
  const auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  const std::uint64_t result = rotl(s[0] + s[3], 23) + s[0];
  const std::uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

std::vector<std::uint64_t> take(RandomStream& rng, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.next_u64());
  return out;
}

// Binomial check: `count` successes out of `n` trials of probability `p`, within 5 standard
// deviations (a false alarm once in ~3.5 million checks; the seeds are fixed, so a pass is stable).
void check_binomial(std::uint64_t count, std::uint64_t n, double p) {
  const double expected = static_cast<double>(n) * p;
  const double sd = std::sqrt(static_cast<double>(n) * p * (1 - p));
  INFO("count " << count << " expected " << expected << " sd " << sd);
  CHECK(std::abs(static_cast<double>(count) - expected) <= 5 * sd);
}

TEST_CASE("SplitMix64 and xoshiro256++ match their reference algorithms") {
  std::uint64_t sm = 0;
  REQUIRE(reference_splitmix64(sm) == 0xe220a8397b1dcdafULL);  // the published first output for seed 0

  for (const std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xdeadbeefcafef00dULL}) {
    std::uint64_t state[4];
    std::uint64_t x = seed;
    for (std::uint64_t& word : state) word = reference_splitmix64(x);
    RandomStream rng(seed);
    for (int i = 0; i < 1000; ++i) REQUIRE(rng.next_u64() == reference_xoshiro(state));
  }
}

TEST_CASE("same seed gives the same sequence, different seeds different ones") {
  RandomStream a(7), b(7), c(8);
  const auto seq_a = take(a, 100);
  CHECK(seq_a == take(b, 100));
  CHECK(seq_a != take(c, 100));
}

TEST_CASE("named streams are reproducible and independent of each other") {
  RandomStream geo0(42, "workload/geo-0"), geo0_again(42, "workload/geo-0");
  RandomStream geo1(42, "workload/geo-1"), other_run(43, "workload/geo-0");
  const auto seq = take(geo0, 100);
  CHECK(seq == take(geo0_again, 100));
  CHECK(seq != take(geo1, 100));
  CHECK(seq != take(other_run, 100));

  RandomStream direct(derive_seed(42, "workload/geo-0"));
  CHECK(seq == take(direct, 100));
}

TEST_CASE("derive_seed is stable") {
  // Pinned once from this implementation: changing it would silently change every scenario's
  // numbers, so it must be a deliberate decision.
  CHECK(derive_seed(42, "workload/geo-0") == 0x1609c99a51ba9140ULL);
  CHECK(derive_seed(0, "") == 0xe8780cfcd2ada444ULL);
  CHECK(derive_seed(42, "a") != derive_seed(42, "b"));
  CHECK(derive_seed(42, "a") != derive_seed(43, "a"));
}

TEST_CASE("next_double covers [0, 1) and next_double_open0 covers (0, 1] uniformly") {
  RandomStream rng(1);
  constexpr int kDraws = 200'000;
  double sum = 0;
  std::uint64_t below_quarter = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.next_double();
    REQUIRE(u >= 0);
    REQUIRE(u < 1);
    const double v = rng.next_double_open0();
    REQUIRE(v > 0);
    REQUIRE(v <= 1);
    sum += u;
    below_quarter += u < 0.25;
  }
  // Mean of U(0,1) has standard error sqrt(1/12 / n); allow 5 of them.
  CHECK(std::abs(sum / kDraws - 0.5) <= 5 * std::sqrt(1.0 / 12 / kDraws));
  check_binomial(below_quarter, kDraws, 0.25);
}

TEST_CASE("next_below is in range and unbiased") {
  RandomStream rng(2);
  constexpr std::uint64_t kDraws = 200'000;

  SECTION("small n: every value equally likely") {
    std::vector<std::uint64_t> counts(6);
    for (std::uint64_t i = 0; i < kDraws; ++i) ++counts.at(rng.next_below(6));
    for (const std::uint64_t c : counts) check_binomial(c, kDraws, 1.0 / 6);
  }

  SECTION("n = 1 always gives 0") {
    for (int i = 0; i < 100; ++i) CHECK(rng.next_below(1) == 0);
  }

  SECTION("huge n where naive methods are visibly biased") {
    // n = 3 * 2^62: `x % n` would put half the draws below 2^62 (instead of a third), and a
    // multiply-shift without rejection would make multiples of 3 twice as likely as the others.
    const std::uint64_t n = 3 * (std::uint64_t{1} << 62);
    std::uint64_t low = 0, multiple_of_3 = 0;
    for (std::uint64_t i = 0; i < kDraws; ++i) {
      const std::uint64_t x = rng.next_below(n);
      REQUIRE(x < n);
      low += x < (std::uint64_t{1} << 62);
      multiple_of_3 += x % 3 == 0;
    }
    check_binomial(low, kDraws, 1.0 / 3);
    check_binomial(multiple_of_3, kDraws, 1.0 / 3);
  }
}

}  // namespace
}  // namespace shardsim
