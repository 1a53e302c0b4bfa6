// Bucket layout with p = precision_bits and b = bit width of value v:
//   shift = max(0, b - p - 1), index = shift * 2^p + (v >> shift).
// For v < 2^(p+1) the index is v itself (exact buckets). Above, v >> shift lies in [2^p, 2^(p+1))
// so each power-of-two range gets 2^p buckets of width 2^shift, and consecutive ranges follow each
// other without gaps. The largest value, 2^63 - 1, has index (64 - p) * 2^p - 1.
#include "shardsim/util/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace shardsim {

LogHistogram::LogHistogram(int precision_bits) : precision_(precision_bits) {
  if (precision_bits < 1 || precision_bits > 16) {
    throw std::invalid_argument("LogHistogram: precision_bits must be in [1, 16]");
  }
}

std::size_t LogHistogram::index_of(std::uint64_t value) const {
  const int width = std::bit_width(value);
  const int shift = std::max(0, width - precision_ - 1);
  return (static_cast<std::size_t>(shift) << precision_) + static_cast<std::size_t>(value >> shift);
}

LogHistogram::Bucket LogHistogram::bucket_at(std::size_t index) const {
  const std::size_t group = index >> precision_;  // shift + 1 for the inexact ranges
  if (group < 2) return {static_cast<std::int64_t>(index), static_cast<std::int64_t>(index), 0};
  const int shift = static_cast<int>(group) - 1;
  const std::uint64_t mantissa = index - (static_cast<std::uint64_t>(shift) << precision_);
  const std::uint64_t low = mantissa << shift;
  const std::uint64_t high = low + ((std::uint64_t{1} << shift) - 1);
  return {static_cast<std::int64_t>(low), static_cast<std::int64_t>(high), 0};
}

void LogHistogram::record(std::int64_t value, std::uint64_t count) {
  if (count == 0) return;
  if (value < 0) value = 0;
  const std::size_t index = index_of(static_cast<std::uint64_t>(value));
  if (index >= counts_.size()) {
    // Grow to the end of value's power-of-two range: one allocation per range, not per bucket.
    counts_.resize(((index >> precision_) + 1) << precision_, 0);
  }
  counts_[index] += count;
  min_ = count_ == 0 ? value : std::min(min_, value);
  max_ = count_ == 0 ? value : std::max(max_, value);
  count_ += count;
  sum_ += static_cast<Sum>(static_cast<std::uint64_t>(value)) * count;
}

double LogHistogram::mean() const {
  if (count_ == 0) return 0.0;
  return static_cast<double>(static_cast<long double>(sum_) / static_cast<long double>(count_));
}

std::int64_t LogHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (!(q > 0.0)) return min_;  // also NaN
  if (q >= 1.0) return max_;
  const double wanted = std::ceil(q * static_cast<double>(count_));
  const std::uint64_t target = wanted >= static_cast<double>(count_)
                                   ? count_
                                   : std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    cumulative += counts_[i];
    if (cumulative >= target) return std::clamp(bucket_at(i).high, min_, max_);
  }
  return max_;  // unreachable: the counts sum to count_
}

double LogHistogram::fraction_at_or_below(std::int64_t value) const {
  if (count_ == 0 || value < min_) return 0.0;
  if (value >= max_) return 1.0;
  const std::size_t last = index_of(static_cast<std::uint64_t>(value));
  std::uint64_t below = 0;
  for (std::size_t i = 0; i <= last && i < counts_.size(); ++i) below += counts_[i];
  return static_cast<double>(below) / static_cast<double>(count_);
}

void LogHistogram::merge(const LogHistogram& other) {
  if (other.precision_ != precision_) throw std::invalid_argument("LogHistogram::merge: precision differs");
  if (other.count_ == 0) return;
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

void LogHistogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = max_ = 0;
  sum_ = 0;
}

std::vector<LogHistogram::Bucket> LogHistogram::buckets() const {
  std::vector<Bucket> out;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    Bucket b = bucket_at(i);
    b.count = counts_[i];
    out.push_back(b);
  }
  return out;
}

}  // namespace shardsim
