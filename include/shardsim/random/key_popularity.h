// Which key a request touches: a popularity law over ranks, and a placement of ranks onto keys.
//
// Rank 0 is the most popular. Laws: uniform, Zipf(s) over N keys, and a hot set (a fraction of the
// keys draws a given share of requests, uniform within each part: the "80/20" default). Placement
// maps ranks to key indices: contiguous (rank r is key r) or scattered by a seeded bijection, so
// that the hot keys spread over all shards and each geo can have its own hot set (its own salt).
#pragma once

#include <cstdint>
#include <string>

#include "shardsim/random/stream.h"

namespace shardsim {

class KeyPopularity {
 public:
  enum class Law { kUniform, kZipf, kHotSet };
  enum class Placement { kContiguous, kScattered };

  static KeyPopularity uniform(std::uint64_t key_count);
  // P(rank r) proportional to 1 / (r + 1)^exponent. exponent >= 0 (0 is uniform). Sampling is
  // O(1) per draw (rejection-inversion, Hormann & Derflinger 1996), for any key count.
  static KeyPopularity zipf(std::uint64_t key_count, double exponent);
  // The first ceil(hot_fraction * N) ranks draw hot_share of the requests.
  static KeyPopularity hot_set(std::uint64_t key_count, double hot_fraction, double hot_share);

  KeyPopularity& place(Placement placement, std::uint64_t salt);

  // A popularity rank in [0, N).
  std::uint64_t sample_rank(RandomStream& rng) const;
  // A key index in [0, N): sample_rank then placement.
  std::uint64_t sample_key_index(RandomStream& rng) const { return key_index_of_rank(sample_rank(rng)); }
  std::uint64_t key_index_of_rank(std::uint64_t rank) const;
  // Exact probability that a draw returns `rank` (for validation against theory).
  double probability_of_rank(std::uint64_t rank) const;
  // True when the rank belongs to the hot set (hot-set law), or to the top 20% of ranks (others):
  // the "hot" half of the 80/20 split the report shows.
  bool is_hot_rank(std::uint64_t rank) const;
  std::uint64_t hot_rank_count() const;

  std::uint64_t key_count() const { return n_; }
  Law law() const { return law_; }
  std::string describe() const;

 private:
  Law law_ = Law::kUniform;
  Placement placement_ = Placement::kContiguous;
  std::uint64_t n_ = 1;
  std::uint64_t salt_ = 0;
  double exponent_ = 0;
  std::uint64_t hot_count_ = 0;
  double hot_share_ = 0;
  // Zipf rejection-inversion constants.
  double h_x1_ = 0, h_n_ = 0, s_ = 0;
  double zipf_norm_ = 0;  // generalized harmonic number H(N, s), for probability_of_rank
  // Scattered placement: a Feistel permutation of [0, 2^domain_bits_) keyed by the salt.
  int domain_bits_ = 0;
  std::uint64_t feistel_keys_[4] = {};
};

}  // namespace shardsim
