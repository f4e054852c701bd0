#!/usr/bin/env bash
# Runs the Python package's tests (python/tests, pytest) on the build's libclinit and PoCL, with the first of
# these interpreters that has pyopencl, numpy and pytest: $CLINIT_PYTHON, the one CMake found, /usr/bin/python3
# (Debian's python3-pyopencl python3-numpy python3-pytest install there). None has them: prints a skip line
# and exits 77, which ctest counts as skipped, not failed.
# usage: run_python_tests.sh SOURCE_DIR PYTHON [pytest args…]   (CLINIT_LIBRARY, CLINIT_ABI_LAYOUT from ctest)
set -uo pipefail
src=$1 cmake_python=$2
shift 2
if [ -n "${CLINIT_PYTHON_SKIP:-}" ]; then
  echo "SKIP: python tests: ${CLINIT_PYTHON_SKIP}"
  exit 77
fi
python=""
for candidate in "${CLINIT_PYTHON:-}" "$cmake_python" /usr/bin/python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import pyopencl, numpy, pytest' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "SKIP: python tests need pyopencl, numpy and pytest (Debian: python3-pyopencl python3-numpy python3-pytest)"
  exit 77
fi
echo "python: $python ($("$python" -c 'import sys, numpy, pyopencl; print(sys.version.split()[0], "numpy", numpy.__version__, "pyopencl", pyopencl.VERSION_TEXT)'))"
export PYTHONPATH=$src/python${PYTHONPATH:+:$PYTHONPATH} PYTHONDONTWRITEBYTECODE=1
cd "$src/python" && exec "$python" -m pytest -p no:cacheprovider -q "$@" tests
