// Named, independent random streams.
//
// Every component draws from its own stream (the workload of each geo, each link, each failure
// process...). A stream's seed is derived from the scenario seed and the stream's *name*, so adding
// a component or changing one part of a scenario never reshuffles the numbers the others draw:
// what-if comparisons use common random numbers and differ by the change, not by noise.
//
// The generator is xoshiro256++ (Blackman & Vigna), seeded through SplitMix64. Both are defined
// bit for bit, so the same seed gives the same numbers with any compiler and standard library.
#pragma once

#include <cstdint>
#include <string_view>

namespace shardsim {

class RandomStream {
 public:
  // A stream seeded directly (tests, benchmarks).
  explicit RandomStream(std::uint64_t seed);
  // The stream called `name` of a run with seed `scenario_seed`.
  RandomStream(std::uint64_t scenario_seed, std::string_view name);

  std::uint64_t next_u64();
  // Uniform on [0, 1), with 53 random bits.
  double next_double();
  // Uniform on (0, 1]: safe to take the logarithm of.
  double next_double_open0() { return 1.0 - next_double(); }
  // Uniform integer on [0, n), unbiased (Lemire's method). n > 0.
  std::uint64_t next_below(std::uint64_t n);

 private:
  std::uint64_t s_[4];
};

// The seed of stream `name` in a run seeded `scenario_seed` (a hash of both).
std::uint64_t derive_seed(std::uint64_t scenario_seed, std::string_view name);

}  // namespace shardsim
