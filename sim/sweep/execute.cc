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

}  // namespace shardsim::sweep
