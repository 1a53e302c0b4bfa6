#include "shardsim/random/portable_exp.h"

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "shardsim/random/stream.h"

namespace shardsim {
namespace {

// Distance in units in the last place between two finite positive doubles: the number of
// doubles between them (the bit patterns of positive doubles are ordered like their values).
std::uint64_t ulps_apart(double a, double b) {
  const auto x = std::bit_cast<std::uint64_t>(a);
  const auto y = std::bit_cast<std::uint64_t>(b);
  return x > y ? x - y : y - x;
}

TEST_CASE("portable_exp table holds 2^(j/128) correctly rounded") {
  // 2^0 and 2^(1/2) are known exactly: sqrt is correctly rounded by IEEE 754.
  CHECK(detail::kExp2Table[0] == 1.0);
  CHECK(detail::kExp2Table[64] == std::sqrt(2.0));
  for (int j = 0; j < detail::kExp2TableSize; ++j) {
    INFO("j = " << j);
    CHECK(ulps_apart(detail::kExp2Table[j], std::exp2(j / 128.0)) <= 1);
  }
  // Squaring pairs: 2^(j/128) * 2^((128-j)/128) = 2, to within the two roundings.
  for (int j = 1; j < detail::kExp2TableSize; ++j) {
    CHECK(std::abs(detail::kExp2Table[j] * detail::kExp2Table[128 - j] / 2 - 1) <= 3e-16);
  }
}

TEST_CASE("portable_exp is within 2 ulp of std::exp over the whole range") {
  // A dense grid over every argument with a finite, nonzero result, plus the region
  // where lognormal draws live, sampled at random points (random low bits exercise the
  // reduction's rounding).
  std::uint64_t worst = 0;
  double worst_at = 0;
  const auto check = [&](double x) {
    const std::uint64_t d = ulps_apart(portable_exp(x), std::exp(x));
    if (d > worst) {
      worst = d;
      worst_at = x;
    }
  };
  for (double x = -745.0; x < 709.78; x += 0.0137) check(x);
  RandomStream rng(7, "portable_exp");
  for (int i = 0; i < 2'000'000; ++i) check(-30 + 60 * rng.next_double());
  INFO("worst " << worst << " ulp at x = " << worst_at);
  CHECK(worst <= 2);
}

TEST_CASE("portable_exp handles the ends of the range and special values as std::exp does") {
  CHECK(portable_exp(0.0) == 1.0);
  CHECK(ulps_apart(portable_exp(1.0), 2.718281828459045) <= 1);
  CHECK(ulps_apart(portable_exp(-1.0), 0.36787944117144233) <= 1);
  CHECK(std::isnan(portable_exp(std::numeric_limits<double>::quiet_NaN())));
  CHECK(portable_exp(std::numeric_limits<double>::infinity()) == std::numeric_limits<double>::infinity());
  CHECK(portable_exp(-std::numeric_limits<double>::infinity()) == 0.0);
  CHECK(portable_exp(710.0) == std::numeric_limits<double>::infinity());
  CHECK(portable_exp(-746.0) == 0.0);
  // Just inside the ends: finite and close to std::exp (subnormal results keep fewer digits).
  CHECK(ulps_apart(portable_exp(709.78), std::exp(709.78)) <= 2);
  CHECK(ulps_apart(portable_exp(708.5), std::exp(708.5)) <= 2);
  CHECK(std::abs(portable_exp(-720.0) / std::exp(-720.0) - 1) < 1e-9);
  CHECK(portable_exp(-745.0) > 0);
}

}  // namespace
}  // namespace shardsim
