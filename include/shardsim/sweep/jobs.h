// Emitting a sweep as independent jobs for a cluster: DIR/jobs.txt (one command per run), and
// DIR/run_parallel.sh (GNU parallel) and DIR/slurm_array.sh (a Slurm array) that run it, each
// followed by `shardsim merge OUT --out OUT`.
#pragma once

#include <string>

#include "shardsim/sweep/sweep.h"

namespace shardsim::sweep {

struct JobsOptions {
  std::string binary;      // absolute path (or name on PATH) of shardsim on the hosts
  std::string sweep_file;  // absolute path of the sweep file
  std::string out_dir;     // absolute path of the output directory (shared by all jobs)
};

// A word quoted for a POSIX shell when it needs it.
std::string shell_quote(const std::string& word);

// Writes the three files (atomically; the scripts executable) into `directory`.
void emit_jobs(const std::string& directory, const SweepSpec& spec, const JobsOptions& options);

}  // namespace shardsim::sweep
