#!/usr/bin/env bash
# Fuzz the scenario loader with libFuzzer for SECONDS (default 60), and fail on any finding.
#   bash tools/fuzz.sh            60 s (CI runs 45 s from tools/test.sh)
#   bash tools/fuzz.sh 3600       an hour, before a release or after touching sim/scenario/
# The target is tests/fuzz/scenario_loader_fuzz.cc, built with clang, libFuzzer, ASan and UBSan in
# build-fuzz/ (its own build directory: every object is instrumented). The seeds are the shipped
# scenarios (scenarios/, scenarios/bad/, ...) and tests/fuzz/regressions/, read in place; new
# inputs go to a temporary working corpus, deleted at the end unless FUZZ_CORPUS names a directory
# to keep it in (then a later run starts from it). A crash, sanitizer report, uncaught exception,
# timeout (> 10 s) or memory blow-up (> 2 GB) leaves its input in build-fuzz/artifacts/ and makes
# this script exit non-zero; docs/validation.md ("Fuzzing") says how it becomes a regression test.
# JOBS (default: nproc) sets build parallelism.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-60}"
if (($# > 1)) || ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: $0 [SECONDS]   (default 60)" >&2
  exit 2
fi
jobs="${JOBS:-$(nproc)}"

bash tools/setup.sh

echo "== fuzz: build scenario_loader_fuzz (clang, libFuzzer + ASan/UBSan, build-fuzz/)"
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHARDSIM_FUZZ=ON \
  -DSHARDSIM_TESTS=OFF
cmake --build build-fuzz -j"$jobs" --target scenario_loader_fuzz

artifacts="$PWD/build-fuzz/artifacts"
mkdir -p "$artifacts"
if [[ -n ${FUZZ_CORPUS:-} ]]; then
  corpus="$FUZZ_CORPUS"
  mkdir -p "$corpus"
else
  corpus="$(mktemp -d)"
  trap 'rm -rf "$corpus"' EXIT
fi

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
leaks=1
# LeakSanitizer cannot run under ptrace (strace, gdb, some sandboxes): as in tools/test.sh, probe
# and turn leak detection off only there, loudly.
probe="$(mktemp -d)"
echo 'int main() {}' >"$probe/p.cc"
clang++ -fsanitize=address "$probe/p.cc" -o "$probe/p"
if ! "$probe/p" 2>"$probe/err"; then
  cat "$probe/err" >&2
  echo "fuzz: WARNING: LeakSanitizer unusable here; fuzzing with detect_leaks=0" >&2
  ASAN_OPTIONS=halt_on_error=1:detect_leaks=0
  leaks=0
fi
rm -rf "$probe"

echo "== fuzz: ${seconds} s over the scenario loader (working corpus: $corpus)"
status=0
build-fuzz/scenario_loader_fuzz -max_total_time="$seconds" -dict=tests/fuzz/scenario.dict -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -detect_leaks="$leaks" -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$corpus" scenarios tests/fuzz/regressions || status=$?

if ((status != 0)); then
  echo "fuzz: FAILED (libFuzzer exit status $status): a finding, its input is in build-fuzz/artifacts/:" >&2
  ls -t "$artifacts" | head -5 | sed 's/^/  /' >&2
  echo "fuzz: replay one with: build-fuzz/scenario_loader_fuzz build-fuzz/artifacts/FILE" >&2
  echo "fuzz: once fixed, keep it as a regression test: see docs/validation.md, \"Fuzzing\"" >&2
  exit 1
fi
echo "fuzz: no findings in ${seconds} s"
