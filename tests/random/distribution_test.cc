#include "shardsim/random/distribution.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace shardsim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 200k draws: the sample mean's standard error is sd / 447, tight enough to catch a wrong
// parameterisation (a few percent) while keeping each test case in the milliseconds.
constexpr int kDraws = 200'000;
// Tolerances are 5 standard errors: a false alarm once in ~3.5 million checks, and since the
// seeds are fixed a passing test stays passing.
constexpr double kSigmas = 5;

std::vector<double> sorted_sample(const Distribution& d, std::uint64_t seed) {
  RandomStream rng(seed);
  std::vector<double> xs(kDraws);
  for (double& x : xs) x = d.sample(rng);
  std::sort(xs.begin(), xs.end());
  return xs;
}

// The sample mean against mean(), within kSigmas standard errors sd / sqrt(n) (sd exact, from
// the distribution's formula).
void check_mean(const std::vector<double>& xs, const Distribution& d, double sd) {
  double sum = 0;
  for (const double x : xs) sum += x;
  const double sample_mean = sum / static_cast<double>(xs.size());
  const double tolerance = kSigmas * sd / std::sqrt(static_cast<double>(xs.size()));
  INFO(d.describe() << ": sample mean " << sample_mean << ", mean() " << d.mean() << " +- " << tolerance);
  CHECK(std::abs(sample_mean - d.mean()) <= tolerance);
}

// The sample q-quantile against quantile(q), distribution-free: the number of draws below the
// true quantile x_q is Binomial(n, q), so the sample quantile lies between the true quantiles at
// q -+ kSigmas * sqrt(q (1 - q) / n) except with the probability of a kSigmas event.
void check_quantile(const std::vector<double>& xs, const Distribution& d, double q) {
  const double n = static_cast<double>(xs.size());
  const double sample_q = xs[static_cast<std::size_t>(q * n)];
  const double se = std::sqrt(q * (1 - q) / n);
  const double lo = d.quantile(std::max(0.0, q - kSigmas * se));
  const double hi = d.quantile(std::min(1.0, q + kSigmas * se));
  INFO(d.describe() << ": sample q" << q << " = " << sample_q << ", quantile() " << d.quantile(q) << " in ["
                    << lo << ", " << hi << "]");
  CHECK(sample_q >= lo);
  CHECK(sample_q <= hi);
}

TEST_CASE("standard_normal_quantile matches high-precision reference values") {
  // References from mpmath at 40 digits: sqrt(2) * erfinv(2p - 1).
  const std::pair<double, double> cases[] = {
      {0.975, 1.9599639845400538556},    {0.99, 2.3263478740408407676},      {0.001, -3.0902323061678135354},
      {1e-10, -6.3613409024040561991},   {1 - 1e-10, 6.3613408896974218642}, {0.3, -0.52440051270804081597},
      {0.02425, -1.9729610513118848376}, {0.02, -2.0537489106318230443},
  };
  for (const auto& [p, z] : cases) {
    INFO("p = " << p);
    CHECK(standard_normal_quantile(p) == Approx(z).epsilon(1e-14));
  }
  CHECK(standard_normal_quantile(0.5) == 0);
  CHECK(standard_normal_quantile(0.25) == -standard_normal_quantile(0.75));  // 1 - 0.75 is exact
  CHECK(standard_normal_quantile(0) == -kInf);
  CHECK(standard_normal_quantile(1) == kInf);
  CHECK_THROWS_AS(standard_normal_quantile(-0.1), std::invalid_argument);
  CHECK_THROWS_AS(standard_normal_quantile(1.1), std::invalid_argument);
}

TEST_CASE("mean and quantile match hand-computed formula values") {
  const double z99 = 2.3263478740408407676, z90 = 1.2815515655446004;
  SECTION("constant and uniform") {
    CHECK(Distribution().mean() == 0);
    CHECK(Distribution::constant(4).quantile(0.3) == 4);
    CHECK(Distribution::uniform(2, 5).mean() == 3.5);
    CHECK(Distribution::uniform(2, 5).quantile(0.9) == Approx(4.7));
  }
  SECTION("exponential: quantile = -mean ln(1 - q)") {
    const auto d = Distribution::exponential(3);
    CHECK(d.mean() == 3);
    CHECK(d.quantile(0.5) == Approx(2.0794415416798357));   // 3 ln 2
    CHECK(d.quantile(0.99) == Approx(13.815510557964275));  // 3 ln 100
    CHECK(d.quantile(1) == kInf);
  }
  SECTION("normal") {
    const auto d = Distribution::normal(10, 2);
    CHECK(d.mean() == 10);
    CHECK(d.quantile(0.975) == Approx(13.919927969080106));  // 10 + 2 * 1.95996...
    CHECK(Distribution::normal(5, 0).quantile(0) == 5);      // degenerate: no NaN from 0 * inf
  }
  SECTION("lognormal: sigma = ln(p99 / median) / z99, mean = median exp(sigma^2 / 2)") {
    const auto d = Distribution::lognormal(2, 10);
    const double sigma = std::log(5.0) / z99;  // 0.6918302848827697
    CHECK(sigma == Approx(0.6918302848827697));
    CHECK(d.mean() == Approx(2.540756197061178));
    CHECK(d.quantile(0.5) == Approx(2));
    CHECK(d.quantile(0.99) == Approx(10));
    CHECK(d.quantile(0.9) == Approx(2 * std::exp(sigma * z90)));  // 4.853807095865331
    CHECK(d.quantile(0) == 0);
    CHECK(Distribution::lognormal(3, 3).quantile(1) == Approx(3));  // sigma 0: a constant
  }
  SECTION("pareto: mean = shape scale / (shape - 1), infinite for shape <= 1") {
    CHECK(Distribution::pareto(1, 5).mean() == 1.25);
    CHECK(Distribution::pareto(1, 5).quantile(0.5) == Approx(1.148698354997035));  // 2^(1/5)
    CHECK(Distribution::pareto(2, 1.5).mean() == Approx(6));
    CHECK(Distribution::pareto(2, 1.5).quantile(0.99) == Approx(43.088693800637664));  // 2 * 100^(2/3)
    CHECK(Distribution::pareto(2, 1).mean() == kInf);
    CHECK(Distribution::pareto(2, 0.5).mean() == kInf);
    CHECK(Distribution::pareto(2, 1.5).quantile(0) == 2);
  }
  SECTION("empirical: piecewise-linear inverse CDF and its integral") {
    const auto d = Distribution::empirical({{0, 1}, {50, 2}, {90, 5}, {99, 20}, {100, 50}});
    // Mean: 0.5 * 1.5 + 0.4 * 3.5 + 0.09 * 12.5 + 0.01 * 35.
    CHECK(d.mean() == Approx(3.625));
    CHECK(d.quantile(0) == 1);
    CHECK(d.quantile(0.25) == Approx(1.5));
    CHECK(d.quantile(0.5) == Approx(2));
    CHECK(d.quantile(0.95) == Approx(5 + 15.0 * 5 / 9));
    CHECK(d.quantile(1) == 50);
  }
  CHECK_THROWS_AS(Distribution::exponential(1).quantile(1.5), std::invalid_argument);
  CHECK_THROWS_AS(Distribution::exponential(1).quantile(-0.5), std::invalid_argument);
}

TEST_CASE("constant sampler always returns its value") {
  const auto d = Distribution::constant(2.5);
  RandomStream rng(1);
  for (int i = 0; i < 1000; ++i) REQUIRE(d.sample(rng) == 2.5);
}

TEST_CASE("uniform sampler matches its mean and quantiles") {
  const auto d = Distribution::uniform(2, 5);
  const auto xs = sorted_sample(d, 11);
  CHECK(xs.front() >= 2);
  CHECK(xs.back() < 5);
  check_mean(xs, d, 3 / std::sqrt(12.0));
  check_quantile(xs, d, 0.1);
  check_quantile(xs, d, 0.9);
}

TEST_CASE("exponential sampler matches its mean and quantiles") {
  const auto d = Distribution::exponential(3);
  const auto xs = sorted_sample(d, 12);
  CHECK(xs.front() >= 0);
  check_mean(xs, d, 3);  // sd = mean
  check_quantile(xs, d, 0.5);
  check_quantile(xs, d, 0.99);
}

TEST_CASE("normal sampler matches its mean and quantiles") {
  const auto d = Distribution::normal(10, 2);
  const auto xs = sorted_sample(d, 13);
  check_mean(xs, d, 2);
  check_quantile(xs, d, 0.025);
  check_quantile(xs, d, 0.5);
  check_quantile(xs, d, 0.975);
}

// Draws 4e6 samples of `d` and checks the count in every band between consecutive `edges`: each
// count is Binomial(n, p) with p from the exact `cdf`, and must be within kSigmas of n p.
template <class Cdf>
void check_band_mass(const Distribution& d, const std::vector<double>& edges, Cdf cdf, std::uint64_t seed) {
  constexpr int kBandDraws = 4'000'000;
  std::vector<double> counts(edges.size() - 1, 0);
  int below_first_edge = 0;
  RandomStream rng(seed);
  for (int i = 0; i < kBandDraws; ++i) {
    const double x = d.sample(rng);
    const auto band = std::upper_bound(edges.begin(), edges.end(), x) - edges.begin() - 1;
    if (band < 0) {
      ++below_first_edge;
    } else {
      counts[static_cast<std::size_t>(band)] += 1;
    }
  }
  CHECK(below_first_edge == 0);
  for (std::size_t band = 0; band + 1 < edges.size(); ++band) {
    const double p = cdf(edges[band + 1]) - cdf(edges[band]);
    const double expected = kBandDraws * p;
    const double tolerance = kSigmas * std::sqrt(kBandDraws * p * (1 - p));
    INFO(d.describe() << ", band [" << edges[band] << ", " << edges[band + 1] << "): " << counts[band]
                      << " draws, expected " << expected << " +- " << tolerance);
    CHECK(std::abs(counts[band] - expected) <= tolerance);
  }
}

TEST_CASE("normal sampler puts the right mass in every band, the ziggurat's tail included") {
  // The ziggurat samples its base layer's tail (|z| > 3.44) by a separate rejection method and
  // the edges of its 128 layers by another: a bug in either shows as wrong mass in some band.
  const std::vector<double> edges = {-kInf, -4.5, -3.44, -3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, 3.44, 4.5, kInf};
  check_band_mass(
      Distribution::normal(0, 1), edges, [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }, 21);
}

TEST_CASE("exponential sampler puts the right mass in every band, the ziggurat's tail included") {
  // Boost's exponential ziggurat has 256 layers; beyond its base layer (x > 7.697) it draws the
  // tail by shifting a fresh draw (memorylessness). Bands on both sides of that edge, scaled by
  // the mean.
  const double mean = 2.5;
  std::vector<double> edges = {0, 0.05, 0.25, 0.5, 1, 1.5, 2, 3, 4, 5.5, 7, 7.697, 9, 12, kInf};
  for (double& edge : edges) edge *= mean;
  check_band_mass(
      Distribution::exponential(mean), edges, [&](double x) { return -std::expm1(-x / mean); }, 22);
}

TEST_CASE("lognormal sampler matches its median and p99") {
  const auto d = Distribution::lognormal(2, 10);
  const auto xs = sorted_sample(d, 14);
  const double sigma = std::log(5.0) / standard_normal_quantile(0.99);
  // Variance of a lognormal: (e^(sigma^2) - 1) e^(2 mu + sigma^2).
  const double sd = std::sqrt(std::expm1(sigma * sigma) * std::exp(2 * std::log(2.0) + sigma * sigma));
  check_mean(xs, d, sd);
  check_quantile(xs, d, 0.5);
  check_quantile(xs, d, 0.99);
}

TEST_CASE("pareto sampler matches its mean and quantiles") {
  SECTION("shape 5: finite variance, the mean is testable") {
    const auto d = Distribution::pareto(1, 5);
    const auto xs = sorted_sample(d, 15);
    CHECK(xs.front() >= 1);
    // Variance: scale^2 shape / ((shape - 1)^2 (shape - 2)) = 5 / 48.
    check_mean(xs, d, std::sqrt(5.0 / 48));
    check_quantile(xs, d, 0.5);
    check_quantile(xs, d, 0.99);
  }
  SECTION("shape 1.5: infinite variance, so only quantiles") {
    const auto d = Distribution::pareto(2, 1.5);
    const auto xs = sorted_sample(d, 16);
    check_quantile(xs, d, 0.5);
    check_quantile(xs, d, 0.99);
  }
}

TEST_CASE("empirical sampler matches its mean and quantiles") {
  const std::vector<std::pair<double, double>> table = {{0, 1}, {50, 2}, {90, 5}, {99, 20}, {100, 50}};
  const auto d = Distribution::empirical(table);
  const auto xs = sorted_sample(d, 17);
  CHECK(xs.front() >= 1);
  CHECK(xs.back() <= 50);
  // E[X^2] of a piecewise-linear inverse CDF: each segment from a to b contributes its
  // probability times (a^2 + ab + b^2) / 3.
  double second_moment = 0;
  for (std::size_t i = 1; i < table.size(); ++i) {
    const double a = table[i - 1].second, b = table[i].second;
    second_moment += (table[i].first - table[i - 1].first) / 100 * (a * a + a * b + b * b) / 3;
  }
  check_mean(xs, d, std::sqrt(second_moment - d.mean() * d.mean()));
  check_quantile(xs, d, 0.5);
  check_quantile(xs, d, 0.95);
  check_quantile(xs, d, 0.995);
}

TEST_CASE("constructors reject bad parameters") {
  using D = Distribution;
  CHECK_THROWS_AS(D::constant(kInf), std::invalid_argument);
  CHECK_THROWS_AS(D::uniform(5, 2), std::invalid_argument);
  CHECK_THROWS_AS(D::uniform(0, kInf), std::invalid_argument);
  CHECK_THROWS_AS(D::exponential(-1), std::invalid_argument);
  CHECK_THROWS_AS(D::exponential(0), std::invalid_argument);
  CHECK_THROWS_AS(D::normal(0, -1), std::invalid_argument);
  CHECK_THROWS_AS(D::normal(std::nan(""), 1), std::invalid_argument);
  CHECK_THROWS_AS(D::lognormal(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(D::lognormal(2, 1), std::invalid_argument);  // p99 < median
  CHECK_THROWS_AS(D::pareto(0, 2), std::invalid_argument);
  CHECK_THROWS_AS(D::pareto(1, 0), std::invalid_argument);
  CHECK_THROWS_AS(D::pareto(1, -2), std::invalid_argument);
  CHECK_THROWS_AS(D::empirical({}), std::invalid_argument);
  CHECK_THROWS_AS(D::empirical({{0, 1}}), std::invalid_argument);
  CHECK_THROWS_AS(D::empirical({{10, 1}, {100, 2}}), std::invalid_argument);                   // misses 0
  CHECK_THROWS_AS(D::empirical({{0, 1}, {90, 2}}), std::invalid_argument);                     // misses 100
  CHECK_THROWS_AS(D::empirical({{0, 1}, {60, 2}, {50, 3}, {100, 4}}), std::invalid_argument);  // percentiles
  CHECK_THROWS_AS(D::empirical({{0, 1}, {50, 3}, {100, 2}}), std::invalid_argument);  // values decrease
  CHECK_NOTHROW(D::lognormal(2, 2));
  CHECK_NOTHROW(D::empirical({{0, 1}, {50, 1}, {100, 1}}));
}

TEST_CASE("sampling is deterministic for a given seed") {
  const Distribution all[] = {
      Distribution::uniform(0, 1), Distribution::exponential(2),
      Distribution::normal(0, 1),  Distribution::lognormal(1, 5),
      Distribution::pareto(1, 2),  Distribution::empirical({{0, 0}, {100, 1}}),
  };
  for (const auto& d : all) {
    RandomStream a(99, "service"), b(99, "service");
    for (int i = 0; i < 1000; ++i) REQUIRE(d.sample(a) == d.sample(b));
  }
}

TEST_CASE("describe names the law and its parameters") {
  CHECK(Distribution().describe() == "constant(0)");
  CHECK(Distribution::uniform(1, 2.5).describe() == "uniform(min=1, max=2.5)");
  CHECK(Distribution::exponential(3).describe() == "exponential(mean=3)");
  CHECK(Distribution::normal(10, 2).describe() == "normal(mean=10, sd=2)");
  CHECK(Distribution::lognormal(2, 10).describe() == "lognormal(median=2, p99=10)");
  CHECK(Distribution::pareto(1, 1.5).describe() == "pareto(scale=1, shape=1.5)");
  CHECK(Distribution::empirical({{0, 1}, {50, 2}, {100, 10}}).describe() ==
        "empirical(p0=1, p50=2, p100=10)");
  CHECK(Distribution::lognormal(2, 10).kind() == Distribution::Kind::kLognormal);
}

}  // namespace
}  // namespace shardsim
