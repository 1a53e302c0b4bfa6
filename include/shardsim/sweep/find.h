// `shardsim sweep FILE --find`: the boundary a planner asks for, found by bisection with a stated
// confidence. "The highest India request rate at which the mean read-miss p99 stays at most 50 ms",
// "the fewest slaves per geo that keep the fresh share's minimum at least 0.8".
//
// Each probe runs the base scenario (with the file's "set") at one value of the searched
// parameter, `replications` times with seeds seed, seed+1, ... (the same seeds at every probe:
// common random numbers). From the metric's n values it takes the mean and the one-sided Student-t
// bound at `confidence`:
//   at_most:  meets when mean + t(c, n-1) s/sqrt(n) <= bound; fails when mean - t s/sqrt(n) > bound
//   at_least: meets when mean - t s/sqrt(n) >= bound;  fails when mean + t s/sqrt(n) < bound
// Between the two the probe is unclear: it doubles its replications (new seeds, up to
// max_replications) and decides again; still unclear, it counts as not meeting (a conservative
// answer). Bisection assumes the condition is monotone in the parameter: it holds below the
// boundary and not above ("highest"), or the reverse ("lowest").
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/sweep/sweep.h"

namespace shardsim::sweep {

struct Probe {
  enum class Verdict { kMeets, kFails, kUnclear };
  double value = 0;
  std::vector<double> samples;  // the metric, one per replication
  double mean = 0;
  double half_width = 0;  // t(confidence, n-1) * s / sqrt(n); 0 when every sample is equal
  Verdict verdict = Verdict::kUnclear;
  bool meets() const { return verdict == Verdict::kMeets; }
};
const char* verdict_name(Probe::Verdict verdict);

// Decides a probe from its samples (n >= 2), without running anything: the statistical core.
Probe judge(const FindSpec& find, double value, std::vector<double> samples);

struct FindResult {
  std::vector<Probe> probes;     // in the order they ran
  std::optional<double> answer;  // the value found; none when no probed value meets the condition
  std::optional<double> beyond;  // the nearest probed value on the other side (none: the range's end meets)
  std::string conclusion;        // one or two sentences for a planner
  bool interrupted = false;
  std::vector<std::string> failed_invariants;  // "value V, replication R"
};

struct FindOptions {
  unsigned jobs = 1;  // a probe's replications run in parallel
  const std::atomic<bool>* interrupt = nullptr;
  std::function<void(const Probe&)> on_probe;  // after each probe is decided
};

// Runs the search of `spec.find` (which must be set). Throws SweepError on a bad scenario value or
// a metric missing from the reports.
FindResult find_boundary(const SweepSpec& spec, const FindOptions& options);

std::string render_find_text(const SweepSpec& spec, const FindResult& result);
nlohmann::ordered_json find_to_json(const SweepSpec& spec, const FindResult& result);

}  // namespace shardsim::sweep
