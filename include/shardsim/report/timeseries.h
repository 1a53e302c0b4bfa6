// timeseries.csv: one row per sample interval over the whole run (warm-up included, so a planner
// sees the system settle): per geo the answered throughput, the read p99 of the interval and the
// slaves' fresh share; per replica its lag (how old the oldest write it has not applied is); per
// node its queue length; how many failures are active; then (appended, so older readers keep
// their column positions) per geo the p50 and p99 of each answered operation (read hit, read miss,
// sync write, async write ack), empty for an interval that answered none.
//
// Rows go straight to a temporary file next to the target (memory does not grow with the simulated
// duration), which the caller puts into place with the run's other outputs (OutputSet) or drops
// (an interrupted run); and, for the HTML report of `run --html`, to a copy in memory (which does
// grow with the run: about 10 bytes per column per sample).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/report/atomic_file.h"

namespace shardsim {

class Topology;

// Where the rows go: either or both may be set, and must outlive the writer.
struct TimeSeriesSinks {
  AtomicFileStream* file = nullptr;
  std::string* text = nullptr;
};

class TimeSeriesWriter {
 public:
  // `failures_active` tells how many injected failures are in force now.
  TimeSeriesWriter(Topology& topology, TimeSeriesSinks sinks, std::function<int()> failures_active);
  TimeSeriesWriter(const TimeSeriesWriter&) = delete;
  TimeSeriesWriter& operator=(const TimeSeriesWriter&) = delete;

  // Appends the row for the interval ending now, and resets the interval statistics.
  void sample();

 private:
  void write_header();
  void emit(const std::string& row);

  Topology& t_;
  TimeSeriesSinks sinks_;
  std::function<int()> failures_active_;
  Time last_sample_ = 0;
  std::string row_;  // reused buffer
};

}  // namespace shardsim
