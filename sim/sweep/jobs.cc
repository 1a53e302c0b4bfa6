// jobs.txt, run_parallel.sh and slurm_array.sh for running a sweep's runs as independent jobs.
#include "shardsim/sweep/jobs.h"

#include <filesystem>

#include <fmt/format.h>

#include "shardsim/report/atomic_file.h"

namespace shardsim::sweep {

std::string shell_quote(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_-./=:,+@%") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void emit_jobs(const std::string& directory, const SweepSpec& spec, const JobsOptions& options) {
  namespace fs = std::filesystem;
  fs::create_directories(directory);
  const std::string binary = shell_quote(options.binary);
  const std::string sweep_file = shell_quote(options.sweep_file);
  const std::string out = shell_quote(options.out_dir);
  const std::uint64_t runs = run_count(spec);

  std::string jobs;
  for (std::uint64_t i = 0; i < runs; ++i) {
    jobs += fmt::format("{} sweep {} --index {} --out {}\n", binary, sweep_file, i, out);
  }
  write_file_atomically(directory + "/jobs.txt", jobs);

  const std::string merge = fmt::format("{} merge {} --out {}", binary, out, out);
  const std::string parallel = fmt::format(
      R"SH(#!/bin/sh
# Runs the {runs} runs of the sweep {sweep} with GNU parallel, then merges them into
# {out}/sweep.csv and sweep.json. Extra arguments go to parallel (e.g. -j 8).
#
# Many hosts: give parallel a list of ssh logins; every host needs the binary, the sweep file and
# its scenario at the same paths, and {out} on a shared file system:
#   parallel --sshloginfile hosts.txt --halt soon,fail=1 < jobs.txt
# Reruns skip the runs whose report.json already exists.
set -e
cd "$(dirname "$0")"
parallel --halt soon,fail=1 "$@" < jobs.txt
{merge}
)SH",
      fmt::arg("runs", runs), fmt::arg("sweep", sweep_file), fmt::arg("out", out), fmt::arg("merge", merge));
  write_file_atomically(directory + "/run_parallel.sh", parallel);

  const std::string slurm = fmt::format(
      R"SH(#!/bin/bash
# The {runs} runs of the sweep {sweep} as a Slurm job array (one task per run): submit with
#   sbatch slurm_array.sh
# then, when the array is done (e.g. sbatch --dependency=afterok:JOBID --wrap '...'), merge:
#   {merge}
#SBATCH --job-name=shardsim-sweep
#SBATCH --array=0-{last}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
exec {binary} sweep {sweep} --index "$SLURM_ARRAY_TASK_ID" --out {out}
)SH",
      fmt::arg("runs", runs), fmt::arg("sweep", sweep_file), fmt::arg("merge", merge),
      fmt::arg("last", runs - 1), fmt::arg("binary", binary), fmt::arg("out", out));
  write_file_atomically(directory + "/slurm_array.sh", slurm);

  for (const char* script : {"/run_parallel.sh", "/slurm_array.sh"}) {
    fs::permissions(directory + script,
                    fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add);
  }
}

}  // namespace shardsim::sweep
