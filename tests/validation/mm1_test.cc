// Validation: a shardsim::Node with one server and exponential service, fed by Poisson arrivals,
// is an M/M/1 queue. Its mean response time (sojourn) must match 1 / (mu - lambda) and the share
// of arrivals that wait must match rho (PASTA: arrivals see the time-average busy probability).
//
// Run lengths. Whitt, "Planning queueing simulations" (Management Science 35(11), 1989) gives the
// asymptotic variance of the time-average number in an M/M/1 system as 2 rho (1 + rho) / (1 - rho)^4
// (time in mean service times). Divided by the squared mean rho / (1 - rho) and with n = lambda t
// customers, the relative variance of the estimate is about 2 (1 + rho) / ((1 - rho)^2 n); by
// Little's law the customer-average sojourn has the same relative precision to first order. For a
// relative standard error s we therefore need n = 2 (1 + rho) / ((1 - rho)^2 s^2) customers. The
// runs aim at s = tolerance / 3: 0.27 M and 2.0 M customers at rho = 0.5 and 0.8 (2%); 8.6 M at
// rho = 0.9 for 2%, which is the hidden "[.long]" case (2 s in Release, 7-10 s under ASan), while
// the default case at rho = 0.9 runs 2.1 M customers against an honest 4%. The test also measures the
// standard error by batch means (32 batches) and asserts it is below a third of the tolerance, so a run that
// is too short fails instead of passing by luck.
//
// Warm-up: the queue starts empty; customers arriving in the first 10,000 mean service times are
// not counted (the relaxation time of M/M/1 is 1 / (mu (1 - sqrt(rho))^2), 380 service times at
// rho = 0.9, so this is over 25 relaxation times). After the last counted arrival the source stops
// and the queue drains, so every counted customer's sojourn is recorded (no end-of-run censoring).
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

// Customers needed for a relative standard error `s` of the M/M/1 mean sojourn (see the top).
std::uint64_t mm1_customers_for(double rho, double s) {
  return static_cast<std::uint64_t>(std::ceil(2 * (1 + rho) / ((1 - rho) * (1 - rho) * s * s)));
}

// With SHARDSIM_VALIDATION_TABLE set, prints one row of docs/validation.md's table.
void table_row(const std::string& check, const std::string& params, double sim, double ref, double se) {
  if (std::getenv("SHARDSIM_VALIDATION_TABLE") == nullptr) return;
  std::printf("| %s | %s | %.5g | %.5g | %+.2f%% | %.2f%% |\n", check.c_str(), params.c_str(), sim, ref,
              100 * (sim - ref) / ref, 100 * se / ref);
}

void check_mm1(double rho, double tolerance, std::uint64_t seed) {
  const double mu = 1 / kServiceMs, lambda = rho * mu;
  const std::uint64_t customers = mm1_customers_for(rho, tolerance / 3);
  PoissonQueueExperiment experiment(1, lambda, customers, seed);
  experiment.run();

  const double sojourn_ref = 1 / (mu - lambda);
  const auto sojourn = experiment.sojourn_ms();
  const auto wait = experiment.wait_probability();
  const std::string params = "rho=" + std::to_string(rho).substr(0, 4) + ", n=" + std::to_string(customers);
  table_row("M/M/1 mean sojourn (ms)", params, sojourn.mean, sojourn_ref, sojourn.standard_error);
  table_row("M/M/1 P(wait > 0)", params, wait.mean, rho, wait.standard_error);

  INFO("rho " << rho << ", customers " << customers << ": sojourn " << sojourn.mean << " ms (SE "
              << sojourn.standard_error << ") vs " << sojourn_ref << "; P(wait) " << wait.mean << " (SE "
              << wait.standard_error << ") vs " << rho);
  CHECK(experiment.rejected() == 0);
  CHECK(experiment.counted() == customers);
  CHECK(sojourn.mean == Approx(sojourn_ref).epsilon(tolerance));
  CHECK(wait.mean == Approx(rho).epsilon(tolerance));
  // The run is long enough: the tolerance is at least three standard errors.
  CHECK(sojourn.standard_error < tolerance * sojourn_ref / 3 * 1.5);  // 1.5: slack for the SE's own noise
  CHECK(wait.standard_error < tolerance * rho / 3 * 1.5);

  // The node's own time-weighted statistics: utilization rho and mean number waiting (not in
  // service) Lq = rho^2 / (1 - rho). Lq = lambda Wq (Little), so its standard error is about lambda
  // times that of the mean sojourn, which relative to Lq is larger (1.2% at rho = 0.5): the tolerance is
  // the larger of `tolerance` and four standard errors.
  const double queue_ref = rho * rho / (1 - rho);
  table_row("M/M/1 Node::utilization()", params, experiment.utilization(), rho, 0);
  const double queue_se = lambda * sojourn.standard_error;
  table_row("M/M/1 Node::mean_queue()", params, experiment.mean_queue(), queue_ref, queue_se);
  CHECK(experiment.utilization() == Approx(rho).epsilon(tolerance));
  CHECK(std::abs(experiment.mean_queue() - queue_ref) < std::max(tolerance * queue_ref, 4 * queue_se));
}

}  // namespace

TEST_CASE("M/M/1 node: mean sojourn is 1/(mu - lambda) and P(wait) is rho", "[validation][node]") {
  SECTION("rho = 0.5") {
    check_mm1(0.5, 0.02, 101);
  }
  SECTION("rho = 0.8") {
    check_mm1(0.8, 0.02, 102);
  }
  // 2% at rho = 0.9 needs 8.6 M customers (the [.long] case below); the default run uses 2.1 M and
  // an honest 4% (three standard errors), to keep the suite fast under the sanitizers.
  SECTION("rho = 0.9, 4%") {
    check_mm1(0.9, 0.04, 103);
  }
}

TEST_CASE("M/M/1 node at rho = 0.9 within 2% (long run)", "[validation][node][.long]") {
  check_mm1(0.9, 0.02, 104);
}
