// Simulated time: an integer count of nanoseconds since the start of a run.
//
// Integer time makes runs exact and reproducible: no floating-point drift, and two events at
// "the same time" really are at the same time, so the tie rule of the event queue decides.
#pragma once

#include <cstdint>
#include <limits>

namespace shardsim {

using Time = std::int64_t;      // an instant, ns since the run started
using Duration = std::int64_t;  // a span, ns

inline constexpr Time kTimeNever = std::numeric_limits<Time>::max();
inline constexpr Duration kNanosecond = 1;
inline constexpr Duration kMicrosecond = 1'000;
inline constexpr Duration kMillisecond = 1'000'000;
inline constexpr Duration kSecond = 1'000'000'000;

// The longest delay a conversion returns, about 73 years: adding it to any time a run can reach
// cannot overflow. Only heavy-tailed draws (Pareto with a small shape) come near it.
inline constexpr Duration kLongestDelay = kTimeNever / 4;

// A real number of nanoseconds to whole nanoseconds: rounded to nearest, halves away from zero
// (as std::llround), negative values and NaN to zero (a delay never runs backwards), large values
// to kLongestDelay. Inline rather than std::llround, a library call that cost 3-6% of whole runs:
// every sampled delay passes here. Exact: for x < 2^53 both the truncation and x - truncation are
// exact, and above that x is a whole number.
inline Duration round_ns(double ns) {
  if (!(ns > 0)) return 0;
  if (ns >= static_cast<double>(kLongestDelay)) return kLongestDelay;
  const auto whole = static_cast<Duration>(ns);
  return ns - static_cast<double>(whole) >= 0.5 ? whole + 1 : whole;
}

// Converts a (sampled) real number of milliseconds or seconds to whole nanoseconds (round_ns).
inline Duration from_ms(double ms) {
  return round_ns(ms * 1e6);
}
inline Duration from_s(double s) {
  return round_ns(s * 1e9);
}
inline double to_ms(Duration d) {
  return static_cast<double>(d) / 1e6;
}
inline double to_s(Duration d) {
  return static_cast<double>(d) / 1e9;
}

}  // namespace shardsim
