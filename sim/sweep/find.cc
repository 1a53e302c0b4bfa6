#include "shardsim/sweep/find.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/math/distributions/students_t.hpp>

#include "shardsim/report/metric_at.h"
#include "shardsim/sweep/execute.h"

namespace shardsim::sweep {

namespace {

using ojson = nlohmann::ordered_json;

std::uint64_t initial_replications(const SweepSpec& spec) {
  return std::max<std::uint64_t>(2, spec.replications);
}

std::uint64_t replication_limit(const SweepSpec& spec) {
  const FindSpec& find = *spec.find;
  return std::max(initial_replications(spec),
                  find.max_replications > 0 ? find.max_replications : 4 * initial_replications(spec));
}

nlohmann::json value_json(const FindSpec& find, double value) {
  if (find.integer) return static_cast<std::int64_t>(std::llround(value));
  return value;
}

// Shortest exact text: 500, 7003.90625.
std::string show(const FindSpec& find, double value) {
  return find.integer ? std::to_string(std::llround(value)) : fmt::format("{}", value);
}

// A boundary as text, to the tolerance's precision (tolerance 100: whole numbers, 0.05: two
// decimals): the search knows it no better, and 6886.71875 claimed digits it never had. Rounded
// `down` or up, towards the side the value stands for (the answer towards the values that meet).
std::string show_boundary(const FindSpec& find, double value, bool down) {
  if (find.integer || !(find.tolerance > 0)) return show(find, value);
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(find.tolerance) - 1e-9)), 0, 15);
  const double scale = std::pow(10.0, decimals);
  const double rounded = (down ? std::floor(value * scale) : std::ceil(value * scale)) / scale;
  return fmt::format("{:.{}f}", rounded, decimals);
}

// The metric's value in each report (a number, or a boolean as 1/0).
std::vector<double> metric_samples(const FindSpec& find, double value,
                                   const std::vector<nlohmann::json>& reports) {
  std::vector<double> samples;
  for (const nlohmann::json& report : reports) {
    const std::optional<MetricValue> metric = metric_at(report, find.metric);
    if (!metric) {
      throw SweepError(fmt::format("find: the metric {} is missing or not a number in the report at {} = {}",
                                   find.metric, find.paths.front(), show(find, value)));
    }
    samples.push_back(metric->value);
  }
  return samples;
}

// Runs replications [first, first + count) at `value`: seeds seed + first, ... as in a sweep.
std::vector<double> run_replications(const SweepSpec& spec, double value, std::uint64_t first,
                                     std::uint64_t count, const FindOptions& options, FindResult& result) {
  SweepSpec probe = spec;
  probe.find.reset();
  probe.parameters.clear();
  for (const std::string& path : spec.find->paths)
    probe.parameters.push_back({path, {value_json(*spec.find, value)}});
  probe.zip = true;
  probe.replications = count;
  probe.seed = spec.seed + first;
  probe.metrics = {spec.find->metric};
  ExecuteOptions execute_options;
  execute_options.jobs = options.jobs;
  execute_options.interrupt = options.interrupt;
  const ExecuteResult run = execute(probe, execute_options);
  if (run.interrupted) {
    result.interrupted = true;
    return {};
  }
  for (std::uint64_t r : run.failed_invariants) {
    result.failed_invariants.push_back(
        fmt::format("{} = {}, replication {}", spec.find->paths.front(), show(*spec.find, value), first + r));
  }
  return metric_samples(*spec.find, value, run.reports);
}

// One probe: replications double while the verdict is unclear, up to the limit.
std::optional<Probe> evaluate(const SweepSpec& spec, double value, const FindOptions& options,
                              FindResult& result) {
  std::uint64_t n = initial_replications(spec);
  std::vector<double> samples = run_replications(spec, value, 0, n, options, result);
  if (result.interrupted) return std::nullopt;
  Probe probe = judge(*spec.find, value, samples);
  const std::uint64_t limit = replication_limit(spec);
  while (probe.verdict == Probe::Verdict::kUnclear && n < limit) {
    const std::uint64_t more = std::min(limit, 2 * n) - n;
    const std::vector<double> extra = run_replications(spec, value, n, more, options, result);
    if (result.interrupted) return std::nullopt;
    samples.insert(samples.end(), extra.begin(), extra.end());
    n += more;
    probe = judge(*spec.find, value, samples);
  }
  result.probes.push_back(probe);
  if (options.on_probe) options.on_probe(probe);
  return probe;
}

double midpoint(const FindSpec& find, double low, double high) {
  const double mid = low + (high - low) / 2;
  return find.integer ? std::floor(mid) : mid;
}

bool narrow_enough(const FindSpec& find, double low, double high) {
  return find.integer ? high - low <= std::max(1.0, find.tolerance) : high - low <= find.tolerance;
}

std::string condition_text(const FindSpec& find) {
  return fmt::format("mean {} {} {}", find.metric, find.at_most ? "<=" : ">=", find.bound);
}

void conclude(const SweepSpec& spec, FindResult& result) {
  const FindSpec& find = *spec.find;
  const std::string what = fmt::format("{} {}", find.goal == FindSpec::Goal::kHighest ? "highest" : "lowest",
                                       fmt::join(find.paths, " = "));
  const std::string confidence = fmt::format("{:g}%", find.confidence * 100);
  if (!result.answer) {
    result.conclusion = fmt::format("No value in [{}, {}] meets {} with {} confidence (the {} end fails).",
                                    show(find, find.low), show(find, find.high), condition_text(find),
                                    confidence, find.goal == FindSpec::Goal::kHighest ? "low" : "high");
    return;
  }
  const bool highest = find.goal == FindSpec::Goal::kHighest;
  result.conclusion =
      fmt::format("The {} that meets {} with {} one-sided confidence is {}", what, condition_text(find),
                  confidence, show_boundary(find, *result.answer, highest));
  if (result.beyond) {
    const auto beyond = std::find_if(result.probes.begin(), result.probes.end(),
                                     [&result](const Probe& p) { return p.value == *result.beyond; });
    const bool unclear = beyond != result.probes.end() && beyond->verdict == Probe::Verdict::kUnclear;
    result.conclusion += fmt::format(
        "; {} does not{}, so the boundary lies between them.", show_boundary(find, *result.beyond, !highest),
        unclear
            ? fmt::format(" (unclear after {} replications: counted as not meeting)", beyond->samples.size())
            : "");
  } else {
    result.conclusion += fmt::format(", the end of the range: the boundary may lie beyond it.");
  }
}

// Bisection between a value that meets (`good`) and one that does not (`bad`), in either order.
void bisect(const SweepSpec& spec, double good, double bad, const FindOptions& options, FindResult& result) {
  const FindSpec& find = *spec.find;
  while (!narrow_enough(find, std::min(good, bad), std::max(good, bad))) {
    const double mid = midpoint(find, std::min(good, bad), std::max(good, bad));
    if (mid == good || mid == bad) break;  // integers: nothing left between them
    const auto probe = evaluate(spec, mid, options, result);
    if (!probe) return;
    (probe->meets() ? good : bad) = mid;
  }
  result.answer = good;
  result.beyond = bad;
}

}  // namespace

const char* verdict_name(Probe::Verdict verdict) {
  switch (verdict) {
    case Probe::Verdict::kMeets:
      return "meets";
    case Probe::Verdict::kFails:
      return "fails";
    case Probe::Verdict::kUnclear:
      return "unclear";
  }
  return "unclear";
}

Probe judge(const FindSpec& find, double value, std::vector<double> samples) {
  Probe probe;
  probe.value = value;
  probe.samples = std::move(samples);
  const auto n = static_cast<double>(probe.samples.size());
  probe.mean = std::accumulate(probe.samples.begin(), probe.samples.end(), 0.0) / n;
  double squares = 0;
  for (double x : probe.samples) squares += (x - probe.mean) * (x - probe.mean);
  if (probe.samples.size() >= 2 && squares > 0) {
    const boost::math::students_t t(n - 1);
    probe.half_width =
        boost::math::quantile(t, find.confidence) * std::sqrt(squares / (n - 1)) / std::sqrt(n);
  }
  const double upper = probe.mean + probe.half_width, lower = probe.mean - probe.half_width;
  const bool meets = find.at_most ? upper <= find.bound : lower >= find.bound;
  const bool fails = find.at_most ? lower > find.bound : upper < find.bound;
  probe.verdict = meets ? Probe::Verdict::kMeets : fails ? Probe::Verdict::kFails : Probe::Verdict::kUnclear;
  return probe;
}

FindResult find_boundary(const SweepSpec& spec, const FindOptions& options) {
  if (!spec.find) throw SweepError("the sweep file has no \"find\" section");
  const FindSpec& find = *spec.find;
  FindResult result;
  // "highest": the condition holds at the low end and breaks somewhere above; "lowest": the reverse.
  const bool highest = find.goal == FindSpec::Goal::kHighest;
  const double safe_end = highest ? find.low : find.high;
  const double far_end = highest ? find.high : find.low;
  const auto safe = evaluate(spec, safe_end, options, result);
  if (!safe) return result;
  if (safe->meets()) {
    const auto far = evaluate(spec, far_end, options, result);
    if (!far) return result;
    if (far->meets()) {
      result.answer = far_end;
    } else {
      bisect(spec, safe_end, far_end, options, result);
    }
  }
  if (!result.interrupted) conclude(spec, result);
  return result;
}

std::string render_find_text(const SweepSpec& spec, const FindResult& result) {
  const FindSpec& find = *spec.find;
  std::string out =
      fmt::format("find: {} {} in [{}, {}] with {} (one-sided {:g}% confidence)\n",
                  find.goal == FindSpec::Goal::kHighest ? "highest" : "lowest", fmt::join(find.paths, " = "),
                  show(find, find.low), show(find, find.high), condition_text(find), find.confidence * 100);
  out += fmt::format("  {:>5}  {:>14}  {:>4}  {:>12}  {:>12}  {}\n", "probe", "value", "n", "mean",
                     find.at_most ? "upper bound" : "lower bound", "verdict");
  for (std::size_t i = 0; i < result.probes.size(); ++i) {
    const Probe& p = result.probes[i];
    const double side = find.at_most ? p.mean + p.half_width : p.mean - p.half_width;
    out += fmt::format("  {:>5}  {:>14}  {:>4}  {:>12.6g}  {:>12.6g}  {}\n", i + 1, show(find, p.value),
                       p.samples.size(), p.mean, side, verdict_name(p.verdict));
  }
  out += result.conclusion + "\n";
  return out;
}

ojson find_to_json(const SweepSpec& spec, const FindResult& result) {
  const FindSpec& find = *spec.find;
  ojson document;
  document["spec"] = to_json(spec);
  ojson probes = ojson::array();
  for (const Probe& p : result.probes) {
    probes.push_back({{"value", value_json(find, p.value)},
                      {"n", p.samples.size()},
                      {"mean", p.mean},
                      {"half_width", p.half_width},
                      {"verdict", verdict_name(p.verdict)},
                      {"samples", p.samples}});
  }
  document["probes"] = probes;
  document["answer"] = result.answer ? ojson(value_json(find, *result.answer)) : ojson(nullptr);
  document["beyond"] = result.beyond ? ojson(value_json(find, *result.beyond)) : ojson(nullptr);
  document["conclusion"] = result.conclusion;
  return document;
}

}  // namespace shardsim::sweep
