#include "shardsim/random/stream.h"

#include <xxhash.h>

namespace shardsim {
namespace {

constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

// SplitMix64's output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One SplitMix64 step: advance the state by the golden gamma, return the mixed state.
std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += kGoldenGamma;
  return splitmix64_mix(state);
}

// High and low halves of the full 128-bit product a * b. Portable (no __int128, which
// -Wpedantic rejects); the compiler recognises the pattern and emits a single multiply.
void mul_64x64(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
  const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
  const std::uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
  const std::uint64_t mid = (ll >> 32) + (lh & 0xffffffffULL) + (hl & 0xffffffffULL);
  hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  lo = (mid << 32) | (ll & 0xffffffffULL);
}

}  // namespace

RandomStream::RandomStream(std::uint64_t seed) {
  // SplitMix64 outputs are distinct for consecutive states, so the xoshiro state is never all zero.
  std::uint64_t sm = seed;
  for (std::uint64_t& word : s_) word = splitmix64_next(sm);
}

RandomStream::RandomStream(std::uint64_t scenario_seed, std::string_view name)
    : RandomStream(derive_seed(scenario_seed, name)) {}

// Lemire (2019), "Fast random integer generation in an interval": multiply-shift, rejecting the
// few low products that would make some results more likely than others.
std::uint64_t RandomStream::next_below(std::uint64_t n) {
  std::uint64_t hi = 0, lo = 0;
  mul_64x64(next_u64(), n, hi, lo);
  if (lo < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (lo < threshold) mul_64x64(next_u64(), n, hi, lo);
  }
  return hi;
}

std::uint64_t derive_seed(std::uint64_t scenario_seed, std::string_view name) {
  // XXH64 keyed by the scenario seed separates names; SplitMix64 then spreads the hash over all
  // 64 bits, so seeds that differ by one bit give unrelated streams.
  const std::uint64_t hash = XXH64(name.data(), name.size(), scenario_seed);
  std::uint64_t state = hash;
  return splitmix64_next(state);
}

}  // namespace shardsim
