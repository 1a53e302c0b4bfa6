// Distributions of real numbers (latencies, service times, times between failures...).
//
// The project's own samplers: the standard library's distributions differ between
// implementations, and a simulator must give the same numbers everywhere. A Distribution is a small
// value type (a tag and parameters, no virtual call) so that sampling on the hot path is cheap.
// Units are the caller's: a distribution attached to `service_ms` yields milliseconds.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "shardsim/random/stream.h"

namespace shardsim {

class Distribution {
 public:
  enum class Kind { kConstant, kUniform, kExponential, kNormal, kLognormal, kPareto, kEmpirical, kMixture };

  Distribution() = default;  // constant 0

  static Distribution constant(double value);
  static Distribution uniform(double min, double max);
  static Distribution exponential(double mean);
  // Normal, truncated at zero when used as a time (the caller clamps; see from_ms).
  static Distribution normal(double mean, double stddev);
  // Lognormal given the way people quote latencies: its median and its 99th percentile
  // (p99 >= median > 0). mu = ln(median), sigma = ln(p99 / median) / z(0.99).
  static Distribution lognormal(double median, double p99);
  // Pareto (type I): P(X > x) = (scale / x)^shape for x >= scale.
  static Distribution pareto(double scale, double shape);
  // Piecewise-linear inverse CDF through (percentile, value) points, percentiles in [0, 100]
  // ascending, from 0 to 100, values non-decreasing.
  static Distribution empirical(std::vector<std::pair<double, double>> percentile_values);
  // A draw from component i with probability weights[i] (weights positive, summing to 1 within
  // 1e-9): the form of published latency fits, e.g. a Pareto body with an exponential tail.
  static Distribution mixture(std::vector<double> weights, std::vector<Distribution> components);

  double sample(RandomStream& rng) const;
  // Exact mean and quantile (q in [0, 1]) of the distribution, for tests and reports.
  double mean() const;
  double quantile(double q) const;
  // P(X <= x).
  double cdf(double x) const;

  Kind kind() const { return kind_; }
  // A short human description, e.g. "lognormal(median=2, p99=10)".
  std::string describe() const;

 private:
  Kind kind_ = Kind::kConstant;
  double a_ = 0, b_ = 0;  // parameters, by kind
  // Lognormal only: the parameters of the underlying normal, derived once from median and p99.
  double mu_ = 0, sigma_ = 0;
  std::vector<std::pair<double, double>> table_;  // empirical only
  std::vector<double> weights_;                   // mixture only: cumulative weights, ending at 1
  std::vector<Distribution> components_;          // mixture only
};

// The standard normal quantile function (Acklam's algorithm refined by one Halley step).
double standard_normal_quantile(double p);

// One draw of a standard normal, N(0, 1), and of a standard exponential (mean 1), by Marsaglia
// and Tsang's ziggurat as Boost.Random implements it: one 64-bit draw from `rng` in ~99% of
// cases, no log or erfc. Boost's code, not the standard library's, so the numbers are the same
// with every compiler. Not inversions: a draw is not a monotone function of one uniform.
double standard_normal(RandomStream& rng);
double standard_exponential(RandomStream& rng);

}  // namespace shardsim
