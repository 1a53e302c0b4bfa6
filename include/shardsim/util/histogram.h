// A log-bucketed histogram with bounded relative error (in the spirit of HdrHistogram).
//
// Latencies span nanoseconds to minutes and a run records millions of them; keeping every sample
// would make memory grow with run length. Instead values are counted in buckets whose width is at
// most 2^-p of their lower bound (p = precision_bits): values below 2^(p+1) get one bucket each
// (exact), and each further power-of-two range [2^e, 2^(e+1)) is split into 2^p equal buckets.
// So every quantile is within relative error 2^-p of a true sample, with at most
// (64 - p) * 2^p counters; the counter vector only grows up to the highest range seen, so a report
// can hold hundreds of histograms of small values cheaply. min, max, count and mean are exact.
#pragma once

#include <cstdint>
#include <vector>

namespace shardsim {

class LogHistogram {
 public:
  // precision_bits in [1, 16] (throws std::invalid_argument otherwise). 7 bits: < 0.8% error.
  explicit LogHistogram(int precision_bits = 7);

  // Adds `count` samples of `value`. Negative values clamp to 0; count 0 is a no-op. O(1), and
  // allocation-free once the histogram has seen a value of the same power-of-two range.
  void record(std::int64_t value, std::uint64_t count = 1);

  int precision_bits() const { return precision_; }
  std::uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::int64_t min() const { return count_ == 0 ? 0 : min_; }  // exact; 0 when empty
  std::int64_t max() const { return count_ == 0 ? 0 : max_; }  // exact; 0 when empty
  double mean() const;                                         // exact sum / count; 0 when empty

  // The q-quantile, q clamped to [0, 1]: the upper bound of the first bucket at which the
  // cumulative count reaches ceil(q * count) (so at least that many samples are <= the result),
  // clamped to [min, max]. q = 0 gives min, q = 1 gives max, empty gives 0. The result is within
  // relative error 2^-precision_bits of the true sorted-sample quantile. O(buckets).
  std::int64_t quantile(double q) const;

  // Fraction of samples <= value, for CDFs. Samples in value's own bucket all count as <= value,
  // so the answer is exact at bucket upper bounds and otherwise errs by at most that one bucket.
  double fraction_at_or_below(std::int64_t value) const;

  // Adds other's samples. Requires the same precision (throws std::invalid_argument otherwise).
  void merge(const LogHistogram& other);
  // Forgets all samples; keeps the allocated counters for reuse.
  void reset();

  // A bucket: values in [low, high] (both inclusive) and how many samples fell there.
  struct Bucket {
    std::int64_t low, high;
    std::uint64_t count;
  };
  // The non-empty buckets, in ascending order.
  std::vector<Bucket> buckets() const;

 private:
  __extension__ typedef unsigned __int128 Sum;  // exact: values < 2^63, counts < 2^64

  std::size_t index_of(std::uint64_t value) const;
  Bucket bucket_at(std::size_t index) const;  // bounds only; count is left 0

  int precision_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  Sum sum_ = 0;
};

}  // namespace shardsim
