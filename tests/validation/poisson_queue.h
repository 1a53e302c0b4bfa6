// A single shardsim::Node fed by Poisson arrivals, measured the way queueing theory states its
// results: the experiment behind the M/M/1 and M/M/c validation tests (mm1_test.cc, mmc_test.cc).
// Run lengths, warm-up and the batch-means standard error are explained at the top of mm1_test.cc.
#pragma once

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

namespace shardsim::validation {

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

// With SHARDSIM_VALIDATION_TABLE set, prints one row of docs/validation.md's table.
inline void table_row(const std::string& check, const std::string& params, double sim, double ref,
                      double se) {
  if (std::getenv("SHARDSIM_VALIDATION_TABLE") == nullptr) return;
  std::printf("| %s | %s | %.5g | %.5g | %+.2f%% | %.2f%% |\n", check.c_str(), params.c_str(), sim, ref,
              100 * (sim - ref) / ref, 100 * se / ref);
}

}  // namespace shardsim::validation
