#!/usr/bin/env python3
"""End-to-end tests of the clinit command-line tool, standard library only (no numpy in CI).

usage: test_cli.py PATH/TO/clinit SOURCE_DIR

Statistical checks use a bound of Z standard errors: for a statistic that is (close to) normal, the
two-sided false-alarm probability of |error| > 6 SE is about 2e-9 per check, so a failure means a bug,
not bad luck. Every value is deterministic anyway (fixed seeds): a check that passes keeps passing.
"""
import ast
import filecmp
import json
import math
import os
import re
import resource
import signal
import stat
import statistics
import struct
import subprocess
import sys
import tempfile
import time

from checks import check, report  # next to this script, so on sys.path
from memory_limits import address_space_limiter, device_memory_mib
from safetensors_read import read_safetensors, tensor
from tempfiles import data_sizes

Z = 6.0  # standard errors; P(|N(0,1)| > 6) ~ 2e-9

CLINIT = os.path.abspath(sys.argv[1])
SOURCE_DIR = os.path.abspath(sys.argv[2])
# The generation contract version the files must name (include/clinit.h).
GENERATION = re.search(r"#define CLINIT_GENERATION_VERSION (\d+)",
                       open(os.path.join(SOURCE_DIR, "include", "clinit.h")).read()).group(1)




def run(*args, preexec=None, env=None):
    p = subprocess.run([CLINIT] + [str(a) for a in args], capture_output=True, text=True, preexec_fn=preexec,
                       env=dict(os.environ, **(env or {})))
    return p.returncode, p.stdout, p.stderr


# Tests of the checks against the device's memory run under this limit (memory_limits.py says why).
address_space_limit = address_space_limiter(CLINIT)


def usage_error(args, needles, what, env=None):
    """clinit ARGS exits 2 with one line on stderr that holds every needle."""
    rc, _, err = run(*args, env=env)
    return check(rc == 2 and all(n in err for n in needles) and err.count("\n") == 1,
                 "%s -> exit 2 naming %s" % (what, ", ".join(needles)), "rc %d: %s" % (rc, err))


# --- file formats ------------------------------------------------------------------------------------------

NPY_DESCR = {"<f4": ("f", 4), "<f2": ("e", 2), "<f8": ("d", 8), "<i4": ("i", 4), "<i8": ("q", 8)}


def read_npy(path):
    """(shape, list of values, raw bytes) of a little-endian C-order .npy v1.0 of a dtype of NPY_DESCR, checking
    the header layout; read_npy.descr is the last file's dtype."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x93NUMPY\x01\x00", "magic/version %r" % data[:8]
    hlen = struct.unpack("<H", data[8:10])[0]
    assert (10 + hlen) % 64 == 0, "data not 64-aligned: header length %d" % hlen
    header = data[10:10 + hlen].decode("latin1")
    assert header.endswith("\n"), "header does not end with a newline"
    d = ast.literal_eval(header.strip())
    assert d["descr"] in NPY_DESCR and d["fortran_order"] is False, d
    code, size = NPY_DESCR[d["descr"]]
    read_npy.descr = d["descr"]
    shape = d["shape"]
    n = math.prod(shape)
    body = data[10 + hlen:]
    assert len(body) == size * n, "data size %d != %d * %d" % (len(body), size, n)
    return shape, list(struct.unpack("<%d%s" % (n, code), body)), body


def xxh64(data, seed=0):
    """XXH64 (xxHash spec), to compute the stream clinit derives from a tensor name."""
    P1, P2, P3, P4, P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63,
                          0x27D4EB2F165667C5)
    M = (1 << 64) - 1
    rotl = lambda x, r: ((x << r) | (x >> (64 - r))) & M
    rnd = lambda acc, lane: (rotl((acc + lane * P2) & M, 31) * P1) & M

    def merge(acc, v):
        return ((acc ^ rnd(0, v)) * P1 + P4) & M

    n, i = len(data), 0
    if n >= 32:
        v = [(seed + P1 + P2) & M, (seed + P2) & M, seed, (seed - P1) & M]
        while i + 32 <= n:
            for k in range(4):
                v[k] = rnd(v[k], struct.unpack_from("<Q", data, i + 8 * k)[0])
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M
        for k in range(4):
            h = merge(h, v[k])
    else:
        h = (seed + P5) & M
    h = (h + n) & M
    while i + 8 <= n:
        h = (rotl(h ^ rnd(0, struct.unpack_from("<Q", data, i)[0]), 27) * P1 + P4) & M
        i += 8
    if i + 4 <= n:
        h = (rotl(h ^ (struct.unpack_from("<I", data, i)[0] * P1 & M), 23) * P2 + P3) & M
        i += 4
    while i < n:
        h = (rotl(h ^ (data[i] * P5 & M), 11) * P1) & M
        i += 1
    h = ((h ^ (h >> 33)) * P2) & M
    h = ((h ^ (h >> 29)) * P3) & M
    return h ^ (h >> 32)


def moments(v):
    n = len(v)
    mean = sum(v) / n
    var = sum((x - mean) ** 2 for x in v) / n
    return mean, var


def check_normal(v, mu, sigma, what):
    """Mean within Z·σ/√n; variance within Z·σ²·√(2/n) (the SE of a normal sample's variance)."""
    n = len(v)
    mean, var = moments(v)
    check(abs(mean - mu) <= Z * sigma / math.sqrt(n), what + " mean", "%g vs %g" % (mean, mu))
    check(abs(var - sigma ** 2) <= Z * sigma ** 2 * math.sqrt(2.0 / n), what + " std",
          "%g vs %g" % (math.sqrt(var), sigma))


def f32(x):
    """x rounded to float32, as the library rounds a resolved bound before sampling."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def check_uniform(v, a, b, what):
    """All in [a, b) (bounds as float32); mean within Z·SE; variance within Z·√((μ4 − σ⁴)/n), μ4 = w⁴/80,
    σ² = w²/12."""
    n, w = len(v), b - a
    check(all(f32(a) <= x < f32(b) for x in v), what + " range", "min %g max %g" % (min(v), max(v)))
    mean, var = moments(v)
    sigma2 = w * w / 12
    check(abs(mean - (a + b) / 2) <= Z * math.sqrt(sigma2 / n), what + " mean", "%g" % mean)
    check(abs(var - sigma2) <= Z * math.sqrt((w ** 4 / 80 - sigma2 ** 2) / n), what + " variance",
          "%g vs %g" % (var, sigma2))


# --- tests -------------------------------------------------------------------------------------------------

def test_help_version_devices():
    for args in (["--help"], ["help"], ["help", "sample"], ["sample", "--help"], ["init", "--help"],
                 ["devices", "--help"], ["inits", "--help"], ["help", "inits"]):
        rc, out, _ = run(*args)
        check(rc == 0 and "usage" in out and "clinit " in out, "clinit %s" % " ".join(args), out[:200])
    for cmd in ("sample", "init", "devices", "inits"):
        _, out, _ = run(cmd, "--help")
        check("example" in out, "%s --help has an example" % cmd)
    rc, out, _ = run("--version")
    check(rc == 0 and out.startswith("clinit ") and out.strip().split()[1].count(".") == 2, "--version", out)
    rc, out, err = run("devices")
    check(rc == 0, "devices exit 0", err)
    check(any(line.startswith("0:0 ") for line in out.splitlines()), "devices lists 0:0", out)
    # The USED column marks the device CLINIT_DEVICE selects: 0:0 when asked for, none for a device that is not.
    rc, out, err = run("devices", env={"CLINIT_DEVICE": "0:0"})
    marked = [line for line in out.splitlines() if re.match(r"^\d+:\d+ .*  \*  ", line)]
    check(rc == 0 and len(marked) == 1 and marked[0].startswith("0:0 "), "devices marks CLINIT_DEVICE=0:0", out)
    rc, out, err = run("devices", env={"CLINIT_DEVICE": "99:99"})
    check(rc == 0 and "no device marked" in out and "99:99" in out and not re.search(r"  \*  ", out),
          "devices with CLINIT_DEVICE=99:99 marks none", out)
    # A POCL_CACHE_DIR that cannot be PoCL's kernel cache (a regular file, or a folder under one): PoCL says
    # only "failed to build" or finds no device; the message names the variable. Nothing is written.
    with tempfile.TemporaryDirectory() as tmp:
        afile = os.path.join(tmp, "afile")
        open(afile, "w").close()
        for cache in (afile, os.path.join(afile, "sub")):
            out = os.path.join(tmp, "x.npy")
            rc, _, err = run("sample", "normal", "--shape", "4", "--out", out, env={"POCL_CACHE_DIR": cache})
            check(rc == 1 and ('(POCL_CACHE_DIR="%s" is not a writable folder: PoCL keeps the compiled kernels there'
                               % cache) in err and not os.path.exists(out),
                  "POCL_CACHE_DIR=%s: the message names it" % cache, "rc %d: %s" % (rc, err))
    # Exit statuses are documented in the overview.
    _, out, _ = run("--help")
    check(all(s in out for s in ("exit status", "0 success", "1 runtime", "2 usage", "128+N", "SIGKILL")),
          "--help documents exit statuses", out)
    _, out, _ = run("sample", "--help")
    check(all(s in out for s in ("--dtype", "bf16", "--in-axes", "--out-axes", "--batch-axes", "--name", "symbolic",
                                 "/dev/null", "trunc_normal", "sparse", "--layout axes")), "sample --help flags", out)
    _, out, _ = run("init", "--help")
    check(all(s in out for s in ("dtype", "in_axes", "split_dim", "examples")), "init --help keys", out)
    for args in (["frobnicate"], ["help", "frobnicate"]):
        rc, _, err = run(*args)
        check(rc == 2 and "frobnicate" in err, "%s -> exit 2" % " ".join(args), err)


def test_sample(tmp):
    out = os.path.join(tmp, "u.npy")
    rc, so, err = run("sample", "uniform", "--shape", "1000,10", "--param", "a=-2", "--param", "b=3", "--out", out)
    if not check(rc == 0, "sample uniform exit 0", err):
        return
    check(so.count("\n") == 1 and "n=10000" in so and "expected: U[-2, 3)" in so, "sample summary line", so)
    # bounds close together are printed apart, and -0 as 0 (U[0.1, 0.1) and std -0 were printed)
    near = os.path.join(tmp, "summary.npy")
    for params, want in ((["a=0.1", "b=0.1000001"], "expected: U[0.1, 0.1000001) std"),
                         (["a=0.5", "b=0.5000001"], "expected: U[0.5, 0.5000001) std")):
        rc, so, err = run("sample", "uniform", "--shape", "4", "--out", near, "--force",
                          *[x for p in params for x in ("--param", p)])
        check(rc == 0 and want in so, "summary of uniform %s" % " ".join(params), err + so)
    rc, so, err = run("sample", "normal", "--shape", "4", "--out", near, "--force", "--param", "std=-0")
    check(rc == 0 and so.endswith("expected: mean 0 std 0\n"), "summary of std=-0", err + so)
    rc, so, err = run("sample", "trunc_normal", "--shape", "4", "--out", near, "--force", "--param", "a=0.5",
                      "--param", "b=0.5000001")
    check(rc == 0 and "on [0.5, 0.5000001]" in so, "summary of a narrow trunc_normal", err + so)
    shape, v, raw = read_npy(out)
    check(shape == (1000, 10), "npy shape", str(shape))
    check_uniform(v, -2.0, 3.0, "uniform[-2,3)")

    # Same seed: same bytes; another seed or stream: other bytes.
    def sample_bytes(*extra):
        path = os.path.join(tmp, "s.npy")
        rc, _, err = run("sample", "uniform", "--shape", "1000,10", "--param", "a=-2", "--param", "b=3",
                         "--out", path, "--force", *extra)
        check(rc == 0, "sample %s" % " ".join(extra), err)
        return read_npy(path)[2]

    check(sample_bytes() == raw, "same seed gives identical bytes")
    check(sample_bytes("--seed", "0") == raw, "--seed 0 is the default")
    check(sample_bytes("--seed", "1") != raw, "--seed 1 changes the bytes")
    check(sample_bytes("--seed", "0x1") == sample_bytes("--seed", "1"), "--seed 0x1 == --seed 1")
    check(sample_bytes("--stream", "1") != raw, "--stream 1 changes the bytes")

    path = os.path.join(tmp, "k.npy")
    rc, so, err = run("sample", "kaiming_normal", "--shape", "256,128", "--param", "mode=fan_out",
                      "--param", "nonlinearity=relu", "--param", "a=0.1", "--out", path)
    if check(rc == 0, "sample kaiming_normal", err):
        sigma = math.sqrt(2.0) / math.sqrt(256)
        check("expected: mean 0 std %.6g" % sigma in so, "kaiming summary", so)
        check_normal(read_npy(path)[1], 0.0, sigma, "kaiming_normal fan_out relu")

    path = os.path.join(tmp, "n.npy")
    rc, so, err = run("sample", "normal", "--shape", "20000", "--param", "mean=1.5", "--param", "std=0.25",
                      "--seed", "18446744073709551615", "--out", path)
    if check(rc == 0, "sample normal", err):
        shape, v, _ = read_npy(path)
        check(shape == (20000,), "1-d npy shape", str(shape))
        check_normal(v, 1.5, 0.25, "normal(1.5, 0.25)")

    path = os.path.join(tmp, "c.npy")
    rc, so, err = run("sample", "constant", "--shape", "3,4", "--param", "val=0.5", "--out", path)
    check(rc == 0 and read_npy(path)[1] == [0.5] * 12 and "expected: constant 0.5" in so, "constant 0.5", err)

    path = os.path.join(tmp, "x.npy")
    rc, so, err = run("sample", "xavier_uniform", "--shape", "3,3,100,50", "--layout", "io", "--out", path)
    if check(rc == 0, "sample xavier_uniform io", err):
        bound = math.sqrt(6.0 / (9 * 100 + 9 * 50))
        check_uniform(read_npy(path)[1], -bound, bound, "xavier_uniform io")

    # Zero elements and rank 0.
    path = os.path.join(tmp, "z.npy")
    rc, so, err = run("sample", "normal", "--shape", "0,5", "--out", path)
    check(rc == 0 and "n=0 (no values) expected: nothing to sample" in so and read_npy(path)[0] == (0, 5),
          "zero-element sample", err + so)
    rc, so, err = run("sample", "uniform", "--shape", "3,0", "--out", path, "--force")
    check(rc == 0 and "nothing to sample" in so and "constant" not in so, "empty uniform is not 'constant 0'", so)
    rc, so, err = run("sample", "ones", "--shape", "", "--out", path, "--force")
    check(rc == 0 and read_npy(path)[:2] == ((), [1.0]), "rank-0 sample", err + so)


def test_sample_errors(tmp):
    out = os.path.join(tmp, "e.npy")
    cases = [
        (["sample", "kaiming_norml", "--shape", "3,3"], "kaiming_norml"),
        (["sample", "uniform", "--shape", "-1,3"], "--shape"),
        (["sample", "uniform", "--shape", "3,x"], "--shape"),
        (["sample", "uniform", "--shape", "1,1,1,1,1,1,1,1,1"], "--shape"),
        (["sample", "uniform", "--shape", "99999999999999999999"], "--shape"),
        (["sample", "kaiming_normal", "--shape", "10"], "--shape"),
        (["sample", "uniform", "--shape", "3", "--param", "std=1"], "std"),
        (["sample", "uniform", "--shape", "3", "--param", "a=abc"], "a"),
        (["sample", "uniform", "--shape", "3", "--param", "a=5"], "--param"),
        (["sample", "kaiming_normal", "--shape", "3,3", "--param", "mode=fan_middle"], "mode"),
        (["sample", "uniform", "--shape", "3", "--seed", "-1"], "--seed"),
        (["sample", "uniform", "--shape", "3", "--stream", "0x"], "--stream"),
        (["sample", "uniform", "--shape", "3", "--layout", "xy"], "--layout"),
        (["sample", "uniform", "--shape", "3", "--bogus"], "--bogus"),
    ]
    for args, needle in cases:
        rc, _, err = run(*args, "--out", out)
        check(rc == 2 and needle in err and err.count("\n") == 1, "%s -> exit 2 naming %s" % (" ".join(args), needle),
              "rc %d: %s" % (rc, err))
    rc, _, err = run("sample", "uniform", "--shape", "3")
    check(rc == 2 and "--out" in err, "missing --out", err)
    check(not os.path.exists(out), "no output after errors")

    # An existing file is kept without --force, replaced with it.
    with open(out, "wb") as f:
        f.write(b"precious")
    rc, _, err = run("sample", "uniform", "--shape", "3", "--out", out)
    check(rc == 2 and "--force" in err and open(out, "rb").read() == b"precious", "existing --out kept", err)
    rc, _, err = run("sample", "uniform", "--shape", "3", "--out", out, "--force")
    check(rc == 0 and read_npy(out)[0] == (3,), "--force replaces", err)

    # A runtime failure after the output was started (no such device) leaves nothing behind either.
    devfail = os.path.join(tmp, "devfail")
    os.mkdir(devfail)
    p = subprocess.run([CLINIT, "sample", "uniform", "--shape", "3", "--out", os.path.join(devfail, "a.npy")],
                       capture_output=True, text=True, env=dict(os.environ, CLINIT_DEVICE="99:99"))
    check(p.returncode == 1 and "device" in p.stderr and os.listdir(devfail) == [], "CLINIT_DEVICE=99:99 -> exit 1",
          "rc %d: %s" % (p.returncode, p.stderr))

    missing = os.path.join(tmp, "no-such-folder")
    rc, _, err = run("sample", "uniform", "--shape", "3", "--out", os.path.join(missing, "a.npy"))
    check(rc != 0 and not os.path.exists(missing), "folder that does not exist", err)

    # A full disk: the write fails, no output and no temporary file are left.
    if os.path.exists("/dev/full"):
        before = set(os.listdir("/dev"))
        rc, _, err = run("sample", "uniform", "--shape", "1000", "--out", "/dev/full", "--force")
        check(rc == 1 and "/dev/full" in err, "write to /dev/full fails", "rc %d: %s" % (rc, err))
        check(set(os.listdir("/dev")) <= before, "nothing left in /dev")
    else:
        print("skip: /dev/full does not exist")
    # A run that cannot write its summary (stdout on a full disk, or closed) fails whole: exit 1, one line, and
    # no output file (the file was renamed into place first, then the summary failed).
    summary_manifest = os.path.join(tmp, "summary.json")
    with open(summary_manifest, "w") as f:
        json.dump({"tensors": [{"name": "w", "shape": [4], "init": "zeros"}]}, f)
    for stdout, why in (("/dev/full", "No space left on device"), (None, "Bad file descriptor")):
        if stdout and not os.path.exists(stdout):
            continue
        for k, args in enumerate((["sample", "normal", "--shape", "4"], ["init", "--manifest", summary_manifest])):
            target = os.path.join(tmp, "unreported%d%s" % (k, ".npy" if k == 0 else ".safetensors"))
            sink = open(stdout, "w") if stdout else subprocess.DEVNULL
            p = subprocess.run([CLINIT] + args + ["--out", target], stdout=sink, stderr=subprocess.PIPE, text=True,
                               pass_fds=(), close_fds=True, preexec_fn=None if stdout else lambda: os.close(1))
            if stdout:
                sink.close()
            left = [n for n in os.listdir(tmp) if n.startswith(".unreported") or n.startswith("unreported")]
            check(p.returncode == 1 and p.stderr == "clinit: writing to stdout: %s\n" % why and not left,
                  "%s with stdout %s -> exit 1, one line, no file" % (args[0], stdout or "closed"),
                  "rc %d: %r, left %s" % (p.returncode, p.stderr, left))
    # A file-size limit fails a regular file's write even for root (chmod would not).
    limited = os.path.join(tmp, "limited")
    os.mkdir(limited)
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
    rc, _, err = run("sample", "uniform", "--shape", "100000", "--out", os.path.join(limited, "big.npy"), preexec=limit)
    check(rc == 1 and os.listdir(limited) == [], "failed write leaves nothing",
          "rc %d: %s, %s" % (rc, err, os.listdir(limited)))


def write_manifest(tmp, name, tensors, **top):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(dict(model="test", source="tests/cli", tensors=tensors, **top), f)
    return path


CONV = {"name": "conv1.weight", "shape": [64, 16, 3, 3], "init": "kaiming_normal",
        "params": {"mode": "fan_out", "nonlinearity": "relu"}}
FC_W = {"name": "fc.weight", "shape": [100, 512], "init": "linear_default_weight"}
FC_B = {"name": "fc.bias", "shape": [100], "init": "linear_default_bias", "fan_from": "fc.weight"}
BN_W = {"name": "bn1.weight", "shape": [64], "init": "ones", "params": {}}
BN_B = {"name": "bn1.bias", "shape": [64], "init": "zeros"}
# An attention projection (d_model, heads, head_dim) contracting axis 0: fan_in = fan_out = 768.
ATTN = {"name": "attn.qkv", "shape": [768, 12, 64], "init": "glorot_uniform", "layout": "axes", "in_axes": [0],
        "out_axes": [1, 2]}


def init(tmp, manifest, out, *extra):
    rc, so, err = run("init", "--manifest", manifest, "--out", out, *extra)
    if not check(rc == 0, "init %s" % os.path.basename(manifest), err):
        return None, None, so
    return (*read_safetensors(out), so)


def test_init(tmp):
    m = write_manifest(tmp, "small.json", [CONV, FC_W, FC_B, BN_W, BN_B], seed=3, layout="oi", n_layer=1)
    out = os.path.join(tmp, "small.safetensors")
    header, body, so = init(tmp, m, out)
    if header is None:
        return
    meta = header["__metadata__"]
    check(meta.get("format") == "pt" and meta.get("generator", "").startswith("clinit ") and meta.get("seed") == "3",
          "metadata", str(meta))
    names = [k for k in header if k != "__metadata__"]
    check(names == ["conv1.weight", "fc.weight", "fc.bias", "bn1.weight", "bn1.bias"], "manifest order", str(names))
    for t in (CONV, FC_W, FC_B, BN_W, BN_B):
        check(header[t["name"]]["shape"] == t["shape"], "%s shape" % t["name"])
    nparams = 64 * 16 * 9 + 100 * 512 + 100 + 64 + 64
    check(("5 tensors, %d values, %d bytes" % (nparams, 4 * nparams)) in so and "GB/s" in so and out in so,
          "init summary", so)

    check(tensor(header, body, "bn1.weight")[0] == [1.0] * 64, "ones exact")
    check(tensor(header, body, "bn1.bias")[0] == [0.0] * 64, "zeros exact")
    check_normal(tensor(header, body, "conv1.weight")[0], 0.0, math.sqrt(2.0 / (64 * 9)), "conv kaiming fan_out")
    wb = 1 / math.sqrt(512)
    check_uniform(tensor(header, body, "fc.weight")[0], -wb, wb, "linear_default_weight")
    bias = tensor(header, body, "fc.bias")[0]
    check(all(f32(-wb) <= x < f32(wb) for x in bias) and max(map(abs, bias)) > wb / 2,
          "bias within 1/sqrt(fan_in of fc.weight)")

    # Streams come from names: reordering or adding tensors changes no other tensor's bytes.
    # A name of 32 bytes or more also exercises XXH64's 32-byte stripes in the check further down.
    extra = {"name": "transformer.h.11.mlp.c_fc.weight.a_long_name", "shape": [7, 7], "init": "normal"}
    # split_dim (clinit-mpi's tensor-parallel split) changes nothing in a single-process run.
    m2 = write_manifest(tmp, "reordered.json",
                        [dict(BN_B, split_dim=None), extra, FC_B, CONV, BN_W, dict(FC_W, split_dim=1)], seed=3)
    h2, b2, _ = init(tmp, m2, os.path.join(tmp, "reordered.safetensors"))
    if h2 is not None:
        for name in names:
            check(tensor(h2, b2, name)[1] == tensor(header, body, name)[1], "%s unchanged by reordering" % name)

    # --seed overrides the manifest's seed.
    h3, b3, _ = init(tmp, m, os.path.join(tmp, "seed7.safetensors"), "--seed", "7")
    if h3 is None:
        return
    check(h3["__metadata__"]["seed"] == "7", "--seed in metadata")
    check(tensor(h3, b3, "conv1.weight")[1] != tensor(header, body, "conv1.weight")[1], "--seed changes values")

    # clinit sample with --stream = XXH64(name) reproduces the tensor of clinit init.
    check(xxh64(b"") == 0xEF46DB3751D8E999, "xxh64 test vector")
    npy = os.path.join(tmp, "conv.npy")
    rc, _, err = run("sample", "kaiming_normal", "--shape", "64,16,3,3", "--param", "mode=fan_out",
                     "--param", "nonlinearity=relu", "--seed", "7", "--stream", xxh64(b"conv1.weight"), "--out", npy)
    check(rc == 0 and read_npy(npy)[2] == tensor(h3, b3, "conv1.weight")[1], "sample --stream XXH64(name) == init", err)
    # --stream NAME: the name's stream, as init takes it (and Python's stream_from_name: the same XXH64), whatever
    # --name says (metadata only); a number stays the stream itself.
    rc, _, err = run("sample", "kaiming_normal", "--shape", "64,16,3,3", "--param", "mode=fan_out", "--param",
                     "nonlinearity=relu", "--seed", "7", "--stream", "conv1.weight", "--out", npy, "--force")
    check(rc == 0 and read_npy(npy)[2] == tensor(h3, b3, "conv1.weight")[1], "sample --stream conv1.weight == init", err)
    named = os.path.join(tmp, "stream-named.safetensors")
    rc, _, err = run("sample", "kaiming_normal", "--shape", "64,16,3,3", "--param", "mode=fan_out", "--param",
                     "nonlinearity=relu", "--seed", "7", "--stream", "conv1.weight", "--name", "other", "--out", named)
    hn, bn = read_safetensors(named) if rc == 0 else (None, None)
    check(rc == 0 and tensor(hn, bn, "other")[1] == tensor(h3, b3, "conv1.weight")[1] and
          hn["__metadata__"]["stream"] == str(xxh64(b"conv1.weight")),
          "sample --stream conv1.weight --name other: the stream of conv1.weight, recorded as its number", err)
    rc, _, err = run("sample", "normal", "--shape", "8", "--stream", "0.weight", "--out", npy, "--force")
    v_name = read_npy(npy)[2] if rc == 0 else None
    rc2, _, err2 = run("sample", "normal", "--shape", "8", "--stream", str(xxh64(b"0.weight")), "--out", npy, "--force")
    check(rc == 0 and rc2 == 0 and v_name == read_npy(npy)[2], "--stream 0.weight (a name that starts with a digit)",
          err + err2)
    if h2 is not None:
        rc, _, err = run("sample", "normal", "--shape", "7,7", "--seed", "3", "--stream", xxh64(extra["name"].encode()),
                         "--out", npy, "--force")
        check(rc == 0 and read_npy(npy)[2] == tensor(h2, b2, extra["name"])[1], "long name: sample == init", err)


def test_init_slabs(tmp):
    """clinit init writes tensors above 16 MiB in slabs (boxes of the logical tensor); the bytes must be those
    of the whole tensor from clinit sample: slabs along dimension 0 with a short last one (40 × 300 × 1000:
    13 + 13 + 13 + 1 rows), slabs inside one long row carried into the next row (3 × 5000000), 16-bit values,
    truncated normal and sparse (whose zeros are per column). orthogonal is never split."""
    cases = [
        ("a", [40, 300, 1000], "normal", {"std": 0.02}, "f32"),
        ("b", [3, 5000000], "uniform", {"a": -1, "b": 2}, "f32"),
        ("c", [5000, 3000], "trunc_normal", {"std": 0.5, "a": -0.3, "b": 0.9}, "bf16"),
        ("d", [9000, 1000], "sparse", {"sparsity": 0.3, "std": 0.1}, "f16"),
        ("e", [2100, 2000], "orthogonal", {}, "f32"),
    ]
    m = write_manifest(tmp, "slabs.json", [dict(name=n, shape=sh, init=i, params=p, dtype=dt)
                                           for n, sh, i, p, dt in cases], seed=5)
    header, body, _ = init(tmp, m, os.path.join(tmp, "slabs.safetensors"))
    if header is None:
        return
    st = os.path.join(tmp, "whole.safetensors")
    for name, shape, init_name, params, dtype in cases:
        args = ["sample", init_name, "--shape", ",".join(map(str, shape)), "--dtype", dtype, "--seed", "5",
                "--stream", xxh64(name.encode()), "--out", st, "--name", name, "--force"]
        for k, v in params.items():
            args += ["--param", "%s=%s" % (k, v)]
        rc, _, err = run(*args)
        if check(rc == 0, "slabs: sample %s" % name, err):
            h, b = read_safetensors(st)
            check(tensor(h, b, name)[1] == tensor(header, body, name)[1],
                  "slabs: init's %s %s %s == the whole tensor" % (init_name, "x".join(map(str, shape)), dtype))
    os.remove(st)
    os.remove(os.path.join(tmp, "slabs.safetensors"))


def test_manifest_errors(tmp):
    out = os.path.join(tmp, "bad.safetensors")
    cases = [
        ("syntax.json", '{"tensors": [', "invalid JSON"),
        ("noshape.json", {"tensors": [{"name": "w", "init": "ones"}]}, '"w": shape'),
        ("fanfrom.json", {"tensors": [FC_W, dict(FC_B, fan_from="fc.weigth")]}, 'tensors[1] "fc.bias": fan_from'),
        ("dup.json", {"tensors": [BN_W, dict(BN_B, name="bn1.weight")]}, 'tensors[1] "bn1.weight": name'),
        ("unknown.json", {"tensors": [dict(BN_W, colour="red")]}, '"bn1.weight": colour'),
        ("badinit.json", {"tensors": [dict(BN_W, init="onez")]}, '"bn1.weight": init'),
        ("badparam.json", {"tensors": [dict(CONV, params={"std": 1})]}, '"conv1.weight": params.std'),
        ("rank.json", {"tensors": [dict(CONV, shape=[64])]}, '"conv1.weight": shape'),
        ("negative.json", {"tensors": [dict(BN_W, shape=[-1])]}, '"bn1.weight": shape'),
        ("dtype.json", {"tensors": [dict(BN_W, dtype="f128")]}, '"bn1.weight": dtype: unknown dtype "f128"'),
        ("dtype32.json", {"tensors": [dict(BN_W, dtype=32)]},
         '"bn1.weight": dtype: not a string (one of f32, f16, bf16, f64, i32, i64, float32, float16, bfloat16, '
         'float64, int32, int64, float, half, double)'),
        ("dtype2.json", {"tensors": [dict(BN_W, dtype="fp16")]}, '"bn1.weight": dtype: unknown dtype "fp16": did you '
                                                               'mean f16?'),
        ("topdtype.json", {"dtype": "float128", "tensors": [BN_W]}, 'dtype: unknown dtype "float128": did you mean '
         'float32?'),
        ("bfloat.json", {"tensors": [dict(BN_W, dtype="bfloat")]}, '"bn1.weight": dtype: unknown dtype "bfloat": did you '
         'mean bfloat16?'),
        ("toplayout.json", {"layout": "oii", "tensors": [BN_W]}, 'layout: unknown layout "oii": did you mean oi?'),
        ("initname.json", {"tensors": [dict(CONV, init="kaiming_unifrom")]},
         '"conv1.weight": init: unknown initializer "kaiming_unifrom": did you mean kaiming_uniform?'),
        ("keyname.json", {"tensors": [dict(BN_W, shap=[3])]}, '"bn1.weight": shap: unknown key: did you mean shape?'),
        ("paramname.json", {"tensors": [dict(CONV, params={"nonlinearity": "rleu"})]},
         '"conv1.weight": params.nonlinearity: unknown nonlinearity "rleu": did you mean relu?'),
        ("blank.json", {"tensors": [dict(CONV, params={"a": " 0.1"})]}, '"conv1.weight": params.a: '),
        ("constval.json", {"tensors": [dict(BN_W, init="constant", params={})]},
         '"bn1.weight": params.val: missing'),
        ("biasfan.json", {"tensors": [FC_W, dict(FC_B, fan_from=None)]}, '"fc.bias": params.fan_in: missing'),
        ("sparsity.json", {"tensors": [dict(FC_W, init="sparse")]}, '"fc.weight": params.sparsity: missing'),
        ("axes5.json", {"tensors": [BN_W, dict(ATTN, in_axes=[5])]},
         'tensors[1] "attn.qkv": in_axes: axis 5 is out of range for rank 3 (axes are in [-3, 3))'),
        ("axesneg.json", {"tensors": [dict(ATTN, in_axes=[-4])]},
         '"attn.qkv": in_axes: axis -4 is out of range for rank 3 (axes are in [-3, 3))'),
        ("axeshuge.json", {"tensors": [dict(ATTN, in_axes=[-1e300])]},
         '"attn.qkv": in_axes: axis -1.0000000000000001e+300 is out of range for rank 3'),
        ("axesfrac.json", {"tensors": [dict(ATTN, in_axes=[0.5])]},
         '"attn.qkv": in_axes: not an array of integers (axes, negative ones from the end)'),
        ("axesnegdup.json", {"tensors": [dict(ATTN, out_axes=[2, -1])]},
         '"attn.qkv": out_axes: axis -1 is dimension 2, given twice'),
        ("columnaxis.json", {"tensors": [dict(ATTN, init="orthogonal", layout=None, in_axes=None, out_axes=None,
                                              params={"column_axis": 3})]},
         '"attn.qkv": params.column_axis: orthogonal: column_axis = 3 is not an axis of a rank-3 tensor (in [-3, 3))'),
        ("axesdup.json", {"tensors": [dict(ATTN, out_axes=[0, 1])]}, '"attn.qkv": out_axes: axis 0 is in in_axes too'),
        ("axesoi.json", {"tensors": [dict(ATTN, layout="oi")]}, '"attn.qkv": in_axes: only with layout "axes"'),
        ("axesmissing.json", {"tensors": [dict(ATTN, in_axes=None)]}, '"attn.qkv": in_axes: missing'),
        ("topaxes.json", {"in_axes": [0], "tensors": [BN_W]}, "in_axes: belongs to each tensor"),
        ("axestype.json", {"tensors": [dict(ATTN, in_axes=0)]}, '"attn.qkv": in_axes: not an array'),
        ("empty.json", {"tensors": []}, "tensors"),
        ("seed.json", {"seed": -1, "tensors": [BN_W]}, "seed"),
        ("split.json", {"tensors": [dict(FC_W, split_dim=2)]}, '"fc.weight": split_dim'),
        ("splittype.json", {"tensors": [dict(FC_W, split_dim="0")]}, '"fc.weight": split_dim'),
    ]
    for name, content, needle in cases:
        path = os.path.join(tmp, name)
        if isinstance(content, dict):  # None means: leave the key out
            content = dict(content, tensors=[{k: v for k, v in t.items() if v is not None}
                                             for t in content["tensors"]])
        with open(path, "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        rc, _, err = run("init", "--manifest", path, "--out", out)
        check(rc == 2 and path in err and needle in err and err.count("\n") == 1,
              "%s -> exit 2 naming %s" % (name, needle), "rc %d: %s" % (rc, err))
    rc, _, err = run("init", "--manifest", os.path.join(tmp, "absent.json"), "--out", out)
    check(rc == 2 and "absent.json" in err, "missing manifest file", err)
    check(not os.path.exists(out), "no output after manifest errors")

    good = write_manifest(tmp, "good.json", [CONV, BN_W])
    if os.path.exists("/dev/full"):
        rc, _, err = run("init", "--manifest", good, "--out", "/dev/full")
        check(rc == 1 and "/dev/full" in err, "init to /dev/full fails", err)
    limited = os.path.join(tmp, "limited-init")
    os.mkdir(limited)
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
    rc, _, err = run("init", "--manifest", good, "--out", os.path.join(limited, "m.safetensors"), preexec=limit)
    check(rc == 1 and os.listdir(limited) == [], "failed init leaves nothing", "rc %d: %s" % (rc, err))


def test_hf_folder(tmp):
    """clinit init --out DIR/: transformers' layout (shards split as huggingface_hub splits them, index with
    total_size and a sorted weight_map, config.json from the manifest); the shards hold the single file's bytes;
    an existing checkpoint is kept without --force and replaced whole with it."""
    config = {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 8}
    ts = [{"name": "emb", "shape": [100, 8], "init": "normal"},           # 3200 bytes: a shard of its own
          {"name": "b.w", "shape": [200], "init": "ones"},                # 800
          {"name": "a.w", "shape": [150], "init": "zeros"},               # 600: 1400 > 1000, next shard
          {"name": "c.n", "shape": [], "init": "zeros", "dtype": "i64"}]  # 8
    m = write_manifest(tmp, "hf.json", ts, seed=4, config=config)
    single = os.path.join(tmp, "hf.safetensors")
    h1, b1, _ = init(tmp, m, single)
    folder = os.path.join(tmp, "hf") + "/"
    rc, so, err = run("init", "--manifest", m, "--out", folder, "--max-shard-size", "1KB")
    if not check(rc == 0, "init --out DIR/ --max-shard-size 1KB", err) or h1 is None:
        return
    names = ["model-0000%d-of-00003.safetensors" % k for k in (1, 2, 3)]
    check(sorted(os.listdir(folder)) == sorted(names + ["config.json", "model.safetensors.index.json"]),
          "folder files", str(os.listdir(folder)))
    check("wrote %s: 3 shards, model.safetensors.index.json, config.json" % folder in so, "folder summary", so)
    # huggingface_hub: emb (over 1000 bytes) is appended at once, before the shard b.w is filling
    want = {"emb": names[0], "b.w": names[1], "a.w": names[2], "c.n": names[2]}
    text = open(os.path.join(folder, "model.safetensors.index.json")).read()
    index = json.loads(text)
    check(index == {"metadata": {"total_size": 3200 + 800 + 600 + 8}, "weight_map": want}, "index", text)
    check(text == json.dumps(index, indent=2, sort_keys=True) + "\n", "index as json.dumps(indent=2, sort_keys)")
    check(json.load(open(os.path.join(folder, "config.json"))) == config, "config.json is the manifest's config")
    for shard in names:
        h, b = read_safetensors(os.path.join(folder, shard))
        mine = [k for k in h if k != "__metadata__"]
        check(mine == [k for k in want if want[k] == shard] and h["__metadata__"]["seed"] == "4"
              and all(tensor(h, b, k)[1] == tensor(h1, b1, k)[1] for k in mine), "%s: the single file's bytes" % shard)
    usage_error(["init", "--manifest", m, "--out", folder], ["holds", "use --force"], "existing checkpoint")
    rc, so, err = run("init", "--manifest", m, "--out", folder, "--force")  # one shard now: the three go
    check(rc == 0 and sorted(os.listdir(folder)) == ["config.json", "model.safetensors"], "--force: one shard replaces "
          "three", str(os.listdir(folder)) + err)
    h, b = read_safetensors(os.path.join(folder, "model.safetensors"))
    check(b == b1, "one shard: the single file's data")
    for bad in ("0", "1.5", "-5GB", "5XB", "GB", "1e9", " 5GB"):
        usage_error(["init", "--manifest", m, "--out", folder, "--force", "--max-shard-size", bad],
                    ["--max-shard-size", "not a size"], "--max-shard-size %r" % bad)
    usage_error(["init", "--manifest", m, "--out", single, "--force", "--max-shard-size", "5GB"],
                ["--max-shard-size: only with a folder --out"], "--max-shard-size with a file")
    os.remove(single)
    for f in os.listdir(folder):
        os.remove(os.path.join(folder, f))
    os.rmdir(folder)


def test_resnet50(tmp):
    manifest = os.path.join(SOURCE_DIR, "examples", "manifests", "resnet50.json")
    if not os.path.exists(manifest):
        print("skip: %s does not exist" % manifest)
        return
    header, body, so = init(tmp, manifest, os.path.join(tmp, "resnet50.safetensors"))
    if header is None:
        return
    tensors = {k: t for k, t in header.items() if k != "__metadata__"}
    check(len(tensors) == 320, "resnet50 tensor count (161 parameters, 159 BatchNorm buffers)", str(len(tensors)))
    check(sum(math.prod(t["shape"]) for t in tensors.values()) == 25610205, "resnet50 elements")
    # The summary counts values (elements), the BatchNorm buffers' 53,173 with the 25,557,032 parameters: the
    # README's figures.
    check(so.startswith("320 tensors, 25610205 values, %d bytes, " % (4 * (25610205 - 53) + 8 * 53)),
          "resnet50 summary: 320 tensors, 25610205 values", so)
    counters = [k for k, t in tensors.items() if t["dtype"] == "I64"]
    check(len(counters) == 53 and all(k.endswith(".num_batches_tracked") and tensors[k]["shape"] == [] and
                                      tensor(header, body, k)[0] == [0] for k in counters),
          "resnet50: 53 num_batches_tracked, int64 0 of shape []")
    check(len(body) == 4 * (25610205 - 53) + 8 * 53, "resnet50 data size")


# --- dtypes, axes, every initializer, and the problems a new user met -------------------------------------

def test_dtype_names(tmp):
    """NumPy's and PyTorch's dtype names (float32, bfloat16, ..., as the Python package takes them) read as the
    short ones, in --dtype and in manifests, top level and per tensor, whatever their ASCII case (safetensors'
    headers write BF16, F32); files and summaries write the short ones."""
    names = {"f32": ("float32", "float", "F32"), "f16": ("float16", "half", "F16", "Half"),
             "bf16": ("bfloat16", "BF16", "BFloat16"), "f64": ("float64", "double", "F64"), "i32": ("int32", "I32"),
             "i64": ("int64", "I64", "Int64")}
    for short, longer in names.items():
        kind = "ones" if short.startswith("i") else "normal"
        want = os.path.join(tmp, "dt-%s.safetensors" % short)
        rc, so, err = run("sample", kind, "--shape", "5", "--dtype", short, "--seed", "3", "--out", want)
        if not check(rc == 0, "sample --dtype %s" % short, err):
            continue
        for name in longer:
            got = os.path.join(tmp, "dt-%s.safetensors" % name)
            rc, so2, err = run("sample", kind, "--shape", "5", "--dtype", name, "--seed", "3", "--out", got)
            check(rc == 0 and filecmp.cmp(want, got, shallow=False) and so2 == so and (" %s " % short) in so2,
                  "--dtype %s: the file and summary of --dtype %s" % (name, short), err + so2)
    tensors = [dict(CONV, dtype="BF16"), dict(FC_W, dtype="float64"), dict(BN_W, dtype="INT64"), BN_B]
    canonical = [dict(CONV, dtype="bf16"), dict(FC_W, dtype="f64"), dict(BN_W, dtype="i64"), BN_B]
    h1, b1, _ = init(tmp, write_manifest(tmp, "long-dtypes.json", tensors, dtype="Float16"),
                     os.path.join(tmp, "long-dtypes.safetensors"))
    h2, b2, _ = init(tmp, write_manifest(tmp, "short-dtypes.json", canonical, dtype="f16"),
                     os.path.join(tmp, "short-dtypes.safetensors"))
    check(h1 is not None and h1 == h2 and b1 == b2 and
          [h1[n]["dtype"] for n in ("conv1.weight", "fc.weight", "bn1.weight", "bn1.bias")] == ["BF16", "F64", "I64",
                                                                                                "F16"],
          "a manifest's BF16, float64, INT64 and top-level Float16: the file of bf16, f64, i64 and f16")


def test_scalar_shape(tmp):
    """--shape "" is rank 0: a scalar of one element, shape () in .npy and [] in .safetensors."""
    npy, st = os.path.join(tmp, "scalar.npy"), os.path.join(tmp, "scalar.safetensors")
    rc, so, err = run("sample", "constant", "--param", "val=2.5", "--shape", "", "--out", npy)
    if check(rc == 0 and so.startswith("constant shape () f32 n=1 "), "--shape \"\": a scalar's summary", so + err):
        shape, values, _ = read_npy(npy)
        check(shape == () and values == [2.5], "--shape \"\": .npy shape ()", "%r %r" % (shape, values))
    rc, _, err = run("sample", "constant", "--param", "val=2.5", "--shape", "", "--out", st)
    if check(rc == 0, "--shape \"\" to .safetensors", err):
        h, b = read_safetensors(st)
        check(h["weight"]["shape"] == [] and tensor(h, b, "weight")[0] == [2.5], "--shape \"\": safetensors shape []",
              str(h["weight"]))


def test_integer_dtypes(tmp):
    """i32 and i64 hold constants (a model's integer buffers): .npy <i4/<i8, safetensors I32/I64, the extremes
    exact; every other initializer and every value the dtype cannot hold is a usage error naming it."""
    npy, st = os.path.join(tmp, "int.npy"), os.path.join(tmp, "int.safetensors")
    rc, _, err = run("sample", "zeros", "--shape", "", "--dtype", "i64", "--out", npy)
    if check(rc == 0, "sample zeros i64 scalar", err):
        shape, values, _ = read_npy(npy)
        check((read_npy.descr, shape, values) == ("<i8", (), [0]), "i64 scalar .npy", str((read_npy.descr, shape)))
    for dtype, val in (("i32", -2147483648), ("i32", 2147483647), ("i64", -9223372036854775808),
                       ("i64", 9223372036854774784)):
        rc, so, err = run("sample", "constant", "--param", "val=%d" % val, "--shape", "2,3", "--dtype", dtype,
                          "--out", st, "--force")
        if check(rc == 0, "sample constant %d %s" % (val, dtype), err):
            h, b = read_safetensors(st)
            check(h["weight"]["dtype"] == dtype.upper() and tensor(h, b, "weight")[0] == [val] * 6,
                  "%s constant %d exact" % (dtype, val), str(h["weight"]))
    usage_error(["sample", "normal", "--shape", "4", "--dtype", "i32", "--out", npy, "--force"],
                ["--dtype i32 with normal: integer tensors take constant, zeros or ones only"], "normal i32")
    usage_error(["sample", "constant", "--param", "val=2147483648", "--shape", "4", "--dtype", "i32", "--out", npy,
                 "--force"], ["--param", "val = 2147483648 is not an integer of i32"], "constant 2^31 i32")
    usage_error(["sample", "constant", "--param", "val=0.5", "--shape", "4", "--dtype", "i64", "--out", npy,
                 "--force"], ["val = 0.5 is not an integer of i64"], "constant 0.5 i64")
    # A manifest's buffers beside its parameters: an i64 scalar at byte 6 (after three f16 values) and an i32
    # vector, as BatchNorm's num_batches_tracked and running statistics are.
    m = write_manifest(tmp, "buffers.json", [
        {"name": "bn.weight", "shape": [3], "init": "ones", "dtype": "f16"},
        {"name": "bn.num_batches_tracked", "shape": [], "init": "zeros", "dtype": "i64"},
        {"name": "pos", "shape": [5], "init": "constant", "params": {"val": -7}, "dtype": "i32"},
        {"name": "bn.running_var", "shape": [3], "init": "ones"}])
    header, body, _ = init(tmp, m, os.path.join(tmp, "buffers.safetensors"))
    if header is not None:
        got = {k: (t["dtype"], t["shape"], tensor(header, body, k)[0]) for k, t in header.items() if k != "__metadata__"}
        check(got == {"bn.weight": ("F16", [3], [1.0] * 3), "bn.num_batches_tracked": ("I64", [], [0]),
                      "pos": ("I32", [5], [-7] * 5), "bn.running_var": ("F32", [3], [1.0] * 3)},
              "manifest with integer buffers", str(got))
    bad = write_manifest(tmp, "badint.json", [{"name": "w", "shape": [4], "init": "normal", "dtype": "i64"}])
    usage_error(["init", "--manifest", bad, "--out", os.path.join(tmp, "bad.safetensors")],
                ['tensors[0] "w": dtype: i64 with normal'], "manifest normal i64")


def f16_round(x):
    """x rounded to the nearest binary16 (ties to even), as Python's struct 'e' packs it."""
    return struct.unpack("<e", struct.pack("<e", x))[0]


def bf16_bits(x):
    """The bfloat16 bits of the float32 x, rounded to nearest even (x is finite)."""
    b = struct.unpack("<I", struct.pack("<f", x))[0]
    return (b + 0x7FFF + ((b >> 16) & 1)) >> 16


def bf16_round(x):
    return struct.unpack("<f", struct.pack("<I", bf16_bits(x) << 16))[0]


def f16_step(h, up):
    """The binary16 value next to h (a binary16 value) towards +inf (up) or -inf."""
    bits = struct.unpack("<H", struct.pack("<e", h))[0]
    neg, mag = bits >> 15, bits & 0x7FFF
    if mag == 0:
        bits = 0x0001 if up else 0x8001
    else:
        bits = bits + (1 if up != bool(neg) else -1)
    return struct.unpack("<e", struct.pack("<H", bits))[0]


def f16_in(x, a, b):
    """The binary16 value the uniform family writes for the f32 value x of U[a, b): the rounding of x, kept
    inside [a, b) (docs/ALGORITHMS.md: never b, never below a)."""
    r = f16_round(x)
    while r >= b:
        r = f16_step(r, False)
    while r < a:
        r = f16_step(r, True)
    return r


def sample_values(tmp, init, shape, *extra, dtype="f32"):
    """(summary line, values, raw bytes) of clinit sample to .npy (f32, f16) or .safetensors (bf16)."""
    ext = "safetensors" if dtype == "bf16" else "npy"
    path = os.path.join(tmp, "dt-%s-%s.%s" % (init, dtype, ext))
    rc, so, err = run("sample", init, "--shape", shape, "--dtype", dtype, "--out", path, "--force", *extra)
    if not check(rc == 0, "sample %s %s" % (init, dtype), err):
        return so, [], b""
    if ext == "npy":
        _, v, raw = read_npy(path)
        return so, v, raw
    header, body = read_safetensors(path)
    v, raw = tensor(header, body, "weight")
    return so, v, raw


def summary_stats(line):
    """mean, std, min, max of a summary line."""
    m = re.search(r"mean (\S+) std (\S+) min (\S+) max (\S+)", line)
    return [float(x) for x in m.groups()] if m else None


def test_dtypes(tmp):
    # f16 and bf16 values are the f32 values of the same seed and stream, rounded to nearest even: bit for bit.
    for init, extra in (("normal", ("--param", "std=3", "--seed", "5", "--stream", "9")),
                        ("kaiming_normal", ("--param", "nonlinearity=relu", "--seed", "1"))):
        _, ref, _ = sample_values(tmp, init, "64,50", *extra)
        so16, v16, raw16 = sample_values(tmp, init, "64,50", *extra, dtype="f16")
        check(read_npy.descr == "<f2" and len(raw16) == 2 * len(ref), "%s f16 .npy is '<f2'" % init)
        check(v16 == [f16_round(x) for x in ref], "%s f16 == rounding of the f32 sample" % init)
        so_b, vb, rawb = sample_values(tmp, init, "64,50", *extra, dtype="bf16")
        check(list(struct.unpack("<%dH" % len(ref), rawb)) == [bf16_bits(x) for x in ref],
              "%s bf16 bits == rounding of the f32 sample" % init)
        # The summary widens the 16-bit values themselves.
        for line, vals, what in ((so16, v16, "f16"), (so_b, vb, "bf16")):
            stats = summary_stats(line)
            check(stats is not None and ("%.6g" % min(vals)) == ("%.6g" % stats[2])
                  and ("%.6g" % max(vals)) == ("%.6g" % stats[3]) and (" %s n=" % what) in line,
                  "%s %s summary of the widened values" % (init, what), line)
    # Uniform: rounded, and kept inside [a, b) (values next to b would round up to it).
    _, ref, _ = sample_values(tmp, "uniform", "4000", "--param", "a=-1", "--param", "b=1")
    _, v16, _ = sample_values(tmp, "uniform", "4000", "--param", "a=-1", "--param", "b=1", dtype="f16")
    check(v16 == [f16_in(x, -1.0, 1.0) for x in ref] and max(v16) < 1.0, "uniform f16 == rounding kept in [a, b)")
    _, vb, _ = sample_values(tmp, "uniform", "4000", "--param", "a=-1", "--param", "b=1", dtype="bf16")
    check(all(-1.0 <= x < 1.0 for x in vb) and sum(x == bf16_round(y) for x, y in zip(vb, ref)) > 3900,
          "uniform bf16 in [a, b), the rounding of f32 but at b")

    # bf16 needs .safetensors; --name names the tensor; metadata carries seed, stream and the generation.
    out = os.path.join(tmp, "bf16.npy")
    usage_error(["sample", "normal", "--shape", "3", "--dtype", "bf16", "--out", out], ["bf16", ".safetensors"],
                "bf16 to .npy")
    check(not os.path.exists(out), "bf16 .npy: no file")
    st = os.path.join(tmp, "named.safetensors")
    rc, so, err = run("sample", "normal", "--shape", "5,6", "--dtype", "bf16", "--name", "fc.weight", "--seed", "3",
                      "--stream", "4", "--out", st)
    if check(rc == 0, "sample bf16 --name", err):
        header, body = read_safetensors(st)
        meta = header["__metadata__"]
        check(header["fc.weight"]["dtype"] == "BF16" and header["fc.weight"]["shape"] == [5, 6],
              "bf16 safetensors entry", str(header))
        check(meta.get("seed") == "3" and meta.get("stream") == "4" and meta.get("clinit_generation") == GENERATION,
              "sample safetensors metadata", str(meta))
    for dtype, code in (("f32", "F32"), ("f16", "F16")):
        st = os.path.join(tmp, "t-%s.safetensors" % dtype)
        rc, _, err = run("sample", "ones", "--shape", "3", "--dtype", dtype, "--out", st)
        if check(rc == 0, "sample %s .safetensors" % dtype, err):
            header, body = read_safetensors(st)
            check(header["weight"]["dtype"] == code and tensor(header, body, "weight")[0] == [1.0] * 3,
                  "%s .safetensors, default name weight" % dtype)
    usage_error(["sample", "ones", "--shape", "3", "--name", "w", "--out", os.path.join(tmp, "n.npy")], ["--name"],
                "--name with .npy")
    # f64 is generated in double (PoCL has cl_khr_fp64): a '<f8' .npy, values of their own, not widened f32.
    _, ref, _ = sample_values(tmp, "uniform", "1000")
    _, v64, raw64 = sample_values(tmp, "uniform", "1000", dtype="f64")
    check(read_npy.descr == "<f8" and len(raw64) == 8 * 1000 and all(0 < x < 1 for x in v64),
          "f64 .npy '<f8' in (0, 1)")
    check(sum(x == f32(x) for x in v64) < 10 and v64 != ref, "f64 values use 52 random bits, not widened f32")
    usage_error(["sample", "ones", "--shape", "3", "--dtype", "fp16", "--out", os.path.join(tmp, "n.npy")],
                ["did you mean f16?"], "--dtype fp16")

    # The summary of finite f64 values is finite and right at the ends of the range: squares of 1e300 overflowed
    # to "std inf", those of 1e-300 underflowed to "std 0", and a sum of 1.4e308 values to "mean inf". Exact
    # (rational) mean and std of the written values, against the 6 digits printed.
    for init, params in (("normal", ["std=1e300"]), ("normal", ["std=1e-300"]),
                         ("uniform", ["a=1e308", "b=1.7e308"])):
        extra = [x for p in params for x in ("--param", p)]
        so, v, _ = sample_values(tmp, init, "100", *extra, dtype="f64")
        stats = summary_stats(so)
        if not check(stats is not None and len(v) == 100 and all(map(math.isfinite, v)),
                     "f64 %s %s: a summary and finite values" % (init, " ".join(params)), so):
            continue
        mean, std = stats[0], stats[1]
        want_mean, want_std = statistics.mean(v), statistics.pstdev(v)
        check(math.isfinite(mean) and math.isfinite(std) and abs(mean - want_mean) <= 1e-5 * abs(want_mean)
              and abs(std - want_std) <= 1e-5 * want_std,
              "f64 %s %s: summary mean and std of the values (%.6g, %.6g)" % (init, " ".join(params), want_mean,
                                                                          want_std), so)


def test_box_hist(tmp):
    # --box writes just that box of the logical tensor: the same bytes as that region of the whole fill.
    whole = os.path.join(tmp, "whole.npy")
    box = os.path.join(tmp, "box.npy")
    base = ["sample", "kaiming_normal", "--shape", "12,5,3", "--seed", "3", "--force"]
    rc1, _, e1 = run(*base, "--out", whole)
    rc2, so, e2 = run(*base, "--box", "4:5,1:3,0:3", "--out", box)
    if check(rc1 == 0 and rc2 == 0, "sample --box", e1 + e2):
        shape_w, w, _ = read_npy(whole)
        shape_b, b, _ = read_npy(box)
        region = [w[(r * 5 + c) * 3 + k] for r in range(4, 9) for c in range(1, 4) for k in range(3)]
        check(shape_b == (5, 3, 3) and b == region, "--box = the region of the whole fill", str(shape_b))
        check(" n=45 " in so, "--box summary counts the box", so)
    usage_error(["sample", "uniform", "--shape", "10,4", "--box", "1:2", "--out", box, "--force"],
                ["--box", "2 START:EXTENT"], "--box with too few pairs")
    usage_error(["sample", "uniform", "--shape", "10", "--box", "8:5", "--out", box, "--force"],
                ["--box", "leaves"], "--box outside the shape")
    # Numbers are strict (docs/CLI.md): no blank of any kind, no sign, before a start or an extent; strtoll
    # skipped tabs and newlines, so that "\t2:3" was box 2:3.
    for text, needle in (("\t2:3,0:4", "dimension 0: expected START:EXTENT"),
                         ("2:\t3,0:4", "expected 2 START:EXTENT pairs"),
                         ("2:3,\n0:4", "dimension 1: expected START:EXTENT"),
                         ("2:3,\v0:4", "dimension 1: expected START:EXTENT"),
                         ("+2:3,0:4", "dimension 0: expected START:EXTENT"),
                         ("2:3,0:-4", "expected 2 START:EXTENT pairs")):
        usage_error(["sample", "uniform", "--shape", "10,4", "--box", text, "--out", box, "--force"],
                    ["--box", needle], "--box %r: a blank or sign refused" % text)
    txt = os.path.join(tmp, "x.txt")
    usage_error(["sample", "normal", "--shape", "4", "--out", txt], ["--out", "FILE.npy or FILE.safetensors"],
                "--out naming neither format")
    check(not os.path.exists(txt), "--out x.txt: no file")
    # --hist: 24 bins, counts adding up to n, and the predicted counts next to them.
    rc, so, err = run("sample", "normal", "--shape", "20000", "--hist", "--out", box, "--force")
    rows = [l for l in so.splitlines() if "(expected " in l]
    counts = [int(l.split("(expected")[0].split()[-1]) for l in rows]
    expected = [float(l.split("(expected")[1].strip(" )")) for l in rows]
    check(rc == 0 and len(rows) == 24 and sum(counts) == 20000, "--hist: 24 bins of all values", so[-300:])
    # Each bin within 6 standard deviations (binomial, false-alarm rate ~2e-9 per bin) of its prediction.
    check(all(abs(c - e) <= 6 * math.sqrt(max(e, 1)) + 1 for c, e in zip(counts, expected)),
          "--hist counts match the normal density", str(list(zip(counts, expected))))


def test_axes(tmp):
    out = os.path.join(tmp, "attn.npy")
    rc, so, err = run("sample", "glorot_uniform", "--shape", "768,12,64", "--layout", "axes", "--in-axes", "0",
                      "--out-axes", "1,2", "--out", out)
    if check(rc == 0, "attention projection with explicit axes", err):
        check("expected: U[-0.0625, 0.0625)" in so, "attention: Glorot bound 0.0625", so)
        check_uniform(read_npy(out)[1], -0.0625, 0.0625, "attention glorot_uniform")
    # A batch axis is in no fan: the same bound for a stack of 4 projections.
    rc, so, err = run("sample", "glorot_uniform", "--shape", "4,768,12,64", "--layout", "axes", "--in-axes", "1",
                      "--out-axes", "2,3", "--batch-axes", "0", "--out", out, "--force")
    check(rc == 0 and "expected: U[-0.0625, 0.0625)" in so, "batch axes are in no fan", err + so)
    # Transposed convolution (in, out, k) with its own data flow's fans: fan_in = 16·3, fan_out = 8·3.
    rc, so, err = run("sample", "xavier_uniform", "--shape", "16,8,3", "--layout", "axes", "--in-axes", "0",
                      "--out-axes", "1", "--out", out, "--force")
    check(rc == 0 and "expected: U[-%.6g, %.6g)" % ((math.sqrt(6 / 72),) * 2) in so, "axes with a receptive field",
          err + so)
    # Layout axes and an initializer without fans: no axes needed.
    rc, so, err = run("sample", "zeros", "--shape", "5", "--layout", "axes", "--out", out, "--force")
    check(rc == 0, "zeros with layout axes and no axes", err)
    base = ["sample", "glorot_uniform", "--shape", "768,12,64", "--out", os.path.join(tmp, "bad-axes.npy")]
    usage_error(base + ["--layout", "axes", "--in-axes", "5", "--out-axes", "1"],
                ["--in-axes", "axis 5 is out of range for rank 3 (axes are in [-3, 3))"], "--in-axes 5")
    # Negative axes count from the end, as in the Python binding: the same tensor, byte for byte.
    pos, neg = os.path.join(tmp, "attn-pos.npy"), os.path.join(tmp, "attn-neg.npy")
    rc, _, err = run("sample", "glorot_uniform", "--shape", "768,12,64", "--layout", "axes", "--in-axes", "0",
                     "--out-axes", "1,2", "--out", pos)
    rc2, _, err2 = run("sample", "glorot_uniform", "--shape", "768,12,64", "--layout", "axes", "--in-axes", "-3",
                       "--out-axes", "-2,-1", "--out", neg)
    check(rc == 0 and rc2 == 0 and read_npy(neg)[2] == read_npy(pos)[2], "--in-axes -3 --out-axes -2,-1 == 0 and 1,2",
          err + err2)
    usage_error(base + ["--layout", "axes", "--in-axes", "-4", "--out-axes", "1"],
                ["--in-axes", "axis -4 is out of range for rank 3 (axes are in [-3, 3))"], "--in-axes -4")
    usage_error(base + ["--layout", "axes", "--in-axes", "0", "--out-axes", "2,-1"],
                ["--out-axes", "axis -1 is dimension 2, given twice"], "--out-axes 2,-1")
    usage_error(base + ["--layout", "axes", "--in-axes", "0", "--out-axes=--1"],
                ["--out-axes", 'axis 0 "--1" is not an integer'], "--out-axes=--1")
    usage_error(base + ["--in-axes", "0", "--out-axes", "1"], ["--in-axes needs --layout axes"], "axes without layout")
    usage_error(base + ["--layout", "axes", "--in-axes", "0", "--out-axes", "0,1"],
                ["--out-axes", "axis 0 is in in_axes too"], "overlapping axes")
    usage_error(base + ["--layout", "axes", "--in-axes", "1,1", "--out-axes", "2"], ["axis 1 given twice"],
                "repeated axis")
    usage_error(base + ["--layout", "axes", "--out-axes", "1"], ["--in-axes", "missing"], "missing --in-axes")
    usage_error(base + ["--layout", "axes", "--in-axes", " 0", "--out-axes", "1"], ["--in-axes"], "blank in an axis")
    usage_error(base + ["--layout", "axis"], ['unknown layout "axis": did you mean axes?'], "--layout axis")


# Initializers, with a shape and parameters they accept, and what the summary's expected part says.
EVERY_INIT = [
    ("uniform", "64,32", [], "expected: U[0, 1)"),
    ("normal", "64,32", [], "expected: mean 0 std 1"),
    ("trunc_normal", "64,32", [], "expected: N(0, 1^2) on [-2, 2]: mean 0 std 0.879626"),
    ("constant", "64,32", ["val=2"], "expected: constant 2"),
    ("zeros", "64,32", [], "expected: constant 0"),
    ("ones", "64,32", [], "expected: constant 1"),
    ("xavier_uniform", "64,32", [], "expected: U[-0.25, 0.25)"),
    ("xavier_normal", "64,32", [], "expected: mean 0 std %.6g" % math.sqrt(2 / 96)),
    ("kaiming_uniform", "64,32", [], "expected: U[-0.433013, 0.433013)"),
    ("kaiming_normal", "64,32", [], "expected: mean 0 std 0.25"),
    ("linear_default_weight", "64,32", [], "expected: U[-0.176777, 0.176777)"),
    ("linear_default_bias", "64", ["fan_in=16"], "expected: U[-0.25, 0.25)"),
    ("variance_scaling", "64,32", ["distribution=uniform", "mode=fan_avg"], "expected: U[-0.25, 0.25)"),
    ("glorot_uniform", "64,32", [], "expected: U[-0.25, 0.25)"),
    ("glorot_normal", "64,32", [], "mean 0 std %.6g" % math.sqrt(1 / 48)),
    ("he_uniform", "64,32", [], "expected: U[-0.433013, 0.433013)"),
    ("he_normal", "64,32", [], "mean 0 std 0.25"),
    ("lecun_uniform", "64,32", [], "expected: U[-0.306186, 0.306186)"),
    ("lecun_normal", "64,32", [], "mean 0 std %.6g" % math.sqrt(1 / 32)),
    ("scaled_uniform", "64,4,4", [], "expected: U[-0.03125, 0.03125)"),  # tinygrad: prod(shape) ** -0.5
    # Values of these are the business of their own tests; here: accepted, and the expected std printed.
    ("orthogonal", "64,32", [], "expected: orthogonal x 1: mean 0 std 0.125"),
    ("delta_orthogonal", "16,16,3", ["scale=2"], "expected: orthogonal x 2"),
    ("eye", "64,32", [], "expected: eye pattern of 1"),
    ("dirac", "16,16,3", [], "expected: dirac pattern of 1"),
    ("sparse", "64,32", ["sparsity=0.5"], "expected: N(0, 0.01^2) with 32 zeros per column"),
]


def test_inits(tmp):
    """clinit inits: every initializer of sample --help, with the registry's facts (PyTorch's and Keras's
    signatures, written out here), as text and as JSON; sample --help names the required parameters."""
    rc, out, err = run("inits", "--json")
    doc = json.loads(out) if rc == 0 else {}
    inits = {i["name"]: i for i in doc.get("initializers", [])}
    check(rc == 0 and err == "" and set(inits) == {name for name, _, _, _ in EVERY_INIT}, "inits --json lists every "
          "initializer", "rc %d: %s" % (rc, err))
    params = {name: {p["name"]: p for p in i["params"]} for name, i in inits.items()}
    kn = params.get("kaiming_normal", {})
    check(list(kn) == ["a", "mode", "nonlinearity"] and kn["mode"]["values"] == ["fan_in", "fan_out"]
          and kn["mode"]["default"] == "fan_in" and kn["nonlinearity"]["default"] == "leaky_relu"
          and kn["a"] == {"name": "a", "type": "real", "required": False, "default": 0, "min": "-inf", "max": "inf",
                          "min_open": True, "max_open": True, "doc": kn["a"]["doc"]},
          "inits --json: kaiming_normal's parameters", str(kn))
    check(inits.get("kaiming_normal", {}).get("needs_fans") is True and inits["xavier_normal"]["distribution"] ==
          "normal" and inits["glorot_normal"]["distribution"] == "truncated_normal" and inits["glorot_normal"]["params"]
          == [] and inits["dirac"]["layouts"] == ["oi", "io"] and (inits["dirac"]["min_rank"], inits["dirac"]["max_rank"])
          == (3, 5), "inits --json: fans, distributions, layouts, ranks")
    required = sorted((name, p) for name, ps in params.items() for p, info in ps.items() if info["required"])
    check(required == [("constant", "val"), ("linear_default_bias", "fan_in"), ("sparse", "sparsity")],
          "inits --json: PyTorch's three parameters without a default are required", str(required))
    std = params.get("trunc_normal", {}).get("std", {})
    check((std.get("min"), std.get("min_open"), params.get("sparse", {}).get("std", {}).get("default"),
           params.get("dirac", {}).get("groups", {}).get("max")) == (0, True, 0.01, 2 ** 63 - 1),
          "inits --json: ranges and defaults", str(std))
    rc, out, err = run("inits", "normal")
    check(rc == 0 and out.startswith("normal\n") and "  std           real in [0, inf); default 1: standard deviation"
          in out and "torch.nn.init.normal_" in out, "inits normal: its parameters as text", out)
    rc, out, _ = run("inits")
    check(rc == 0 and all(("\n%s\n" % name) in "\n" + out for name in inits), "inits: every initializer as text")
    usage_error(["inits", "kaiming_normall"], ['unknown initializer "kaiming_normall": did you mean kaiming_normal?'],
                "inits with an unknown name")
    _, out, _ = run("sample", "--help")
    check("Required: val (constant), fan_in (linear_default_bias), sparsity (sparse)" in " ".join(out.split()),
          "sample --help names the required parameters", out)


def test_every_init(tmp):
    _, out, _ = run("sample", "--help")
    listed = " ".join(out.split("INIT  ", 1)[-1].split("--shape")[0].split())
    check(all(name in listed for name, _, _, _ in EVERY_INIT), "sample --help lists every initializer", listed)
    path = os.path.join(tmp, "every.npy")
    for name, shape, params, expected in EVERY_INIT:
        args = ["sample", name, "--shape", shape, "--out", path, "--force"]
        for p in params:
            args += ["--param", p]
        rc, so, err = run(*args)
        if rc == 1 and "not implemented" in err:  # a structured initializer still being written: fine
            print("note: %s: %s" % (name, err.strip()))
            continue
        check(rc == 0 and expected in so, "sample %s: %s" % (name, expected), "rc %d: %s%s" % (rc, err, so))
        if name == "trunc_normal" and rc == 0:
            check(all(-2 <= x <= 2 for x in read_npy(path)[1]), "trunc_normal within [a, b]")
    # fan_in 0: PyTorch's bound is 0 (`1 / math.sqrt(fan_in) if fan_in > 0 else 0`), uniform_(bias, -0, 0) with
    # Python's integer 0, so U[0, 0) and zeros; no negative zero in the printed bounds, nor in the values.
    rc, so, err = run("sample", "linear_default_bias", "--shape", "3", "--param", "fan_in=0", "--out", path, "--force")
    check(rc == 0 and so == "linear_default_bias shape (3,) f32 n=3 mean 0 std 0 min 0 max 0 expected: U[0, 0) "
          "std 0\n" and read_npy(path)[2] == b"\0" * 12, "linear_default_bias fan_in=0: U[0, 0), +0 values",
          "rc %d: %r %s" % (rc, so, err))
    for a, b, want in (("-0", "1", "on [0, 1]"), ("-1", "-0", "on [-1, 0]")):
        rc, so, err = run("sample", "trunc_normal", "--shape", "3", "--param", "a=" + a, "--param", "b=" + b,
                          "--out", path, "--force")
        check(rc == 0 and want in so and "-0," not in so and "-0]" not in so,
              "trunc_normal a=%s b=%s: %s" % (a, b, want), "rc %d: %r %s" % (rc, so, err))


def test_problems(tmp):
    out = os.path.join(tmp, "p.npy")
    # (a) PyTorch's required parameters are required: a missing one is not silently 0.
    usage_error(["sample", "constant", "--shape", "3", "--out", out], ["constant", "--param val"],
                "constant without val")
    usage_error(["sample", "sparse", "--shape", "8,4", "--out", out], ["sparse", "sparsity"], "sparse without sparsity")
    usage_error(["sample", "linear_default_bias", "--shape", "8", "--out", out], ["linear_default_bias", "fan_in"],
                "linear_default_bias without fan_in")
    # (b) A parameter given twice is an error, not last-wins.
    usage_error(["sample", "constant", "--shape", "3", "--param", "val=1", "--param", "val=2", "--out", out],
                ["--param val given twice"], "--param val twice")
    check(not os.path.exists(out), "no output after usage errors")

    # (c) Symbolic links are followed, and never replaced by a file: test_out_rule.

    # (d) Larger than the device's largest buffer: a message with the bytes and the limit, before any work.
    rc, _, err = run("sample", "uniform", "--shape", "1000000,1000000", "--out", out)
    check(rc == 2 and "--shape 1000000,1000000: 4000000000000 bytes exceed the device's largest buffer (" in err
          and not os.path.exists(out), "too large for the device", "rc %d: %s" % (rc, err))
    rc, _, err = run("sample", "uniform", "--shape", "1000000,1000000", "--dtype", "f16", "--out", out)
    check(rc == 2 and "2000000000000 bytes exceed" in err, "too large for the device (f16 bytes)", err)
    big = write_manifest(tmp, "big.json", [BN_W, {"name": "huge", "shape": [1000000, 1000000], "init": "zeros"}])
    rc, _, err = run("init", "--manifest", big, "--out", os.path.join(tmp, "big.safetensors"))
    check(rc == 2 and 'tensors[1] "huge": shape: 4000000000000 bytes exceed the device\'s largest buffer' in err
          and not os.path.exists(os.path.join(tmp, "big.safetensors")), "init: tensor too large for the device", err)
    # An orthogonal tensor that fits the device's largest buffer whose scratch does not (its largest scratch
    # buffer, (rows·16 + 16)·4 bytes, is about twice an f16 tensor of rows × 16): exit 2 before any work.
    limit = int(re.search(r"largest buffer \((\d+) bytes\)", err).group(1))
    rows = limit // 32
    ortho = write_manifest(tmp, "ortho.json", [BN_W, {"name": "w", "shape": [rows, 16], "init": "orthogonal",
                                                       "dtype": "f16"}])
    rc, _, err = run("init", "--manifest", ortho, "--out", os.path.join(tmp, "ortho.safetensors"))
    check(rc == 2 and ('tensors[1] "w": shape: orthogonal of a %d x 16 matrix needs a scratch buffer of %d bytes, '
                       "above the device's largest (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d bytes)"
                       % (rows, (rows * 16 + 16) * 4, limit)) in err
          and not os.path.exists(os.path.join(tmp, "ortho.safetensors")), "init: orthogonal scratch too large", err)
    # `clinit sample` checks it as up front, in the library's words (it failed in the fill: exit 1).
    rc, _, err = run("sample", "orthogonal", "--shape", "%d,16" % rows, "--dtype", "f16", "--out", out,
                     preexec=address_space_limit)
    check(rc == 2 and err == "clinit: --shape %d,16: orthogonal of a %d x 16 matrix needs a scratch buffer of %d "
          "bytes, above the device's largest (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d bytes)\n"
          % (rows, rows, (rows * 16 + 16) * 4, limit) and not os.path.exists(out),
          "sample: orthogonal scratch too large -> exit 2 before any work", "rc %d: %s" % (rc, err))
    test_device_memory(tmp, limit)

    # (e) Killed by a signal: status 128+N (Python: -N), and neither output nor temporary file is left.
    folder = os.path.join(tmp, "killed")
    os.mkdir(folder)
    p = subprocess.Popen([CLINIT, "sample", "normal", "--shape", "100000000", "--out", os.path.join(folder, "k.npy")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not data_sizes(p.pid, folder) and p.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        p.wait()
        check(p.returncode == -signal.SIGTERM and os.listdir(folder) == [], "SIGTERM: killed by it, nothing left",
              "rc %d, %s" % (p.returncode, os.listdir(folder)))
    else:
        print("skip: the run ended before it could be interrupted")

    # (f) Strict numbers everywhere: no blanks around a dimension, a seed or a parameter.
    for args, needle in ((["--shape", " 10"], "--shape"), (["--shape", "10 "], "--shape"),
                         (["--shape", "10", "--seed", " 1"], "--seed"),
                         (["--shape", "10", "--param", "a=-1 "], "blanks"),
                         (["--shape", "10", "--param", "b= 1"], "blanks")):
        usage_error(["sample", "uniform", *args, "--out", out], [needle], "blank in %s" % " ".join(args))
    # ... and no '+' (nor, for an integer, any sign): the library refuses them too, so manifests do as well.
    for k, (init, shape, param, needle) in enumerate((
            ("linear_default_bias", "3", "fan_in=+5", "no '+' sign (write \"5\")"),
            ("linear_default_bias", "3", "fan_in=-0", "non-negative integer"),
            ("linear_default_bias", "3", "fan_in=9223372036854775808",
             "beyond the range of int64_t (at most 9223372036854775807)"),
            ("dirac", "4,4,3", "groups=+2", "no '+' sign (write \"2\")"),
            ("normal", "3", "std=+1", "no '+' sign (write \"1\")"),
            ("trunc_normal", "3", "b=+inf", "no '+' sign (write \"inf\")"),
            # beyond double's range: strtod would make them inf, -inf and 0
            ("trunc_normal", "3", "b=1e999", "beyond the range of a double (it would be inf)"),
            ("uniform", "3", "a=-1e400", "beyond the range of a double (it would be -inf)"),
            ("normal", "3", "std=1e-400", "beyond the range of a double (it would be 0)"))):
        name, sign_out = param.split("=")[0], os.path.join(tmp, "sign%d.npy" % k)
        usage_error(["sample", init, "--shape", shape, "--param", param, "--out", sign_out],
                    ["--param %s: %s" % (name, name), needle], "--param %s" % param)
        check(not os.path.exists(sign_out), "--param %s: no file" % param)
    for k, (params, needle) in enumerate((({"fan_in": "+5"}, "params.fan_in: fan_in = \"+5\""),
                                          ({"fan_in": " 5"}, "params.fan_in: fan_in = \" 5\""),
                                          ({"std": "+1"}, "params.std: std = \"+1\""))):
        kind = "linear_default_bias" if "fan_in" in params else "normal"
        path = os.path.join(tmp, "sign%d.json" % k)
        with open(path, "w") as f:
            json.dump({"tensors": [{"name": "b", "shape": [3], "init": kind, "params": params}]}, f)
        usage_error(["init", "--manifest", path, "--out", os.path.join(tmp, "sign%d.safetensors" % k)],
                    [path, needle], "manifest params %s" % params)
    # A '-' stays syntax on a real number; its range is checked as such.
    usage_error(["sample", "normal", "--shape", "3", "--param", "std=-1", "--out", out], ["--param", "std"],
                "--param std=-1: out of range")
    rc, summary, err = run("sample", "uniform", "--shape", "3", "--param", "a=-1", "--param", "b=1e+0", "--out", out)
    check(rc == 0 and "expected: U[-1, 1)" in summary, "a=-1 b=1e+0: a minus and an exponent's sign are numbers", err)
    if os.path.exists(out):
        os.remove(out)
    # A NUL escaped into a JSON string would cut the name short: refused, with its position. An escaped
    # backslash before "u0000" is no NUL.
    nul = os.path.join(tmp, "nul.json")
    with open(nul, "w") as f:
        f.write('{"tensors": [{"name": "w", "shape": [3], "init": "ones"},\n {"name": "w\\u0000x", "shape": [3], '
                '"init": "ones"}]}')
    usage_error(["init", "--manifest", nul, "--out", os.path.join(tmp, "nul.safetensors")],
                [nul, "line 2", "\\u0000"], "manifest name with \\u0000")
    # JSON numbers beyond double's range are refused as --param's text is (cJSON made them inf and 0: params.b
    # 1e999 became +inf, params.val 1e-400 a tensor of zeros, a dimension 1e-400 an empty tensor); one inside a
    # string is no number, a subnormal is kept, and 0e-999 is zero.
    for k, (body, shown, becomes) in enumerate((
            ('{"tensors": [{"name": "w", "shape": [4], "init": "trunc_normal",\n "params": {"b": 1e999}}]}',
             "1e999", "inf"),
            ('{"tensors": [{"name": "w", "shape": [4], "init": "constant", "params": {"val": -1E-400}}]}',
             "-1E-400", "0"),
            ('{"tensors": [{"name": "w", "shape": [1e-400, 3], "init": "zeros"}]}', "1e-400", "0"),
            ('{"seed": 2e400, "tensors": [{"name": "w", "shape": [3], "init": "zeros"}]}', "2e400", "inf"))):
        path = os.path.join(tmp, "range%d.json" % k)
        with open(path, "w") as f:
            f.write(body)
        at = body.index(shown)
        where = "line %d, column %d" % (body.count("\n", 0, at) + 1, at - body.rfind("\n", 0, at))
        rc, _, err = run("init", "--manifest", path, "--out", os.path.join(tmp, "range%d.safetensors" % k))
        check(rc == 2 and err == "clinit: %s: %s: the number %s is beyond the range of a double (it would be %s)\n"
              % (path, where, shown, becomes) and not os.path.exists(os.path.join(tmp, "range%d.safetensors" % k)),
              "manifest number %s -> exit 2 at its position" % shown, "rc %d: %s" % (rc, err))
    kept = os.path.join(tmp, "kept.json")
    with open(kept, "w") as f:
        f.write('{"tensors": [{"name": "w 1e-400", "shape": [2], "init": "constant", "params": {"val": 1e-310}},'
                ' {"name": "z", "shape": [2], "init": "constant", "params": {"val": 0e-999}}]}')
    rc, _, err = run("init", "--manifest", kept, "--out", os.path.join(tmp, "kept.safetensors"))
    check(rc == 0, "a subnormal, a zero with a large exponent and a number in a name are accepted", err)
    bs = os.path.join(tmp, "backslash.json")
    with open(bs, "w") as f:
        f.write('{"tensors": [{"name": "w\\\\u0000", "shape": [3], "init": "ones"}]}')
    rc, _, err = run("init", "--manifest", bs, "--out", os.path.join(tmp, "backslash.safetensors"))
    check(rc == 0 and "w\\u0000" in read_safetensors(os.path.join(tmp, "backslash.safetensors"))[0],
          "an escaped backslash before u0000 is a name", err)

    # (g) Special files are written in place, without --force, and stay what they are.
    rc, _, err = run("sample", "uniform", "--shape", "10", "--out", "/dev/null")
    check(rc == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null written without --force", err)

    # Nearest names in messages.
    for args, needle in ((["kaiming_unifrom", "--shape", "3,3"], "did you mean kaiming_uniform?"),
                         (["xavier_uniform", "--shape", "3,3", "--param", "gian=2"], "did you mean gain?"),
                         (["kaiming_normal", "--shape", "3,3", "--param", "mode=fan_ni"], "did you mean fan_in?"),
                         (["variance_scaling", "--shape", "3,3", "--param", "mode=fan_agv"], "did you mean fan_avg?"),
                         (["variance_scaling", "--shape", "3,3", "--param", "distribution=unifrom"],
                          "did you mean uniform?"),
                         (["variance_scaling", "--shape", "3,3", "--param", "distribution=normal"], "ambiguous"),
                         (["uniform", "--shap", "3"], "did you mean --shape?"),
                         (["uniform", "--shape", "3", "--layout", "io "], "did you mean io?"),
                         (["zeros", "--shape", "3", "--param", "val=1"], "zeros takes no parameters")):
        usage_error(["sample", *args, "--out", out], [needle], "sample %s" % " ".join(args))


def no_core():
    """preexec_fn: no core file from SIGQUIT's default action."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def interrupt(args, folder, sig, after_start):
    """Runs clinit ARGS, whose output goes into the empty `folder`, and sends it `sig` once its temporary file
    appears (after_start: once that file holds data, i.e. once the OpenCL runtime has started and the header
    is written). (returncode, files left), or None when the run ended before the signal could be sent."""
    p = subprocess.Popen([CLINIT] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=no_core)
    deadline = time.time() + 120
    while p.poll() is None and time.time() < deadline:
        sizes = data_sizes(p.pid, folder)
        if sizes and (not after_start or max(sizes) > 0):
            p.send_signal(sig)
            p.communicate(timeout=120)
            return p.returncode, os.listdir(folder)
        time.sleep(0.002)
    p.communicate(timeout=120)
    return None


def ignoring(*sigs):
    """preexec_fn: `sigs` ignored when clinit starts, as nohup leaves SIGHUP and a script's `clinit … &` SIGINT
    and SIGQUIT; and no core file."""
    def preexec():
        no_core()
        for sig in sigs:
            signal.signal(sig, signal.SIG_IGN)
    return preexec


def signal_steps(args, folder, steps, preexec):
    """Runs clinit ARGS, whose output goes into the empty `folder`, and sends the signals of `steps`, pairs
    (signal, after_start), one after the other while its temporary file (a name starting with ".") is there:
    each once it appears, or with after_start once it holds data. (returncode, files left, signals sent,
    stdout and stderr)."""
    p = subprocess.Popen([CLINIT] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=preexec)
    sent, deadline = 0, time.time() + 120
    while p.poll() is None and sent < len(steps) and time.time() < deadline:
        sizes = data_sizes(p.pid, folder)
        sig, after_start = steps[sent]
        if sizes and (not after_start or max(sizes) > 0):
            p.send_signal(sig)
            sent += 1
        else:
            time.sleep(0.002)
    output, _ = p.communicate(timeout=120)
    return p.returncode, sorted(os.listdir(folder)), sent, output.decode(errors="replace")


def test_device_memory(tmp, limit):
    """An orthogonal tensor whose buffer and largest scratch buffer each fit the device's largest buffer (`limit`
    bytes), but whose scratch does not fit the device's memory beside its buffer: exit 2 before any work (it
    was OOM-killed on PoCL, whose device memory is the host's). The shape comes from the device's own sizes."""
    mib = device_memory_mib(CLINIT)
    # (1, m) f32: a buffer of 4m bytes; scratch of the m x 1 matrix (4m + 4) + 4 + 4m bytes, the largest 4m + 4.
    m = limit // 4 - 1
    buffer, scratch = 4 * m, 8 * m + 8
    if not check(mib is not None, "clinit devices marks the device used"):
        return
    if buffer + scratch <= (mib + 1) << 20:
        print("skip: the device's memory (%d MiB) holds any orthogonal tensor its largest buffer holds" % mib)
        return
    out = os.path.join(tmp, "mem.npy")
    rc, _, err = run("sample", "orthogonal", "--shape", "1,%d" % m, "--out", out, preexec=address_space_limit)
    memory = re.search(r"above the device's memory \(CL_DEVICE_GLOBAL_MEM_SIZE = (\d+) bytes\)", err)
    check(rc == 2 and memory is not None and int(memory.group(1)) >> 20 == mib
          and err == "clinit: --shape 1,%d: orthogonal of a %d x 1 matrix needs %d bytes of scratch besides %d bytes "
          "of other buffers, above the device's memory (CL_DEVICE_GLOBAL_MEM_SIZE = %s bytes)\n"
          % (m, m, scratch, buffer, memory.group(1))
          and not os.path.exists(out), "sample: orthogonal scratch beside its buffer above the device's memory",
          "rc %d: %s" % (rc, err))
    if memory is None:
        return
    # `clinit init`: the buffer is its largest slab, the whole orthogonal tensor.
    manifest = write_manifest(tmp, "mem.json", [BN_W, {"name": "w", "shape": [1, m], "init": "orthogonal"}])
    out = os.path.join(tmp, "mem.safetensors")
    rc, _, err = run("init", "--manifest", manifest, "--out", out, preexec=address_space_limit)
    check(rc == 2 and err == 'clinit: %s: tensors[1] "w": shape: orthogonal of a %d x 1 matrix needs %d bytes of '
          "scratch besides %d bytes of other buffers, above the device's memory (CL_DEVICE_GLOBAL_MEM_SIZE = %s "
          "bytes)\n" % (manifest, m, scratch, buffer, memory.group(1))
          and not os.path.exists(out), "init: orthogonal scratch beside the buffer above the device's memory",
          "rc %d: %s" % (rc, err))


def test_device_time_without_builds(tmp):
    """PoCL compiles a kernel when it is first enqueued (seconds on an empty kernel cache), between the probes
    that time a fill of several launches (orthogonal; a batch of several groups): that is no device time. With a
    fresh cache, the summary's device time stays a small part of the run (it was most of it: 2.4 s of 3)."""
    m = write_manifest(tmp, "firstuse.json", [dict(name="q", shape=[64, 32], init="orthogonal"),
                                             dict(name="d", shape=[16, 16, 3], init="dirac"),
                                             dict(name="n", shape=[64, 64], init="normal", dtype="bf16")])
    cache = os.path.join(tmp, "cold-cache")
    os.mkdir(cache)
    start = time.monotonic()
    rc, so, err = run("init", "--manifest", m, "--out", os.path.join(tmp, "firstuse.safetensors"),
                      env={"POCL_CACHE_DIR": cache})
    wall_ms = (time.monotonic() - start) * 1e3
    found = re.search(r"device time ([0-9.]+) ms", so)
    check(rc == 0 and found is not None and float(found.group(1)) < 0.1 * wall_ms,
          "init on a cold kernel cache: compilation is not device time",
          "rc %d, %.0f ms wall: %s%s" % (rc, wall_ms, so, err))


def test_readme_manifest_message(tmp):
    """The manifest page's example of a message (docs/FORMATS.md, once the README's) is what the tool prints for
    the page's own manifest with the change it names (it gave attn.qkv the wrong index)."""
    readme = open(os.path.join(SOURCE_DIR, "docs", "FORMATS.md"), encoding="utf-8").read()
    example = re.search(r"## Manifests\n\n```json\n(.*?)```", readme, re.S)
    quoted = re.search(r'`(m\.json: tensors\[\d+\] "attn\.qkv": in_axes: [^`]*)`\s+\(the\s+example\s+above\s+with\s+'
                       r'`"in_axes": \[5\]`\)', readme)
    if not check(example is not None and quoted is not None, "docs/FORMATS.md: the manifest and its message"):
        return
    manifest = json.loads(example.group(1))
    for t in manifest["tensors"]:
        if t["name"] == "attn.qkv":
            t["in_axes"] = [5]
    folder = os.path.join(tmp, "readme")
    os.mkdir(folder)
    with open(os.path.join(folder, "m.json"), "w") as f:
        json.dump(manifest, f)
    p = subprocess.run([CLINIT, "init", "--manifest", "m.json", "--out", "m.safetensors"], cwd=folder,
                       capture_output=True, text=True)
    check(p.returncode == 2 and p.stderr == "clinit: %s\n" % quoted.group(1), "FORMATS.md's manifest message",
          "rc %d: %r vs %r" % (p.returncode, p.stderr, quoted.group(1)))


def test_ignored_signals(tmp):
    """A signal ignored when clinit starts stays ignored, as in well-behaved Unix tools: `nohup clinit init …`
    survives a hang-up, while the runtime starts (the signals are held then) and while writing, and writes the
    bytes an undisturbed run writes; the signals not ignored still end the run and leave nothing behind."""
    manifest = os.path.join(SOURCE_DIR, "examples", "manifests", "gpt2.json")
    if not os.path.exists(manifest):
        print("skip: %s does not exist" % manifest)
        return
    folder = os.path.join(tmp, "ignored-hup")
    os.mkdir(folder)
    out = os.path.join(folder, "g.safetensors")
    hup = [(signal.SIGHUP, False), (signal.SIGHUP, True)]
    rc, left, sent, output = signal_steps(["init", "--manifest", manifest, "--out", out], folder, hup,
                                          ignoring(signal.SIGHUP))
    if check(rc == 0 and left == ["g.safetensors"] and sent == 2 and "wrote " + out in output,
             "init gpt2 with SIGHUP ignored (nohup): two SIGHUPs, while the runtime starts and while writing, "
             "do not end it", "rc %d, %s, %d sent, output %s" % (rc, left, sent, output)):
        ref = os.path.join(tmp, "ignored-hup-ref.safetensors")
        rc, _, err = run("init", "--manifest", manifest, "--out", ref)
        check(rc == 0 and filecmp.cmp(out, ref, shallow=False),
              "init gpt2 with SIGHUP ignored writes the bytes of an undisturbed run", err)
        os.remove(ref)
    if os.path.exists(out):
        os.remove(out)  # 498 MB
    # SIGINT, SIGQUIT and SIGHUP ignored (a script's background job under nohup): they go by, SIGTERM, not
    # ignored, still removes the temporary file and ends the run by that signal.
    folder = os.path.join(tmp, "ignored-int-quit-hup")
    os.mkdir(folder)
    steps = [(signal.SIGINT, False), (signal.SIGQUIT, False), (signal.SIGHUP, False), (signal.SIGINT, True),
             (signal.SIGQUIT, True), (signal.SIGHUP, True), (signal.SIGTERM, True)]
    rc, left, sent, output = signal_steps(["init", "--manifest", manifest, "--out",
                                           os.path.join(folder, "g.safetensors")],
                                          folder, steps, ignoring(signal.SIGINT, signal.SIGQUIT, signal.SIGHUP))
    check(rc == -signal.SIGTERM and left == [] and sent == len(steps),
          "init gpt2 with SIGINT, SIGQUIT and SIGHUP ignored: they go by, SIGTERM ends it and nothing is left",
          "rc %d, %s, %d of %d sent, output %s" % (rc, left, sent, len(steps), output))


def test_signals(tmp):
    """SIGINT, SIGTERM, SIGHUP and SIGQUIT end a run by that signal (status 128+N; Python: -N) and leave neither
    output nor temporary file, whenever they come: while the OpenCL runtime starts (PoCL's LLVM installs handlers
    of its own then, which swallowed the first SIGQUIT) and after, while a GPT-2-sized model is being written.
    (A signal ignored when the run starts stays ignored: test_ignored_signals.)"""
    manifest = os.path.join(SOURCE_DIR, "examples", "manifests", "gpt2.json")
    if not os.path.exists(manifest):
        print("skip: %s does not exist" % manifest)
        return
    cases = [(sig, True) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)]
    cases += [(signal.SIGQUIT, False), (signal.SIGINT, False), (signal.SIGHUP, False)]
    for k, (sig, after_start) in enumerate(cases):
        folder = os.path.join(tmp, "signal%d" % k)
        os.mkdir(folder)
        what = "init gpt2: %s %s" % (sig.name, "while writing" if after_start else "while the runtime starts")
        got = interrupt(["init", "--manifest", manifest, "--out", os.path.join(folder, "g.safetensors")], folder, sig,
                        after_start)
        if got is None:
            print("skip: %s: the run ended before it could be interrupted" % what)
            continue
        check(got == (-sig, []), "%s: killed by it, nothing left" % what, "rc %d, %s" % got)
    folder = os.path.join(tmp, "signal-sample")
    os.mkdir(folder)
    got = interrupt(["sample", "normal", "--shape", "100000000", "--out", os.path.join(folder, "k.npy")], folder,
                    signal.SIGQUIT, False)
    if got is not None:
        check(got == (-signal.SIGQUIT, []), "sample: SIGQUIT: killed by it, nothing left", "rc %d, %s" % got)


def test_long_names(tmp):
    """The temporary file beside the output (".NAME.XXXXXX", 8 bytes more) is cut short where it would exceed
    the folder's limit on a name (255 bytes here), so every name the folder takes is written: 248-255 bytes
    were refused with "File name too long". A longer name is refused before any work."""
    base = os.path.join(tmp, "long-names")
    os.mkdir(base)
    limit = os.pathconf(base, "PC_NAME_MAX")
    sample = ["sample", "uniform", "--shape", "3,5", "--seed", "4"]
    m = write_manifest(tmp, "long.json", [FC_W, FC_B], seed=3)
    want = {}
    for cmd, ext, args in (("sample", ".npy", sample), ("init", ".safetensors", ["init", "--manifest", m])):
        ref = os.path.join(tmp, "long-ref" + ext)
        rc, _, err = run(*args, "--out", ref)
        if not check(rc == 0, "long names: %s reference" % cmd, err):
            return
        want[cmd] = open(ref, "rb").read()
        # 2-byte characters put the cut of the 252-byte name inside one: it backs off to the character's start.
        stems = ["y" * (n - len(ext)) for n in (248, 250, limit)] + ["\u00e9" * ((252 - len(ext)) // 2)]
        for stem in stems:
            name = stem + ext
            folder = os.path.join(base, "%s-%d" % (cmd, len(os.fsencode(name))))
            os.mkdir(folder)
            out = os.path.join(folder, name)
            for force in ([], ["--force"]):  # a new file, then one replaced
                rc, _, err = run(*args, "--out", out, *force)
                check(rc == 0 and os.listdir(folder) == [name] and open(out, "rb").read() == want[cmd],
                      "%s --out of a %d-byte name%s: written, nothing else left" %
                      (cmd, len(os.fsencode(name)), " over itself" if force else ""), "rc %d: %s" % (rc, err))
        too_long = os.path.join(base, "y" * (limit + 1 - len(ext)) + ext)
        usage_error([*args, "--out", too_long], ["--out", "File name too long"], "%s --out of %d bytes" %
                    (cmd, limit + 1))
        check(not os.path.lexists(too_long), "%s --out of %d bytes: no file" % (cmd, limit + 1))


def test_out_rule(tmp):
    """--out is followed through symbolic links; a regular file (or none) at their end is replaced atomically
    (with --force when it exists), the link itself never; a device, FIFO or socket is written in place without
    --force; a folder is an error. Same rule for sample and init."""
    base = os.path.join(tmp, "out-rule")
    os.mkdir(base)
    ref = os.path.join(base, "ref.npy")
    sample = ["sample", "uniform", "--shape", "3,5", "--seed", "4"]
    rc, _, err = run(*sample, "--out", ref)
    if not check(rc == 0, "out rule: reference sample", err):
        return
    want = open(ref, "rb").read()

    # A link to a regular file: refused without --force (both kept); with it the file it points to is replaced
    # and the link stays a link.
    target = os.path.join(base, "target.bin")
    with open(target, "wb") as f:
        f.write(b"keep")
    link = os.path.join(base, "link.npy")
    os.symlink("target.bin", link)  # relative: read from the link's folder
    usage_error([*sample, "--out", link], ["--out", link, "--force"], "link to a file without --force")
    check(os.path.islink(link) and open(target, "rb").read() == b"keep", "link and its file kept without --force")
    rc, _, err = run(*sample, "--out", link, "--force")
    check(rc == 0 and os.path.islink(link) and os.readlink(link) == "target.bin"
          and open(target, "rb").read() == want, "--force replaces the file the link points to, keeps the link", err)
    # Two links deep, into another folder, for init too.
    sub = os.path.join(base, "sub")
    os.mkdir(sub)
    m = write_manifest(tmp, "rule.json", [BN_W, FC_W])
    real = os.path.join(sub, "real.safetensors")
    hop = os.path.join(base, "hop.safetensors")
    top = os.path.join(base, "top.safetensors")
    os.symlink(os.path.join("sub", "real.safetensors"), hop)
    os.symlink(hop, top)
    rc, _, err = run("init", "--manifest", m, "--out", top)  # dangling: creates the file at the end
    check(rc == 0 and os.path.islink(top) and os.path.islink(hop) and os.path.isfile(real)
          and not os.path.islink(real) and read_safetensors(real)[0]["bn1.weight"]["shape"] == [64],
          "init through two dangling links creates the file they lead to", err)
    first = open(real, "rb").read()
    usage_error(["init", "--manifest", m, "--out", top], ["--out", top, "--force"], "init: link to a file")
    rc, _, err = run("init", "--manifest", m, "--out", top, "--force", "--seed", "9")
    check(rc == 0 and os.path.islink(top) and os.path.islink(hop) and open(real, "rb").read() != first
          and os.listdir(sub) == ["real.safetensors"], "init --force through links replaces the file only", err)
    dangling = os.path.join(base, "dangling.npy")
    os.symlink(os.path.join(base, "nowhere", "x.npy"), dangling)
    usage_error([*sample, "--out", dangling], ["--out", dangling, "nowhere"], "link into a missing folder")
    check(os.path.islink(dangling) and not os.path.exists(os.path.join(base, "nowhere")), "dangling link kept")
    loop = os.path.join(base, "loop.npy")
    os.symlink("loop.npy", loop)
    usage_error([*sample, "--out", loop, "--force"], ["--out", loop], "a link to itself")
    check(os.path.islink(loop), "a looping link is kept")

    # Folders are errors, also behind a link.
    folder = os.path.join(base, "d.npy")
    os.mkdir(folder)
    usage_error([*sample, "--out", folder, "--force"], ["--out", "folder"], "--out a folder")
    os.symlink("d.npy", os.path.join(base, "dl.npy"))
    usage_error([*sample, "--out", os.path.join(base, "dl.npy"), "--force"], ["folder"], "--out a link to a folder")
    # A folder whose name says no format is a folder too (not "name the format"), as is a link to one; an empty
    # name is an empty name. For `init` a folder is Hugging Face's layout (test_hf_folder), whatever its name.
    os.mkdir(os.path.join(base, "plain"))
    os.symlink("plain", os.path.join(base, "plainlink"))
    for name in ("plain", "plainlink", "plain/"):
        folder = os.path.join(base, name)
        rc, _, err = run(*sample, "--out", folder)
        check(rc == 2 and err == "clinit: --out %s: is a folder\n" % folder,
              "sample --out %s (a folder, no extension): is a folder" % name, "rc %d: %r" % (rc, err))
    check(os.listdir(os.path.join(base, "plain")) == [], "nothing written into the folder")
    for name in ("d.safetensors", "plainlink"):
        if name == "d.safetensors":
            os.mkdir(os.path.join(base, name))
        rc, _, err = run("init", "--manifest", m, "--out", os.path.join(base, name), "--force")
        check(rc == 0 and os.listdir(os.path.join(base, name)) == ["model.safetensors"],
              "init --out %s (a folder): Hugging Face's layout" % name, "rc %d: %r" % (rc, err))
        os.remove(os.path.join(base, name, "model.safetensors"))
    for args in (sample, ["init", "--manifest", m]):
        rc, _, err = run(*args, "--out", "")
        check(rc == 2 and err == "clinit: --out: empty file name\n", "%s --out \"\": empty" % args[0],
              "rc %d: %r" % (rc, err))
    os.unlink(os.path.join(base, "plainlink"))
    os.rmdir(os.path.join(base, "plain"))

    # Special files: written in place, without --force, whatever their name, and stay what they are.
    for args in ([*sample, "--out", "/dev/null"], ["init", "--manifest", m, "--out", "/dev/null"]):
        rc, _, err = run(*args)
        check(rc == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode), "%s /dev/null" % args[0], err)

    def read_into(box, conn_or_path):
        if isinstance(conn_or_path, str):
            with open(conn_or_path, "rb") as f:
                box.append(f.read())
        else:
            chunks = []
            while True:
                b = conn_or_path.recv(65536)
                if not b:
                    break
                chunks.append(b)
            conn_or_path.close()
            box.append(b"".join(chunks))

    import socket
    import threading
    fifo = os.path.join(base, "fifo")  # no extension: a FIFO takes no file name to honour
    os.mkfifo(fifo)
    for args, what in ((sample, "sample"), (["init", "--manifest", m], "init")):
        got = []
        reader = threading.Thread(target=read_into, args=(got, fifo))
        reader.start()
        rc, _, err = run(*args, "--out", fifo)
        reader.join(60)
        data = got[0] if got else b""
        ok = data == (want if what == "sample" else first)
        check(rc == 0 and ok and stat.S_ISFIFO(os.lstat(fifo).st_mode) and sorted(os.listdir(base)) == sorted(
            ["d.npy", "d.safetensors", "dangling.npy", "dl.npy", "fifo", "hop.safetensors", "link.npy", "loop.npy",
             "ref.npy", "sub", "target.bin", "top.safetensors"]), "%s into a FIFO: in place, no temporary" % what,
              "rc %d, %d bytes: %s" % (rc, len(data), err))
    # A listening Unix socket: connected to and written.
    sock_path = os.path.join(base, "s.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(1)
    got = []
    acceptor = threading.Thread(target=lambda: read_into(got, srv.accept()[0]))
    acceptor.start()
    rc, _, err = run(*sample, "--out", sock_path)
    acceptor.join(60)
    srv.close()
    check(rc == 0 and got == [want], "sample into a Unix socket", "rc %d: %s" % (rc, err))

    # The process's own stdout, through a link of ours to /proc/self/fd/1 (never the real /dev/stdout link):
    # a pipe and a socket are written in place; a regular file is replaced as any file is. stdout then holds
    # the file's bytes and nothing else: the summary line (and --hist) goes to stderr instead.
    if os.path.exists("/proc/self/fd/1"):
        _, summary, _ = run(*sample, "--out", os.path.join(base, "ref2.npy"))
        os.unlink(os.path.join(base, "ref2.npy"))
        out_link = os.path.join(base, "stdout.npy")
        os.symlink("/proc/self/fd/1", out_link)
        p = subprocess.run([CLINIT, *sample, "--out", out_link], capture_output=True)
        check(p.returncode == 0 and p.stdout == want and p.stderr.decode() == summary and os.path.islink(out_link),
              "stdout (a pipe) through a link: written in place, the file's bytes only, the summary on stderr",
              "rc %d, %d bytes (want %d): %r" % (p.returncode, len(p.stdout), len(want), p.stderr))
        p = subprocess.run([CLINIT, *sample, "--out", out_link, "--hist"], capture_output=True)
        err = p.stderr.decode()
        check(p.returncode == 0 and p.stdout == want and err.startswith(summary) and "histogram: 24 bins" in err
              and err.count("\n") == 26, "stdout through a link, --hist: the histogram on stderr too",
              "rc %d, %d bytes: %r" % (p.returncode, len(p.stdout), err))
        a, b = socket.socketpair()
        got = []
        reader = threading.Thread(target=read_into, args=(got, a))
        reader.start()
        p = subprocess.run([CLINIT, *sample, "--out", out_link], stdout=b, stderr=subprocess.PIPE)
        b.close()
        reader.join(60)
        check(p.returncode == 0 and got == [want] and p.stderr.decode() == summary,
              "stdout (a socket) through a link: the file's bytes only", "rc %d, %d bytes: %r" % (
                  p.returncode, len(got[0]) if got else -1, p.stderr))
        # .safetensors and init the same way: byte for byte the file they write to a regular file.
        st_ref = os.path.join(base, "st-ref.safetensors")
        rc, st_summary, err = run(*sample, "--out", st_ref, "--name", "w")
        st_want = open(st_ref, "rb").read()
        os.unlink(st_ref)
        st_link = os.path.join(base, "stdout.safetensors")
        os.symlink("/proc/self/fd/1", st_link)
        p = subprocess.run([CLINIT, *sample, "--out", st_link, "--name", "w"], capture_output=True)
        check(rc == 0 and p.returncode == 0 and p.stdout == st_want
              and p.stderr.decode() == st_summary,
              "sample .safetensors to stdout through a link: the file's bytes only",
              "rc %d, %d bytes (want %d): %r" % (p.returncode, len(p.stdout), len(st_want), p.stderr))
        p = subprocess.run([CLINIT, "init", "--manifest", m, "--out", st_link], capture_output=True)
        err = p.stderr.decode()
        check(p.returncode == 0 and p.stdout == first and re.fullmatch(
            r"2 tensors, \d+ values, %d bytes, device time .* wrote %s\n" % (len(first) - 8 - struct.unpack(
                "<Q", first[:8])[0], re.escape(st_link)), err) is not None,
              "init to stdout through a link: the file's bytes only, the summary on stderr",
              "rc %d, %d bytes (want %d): %r" % (p.returncode, len(p.stdout), len(first), err))
        os.unlink(st_link)
        held = os.path.join(base, "held.npy")
        for force in ([], ["--force"]):
            with open(held, "wb") as f:
                f.write(b"old")
                p = subprocess.run([CLINIT, *sample, "--out", out_link, *force], stdout=f, stderr=subprocess.PIPE)
            if force:
                # stdout is the file being replaced: the summary would go to the replaced file, so stderr
                check(p.returncode == 0 and open(held, "rb").read() == want and os.path.islink(out_link)
                      and p.stderr.decode() == summary,
                      "stdout (a file) through a link, --force: the file is replaced, the summary on stderr",
                      p.stderr.decode())
            else:
                check(p.returncode == 2 and b"--force" in p.stderr and open(held, "rb").read() == b"old",
                      "stdout (a file) through a link, no --force: kept", p.stderr.decode())
    # init names its format as sample does: .safetensors, unless no file takes the name (above).
    for name in ("o", "o.txt", "o.npy", "o.SAFETENSORS"):
        out = os.path.join(base, name)
        usage_error(["init", "--manifest", m, "--out", out], ["--out", ".safetensors"], "init --out %s" % name)
        check(not os.path.exists(out), "init --out %s: nothing written" % name)
    leftovers = [f for root, _, files in os.walk(base) for f in files if f.startswith(".")]
    check(leftovers == [], "out rule: no temporary files left", str(leftovers))


def test_input_checks(tmp):
    """Tensor names are UTF-8; manifest integers are exact; every flag is given at most once; a layout an
    initializer does not take is named, not numbered."""
    m = write_manifest(tmp, "flags.json", [BN_W])

    # Names: valid UTF-8 only (a safetensors header is JSON); other scripts are fine. The argv bytes (each \udcXX
    # is the byte XX): FF, an overlong "/", a surrogate, a code point above U+10FFFF.
    st = os.path.join(tmp, "name.safetensors")
    for bad in ("\udcff", "a\udcc0\udcafb", "\udced\udca0\udc80", "\udcf4\udc90\udc80\udc80"):
        usage_error(["sample", "ones", "--shape", "3", "--out", st, "--name", bad], ["--name", "UTF-8"],
                    "--name %r" % os.fsencode(bad))
    check(not os.path.exists(st), "no file for a bad --name")
    rc, _, err = run("sample", "ones", "--shape", "3", "--out", st, "--name", "层.é")
    check(rc == 0 and "层.é" in read_safetensors(st)[0], "a UTF-8 --name", err)
    raw = os.path.join(tmp, "raw-name.json")
    with open(raw, "wb") as f:
        f.write(b'{"tensors": [{"name": "w", "shape": [3], "init": "ones"}, {"name": "\xff\xfe", "shape": [3], '
                b'"init": "ones"}]}')
    usage_error(["init", "--manifest", raw, "--out", os.path.join(tmp, "raw.safetensors")],
                [raw, "tensors[1]", "name", "UTF-8"], "manifest name of invalid UTF-8 bytes")
    esc = os.path.join(tmp, "esc-name.json")
    with open(esc, "w") as f:
        f.write('{"tensors": [{"name": "\\udcff\\udcfe", "shape": [3], "init": "ones"}]}')
    usage_error(["init", "--manifest", esc, "--out", os.path.join(tmp, "esc.safetensors")], [esc],
                "manifest name of lone surrogate escapes")

    # Integers of a manifest: JSON numbers are doubles, exact below 2^53 only.
    exact = write_manifest(tmp, "exact.json", [dict(BN_B, shape=[9007199254740991, 0])])
    h, _, _ = init(tmp, exact, os.path.join(tmp, "exact.safetensors"))
    check(h is not None and h["bn1.bias"]["shape"] == [9007199254740991, 0], "2^53 - 1 is kept exactly")
    for i, (t, top, needle) in enumerate([
            (dict(BN_B, shape=[9007199254740993, 0]), {}, '"bn1.bias": shape: dimension 0 is 2^53 or more'),
            (dict(BN_B, shape=[0, 9007199254740992]), {}, '"bn1.bias": shape: dimension 1 is 2^53 or more'),
            (dict(BN_B, shape=[3.5]), {}, '"bn1.bias": shape: dimension 0 is not a non-negative integer'),
            (dict(BN_B, shape=[-0.5]), {}, '"bn1.bias": shape: dimension 0 is not a non-negative integer'),
            (dict(ATTN, in_axes=[9007199254740992]), {},
             '"attn.qkv": in_axes: axis 9007199254740992 is out of range for rank 3 (axes are in [-3, 3))'),
            ({"name": "fc.bias", "shape": [100], "init": "linear_default_bias", "params": {"fan_in": 9007199254740993}},
             {}, '"fc.bias": params.fan_in: 9007199254740992 is 2^53 or more'),
            ({"name": "n", "shape": [2], "init": "constant", "dtype": "i64", "params": {"val": 9007199254740993}}, {},
             '"n": params.val: 9007199254740992: JSON numbers are exact only below 2^53 in magnitude'),
            (BN_B, {"seed": 9007199254740992}, "seed: not an unsigned integer (a number below 2^53")]):
        bad = write_manifest(tmp, "inexact%d.json" % i, [t], **top)
        usage_error(["init", "--manifest", bad, "--out", os.path.join(tmp, "inexact.safetensors")], [bad, needle],
                    "manifest %s" % needle)

    # Repeated flags are errors, as repeated options are.
    out = os.path.join(tmp, "twice.npy")
    for args in (["sample", "ones", "--shape", "3", "--out", out, "--force", "--force"],
                 ["sample", "ones", "--shape", "3", "--out", out, "--hist", "--hist"],
                 ["init", "--manifest", m, "--out", os.path.join(tmp, "twice.safetensors"), "--force", "--force"]):
        flag = args[-1]
        usage_error(args, [flag + " given twice"], " ".join(args[:1] + args[-2:]))
    check(not os.path.exists(out), "no output after a repeated flag")

    # Layouts an initializer does not take are named.
    for init_name in ("delta_orthogonal", "dirac"):
        rc, _, err = run("sample", init_name, "--shape", "16,16,3,3", "--layout", "axes", "--in-axes", "1",
                         "--out-axes", "0", "--out", out)
        check(rc == 2 and "%s takes layout oi or io, not axes" % init_name in err and "layout 2" not in err,
              "%s with layout axes: the layouts it takes" % init_name, err)
        bad = write_manifest(tmp, "lay-%s.json" % init_name, [dict(ATTN, init=init_name, shape=[16, 16, 3])])
        usage_error(["init", "--manifest", bad, "--out", os.path.join(tmp, "lay.safetensors")],
                    ['"attn.qkv": layout: %s takes layout oi or io, not axes' % init_name], "manifest %s axes" % init_name)


def test_manifest_dtypes_axes(tmp):
    base = [dict(CONV), dict(FC_W), dict(FC_B), dict(BN_W), dict(ATTN),
            {"name": "attn.bias", "shape": [12, 64], "init": "linear_default_bias", "fan_from": "attn.qkv"}]
    ref = write_manifest(tmp, "ref32.json", base, seed=11)
    mixed = write_manifest(tmp, "mixed.json", [dict(t, dtype="bf16") if t["name"] == "fc.weight" else
                                               dict(t, dtype="f32") if t["name"] == "bn1.weight" else t
                                               for t in base], seed=11, dtype="f16")
    h32, b32, _ = init(tmp, ref, os.path.join(tmp, "ref32.safetensors"))
    hm, bm, _ = init(tmp, mixed, os.path.join(tmp, "mixed.safetensors"))
    if h32 is None or hm is None:
        return
    check(hm["__metadata__"].get("clinit_generation") == GENERATION, "init metadata clinit_generation",
          str(hm["__metadata__"]))
    want = {"conv1.weight": "F16", "fc.weight": "BF16", "fc.bias": "F16", "bn1.weight": "F32", "attn.qkv": "F16",
            "attn.bias": "F16"}
    check({k: hm[k]["dtype"] for k in want} == want, "per-tensor dtypes over the top-level one",
          str({k: hm[k]["dtype"] for k in want}))
    rounding = {"F16": f16_round, "BF16": bf16_round, "F32": lambda x: x}
    for name, code in want.items():
        v32 = tensor(h32, b32, name)[0]
        vm = tensor(hm, bm, name)[0]
        if name in ("fc.bias", "attn.bias", "fc.weight"):  # uniform family: kept inside [a, b) as well
            bound = max(abs(x) for x in v32)
            check(len(vm) == len(v32) and all(abs(x) <= bound * 1.01 for x in vm)
                  and sum(x == rounding[code](y) for x, y in zip(vm, v32)) >= 0.99 * len(v32),
                  "%s %s: rounding of the f32 tensor" % (name, code))
        elif name == "attn.qkv":
            check(all(-0.0625 <= x <= 0.0625 for x in vm) and max(map(abs, vm)) > 0.06, "attn.qkv f16 within 0.0625")
        else:
            check(vm == [rounding[code](x) for x in v32], "%s %s: rounding of the f32 tensor" % (name, code))
    check_uniform(tensor(h32, b32, "attn.qkv")[0], -0.0625, 0.0625, "manifest attention axes")
    wb = 1 / math.sqrt(768)  # fan_from a layout-axes weight: its fan_in is the in axes' product
    bias = tensor(h32, b32, "attn.bias")[0]
    check(all(f32(-wb) <= x < f32(wb) for x in bias) and max(map(abs, bias)) > wb / 2, "bias fan_in from axes")
    # A top-level layout "axes" needs no axes for tensors without fans.
    m = write_manifest(tmp, "topaxes.json", [dict(ATTN, layout=None), BN_B], layout="axes")
    with open(m) as f:
        doc = json.load(f)
    doc["tensors"][0].pop("layout")
    with open(m, "w") as f:
        json.dump(doc, f)
    h, b, _ = init(tmp, m, os.path.join(tmp, "topaxes.safetensors"))
    check(h is not None and tensor(h, b, "bn1.bias")[0] == [0.0] * 64, "top-level layout axes")


def test_framework_rules(tmp):
    """Each framework's rule through --param, --layout and manifests: JAX's column_axis (orthogonal of (3, 4, 5)
    with column_axis 1 is the (15, 4) fill with axis 1 moved back); Keras's flattening of a (3, 3, 4, 8) io conv
    kernel with column_axis -1, from a manifest, equals `sample` of the (36, 8) matrix with its name's stream;
    Keras's fans of a bias under io; trunc_normal with a == b is a."""
    def values(name, init, shape, *extra):
        path = os.path.join(tmp, "rules-%s.npy" % name)
        rc, so, err = run("sample", init, "--shape", shape, "--seed", "5", "--stream", "9", "--out", path, "--force",
                          *extra)
        check(rc == 0, "sample %s %s" % (init, " ".join(extra)), err)
        return (read_npy(path)[1], so) if rc == 0 else ([], so)

    t, _ = values("axis1", "orthogonal", "3,4,5", "--param", "column_axis=1")
    m, _ = values("m15x4", "orthogonal", "15,4")
    moved = [m[(p * 5 + s) * 4 + c] for p in range(3) for c in range(4) for s in range(5)]
    check(len(t) == 60 and t == moved, "column_axis=1 is the (15, 4) matrix with its columns on axis 1")
    t, _ = values("axis-2", "orthogonal", "3,4,5", "--param", "column_axis=-2", "--layout", "io")
    check(t == moved, "column_axis=-2 is axis 1, whatever the layout")
    usage_error(["sample", "orthogonal", "--shape", "3,4,5", "--param", "column_axis=3", "--out",
                 os.path.join(tmp, "rules-bad.npy")],
                ["--param", "orthogonal: column_axis = 3 is not an axis of a rank-3 tensor (in [-3, 3))"],
                "column_axis out of range")
    usage_error(["sample", "orthogonal", "--shape", "3,4,5", "--param", "column_axis=1.5", "--out",
                 os.path.join(tmp, "rules-bad.npy")], ["--param", 'column_axis = "1.5" is not an integer'],
                "column_axis not an integer")
    kernel = {"name": "conv.kernel", "shape": [3, 3, 4, 8], "init": "orthogonal", "layout": "io",
              "params": {"column_axis": -1}}
    header, body, _ = init(tmp, write_manifest(tmp, "keras.json", [kernel], seed=5), os.path.join(tmp, "k.safetensors"))
    path = os.path.join(tmp, "rules-36x8.npy")
    rc, _, err = run("sample", "orthogonal", "--shape", "36,8", "--seed", "5", "--stream", xxh64(b"conv.kernel"),
                     "--out", path)
    if header is not None and check(rc == 0, "sample (36, 8)", err):
        check(tensor(header, body, "conv.kernel")[1] == read_npy(path)[2],
              "manifest io kernel with column_axis -1 == the (36, 8) matrix")
        q = read_npy(path)[1]
        worst = max(abs(sum(q[r * 8 + a] * q[r * 8 + b] for r in range(36)) - (a == b)) for a in range(8)
                    for b in range(8))
        check(worst < 1e-6, "Keras's kernel is orthogonal on (36, 8)", "max |QtQ - I| = %g" % worst)
    # Keras's fans below rank 2 under io: he_normal of a (7,) bias, stddev sqrt(2/7) / 0.8796...
    _, so = values("bias", "he_normal", "7", "--layout", "io")
    check("expected: N(0, 0.60767^2) on [-1.21534, 1.21534]" in so, "he_normal of a rank-1 io tensor: fan_in 7", so)
    usage_error(["sample", "he_normal", "--shape", "7", "--out", os.path.join(tmp, "rules-bad.npy")],
                ["layout oi", "layout io takes Keras's fans"], "rank 1 under oi")
    v, so = values("a_eq_b", "trunc_normal", "4,5", "--param", "a=0.25", "--param", "b=0.25")
    check(v == [0.25] * 20 and "expected: constant 0.25" in so, "trunc_normal a == b gives a", so)


def golden_bits(generation, case_line, count):
    """The first `count` f32 bits frozen for `case_line` in tests/data/golden_v<generation>.txt."""
    lines = open(os.path.join(SOURCE_DIR, "tests", "data", "golden_v%d.txt" % generation)).read().split("\n")
    at = lines.index(case_line)
    return [int(line.split()[2], 16) for line in lines[at + 1:at + 1 + count]]


def test_generations(tmp):
    """--generation and a manifest's "generation" select the contract of docs/ALGORITHMS.md: the values are the
    golden vectors of that generation, the newest by default, and the metadata records which."""
    case = "case normal 4096x4096 oi 0xdeadbeefcafef00d 0x8000000000000001 mean=0.5 std=2"
    common = ["sample", "normal", "--shape", "4096,4096", "--box", "0:1,0:8", "--seed", "0xdeadbeefcafef00d",
              "--stream", "0x8000000000000001", "--param", "mean=0.5", "--param", "std=2"]
    got = {}
    for generation in (None, "1", "2"):
        out = os.path.join(tmp, "gen%s.safetensors" % generation)
        rc, _, err = run(*common + (["--generation", generation] if generation else []), "--out", out)
        if not check(rc == 0, "sample --generation %s" % generation, err):
            return
        header, data = read_safetensors(out)
        got[generation] = (list(struct.unpack("<8I", tensor(header, data, "weight")[1])),
                           header["__metadata__"].get("clinit_generation"))
    for generation in ("1", "2"):
        check(got[generation][0] == golden_bits(int(generation), case, 8),
              "sample --generation %s: golden_v%s.txt's values" % (generation, generation), str(got[generation][0]))
        check(got[generation][1] == generation, "sample --generation %s: metadata clinit_generation" % generation,
              str(got[generation][1]))
    check(got[None] == got[GENERATION], "sample without --generation: generation %s" % GENERATION, str(got[None]))
    check(got["1"][0] != got["2"][0], "the generations' normals differ", str(got["1"][0]))
    usage_error(common + ["--generation", "3", "--out", os.path.join(tmp, "g3.npy")],
                ['--generation "3": the generation contract of docs/ALGORITHMS.md is 1 to %s (without the option: %s, '
                 'the newest; for init, the manifest\'s "generation" if it has one)' % (GENERATION, GENERATION)],
                "sample --generation 3")
    # a manifest's generation, and --generation overriding it; the values those of sample with the name's stream
    manifest = os.path.join(tmp, "gen.json")
    for generation, override in ((1, None), (2, "1"), (None, None)):
        doc = {"seed": 9, "tensors": [{"name": "w", "shape": [64], "init": "normal"}]}
        if generation:
            doc["generation"] = generation
        with open(manifest, "w") as f:
            json.dump(doc, f)
        out = os.path.join(tmp, "init.safetensors")
        rc, _, err = run("init", "--manifest", manifest, "--out", out, "--force",
                         *(["--generation", override] if override else []))
        if not check(rc == 0, "init with generation %s, --generation %s" % (generation, override), err):
            continue
        header, data = read_safetensors(out)
        want = override or (str(generation) if generation else GENERATION)
        check(header["__metadata__"].get("clinit_generation") == want,
              "init: manifest generation %s, --generation %s: metadata %s" % (generation, override, want),
              str(header["__metadata__"]))
        single = os.path.join(tmp, "single.safetensors")
        rc, _, err = run("sample", "normal", "--shape", "64", "--seed", "9", "--stream", str(xxh64(b"w")),
                         "--generation", want, "--out", single, "--force")
        check(rc == 0 and tensor(header, data, "w")[1] == tensor(*read_safetensors(single), "weight")[1],
              "init: manifest generation %s, --generation %s: sample --generation %s's values"
              % (generation, override, want), err)
        # Hugging Face's folder, one shard and two: every shard records the generation too
        for size, names in ((None, ["model.safetensors"]), ("200", ["model-00001-of-00002.safetensors",
                                                                    "model-00002-of-00002.safetensors"])):
            doc["tensors"] = [{"name": "w", "shape": [64], "init": "normal"},
                              {"name": "v", "shape": [64], "init": "normal"}]
            with open(manifest, "w") as f:
                json.dump(doc, f)
            folder = os.path.join(tmp, "gen-folder") + "/"
            rc, _, err = run("init", "--manifest", manifest, "--out", folder, "--force",
                             *(["--max-shard-size", size] if size else []),
                             *(["--generation", override] if override else []))
            recorded = [read_safetensors(folder + n)[0]["__metadata__"].get("clinit_generation")
                        for n in names if os.path.exists(folder + n)]
            check(rc == 0 and recorded == [want] * len(names),
                  "init --out DIR/ (%d shards): manifest generation %s, --generation %s: metadata %s"
                  % (len(names), generation, override, want), "%s %s" % (recorded, err))
    with open(manifest, "w") as f:
        json.dump({"generation": 3, "tensors": [{"name": "w", "shape": [4], "init": "normal"}]}, f)
    usage_error(["init", "--manifest", manifest, "--out", os.path.join(tmp, "g3.safetensors")],
                ["generation", "not a generation of docs/ALGORITHMS.md, an integer 1 to %s" % GENERATION],
                "manifest generation 3")


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-cli-") as tmp:
        tests = [test_sample, test_sample_errors, test_init, test_init_slabs, test_manifest_errors, test_dtypes,
                 test_box_hist, test_axes, test_every_init, test_inits, test_problems, test_manifest_dtypes_axes,
                 test_integer_dtypes, test_dtype_names, test_scalar_shape, test_hf_folder, test_resnet50,
                 test_out_rule, test_long_names, test_input_checks, test_signals, test_ignored_signals,
                 test_readme_manifest_message, test_framework_rules, test_device_time_without_builds,
                 test_generations]
        for test in [lambda _: test_help_version_devices()] + tests:
            try:
                test(tmp)
            except Exception as e:  # a malformed file is a failure of this test, not of the script
                check(False, getattr(test, "__name__", "test"), "%s: %s" % (type(e).__name__, e))
        leftovers = [f for root, _, files in os.walk(tmp) for f in files if f.startswith(".")]
        check(leftovers == [], "no temporary files left", str(leftovers))
    return report()


if __name__ == "__main__":
    sys.exit(main())
