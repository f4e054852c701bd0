#!/usr/bin/env bash
# Installs the current build into a temporary prefix (cmake --install --prefix) and checks what a downstream
# project sees there: the files, the SONAME, the exported symbols, the pkg-config file and the CMake package.
# A consumer program (consumer/consumer.c) is built four ways — pkg-config shared and static, find_package
# clinit::clinit and clinit::clinit_static — and run on the OpenCL device (PoCL in CI).
#
# usage: test_install.sh BUILD_DIR SOURCE_DIR WORK_DIR CMAKE C_COMPILER VERSION GENERATOR TOOLS…
#   TOOLS: the executables the build made and must install (clinit, clinit-mpi).
# CLINIT_CONSUMER_CFLAGS: the build's CMAKE_C_FLAGS, which the consumers need too (the sanitizer build's
# -fsanitize=… links its runtime into them).
set -euo pipefail
build=$1 src=$2 work=$3 cmake=$4 cc=$5 version=$6 generator=$7
shift 7
tools=("$@")
cflags=${CLINIT_CONSUMER_CFLAGS:-}

step() { echo "--- $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

step "cmake --install $build --prefix $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "install"; }

# GNUInstallDirs: lib, or lib64 / lib/<multiarch> depending on the system and prefix.
libdir=$(dirname "$(find "$prefix" -name clinit.pc -path '*/pkgconfig/*' | head -n 1)")
libdir=$(dirname "$libdir")
[ -d "$libdir" ] || fail "no clinit.pc under $prefix"
major=${version%%.*}
[ -f "$prefix/include/clinit.h" ] || fail "include/clinit.h not installed"
for f in "libclinit.so.$version" "libclinit.a" "cmake/clinit/clinitConfig.cmake" \
         "cmake/clinit/clinitConfigVersion.cmake" "cmake/clinit/clinitTargets.cmake"; do
  [ -f "$libdir/$f" ] || fail "$libdir/$f not installed"
done
[ "$(readlink "$libdir/libclinit.so.$major")" = "libclinit.so.$version" ] || fail "libclinit.so.$major -> libclinit.so.$version"
[ "$(readlink "$libdir/libclinit.so")" = "libclinit.so.$major" ] || fail "libclinit.so -> libclinit.so.$major"
for t in "${tools[@]}"; do
  [ -x "$prefix/bin/$t" ] || fail "bin/$t not installed"
done
echo "installed: include/clinit.h, ${libdir#"$prefix"/}/: $(cd "$libdir" && echo libclinit.* pkgconfig/* cmake/clinit/*) bin/: ${tools[*]:-none}"

step "man page, bash completion, example manifests, and clinit bench --models finding them from another folder"
for m in resnet50 gpt2; do
  [ -f "$prefix/share/clinit/manifests/$m.json" ] || fail "share/clinit/manifests/$m.json not installed"
done
if [ -x "$prefix/bin/clinit" ]; then
  for f in share/man/man1/clinit.1 share/bash-completion/completions/clinit; do
    [ -f "$prefix/$f" ] || fail "$f not installed"
  done
  real=$(cd "$prefix" && pwd -P)
  got=$(cd "$work" && "$prefix/bin/clinit" bench --models --repeat 1 --json | sed -n 's/.*"manifest": "\([^"]*\)".*/\1/p' | tr '\n' ' ')
  [ "$got" = "$real/share/clinit/manifests/resnet50.json $real/share/clinit/manifests/gpt2.json " ] \
    || fail "installed clinit bench --models read: $got"
  echo "bench --models read $got"
fi
if [ -x "$prefix/bin/clinit-mpi" ]; then
  [ -f "$prefix/share/man/man1/clinit-mpi.1" ] || fail "share/man/man1/clinit-mpi.1 not installed"
fi

step "the documentation the man pages and the help name, installed in share/doc/clinit"
# Every docs/*.md a man page or `clinit --help` names, and every picture a page shows, with README.md.
named=$(cat "$prefix"/share/man/man1/clinit*.1 2>/dev/null; [ -x "$prefix/bin/clinit" ] && "$prefix/bin/clinit" --help)
docs=$(printf '%s\n' "$named" | grep -o 'docs/[A-Z_]*\.md' | sort -u)
[ -n "$docs" ] || [ ! -x "$prefix/bin/clinit" ] || fail "the man page names no docs/*.md (its SEE ALSO changed?)"
pictures=$(cd "$src" && grep -oh 'pictures/[a-z_0-9]*\.png' docs/*.md | sort -u | sed 's|^|docs/|')
for f in README.md CHANGELOG.md $docs $pictures; do
  [ -f "$prefix/share/doc/clinit/$f" ] || fail "share/doc/clinit/$f not installed"
done
echo "share/doc/clinit: README.md CHANGELOG.md" $docs "and" $(echo $pictures | wc -w) "pictures"
# Every relative link of the installed pages leads to an installed file, as tests/docs_links.py checks the source
# tree's (README.md linked python/README.md, docs/INITIALIZERS.md the pictures' script: neither was installed).
broken=$(cd "$prefix/share/doc/clinit" && for page in README.md docs/*.md python/README.md; do
  [ -f "$page" ] || continue
  awk '/^```/ { code = !code; next } !code' "$page" | grep -o '](\([^)[:space:]]*\))' | sed 's/^](//; s/)$//; s/#.*//' |
    grep -v -e '^[a-z]*:' -e '^$' | while read -r target; do
      [ -e "$(dirname "$page")/$target" ] || echo "$page -> $target"
    done
done)
[ -z "$broken" ] || fail "links of the installed documentation lead nowhere: $(echo $broken)"
echo "share/doc/clinit: every relative link of its pages resolves"

step "SONAME and exported symbols"
if command -v readelf >/dev/null; then
  soname=$(readelf -d "$libdir/libclinit.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
else
  soname=$(objdump -p "$libdir/libclinit.so.$version" | awk '$1 == "SONAME" {print $2}')
fi
[ "$soname" = "libclinit.so.$major" ] || fail "SONAME is '$soname', expected libclinit.so.$major"
echo "SONAME $soname"
# The shared library exports the API of clinit.h and nothing else (CLINIT_API, hidden visibility).
others=$(nm -D --defined-only "$libdir/libclinit.so.$version" | awk '{print $NF}' | grep -v '^clinit_' || true)
[ -z "$others" ] || fail "symbols exported outside the clinit_ namespace: $others"
for sym in clinit_version_number clinit_ctx_create clinit_fill clinit_reference_fill clinit_kaiming_normal; do
  nm -D --defined-only "$libdir/libclinit.so.$version" | grep -qw "$sym" || fail "$sym not exported"
done
echo "exports $(nm -D --defined-only "$libdir/libclinit.so.$version" | grep -c ' clinit_') clinit_ symbols, nothing else"

check_needed() { # shared|static, binary: whether it needs libclinit.so.MAJOR as expected
  local kind=$1 bin=$2
  local needed
  needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  case "$kind:$needed" in
    shared:*"libclinit.so.$major "*) ;;
    static:*libclinit*) fail "$bin (static) needs $needed" ;;
    static:*) ;;
    *) fail "$bin (shared) does not need libclinit.so.$major: $needed" ;;
  esac
}
run() { # shared|static, binary: checks what it needs, then runs it
  check_needed "$1" "$2"
  "$2" || fail "$2 exited with $?"
}

step "pkg-config"
export PKG_CONFIG_PATH=$libdir/pkgconfig
pc_version=$(pkg-config --modversion clinit)
[ "$pc_version" = "$version" ] || fail "pkg-config --modversion clinit = $pc_version, expected $version"
pc_libdir=$(pkg-config --variable=libdir clinit)
[ "$(cd "$pc_libdir" && pwd -P)" = "$(cd "$libdir" && pwd -P)" ] || fail "pkg-config libdir $pc_libdir is not $libdir"
echo "cflags: $(pkg-config --cflags clinit)  libs: $(pkg-config --libs clinit)  static: $(pkg-config --static --libs clinit)"
def="-DCLINIT_EXPECTED_VERSION=\"$version\""
# shellcheck disable=SC2046,SC2086
"$cc" $cflags -std=c11 -Wall -Werror "$def" "$src/tests/install/consumer/consumer.c" -o "$work/pc_shared" \
      $(pkg-config --cflags --libs clinit) -Wl,-rpath,"$libdir"
run shared "$work/pc_shared"
# Static: libclinit.a first, then everything `pkg-config --static` lists (Requires.private, Libs.private); its
# -lclinit then finds libclinit.so, which --as-needed keeps out of the binary.
# shellcheck disable=SC2046,SC2086
"$cc" $cflags -std=c11 -Wall -Werror "$def" "$src/tests/install/consumer/consumer.c" -o "$work/pc_static" \
      $(pkg-config --cflags clinit) -Wl,--as-needed "$libdir/libclinit.a" $(pkg-config --static --libs clinit)
run static "$work/pc_static"

step "the README's C example, built by the README's and C_API.md's command lines as written, run without LD_LIBRARY_PATH"
awk '/^## C$/ {c = 1} c && /^```c$/ {p = 1; next} p && /^```$/ {exit} p' "$src/README.md" >"$work/readme_app.c"
[ -s "$work/readme_app.c" ] || fail "README.md has no C example under \"## C\""
check_readme_app() { # BINARY: runs it and checks what it printed
  local out
  out=$(env -u LD_LIBRARY_PATH "$1") || fail "the README's C example ($1) exited with $?"
  echo "$out"
  # kaiming_normal, fan_out = 64 * 7 * 7, relu: std = sqrt(2 / 3136) = 0.0253; |x| < 0.2 is 7.9 std (P ~ 3e-15)
  echo "$out" | awk '$1 == "conv1.weight[0," && NF == 9 {
    n = 0; for (i = 6; i <= 9; i++) if ($i + 0 != 0 && $i + 0 < 0.2 && $i + 0 > -0.2) n++; ok = n == 4 }
    END {exit !ok}' || fail "the README's C example printed: $out"
}
# The `cc app.c …` lines of a page's sh blocks, their comments cut: run by bash as a newcomer pastes them, with
# `cc` standing for this build's compiler and flags, in a folder of their own where app.c is the README's example.
n=0
for page in README.md docs/C_API.md; do
  lines=$(awk '/^```sh$/ {p = 1; next} /^```$/ {p = 0} p && /^cc app\.c / {sub(/[ \t]+#.*$/, ""); print}' "$src/$page")
  [ -n "$lines" ] || fail "$page has no \`cc app.c\` command line"
  while IFS= read -r line; do
    n=$((n + 1))
    mkdir -p "$work/doc-cc-$n"
    cp "$work/readme_app.c" "$work/doc-cc-$n/app.c"
    echo "$page: $line"
    (cd "$work/doc-cc-$n" && env -u LD_LIBRARY_PATH CC="$cc" CFLAGS="$cflags" \
      bash -c 'cc() { "$CC" $CFLAGS -std=c11 -Wall -Werror "$@"; }; '"$line") \
      || fail "$page: \`$line\` does not build"
    case "$line" in
      *libclinit.a*) run_kind=static ;;
      *) run_kind=shared ;;
    esac
    check_needed "$run_kind" "$work/doc-cc-$n/a.out"
    check_readme_app "$work/doc-cc-$n/a.out"
  done <<<"$lines"
done

step "find_package(clinit)"
"$cmake" -S "$src/tests/install/consumer" -B "$work/cmake-build" -G "$generator" -DCMAKE_C_COMPILER="$cc" \
         -DCMAKE_PREFIX_PATH="$prefix" -DCLINIT_EXPECTED_VERSION="$version" -DCMAKE_BUILD_TYPE=Release \
         -DCMAKE_C_FLAGS="$cflags" \
         -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/cmake-configure.log" \
  || { cat "$work/cmake-configure.log"; fail "configure"; }
grep 'clinit .* from' "$work/cmake-configure.log" | sed 's/^-- //'
"$cmake" --build "$work/cmake-build" >"$work/cmake-build.log" 2>&1 || { cat "$work/cmake-build.log"; fail "build"; }
run shared "$work/cmake-build/consumer_shared"
run static "$work/cmake-build/consumer_static"

# A later minor version is refused (SameMinorVersion: in 0.x a minor version may break the API).
minor=$(echo "$version" | cut -d. -f2)
newer=$major.$((minor + 1))
mkdir -p "$work/cmake-newer"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(p LANGUAGES C)\nfind_package(clinit %s QUIET)\nif(clinit_FOUND)\n  message(FATAL_ERROR "clinit %s accepted as %s")\nendif()\n' \
       "$newer" "$version" "$newer" >"$work/cmake-newer/CMakeLists.txt"
"$cmake" -S "$work/cmake-newer" -B "$work/cmake-newer/build" -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" \
         >"$work/cmake-newer.log" 2>&1 || { cat "$work/cmake-newer.log"; fail "find_package(clinit $newer) accepted $version"; }
echo "find_package(clinit $newer) refuses $version"

# The Python package from the source tree (no library of its own beside it) finds the installed library by its
# prefix, with neither CLINIT_LIBRARY nor LD_LIBRARY_PATH nor ldconfig: through the clinit tool on PATH, and
# through sys.prefix when the prefix is the interpreter's (cmake --install build --prefix "$VIRTUAL_ENV").
python=""
for p in /usr/bin/python3 "$(command -v python3 || true)"; do
  if [ -n "$p" ] && "$p" -c 'import numpy, venv' 2>/dev/null; then python=$p; break; fi
done
if [ -n "${CLINIT_INSTALL_PYTHON_SKIP:-}" ]; then
  echo "skip: the Python package on the installed library: $CLINIT_INSTALL_PYTHON_SKIP"
elif [ -z "$python" ]; then
  echo "skip: the Python package on the installed library: no python3 with numpy and venv"
else
  step "the Python package finds the installed library by its prefix"
  find_lib() { # PYTHON PREFIX-OF-THE-LIBRARY-EXPECTED [PATH]
    (cd "$work" && env -u CLINIT_LIBRARY -u LD_LIBRARY_PATH PYTHONPATH="$src/python" PATH="${3:-/usr/bin:/bin}" \
      "$1" -c '
import pathlib, sys, clinit
lib = pathlib.Path(clinit.library_path()).resolve()
want = pathlib.Path(sys.argv[1]).resolve()
assert want in lib.parents, "loaded %s, not from %s" % (lib, want)
assert clinit.reference((3,), "ones").tolist() == [1.0, 1.0, 1.0]
print("loaded", lib)' "$2")
  }
  [ -x "$prefix/bin/clinit" ] && { find_lib "$python" "$prefix" "$prefix/bin:/usr/bin:/bin" || fail "found through clinit on PATH"; }
  "$python" -m venv --system-site-packages --without-pip "$work/venv"
  "$cmake" --install "$build" --prefix "$work/venv" >"$work/install-venv.log" || { cat "$work/install-venv.log"; fail "install into the venv"; }
  find_lib "$work/venv/bin/python" "$work/venv" || fail "found through sys.prefix"
fi

echo "install: OK"
