#!/usr/bin/env python3
"""End-to-end tests of the clinit command-line tool, standard library only (no numpy in CI).

usage: test_cli.py PATH/TO/clinit SOURCE_DIR

Statistical checks use a bound of Z standard errors: for a statistic that is (close to) normal, the
two-sided false-alarm probability of |error| > 6 SE is about 2e-9 per check, so a failure means a bug,
not bad luck. Every value is deterministic anyway (fixed seeds): a check that passes keeps passing.
"""
import ast
import json
import math
import os
import resource
import struct
import subprocess
import sys
import tempfile

from safetensors_read import read_safetensors, tensor  # next to this script, so on sys.path

Z = 6.0  # standard errors; P(|N(0,1)| > 6) ~ 2e-9

CLINIT = os.path.abspath(sys.argv[1])
SOURCE_DIR = os.path.abspath(sys.argv[2])
passed = 0
failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s%s" % (what, (": " + detail) if detail else ""), flush=True)
    return cond


def run(*args, preexec=None):
    p = subprocess.run([CLINIT] + [str(a) for a in args], capture_output=True, text=True, preexec_fn=preexec)
    return p.returncode, p.stdout, p.stderr


# --- file formats ------------------------------------------------------------------------------------------

def read_npy(path):
    """(shape, list of floats) of a float32 little-endian C-order .npy v1.0, checking the header layout."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x93NUMPY\x01\x00", "magic/version %r" % data[:8]
    hlen = struct.unpack("<H", data[8:10])[0]
    assert (10 + hlen) % 64 == 0, "data not 64-aligned: header length %d" % hlen
    header = data[10:10 + hlen].decode("latin1")
    assert header.endswith("\n"), "header does not end with a newline"
    d = ast.literal_eval(header.strip())
    assert d["descr"] == "<f4" and d["fortran_order"] is False, d
    shape = d["shape"]
    n = math.prod(shape)
    body = data[10 + hlen:]
    assert len(body) == 4 * n, "data size %d != 4 * %d" % (len(body), n)
    return shape, list(struct.unpack("<%df" % n, body)), body


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
                 ["devices", "--help"]):
        rc, out, _ = run(*args)
        check(rc == 0 and "usage" in out and "clinit " in out, "clinit %s" % " ".join(args), out[:200])
    for cmd in ("sample", "init", "devices"):
        _, out, _ = run(cmd, "--help")
        check("example" in out, "%s --help has an example" % cmd)
    rc, out, _ = run("--version")
    check(rc == 0 and out.startswith("clinit ") and out.strip().split()[1].count(".") == 2, "--version", out)
    rc, out, err = run("devices")
    check(rc == 0, "devices exit 0", err)
    check(any(line.startswith("0:0 ") for line in out.splitlines()), "devices lists 0:0", out)
    for args in (["frobnicate"], ["help", "frobnicate"]):
        rc, _, err = run(*args)
        check(rc == 2 and "frobnicate" in err, "%s -> exit 2" % " ".join(args), err)


def test_sample(tmp):
    out = os.path.join(tmp, "u.npy")
    rc, so, err = run("sample", "uniform", "--shape", "1000,10", "--param", "a=-2", "--param", "b=3", "--out", out)
    if not check(rc == 0, "sample uniform exit 0", err):
        return
    check(so.count("\n") == 1 and "n=10000" in so and "expected: U[-2, 3)" in so, "sample summary line", so)
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
    check(rc == 0 and "n=0" in so and read_npy(path)[0] == (0, 5), "zero-element sample", err + so)
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
    check(("5 tensors, %d parameters, %d bytes" % (nparams, 4 * nparams)) in so and "GB/s" in so and out in so,
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
    if h2 is not None:
        rc, _, err = run("sample", "normal", "--shape", "7,7", "--seed", "3", "--stream", xxh64(extra["name"].encode()),
                         "--out", npy, "--force")
        check(rc == 0 and read_npy(npy)[2] == tensor(h2, b2, extra["name"])[1], "long name: sample == init", err)


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
        ("dtype.json", {"tensors": [dict(BN_W, dtype="f16")]}, '"bn1.weight": dtype'),
        ("empty.json", {"tensors": []}, "tensors"),
        ("seed.json", {"seed": -1, "tensors": [BN_W]}, "seed"),
        ("split.json", {"tensors": [dict(FC_W, split_dim=2)]}, '"fc.weight": split_dim'),
        ("splittype.json", {"tensors": [dict(FC_W, split_dim="0")]}, '"fc.weight": split_dim'),
    ]
    for name, content, needle in cases:
        path = os.path.join(tmp, name)
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


def test_resnet50(tmp):
    manifest = os.path.join(SOURCE_DIR, "examples", "manifests", "resnet50.json")
    if not os.path.exists(manifest):
        print("skip: %s does not exist" % manifest)
        return
    header, body, so = init(tmp, manifest, os.path.join(tmp, "resnet50.safetensors"))
    if header is None:
        return
    shapes = [t["shape"] for k, t in header.items() if k != "__metadata__"]
    check(len(shapes) == 161, "resnet50 tensor count", str(len(shapes)))
    check(sum(math.prod(s) for s in shapes) == 25557032, "resnet50 parameters")
    check(len(body) == 4 * 25557032, "resnet50 data size")


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-cli-") as tmp:
        for test in (test_help_version_devices, lambda: test_sample(tmp), lambda: test_sample_errors(tmp),
                     lambda: test_init(tmp), lambda: test_manifest_errors(tmp), lambda: test_resnet50(tmp)):
            try:
                test()
            except Exception as e:  # a malformed file is a failure of this test, not of the script
                check(False, getattr(test, "__name__", "test"), "%s: %s" % (type(e).__name__, e))
        leftovers = [f for root, _, files in os.walk(tmp) for f in files if f.startswith(".")]
        check(leftovers == [], "no temporary files left", str(leftovers))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
