// Runs one scenario: builds the topology, runs the warm-up, then the measured window, and returns
// the report as JSON (deterministic: same scenario and seed, same bytes).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "shardsim/report/atomic_file.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class EventTrace;

struct RunProgress {
  Time simulated = 0;
  Time end = 0;
  std::uint64_t events = 0;
};

struct RunOptions {
  // Set asynchronously (Ctrl-C): the run stops at the next slice and reports itself interrupted.
  const std::atomic<bool>* interrupt = nullptr;
  // Called between slices of simulated time (progress line).
  std::function<void(const RunProgress&)> on_progress;
  // Where to write timeseries.csv (empty: not written): see RunResult::timeseries.
  std::string timeseries_path;
  // Also keep the time series' text in memory (RunResult::timeseries_csv), for the HTML report.
  bool timeseries_text = false;
  // The event trace (null: none). The run writes to it; the caller commits it once the run is done.
  EventTrace* trace = nullptr;
};

struct RunResult {
  nlohmann::json report;
  bool interrupted = false;
  std::uint64_t events = 0;
  // A run that completed with a timeseries_path: the time series, written but not yet in place
  // (the caller publishes it with the other outputs). Null otherwise; an interrupted run's is gone.
  std::unique_ptr<AtomicFileStream> timeseries;
  // A run that completed with timeseries_text: the same rows as timeseries.csv. Empty otherwise.
  std::string timeseries_csv;
};

RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace shardsim
