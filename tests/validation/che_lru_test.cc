// Validation: shardsim::LruCache under independent-reference Zipf requests (KeyPopularity::zipf,
// contiguous placement) has the hit ratio of Che's approximation (Che, Tung and Wang, "Hierarchical
// web caching systems: modeling, design and experimental results", IEEE JSAC 20(7), 2002; shown to
// be asymptotically exact by Fricker, Robert and Roberts, ITC 2012).
//
// Che: a key stays in an LRU cache of C keys for a characteristic time T after its last request,
// the root of sum_i (1 - exp(-p_i T)) = C; the hit ratio is sum_i p_i (1 - exp(-p_i T)). The key
// probabilities p_i come from KeyPopularity::probability_of_rank, the simulator's own law.
//
// Run length: a hit is a Bernoulli outcome, so 400,000 counted requests give a standard error of
// at most sqrt(0.25 / 4e5) = 0.0008 (somewhat more with the positive correlation of successive
// LRU states), far below the 0.02 tolerance, which is there for the approximation itself. Warm-up:
// 100,000 requests (at least 30 cache sizes) fill the cache and forget the empty start.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/model/lru_cache.h"
#include "shardsim/random/key_popularity.h"
#include "shardsim/random/stream.h"

using shardsim::KeyPopularity;
using shardsim::kTimeNever;
using shardsim::LruCache;
using shardsim::RandomStream;

namespace {

constexpr std::uint64_t kKeys = 10'000;
constexpr std::uint64_t kWarmupRequests = 100'000;
constexpr std::uint64_t kCountedRequests = 400'000;

struct Che {
  double characteristic_time;
  double hit_ratio;
};

// Solves sum_i (1 - exp(-p_i T)) = C for T by bisection (the left side increases from 0 to N).
Che che_approximation(const std::vector<double>& p, double cache_size) {
  const auto occupancy = [&p](double t) {
    double sum = 0;
    for (double pi : p) sum += -std::expm1(-pi * t);
    return sum;
  };
  double low = 0, high = 1;
  while (occupancy(high) < cache_size) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-12 * high; ++i) {
    const double mid = (low + high) / 2;
    (occupancy(mid) < cache_size ? low : high) = mid;
  }
  const double t = (low + high) / 2;
  double hit = 0;
  for (double pi : p) hit += pi * -std::expm1(-pi * t);
  return Che{t, hit};
}

double simulated_hit_ratio(const KeyPopularity& keys, std::uint64_t cache_size, std::uint64_t seed) {
  LruCache cache(cache_size);
  RandomStream rng(seed);
  const LruCache::Entry entry{0, 0, kTimeNever};  // no TTL: only LRU evicts
  std::uint64_t hits = 0;
  for (std::uint64_t i = 0; i < kWarmupRequests + kCountedRequests; ++i) {
    const std::uint64_t key = keys.sample_key_index(rng);
    if (cache.lookup(key, 0) != nullptr) {
      if (i >= kWarmupRequests) ++hits;
    } else {
      cache.insert(key, entry);
    }
  }
  return static_cast<double>(hits) / static_cast<double>(kCountedRequests);
}

void table_row(const std::string& params, double sim, double ref) {
  if (std::getenv("SHARDSIM_VALIDATION_TABLE") == nullptr) return;
  std::printf("| LRU hit ratio vs Che | %s | %.4f | %.4f | %+.4f (abs) |\n", params.c_str(), sim, ref,
              sim - ref);
}

}  // namespace

TEST_CASE("Che's approximation solver: T and hit ratio for a uniform law", "[validation][lru_cache]") {
  // Uniform p_i = 1/N: N (1 - exp(-T/N)) = C gives T = -N ln(1 - C/N), and the hit ratio is C/N.
  const std::vector<double> p(1000, 1.0 / 1000);
  const Che che = che_approximation(p, 250);
  CHECK(che.characteristic_time == Approx(-1000 * std::log(0.75)));
  CHECK(che.hit_ratio == Approx(0.25));
}

TEST_CASE("LRU cache hit ratio under Zipf requests matches Che's approximation", "[validation][lru_cache]") {
  const double exponent = GENERATE(0.6, 0.9, 1.2);
  const std::uint64_t cache_size = GENERATE(100, 1000, 3000);
  const KeyPopularity keys = KeyPopularity::zipf(kKeys, exponent);
  std::vector<double> p(kKeys);
  double total = 0;
  for (std::uint64_t r = 0; r < kKeys; ++r) total += p[r] = keys.probability_of_rank(r);
  REQUIRE(total == Approx(1.0).epsilon(1e-12));

  const Che che = che_approximation(p, static_cast<double>(cache_size));
  const double hit =
      simulated_hit_ratio(keys, cache_size, 1000 + cache_size + static_cast<std::uint64_t>(exponent * 10));
  table_row("N=10000, s=" + std::to_string(exponent).substr(0, 3) + ", C=" + std::to_string(cache_size), hit,
            che.hit_ratio);
  INFO("zipf exponent " << exponent << ", cache " << cache_size << ": simulated " << hit << ", Che "
                        << che.hit_ratio);
  CHECK(std::abs(hit - che.hit_ratio) < 0.02);
}
