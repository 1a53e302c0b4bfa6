// Log-bucketed histogram: exactness for small values, bounded relative error, exact moments, merge.
#include "shardsim/util/histogram.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using shardsim::LogHistogram;

namespace {

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform on (0, 1].
  double open0() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }
};

const std::vector<double> kQuantiles = {0.0,  1e-4, 0.001, 0.01,  0.1,    0.25, 0.5,
                                        0.75, 0.9,  0.99,  0.999, 0.9999, 1.0};

// The sorted-sample q-quantile under the same definition: the ceil(q n)-th smallest (at least 1st).
std::int64_t exact_quantile(const std::vector<std::int64_t>& sorted, double q) {
  const double wanted = std::ceil(q * static_cast<double>(sorted.size()));
  const std::size_t rank = std::clamp<std::size_t>(static_cast<std::size_t>(wanted), 1, sorted.size());
  return sorted[rank - 1];
}

void check_quantiles(std::vector<std::int64_t> samples, int precision) {
  LogHistogram h(precision);
  long double sum = 0;
  for (std::int64_t v : samples) {
    h.record(v);
    sum += static_cast<long double>(v);
  }
  std::sort(samples.begin(), samples.end());
  CHECK(h.count() == samples.size());
  CHECK(h.min() == samples.front());
  CHECK(h.max() == samples.back());
  CHECK(h.mean() == Approx(static_cast<double>(sum / samples.size())).epsilon(1e-15));
  const double bound = std::ldexp(1.0, -precision);
  for (double q : kQuantiles) {
    const std::int64_t want = exact_quantile(samples, q);
    const std::int64_t got = h.quantile(q);
    const double error = want == 0 ? double(got) : std::abs(double(got - want)) / double(want);
    INFO("precision " << precision << " q " << q << ": " << got << " vs exact " << want);
    CHECK(error <= bound);
  }
}

}  // namespace

TEST_CASE("histogram is exact for small values", "[histogram]") {
  LogHistogram h(7);
  for (std::int64_t v = 0; v < 256; ++v) h.record(v, static_cast<std::uint64_t>(v % 3 + 1));
  const auto buckets = h.buckets();
  REQUIRE(buckets.size() == 256);
  for (std::int64_t v = 0; v < 256; ++v) {
    CHECK(buckets[v].low == v);
    CHECK(buckets[v].high == v);
    CHECK(buckets[v].count == static_cast<std::uint64_t>(v % 3 + 1));
  }
  LogHistogram u(7);
  for (std::int64_t v = 1; v <= 100; ++v) u.record(v);
  CHECK(u.quantile(0.5) == 50);
  CHECK(u.quantile(0.99) == 99);
  CHECK(u.quantile(0.991) == 100);
  CHECK(u.fraction_at_or_below(50) == Approx(0.5));
  CHECK(u.fraction_at_or_below(0) == 0.0);
  CHECK(u.fraction_at_or_below(100) == 1.0);
}

TEST_CASE("histogram bucket bounds have bounded relative width", "[histogram]") {
  SplitMix64 rng{7};
  for (int precision : {1, 3, 7, 10}) {
    for (int i = 0; i < 2000; ++i) {
      // Magnitudes from 1 to 2^63: a random bit width, then random bits below it.
      const int width = static_cast<int>(rng.next() % 63) + 1;
      const std::int64_t v = static_cast<std::int64_t>(rng.next() >> (64 - width));
      LogHistogram h(precision);
      h.record(v);
      const auto b = h.buckets();
      REQUIRE(b.size() == 1);
      REQUIRE(b[0].low <= v);
      REQUIRE(v <= b[0].high);
      REQUIRE(b[0].high - b[0].low <= (b[0].low >> precision));
    }
    LogHistogram h(precision);
    h.record(std::numeric_limits<std::int64_t>::max());
    CHECK(h.buckets().at(0).high == std::numeric_limits<std::int64_t>::max());
    CHECK(h.quantile(0.5) == std::numeric_limits<std::int64_t>::max());
  }
}

TEST_CASE("histogram buckets tile the value range", "[histogram]") {
  LogHistogram h(4);
  for (std::int64_t v = 0; v < 5000; ++v) h.record(v);
  const auto buckets = h.buckets();
  CHECK(buckets.front().low == 0);
  CHECK(buckets.back().high >= 4999);
  for (std::size_t i = 1; i < buckets.size(); ++i) CHECK(buckets[i].low == buckets[i - 1].high + 1);
}

TEST_CASE("histogram quantiles of a uniform distribution are within the relative error", "[histogram]") {
  SplitMix64 rng{2024};
  std::vector<std::int64_t> samples(200'000);
  for (auto& v : samples) v = static_cast<std::int64_t>(rng.next() % 1'000'000) + 1;
  for (int precision : {3, 7}) check_quantiles(samples, precision);
}

TEST_CASE("histogram quantiles of an exponential distribution are within the relative error", "[histogram]") {
  SplitMix64 rng{99};
  std::vector<std::int64_t> samples(200'000);
  for (auto& v : samples) v = std::llround(-std::log(rng.open0()) * 2e6);  // mean 2 ms in ns
  for (int precision : {3, 7}) check_quantiles(samples, precision);
}

TEST_CASE("histogram q = 0 is min and q = 1 is max", "[histogram]") {
  LogHistogram h(2);
  h.record(1001);
  h.record(5000, 3);
  h.record(77'777);
  CHECK(h.quantile(0.0) == 1001);
  CHECK(h.quantile(1.0) == 77'777);
  CHECK(h.quantile(-1.0) == 1001);
  CHECK(h.quantile(2.0) == 77'777);
  CHECK(h.count() == 5);
  CHECK(h.mean() == Approx((1001 + 15000 + 77'777) / 5.0));
}

TEST_CASE("histogram edge cases", "[histogram]") {
  LogHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.quantile(0.5) == 0);
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  CHECK(h.mean() == 0.0);
  CHECK(h.fraction_at_or_below(10) == 0.0);
  CHECK(h.buckets().empty());
  h.record(5, 0);  // no-op
  CHECK(h.count() == 0);
  h.record(-40);  // clamps to 0
  CHECK(h.min() == 0);
  CHECK(h.max() == 0);
  h.record(1'000'000'000, 4);
  CHECK(h.count() == 5);
  CHECK(h.mean() == Approx(8e8));
  h.reset();
  CHECK(h.count() == 0);
  CHECK(h.buckets().empty());
  h.record(3);
  CHECK(h.min() == 3);
  CHECK(h.max() == 3);
  CHECK_THROWS_AS(LogHistogram(0), std::invalid_argument);
  CHECK_THROWS_AS(LogHistogram(17), std::invalid_argument);
}

TEST_CASE("histogram mean keeps an exact sum of huge values", "[histogram]") {
  LogHistogram h;
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  h.record(big, 1000);  // the sum overflows 64 bits
  h.record(0, 1000);
  CHECK(h.mean() == Approx(static_cast<double>(big) / 2).epsilon(1e-15));
}

TEST_CASE("histogram merge equals recording everything into one", "[histogram]") {
  SplitMix64 rng{5};
  LogHistogram all(6), a(6), b(6), empty(6);
  for (int i = 0; i < 50'000; ++i) {
    const std::int64_t v = static_cast<std::int64_t>(rng.next() % (i % 2 ? 1'000 : 100'000'000));
    all.record(v);
    (rng.next() % 3 == 0 ? a : b).record(v);
  }
  a.merge(b);
  a.merge(empty);
  empty.merge(all);
  for (const LogHistogram* h : {&a, &empty}) {
    CHECK(h->count() == all.count());
    CHECK(h->min() == all.min());
    CHECK(h->max() == all.max());
    CHECK(h->mean() == all.mean());
    const auto hb = h->buckets(), ab = all.buckets();
    REQUIRE(hb.size() == ab.size());
    for (std::size_t i = 0; i < hb.size(); ++i) {
      CHECK((hb[i].low == ab[i].low && hb[i].high == ab[i].high && hb[i].count == ab[i].count));
    }
    for (double q : kQuantiles) CHECK(h->quantile(q) == all.quantile(q));
  }
  CHECK_THROWS_AS(a.merge(LogHistogram(5)), std::invalid_argument);
}
