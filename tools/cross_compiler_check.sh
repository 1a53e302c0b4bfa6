#!/usr/bin/env bash
# Same scenario and seed, same bytes, whichever compiler built the simulator: runs every shipped
# scenario (but scenarios/large.json, minutes long) with the gcc build (build/shardsim) and the
# clang build (build-fuzz/shardsim, which tools/fuzz.sh configures; instrumentation changes no
# result) and compares report.json, timeseries.csv, scenario.effective.json, the HTML report, the full event trace,
# the summary and the exit code byte for byte. Exits 1 on any difference, naming the files.
#   bash tools/cross_compiler_check.sh     (after tools/test.sh's normal build and fuzz stage)
# JOBS (default: nproc) runs that many scenarios at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs="${JOBS:-$(nproc)}"

gcc_binary=build/shardsim
[[ -x $gcc_binary ]] || { echo "cross-compiler check: $gcc_binary missing (run tools/test.sh first)" >&2; exit 2; }
[[ -d build-fuzz ]] || { echo "cross-compiler check: build-fuzz/ missing (run tools/fuzz.sh first)" >&2; exit 2; }
echo "== cross-compiler check: clang build of shardsim (build-fuzz/)"
cmake --build build-fuzz -j"$jobs" --target shardsim
clang_binary=build-fuzz/shardsim
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
run_one() {  # SIDE BINARY SCENARIO
  local out="$work/$1/$(basename "$3" .json)"
  mkdir -p "$out"
  set +e
  "$2" run "$3" --out "$out" --html "$out/report.html" --trace "$out/trace.jsonl" --color never >"$out/stdout" 2>"$out/stderr"
  echo "exit $?" >>"$out/stdout"
}
export -f run_one
export work
scenarios=()
for f in scenarios/*.json; do [[ $f == */large.json ]] || scenarios+=("$f"); done
printf '%s\n' "${scenarios[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one gcc '"$gcc_binary"' {} && run_one clang '"$clang_binary"' {}'
if diff -r "$work/gcc" "$work/clang" >"$work/diff.txt"; then
  echo "cross-compiler check: ${#scenarios[@]} scenarios, every output byte-identical between gcc and clang"
else
  echo "cross-compiler check: gcc and clang builds differ:" >&2
  grep -E '^(diff|Only)' "$work/diff.txt" >&2 || true
  exit 1
fi
