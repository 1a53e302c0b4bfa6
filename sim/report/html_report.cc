#include "shardsim/report/html_report.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "report/html/assets.h"
#include "shardsim/report/atomic_file.h"
#include "shardsim/util/markup_escape.h"

namespace shardsim {

namespace {

using nlohmann::json;

// Splits `text` at `separator`; a trailing separator gives no empty last piece (the CSV's final
// newline), and a "\r" before a newline is dropped (a file saved on Windows).
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    if (separator == '\n' && piece.ends_with('\r')) piece.remove_suffix(1);
    pieces.push_back(piece);
    start = end + 1;
  }
  return pieces;
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

json timeseries_json(const TimeSeriesColumns* timeseries) {
  if (timeseries == nullptr || timeseries->rows() == 0) return nullptr;
  // NaN cells are dumped as null, which the charts draw as gaps.
  return json{{"columns", timeseries->names}, {"values", timeseries->values}};
}

std::string page_title(const json& report) {
  const json& scenario = report.value("scenario", json::object());
  return fmt::format("shardsim report: {} (seed {})", scenario.value("name", std::string("?")),
                     scenario.contains("seed") ? scenario["seed"].dump() : "?");
}

// The browser itself enforces "nothing from the network": only the inlined scripts and styles may
// run, and images only from data: URLs. A stray fetch fails (and logs), instead of phoning home.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

}  // namespace

TimeSeriesColumns parse_timeseries_csv(std::string_view csv) {
  const std::vector<std::string_view> lines = split(csv, '\n');
  TimeSeriesColumns out;
  if (lines.empty()) return out;
  for (std::string_view name : split(lines[0], ',')) out.names.emplace_back(name);
  out.values.resize(out.names.size());
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const std::vector<std::string_view> cells = split(lines[i], ',');
    if (cells.size() != out.names.size()) {
      throw std::runtime_error(fmt::format("timeseries.csv line {}: {} cells, the header has {} columns",
                                           i + 1, cells.size(), out.names.size()));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) out.values[c].push_back(parse_cell(cells[c], i + 1));
  }
  return out;
}

std::string json_for_script_element(const json& data) {
  const std::string text = data.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 64);
  for (std::size_t i = 0; i < text.size(); ++i) {
    // '<' appears only inside JSON strings, where both escapes are valid.
    if (text[i] == '<' && text.compare(i, 2, "</") == 0) {
      out += "<\\/";
      ++i;
    } else if (text[i] == '<' && text.compare(i, 4, "<!--") == 0) {
      out += "<\\u0021--";
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string render_html_report(const json& report, const TimeSeriesColumns* timeseries) {
  const json data{{"report", report}, {"timeseries", timeseries_json(timeseries)}};
  std::string page;
  page += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page +=
      fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", kContentSecurityPolicy);
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += fmt::format("<meta name=\"generator\" content=\"shardsim {}\">\n",
                      markup_escaped(report.value("simulator_version", std::string("?"))));
  page += "<title>" + markup_escaped(page_title(report)) + "</title>\n";
  page += "<style>\n" + std::string(html_assets::uplot_css()) + "\n</style>\n";
  page += "<style>\n" + std::string(html_assets::page_css()) + "\n</style>\n</head>\n<body>\n";
  page +=
      "<noscript><p>This report draws its tables and charts with JavaScript, which is off in this "
      "browser. The figures are in report.json (<code>shardsim run --out DIR</code>).</p></noscript>\n";
  page += "<main id=\"report\"></main>\n";
  page +=
      "<script type=\"application/json\" id=\"report-data\">" + json_for_script_element(data) + "</script>\n";
  page += "<script>\n" + std::string(html_assets::uplot_js()) + "\n</script>\n";
  page += "<script>\n" + std::string(html_assets::page_js()) + "\n</script>\n</body>\n</html>\n";
  return page;
}

void write_html_report(const std::string& path, const json& report, const TimeSeriesColumns* timeseries) {
  write_file_atomically(path, render_html_report(report, timeseries));
}

}  // namespace shardsim
