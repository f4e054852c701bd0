#!/usr/bin/env bash
# One prepared check for a machine with an NVIDIA GPU: the OpenCL driver made visible, every test on the GPU,
# `clinit bench` and `clinit bench --models`, cuRAND's Philox on the same sizes, and the driver's own PTX of
# clinit's program (for the SASS proxy, docs/BENCHMARKS.md). Each step has a header,
# a timeout and its own log; no step failure stops the others; the whole run stays under ~7 minutes (each
# step's timeout is also clipped to a global deadline). The compact summary at the very end is what matters
# when only the tail of the output comes back.
#
# usage (from the repository root): bash bench/device-check.sh [BUILD_DIR] [CARRY_LIB_DIR]
#   BUILD_DIR       a build folder made on the machine that prepared the check [build-device]
#   CARRY_LIB_DIR   shared libraries the device machine may lack: libOpenCL.so.1 (ocl-icd), libcjson.so.1,
#                   libxxhash.so.0, libcmocka.so.0 [.devcarry/lib]; put first on LD_LIBRARY_PATH. Without nvcc
#                   on the device, a cuRAND comparison built beforehand is used when present as
#                   CARRY_LIB_DIR/../bin/curand_compare_devapi (see bench/curand_compare.cu: header-only
#                   device API, needs only the driver).
# DEVICE_CHECK_DEVICE overrides CLINIT_DEVICE=gpu (a dry run elsewhere: cpu).
# Full logs go to $OUT when set (collected by the tool that runs this), else to /tmp/device-check.
set -u

REPO=$(pwd -P)
BUILD=$(cd "${1:-build-device}" 2>/dev/null && pwd -P || echo "${1:-build-device}")
CARRY=$(cd "${2:-.devcarry/lib}" 2>/dev/null && pwd -P || echo "${2:-.devcarry/lib}")
LOG=${OUT:-/tmp/device-check}
mkdir -p "$LOG"
WORK=$(mktemp -d /tmp/device-check-work.XXXXXX) # binaries and the ICD folder: not logs, kept out of $OUT
CLINIT=$BUILD/host/cli/clinit
export LD_LIBRARY_PATH="$CARRY${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# DEVICE_CHECK_DEVICE=cpu lets the script itself be tried on a machine without a GPU (PoCL).
export CLINIT_DEVICE=${DEVICE_CHECK_DEVICE:-gpu}

# Seconds from the start by which the run ends (every step's timeout is clipped to it); the steps' own
# windows. DEVICE_CHECK_DEADLINE, _TESTS and _BENCH_SIZES shrink a run to fit what is left of a lease.
DEADLINE=${DEVICE_CHECK_DEADLINE:-420}
TESTS_WINDOW=${DEVICE_CHECK_TESTS:-150}
BENCH_SIZES=${DEVICE_CHECK_BENCH_SIZES:-256M,1G}
SUMMARY=$LOG/summary.txt
: >"$SUMMARY"

header() { printf '\n===== %s (t=%ds) =====\n' "$1" "$SECONDS"; }
note() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
# Seconds a step may take: its own limit, clipped to what is left before the deadline (0: no time left).
budget() {
    local left=$((DEADLINE - SECONDS))
    ((left < 0)) && left=0
    echo $(($1 < left ? $1 : left))
}
# run_logged LIMIT LOGFILE CMD...: runs CMD under timeout with output to LOGFILE; its status (124: timed out,
# 125: no time left).
run_logged() {
    local limit
    limit=$(budget "$1")
    local logfile=$2
    shift 2
    if ((limit < 5)); then
        echo "skipped: the run's deadline is reached" >"$logfile"
        return 125
    fi
    timeout -k 5 "$limit" "$@" >"$logfile" 2>&1
}
status_word() {
    case $1 in
    0) echo ok ;; 124 | 137) echo TIMEOUT ;; 125) echo SKIPPED ;; *) echo "FAIL($1)" ;;
    esac
}

echo "device-check: repo $REPO, build $BUILD, carried libraries $CARRY, logs $LOG"
note "device-check summary ($(date -u +%Y-%m-%dT%H:%MZ))"

# ---------------------------------------------------------------------------------------------------------
header "(a) NVIDIA OpenCL driver for the ICD loader"
{
    if command -v nvidia-smi >/dev/null; then
        timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
    else
        echo "nvidia-smi: not found"
    fi
    lscpu 2>/dev/null | grep -E '^(Model name|CPU\(s\)):'
} 2>&1 | tee "$LOG/a-machine.log" | sed 's/^/  /'
if grep -qil nvidia /etc/OpenCL/vendors/*.icd 2>/dev/null; then
    echo "an ICD file in /etc/OpenCL/vendors names NVIDIA's driver: kept"
    note "(a) ICD: /etc/OpenCL/vendors has NVIDIA"
else
    lib=$(ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1/ {print $NF; exit}')
    if [ -z "$lib" ]; then
        lib=$(timeout 30 find /usr /lib /usr/local/nvidia -name 'libnvidia-opencl.so.1' 2>/dev/null | head -n 1)
    fi
    if [ -n "$lib" ]; then
        vendors=$WORK/vendors
        mkdir -p "$vendors"
        cp /etc/OpenCL/vendors/*.icd "$vendors"/ 2>/dev/null # keep the others (PoCL) listed
        echo "$lib" >"$vendors/nvidia.icd"
        export OCL_ICD_VENDORS=$vendors
        echo "wrote $vendors/nvidia.icd -> $lib; OCL_ICD_VENDORS=$vendors"
        note "(a) ICD: $lib via OCL_ICD_VENDORS"
    else
        note "(a) ICD: libnvidia-opencl.so.1 NOT FOUND (ldconfig, /usr, /lib, /usr/local/nvidia): no GPU for OpenCL"
    fi
fi

# ---------------------------------------------------------------------------------------------------------
header "(b) clinit devices"
if [ ! -x "$CLINIT" ]; then
    note "(b) devices: $CLINIT missing: was the build folder carried?"
fi
missing=$(ldd "$CLINIT" 2>/dev/null | grep 'not found')
[ -n "$missing" ] && note "(b) libraries not found for clinit: $missing"
run_logged 30 "$LOG/b-devices.log" "$CLINIT" devices
rc=$?
cat "$LOG/b-devices.log"
gpu=$(grep -E '^[0-9]+:[0-9]+ +GPU' "$LOG/b-devices.log" | head -n 1)
note "(b) devices: $(status_word $rc); GPU: ${gpu:-NONE}"

# ---------------------------------------------------------------------------------------------------------
header "(c) tests on the GPU"
# The test executables read their data from paths compiled in under /work/main/tests/data.
if [ ! -e /work/main ]; then
    mkdir -p /work && ln -s "$REPO" /work/main && echo "linked /work/main -> $REPO"
fi
mkdir -p "$LOG/tests"
TESTS_END=$((SECONDS + TESTS_WINDOW)) # the whole step; each test also has its own limit
pass=0
fail=0
failed_names=""
run_test() { # NAME LIMIT CMD...
    local name=$1 limit=$2
    shift 2
    local left=$((TESTS_END - SECONDS))
    ((left < limit)) && limit=$left
    local rc
    if ((limit < 5)); then
        rc=125
        echo "skipped: the step's time is spent" >"$LOG/tests/$name.log"
    else
        run_logged "$limit" "$LOG/tests/$name.log" "$@"
        rc=$?
    fi
    printf '  %-28s %s (%ds)\n' "$name" "$(status_word $rc)" "$SECONDS"
    if ((rc == 0)); then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed_names="$failed_names $name:$(status_word $rc)"
        tail -n 15 "$LOG/tests/$name.log" | sed 's/^/      /'
    fi
}
for t in "$BUILD"/tests/test_*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    run_test "$(basename "$t")" 90 "$t"
done
if command -v python3 >/dev/null; then
    run_test test_cli.py 120 python3 "$REPO/tests/cli/test_cli.py" "$CLINIT" "$REPO"
    [ -f "$REPO/tests/cli/test_bench.py" ] &&
        run_test test_bench.py 60 python3 "$REPO/tests/cli/test_bench.py" "$CLINIT" "$REPO"
else
    fail=$((fail + 1))
    failed_names="$failed_names python3:missing"
fi
note "(c) tests on the GPU: $pass passed, $fail failed${failed_names:+:$failed_names}"

# ---------------------------------------------------------------------------------------------------------
header "(d) clinit bench on the GPU"
# Issue 15's families in f32 and bf16; device times only (the host path of 1G takes minutes on one thread).
run_logged 140 "$LOG/d-bench.log" "$CLINIT" bench --init uniform,normal,trunc_normal,xavier_uniform,kaiming_normal \
    --dtype f32,bf16 --size "$BENCH_SIZES" --repeat 5 --host-repeat 0
rc_bench=$?
cat "$LOG/d-bench.log"
run_logged 40 "$LOG/d-models.log" "$CLINIT" bench --models --repeat 5
rc_models=$?
cat "$LOG/d-models.log"
# The grid-stride experiment (host/context.c, CLINIT_ITEM_STRIDE) of the general kernels (boxes that are not
# whole rows of blocks): at most N work-items per run, each looping over the run's blocks, for each N of the
# list; whole tensors keep the rows kernels. Device times only: a few seconds each.
STRIDE_LIST=${DEVICE_CHECK_STRIDE_ITEMS:-1048576}
stride_words=""
for n in ${STRIDE_LIST//,/ }; do
    CLINIT_ITEM_BLOCKS=1 CLINIT_ITEM_STRIDE=$n run_logged 40 "$LOG/d-bench-stride-$n.log" "$CLINIT" bench \
        --init uniform,normal --dtype f32 --size "$BENCH_SIZES" --repeat 5 --host-repeat 0
    rc_stride=$?
    cat "$LOG/d-bench-stride-$n.log"
    stride_words="$stride_words $n: $(status_word $rc_stride);"
done
# The bf16 stores without the inline PTX conversion (host/context.c, CLINIT_PTX=0), beside the default's rows above.
CLINIT_PTX=0 run_logged 40 "$LOG/d-bench-ptx0.log" "$CLINIT" bench --init uniform,normal --dtype bf16 \
    --size "$BENCH_SIZES" --repeat 5 --host-repeat 0
rc_ptx0=$?
cat "$LOG/d-bench-ptx0.log"
note "(d) bench: $(status_word $rc_bench); bench --models: $(status_word $rc_models);" \
    "grid-stride (work-items per run)$stride_words bf16 without PTX: $(status_word $rc_ptx0)"

# ---------------------------------------------------------------------------------------------------------
header "(e) cuRAND Philox4x32-10 on the same sizes"
cc_bin=""
if command -v nvcc >/dev/null; then
    run_logged 45 "$LOG/e-curand-build.log" nvcc -O2 -arch=sm_90 "$REPO/bench/curand_compare.cu" -lcurand \
        -o "$WORK/curand_compare"
    rc=$?
    cat "$LOG/e-curand-build.log"
    if ((rc == 0)); then
        cc_bin=$WORK/curand_compare
    else
        # Without libcurand to link, the header-only device API still measures cuRAND's Philox.
        note "(e) nvcc build with -lcurand: $(status_word $rc); trying the device API alone"
        run_logged 45 "$LOG/e-curand-build-devapi.log" nvcc -O2 -arch=sm_90 -DCURAND_COMPARE_DEVICE_API_ONLY \
            "$REPO/bench/curand_compare.cu" -o "$WORK/curand_compare_devapi" && cc_bin=$WORK/curand_compare_devapi
        cat "$LOG/e-curand-build-devapi.log"
    fi
else
    echo "nvcc: not found on this machine"
fi
if [ -z "$cc_bin" ] && [ -x "$CARRY/../bin/curand_compare_devapi" ]; then
    cc_bin=$CARRY/../bin/curand_compare_devapi
    echo "using the prebuilt device-API comparison $cc_bin"
fi
if [ -n "$cc_bin" ]; then
    run_logged 30 "$LOG/e-curand.log" "$cc_bin" 256M 1G
    rc_cc=$?
    cat "$LOG/e-curand.log"
    note "(e) cuRAND: $(status_word $rc_cc) ($(basename "$cc_bin"))"
else
    rc_cc=-1
    note "(e) cuRAND: not run: no nvcc here and no prebuilt $CARRY/../bin/curand_compare_devapi"
fi

# ---------------------------------------------------------------------------------------------------------
header "(f) the driver's binary of clinit's program (PTX on NVIDIA's OpenCL)"
run_logged 60 "$LOG/f-program-binary.log" "$BUILD/tests/clinit_program_binary" "$LOG/clinit-program.ptx"
rc_bin=$?
cat "$LOG/f-program-binary.log"
head -n 20 "$LOG/clinit-program.ptx" 2>/dev/null | grep -aE '^\s*\.(version|target|address_size)'
note "(f) program binary: $(status_word $rc_bin) ($LOG/clinit-program.ptx: sass-count.sh FILE.ptx -k 'fill_(uniform|normal_g2)_f32$');" \
    "cvt.rn.bf16x2.f32 in it (the PTX bf16 stores, CLINIT_PTX): $(grep -ac 'cvt.rn.bf16x2.f32' "$LOG/clinit-program.ptx" 2>/dev/null)"

# ---------------------------------------------------------------------------------------------------------
header "(g) summary (full logs in $LOG)"
cat "$SUMMARY"
echo "--- machine"
sed 's/^ *//' "$LOG/a-machine.log"
echo "--- clinit bench (f32, bf16)"
grep -vE '^(/fill|host path:)' "$LOG/d-bench.log" 2>/dev/null | tail -n 22
for n in ${STRIDE_LIST//,/ }; do
    echo "--- clinit bench, grid-stride shape (CLINIT_ITEM_STRIDE=$n)"
    grep -E '^(uniform|normal) ' "$LOG/d-bench-stride-$n.log" 2>/dev/null
done
echo "--- clinit bench, bf16 without the PTX conversion (CLINIT_PTX=0)"
grep -E '^(uniform|normal) ' "$LOG/d-bench-ptx0.log" 2>/dev/null
echo "--- clinit bench --models"
tail -n 6 "$LOG/d-models.log" 2>/dev/null
if ((rc_cc >= 0)); then
    echo "--- cuRAND"
    tail -n 10 "$LOG/e-curand.log" 2>/dev/null
fi
echo "device-check done in ${SECONDS}s"
