#!/usr/bin/env python3
"""tinygrad's own initializers next to clinit.tinygrad on the same tinygrad OpenCL device, in one run.

usage: DEV=CL tinygrad_init.py [--shapes LIST] [--dtype f32,bf16] [--repeat N] [--manifest M.json ...]

For each initializer, shape and dtype: wall clock and the process's CPU time (PoCL's threads included) of making
a new initialized tensor on the device and waiting for it (Device[...].synchronize()), medians of N runs after
a warm-up run (which compiles tinygrad's kernels and builds clinit's):
  tinygrad  Tensor.kaiming_uniform(*shape, a=0.01, dtype=..., device=...).realize()  (and glorot_uniform,
            kaiming_normal, normal(std=0.02), on the shapes they share with clinit's formulas)
  clinit    clinit.tinygrad.init_tensor(Tensor.empty(*shape, dtype=..., device=...), "kaiming_uniform", a=0.01)
            (xavier_uniform, kaiming_normal, normal(std=0.02)), the same distribution
Both allocate through tinygrad's allocator (its buffer cache reuses the freed buffer) and run on tinygrad's
queue; the values differ (tinygrad's RNG is Threefry, clinit's Philox4x32-10). For each --manifest, a whole
model: every tensor of the manifest as Tensor.empty, filled by clinit.tinygrad.init_state_dict, against the
same tensors made by tinygrad's nearest initializer (kaiming_normal / kaiming_uniform / normal / uniform /
constants by the manifest's init) and realized together with Tensor.realize.
Needs tinygrad and the clinit Python package (PYTHONPATH=python, CLINIT_LIBRARY=build/libclinit.so).
"""
import argparse
import math
import os
import statistics
import time

from tinygrad import Device, Tensor, dtypes

import clinit
import clinit.manifest
import clinit.tinygrad as cit

DTYPES = {"f32": dtypes.float32, "f16": dtypes.float16, "bf16": dtypes.bfloat16, "f64": dtypes.float64,
          "i32": dtypes.int32, "i64": dtypes.int64}

# (name, tinygrad maker, clinit init and params, rank-2 only: the fans agree only there)
CASES = [
    ("kaiming_uniform", lambda s, **k: Tensor.kaiming_uniform(*s, a=0.01, **k), ("kaiming_uniform", {"a": 0.01}),
     False),
    ("glorot_uniform", lambda s, **k: Tensor.glorot_uniform(*s, **k), ("xavier_uniform", {}), True),
    ("kaiming_normal", lambda s, **k: Tensor.kaiming_normal(*s, a=0.01, **k), ("kaiming_normal", {"a": 0.01}),
     False),
    ("normal", lambda s, **k: Tensor.normal(*s, std=0.02, **k), ("normal", {"std": 0.02}), False),
]


def median_ms(fn, repeat, device):
    """(wall clock ms, CPU ms) of fn() and the wait for the device, medians of `repeat` runs after a warm-up. The
    CPU time is the whole process's (PoCL's worker threads included): on a shared machine, other processes'
    load stretches the wall clock but not it."""
    fn()
    Device[device].synchronize()
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        Device[device].synchronize()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3


def shape_of(text):
    return tuple(int(n) for n in text.split("x"))


def tinygrad_like(t, device):
    """tinygrad's own initializer nearest to a manifest tensor's (the timing's counterpart, not its values)."""
    kw = dict(dtype=DTYPES[t.dtype], device=device)
    p, s = t.params, t.shape
    if t.init in ("zeros", "ones", "constant"):
        return Tensor.full(s, {"zeros": 0, "ones": 1}.get(t.init, p.get("val")), **kw).contiguous()
    if len(s) >= 2 and t.init in ("kaiming_normal", "he_normal", "xavier_normal", "glorot_normal", "lecun_normal"):
        return Tensor.kaiming_normal(*s, **kw)
    if len(s) >= 2 and t.init in ("kaiming_uniform", "linear_default_weight", "xavier_uniform", "glorot_uniform",
                                  "he_uniform", "lecun_uniform"):
        return Tensor.kaiming_uniform(*s, **kw)
    if t.init in ("normal", "trunc_normal"):
        return Tensor.normal(*s, std=float(p.get("std", 1)), **kw)
    bound = 1 / math.sqrt(p["fan_in"]) if "fan_in" in p else 1.0
    return Tensor.uniform(*s, low=-bound, high=bound, **kw)


def row(name, dtype, shape, nbytes, t, c):
    """One line: tinygrad's and clinit's (wall, CPU) ms, GB/s of the wall clock, and the speed-ups."""
    print("%-16s %-5s %-12s %11.1f %8.1f %6.2f %10.1f %8.1f %6.2f %7.1f %7.1f"
          % (name, dtype, shape, t[0], t[1], nbytes / t[0] / 1e6, c[0], c[1], nbytes / c[0] / 1e6, t[0] / c[0],
             t[1] / c[1]), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shapes", default="512x512x3x3,1024x1024,4096x4096,50257x768")
    ap.add_argument("--dtype", default="f32")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--manifest", action="append", default=[])
    ap.add_argument("--device", default=os.environ.get("DEV", "CL"))
    args = ap.parse_args()
    dev = args.device
    d = Device[dev]
    print("tinygrad %s on %s (%s); clinit %s; medians of %d runs after a warm-up"
          % (_tinygrad_version(), dev, getattr(d, "device_name", "?"), clinit.library_version(), args.repeat))
    print("%-16s %-5s %-12s %11s %8s %6s %10s %8s %6s %7s %7s" % (
        "init", "dtype", "shape", "tinygrad ms", "CPU ms", "GB/s", "clinit ms", "CPU ms", "GB/s", "x wall", "x CPU"))
    for dtype in args.dtype.split(","):
        for name, tiny, (init, params), rank2 in CASES:
            for text in args.shapes.split(","):
                shape = shape_of(text)
                if rank2 and len(shape) != 2:
                    continue
                nbytes = math.prod(shape) * DTYPES[dtype].itemsize
                kw = dict(dtype=DTYPES[dtype], device=dev)
                t_ms = median_ms(lambda: tiny(shape, **kw).realize(), args.repeat, dev)
                c_ms = median_ms(lambda: cit.init_tensor(Tensor.empty(*shape, **kw), init, seed=1, stream="w",
                                                         **params), args.repeat, dev)
                row(name, dtype, text, nbytes, t_ms, c_ms)
    for path in args.manifest:
        m = clinit.manifest.load(path)
        nbytes = sum(t.numel * DTYPES[t.dtype].itemsize for t in m)
        t_ms = median_ms(lambda: Tensor.realize(*[tinygrad_like(t, dev) for t in m]), args.repeat, dev)
        c_ms = median_ms(lambda: cit.init_state_dict(
            {t.name: Tensor.empty(*t.shape, dtype=DTYPES[t.dtype], device=dev) for t in m}, m), args.repeat, dev)
        row(os.path.basename(path), "-", "%d tensors" % len(m), nbytes, t_ms, c_ms)
    print("ms: wall clock; CPU ms: the process's CPU time (all threads); GB/s = bytes of output / wall clock; "
          "x wall, x CPU: tinygrad's time / clinit's")


def _tinygrad_version():
    try:
        from importlib.metadata import version
        return version("tinygrad")
    except Exception:  # a source checkout of tinygrad
        return "?"


if __name__ == "__main__":
    main()
