// The published latency fits (PBS, PVLDB 2012, Table 3) and the mixture distribution they use:
// each preset's mean and quantiles against the fit's own formula, samples against the quantiles,
// and the fits against the raw averages the paper reports.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/random/latency_presets.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/loader.h"

using shardsim::Distribution;
using shardsim::latency_preset;

namespace {

struct Fit {
  const char* name;
  double w, x_m, alpha, lambda;  // Pareto weight, x_m (ms), alpha; exponential rate (per ms)
};
// Table 3, as printed.
const Fit kFits[] = {
    {"pbs/lnkd-ssd", 0.9122, 0.235, 10, 1.66},
    {"pbs/lnkd-disk-write", 0.38, 1.05, 1.51, 0.183},
    {"pbs/lnkd-disk-ack-read-response", 0.9122, 0.235, 10, 1.66},
    {"pbs/ymmr-write", 0.939, 3, 3.35, 0.0028},
    {"pbs/ymmr-ack-read-response", 0.982, 1.5, 3.8, 0.0217},
};

double fit_mean(const Fit& f) {
  return f.w * f.alpha * f.x_m / (f.alpha - 1) + (1 - f.w) / f.lambda;
}

double fit_cdf(const Fit& f, double x) {
  const double pareto = x < f.x_m ? 0 : 1 - std::pow(f.x_m / x, f.alpha);
  return f.w * pareto + (1 - f.w) * (1 - std::exp(-f.lambda * x));
}

}  // namespace

TEST_CASE("latency presets: each PBS fit's mean and quantiles match its formula", "[random][presets]") {
  for (const Fit& f : kFits) {
    INFO(f.name);
    const auto d = latency_preset(f.name);
    REQUIRE(d.has_value());
    CHECK(d->kind() == Distribution::Kind::kMixture);
    CHECK(d->mean() == Approx(fit_mean(f)).epsilon(1e-12));
    for (const double q : {0.01, 0.5, 0.9, 0.99, 0.999}) {
      const double x = d->quantile(q);
      CHECK(fit_cdf(f, x) == Approx(q).margin(1e-9));
      CHECK(d->cdf(x) == Approx(q).margin(1e-9));
    }
  }
}

TEST_CASE("latency presets: samples follow the quantiles", "[random][presets]") {
  // The empirical q-quantile of n draws has F(x) within about 3 sqrt(q (1 - q) / n) of q.
  const int n = 200000;
  for (const Fit& f : kFits) {
    INFO(f.name);
    const Distribution d = *latency_preset(f.name);
    shardsim::RandomStream rng(9, std::string("test/") + f.name);
    std::vector<double> draws(n);
    for (double& x : draws) x = d.sample(rng);
    std::sort(draws.begin(), draws.end());
    for (const double q : {0.5, 0.9, 0.99}) {
      const double empirical = draws[static_cast<std::size_t>(q * n)];
      CHECK(std::abs(fit_cdf(f, empirical) - q) < 3 * std::sqrt(q * (1 - q) / n) + 1e-6);
    }
    CHECK(draws.front() >= 0);
  }
}

TEST_CASE("latency presets: the fits reproduce the averages the paper measured", "[random][presets]") {
  // PBS Table 1, LinkedIn Voldemort, one node: average operation latency 0.58 ms on SSD and
  // 4.85 ms on 15k RPM disk. A write's round trip is W + A.
  const double ssd = 2 * latency_preset("pbs/lnkd-ssd")->mean();
  const double disk = latency_preset("pbs/lnkd-disk-write")->mean() +
                      latency_preset("pbs/lnkd-disk-ack-read-response")->mean();
  CHECK(ssd == Approx(0.58).epsilon(0.02));
  CHECK(disk == Approx(4.85).epsilon(0.02));
}

TEST_CASE("latency presets: the schema offers exactly the presets the code has", "[random][presets]") {
  std::vector<std::string> in_schema;
  for (const auto& law : shardsim::scenario_schema()["definitions"]["distribution"]["oneOf"]) {
    if (law.contains("properties") && law["properties"].contains("dist") &&
        law["properties"]["dist"].value("const", "") == "preset") {
      for (const auto& name : law["properties"]["name"]["enum"]) in_schema.push_back(name.get<std::string>());
    }
  }
  CHECK(in_schema == shardsim::latency_preset_names());
  CHECK_FALSE(latency_preset("pbs/none").has_value());
}

TEST_CASE("mixture: mean, cdf and quantile of a mixture of simple laws", "[random][mixture]") {
  // Half uniform(0, 2), half constant 4: mean 2.5; F(1) = 0.25; the 0.75 quantile is 4 (the step).
  const Distribution d =
      Distribution::mixture({0.5, 0.5}, {Distribution::uniform(0, 2), Distribution::constant(4)});
  CHECK(d.mean() == Approx(2.5));
  CHECK(d.cdf(1) == Approx(0.25));
  CHECK(d.quantile(0.25) == Approx(1).margin(1e-9));
  CHECK(d.quantile(0.75) == Approx(4).margin(1e-9));
  CHECK(d.describe() == "mixture(0.5 x uniform(min=0, max=2), 0.5 x constant(4))");
  CHECK_THROWS(Distribution::mixture({0.5, 0.4}, {Distribution::constant(1), Distribution::constant(2)}));
  CHECK_THROWS(Distribution::mixture({}, {}));
}
