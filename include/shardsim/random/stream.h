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
  double next_double() {
    // The top 53 bits are the best ones of xoshiro256++, and exactly fill a double's mantissa.
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  }
  // Uniform on (0, 1]: safe to take the logarithm of.
  double next_double_open0() { return 1.0 - next_double(); }
  // Uniform integer on [0, n), unbiased (Lemire's method). n > 0.
  std::uint64_t next_below(std::uint64_t n);

  // A UniformRandomBitGenerator, so that Boost.Random's distributions (defined bit for bit by
  // Boost's own code, unlike std::*_distribution) can draw from a stream.
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return next_u64(); }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4];
};

// xoshiro256++ 1.0, transcribed from the reference code by Blackman & Vigna. Inline: it is drawn
// several times per simulated request.
inline std::uint64_t RandomStream::next_u64() {
  const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

// The seed of stream `name` in a run seeded `scenario_seed` (a hash of both).
std::uint64_t derive_seed(std::uint64_t scenario_seed, std::string_view name);

}  // namespace shardsim
