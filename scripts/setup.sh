#!/usr/bin/env bash
# Installs clinit's build and test dependencies from Debian packages and builds it in build/.
# Used by scripts/main.sh and scripts/test.sh (and so by .ci/run); safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake make gcc pkg-config python3 ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo
          libcmocka-dev librandom123-dev libcjson-dev libxxhash-dev
          python3-numpy python3-pyopencl python3-pytest python3-venv openmpi-bin libopenmpi-dev locales
          clang-format)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# A locale whose decimal point is a comma, for the tests that run the library under one (test_locale).
if ! locale -a 2>/dev/null | grep -qiE '^de_DE\.utf-?8$'; then
  $sudo localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
