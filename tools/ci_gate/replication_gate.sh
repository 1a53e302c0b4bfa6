#!/usr/bin/env bash
# The replication regression gate, ready for a CI pipeline: runs scenarios and compares each
# report with a baseline kept in the repository; fails when a metric regresses beyond its
# tolerance (tolerances.json next to this script, or $TOLERANCES).
#
#   tools/ci_gate/replication_gate.sh --update ci/baseline    # record the baselines (commit them)
#   tools/ci_gate/replication_gate.sh ci/baseline             # the gate: exit 1 on a regression
#   tools/ci_gate/replication_gate.sh ci/baseline scenarios/write-heavy.json   # other scenarios
#
# Environment: SHARDSIM (the binary, default build/shardsim), TOLERANCES, SHARDSIM_RUN_ARGS
# (extra `shardsim run` options, e.g. "--set duration_s=60" for a quicker gate; use the same for
# --update). Runs are deterministic, so a difference is a change in the model or the scenario.
# Exit codes: 0 no regression, 1 a regression (or a run's invariant failed), 2 bad usage or input.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shardsim=${SHARDSIM:-$root/build/shardsim}
tolerances=${TOLERANCES:-$here/tolerances.json}
read -r -a run_args <<<"${SHARDSIM_RUN_ARGS:-}"

update=0
if [[ ${1:-} == --update ]]; then
  update=1
  shift
fi
if [[ $# -lt 1 ]]; then
  echo "usage: $0 [--update] BASELINE_DIR [SCENARIO.json...]" >&2
  exit 2
fi
baseline=$1
shift
scenarios=("$@")
if [[ ${#scenarios[@]} -eq 0 ]]; then
  scenarios=("$root/scenarios/seed.json" "$root/scenarios/failover-global-master.json")
fi
[[ -x $shardsim ]] || { echo "replication_gate: no shardsim binary at $shardsim (set SHARDSIM)" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
worst=0
for scenario in "${scenarios[@]}"; do
  name=$(basename "$scenario" .json)
  "$shardsim" run "$scenario" --quiet --out "$out/$name" "${run_args[@]}"
  code=$?
  if [[ $code -ne 0 ]]; then
    echo "replication_gate: $name: shardsim run exited $code" >&2
    (( code > worst )) && worst=$code
    continue
  fi
  if [[ $update -eq 1 ]]; then
    mkdir -p "$baseline" && cp "$out/$name/report.json" "$baseline/$name.json"
    echo "replication_gate: $name: baseline written to $baseline/$name.json"
    continue
  fi
  echo "== $name"
  "$shardsim" compare "$baseline/$name.json" "$out/$name/report.json" --tolerances "$tolerances" --changes-only
  code=$?
  (( code > worst )) && worst=$code
done
exit "$worst"
