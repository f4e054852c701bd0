#!/usr/bin/env python3
"""Bounded host memory of `clinit init` (docs/TESTING.md): GPT-2 small (a 498 MB checkpoint, its largest
tensor 154 MB) must run in a process whose peak resident memory is at most that of a one-element
`clinit sample` (the OpenCL runtime and compiled kernels, measured in the same run, both on a warm kernel
cache) plus 64 MiB — the two
16 MiB slab buffers of docs/ALGORITHMS.md's `init` with room for the runtime's per-launch allocations —
and below a third of the checkpoint. On PoCL the device buffer is host memory too, so both buffers count.
The peak comes from getrusage(RUSAGE_CHILDREN) of a fresh Python process per measurement (ru_maxrss is the
largest of the waited-for children). Not run under the sanitizers, whose shadow memory changes the peak.

usage: test_memory.py PATH/TO/clinit REPO_ROOT"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402
import memory_limits  # noqa: E402

CLINIT = os.path.abspath(sys.argv[1])
GPT2 = os.path.join(os.path.abspath(sys.argv[2]), "examples", "manifests", "gpt2.json")


def peak_kib(*args):
    """(exit status, peak resident KiB, stderr) of clinit ARGS."""
    return memory_limits.peak_kib(CLINIT, *args)


def warm_peak_kib(*args):
    """peak_kib of the second of two runs: the first fills the kernel cache, so that neither measurement
    includes the compiler's memory (on a cold cache it made the one-element baseline 222 MiB, a lax bound)."""
    peak_kib(*args)
    return peak_kib(*args)


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-memory-") as tmp:
        rc, base, err = warm_peak_kib("sample", "normal", "--shape", "1", "--out", os.path.join(tmp, "one.npy"),
                                      "--force")
        if not check(rc == 0, "one-element sample", err):
            return report()
        out = os.path.join(tmp, "gpt2.safetensors")
        rc, peak, err = warm_peak_kib("init", "--manifest", GPT2, "--seed", "0", "--out", out, "--force")
        if not check(rc == 0, "init gpt2", err):
            return report()
        size_kib = os.path.getsize(out) // 1024
        print("peak RSS: one-element sample %d MiB, GPT-2 init %d MiB; checkpoint %d MiB"
              % (base // 1024, peak // 1024, size_kib // 1024))
        check(peak <= base + 64 * 1024, "GPT-2 init peak RSS within the runtime's + 64 MiB",
              "%d KiB > %d + %d KiB" % (peak, base, 64 * 1024))
        check(peak * 3 < size_kib, "GPT-2 init peak RSS below a third of the checkpoint",
              "%d KiB vs %d KiB" % (peak, size_kib))
    return report()


if __name__ == "__main__":
    sys.exit(main())
