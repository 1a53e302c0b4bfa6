// timeseries.csv: one row per sample interval over the whole run (warm-up included, so a planner
// sees the system settle): per geo the answered throughput, the read p99 of the interval and the
// slaves' fresh share; per replica its lag (how old the oldest write it has not applied is); per
// node its queue length; and how many failures are active.
//
// Rows go straight to a temporary file next to the target (memory does not grow with the simulated
// duration), which the caller puts into place with the run's other outputs (OutputSet) or drops
// (an interrupted run).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/report/atomic_file.h"

namespace shardsim {

class Topology;

class TimeSeriesWriter {
 public:
  // Writes the rows to `file`, which must outlive the writer. `failures_active` tells how many
  // injected failures are in force now.
  TimeSeriesWriter(Topology& topology, AtomicFileStream& file, std::function<int()> failures_active);
  TimeSeriesWriter(const TimeSeriesWriter&) = delete;
  TimeSeriesWriter& operator=(const TimeSeriesWriter&) = delete;

  // Appends the row for the interval ending now, and resets the interval statistics.
  void sample();

 private:
  void write_header();

  Topology& t_;
  AtomicFileStream& file_;
  std::function<int()> failures_active_;
  Time last_sample_ = 0;
  std::string row_;  // reused buffer
};

}  // namespace shardsim
