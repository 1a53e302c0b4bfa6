#include "shardsim/random/key_popularity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace shardsim {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

// Ranks are handled as doubles by the Zipf sampler; beyond 2^53 they would no longer be exact.
constexpr std::uint64_t kMaxZipfKeys = std::uint64_t{1} << 53;
// Uniform and Zipf laws call the top 20% of ranks "hot" (the report's 80/20 split).
constexpr double kDefaultHotFraction = 0.2;

// ceil(fraction * n), forgiving the rounding error of the product (0.1 * 30 is 3.0000000000000004
// in doubles, which must give 3, not 4), and at least 1: a hot set is never empty.
std::uint64_t ceil_count(double fraction, std::uint64_t n) {
  const double x = fraction * static_cast<double>(n);
  const double nearest = std::nearbyint(x);
  const double c = std::abs(x - nearest) <= 1e-9 * std::max(1.0, x) ? nearest : std::ceil(x);
  if (c >= static_cast<double>(n)) return n;
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(c));
}

// log1p(x) / x and expm1(x) / x, continued smoothly through x = 0 (their limit is 1). They let
// the Zipf formulas below hold for exponent == 1 without a special case.
double log1p_over_x(double x) {
  return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}
double expm1_over_x(double x) {
  return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
}

// Rejection-inversion (Hormann & Derflinger 1996) uses the hat h(x) = x^-s and its integral
// H(x) = (x^(1-s) - 1) / (1 - s) (ln x when s == 1), and the inverse of H.
double zipf_h(double x, double s) {
  return std::exp(-s * std::log(x));
}
double zipf_big_h(double x, double s) {
  const double log_x = std::log(x);
  return expm1_over_x((1 - s) * log_x) * log_x;
}
double zipf_big_h_inverse(double y, double s) {
  const double t = std::max(-1.0, y * (1 - s));  // rounding may push t just below -1
  return std::exp(log1p_over_x(t) * y);
}

// H(n, s) = sum_{k=1..n} k^-s: the first terms summed directly, the rest by Euler-Maclaurin with
// two derivative corrections (the next term is below 1e-17 relative past k = 1000), so the
// normalisation is exact to double precision in O(1) time for any n.
double generalized_harmonic(std::uint64_t n, double s) {
  constexpr std::uint64_t kDirectTerms = 1000;
  const std::uint64_t direct = std::min(n, kDirectTerms);
  double sum = 0;
  for (std::uint64_t k = direct; k >= 1; --k) sum += std::pow(static_cast<double>(k), -s);  // small first
  if (n == direct) return sum;
  const double a = static_cast<double>(direct + 1), b = static_cast<double>(n);
  const auto f = [s](double x) { return std::pow(x, -s); };
  const auto f1 = [s](double x) { return -s * std::pow(x, -s - 1); };
  const auto f3 = [s](double x) { return -s * (s + 1) * (s + 2) * std::pow(x, -s - 3); };
  const double log_ratio = std::log(b / a);
  const double integral = std::pow(a, 1 - s) * expm1_over_x((1 - s) * log_ratio) * log_ratio;
  return sum + integral + (f(a) + f(b)) / 2 + (f1(b) - f1(a)) / 12 - (f3(b) - f3(a)) / 720;
}

std::uint64_t low_mask(int bits) {
  return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
}

// A keyed round function for the Feistel network (the SplitMix64 finaliser of value ^ key).
std::uint64_t feistel_round(std::uint64_t value, std::uint64_t key) {
  std::uint64_t z = value ^ key;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A bijection of [0, 2^bits): four Feistel rounds over halves of bits / 2 and bits - bits / 2
// bits. When bits is odd the halves differ in width and swap roles each round; each round is still
// invertible, and after an even number of rounds the widths are back where they started.
std::uint64_t feistel_permute(std::uint64_t x, int bits, const std::uint64_t (&keys)[4]) {
  int left_bits = bits / 2, right_bits = bits - bits / 2;
  std::uint64_t left = x >> right_bits;  // both halves are at most 32 bits wide
  std::uint64_t right = x & low_mask(right_bits);
  for (const std::uint64_t key : keys) {
    const std::uint64_t new_right = (left ^ feistel_round(right, key)) & low_mask(left_bits);
    left = right;
    right = new_right;
    std::swap(left_bits, right_bits);
  }
  return (left << right_bits) | right;
}

const char* placement_name(KeyPopularity::Placement placement) {
  return placement == KeyPopularity::Placement::kScattered ? "scattered" : "contiguous";
}

}  // namespace

KeyPopularity KeyPopularity::uniform(std::uint64_t key_count) {
  require(key_count > 0, "uniform key popularity: key_count must be positive");
  KeyPopularity p;
  p.law_ = Law::kUniform;
  p.n_ = key_count;
  p.hot_count_ = ceil_count(kDefaultHotFraction, key_count);
  return p;
}

KeyPopularity KeyPopularity::zipf(std::uint64_t key_count, double exponent) {
  require(key_count > 0, "zipf key popularity: key_count must be positive");
  require(key_count <= kMaxZipfKeys, "zipf key popularity: key_count must be at most 2^53");
  require(std::isfinite(exponent) && exponent >= 0, "zipf key popularity: exponent must be >= 0 and finite");
  KeyPopularity p;
  p.law_ = Law::kZipf;
  p.n_ = key_count;
  p.exponent_ = exponent;
  p.hot_count_ = ceil_count(kDefaultHotFraction, key_count);
  // Rejection-inversion constants, named as in Hormann & Derflinger: H(x1) - h(1) with x1 = 1.5,
  // H(N + 1/2), and the squeeze s below which a candidate is accepted without evaluating H.
  p.h_x1_ = zipf_big_h(1.5, exponent) - 1;
  p.h_n_ = zipf_big_h(static_cast<double>(key_count) + 0.5, exponent);
  p.s_ = 2 - zipf_big_h_inverse(zipf_big_h(2.5, exponent) - zipf_h(2, exponent), exponent);
  p.zipf_norm_ = generalized_harmonic(key_count, exponent);
  return p;
}

KeyPopularity KeyPopularity::hot_set(std::uint64_t key_count, double hot_fraction, double hot_share) {
  require(key_count > 0, "hot-set key popularity: key_count must be positive");
  require(hot_fraction > 0 && hot_fraction <= 1, "hot-set key popularity: hot_fraction must be in (0, 1]");
  require(hot_share >= 0 && hot_share <= 1, "hot-set key popularity: hot_share must be in [0, 1]");
  KeyPopularity p;
  p.law_ = Law::kHotSet;
  p.n_ = key_count;
  p.hot_count_ = ceil_count(hot_fraction, key_count);
  p.hot_share_ = hot_share;
  return p;
}

KeyPopularity& KeyPopularity::place(Placement placement, std::uint64_t salt) {
  placement_ = placement;
  salt_ = salt;
  domain_bits_ = 0;
  while (domain_bits_ < 64 && (std::uint64_t{1} << domain_bits_) < n_) ++domain_bits_;
  RandomStream key_source(salt);  // the salt's round keys: any salt gives a different bijection
  for (std::uint64_t& key : feistel_keys_) key = key_source.next_u64();
  return *this;
}

std::uint64_t KeyPopularity::sample_rank(RandomStream& rng) const {
  switch (law_) {
    case Law::kUniform:
      return rng.next_below(n_);
    case Law::kHotSet: {
      const std::uint64_t cold_count = n_ - hot_count_;
      if (cold_count == 0) return rng.next_below(n_);  // every key is hot: nothing to split
      if (rng.next_double() < hot_share_) return rng.next_below(hot_count_);
      return hot_count_ + rng.next_below(cold_count);
    }
    case Law::kZipf:
      break;
  }
  // Rejection-inversion: invert the integral of the hat over (x1, N + 1/2], round to the nearest
  // rank, and accept unless the point falls in the sliver between the hat and the histogram.
  // The acceptance rate is high for every exponent, so a draw costs O(1) on average.
  const double n = static_cast<double>(n_);
  while (true) {
    const double u = h_n_ + rng.next_double() * (h_x1_ - h_n_);
    const double x = zipf_big_h_inverse(u, exponent_);
    const double k = std::clamp(std::floor(x + 0.5), 1.0, n);
    if (k - x <= s_ || u >= zipf_big_h(k + 0.5, exponent_) - zipf_h(k, exponent_)) {
      return static_cast<std::uint64_t>(k) - 1;
    }
  }
}

std::uint64_t KeyPopularity::key_index_of_rank(std::uint64_t rank) const {
  if (rank >= n_) throw std::out_of_range("KeyPopularity::key_index_of_rank: rank out of range");
  if (placement_ == Placement::kContiguous) return rank;
  // Cycle-walking: permute within the power-of-two domain until the result lands in [0, N).
  // This restricts a bijection of the domain to a bijection of [0, N); the domain is less than
  // twice N, so fewer than two steps are needed on average.
  std::uint64_t index = feistel_permute(rank, domain_bits_, feistel_keys_);
  while (index >= n_) index = feistel_permute(index, domain_bits_, feistel_keys_);
  return index;
}

double KeyPopularity::probability_of_rank(std::uint64_t rank) const {
  if (rank >= n_) return 0;
  switch (law_) {
    case Law::kUniform:
      return 1 / static_cast<double>(n_);
    case Law::kZipf:
      return std::pow(static_cast<double>(rank) + 1, -exponent_) / zipf_norm_;
    case Law::kHotSet: {
      const std::uint64_t cold_count = n_ - hot_count_;
      if (cold_count == 0) return 1 / static_cast<double>(n_);
      return rank < hot_count_ ? hot_share_ / static_cast<double>(hot_count_)
                               : (1 - hot_share_) / static_cast<double>(cold_count);
    }
  }
  return 0;
}

bool KeyPopularity::is_hot_rank(std::uint64_t rank) const {
  return rank < hot_count_;
}

std::uint64_t KeyPopularity::hot_rank_count() const {
  return hot_count_;
}

std::string KeyPopularity::describe() const {
  std::string law;
  switch (law_) {
    case Law::kUniform:
      law = fmt::format("uniform(N={}", n_);
      break;
    case Law::kZipf:
      law = fmt::format("zipf(N={}, exponent={}", n_, exponent_);
      break;
    case Law::kHotSet:
      law = fmt::format("hot_set(N={}, hot_keys={}, hot_share={}", n_, hot_count_, hot_share_);
      break;
  }
  if (placement_ == Placement::kScattered)
    return fmt::format("{}, {} salt={})", law, placement_name(placement_), salt_);
  return fmt::format("{}, {})", law, placement_name(placement_));
}

}  // namespace shardsim
