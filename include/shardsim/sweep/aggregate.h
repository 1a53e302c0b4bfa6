// Aggregating a sweep's reports: per point and metric, the mean, the sample standard deviation and
// a 95% confidence interval of the mean from Student's t, written as a tidy CSV, as JSON, and as a
// table for the terminal. Output depends only on the spec and the reports (no clock, no order of
// completion), so a local sweep, any -j, and a merge of separately run indices agree byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/sweep/sweep.h"

namespace shardsim::sweep {

struct Summary {
  std::uint64_t n = 0;
  std::optional<double> mean;    // n >= 1
  std::optional<double> stddev;  // n >= 2 (sample: divides by n - 1)
  std::optional<double> ci95_low;
  std::optional<double> ci95_high;  // mean -+ t(0.975, n-1) * stddev / sqrt(n); n >= 2
};

Summary summarize(const std::vector<double>& values);

struct Row {
  std::uint64_t point = 0;
  std::string metric;
  Summary summary;
};

struct SweepTable {
  SweepSpec spec;
  std::vector<Row> rows;  // point-major, metrics in spec order
  // "metric M is missing or not a number in run N" (such values are left out of n); sorted by run.
  std::vector<std::string> warnings;
};

// `reports[i]` is run i's report.json. A metric's value is a number, or a boolean (1 or 0).
SweepTable aggregate(const SweepSpec& spec, const std::vector<nlohmann::json>& reports);

std::string render_csv(const SweepTable& table);
std::string render_json(const SweepTable& table);
// Columns: point, parameters, metric, n, mean, +-95% half-width.
std::string render_text(const SweepTable& table);

// Writes DIR/sweep.csv and DIR/sweep.json atomically (creates DIR).
void write_table(const std::string& directory, const SweepTable& table);

}  // namespace shardsim::sweep
