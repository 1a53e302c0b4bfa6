#!/usr/bin/env bash
# run-peers.sh: shardsim's event kernel next to two peer simulators, SimGrid (S4U, C++) and SimPy
# (2.x, Python), on the same models: the hold model and M/M/1 of tools/bench/shardsim_bench.cc.
# Installs what is missing, builds, runs every implementation interleaved for several repetitions
# and prints one table of median events/s with shardsim/peer ratios. Run on request only: it is
# neither a test nor part of CI. See tools/bench/peers/README.md.
#
#   tools/bench/peers/run-peers.sh [--quick] [--reps N] [--clock cpu|wall] [--no-install] [...]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
BUILD=${PEERS_BUILD_DIR:-$ROOT/build-peers}
PYTHON=/usr/bin/python3  # Debian's python: python3-simpy is installed into its dist-packages

# Simulated work per repetition. The peers run fewer events than shardsim because they are 10-100x
# slower; events/s is a steady-state rate (every run starts after K untimed warm-up events in the
# hold model), so the counts change the time a run takes, not what it measures.
REPS=3
CLOCK=cpu
INSTALL=1
SHARDSIM_K=1e3,1e5,1e6
SIMGRID_K=1e3,1e5   # 1e6 actors would need ~55 GB (about 55 KB per actor with a 64 KiB stack)
SIMPY_K=1e3,1e5     # 1e6 works (~1.6 GB) but its setup alone takes minutes: opt in with --simpy-k
SHARDSIM_EVENTS=1e7
SIMGRID_EVENTS=2e6
SIMPY_EVENTS=1e6
SHARDSIM_DEPARTURES=1e7
SIMGRID_DEPARTURES=2e6
SIMPY_DEPARTURES=5e5
# SimGrid's defaults (8 MiB stack and a guard page per actor) exhaust the kernel's memory-map limit
# from about 1e4 actors; these settings are needed there and used for every K so that one
# configuration is measured. The M/M/1 has two actors and keeps SimGrid's defaults.
SIMGRID_HOLD_CFG=(--cfg=contexts/guard-size:0 --cfg=contexts/stack-size:64)

usage() {
  cat <<EOF
usage: tools/bench/peers/run-peers.sh [options]
  --quick               smoke run (~1 min): 1 repetition, 10x fewer events, K = 1e3,1e5
  --reps N              repetitions; the median is reported (default $REPS)
  --clock cpu|wall      cpu: CPU time of the timed loop (default); wall: its wall-clock time
  --no-install          do not apt-get install missing packages
  --shardsim-k LIST     hold-model K values for shardsim (default $SHARDSIM_K)
  --simgrid-k LIST      ... for SimGrid (default $SIMGRID_K)
  --simpy-k LIST        ... for SimPy (default $SIMPY_K)
  --shardsim-events N   timed hold-model events per run (default $SHARDSIM_EVENTS)
  --simgrid-events N    (default $SIMGRID_EVENTS)
  --simpy-events N      (default $SIMPY_EVENTS)
  --shardsim-departures N  M/M/1 departures per run (default $SHARDSIM_DEPARTURES)
  --simgrid-departures N   (default $SIMGRID_DEPARTURES)
  --simpy-departures N     (default $SIMPY_DEPARTURES)
Build directory: \$PEERS_BUILD_DIR or build-peers/ (default $BUILD).
EOF
}

parse_options() {
  while (($#)); do
    case "$1" in
      -h | --help) usage; exit 0 ;;
      --quick)
        REPS=1
        SHARDSIM_K=1e3,1e5 SIMGRID_K=1e3,1e5 SIMPY_K=1e3,1e5
        SHARDSIM_EVENTS=1e6 SIMGRID_EVENTS=2e5 SIMPY_EVENTS=1e5
        SHARDSIM_DEPARTURES=1e6 SIMGRID_DEPARTURES=2e5 SIMPY_DEPARTURES=5e4 ;;
      --reps) REPS=$2; shift ;;
      --clock) CLOCK=$2; shift ;;
      --no-install) INSTALL=0 ;;
      --shardsim-k) SHARDSIM_K=$2; shift ;;
      --simgrid-k) SIMGRID_K=$2; shift ;;
      --simpy-k) SIMPY_K=$2; shift ;;
      --shardsim-events) SHARDSIM_EVENTS=$2; shift ;;
      --simgrid-events) SIMGRID_EVENTS=$2; shift ;;
      --simpy-events) SIMPY_EVENTS=$2; shift ;;
      --shardsim-departures) SHARDSIM_DEPARTURES=$2; shift ;;
      --simgrid-departures) SIMGRID_DEPARTURES=$2; shift ;;
      --simpy-departures) SIMPY_DEPARTURES=$2; shift ;;
      *) usage >&2; echo "run-peers.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
  done
  [[ $CLOCK == cpu || $CLOCK == wall ]] || { echo "run-peers.sh: --clock must be cpu or wall" >&2; exit 2; }
  [[ $REPS =~ ^[1-9][0-9]*$ ]] || { echo "run-peers.sh: --reps must be a positive integer" >&2; exit 2; }
}

# ---------------------------------------------------------------------------------------------
# Setup

install_missing() {
  local missing=() pkg
  for pkg in libsimgrid-dev python3-simpy pkg-config; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  if ((!INSTALL)); then
    echo "run-peers.sh: missing packages: ${missing[*]} (and --no-install given)" >&2
    exit 1
  fi
  local sudo=()
  (($(id -u) == 0)) || sudo=(sudo)
  echo "== installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
}

build() {
  echo "== building shardsim_bench (Release) and simgrid_bench in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$BUILD.cmake.log" 2>&1 ||
    { cat "$BUILD.cmake.log" >&2; exit 1; }
  cmake --build "$BUILD" -j2 --target shardsim_bench >>"$BUILD.cmake.log" 2>&1 ||
    { tail -40 "$BUILD.cmake.log" >&2; exit 1; }
  # Plain g++ -O2 against Debian's libsimgrid: how a SimGrid user builds a simulator.
  local src=$HERE/simgrid_bench.cc out=$BUILD/simgrid_bench
  if [[ ! -x $out || $src -nt $out || $ROOT/include/shardsim/random/stream.h -nt $out ]]; then
    # shellcheck disable=SC2046  # pkg-config's output is a list of words
    # shardsim's random stream is compiled in (one file), so both sides draw the same way.
    g++ -std=c++20 -O2 -Wall -Wextra -I"$ROOT/include" "$src" "$ROOT/sim/random/stream.cc" -o "$out" \
      $(pkg-config --cflags --libs simgrid libxxhash)
  fi
}

# ---------------------------------------------------------------------------------------------
# One repetition of one implementation: each appends "model K impl events/s check" to $RESULTS
# and its whole output to $LOG.

record() {  # model k impl rate check
  printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
}

# The RESULT line both peers print, as "rate check".
peer_result() {
  awk '/^RESULT/ { r = "-"; c = "-";
         for (i = 2; i <= NF; ++i) { split($i, kv, "=");
           if (kv[1] == "rate") r = kv[2]; if (kv[1] == "mean_ms") c = kv[2] }
         print r, c }'
}

run_logged() {  # command...: runs it, output to $LOG; prints stdout
  local out
  echo "-- $*" >>"$LOG"
  out=$("$@" 2>>"$LOG") || { echo "$out" >>"$LOG"; echo "run-peers.sh: failed: $* (see $LOG)" >&2; return 1; }
  echo "$out" >>"$LOG"
  echo "$out"
}

shardsim_hold() {  # k
  local out rate
  out=$(run_logged "$BUILD/shardsim_bench" hold --impl sim --reps 1 --k "$1" --events "$SHARDSIM_EVENTS" \
    --clock "$CLOCK")
  # Row: K  shardsim::Simulation  Mev/s  ns/event  ...
  rate=$(awk '$2 == "shardsim::Simulation" { printf "%.0f", $3 * 1e6 }' <<<"$out")
  [[ -n $rate ]] || { echo "run-peers.sh: no shardsim hold row (see $LOG)" >&2; exit 1; }
  record hold "$1" shardsim "$rate" -
}

shardsim_mm1() {
  local out rate mean
  out=$(run_logged "$BUILD/shardsim_bench" mm1 --impl sim --reps 1 --departures "$SHARDSIM_DEPARTURES" \
    --clock "$CLOCK")
  # Row: M/M/1  shardsim::Node + Simulation  Mev/s  ns/event  vs-bare  spread  mean  ms
  read -r rate mean <<<"$(awk '$1 == "M/M/1" && $2 == "shardsim::Node" { printf "%.0f %s", $5 * 1e6, $9 }' \
    <<<"$out")"
  [[ -n $rate ]] || { echo "run-peers.sh: no shardsim M/M/1 row (see $LOG)" >&2; exit 1; }
  record mm1 - shardsim "$rate" "$mean"
}

# Runs a peer and records its RESULT line.
peer() {  # model k impl command...
  local model=$1 k=$2 impl=$3 out r c
  shift 3
  out=$(run_logged "$@")
  read -r r c <<<"$(peer_result <<<"$out")"
  [[ -n $r && $r != - ]] || { echo "run-peers.sh: no RESULT from $* (see $LOG)" >&2; exit 1; }
  record "$model" "$k" "$impl" "$r" "$c"
}

# About 55 KB per actor (a 64 KiB stack, mostly touched, and SimGrid's own objects): skip a K whose
# actors would not fit in the memory available now, rather than let the machine swap or OOM.
simgrid_fits() {  # k
  local available_kb
  available_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
  awk -v k="$1" -v a="$available_kb" 'BEGIN { exit !(k * 60 < a * 0.8) }'
}

simgrid_hold() {  # k
  if ! simgrid_fits "$1"; then
    echo "   SimGrid hold K=$1 skipped: ~$(($1 * 60 / 1024 / 1024)) GB of actors would not fit in memory"
    return 0
  fi
  peer hold "$1" simgrid "$BUILD/simgrid_bench" hold --k "$1" --events "$SIMGRID_EVENTS" --clock "$CLOCK" \
    "${SIMGRID_HOLD_CFG[@]}"
}

simgrid_mm1() {  # variant
  peer mm1 - "simgrid-$1" "$BUILD/simgrid_bench" mm1 --variant "$1" --departures "$SIMGRID_DEPARTURES" \
    --clock "$CLOCK"
}

simpy_hold() {  # k
  peer hold "$1" simpy "$PYTHON" "$HERE/simpy_bench.py" hold --k "$1" --events "$SIMPY_EVENTS" --clock "$CLOCK"
}

simpy_mm1() {  # variant
  peer mm1 - "simpy-$1" "$PYTHON" "$HERE/simpy_bench.py" mm1 --variant "$1" --departures "$SIMPY_DEPARTURES" \
    --clock "$CLOCK"
}

# ---------------------------------------------------------------------------------------------
# The runs

in_list() {  # value list: is `value` (e.g. 1e5) in the comma-separated `list` (compared as numbers)?
  awk -v v="$1" -v list="$2" 'BEGIN { n = split(list, a, ","); for (i = 1; i <= n; ++i) if (a[i] + 0 == v + 0) exit 0; exit 1 }'
}

all_ks() {  # the union of the three K lists, ascending
  tr ',' '\n' <<<"$SHARDSIM_K,$SIMGRID_K,$SIMPY_K" | awk '{ printf "%.0f\n", $1 }' | sort -n -u
}

# One repetition: every model and K, each implementation right after the others, so that a change
# in the machine's load hits all of them alike.
one_repetition() {
  local k
  for k in $(all_ks); do
    if in_list "$k" "$SHARDSIM_K"; then shardsim_hold "$k"; fi
    if in_list "$k" "$SIMGRID_K"; then simgrid_hold "$k"; fi
    if in_list "$k" "$SIMPY_K"; then simpy_hold "$k"; fi
  done
  shardsim_mm1
  simgrid_mm1 semaphore
  simgrid_mm1 mailbox
  simpy_mm1 lean
  simpy_mm1 resource
}

print_header() {
  local simpy_version
  simpy_version=$("$PYTHON" -c 'import SimPy; print(SimPy.__version__)')
  echo "== shardsim $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') (working tree)," \
    "SimGrid $(pkg-config --modversion simgrid), SimPy $simpy_version ($("$PYTHON" --version))," \
    "$(g++ --version | head -1)"
  echo "== $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg); clock: $CLOCK time of the timed loop;" \
    "median of $REPS"
}

main() {
  parse_options "$@"
  install_missing
  mkdir -p "$BUILD"
  build
  RESULTS=$BUILD/peers-results.tsv
  LOG=$BUILD/peers-run.log
  : >"$RESULTS"
  : >"$LOG"
  print_header | tee -a "$LOG"
  local start=$SECONDS rep
  for ((rep = 1; rep <= REPS; ++rep)); do
    echo "== repetition $rep of $REPS ($((SECONDS - start)) s so far)"
    one_repetition
  done
  echo "== done in $((SECONDS - start)) s; load average $(cut -d' ' -f1-3 /proc/loadavg);" \
    "raw results $RESULTS, outputs $LOG"
  echo
  "$PYTHON" "$HERE/summarize.py" "$RESULTS"
}

main "$@"
