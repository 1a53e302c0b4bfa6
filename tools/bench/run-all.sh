#!/usr/bin/env bash
# The whole performance harness in one command (not part of the tests or CI): builds Release into
# build-bench/, then prints, in order,
#   1. the kernel: hold model (K = 1e3, 1e5, 1e6) and M/M/1, each next to a bare std::priority_queue
#      loop measured in the same run (shardsim_bench all);
#   2. the whole model: seed at 10,000 requests/s for a simulated hour, RSS over 1 h and 10 h, and
#      the large scenario (tools/bench/whole_model.py);
#   3. the growth table (tools/bench/growth.py);
#   4. with --peers, SimGrid and SimPy side by side (tools/bench/peers/run-peers.sh).
# Usage: bash tools/bench/run-all.sh [--quick] [--peers]
# --quick: one repetition and shorter runs (a smoke test of the harness, minutes instead of ~an hour).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
quick=0
peers=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    --peers) peers=1 ;;
    *) echo "usage: $0 [--quick] [--peers]" >&2; exit 2 ;;
  esac
done

bash "$root/tools/setup.sh"
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$root/build-bench" -j "$(nproc)" --target shardsim shardsim_bench > /dev/null
binary="$root/build-bench/shardsim"
python=/usr/bin/python3  # Debian's: a pyenv python3 may shadow it on PATH

echo "== 1. kernel"
if [[ $quick -eq 1 ]]; then
  "$root/build-bench/shardsim_bench" all --reps 1 --events 2e6 --departures 2e6
else
  "$root/build-bench/shardsim_bench" all --reps 5
fi

echo "== 2. whole model"
if [[ $quick -eq 1 ]]; then
  $python "$root/tools/bench/whole_model.py" --binary "$binary" --quick
else
  $python "$root/tools/bench/whole_model.py" --binary "$binary" --reps 3
fi

echo "== 3. growth"
if [[ $quick -eq 1 ]]; then
  $python "$root/tools/bench/growth.py" --binary "$binary" --quick
else
  $python "$root/tools/bench/growth.py" --binary "$binary" --reps 3
fi

if [[ $peers -eq 1 ]]; then
  echo "== 4. peers"
  if [[ $quick -eq 1 ]]; then
    bash "$root/tools/bench/peers/run-peers.sh" --quick
  else
    bash "$root/tools/bench/peers/run-peers.sh"
  fi
fi
