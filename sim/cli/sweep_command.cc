// shardsim sweep FILE [-j N] [--list] [--index N] [--emit-jobs DIR] [--out DIR] [--find] [--html PAGE]
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>
#include <boost/program_options.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/interrupt_signals.h"
#include "cli/whole_number.h"
#include "shardsim/report/atomic_file.h"
#include "shardsim/sweep/aggregate.h"
#include "shardsim/sweep/execute.h"
#include "shardsim/sweep/find.h"
#include "shardsim/sweep/jobs.h"
#include "shardsim/sweep/sweep.h"
#include "shardsim/sweep/sweep_html.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

std::atomic<bool> g_sweep_interrupted{false};
extern "C" void on_sweep_signal(int /*signal*/) {
  g_sweep_interrupted.store(true);
}

const char* kSweepUsage = R"(Usage: shardsim sweep FILE [options]

Runs a scenario at every point of a parameter grid, several replications per point (replication r
uses seed SEED + r at every point), and prints per point and metric the mean and a 95% confidence
interval. The sweep file format is in docs/sweeps.md.

Options:
)";

const char* kSweepExamples = R"(
Examples:
  shardsim sweep scenarios/sweeps/india-slaves.json --list
  shardsim sweep scenarios/sweeps/india-slaves.json -j 4 --out out/india-slaves
  shardsim sweep scenarios/sweeps/india-slaves.json --index 7 --out /shared/india-slaves
  shardsim sweep scenarios/sweeps/india-slaves.json --emit-jobs jobs/ --out /shared/india-slaves
  shardsim sweep scenarios/sweeps/india-max-rate.json --find -j 2
  shardsim sweep scenarios/sweeps/india-slaves.json -j 2 --html india-slaves.html

With --out, each run's report goes to OUT/run-N/report.json as it completes and a rerun skips the
runs already there; OUT/sweep.csv and OUT/sweep.json hold the aggregate. --html PAGE writes the sweep's page (each
metric against its parameters with the 95% band, or the --find search); `shardsim report OUT`
writes the same page from OUT's files.

Exit codes: 0 success, 1 a run's invariants failed, 2 bad usage or bad sweep, 3 standard output
or the page could not be written, 130 interrupted (SIGINT, SIGTERM, SIGHUP).
)";

// "runs 3/12  ETA 9 s" on a terminal only, at most a few times a second.
class SweepProgress {
 public:
  SweepProgress() : enabled_(::isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}
  void update(std::uint64_t done, std::uint64_t total, std::uint64_t reused) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double ran = static_cast<double>(done - reused);
    const double eta = ran > 0 ? elapsed / ran * static_cast<double>(total - done) : 0;
    fmt::print(stderr, "\r  runs {}/{}{}  ETA {:.0f} s   ", done, total,
               reused > 0 ? fmt::format(" ({} reused)", reused) : "", eta);
    shown_ = true;
  }
  ~SweepProgress() {
    if (shown_) fmt::print(stderr, "\r{:60}\r", "");
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

std::string absolute(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

std::string own_binary() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string("shardsim") : self.string();
}

int report_failures(const sweep::ExecuteResult& result) {
  if (result.interrupted) {
    fmt::print(stderr, "shardsim sweep: interrupted; {} runs finished{}\n", result.ran + result.reused,
               " (with --out, a rerun resumes from them)");
    return kExitInterrupted;
  }
  if (!result.failed_invariants.empty()) {
    std::string runs;
    for (std::uint64_t i : result.failed_invariants) runs += " " + std::to_string(i);
    fmt::print(stderr, "shardsim sweep: the invariants failed in run(s){}\n", runs);
    return kExitCheckFailed;
  }
  return kExitOk;
}

// --html PAGE: the sweep's page from the documents its --out directory gets (so that
// `shardsim report OUT` writes the same bytes). False (after saying why) when it could not be
// written.
bool write_page(const po::variables_map& vm, const sweep::SweepPageData& data) {
  if (!vm.count("html")) return true;
  const std::string path = vm["html"].as<std::string>();
  try {
    sweep::write_sweep_html(path, data);
  } catch (const std::exception& e) {
    fmt::print(stderr, "shardsim sweep: {}\n", e.what());
    return false;
  }
  return true;
}

unsigned jobs_option(const po::variables_map& vm) {
  return vm.count("jobs") ? whole_number<unsigned>(vm, "jobs")
                          : std::max(1u, std::thread::hardware_concurrency());
}

// --find: bisection for the boundary of the file's "find" section (include/shardsim/sweep/find.h).
int find_command(const sweep::SweepSpec& spec, const po::variables_map& vm, const std::string& out) {
  if (!spec.find) {
    fmt::print(stderr,
               "shardsim sweep: --find needs a \"find\" section in the sweep file (docs/sweeps.md)\n");
    return kExitBadInput;
  }
  for (const char* option : {"list", "index", "emit-jobs"}) {
    if (vm.count(option)) {
      fmt::print(stderr,
                 "shardsim sweep: --{} does not go with --find (a search decides its probes as it goes)\n",
                 option);
      return kExitBadInput;
    }
  }
  on_interrupt_signals(on_sweep_signal);
  sweep::FindOptions options;
  options.jobs = jobs_option(vm);
  options.interrupt = &g_sweep_interrupted;
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  options.on_probe = [&spec, terminal](const sweep::Probe& p) {
    if (terminal) {
      fmt::print(stderr, "  probe {} = {:g}: n {}, mean {:.6g}: {}\n", spec.find->paths.front(), p.value,
                 p.samples.size(), p.mean, sweep::verdict_name(p.verdict));
    }
  };
  const sweep::FindResult result = sweep::find_boundary(spec, options);
  if (result.interrupted) {
    fmt::print(stderr, "shardsim sweep: --find interrupted after {} probe(s)\n", result.probes.size());
    return kExitInterrupted;
  }
  const std::string document = sweep::find_to_json(spec, result).dump(2) + "\n";
  if (!out.empty()) {
    std::filesystem::create_directories(out);
    write_file_atomically(out + "/find.json", document);
  }
  std::cout << sweep::render_find_text(spec, result);
  if (!write_page(vm, {std::nullopt, nlohmann::ordered_json::parse(document)})) return kExitOutputFailed;
  if (!result.failed_invariants.empty()) {
    fmt::print(stderr, "shardsim sweep: the invariants failed at: {}\n",
               fmt::join(result.failed_invariants, "; "));
    return kExitCheckFailed;
  }
  return kExitOk;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("jobs,j", po::value<WholeNumber<unsigned>>(),
                        "worker threads (default: one per hardware thread)")(
      "list", "print the numbered runs (run, point, replication, seed, overrides) and exit")(
      "index", po::value<WholeNumber<std::uint64_t>>(),
      "run only run N (needs --out): for a Slurm array or indexed job")(
      "out", po::value<std::string>(),
      "write run-N/report.json, sweep.csv and sweep.json here; resume from it")(
      "emit-jobs", po::value<std::string>(),
      "write jobs.txt, run_parallel.sh and slurm_array.sh into DIR (runs go to --out, default DIR)")(
      "binary", po::value<std::string>(), "the shardsim the emitted jobs run (default: this binary)")(
      "find", "search the file's \"find\" boundary instead of running the grid (writes find.json to --out)")(
      "html", po::value<std::string>(), "write the sweep's single-file HTML page here (docs/html-report.md)");
  CommandLine command_line({"sweep", kSweepUsage, kSweepExamples}, options);
  command_line.positional({"file", 1});
  if (const auto exit = command_line.parse(args)) return *exit;
  const po::variables_map& vm = command_line.vars();
  if (!vm.count("file")) return command_line.usage_error("missing sweep FILE");
  if (vm.count("jobs") && whole_number<unsigned>(vm, "jobs") == 0) {
    std::cerr << "shardsim sweep: --jobs: expected an integer >= 1\n";
    return kExitBadInput;
  }
  if (vm.count("index") && !vm.count("out")) {
    std::cerr << "shardsim sweep: --index needs --out DIR (the run's report goes to DIR/run-N/report.json)\n";
    return kExitBadInput;
  }
  const std::string file = vm["file"].as<std::string>();
  const std::string out = vm.count("out") ? vm["out"].as<std::string>() : "";
  try {
    const sweep::SweepSpec spec = sweep::load_sweep_file(file);
    // A misspelled metric is an error before the sweep runs, not a warning per run after it.
    if (!vm.count("list")) sweep::check_metrics(spec);
    if (vm.count("html") && (vm.count("list") || vm.count("index") || vm.count("emit-jobs"))) {
      std::cerr << "shardsim sweep: --html goes with a whole sweep or --find (after --index or --emit-jobs: "
                   "shardsim merge, then shardsim report OUT)\n";
      return kExitBadInput;
    }
    if (vm.count("find")) return find_command(spec, vm, out);
    if (spec.parameters.empty()) {
      fmt::print(stderr,
                 "shardsim sweep: {} has a \"find\" section and no \"parameters\": run it with --find\n",
                 file);
      return kExitBadInput;
    }
    if (vm.count("list")) {
      for (const sweep::SweepRun& run : sweep::expand_runs(spec))
        std::cout << sweep::describe_run(run) << "\n";
      return kExitOk;
    }
    if (vm.count("emit-jobs")) {
      const std::string directory = vm["emit-jobs"].as<std::string>();
      const std::string jobs_out = absolute(out.empty() ? directory : out);
      sweep::claim_output_directory(jobs_out, spec);
      sweep::JobsOptions jobs{vm.count("binary") ? vm["binary"].as<std::string>() : own_binary(),
                              absolute(file), jobs_out};
      sweep::emit_jobs(directory, spec, jobs);
      fmt::print("wrote {} jobs to {}/jobs.txt, run_parallel.sh and slurm_array.sh; runs go to {}\n",
                 sweep::run_count(spec), directory, jobs_out);
      return kExitOk;
    }

    on_interrupt_signals(on_sweep_signal);
    sweep::ExecuteOptions execute;
    execute.out_dir = out;
    execute.interrupt = &g_sweep_interrupted;
    if (vm.count("index") && whole_number<std::uint64_t>(vm, "index") >= sweep::run_count(spec)) {
      fmt::print(stderr, "shardsim sweep: --index {}: expected a run 0..{}\n",
                 whole_number<std::uint64_t>(vm, "index"), sweep::run_count(spec) - 1);
      return kExitBadInput;
    }
    if (!out.empty()) sweep::claim_output_directory(out, spec);
    if (vm.count("index")) {
      const std::uint64_t index = whole_number<std::uint64_t>(vm, "index");
      execute.only = {index};
      const sweep::ExecuteResult result = sweep::execute(spec, execute);
      if (!result.interrupted) {
        fmt::print("run {}: {}{}\n", index, sweep::run_report_path(out, index),
                   result.reused ? " (reused)" : "");
      }
      return report_failures(result);
    }

    execute.jobs = jobs_option(vm);
    SweepProgress progress;
    execute.on_progress = [&progress](std::uint64_t done, std::uint64_t total, std::uint64_t reused) {
      progress.update(done, total, reused);
    };
    const sweep::ExecuteResult result = sweep::execute(spec, execute);
    if (result.interrupted) return report_failures(result);
    const sweep::SweepTable table = sweep::aggregate(spec, result.reports);
    for (const std::string& warning : table.warnings)
      fmt::print(stderr, "shardsim sweep: warning: {}\n", warning);
    if (!out.empty()) sweep::write_table(out, table);
    std::cout << sweep::render_text(table);
    if (!write_page(vm, {nlohmann::ordered_json::parse(sweep::render_json(table)), std::nullopt}))
      return kExitOutputFailed;
    return report_failures(result);
  } catch (const sweep::SweepError& e) {
    fmt::print(stderr, "shardsim sweep: {}\n", e.what());
    return kExitBadInput;
  }
}

}  // namespace shardsim::cli
