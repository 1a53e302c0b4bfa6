// The files of one run that appear together or not at all (report.json, scenario.effective.json,
// timeseries.csv, the trace).
//
// Every file is first written to its own temporary and finished (synced and closed); only when all
// of them are complete are they renamed into place, one after the other. A write error (a full
// disk), an exception or an interrupt before that point leaves every target as it was: the
// previous run's set, whole, or nothing. What can still split a set is a failure between two
// renames, which need no space and happen in microseconds.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/report/atomic_file.h"

namespace shardsim {

class OutputSet {
 public:
  // A file of the set with this whole content. Throws std::runtime_error when it cannot be created.
  void add(const std::string& path, std::string_view content);
  // A file streamed elsewhere (the time series, the trace): the set finishes and publishes it, and
  // `stream` must outlive commit().
  void include(AtomicFileStream& stream) { streams_.push_back(&stream); }

  // Finishes every file, then publishes them all. Throws std::runtime_error on failure; a failure
  // while finishing leaves every target untouched (the temporaries are removed).
  void commit();

 private:
  std::vector<std::unique_ptr<AtomicFileStream>> owned_;
  std::vector<AtomicFileStream*> streams_;  // in the order they go into place
};

}  // namespace shardsim
