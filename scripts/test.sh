#!/usr/bin/env bash
# Sets up, builds and runs every test (ctest: cmocka suites, CLI, MPI and manifest checks) on PoCL, then the
# suite again under AddressSanitizer/UndefinedBehaviorSanitizer/LeakSanitizer (scripts/sanitize.sh), then a
# short libFuzzer run of each fuzz/ target (scripts/fuzz.sh, about 20 s of build and 20 s per target).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
bash scripts/sanitize.sh
bash scripts/fuzz.sh 20
