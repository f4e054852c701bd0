#!/usr/bin/env bash
# Sets up, builds and runs every test (ctest: cmocka suites, CLI tests, manifest checks) on PoCL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd build
ctest --output-on-failure -j "$(nproc)"
