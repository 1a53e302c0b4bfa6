#!/usr/bin/env bash
# Build and run the whole test suite, from a fresh Debian 12 machine if need be.
#   bash tools/test.sh              normal build (build/, -Werror), the sweep's Slurm job array under a
#                                   local one-node Slurm (tools/slurm/), and the realcheck smoke (one real
#                                   Redis Sentinel failover against shardsim) + ASan/UBSan build (build-asan/)
#                                   + 45 s of fuzzing the scenario loader (tools/fuzz.sh, build-fuzz/)
#                                   + gcc and clang builds give the same bytes on every shipped
#                                     scenario (tools/cross_compiler_check.sh)
#                                   + the simulation tester on 150 random scenarios of a fixed
#                                     campaign (tools/simtest/simtest.py --seed 1)
#   bash tools/test.sh --quick      normal build only
#   bash tools/test.sh --sanitize   ASan/UBSan build only (no fuzzing)
#   ... -- ARGS                     extra ctest arguments, e.g. -- -R scenario
# JOBS (default: nproc) sets build and ctest parallelism; CI has 2 cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

normal=1 sanitize=1 fuzz=1
ctest_args=()
while (($#)); do
  case "$1" in
    --quick) sanitize=0 fuzz=0 ;;
    --sanitize) normal=0 fuzz=0 ;;
    --) shift; ctest_args=("$@"); break ;;
    *) echo "usage: $0 [--quick|--sanitize] [-- CTEST_ARGS...]" >&2; exit 2 ;;
  esac
  shift
done
jobs="${JOBS:-$(nproc)}"

bash tools/setup.sh

if ((normal)); then
  echo "== test: Release build with -Werror (build/)"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSHARDSIM_WERROR=ON
  cmake --build build -j"$jobs"
  ctest --test-dir build --output-on-failure -j"$jobs" "${ctest_args[@]}"
  echo "== test: the sweep's Slurm job array under a one-node Slurm cluster on localhost"
  # tools/slurm/local-cluster.sh: munged, slurmctld and slurmd in a temporary directory (about 1 s
  # to start); the array of 12 short runs takes about 16 s. The trap stops the cluster even when
  # the test fails; slurm-wlm and munge come from tools/packages.txt.
  trap 'bash tools/slurm/local-cluster.sh stop' EXIT
  eval "$(bash tools/slurm/local-cluster.sh start)"
  bash tools/slurm/slurm_sweep_test.sh build/shardsim
  bash tools/slurm/local-cluster.sh stop
  trap - EXIT
  unset SLURM_CONF
  echo "== test: realcheck smoke"
  # One real Redis Sentinel failover and its shardsim twin (tools/realcheck, about 15 s): fails
  # unless both sides produce every metric. redis-server comes from tools/packages.txt.
  python3 -B tools/realcheck/realcheck.py --smoke --out build/realcheck-smoke
  echo "== test: install into a staging directory, run the seed from there, build the .deb"
  # cmake/Install.cmake: the binary, scenarios, region data, man page, bash completion, docs.
  stage="$(mktemp -d)"
  cmake --install build --prefix "$stage" >/dev/null
  "$stage/bin/shardsim" run "$stage/share/shardsim/scenarios/seed.json" --quiet
  test -s "$stage/share/man/man1/shardsim.1"
  bash -n "$stage/share/bash-completion/completions/shardsim"
  test -s "$stage/share/shardsim/data/regions/README.md"
  rm -rf "$stage"
  (cd build && cpack -G DEB >/dev/null)
  # grep reads it all (no -q): an early exit would kill dpkg-deb with SIGPIPE under pipefail.
  dpkg-deb --contents build/shardsim_*.deb | grep '\./usr/bin/shardsim$' >/dev/null
fi

if ((sanitize)); then
  echo "== test: ASan/UBSan build (build-asan/)"
  # Any sanitizer report must fail the test, with a stack to act on. Set before the
  # build too: test discovery runs the instrumented binary at build time.
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
  # LeakSanitizer cannot run under ptrace (strace, gdb, some sandboxes): probe with an empty
  # program and fall back to detect_leaks=0 only there, loudly.
  probe="$(mktemp -d)"
  echo 'int main() {}' >"$probe/p.cc"
  "${CXX:-c++}" -fsanitize=address "$probe/p.cc" -o "$probe/p"
  if ! "$probe/p" 2>"$probe/err"; then
    cat "$probe/err" >&2
    echo "test: WARNING: LeakSanitizer unusable here; running with detect_leaks=0" >&2
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=0
  fi
  rm -rf "$probe"
  # No -Werror here: GCC's warnings are unreliable under ASan (e.g. false -Wmaybe-uninitialized
  # in libstdc++'s <regex>, which Catch2 uses); the normal build enforces warnings.
  # -O1 -g1: the sanitizer build is CI's longest compile; -O1 finds the same errors (ASan's own
  # advice), and -g1 keeps the function names and lines a sanitizer stack needs, without the
  # variables' debug information.
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DSHARDSIM_SANITIZE=ON -DSHARDSIM_WERROR=OFF
  cmake --build build-asan -j"$jobs"
  ctest --test-dir build-asan --output-on-failure -j"$jobs" "${ctest_args[@]}"
fi

if ((fuzz)); then
  echo "== test: fuzz the scenario loader for 45 s (build-fuzz/)"
  # Brief, to stay in CI's budget; a finding fails the run. Longer runs: tools/fuzz.sh 3600.
  bash tools/fuzz.sh 45
  echo "== test: gcc and clang builds give the same outputs (tools/cross_compiler_check.sh)"
  bash tools/cross_compiler_check.sh
  echo "== test: simulation testing, 150 random scenarios under invariants (tools/simtest/simtest.py)"
  # A fixed campaign (seed 1, its first 150 scenarios), so that CI is repeatable; the 120 s cap
  # only guards a slow machine. Longer campaigns: tools/simtest/simtest.py --seconds 7200.
  python3 -B tools/simtest/simtest.py --seed 1 --max-runs 150 --seconds 120 --binary build/shardsim
fi
