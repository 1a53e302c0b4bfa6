// The single-file HTML report of a run (`shardsim run --html FILE`, `shardsim report DIR`): one
// page that opens offline (html_page.h), with the run's data embedded as JSON. The page script
// (sim/report/html/report.js) draws every section from that data in the browser;
// docs/html-report.md describes the sections and why uPlot.
//
// The page is a pure function of its inputs: the same report and time series give the same bytes
// (no timestamp, no path, no random id), so a report can be diffed and cached like any output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/report/html_page.h"

namespace shardsim {

// timeseries.csv as columns, the shape the page's charts take: names[i] heads values[i], and every
// column has one value per row. An empty cell is NaN (a gap in the chart).
struct TimeSeriesColumns {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;

  std::size_t rows() const { return values.empty() ? 0 : values.front().size(); }
};

// Parses the text of a timeseries.csv (TimeSeriesWriter's format: a header row, then numbers).
// Throws std::runtime_error naming the line on a row of the wrong width or a cell that is not a
// number.
TimeSeriesColumns parse_timeseries_csv(std::string_view csv);

// The whole page for `report` (a report.json, whose scenario.effective draws the topology) and
// its time series (null: the run has none, and the time charts say so).
std::string render_html_report(const nlohmann::json& report, const TimeSeriesColumns* timeseries);

// render_html_report written to `path` atomically (write_file_atomically: the old file or the
// whole new one, never half a page). Throws std::runtime_error on failure.
void write_html_report(const std::string& path, const nlohmann::json& report,
                       const TimeSeriesColumns* timeseries);

}  // namespace shardsim
