#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a simulation result:
# install what is missing, build Release into build/, run the default scenario.
#   bash tools/run-default.sh [shardsim run options...]   e.g. --seed 7 --out out/
# JOBS (default: nproc) sets build parallelism.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
# Only the binary: the test suite (Catch2 is slow to compile) is tools/test.sh's job.
cmake --build build -j"${JOBS:-$(nproc)}" --target shardsim
exec build/shardsim run scenarios/seed.json "$@"
