// shardsim run FILE [--seed N] [--set path=value]... [--out DIR]
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <unistd.h>
#include <boost/program_options.hpp>

#include "cli/commands.h"
#include "shardsim/report/atomic_file.h"
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

Exit codes: 0 success, 1 an invariant of the run failed, 2 bad usage or bad scenario, 130 interrupted.
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

void write_outputs(const std::string& dir, const RunResult& result) {
  std::filesystem::create_directories(dir);
  write_file_atomically(dir + "/report.json", result.report.dump(2) + "\n");
  write_file_atomically(dir + "/scenario.effective.json",
                        result.report["scenario"]["effective"].dump(2) + "\n");
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("help,h", "show this help")("seed", po::value<std::uint64_t>(),
                                                    "override the scenario's seed")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario value: path=value (dotted path or JSON pointer); repeatable")(
      "out", po::value<std::string>(),
      "write report.json, timeseries.csv and scenario.effective.json into this directory")(
      "quiet,q", "do not print the summary")("json", "print report.json to stdout instead of the summary");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::string>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "shardsim run: " << e.what() << "\n" << kRunUsage << options;
    return kExitBadInput;
  }
  if (vm.count("help")) {
    std::cout << kRunUsage << options << kRunExamples;
    return kExitOk;
  }
  if (!vm.count("file")) {
    std::cerr << "shardsim run: missing scenario FILE\n" << kRunUsage << options;
    return kExitBadInput;
  }
  LoadOptions load;
  if (vm.count("set")) load.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) load.seed_override = vm["seed"].as<std::uint64_t>();
  Scenario scenario;
  try {
    scenario = load_scenario_file(vm["file"].as<std::string>(), load);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << (std::string(e.what()).ends_with('\n') ? "" : "\n");
    return kExitBadInput;
  }

  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);
  ProgressLine progress;
  RunOptions run_options;
  run_options.interrupt = &g_interrupted;
  run_options.on_progress = [&progress](const RunProgress& p) { progress.update(p); };
  if (vm.count("out")) {
    std::filesystem::create_directories(vm["out"].as<std::string>());
    run_options.timeseries_path = vm["out"].as<std::string>() + "/timeseries.csv";
  }
  const RunResult result = run_scenario(scenario, run_options);
  if (result.interrupted) {
    fmt::print(stderr, "shardsim run: interrupted at simulated {:.3f} s; no report written\n",
               result.report["run"]["simulated_s"].get<double>());
    return kExitInterrupted;
  }
  try {
    if (vm.count("out")) write_outputs(vm["out"].as<std::string>(), result);
  } catch (const std::exception& e) {
    fmt::print(stderr, "shardsim run: {}\n", e.what());
    return kExitBadInput;
  }
  if (vm.count("json")) {
    std::cout << result.report.dump(2) << "\n";
  } else if (!vm.count("quiet")) {
    std::cout << render_summary(result.report);
  }
  return result.report["invariants"]["ok"].get<bool>() ? kExitOk : kExitCheckFailed;
}

}  // namespace shardsim::cli
