// Validation: a shardsim::Node with c = 4 servers and exponential service, fed by Poisson arrivals,
// is an M/M/c queue. The share of arrivals that wait must match the Erlang C formula C(c, a) and the
// mean response time (sojourn) must match C(c, a) / (c mu - lambda) + 1 / mu (Erlang 1917; e.g.
// Kleinrock, Queueing Systems vol. 1, 1975, section 3.5).
//
// Run lengths. With c servers the wait is a smaller part of the sojourn than in M/M/1 and the
// sojourn estimate converges faster; the indicator "this arrival waits" is the noisier measure at
// low load (C = 0.17 at rho = 0.5). We use Whitt's M/M/1 run-length formula (see mm1_test.cc),
// n = 2 (1 + rho) / ((1 - rho)^2 s^2) with s = tolerance / 3, as the plan for rho = 0.8 and 0.9
// (2% at rho = 0.9 needs 8.6 M customers: a hidden "[.long]" case; the default case runs 2.1 M
// customers against 4%) and a floor of 1 M customers, and confirm the plan by batch means: each run measures
// its own standard errors (32 batches) and the test asserts they are below a third of the tolerance
// (with 1.5x slack for the noise of the SE estimate itself).
//
// Warm-up: as for M/M/1, customers arriving in the first 10,000 mean service times are dropped;
// after the last counted arrival the queue drains so no sojourn is censored.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/node.h"
#include "shardsim/random/distribution.h"
#include "shardsim/random/stream.h"

using shardsim::Callback;
using shardsim::Distribution;
using shardsim::from_ms;
using shardsim::kTimeNever;
using shardsim::Node;
using shardsim::NodeSpec;
using shardsim::RandomStream;
using shardsim::Simulation;
using shardsim::Time;

namespace {

constexpr double kServiceMs = 1.0;  // mean service time: time is measured in service times
constexpr double kWarmupMs = 10'000 * kServiceMs;
constexpr int kBatches = 32;

// Poisson arrivals into a node, and the bookkeeping of their sojourns. A job carries its arrival
// time and whether it found every server busy (so it waits): job = arrival_ns * 2 + waits. No
// per-job memory is needed.
class PoissonQueueExperiment {
 public:
  PoissonQueueExperiment(std::uint32_t servers, double arrival_rate_per_ms, std::uint64_t customers,
                         std::uint64_t seed)
      : interarrival_(Distribution::exponential(1.0 / arrival_rate_per_ms)),
        arrivals_(seed, "validation/arrivals"),
        node_(sim_, "queue", 0, spec(servers), seed, Callback::to<&PoissonQueueExperiment::served>(this)),
        warmup_end_(from_ms(kWarmupMs)),
        customers_(customers),
        batch_size_((customers + kBatches - 1) / kBatches),
        sojourn_sum_(kBatches, 0.0),
        waited_(kBatches, 0),
        count_(kBatches, 0) {}

  void run() {
    sim_.schedule_at(warmup_end_, Callback::to<&PoissonQueueExperiment::end_warmup>(this));
    sim_.schedule_in(from_ms(interarrival_.sample(arrivals_)),
                     Callback::to<&PoissonQueueExperiment::arrive>(this));
    sim_.run_until(kTimeNever);
  }

  struct Estimate {
    double mean = 0;
    double standard_error = 0;  // batch means
  };
  // Mean sojourn in ms.
  Estimate sojourn_ms() const { return batch_estimate(sojourn_sum_, 1e-6); }
  // Share of counted arrivals that found every server busy.
  Estimate wait_probability() const {
    std::vector<double> waited(waited_.begin(), waited_.end());
    return batch_estimate(waited, 1.0);
  }
  std::uint64_t counted() const { return served_counted_; }
  // The node's own time-weighted statistics over [end of warm-up, last counted arrival].
  double utilization() const { return utilization_; }
  double mean_queue() const { return mean_queue_; }
  std::uint64_t rejected() const { return rejected_; }

 private:
  static NodeSpec spec(std::uint32_t servers) {
    NodeSpec s;
    s.servers = servers;
    s.queue_capacity = 100'000'000;  // effectively infinite: a rejection fails the test
    s.service_ms = Distribution::exponential(kServiceMs);
    return s;
  }

  void arrive(std::uint64_t /*unused*/) {
    const Time now = sim_.now();
    const bool waits = node_.busy() == node_.servers();
    if (!node_.submit(static_cast<std::uint64_t>(now) * 2 + (waits ? 1 : 0))) ++rejected_;
    if (now >= warmup_end_ && ++arrived_counted_ == customers_) {  // stop; the queue drains
      utilization_ = node_.utilization(now);
      mean_queue_ = node_.mean_queue(now);
      return;
    }
    sim_.schedule_in(from_ms(interarrival_.sample(arrivals_)),
                     Callback::to<&PoissonQueueExperiment::arrive>(this));
  }

  void end_warmup(std::uint64_t /*unused*/) { node_.reset_stats(sim_.now()); }

  void served(std::uint64_t job) {
    const Time arrived = static_cast<Time>(job / 2);
    if (arrived < warmup_end_) return;
    const std::size_t batch = static_cast<std::size_t>(served_counted_ / batch_size_);
    ++served_counted_;
    sojourn_sum_[batch] += static_cast<double>(sim_.now() - arrived);
    waited_[batch] += job % 2;
    ++count_[batch];
  }

  template <class T>
  Estimate batch_estimate(const std::vector<T>& sums, double scale) const {
    double total = 0, n = 0;
    std::vector<double> means;
    for (int b = 0; b < kBatches; ++b) {
      if (count_[b] == 0) continue;
      total += static_cast<double>(sums[b]);
      n += static_cast<double>(count_[b]);
      means.push_back(static_cast<double>(sums[b]) / static_cast<double>(count_[b]) * scale);
    }
    Estimate e;
    e.mean = total / n * scale;
    double var = 0;
    for (double m : means) var += (m - e.mean) * (m - e.mean);
    const double k = static_cast<double>(means.size());
    e.standard_error = std::sqrt(var / (k - 1) / k);
    return e;
  }

  Simulation sim_;
  Distribution interarrival_;
  RandomStream arrivals_;
  Node node_;
  Time warmup_end_;
  std::uint64_t customers_;
  std::uint64_t batch_size_;
  std::uint64_t arrived_counted_ = 0;
  std::uint64_t served_counted_ = 0;
  std::uint64_t rejected_ = 0;
  double utilization_ = 0;
  double mean_queue_ = 0;
  std::vector<double> sojourn_sum_;
  std::vector<std::uint64_t> waited_;
  std::vector<std::uint64_t> count_;
};

// Erlang C: the probability that an arrival waits in M/M/c with offered load a = lambda / mu < c.
double erlang_c(std::uint32_t c, double a) {
  double term = 1, below = 0;  // term = a^k / k!
  for (std::uint32_t k = 0; k < c; ++k) {
    below += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);
  return top / (below + top);
}

// Customers for a relative standard error `s` (Whitt's M/M/1 plan, floored at 1 M; see the top).
std::uint64_t customers_for(double rho, double s) {
  const double n = 2 * (1 + rho) / ((1 - rho) * (1 - rho) * s * s);
  return std::max<std::uint64_t>(1'000'000, static_cast<std::uint64_t>(std::ceil(n)));
}

// With SHARDSIM_VALIDATION_TABLE set, prints one row of docs/validation.md's table.
void table_row(const std::string& check, const std::string& params, double sim, double ref, double se) {
  if (std::getenv("SHARDSIM_VALIDATION_TABLE") == nullptr) return;
  std::printf("| %s | %s | %.5g | %.5g | %+.2f%% | %.2f%% |\n", check.c_str(), params.c_str(), sim, ref,
              100 * (sim - ref) / ref, 100 * se / ref);
}

void check_mmc(std::uint32_t c, double rho, double tolerance, std::uint64_t seed) {
  const double mu = 1 / kServiceMs, lambda = rho * c * mu, a = lambda / mu;
  const std::uint64_t customers = customers_for(rho, tolerance / 3);
  PoissonQueueExperiment experiment(c, lambda, customers, seed);
  experiment.run();

  const double wait_ref = erlang_c(c, a);
  const double sojourn_ref = wait_ref / (c * mu - lambda) + 1 / mu;
  const auto sojourn = experiment.sojourn_ms();
  const auto wait = experiment.wait_probability();
  const std::string params = "c=" + std::to_string(c) + ", rho=" + std::to_string(rho).substr(0, 4) +
                             ", n=" + std::to_string(customers);
  table_row("M/M/c mean sojourn (ms)", params, sojourn.mean, sojourn_ref, sojourn.standard_error);
  table_row("M/M/c P(wait > 0), Erlang C", params, wait.mean, wait_ref, wait.standard_error);

  INFO("c " << c << ", rho " << rho << ", customers " << customers << ": sojourn " << sojourn.mean
            << " ms (SE " << sojourn.standard_error << ") vs " << sojourn_ref << "; P(wait) " << wait.mean
            << " (SE " << wait.standard_error << ") vs " << wait_ref);
  CHECK(experiment.rejected() == 0);
  CHECK(experiment.counted() == customers);
  CHECK(sojourn.mean == Approx(sojourn_ref).epsilon(tolerance));
  CHECK(wait.mean == Approx(wait_ref).epsilon(tolerance));
  CHECK(sojourn.standard_error < tolerance * sojourn_ref / 3 * 1.5);
  CHECK(wait.standard_error < tolerance * wait_ref / 3 * 1.5);

  // The node's own time-weighted statistics: utilization rho and mean number waiting (not in
  // service) Lq = C rho / (1 - rho). Lq = lambda Wq (Little), so its standard error is about lambda
  // times that of the mean sojourn, which relative to Lq is larger (1.8% at rho = 0.5): the tolerance is
  // the larger of `tolerance` and four standard errors.
  const double queue_ref = wait_ref * rho / (1 - rho);
  table_row("M/M/c Node::utilization()", params, experiment.utilization(), rho, 0);
  const double queue_se = lambda * sojourn.standard_error;
  table_row("M/M/c Node::mean_queue()", params, experiment.mean_queue(), queue_ref, queue_se);
  CHECK(experiment.utilization() == Approx(rho).epsilon(tolerance));
  CHECK(std::abs(experiment.mean_queue() - queue_ref) < std::max(tolerance * queue_ref, 4 * queue_se));
}

}  // namespace

TEST_CASE("Erlang C formula matches its textbook values", "[validation][node]") {
  // Kleinrock / standard tables: C(2, 1) = 1/3, C(4, 3.2) = 0.5964.
  CHECK(erlang_c(2, 1.0) == Approx(1.0 / 3));
  CHECK(erlang_c(1, 0.7) == Approx(0.7));  // M/M/1: C = rho
  CHECK(erlang_c(4, 3.2) == Approx(0.59643).epsilon(1e-4));
}

TEST_CASE("M/M/4 node: mean sojourn and P(wait) match Erlang C", "[validation][node]") {
  SECTION("rho = 0.5") {
    check_mmc(4, 0.5, 0.02, 201);
  }
  SECTION("rho = 0.8") {
    check_mmc(4, 0.8, 0.02, 202);
  }
  // As for M/M/1: 2% at rho = 0.9 takes 8.6 M customers, the [.long] case; by default 4%.
  SECTION("rho = 0.9, 4%") {
    check_mmc(4, 0.9, 0.04, 203);
  }
}

TEST_CASE("M/M/4 node at rho = 0.9 within 2% (long run)", "[validation][node][.long]") {
  check_mmc(4, 0.9, 0.02, 204);
}
