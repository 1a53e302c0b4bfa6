// Conversions between real numbers of ms/s and whole nanoseconds.
#include "shardsim/kernel/time.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "shardsim/random/stream.h"

using shardsim::Duration;
using shardsim::kLongestDelay;
using shardsim::round_ns;

TEST_CASE("round_ns rounds like std::llround over every magnitude", "[kernel]") {
  // Random doubles over many binades, their neighbours and exact halves: the inline rounding must
  // give std::llround's answer wherever that answer is defined and in range.
  shardsim::RandomStream rng(3);
  for (int i = 0; i < 200'000; ++i) {
    const double magnitude = std::ldexp(1.0, static_cast<int>(rng.next_below(62)));
    const double x = rng.next_double() * magnitude;
    for (const double probe : {x, std::nextafter(x, 0.0), std::nextafter(x, 1e300), std::floor(x) + 0.5}) {
      if (probe <= 0 || probe >= static_cast<double>(kLongestDelay)) continue;
      INFO("x = " << probe);
      REQUIRE(round_ns(probe) == static_cast<Duration>(std::llround(probe)));
    }
  }
}

TEST_CASE("round_ns takes halves away from zero and clamps what is not a delay", "[kernel]") {
  CHECK(round_ns(0.5) == 1);
  CHECK(round_ns(1.5) == 2);
  CHECK(round_ns(2.5) == 3);
  CHECK(round_ns(0.49999999999999994) == 0);  // the largest double below 1/2: x + 0.5 would give 1
  CHECK(round_ns(0) == 0);
  CHECK(round_ns(-3.7) == 0);
  CHECK(round_ns(std::numeric_limits<double>::quiet_NaN()) == 0);
  CHECK(round_ns(1e300) == kLongestDelay);
  CHECK(round_ns(std::numeric_limits<double>::infinity()) == kLongestDelay);
  CHECK(shardsim::from_ms(1.25) == 1'250'000);
  CHECK(shardsim::from_s(2) == 2'000'000'000);
}
