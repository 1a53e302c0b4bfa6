// Simulated time: an integer count of nanoseconds since the start of a run.
//
// Integer time makes runs exact and reproducible: no floating-point drift, and two events at
// "the same time" really are at the same time, so the tie rule of the event queue decides.
#pragma once

#include <cmath>
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

// Converts a (sampled) real number of milliseconds or seconds to whole nanoseconds.
// Negative values clamp to zero: a delay never runs backwards.
inline Duration from_ms(double ms) {
  return ms <= 0 ? 0 : static_cast<Duration>(std::llround(ms * 1e6));
}
inline Duration from_s(double s) {
  return s <= 0 ? 0 : static_cast<Duration>(std::llround(s * 1e9));
}
inline double to_ms(Duration d) {
  return static_cast<double>(d) / 1e6;
}
inline double to_s(Duration d) {
  return static_cast<double>(d) / 1e9;
}

}  // namespace shardsim
