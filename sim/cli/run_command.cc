// shardsim run FILE [--seed N] [--set path=value]... [--out DIR [--force]] [--html FILE] [--trace FILE
// [filters]]
//              [--color WHEN]
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>
#include <boost/program_options.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/interrupt_signals.h"
#include "cli/trace_options.h"
#include "shardsim/report/event_trace.h"
#include "shardsim/report/html_report.h"
#include "shardsim/report/output_set.h"
#include "shardsim/report/summary.h"
#include "shardsim/run/run.h"
#include "shardsim/scenario/loader.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int /*signal*/) {
  g_interrupted.store(true);
}

const char* kRunUsage = R"(Usage: shardsim run FILE [options]

Runs one scenario and prints its report.

Options:
)";

const char* kRunExamples = R"(
Examples:
  shardsim run scenarios/seed.json
  shardsim run scenarios/seed.json --seed 7 --set workload.india.rate_per_s=1200 --out out/seed
  shardsim run scenarios/seed.json --set duration_s=600 --quiet --out out/long
  shardsim run scenarios/seed.json --out out/seed --force       # replace the previous run in out/seed
  shardsim run scenarios/failover-sentinel.json --html sentinel.html
  shardsim run scenarios/failover-global-master.json --trace trace.jsonl --trace-kind failure,commit
  shardsim run scenarios/seed.json --trace t.jsonl --trace-node '*_india*' --trace-from 12 --trace-until 12.5

Exit codes: 0 success, 1 an invariant of the run failed or a threshold of report.slo was breached,
2 bad usage or bad scenario, 3 an output could not be written, 130 interrupted (SIGINT, SIGTERM,
SIGHUP).
)";

// A progress line on a terminal only, at most a few times a second, after the first second.
class ProgressLine {
 public:
  ProgressLine() : enabled_(::isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}
  void update(const RunProgress& p) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 1.0 || now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double done = static_cast<double>(p.simulated) / static_cast<double>(std::max<Time>(p.end, 1));
    const double eta = done > 0 ? elapsed * (1 - done) / done : 0;
    fmt::print(stderr, "\r  simulated {:.1f}/{:.1f} s  {:.1f} M events/s  ETA {:.0f} s   ", to_s(p.simulated),
               to_s(p.end), static_cast<double>(p.events) / elapsed / 1e6, eta);
    shown_ = true;
  }
  ~ProgressLine() {
    if (shown_) fmt::print(stderr, "\r{:70}\r", "");
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

// Every output of the run, or none: report, effective scenario, time series, HTML page and trace
// go into place together (OutputSet), so a failed write never leaves a new file beside an old one.
void write_outputs(const std::optional<std::string>& dir, const std::optional<std::string>& html,
                   RunResult& result, EventTrace* trace) {
  OutputSet outputs;
  if (html) {
    const TimeSeriesColumns timeseries = parse_timeseries_csv(result.timeseries_csv);
    outputs.add(*html, render_html_report(result.report, &timeseries));
  }
  if (dir) {
    std::filesystem::create_directories(*dir);
    outputs.add(*dir + "/report.json", result.report.dump(2) + "\n");
    outputs.add(*dir + "/scenario.effective.json", result.report["scenario"]["effective"].dump(2) + "\n");
    if (result.timeseries) outputs.include(*result.timeseries);
  }
  if (trace) outputs.include(trace->file());
  outputs.commit();
}

// The files a run (and `shardsim report DIR`) writes into --out DIR. A rerun into a directory that
// holds them needs --force, and then removes them first: otherwise an old report.html, or the
// previous run's files beside a failed run's, passed for the new run's.
constexpr const char* kRunOutputFiles[] = {"report.json", "scenario.effective.json", "timeseries.csv",
                                           "report.html"};

std::vector<std::string> previous_outputs(const std::string& dir) {
  std::vector<std::string> found;
  for (const char* name : kRunOutputFiles) {
    std::error_code error;
    if (std::filesystem::exists(std::filesystem::path(dir) / name, error)) found.emplace_back(name);
  }
  return found;
}

void remove_previous_outputs(const std::string& dir) {
  for (const char* name : kRunOutputFiles) std::filesystem::remove(std::filesystem::path(dir) / name);
}

// --color: auto follows the terminal and the NO_COLOR convention (https://no-color.org).
std::optional<bool> colour_wanted(const std::string& choice, std::vector<std::string>& errors) {
  if (choice == "always") return true;
  if (choice == "never") return false;
  if (choice == "auto") {
    const char* term = std::getenv("TERM");
    return ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr &&
           !(term != nullptr && std::string_view(term) == "dumb");
  }
  errors.push_back("--color: expected auto, always or never, found '" + choice + "'");
  return std::nullopt;
}

void warn_about_trace(const EventTrace& trace) {
  if (trace.lines() == 0) {
    fmt::print(stderr,
               "shardsim run: the trace is empty: no event passed its filters (`shardsim explain FILE` "
               "lists the node names)\n");
  } else if (trace.truncated()) {
    fmt::print(stderr, "shardsim run: the trace stopped at {} lines (--trace-limit)\n", trace.lines());
  }
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("out", po::value<std::string>(),
                        "write report.json, timeseries.csv and scenario.effective.json into this directory")(
      "html", po::value<std::string>(), "write the run's single-file HTML report (charts; opens offline)")(
      "force", "with --out: replace a previous run's outputs in DIR (removes them first)")(
      "overwrite", "the same as --force")("quiet,q", "do not print the summary")(
      "json", "print report.json to stdout instead of the summary")(
      "color", po::value<std::string>()->default_value("auto"),
      "colour the summary: auto (on a terminal, unless NO_COLOR is set), always or never");
  add_trace_options(options);
  CommandLine command_line({"run", kRunUsage, kRunExamples}, options);
  command_line.scenario_options("override the scenario's seed").positional({"file", 1});
  if (const auto exit = command_line.parse(args)) return *exit;
  const po::variables_map& vm = command_line.vars();
  std::vector<std::string> errors;
  std::optional<TraceOptions> trace_options = trace_options_from(vm, errors);
  const std::optional<bool> colour = colour_wanted(vm["color"].as<std::string>(), errors);
  const bool force = vm.count("force") > 0 || vm.count("overwrite") > 0;
  if (vm.count("out") && !force) {
    const std::string dir = vm["out"].as<std::string>();
    if (const std::vector<std::string> found = previous_outputs(dir); !found.empty()) {
      errors.push_back(fmt::format("--out {}: already holds a run's outputs ({}); --force replaces them", dir,
                                   fmt::join(found, ", ")));
    }
  }
  if (!errors.empty()) {
    for (const std::string& error : errors) std::cerr << "shardsim run: " << error << "\n";
    return kExitBadInput;
  }
  const std::optional<Scenario> scenario = command_line.load_scenario();
  if (!scenario) return kExitBadInput;

  // Handlers first: a signal that comes once the trace's temporary file exists must find them (a
  // SIGHUP in that gap killed the process and left the file behind).
  on_interrupt_signals(on_sigint);
  std::unique_ptr<EventTrace> trace;
  try {
    // --out first: `--out DIR --trace DIR/trace.jsonl` works when DIR does not exist yet.
    if (vm.count("out")) std::filesystem::create_directories(vm["out"].as<std::string>());
    if (trace_options) trace = std::make_unique<EventTrace>(*trace_options);
  } catch (const std::exception& e) {
    fmt::print(stderr, "shardsim run: {}\n", e.what());
    return kExitOutputFailed;
  }
  ProgressLine progress;
  RunOptions run_options;
  run_options.interrupt = &g_interrupted;
  run_options.on_progress = [&progress](const RunProgress& p) { progress.update(p); };
  run_options.trace = trace.get();
  if (vm.count("out")) {
    run_options.timeseries_path = vm["out"].as<std::string>() + "/timeseries.csv";
  }
  run_options.timeseries_text = vm.count("html") > 0;
  RunResult result = run_scenario(*scenario, run_options);
  if (result.interrupted) {
    fmt::print(stderr, "shardsim run: interrupted at simulated {:.3f} s; no report written\n",
               result.report["run"]["simulated_s"].get<double>());
    return kExitInterrupted;
  }
  try {
    const auto option = [&vm](const char* name) {
      return vm.count(name) ? std::optional(vm[name].as<std::string>()) : std::nullopt;
    };
    if (vm.count("out") && force) remove_previous_outputs(vm["out"].as<std::string>());
    write_outputs(option("out"), option("html"), result, trace.get());
    if (trace) warn_about_trace(*trace);
  } catch (const std::exception& e) {
    fmt::print(stderr, "shardsim run: {}\n", e.what());
    return kExitOutputFailed;
  }
  if (vm.count("json")) {
    std::cout << result.report.dump(2) << "\n";
  } else if (!vm.count("quiet")) {
    std::cout << render_summary(result.report, SummaryStyle{*colour});
  }
  const bool slos_met = !result.report.contains("slo") || result.report["slo"]["ok"].get<bool>();
  return result.report["invariants"]["ok"].get<bool>() && slos_met ? kExitOk : kExitCheckFailed;
}

}  // namespace shardsim::cli
