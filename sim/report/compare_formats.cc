#include "shardsim/report/compare_formats.h"

#include <fmt/format.h>

#include "shardsim/util/markup_escape.h"

namespace shardsim {
namespace {

nlohmann::json number_or_null(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The status as a JSON value: lower case ("regressed"), where the table shouts REGRESSED.
std::string status_key(CompareStatus status) {
  std::string key = status_name(status);
  for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return key;
}

std::string shown(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : "absent";
}

void metric_cases(std::string& out, const Comparison& comparison) {
  out += fmt::format("  <testsuite name=\"metrics\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
                     comparison.metrics.size(), comparison.count(CompareStatus::kRegressed),
                     comparison.count(CompareStatus::kMissing));
  for (const MetricComparison& m : comparison.metrics) {
    out += fmt::format("    <testcase classname=\"shardsim.compare\" name=\"{}\"", markup_escaped(m.path));
    const std::string detail = fmt::format("baseline {}, current {}", shown(m.baseline), shown(m.current));
    if (m.status == CompareStatus::kRegressed) {
      out += fmt::format(">\n      <failure message=\"regressed: {}\"/>\n    </testcase>\n",
                         markup_escaped(detail));
    } else if (m.status == CompareStatus::kMissing) {
      out += fmt::format(">\n      <skipped message=\"missing: {}\"/>\n    </testcase>\n",
                         markup_escaped(detail));
    } else {
      out += "/>\n";
    }
  }
  out += "  </testsuite>\n";
}

void slo_cases(std::string& out, const std::vector<SloVerdict>& slos) {
  std::size_t breached = 0;
  for (const SloVerdict& v : slos) breached += v.holds ? 0 : 1;
  out += fmt::format("  <testsuite name=\"slo\" tests=\"{}\" failures=\"{}\">\n", slos.size(), breached);
  for (const SloVerdict& v : slos) {
    out += fmt::format("    <testcase classname=\"shardsim.slo\" name=\"{}\"", markup_escaped(v.slo.metric));
    if (v.holds) {
      out += "/>\n";
    } else {
      out += fmt::format(">\n      <failure message=\"{}\"/>\n    </testcase>\n", markup_escaped(v.text()));
    }
  }
  out += "  </testsuite>\n";
}

}  // namespace

nlohmann::json comparison_json(const Comparison& comparison, const std::vector<SloVerdict>& slos) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const MetricComparison& m : comparison.metrics) {
    metrics.push_back({{"metric", m.path},
                       {"baseline", number_or_null(m.baseline)},
                       {"current", number_or_null(m.current)},
                       {"status", status_key(m.status)}});
  }
  nlohmann::json counts = nlohmann::json::object();
  for (const CompareStatus s :
       {CompareStatus::kOk, CompareStatus::kBetter, CompareStatus::kRegressed, CompareStatus::kMissing})
    counts[status_key(s)] = comparison.count(s);
  return {{"ok", !comparison.regressed() && all_hold(slos)},
          {"counts", counts},
          {"metrics", metrics},
          {"slo", slo_section(slos)}};
}

std::string comparison_junit(const Comparison& comparison, const std::vector<SloVerdict>& slos) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"shardsim compare\">\n";
  metric_cases(out, comparison);
  if (!slos.empty()) slo_cases(out, slos);
  return out + "</testsuites>\n";
}

std::string render_slo_verdicts(const std::vector<SloVerdict>& slos) {
  if (slos.empty()) return "";
  std::size_t holding = 0;
  for (const SloVerdict& v : slos) holding += v.holds ? 1 : 0;
  std::string out =
      fmt::format("SLOs: {} ({} of {} hold)\n", all_hold(slos) ? "met" : "BREACHED", holding, slos.size());
  for (const SloVerdict& v : slos) out += "  " + v.text() + "\n";
  return out;
}

}  // namespace shardsim
