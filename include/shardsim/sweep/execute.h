// Running a sweep's runs on local worker threads, and the per-run files of an output directory:
//   OUT/sweep.spec.json     the spec (written first; a rerun with a different spec is refused)
//   OUT/run-<N>/report.json run N's report, written atomically when the run completes
// A rerun with the same OUT skips every run whose report.json exists (resume).
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

std::string run_report_path(const std::string& out_dir, std::uint64_t index);

// Writes OUT/sweep.spec.json, or checks that the one there is the same spec. Throws SweepError.
void claim_output_directory(const std::string& out_dir, const SweepSpec& spec);

// Reads OUT/sweep.spec.json. Throws SweepError.
SweepSpec read_output_spec(const std::string& out_dir);

// Run `index`'s report if OUT/run-<index>/report.json exists (throws SweepError if unreadable).
std::optional<nlohmann::json> read_run_report(const std::string& out_dir, std::uint64_t index);

struct ExecuteOptions {
  unsigned jobs = 1;                // worker threads
  std::string out_dir;              // empty: keep reports in memory only (no resume)
  std::vector<std::uint64_t> only;  // run only these indices (empty: all)
  const std::atomic<bool>* interrupt = nullptr;
  // Called after each completed run, from a worker thread, one call at a time.
  std::function<void(std::uint64_t done, std::uint64_t total, std::uint64_t reused)> on_progress;
};

struct ExecuteResult {
  std::vector<nlohmann::json> reports;  // by run index (null for runs not run)
  std::uint64_t ran = 0;
  std::uint64_t reused = 0;
  bool interrupted = false;
  std::vector<std::uint64_t> failed_invariants;  // runs whose invariants.ok is false, sorted
};

// Loads the base scenario at the selected runs' points first (a bad parameter fails before anything runs;
// throws SweepError listing the issues), then runs the runs on `jobs` threads, each on its own
// Scenario copy. Results are collected by index and do not depend on `jobs`.
ExecuteResult execute(const SweepSpec& spec, const ExecuteOptions& options);

// Checks the sweep's metrics (and its "find" metric) against the report its runs can have, before
// any run: the sections and keys of a report of a short run of the first point. Past an array
// (failover records, curves) and in the fields of a latency distribution that had no sample yet,
// nothing is checked (those depend on what happens in the run). Throws SweepError naming every
// metric that no report has, with the nearest key at the level where it went wrong.
void check_metrics(const SweepSpec& spec);

}  // namespace shardsim::sweep
