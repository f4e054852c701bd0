#!/usr/bin/env python3
"""PyTorch's CPU torch.nn.init next to `clinit bench` on the same shapes and sizes, in one run.

usage: pytorch_init.py PATH/TO/clinit [--size LIST] [--init LIST] [--dtype LIST] [--repeat N]

Runs `clinit bench --json` first (on the device CLINIT_DEVICE selects), then times the PyTorch function of
every record's initializer on a tensor of the record's shape and dtype (median of N runs after a warm-up,
wall clock; PyTorch fills host memory, so its wall clock is its whole cost), and prints one table row per
initializer, dtype and size with the ratio clinit/PyTorch of throughputs (> 1: clinit is faster).
Needs torch (pip install torch); the clinit build and tests never need Python packages.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch

# clinit's initializer names -> PyTorch's functions, with the same (default) parameters clinit bench uses.
# An initializer clinit adds later (trunc_normal) is timed as soon as it has a line here.
TORCH_INIT = {
    "uniform": torch.nn.init.uniform_,
    "normal": torch.nn.init.normal_,
    "xavier_uniform": torch.nn.init.xavier_uniform_,
    "kaiming_normal": torch.nn.init.kaiming_normal_,
    "trunc_normal": torch.nn.init.trunc_normal_,
}
TORCH_DTYPE = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16, "f64": torch.float64}


def clinit_records(args):
    cmd = [args.clinit, "bench", "--json", "--size", args.size, "--dtype", args.dtype, "--repeat", str(args.repeat),
           "--host-repeat", "1"]
    if args.init:
        cmd += ["--init", args.init]
    print("running: " + " ".join(cmd), file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def torch_ms(init, dtype, shape, repeat):
    """Median wall-clock milliseconds of the PyTorch initializer on one preallocated tensor, or a reason."""
    fn = TORCH_INIT.get(init)
    if fn is None:
        return None, "no PyTorch function listed"
    t = torch.empty(shape, dtype=TORCH_DTYPE[dtype])
    t.zero_()  # touch the pages: first-touch faults are allocation, not initialization
    try:
        fn(t)  # warm-up
    except (RuntimeError, NotImplementedError) as e:
        return None, "PyTorch: %s" % str(e).splitlines()[0]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(t)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3, None


def size_name(b):
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if b % (1 << shift) == 0:
            return "%d%s" % (b >> shift, unit)
    return str(b)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("clinit", help="path to the clinit binary")
    p.add_argument("--size", default="1M,16M,256M,1G", help="sizes in bytes of output, as clinit bench takes them")
    p.add_argument("--init", default=None, help="initializers (default: clinit bench's)")
    p.add_argument("--dtype", default="f32,bf16", help="dtypes (default f32,bf16)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs after a warm-up, both sides")
    args = p.parse_args()

    torch.set_num_threads(os.cpu_count())
    recs = clinit_records(args)
    device = next((r["device"] for r in recs if "device" in r), "?")
    print("clinit on %s vs PyTorch %s CPU (%d threads); median of %d runs after a warm-up"
          % (device, torch.__version__, torch.get_num_threads(), args.repeat))
    print("%-16s %-5s %5s %12s %10s %12s %10s %14s" % ("init", "dtype", "size", "PyTorch ms", "GB/s", "clinit ms",
                                                       "GB/s", "clinit/PyTorch"))
    for r in recs:
        shape = tuple(r["shape"])
        ms, why = torch_ms(r["init"], r["dtype"], shape, args.repeat)
        torch_cols = ("%12.3f %10.2f" % (ms, r["bytes"] / ms / 1e6)) if ms else "%12s %10s" % ("n/a", "")
        if "skipped" in r:
            clinit_cols, ratio = "%12s %10s" % ("n/a", ""), "n/a (clinit: %s)" % r["skipped"]
        else:
            clinit_cols = "%12.3f %10.2f" % (r["device_ms"], r["gbps"])
            ratio = ("%14.2f" % (ms / r["device_ms"])) if ms else "n/a (%s)" % why
        print("%-16s %-5s %5s %s %s %s"
              % (r["init"], r["dtype"], size_name(r["bytes"]), torch_cols, clinit_cols, ratio), flush=True)
    print("clinit: device time (OpenCL profiling); PyTorch: wall clock of the in-place init on a CPU tensor;"
          " GB/s = bytes of output / time")


if __name__ == "__main__":
    main()
