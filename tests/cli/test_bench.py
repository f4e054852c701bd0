#!/usr/bin/env python3
"""Tests of `clinit bench`, standard library only: the JSON records parse, carry every key with positive,
finite numbers, and describe what was asked; the table and the usage errors. Tiny sizes and no timing
assertions: speed is shown by benchmarks (docs/BENCHMARKS.md), never by timed tests.

usage: test_bench.py PATH/TO/clinit SOURCE_DIR
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402
from memory_limits import address_space_limiter, device_memory_mib  # noqa: E402

CLINIT = os.path.abspath(sys.argv[1])
SOURCE_DIR = os.path.abspath(sys.argv[2])

DTYPE_SIZE = {"f32": 4, "f16": 2, "bf16": 2, "f64": 8}
# Always measured by default; trunc_normal too where the library has it.
DEFAULT_INITS = ["uniform", "normal", "xavier_uniform", "kaiming_normal"]
OPTIONAL_INITS = ["trunc_normal"]
MEASURED_KEYS = ["device_ms", "gbps", "gsamples_per_s", "fill_buffer_ms", "fill_buffer_gbps", "store_kernel_ms",
                 "store_kernel_gbps", "ratio_fill_buffer", "ratio_store_kernel", "host_path_ms", "host_generate_ms",
                 "speedup_vs_host"]
MODEL_KEYS = ["tensors", "parameters", "bytes", "fills", "launches", "device_ms", "gbps", "batch_launches",
              "batch_device_ms", "batch_gbps", "startup_warm_ms"]




# What bench measures: every initializer that fills its rank-2 tensors with its defaults (bench_args.c asks
# clinit_validate): by the registry's facts (`clinit inits --json`), those that take rank 2 and need no parameter.
MEASURABLE = ", ".join(
    i["name"] for i in json.loads(subprocess.run([CLINIT, "inits", "--json"], capture_output=True, text=True,
                                                 check=True).stdout)["initializers"]
    if i["min_rank"] <= 2 <= i["max_rank"] and not any(p["required"] for p in i["params"]))
# Before the registry, bench measured these; every one of them still is.
assert all(name in MEASURABLE.split(", ") for name in (
    "uniform", "normal", "zeros", "ones", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
    "linear_default_weight", "trunc_normal", "variance_scaling", "glorot_uniform", "glorot_normal", "he_uniform",
    "he_normal", "lecun_uniform", "lecun_normal", "orthogonal", "eye")), MEASURABLE
# Tests of the checks against the device's memory run under this limit (memory_limits.py says why).
address_space_limit = address_space_limiter(CLINIT)


def run(*args, preexec=None):
    p = subprocess.run([CLINIT, "bench"] + [str(a) for a in args], capture_output=True, text=True,
                       preexec_fn=preexec)
    return p.returncode, p.stdout, p.stderr


def records(out):
    """Every stdout line as a JSON object; a line that is not one is a failure."""
    recs = []
    for line in out.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            check(False, "a JSON object per line", repr(line))
            continue
        check(isinstance(rec, dict), "record is an object", repr(line))
        recs.append(rec)
    return recs


def positive(rec, key):
    v = rec.get(key)
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0


def test_families_json():
    rc, out, err = run("--size", "64K", "--repeat", 2, "--host-repeat", 1, "--json")
    if not check(rc == 0, "bench --json exits 0", err):
        return
    recs = records(out)
    seen = set()
    for rec in recs:
        name = "%s/%s" % (rec.get("init"), rec.get("dtype"))
        check(rec.get("init") in DEFAULT_INITS + OPTIONAL_INITS, name + ": init is a default family")
        check(rec.get("dtype") in DTYPE_SIZE, name + ": dtype")
        check(rec.get("bytes") == 65536 and rec.get("requested_bytes") == 65536, name + ": bytes", str(rec))
        check(isinstance(rec.get("device"), str) and rec["device"], name + ": device name")
        shape = rec.get("shape")
        numel = rec.get("numel")
        check(isinstance(shape, list) and len(shape) == 2 and shape[0] * shape[1] == numel,
              name + ": shape", str(shape))
        check(numel * DTYPE_SIZE.get(rec.get("dtype"), 0) == 65536, name + ": numel * dtype size == bytes")
        if "skipped" in rec:
            # A dtype the library does not generate yet: a note with the reason, never f32.
            check(rec["dtype"] != "f32" and isinstance(rec["skipped"], str) and rec["skipped"], name + ": skip note")
            check("device_ms" not in rec, name + ": a skipped record carries no time")
            continue
        seen.add((rec["init"], rec["dtype"]))
        for key in MEASURED_KEYS:
            check(positive(rec, key), "%s: %s is a positive finite number" % (name, key), repr(rec.get(key)))
        check(rec.get("repeat") == 2 and rec.get("host_repeat") == 1, name + ": repeat counts")
        # Derived numbers agree with the times they come from (rounded to 6 digits in the output).
        if positive(rec, "device_ms") and positive(rec, "gbps"):
            check(math.isclose(rec["gbps"], 65536 / rec["device_ms"] / 1e6, rel_tol=1e-4), name + ": gbps = bytes/time")
            check(math.isclose(rec["ratio_store_kernel"], rec["store_kernel_ms"] / rec["device_ms"], rel_tol=1e-4),
                  name + ": ratio_store_kernel = store time / device time")
    for init in DEFAULT_INITS:
        check((init, "f32") in seen, "f32 %s measured" % init)
    inits = {rec.get("init") for rec in recs}
    check(len(recs) == len(inits) * len(DTYPE_SIZE), "one record per init and dtype", str(len(recs)))


def test_table():
    rc, out, err = run("--size", "64K", "--repeat", 1, "--host-repeat", 1, "--init", "uniform", "--dtype", "f32")
    if not check(rc == 0, "bench table exits 0", err):
        return
    lines = out.splitlines()
    check(len(lines) >= 3 and "device ms" in lines[1] and "GB/s" in lines[1], "table header", out)
    rows = [l for l in lines if l.split()[:3] == ["uniform", "f32", "64K"]]
    check(len(rows) == 1, "one table row for uniform f32 64K", out)


def test_without_host_path():
    # --host-repeat 0 measures the device alone: "-" in the host columns, null in JSON; --repeat stays >= 1.
    rc, out, err = run("--size", "64K", "--repeat", 1, "--host-repeat", 0, "--init", "uniform", "--dtype", "f32")
    rows = [l.split() for l in out.splitlines() if l.split()[:3] == ["uniform", "f32", "64K"]]
    check(rc == 0 and "host path not measured (--host-repeat 0)" in out and len(rows) == 1
          and rows[0][-3:] == ["-", "-", "-"] and float(rows[0][3]) > 0, "table without the host path", out + err)
    rc, out, err = run("--size", "64K", "--repeat", 1, "--host-repeat", 0, "--init", "normal", "--dtype", "bf16",
                       "--json")
    recs = records(out) if rc == 0 else []
    check(len(recs) == 1 and recs[0]["host_repeat"] == 0 and recs[0]["device_ms"] > 0
          and all(recs[0][k] is None for k in ("host_path_ms", "host_generate_ms", "speedup_vs_host")),
          "JSON without the host path: nulls", out + err)
    rc, out, err = run("--size", "64K", "--repeat", 0)
    check(rc == 2 and err == 'clinit: --repeat "0": not an integer in 1..1000\n', "--repeat 0 refused", err)


def test_models_json():
    with tempfile.TemporaryDirectory() as tmp:
        manifest = os.path.join(tmp, "tiny.json")
        with open(manifest, "w") as f:
            json.dump({"seed": 3, "tensors": [
                {"name": "fc.weight", "shape": [64, 32], "init": "kaiming_normal"},
                {"name": "fc.bias", "shape": [64], "init": "linear_default_bias", "fan_from": "fc.weight"},
                {"name": "empty", "shape": [0, 4], "init": "xavier_uniform"}]}, f)
        rc, out, err = run("--models", "--manifest", manifest, "--repeat", 1, "--json")
        if not check(rc == 0, "bench --models exits 0", err):
            return
        recs = records(out)
        if not check(len(recs) == 1, "one record per manifest", out):
            return
        rec = recs[0]
        check(rec.get("model") == "tiny" and rec.get("manifest") == manifest, "model name and manifest", str(rec))
        for key in MODEL_KEYS:
            check(positive(rec, key), "models: %s is a positive finite number" % key, repr(rec.get(key)))
        check(rec.get("tensors") == 3 and rec.get("fills") == 2, "models: an empty tensor is no fill", str(rec))
        # one launch per tensor with elements; one for the whole batch (both element-wise f32 in one buffer)
        check(rec.get("launches") == 2 and rec.get("batch_launches") == 1, "models: launches 2, batched 1", str(rec))
        check(rec.get("parameters") == 64 * 32 + 64 and rec.get("bytes") == 4 * (64 * 32 + 64), "models: totals")
        cold = rec.get("startup_cold_ms", "missing")
        check(cold is None or positive(rec, "startup_cold_ms"), "models: startup_cold_ms positive or null", repr(cold))


def test_default_sizes_and_models():
    """Without --size, a CPU device (PoCL here) gets the short list (well under a minute for the whole default
    run), and the table says so; GPUs keep 1M..1G. --models finds the default manifests from any folder: this
    build's source tree (an installed tool finds share/clinit/manifests first: tests/install)."""
    rc, out, err = run("--repeat", 1, "--host-repeat", 0, "--init", "uniform", "--dtype", "f32", "--json")
    recs = records(out) if rc == 0 else []
    check([r.get("requested_bytes") for r in recs] == [1 << 20, 4 << 20], "default sizes on a CPU device: 1M, 4M",
          out + err)
    rc, out, err = run("--repeat", 1, "--host-repeat", 0, "--init", "uniform", "--dtype", "f32")
    check(rc == 0 and "note: sizes 1M,4M for a CPU device (1M,16M,256M,1G on others); --size chooses\n" in out,
          "table: the note on the CPU's sizes", out + err)
    rc, out, err = run("--repeat", 1, "--host-repeat", 0, "--init", "uniform", "--dtype", "f32", "--size", "64K")
    check(rc == 0 and "for a CPU device" not in out, "--size given: no note", out + err)
    with tempfile.TemporaryDirectory() as elsewhere:
        p = subprocess.run([CLINIT, "bench", "--models", "--repeat", "1", "--json"], capture_output=True, text=True,
                           cwd=elsewhere)
    recs = records(p.stdout) if p.returncode == 0 else []
    check([r.get("manifest") for r in recs] == [os.path.join(SOURCE_DIR, "examples", "manifests", m + ".json")
                                                for m in ("resnet50", "gpt2")],
          "--models from another folder: the source tree's manifests", p.stdout + p.stderr)


def test_unmeasurable_inits():
    # Initializers bench cannot measure on its rank-2 tensors with their defaults are refused before anything
    # runs (they printed "invalid rank" after an empty table, exit 1, or ran with the library's val = 0 and
    # sparsity = 0 that `clinit sample` refuses), with the list of those it measures.
    for init, why in (("dirac", "dirac cannot fill the rank-2 tensors bench fills (dirac needs rank 3, 4 or 5, got "
                                "rank 2)"),
                      ("delta_orthogonal", "delta_orthogonal cannot fill the rank-2 tensors bench fills "
                                           "(delta_orthogonal needs rank 3, 4 or 5, got rank 2)"),
                      ("constant", "constant needs --param val, which bench does not take"),
                      ("sparse", "sparse needs --param sparsity, which bench does not take"),
                      ("linear_default_bias", "linear_default_bias needs --param fan_in, which bench does not take")):
        rc, out, err = run("--init", "uniform," + init, "--size", "64K", "--repeat", 1, "--host-repeat", 0)
        check(rc == 2 and out == "" and err == 'clinit: --init "%s": %s; bench measures %s\n' % (init, why, MEASURABLE),
              "--init %s refused -> exit 2, nothing measured" % init, "rc %d, %r %r" % (rc, out, err))
    # The rank-2 ones that are not in the default list are measured.
    rc, out, err = run("--init", "eye,orthogonal", "--dtype", "f32", "--size", "64K", "--repeat", 1, "--host-repeat",
                       0, "--json")
    recs = records(out) if rc == 0 else []
    check(rc == 0 and [r.get("init") for r in recs] == ["eye", "orthogonal"]
          and all(r.get("device_ms", 0) > 0 for r in recs), "eye and orthogonal measured", out + err)




def largest_buffer():
    """CL_DEVICE_MAX_MEM_ALLOC_SIZE, from the message of `clinit sample` for a tensor above it."""
    p = subprocess.run([CLINIT, "sample", "uniform", "--shape", "1000000,1000000", "--out", "/dev/null"],
                       capture_output=True, text=True)
    m = re.search(r"largest buffer \((\d+) bytes\)", p.stderr)
    return int(m.group(1)) if m else None


def test_models_device_limits():
    # A model the device cannot hold is refused from its manifest before the table (it printed an empty table
    # and exited 1 in the fill or at the buffer), exit 2, in `clinit init`'s words; nothing is allocated.
    limit = largest_buffer()
    if not check(limit is not None, "the device's largest buffer"):
        return
    rows = limit // 32
    with tempfile.TemporaryDirectory() as tmp:
        def model(name, tensors):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                json.dump({"tensors": tensors}, f)
            return path
        bias = {"name": "b", "shape": [4], "init": "zeros"}
        cases = [
            # the orthogonal tensor fits the largest buffer (f16); its scratch buffer, about twice as large, does not
            (model("ortho.json", [{"name": "w", "shape": [rows, 16], "init": "orthogonal", "dtype": "f16"}]),
             'tensors[0] "w": shape: orthogonal of a %d x 16 matrix needs a scratch buffer of %d bytes, above the '
             "device's largest (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d bytes)" % (rows, (rows * 16 + 16) * 4, limit)),
            (model("huge.json", [bias, {"name": "w", "shape": [limit // 4 + 1], "init": "zeros"}]),
             'tensors[1] "w": shape: %d bytes exceed the device\'s largest buffer (%d bytes)'
             % (4 * (limit // 4 + 1), limit)),
            # each tensor fits; the batch pass's one buffer of them all (64-byte aligned) does not
            (model("arena.json", [{"name": n, "shape": [rows * 6], "init": "zeros"} for n in ("a", "b")]),
             "%d bytes of tensors in one buffer (as bench --models fills the model in one clinit_fill_batch) exceed "
             "the device's largest buffer (%d bytes)" % ((24 * rows + 63) // 64 * 64 + 24 * rows, limit))]
        # An orthogonal tensor (1, m) whose buffer and largest scratch buffer fit the largest buffer, but whose
        # scratch beside its buffer does not fit the device's memory, where the device's sizes allow one.
        m = limit // 4 - 1
        mib = device_memory_mib(CLINIT)
        if mib is not None and 12 * m + 8 > (mib + 1) << 20:
            cases.append((model("mem.json", [{"name": "w", "shape": [1, m], "init": "orthogonal"}]),
                          'tensors[0] "w": shape: orthogonal of a %d x 1 matrix needs %d bytes of scratch besides %d '
                          "bytes of other buffers, above the device's memory (CL_DEVICE_GLOBAL_MEM_SIZE = %%s bytes)"
                          % (m, 8 * m + 8, 4 * m)))
        else:
            print("skip: no orthogonal tensor the largest buffer holds is above the device's memory")
        for path, why in cases:
            rc, out, err = run("--models", "--manifest", path, "--repeat", 1, preexec=address_space_limit)
            if "%s" in why:  # the device's memory, in MiB from `clinit devices`, exact in the message
                memory = re.search(r"above the device's memory \(CL_DEVICE_GLOBAL_MEM_SIZE = (\d+) bytes\)", err)
                why = why % (memory.group(1) if memory and int(memory.group(1)) >> 20 == mib else "?")
            check(rc == 2 and out == "" and err == "clinit: %s: %s\n" % (path, why),
                  "bench --models %s -> exit 2 before the table" % os.path.basename(path),
                  "rc %d, %r %r" % (rc, out, err))


def test_families_device_limits():
    # An orthogonal row whose scratch cannot fit the device is refused before the table, exit 2, naming the row
    # (it failed in the fill, exit 1, after the rows before it were printed); nothing is allocated. 64T is capped
    # to the largest size the device holds (bench_dev_cap), whose scratch, (m·1024 + 1024)·4 bytes in its
    # largest buffer and about three times the data in all, never fits beside the bench's buffer.
    limit, mib = largest_buffer(), device_memory_mib(CLINIT)
    if not check(limit is not None and mib is not None, "the device's largest buffer and memory"):
        return
    rc, out, err = run("--init", "uniform,orthogonal", "--dtype", "f32", "--size", "1M,64T", "--repeat", 1,
                       preexec=address_space_limit)
    cap = min(limit, (mib << 20) // 2) & ~((1 << 20) - 1)
    if cap == limit:  # the largest scratch buffer is 4 KiB above the largest buffer
        size = "%dG" % (cap >> 30) if cap % (1 << 30) == 0 else "%dM" % (cap >> 20)
        want = ("clinit: --init orthogonal --dtype f32 --size 64T (%s on this device): orthogonal of a %d x 1024 "
                "matrix needs a scratch buffer of %d bytes, above the device's largest (CL_DEVICE_MAX_MEM_ALLOC_SIZE "
                "= %d bytes); give a smaller --size\n" % (size, cap // 4096, cap + 4096, limit))
        check(rc == 2 and out == "" and err == want, "bench orthogonal at the cap -> exit 2 before the table",
              "rc %d, %r %r" % (rc, out, err))
    else:  # the device's memory, not its largest buffer, is the limit
        check(rc == 2 and out == "" and err.startswith("clinit: --init orthogonal --dtype f32 --size 64T (")
              and "bytes of scratch besides" in err and err.endswith("; give a smaller --size\n"),
              "bench orthogonal at the cap -> exit 2 before the table", "rc %d, %r %r" % (rc, out, err))


def test_usage_errors():
    # Sizes are decimal digits, then K, M, G or T, as the help says: no hex, sign or blank.
    for size in ("0x10K", "0x40", "+64K", " 64K", "64K ", "64 K", "64k", "K"):
        rc, out, err = run("--size", size, "--repeat", 1, "--host-repeat", 1)
        check(rc == 2 and err == 'clinit: --size "%s": not a positive multiple of 16 bytes (digits, then K, M, G or '
              'T)\n' % size and out == "", "--size %r: exit 2 naming --size" % size, "rc %d, %r" % (rc, err))
    for args, what in [(["--size", "17"], "a size not a multiple of 16"), (["--size", "0"], "size 0"),
                       (["--init", "nope"], "an unknown initializer"), (["--dtype", "f8"], "an unknown dtype"),
                       (["--repeat", "0"], "repeat 0"), (["--manifest", "x.json"], "--manifest without --models"),
                       (["--models", "--manifest", "/nonexistent/m.json"], "a missing manifest"),
                       (["--models", "--size", "1M"], "--models with --size")]:
        rc, out, err = run(*args)
        check(rc == 2 and err.startswith("clinit: "), "exit 2 with a message for " + what, "rc %d, %r" % (rc, err))
    rc, out, err = run("--help")
    check(rc == 0 and "--models" in out and "--json" in out, "bench --help", out)


test_usage_errors()
test_unmeasurable_inits()
test_models_device_limits()
test_families_device_limits()
test_families_json()
test_table()
test_without_host_path()
test_models_json()
test_default_sizes_and_models()
sys.exit(report())
