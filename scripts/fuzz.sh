#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
# build-fuzz/, then runs each for SECONDS_PER_TARGET seconds (default 60) on a copy of its seed corpus
# (fuzz/corpus/<target>/; what it finds stays in build-fuzz/corpus/<target>/, the repository's seeds are not
# touched). Exits non-zero when a target crashes, leaks, times out or runs out of memory; the input that did
# it is left in build-fuzz/artifacts/<target>/. Called by scripts/test.sh with a short budget; a long run is
# e.g. `bash scripts/fuzz.sh 1800` (docs/TESTING.md). FUZZ_JOBS=N runs N targets at once (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${FUZZ_JOBS:-1}
targets=(fuzz_manifest fuzz_args fuzz_validate)
cc=${CC:-clang}
case "$("$cc" --version 2>/dev/null | head -n1)" in
  *clang*) ;;
  *) cc=clang ;;
esac
# clang and its libFuzzer runtime (Debian: clang, libclang-rt-dev), installed like scripts/setup.sh does.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$probe"/p.c
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe"/p.c -o "$probe"/p >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null
  cc=clang
fi
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CC=$cc cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLINIT_BUILD_FUZZ=ON -DCLINIT_BUILD_CLI=ON \
  -DCLINIT_BUILD_TESTS=OFF -DCMAKE_C_FLAGS="$flags" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run() {
  local t=$1 corpus=build-fuzz/corpus/$1 artifacts=build-fuzz/artifacts/$1
  mkdir -p "$corpus" "$artifacts"
  cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  local dict=()
  [ -f fuzz/"${t#fuzz_}".dict ] && dict=(-dict=fuzz/"${t#fuzz_}".dict)
  # -timeout: one input taking longer than 10 s is a hang; -rss_limit_mb: a blow-up is a failure too.
  if build-fuzz/fuzz/"$t" "$corpus" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
       -print_final_stats=1 -artifact_prefix="$artifacts"/ >build-fuzz/"$t".log 2>&1; then
    echo "fuzz: $t: ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' build-fuzz/"$t".log | grep -o '[0-9]*$') executions, $(ls "$corpus" | wc -l) inputs in the corpus)"
  else
    echo "fuzz: $t: FAILED (build-fuzz/$t.log, input in $artifacts/):" >&2
    tail -n 40 build-fuzz/"$t".log >&2
    return 1
  fi
}
status=0
pids=()
for t in "${targets[@]}"; do
  if [ "$jobs" -gt 1 ]; then
    run "$t" & pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
  else
    run "$t" || status=1
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
