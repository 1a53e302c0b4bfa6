#include "shardsim/report/html_report.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "report/html/assets.h"
#include "shardsim/report/atomic_file.h"
#include "shardsim/report/timeseries_downsample.h"

namespace shardsim {

namespace {

using nlohmann::json;

// Splits `text` into lines; a trailing newline gives no empty last line, and a "\r" before a
// newline is dropped (a file saved on Windows).
std::vector<std::string_view> split_lines(std::string_view text) {
  const char separator = '\n';
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    if (piece.ends_with('\r')) piece.remove_suffix(1);
    pieces.push_back(piece);
    start = end + 1;
  }
  return pieces;
}

// The cells of a CSV row: every comma ends one, so "1," is two cells, the last empty (an
// interval that answered no operation of the last column's kind).
std::vector<std::string_view> split_cells(std::string_view row) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  for (std::size_t comma = row.find(','); comma != std::string_view::npos; comma = row.find(',', start)) {
    cells.push_back(row.substr(start, comma - start));
    start = comma + 1;
  }
  cells.push_back(row.substr(start));
  return cells;
}

double parse_cell(std::string_view cell, std::size_t line) {
  if (cell.empty()) return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (error != std::errc() || end != cell.data() + cell.size()) {
    throw std::runtime_error(fmt::format("timeseries.csv line {}: '{}' is not a number", line, cell));
  }
  return value;
}

// The series as the page gets it: at most kHtmlMaxPointsPerSeries rows, and how it was cut down
// (the page says so on every time chart).
json timeseries_json(const TimeSeriesColumns* timeseries) {
  if (timeseries == nullptr || timeseries->rows() == 0) return nullptr;
  const DownsampledSeries shown = downsample_min_max(*timeseries, kHtmlMaxPointsPerSeries);
  // NaN cells are dumped as null, which the charts draw as gaps.
  json data{{"columns", shown.columns.names}, {"values", shown.columns.values}};
  if (shown.bucket_rows > 1) {
    data["downsampled"] = {{"source_rows", shown.source_rows},
                           {"bucket_rows", shown.bucket_rows},
                           {"max_points", kHtmlMaxPointsPerSeries}};
  }
  return data;
}

std::string page_title(const json& report) {
  const json& scenario = report.value("scenario", json::object());
  return fmt::format("shardsim report: {} (seed {})", scenario.value("name", std::string("?")),
                     scenario.contains("seed") ? scenario["seed"].dump() : "?");
}

}  // namespace

TimeSeriesColumns parse_timeseries_csv(std::string_view csv) {
  const std::vector<std::string_view> lines = split_lines(csv);
  TimeSeriesColumns out;
  if (lines.empty()) return out;
  for (std::string_view name : split_cells(lines[0])) out.names.emplace_back(name);
  out.values.resize(out.names.size());
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const std::vector<std::string_view> cells = split_cells(lines[i]);
    if (cells.size() != out.names.size()) {
      throw std::runtime_error(fmt::format("timeseries.csv line {}: {} cells, the header has {} columns",
                                           i + 1, cells.size(), out.names.size()));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) out.values[c].push_back(parse_cell(cells[c], i + 1));
  }
  return out;
}

std::string render_html_report(const json& report, const TimeSeriesColumns* timeseries) {
  const json data{{"report", report}, {"timeseries", timeseries_json(timeseries)}};
  return render_html_page({.title = page_title(report),
                           .generator = report.value("simulator_version", std::string("?")),
                           .noscript =
                               "This report draws its tables and charts with JavaScript, which is off "
                               "in this browser. The figures are in report.json (shardsim run --out DIR).",
                           .data_json = json_for_script_element(data),
                           .script = html_assets::run_report_js()});
}

void write_html_report(const std::string& path, const json& report, const TimeSeriesColumns* timeseries) {
  write_file_atomically(path, render_html_report(report, timeseries));
}

}  // namespace shardsim
