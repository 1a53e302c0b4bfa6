// e^x computed by the project's own code, the same bits on every machine and C library.
//
// Why not std::exp: every lognormal draw (the seed model's latencies and service times, ~8 per
// request) ends in an exponential, so the C library's exp decided the last bits of every latency,
// and a report could change with the libm version (glibc's exp was rewritten in 2.28, for one).
// With this function a draw's value no longer passes through libm (Boost's ziggurat calls exp
// and log only to accept or reject in its rare edge cases). Speed is not the reason: in
// isolation it takes 2.9 ns against glibc's 3.8 ns, but the seed model runs at the same speed
// with either (measured side by side, CPU ratio 1.00): a draw's cost there is its latency chain.
//
// Method (the classic table-driven reduction, e.g. Tang 1989): x = (k + j/128) ln 2 + r with
// integers k, j (0 <= j < 128) and |r| <= ln2/256, so e^x = 2^k * 2^(j/128) * e^r. 2^(j/128)
// comes from a table of correctly rounded doubles, e^r from its degree-5 Taylor polynomial
// (truncation error below 2^-60 on that interval), 2^k by adding k to the exponent bits.
// Error: within 2 ulp of std::exp (itself within 1 ulp of the true value) over the whole range,
// tested on a dense grid and on random points where draws live. Special cases as std::exp: NaN
// gives NaN, x > 709.78 gives +infinity, x < -745.13 gives 0; results below 2^-1022 are
// subnormal and keep fewer digits.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace shardsim {

namespace detail {
inline constexpr int kExp2TableBits = 7;
inline constexpr int kExp2TableSize = 1 << kExp2TableBits;
extern const double kExp2Table[kExp2TableSize];  // 2^(j/128), correctly rounded

// e^x / 2^bias for |x| < 746, as long as that is a normal double (bias 0 for |x| < 708).
inline double exp_scaled(double x, std::int64_t bias) {
  constexpr double kInvLn2N = 0x1.71547652b82fep+7;  // 128 / ln 2
  // Adding this rounds to an integer in the low mantissa bits (|x| 128/ln2 < 2^51).
  constexpr double kRoundShift = 0x1.8p52;
  // ln2 / 128 in two parts: the high part has 33 significant bits, so n * kLn2HiN is exact for
  // every |n| < 2^20 (here |n| < 2^17).
  constexpr double kLn2HiN = 0x1.62e42fef00000p-8;
  constexpr double kLn2LoN = 0x1.473de6af278edp-41;
  const double shifted = x * kInvLn2N + kRoundShift;
  const std::uint64_t n_bits = std::bit_cast<std::uint64_t>(shifted);  // n = 128 k + j, low bits
  const double n = shifted - kRoundShift;
  const double r = (x - n * kLn2HiN) - n * kLn2LoN;
  const double p = r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120))));
  // 2^(j/128) with k - bias added to its exponent field (unsigned wrap-around: negative values
  // borrow as in two's complement).
  const std::uint64_t k_minus_bias = (n_bits >> kExp2TableBits) - static_cast<std::uint64_t>(bias);
  const std::uint64_t scale_bits =
      std::bit_cast<std::uint64_t>(kExp2Table[n_bits % kExp2TableSize]) + (k_minus_bias << 52);
  const double scale = std::bit_cast<double>(scale_bits);
  return scale + scale * p;
}
}  // namespace detail

inline double portable_exp(double x) {
  if (std::fabs(x) < 708) [[likely]] {
    return detail::exp_scaled(x, 0);
  }
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return INFINITY;
  if (x < -745.1332191019412) return 0;
  // Near the ends: compute e^x / 2^64 (or e^x * 2^64), a normal double, and scale back exactly
  // (or, below 2^-1022, with the one rounding to a subnormal).
  return x > 0 ? detail::exp_scaled(x, 64) * 0x1p64 : detail::exp_scaled(x, -64) * 0x1p-64;
}

}  // namespace shardsim
