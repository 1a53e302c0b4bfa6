// What every timing validation checks of its samples: each inside the formula's window, and the
// sample mean near the formula's mean (within a few standard errors).
#pragma once

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

namespace shardsim::testing {

struct SampleMean {
  double mean = 0;
  double standard_error = 0;  // of the mean
};

// The samples' mean and its standard error.
inline SampleMean sample_mean(const std::vector<double>& samples) {
  double sum = 0, sum2 = 0;
  for (const double x : samples) {
    sum += x;
    sum2 += x * x;
  }
  const double n = static_cast<double>(samples.size());
  const double mean = sum / n;
  return {mean, std::sqrt((sum2 / n - mean * mean) / (n - 1))};
}

// CHECKs that every sample lies in [lo, hi] (with 1 us of slack for rounding to nanoseconds), and
// returns the samples' mean and its standard error.
inline SampleMean check_window_and_mean(const std::vector<double>& samples, double lo, double hi) {
  for (const double x : samples) {
    CHECK(x >= lo - 1e-6);
    CHECK(x <= hi + 1e-6);
  }
  return sample_mean(samples);
}

}  // namespace shardsim::testing
