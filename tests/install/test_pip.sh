#!/usr/bin/env bash
# The Python package as a newcomer installs it: in fresh virtual environments under WORK_DIR, with neither
# CLINIT_LIBRARY nor LD_LIBRARY_PATH, and from a folder outside the source tree.
#  1. `pip install ./python` alone builds libclinit (scikit-build-core) into the package, which then fills on
#     the device (PoCL in CI) and loads the library it bundles.
#  2. `pip wheel ./python` makes a wheel whose library needs only the OpenCL ICD loader and the C library, and
#     which a second environment installs with --no-index (nothing built, nothing downloaded) with its
#     pyopencl extra, and fills PyOpenCL buffers.
#  3. The sdist carries the C sources (csrc/) and builds a wheel too.
# With CLINIT_CLI (the clinit tool), step 1's environment also runs the README's examples (readme_snippets.py).
# The first two share one CMake build folder (-C build-dir), so the library is compiled once for them; pip's
# cache keeps the downloads (scikit-build-core, numpy) for the next run. Needs PyPI and Python's venv module
# (Debian: python3-venv, which scripts/setup.sh installs).
#
# usage: test_pip.sh SOURCE_DIR WORK_DIR PYTHON...
#   The first PYTHON with the venv module makes the environments; step 2's PyOpenCL fill needs numpy and
#   pyopencl in its site-packages (Debian's python3-numpy, python3-pyopencl), and is skipped without them.
#   CLINIT_PIP_SKIP set: prints why and exits 77 (ctest: skipped), as the sanitizer build does.
set -euo pipefail
src=$1 work=$2
shift 2

step() { echo "--- $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ -n "${CLINIT_PIP_SKIP:-}" ]; then
  echo "SKIP: pip: $CLINIT_PIP_SKIP"
  exit 77
fi
python=""
for candidate in "$@"; do
  if [ -n "$candidate" ] && "$candidate" -c 'import venv, ensurepip' 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || fail "no Python with the venv module among: $* (Debian: apt-get install python3-venv)"
echo "python: $python ($("$python" --version 2>&1))"

unset CLINIT_LIBRARY LD_LIBRARY_PATH PYTHONPATH
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
rm -rf "$work"
mkdir -p "$work/elsewhere"
build_dir=$work/cmake-build

# Filling on the device and on the host (the reference) gives the same bits; the library is the bundled one.
check_fills='
import pathlib, sys
import numpy as np
import clinit
lib = pathlib.Path(clinit.library_path()).resolve()
pkg = pathlib.Path(clinit.__file__).resolve().parent
assert lib == pkg / "libclinit.so.0", "loaded %s, not the library in %s" % (lib, pkg)
with clinit.Context.default() as ctx:
    for dtype in ("f32", "bf16"):
        got = ctx.sample((64, 32), "kaiming_normal", seed=7, stream="w", dtype=dtype)
        want = clinit.reference((64, 32), "kaiming_normal", seed=7, stream="w", dtype=dtype)
        assert got.dtype == want.dtype and np.array_equal(got, want), dtype
print("clinit %s from %s: device fills equal the reference (f32, bf16)" % (clinit.__version__, lib))
'

step "pip install ./python in a fresh virtual environment"
"$python" -m venv "$work/venv"
(cd "$src" && "$work/venv/bin/pip" install -q --config-settings=build-dir="$build_dir" ./python) || fail "pip install ./python"
(cd "$work/elsewhere" && "$work/venv/bin/python" -c "$check_fills") || fail "the installed package"

if [ -n "${CLINIT_CLI:-}" ]; then
  step "the README's examples, in that environment: its clinit sample lines, its Python, loading f32 and bf16"
  "$work/venv/bin/pip" install -q safetensors || fail "pip install safetensors"
  (cd "$work/elsewhere" && "$work/venv/bin/python" "$src/tests/install/readme_snippets.py" "$src/README.md" \
     "$CLINIT_CLI") || fail "the README's examples"
fi

step "pip wheel ./python"
(cd "$src" && "$work/venv/bin/pip" wheel -q --no-deps --config-settings=build-dir="$build_dir" -w "$work/wheels" ./python) \
  || fail "pip wheel ./python"
wheels=("$work"/wheels/clinit-*.whl)
[ "${#wheels[@]}" -eq 1 ] && [ -f "${wheels[0]}" ] || fail "not one wheel: ${wheels[*]}"
whl=${wheels[0]}
case $(basename "$whl") in
  clinit-*-py3-none-linux_*.whl) ;;
  *) fail "wheel tag: $(basename "$whl"), expected py3-none-linux_* (ctypes, no extension module)" ;;
esac
"$work/venv/bin/python" - "$whl" "$work/unpacked" <<'EOF' || fail "wheel contents"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
libs = [n for n in z.namelist() if ".so" in n]
assert libs == ["clinit/libclinit.so.0"], libs
meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
for line in ("Requires-Dist: numpy", "Provides-Extra: pyopencl", 'Requires-Dist: pyopencl; extra == "pyopencl"'):
    assert line in meta.splitlines(), line
z.extract("clinit/libclinit.so.0", sys.argv[2])
EOF
needed=$(readelf -d "$work/unpacked/clinit/libclinit.so.0" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
for lib in $needed; do
  case $lib in
    libOpenCL.so.1 | libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | ld-linux*) ;;
    *) fail "the wheel's libclinit needs $lib: another machine may not have it (needs: $needed)" ;;
  esac
done
echo "$(basename "$whl"): libclinit.so.0 needs $needed"

step "the wheel in a second environment, with its pyopencl extra, nothing downloaded"
"$python" -m venv --system-site-packages "$work/venv2"
"$work/venv2/bin/pip" install -q --no-index "$whl[pyopencl]" || fail "pip install --no-index the wheel[pyopencl]"
(cd "$work/elsewhere" && "$work/venv2/bin/python" -c "$check_fills") || fail "the package from the wheel"
if ! "$work/venv2/bin/python" -c 'import pyopencl' 2>/dev/null; then
  echo "skip: $python has no pyopencl in its site-packages: no PyOpenCL fill"
else
(cd "$work/elsewhere" && "$work/venv2/bin/python" - <<'EOF') || fail "a fill into a PyOpenCL buffer"
import numpy as np, pyopencl as cl, clinit
cl_ctx = cl.Context([cl.get_platforms()[0].get_devices()[0]])
queue = cl.CommandQueue(cl_ctx)
ctx = clinit.Context(cl_ctx, cl_ctx.devices[0])
buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64 * 3 * 7 * 7 * 4)
ctx.fill(queue, buf, (64, 3, 7, 7), "xavier_uniform", seed=1, stream="conv1.weight").wait()
got = np.empty((64, 3, 7, 7), np.float32)
cl.enqueue_copy(queue, got, buf)
assert np.array_equal(got, clinit.reference((64, 3, 7, 7), "xavier_uniform", seed=1, stream="conv1.weight"))
print("PyOpenCL buffer filled: equal to the reference")
EOF
fi

step "the sdist carries the C sources and builds a wheel"
"$work/venv/bin/pip" install -q "scikit-build-core>=1.0" || fail "scikit-build-core for the sdist"
(cd "$src/python" && "$work/venv/bin/python" -c "import sys
from scikit_build_core.build import build_sdist
open(sys.argv[2], 'w').write(build_sdist(sys.argv[1]))" "$work/sdist" "$work/sdist-name") >"$work/sdist.log" 2>&1 \
  || { cat "$work/sdist.log"; fail "build_sdist"; }
sdist=$(cat "$work/sdist-name")
members=$(tar -tzf "$work/sdist/$sdist")
for f in CMakeLists.txt pyproject.toml clinit/__init__.py csrc/CMakeLists.txt csrc/include/clinit.h \
         csrc/host/stream.c csrc/kernels/fill.cl csrc/cmake/embed_kernels.cmake; do
  grep -qx "clinit-[0-9.]*/$f" <<<"$members" || fail "$sdist lacks $f"
done
"$work/venv/bin/pip" wheel -q --no-deps --config-settings=build-dir="$work/cmake-build-sdist" -w "$work/sdist-wheels" \
  "$work/sdist/$sdist" || fail "pip wheel of the sdist"
ls "$work"/sdist-wheels/clinit-*-py3-none-linux_*.whl >/dev/null || fail "no wheel from the sdist"
echo "$sdist: $(wc -l <<<"$members") files; its wheel: $(basename "$work"/sdist-wheels/*.whl)"

echo "pip: OK"
