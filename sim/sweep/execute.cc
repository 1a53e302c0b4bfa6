// Running a sweep's runs on worker threads, with resume from an output directory.
#include "shardsim/sweep/execute.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "scenario/suggest.h"
#include "shardsim/report/atomic_file.h"
#include "shardsim/run/run.h"
#include "shardsim/scenario/loader.h"
#include "shardsim/util/input_file.h"
#include "shardsim/util/json_pointer.h"

namespace shardsim::sweep {

namespace {

// A file of a sweep's output directory (its spec, a run's report); SweepError naming it if it is
// not a regular file of reasonable size.
std::string read_text(const std::string& path, std::uint64_t max_bytes, const std::string& kind) {
  InputFile file = read_input_file(path, max_bytes, kind);
  if (!file.error.empty()) throw SweepError(fmt::format("{}: {}", path, file.error));
  return std::move(file.text);
}

std::string spec_path(const std::string& out_dir) {
  return out_dir + "/sweep.spec.json";
}

// The base scenario at each of `points` (overrides: the fixed ones, then the point's).
std::map<std::uint64_t, Scenario> load_points(const SweepSpec& spec, const std::set<std::uint64_t>& points) {
  std::map<std::uint64_t, Scenario> scenarios;
  std::string errors;
  for (std::uint64_t point : points) {
    LoadOptions load;
    load.overrides = spec.fixed_overrides;
    const SweepRun first = sweep_run(spec, point * spec.replications);
    load.overrides.insert(load.overrides.end(), first.overrides.begin(), first.overrides.end());
    try {
      scenarios.emplace(point, load_scenario_file(spec.base.string(), load));
    } catch (const ScenarioError& e) {
      errors += fmt::format("point {}:\n{}", point, e.what());
      if (!errors.ends_with('\n')) errors += '\n';
    }
  }
  if (!errors.empty())
    throw SweepError("the base scenario is invalid at some points of the sweep\n" + errors);
  return scenarios;
}

}  // namespace

std::string run_report_path(const std::string& out_dir, std::uint64_t index) {
  return fmt::format("{}/run-{}/report.json", out_dir, index);
}

void claim_output_directory(const std::string& out_dir, const SweepSpec& spec) {
  const std::string text = to_json(spec).dump(2) + "\n";
  const std::string path = spec_path(out_dir);
  if (std::filesystem::exists(path)) {
    if (read_text(path, kMaxSpecFileBytes, "sweep spec") != text) {
      throw SweepError(
          fmt::format("{} holds the runs of a different sweep (its sweep.spec.json differs); use a "
                      "fresh --out directory",
                      out_dir));
    }
    return;
  }
  std::filesystem::create_directories(out_dir);
  write_file_atomically(path, text);
}

SweepSpec read_output_spec(const std::string& out_dir) {
  const std::string path = spec_path(out_dir);
  if (!std::filesystem::exists(path)) {
    throw SweepError(
        fmt::format("{}: no sweep.spec.json (not a sweep output directory? pass --sweep FILE)", out_dir));
  }
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(read_text(path, kMaxSpecFileBytes, "sweep spec"));
  } catch (const nlohmann::json::parse_error& e) {
    throw SweepError(fmt::format("{}: not valid JSON: {}", path, e.what()));
  }
  return parse_sweep(document, out_dir, path);
}

std::optional<nlohmann::json> read_run_report(const std::string& out_dir, std::uint64_t index) {
  const std::string path = run_report_path(out_dir, index);
  if (!std::filesystem::exists(path)) return std::nullopt;
  try {
    return nlohmann::json::parse(read_text(path, kMaxReportFileBytes, "report"));
  } catch (const nlohmann::json::parse_error& e) {
    throw SweepError(fmt::format("{}: not valid JSON ({}); delete it to rerun the run", path, e.what()));
  }
}

ExecuteResult execute(const SweepSpec& spec, const ExecuteOptions& options) {
  const std::uint64_t total = run_count(spec);
  ExecuteResult result;
  result.reports.assign(total, nlohmann::json());

  std::vector<std::uint64_t> selected = options.only;
  if (selected.empty()) {
    for (std::uint64_t i = 0; i < total; ++i) selected.push_back(i);
  }
  std::vector<std::uint64_t> todo;
  for (std::uint64_t index : selected) {
    if (index >= total)
      throw SweepError(fmt::format("run {} does not exist (the sweep has {} runs)", index, total));
    std::optional<nlohmann::json> existing;
    if (!options.out_dir.empty()) existing = read_run_report(options.out_dir, index);
    if (existing) {
      result.reports[index] = std::move(*existing);
      ++result.reused;
    } else {
      todo.push_back(index);
    }
  }

  std::set<std::uint64_t> needed;
  for (std::uint64_t index : selected) needed.insert(index / spec.replications);
  const std::map<std::uint64_t, Scenario> points = load_points(spec, needed);

  std::mutex mutex;
  std::uint64_t done = result.reused;
  std::size_t next = 0;
  std::exception_ptr error;
  auto worker = [&]() {
    for (;;) {
      std::uint64_t index = 0;
      {
        const std::lock_guard<std::mutex> lock(mutex);
        if (next >= todo.size() || error || result.interrupted) return;
        index = todo[next++];
      }
      try {
        const SweepRun run = sweep_run(spec, index);
        Scenario scenario = points.at(run.point);  // this thread's own copy
        scenario.seed = run.seed;
        if (scenario.effective.is_object()) scenario.effective["seed"] = run.seed;
        RunOptions run_options;
        run_options.interrupt = options.interrupt;
        RunResult outcome = run_scenario(scenario, run_options);
        if (outcome.interrupted) {
          const std::lock_guard<std::mutex> lock(mutex);
          result.interrupted = true;
          return;
        }
        if (!options.out_dir.empty()) {
          const std::string path = run_report_path(options.out_dir, index);
          std::filesystem::create_directories(std::filesystem::path(path).parent_path());
          write_file_atomically(path, outcome.report.dump(2) + "\n");
        }
        const std::lock_guard<std::mutex> lock(mutex);
        result.reports[index] = std::move(outcome.report);
        ++result.ran;
        ++done;
        if (options.on_progress) options.on_progress(done, selected.size(), result.reused);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        return;
      }
    }
  };
  const unsigned threads =
      static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(options.jobs, todo.size())));
  if (!todo.empty()) {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (std::thread& thread : pool) thread.join();
  }
  if (error) std::rethrow_exception(error);

  for (std::uint64_t index : selected) {
    const nlohmann::json& report = result.reports[index];
    if (report.is_null()) continue;
    const nlohmann::json* ok = value_at(report, "/invariants/ok");
    if (ok != nullptr && ok->is_boolean() && !ok->get<bool>()) {
      result.failed_invariants.push_back(index);
    }
  }
  std::sort(result.failed_invariants.begin(), result.failed_invariants.end());
  return result;
}

namespace {

// The fields of a latency distribution (report_json.cc's distribution_ms): one with no sample has
// only "count".
constexpr const char* kDistributionFields[] = {"count",  "mean_ms", "p50_ms", "p95_ms",
                                               "p99_ms", "p999_ms", "max_ms"};

// "" when a report shaped like `shape` can hold a number at `metric`, else what is wrong.
std::string metric_problem(const nlohmann::json& shape, const std::string& metric) {
  const auto segments = split_json_pointer(metric);
  if (!segments) return "not a JSON pointer";
  const nlohmann::json* node = &shape;
  std::string at;
  for (const std::string& segment : *segments) {
    if (node->is_array()) return "";  // items depend on the run
    if (!node->is_object())
      return fmt::format("{} is a value, with no {} in it", at.empty() ? "/" : at, segment);
    const nlohmann::json* child = pointer_child(node, segment);
    if (child == nullptr) {
      std::vector<std::string> keys;
      for (const auto& [key, unused] : node->items()) keys.push_back(key);
      const bool empty_distribution = node->size() == 1 && node->contains("count");
      if (empty_distribution) {
        keys.assign(std::begin(kDistributionFields), std::end(kDistributionFields));
        if (std::find(keys.begin(), keys.end(), segment) != keys.end()) return "";
      }
      const auto near = scenario_internal::closest_match(segment, keys);
      return fmt::format("no \"{}\" in {}{}", segment, at.empty() ? "the report" : at,
                         near ? fmt::format("; did you mean {}?", child_pointer(at, *near)) : "");
    }
    at = child_pointer(at, segment);
    node = child;
  }
  if (node->is_number() || node->is_boolean() || node->is_array()) return "";
  return fmt::format("{} is {}, not a number", metric, node->is_object() ? "an object" : "a string");
}

}  // namespace

void check_metrics(const SweepSpec& spec) {
  std::vector<std::string> metrics = spec.metrics;
  if (spec.find && std::find(metrics.begin(), metrics.end(), spec.find->metric) == metrics.end())
    metrics.push_back(spec.find->metric);
  // The first problem of each metric; a metric is known once a point's report has it. Points have
  // different sections (durability.*.mode decides the durability keys), so a metric not found at
  // the first point is looked for at the next ones: one short run when every metric is right.
  std::map<std::string, std::string> problems;
  for (const std::string& metric : metrics) problems.emplace(metric, "");
  std::set<std::string> unknown(metrics.begin(), metrics.end());
  const std::uint64_t points = spec.parameters.empty() ? 1 : point_count(spec);
  for (std::uint64_t point = 0; point < points && !unknown.empty(); ++point) {
    LoadOptions load;
    load.overrides = spec.fixed_overrides;
    if (!spec.parameters.empty()) {
      const SweepRun first = sweep_run(spec, point * spec.replications);
      load.overrides.insert(load.overrides.end(), first.overrides.begin(), first.overrides.end());
    }
    Scenario scenario;
    try {
      scenario = load_scenario_file(spec.base.string(), load);
    } catch (const ScenarioError&) {
      continue;  // execute() reports the invalid points
    }
    // A short run: the report's sections and keys follow from the topology and the settings, not
    // from the run's length.
    scenario.duration = std::min(scenario.duration, scenario.report.warmup + kSecond);
    const RunResult shape = run_scenario(scenario, RunOptions{});
    for (auto it = unknown.begin(); it != unknown.end();) {
      const std::string problem = metric_problem(shape.report, *it);
      if (problem.empty()) {
        it = unknown.erase(it);
      } else {
        if (problems[*it].empty()) problems[*it] = problem;
        ++it;
      }
    }
  }
  std::string text;
  for (const std::string& metric : metrics) {
    if (unknown.contains(metric) && !problems[metric].empty())
      text += fmt::format("\n  metric {}: {}", metric, problems[metric]);
  }
  if (!text.empty()) {
    throw SweepError("a metric names nothing a report of this sweep has (docs/metrics.md):" + text);
  }
}

}  // namespace shardsim::sweep
