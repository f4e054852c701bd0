#!/usr/bin/env bash
# python/tests/test_tinygrad.py on tinygrad's OpenCL device (PoCL in CI) with the build's libclinit: in a virtual
# environment of Debian's python3 (its numpy, pyopencl and pytest seen through --system-site-packages) holding
# the tinygrad pinned in python/tests/requirements-tinygrad.txt from PyPI. The environment is made on the first
# run and kept in VENV_DIR (a folder of the build), remade when the requirements change.
# usage: run_tinygrad_tests.sh SOURCE_DIR VENV_DIR [pytest args…]   (CLINIT_LIBRARY, CLINIT_CLI from ctest)
set -euo pipefail
src=$1 venv=$2
shift 2
if [ -n "${CLINIT_PYTHON_SKIP:-}" ]; then
  echo "SKIP: tinygrad tests: ${CLINIT_PYTHON_SKIP}"
  exit 77
fi
requirements=$src/python/tests/requirements-tinygrad.txt
stamp=$venv/requirements.txt
if ! cmp -s "$requirements" "$stamp" 2>/dev/null; then
  rm -rf "$venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/python" -m pip install -q -r "$requirements"
  cp "$requirements" "$stamp"
fi
python=$venv/bin/python
versions='import sys, numpy, pyopencl; from importlib.metadata import version as v
print(sys.version.split()[0], "numpy", numpy.__version__, "pyopencl", pyopencl.VERSION_TEXT, "tinygrad", v("tinygrad"))'
echo "python: $python ($("$python" -c "$versions"))"
# tinygrad's compiled-kernel cache in the build folder, not in $HOME; its default device the OpenCL one (PoCL),
# where tinygrad.nn layers of the tests are made.
export CACHEDB=$venv/tinygrad-cache.db CLINIT_REQUIRE_TINYGRAD=1 DEV=CL
export PYTHONPATH=$src/python${PYTHONPATH:+:$PYTHONPATH} PYTHONDONTWRITEBYTECODE=1
cd "$src/python" && exec "$python" -m pytest -p no:cacheprovider -q "$@" tests/test_tinygrad.py
