// Per point and metric statistics of a sweep, and their CSV, JSON and text renderings.
#include "shardsim/sweep/aggregate.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>
#include <boost/math/distributions/students_t.hpp>

#include "shardsim/report/atomic_file.h"
#include "shardsim/report/metric_at.h"

namespace shardsim::sweep {

namespace {

// Shortest text that reads back to the same double: deterministic and lossless.
std::string number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : "";
}

nlohmann::ordered_json number_json(const std::optional<double>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

// A parameter value as a CSV/table cell: strings without JSON quotes.
std::string cell(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string csv_field(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

Summary summarize(const std::vector<double>& values) {
  Summary s;
  s.n = values.size();
  if (s.n == 0) return s;
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(s.n);
  s.mean = mean;
  if (s.n < 2) return s;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double sd = std::sqrt(squares / static_cast<double>(s.n - 1));
  s.stddev = sd;
  const boost::math::students_t t(static_cast<double>(s.n - 1));
  const double half = boost::math::quantile(t, 0.975) * sd / std::sqrt(static_cast<double>(s.n));
  s.ci95_low = mean - half;
  s.ci95_high = mean + half;
  return s;
}

SweepTable aggregate(const SweepSpec& spec, const std::vector<nlohmann::json>& reports) {
  SweepTable table;
  table.spec = spec;
  const std::uint64_t points = point_count(spec);
  for (std::uint64_t point = 0; point < points; ++point) {
    for (const std::string& metric : spec.metrics) {
      std::vector<double> values;
      for (std::uint64_t r = 0; r < spec.replications; ++r) {
        const std::uint64_t index = point * spec.replications + r;
        const nlohmann::json* report = index < reports.size() ? &reports[index] : nullptr;
        if (const auto value = report != nullptr ? metric_at(*report, metric) : std::nullopt) {
          values.push_back(value->value);
          continue;
        }
        table.warnings.push_back(
            fmt::format("metric {} is missing or not a number in run {}", metric, index));
      }
      table.rows.push_back(Row{point, metric, summarize(values)});
    }
  }
  return table;
}

std::string render_csv(const SweepTable& table) {
  std::string out = "point";
  for (const Parameter& p : table.spec.parameters) out += "," + csv_field(p.path);
  out += ",metric,n,mean,stddev,ci95_low,ci95_high\n";
  for (const Row& row : table.rows) {
    out += std::to_string(row.point);
    for (const auto& value : point_values(table.spec, row.point)) out += "," + csv_field(cell(value));
    const Summary& s = row.summary;
    out += fmt::format(",{},{},{},{},{},{}\n", csv_field(row.metric), s.n, number(s.mean), number(s.stddev),
                       number(s.ci95_low), number(s.ci95_high));
  }
  return out;
}

std::string render_json(const SweepTable& table) {
  nlohmann::ordered_json document;
  document["format"] = "shardsim-sweep";
  document["version"] = 1;
  document["spec"] = to_json(table.spec);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const Row& row : table.rows) {
    nlohmann::ordered_json parameters = nlohmann::ordered_json::object();
    const auto values = point_values(table.spec, row.point);
    for (std::size_t i = 0; i < values.size(); ++i) {
      parameters[table.spec.parameters[i].path] = nlohmann::ordered_json::parse(values[i].dump());
    }
    const Summary& s = row.summary;
    rows.push_back({{"point", row.point},
                    {"parameters", parameters},
                    {"metric", row.metric},
                    {"n", s.n},
                    {"mean", number_json(s.mean)},
                    {"stddev", number_json(s.stddev)},
                    {"ci95_low", number_json(s.ci95_low)},
                    {"ci95_high", number_json(s.ci95_high)}});
  }
  document["rows"] = rows;
  return document.dump(2) + "\n";
}

// A "+-95%" of 0 over several replications reads like a very precise figure; it means that every
// replication gave the same value, so the interval says nothing. Say so once, under the table.
std::string zero_width_note(const SweepTable& table) {
  std::size_t rows = 0;
  for (const Row& row : table.rows) {
    const Summary& s = row.summary;
    if (s.n >= 2 && s.mean && s.ci95_high && *s.ci95_high == *s.mean) ++rows;
  }
  if (rows == 0) return "";
  return fmt::format(
      "note: +-95% is 0 in {} row{}: every replication gave the same value (the seed does not move the "
      "metric there, as under constant distributions, or it stayed at a bound such as 0), so the "
      "interval says nothing about its precision\n",
      rows, rows == 1 ? "" : "s");
}

std::string render_text(const SweepTable& table) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header{"point"};
  for (const Parameter& p : table.spec.parameters) header.push_back(p.path);
  for (const char* h : {"metric", "n", "mean", "+-95%"}) header.emplace_back(h);
  cells.push_back(header);
  for (const Row& row : table.rows) {
    std::vector<std::string> line{std::to_string(row.point)};
    for (const auto& value : point_values(table.spec, row.point)) line.push_back(cell(value));
    const Summary& s = row.summary;
    line.push_back(row.metric);
    line.push_back(std::to_string(s.n));
    line.push_back(s.mean ? fmt::format("{:.4g}", *s.mean) : "-");
    line.push_back(s.ci95_high ? fmt::format("{:.3g}", *s.ci95_high - *s.mean) : "-");
    cells.push_back(line);
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& line : cells) {
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  const std::size_t metric_column = 1 + table.spec.parameters.size();
  std::string out;
  for (const auto& line : cells) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      // Text columns (parameters' values may be strings, and the metric) left, numbers right.
      const bool left = i == metric_column;
      text += left ? fmt::format("{:<{}}", line[i], widths[i]) : fmt::format("{:>{}}", line[i], widths[i]);
      if (i + 1 < line.size()) text += "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  }
  out += zero_width_note(table);
  return out;
}

void write_table(const std::string& directory, const SweepTable& table) {
  std::filesystem::create_directories(directory);
  write_file_atomically(directory + "/sweep.csv", render_csv(table));
  write_file_atomically(directory + "/sweep.json", render_json(table));
}

}  // namespace shardsim::sweep
