#!/bin/bash
# Runs `sweep --emit-jobs`'s slurm_array.sh under real Slurm and checks the merge equals a local
# sweep byte for byte (sweep.csv, sweep.json, every run's report.json). Needs a running cluster:
# tools/slurm/local-cluster.sh start (tools/test.sh starts it, runs this, and stops it).
#
#   tools/slurm/slurm_sweep_test.sh BINARY [SWEEP_FILE]
#
# SWEEP_FILE defaults to tools/html_check/sweep-check.json (12 runs of 4 simulated seconds).
# Fails (exit 1) if a task did not complete with exit code 0, if the array is not done within
# $SLURM_TEST_TIMEOUT_S (default 120) seconds (then it is cancelled), or if any byte differs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=$(realpath "$1")
sweep=$(realpath "${2:-$here/../html_check/sweep-check.json}")
timeout_s=${SLURM_TEST_TIMEOUT_S:-120}
: "${SLURM_CONF:?set SLURM_CONF (eval \"\$(tools/slurm/local-cluster.sh start)\")}"

work=$(mktemp -d /tmp/shardsim-slurm-test-XXXXXX)
job=""
cleanup() {
  if [[ -n $job ]]; then scancel "$job" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "slurm_sweep_test: FAILED: $*" >&2; exit 1; }

"$binary" sweep "$sweep" -j 2 --out "$work/local" > /dev/null
"$binary" sweep "$sweep" --emit-jobs "$work/jobs" --out "$work/slurm" --binary "$binary" > /dev/null
runs=$(wc -l < "$work/jobs/jobs.txt")
mkdir -p "$work/logs"
job=$(sbatch --parsable --chdir "$work" --output "$work/logs/%A_%a.out" "$work/jobs/slurm_array.sh")
job=${job%%;*}
echo "slurm_sweep_test: submitted array job $job ($runs tasks)"

# Every task must reach a final state; the controller keeps finished jobs for MinJobAge (300 s).
deadline=$((SECONDS + timeout_s))
while :; do
  states=$(scontrol -o show job "$job" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ' || true)
  pending=$(scontrol -o show job "$job" | grep -Ec 'JobState=(PENDING|RUNNING|CONFIGURING|COMPLETING)' || true)
  done_tasks=$(scontrol -o show job "$job" | grep -c 'JobState=COMPLETED' || true)
  ((pending == 0 && done_tasks > 0)) && break
  ((SECONDS < deadline)) || fail "array job $job not done after ${timeout_s}s:$states"
  sleep 1
done
completed=$(scontrol -o show job "$job" | grep 'JobState=COMPLETED' | grep -c 'ExitCode=0:0' || true)
((completed == runs)) || fail "$completed of $runs tasks completed with exit code 0:$states"
echo "slurm_sweep_test: $completed tasks COMPLETED with ExitCode=0:0 in $((SECONDS)) s"
logs=$(find "$work/logs" -name "${job}_*.out" | wc -l)
((logs == runs)) || fail "$logs task logs for $runs tasks"
job=""  # done: nothing to cancel

"$binary" merge "$work/slurm" --out "$work/slurm" > /dev/null
for file in sweep.csv sweep.json; do
  cmp "$work/local/$file" "$work/slurm/$file" || fail "$file differs from the local sweep's"
done
for ((n = 0; n < runs; n++)); do
  cmp "$work/local/run-$n/report.json" "$work/slurm/run-$n/report.json" || fail "run-$n/report.json differs"
done
echo "slurm_sweep_test: ok: the Slurm array's merge equals the local sweep byte for byte ($runs runs)"
