#include "shardsim/random/distribution.h"

#include "shardsim/random/portable_exp.h"

#include <fmt/format.h>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace shardsim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

// mean + sd * z, read as exactly `mean` when sd == 0 (so that a degenerate distribution does not
// turn the infinite z of q = 0 or 1 into NaN).
double location_scale(double mean, double sd, double z) {
  return sd == 0 ? mean : mean + sd * z;
}

// Acklam's rational approximation of the standard normal quantile for 0 < p <= 1/2 (relative
// error below 1.15e-9), before refinement.
double acklam_lower_half(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double kTailBreak = 0.02425;
  if (p < kTailBreak) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// One Halley step on Phi(x) = p brings Acklam's approximation to full double precision.
double halley_refine(double x, double p) {
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

std::string format_table(const std::vector<std::pair<double, double>>& table) {
  std::string out;
  for (const auto& [percentile, value] : table) {
    out += fmt::format("{}p{}={}", out.empty() ? "" : ", ", percentile, value);
  }
  return out;
}

}  // namespace

// The ziggurat draws replaced inversion (Acklam's quantile for the normal, -log(u) for the
// exponential), which were the largest single costs of the seed model and of the M/M/1 benchmark:
// a normal draw takes 4.9 ns against 13, an exponential 3.4 ns against 5.4. Common random numbers
// still hold where they matter: each node and each workload has its own stream, so one's draws
// never shift another's.
double standard_normal(RandomStream& rng) {
  return boost::random::normal_distribution<double>{}(rng);
}

double standard_exponential(RandomStream& rng) {
  return boost::random::exponential_distribution<double>{}(rng);
}

double standard_normal_quantile(double p) {
  require(p >= 0 && p <= 1, "standard_normal_quantile: p must be in [0, 1]");
  if (p == 0) return -kInf;
  if (p == 1) return kInf;
  if (p == 0.5) return 0;
  // Work in the lower half, where p itself (not 1 - p) carries the precision, and mirror: for
  // p > 1/2, 1 - p is exact (Sterbenz), so the upper tail is as accurate as the lower one.
  const double lower = std::min(p, 1 - p);
  const double x = halley_refine(acklam_lower_half(lower), lower);
  return p < 0.5 ? x : -x;
}

Distribution Distribution::constant(double value) {
  require(std::isfinite(value), "constant distribution: value must be finite");
  Distribution d;
  d.kind_ = Kind::kConstant;
  d.a_ = value;
  return d;
}

Distribution Distribution::uniform(double min, double max) {
  require(std::isfinite(min) && std::isfinite(max), "uniform distribution: bounds must be finite");
  require(min <= max, "uniform distribution: min must not exceed max");
  Distribution d;
  d.kind_ = Kind::kUniform;
  d.a_ = min;
  d.b_ = max;
  return d;
}

Distribution Distribution::exponential(double mean) {
  require(std::isfinite(mean) && mean > 0, "exponential distribution: mean must be positive and finite");
  Distribution d;
  d.kind_ = Kind::kExponential;
  d.a_ = mean;
  return d;
}

Distribution Distribution::normal(double mean, double stddev) {
  require(std::isfinite(mean), "normal distribution: mean must be finite");
  require(std::isfinite(stddev) && stddev >= 0, "normal distribution: stddev must be >= 0 and finite");
  Distribution d;
  d.kind_ = Kind::kNormal;
  d.a_ = mean;
  d.b_ = stddev;
  return d;
}

Distribution Distribution::lognormal(double median, double p99) {
  require(std::isfinite(median) && median > 0, "lognormal distribution: median must be positive and finite");
  require(std::isfinite(p99) && p99 >= median, "lognormal distribution: p99 must be finite and >= median");
  Distribution d;
  d.kind_ = Kind::kLognormal;
  d.a_ = median;
  d.b_ = p99;
  d.mu_ = std::log(median);
  d.sigma_ = std::log(p99 / median) / standard_normal_quantile(0.99);
  return d;
}

Distribution Distribution::pareto(double scale, double shape) {
  require(std::isfinite(scale) && scale > 0, "pareto distribution: scale must be positive and finite");
  require(std::isfinite(shape) && shape > 0, "pareto distribution: shape must be positive and finite");
  Distribution d;
  d.kind_ = Kind::kPareto;
  d.a_ = scale;
  d.b_ = shape;
  return d;
}

Distribution Distribution::empirical(std::vector<std::pair<double, double>> percentile_values) {
  const auto& t = percentile_values;
  require(t.size() >= 2, "empirical distribution: needs at least two (percentile, value) points");
  require(t.front().first == 0 && t.back().first == 100,
          "empirical distribution: percentiles must start at 0 and end at 100");
  for (std::size_t i = 0; i < t.size(); ++i) {
    require(std::isfinite(t[i].second), "empirical distribution: values must be finite");
    if (i == 0) continue;
    require(t[i].first > t[i - 1].first, "empirical distribution: percentiles must be strictly ascending");
    require(t[i].second >= t[i - 1].second, "empirical distribution: values must be non-decreasing");
  }
  Distribution d;
  d.kind_ = Kind::kEmpirical;
  d.table_ = std::move(percentile_values);
  return d;
}

Distribution Distribution::mixture(std::vector<double> weights, std::vector<Distribution> components) {
  require(!weights.empty() && weights.size() == components.size(),
          "mixture distribution: needs one weight per component, and at least one component");
  double total = 0;
  for (double& w : weights) {
    require(std::isfinite(w) && w > 0, "mixture distribution: weights must be positive and finite");
    total += w;
    w = total;  // cumulative
  }
  require(std::abs(total - 1) <= 1e-9, "mixture distribution: weights must sum to 1");
  weights.back() = 1;
  Distribution d;
  d.kind_ = Kind::kMixture;
  d.weights_ = std::move(weights);
  d.components_ = std::move(components);
  return d;
}

double Distribution::sample(RandomStream& rng) const {
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kUniform:
      return a_ + (b_ - a_) * rng.next_double();
    case Kind::kExponential:
      return a_ * standard_exponential(rng);
    case Kind::kNormal:
      return location_scale(a_, b_, standard_normal(rng));
    case Kind::kLognormal:
      return portable_exp(location_scale(mu_, sigma_, standard_normal(rng)));
    case Kind::kPareto:
      return a_ * std::pow(rng.next_double_open0(), -1 / b_);
    case Kind::kEmpirical:
      return quantile(rng.next_double());
    case Kind::kMixture: {
      const double u = rng.next_double();
      const auto i =
          static_cast<std::size_t>(std::upper_bound(weights_.begin(), weights_.end(), u) - weights_.begin());
      return components_[std::min(i, components_.size() - 1)].sample(rng);
    }
  }
  return 0;  // unreachable: every kind returns above
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::kConstant:
    case Kind::kExponential:
    case Kind::kNormal:
      return a_;
    case Kind::kUniform:
      return (a_ + b_) / 2;
    case Kind::kLognormal:
      return std::exp(mu_ + sigma_ * sigma_ / 2);
    case Kind::kPareto:
      return b_ <= 1 ? kInf : a_ * b_ / (b_ - 1);
    case Kind::kEmpirical: {
      // The integral of a piecewise-linear inverse CDF: each segment contributes its width in
      // probability times the average of its end values.
      double sum = 0;
      for (std::size_t i = 1; i < table_.size(); ++i) {
        sum += (table_[i].first - table_[i - 1].first) * (table_[i].second + table_[i - 1].second) / 2;
      }
      return sum / 100;
    }
    case Kind::kMixture: {
      double sum = 0, previous = 0;
      for (std::size_t i = 0; i < components_.size(); ++i) {
        sum += (weights_[i] - previous) * components_[i].mean();
        previous = weights_[i];
      }
      return sum;
    }
  }
  return 0;
}

double Distribution::cdf(double x) const {
  switch (kind_) {
    case Kind::kConstant:
      return x >= a_ ? 1 : 0;
    case Kind::kUniform:
      return b_ == a_ ? (x >= a_ ? 1 : 0) : std::clamp((x - a_) / (b_ - a_), 0.0, 1.0);
    case Kind::kExponential:
      return x <= 0 ? 0 : -std::expm1(-x / a_);
    case Kind::kNormal:
      return b_ == 0 ? (x >= a_ ? 1 : 0) : 0.5 * std::erfc(-(x - a_) / (b_ * std::numbers::sqrt2));
    case Kind::kLognormal:
      if (x <= 0) return 0;
      return sigma_ == 0 ? (x >= a_ ? 1 : 0)
                         : 0.5 * std::erfc(-(std::log(x) - mu_) / (sigma_ * std::numbers::sqrt2));
    case Kind::kPareto:
      return x < a_ ? 0 : 1 - std::pow(a_ / x, b_);
    case Kind::kEmpirical: {
      if (x < table_.front().second) return 0;
      if (x >= table_.back().second) return 1;
      // The last point at or below x; the segment after it contains x.
      auto hi =
          std::upper_bound(table_.begin(), table_.end(), x,
                           [](double v, const std::pair<double, double>& point) { return v < point.second; });
      const auto lo = hi - 1;
      const double t = hi->second == lo->second ? 1 : (x - lo->second) / (hi->second - lo->second);
      return (lo->first + (hi->first - lo->first) * t) / 100;
    }
    case Kind::kMixture: {
      double sum = 0, previous = 0;
      for (std::size_t i = 0; i < components_.size(); ++i) {
        sum += (weights_[i] - previous) * components_[i].cdf(x);
        previous = weights_[i];
      }
      return sum;
    }
  }
  return 0;
}

double Distribution::quantile(double q) const {
  require(q >= 0 && q <= 1, "Distribution::quantile: q must be in [0, 1]");
  switch (kind_) {
    case Kind::kConstant:
      return a_;
    case Kind::kUniform:
      return a_ + (b_ - a_) * q;
    case Kind::kExponential:
      return -a_ * std::log1p(-q);
    case Kind::kNormal:
      return location_scale(a_, b_, standard_normal_quantile(q));
    case Kind::kLognormal:
      return std::exp(location_scale(mu_, sigma_, standard_normal_quantile(q)));
    case Kind::kPareto:
      return a_ * std::pow(1 - q, -1 / b_);
    case Kind::kEmpirical: {
      const double p = 100 * q;
      // First point strictly above p; the segment ending there contains p.
      auto hi =
          std::upper_bound(table_.begin(), table_.end(), p,
                           [](double x, const std::pair<double, double>& point) { return x < point.first; });
      if (hi == table_.end()) return table_.back().second;
      const auto lo = hi - 1;
      const double t = (p - lo->first) / (hi->first - lo->first);
      return lo->second + (hi->second - lo->second) * t;
    }
    case Kind::kMixture: {
      // The mixture's quantile lies between its components' quantiles at q: bisect its CDF there.
      double lo = kInf, hi = -kInf;
      for (const Distribution& c : components_) {
        lo = std::min(lo, c.quantile(q));
        hi = std::max(hi, c.quantile(q));
      }
      if (!std::isfinite(hi)) return hi;
      for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, std::abs(hi)); ++i) {
        const double mid = lo + (hi - lo) / 2;
        (cdf(mid) < q ? lo : hi) = mid;
      }
      return hi;
    }
  }
  return 0;
}

std::string Distribution::describe() const {
  switch (kind_) {
    case Kind::kConstant:
      return fmt::format("constant({})", a_);
    case Kind::kUniform:
      return fmt::format("uniform(min={}, max={})", a_, b_);
    case Kind::kExponential:
      return fmt::format("exponential(mean={})", a_);
    case Kind::kNormal:
      return fmt::format("normal(mean={}, sd={})", a_, b_);
    case Kind::kLognormal:
      return fmt::format("lognormal(median={}, p99={})", a_, b_);
    case Kind::kPareto:
      return fmt::format("pareto(scale={}, shape={})", a_, b_);
    case Kind::kEmpirical:
      return fmt::format("empirical({})", format_table(table_));
    case Kind::kMixture: {
      std::string parts;
      double previous = 0;
      for (std::size_t i = 0; i < components_.size(); ++i) {
        parts += fmt::format("{}{} x {}", i ? ", " : "", weights_[i] - previous, components_[i].describe());
        previous = weights_[i];
      }
      return "mixture(" + parts + ")";
    }
  }
  return "?";
}

}  // namespace shardsim
