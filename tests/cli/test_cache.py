#!/usr/bin/env python3
"""Several processes sharing one PoCL kernel cache at once (docs/TESTING.md): 6 `clinit sample` processes
start together on an empty POCL_CACHE_DIR (all compile and write the cache concurrently), then 6 more on the
filled cache. Every process must succeed and write the same bytes as a run with a cache of its own.

usage: test_cache.py PATH/TO/clinit"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402

CLINIT = os.path.abspath(sys.argv[1])
ARGS = ["sample", "trunc_normal", "--shape", "257,33", "--param", "std=0.5", "--seed", "11", "--force"]


def start(out, cache):
    env = dict(os.environ, POCL_CACHE_DIR=cache, CLINIT_DEVICE=os.environ.get("CLINIT_DEVICE", ""))
    return subprocess.Popen([CLINIT] + ARGS + ["--out", out], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-cache-") as tmp:
        alone = os.path.join(tmp, "alone.npy")
        p = start(alone, os.path.join(tmp, "own-cache"))
        _, err = p.communicate(timeout=300)
        if not check(p.returncode == 0, "reference run", err):
            return report()
        want = open(alone, "rb").read()
        shared = os.path.join(tmp, "shared-cache")
        for phase in ("cold", "warm"):
            outs = [os.path.join(tmp, "%s-%d.npy" % (phase, i)) for i in range(6)]
            procs = [start(o, shared) for o in outs]
            for i, (o, p) in enumerate(zip(outs, procs)):
                _, err = p.communicate(timeout=300)
                ok = check(p.returncode == 0, "%s cache, process %d" % (phase, i), err)
                if ok:
                    check(open(o, "rb").read() == want, "%s cache, process %d: the same bytes" % (phase, i))
    return report()


if __name__ == "__main__":
    sys.exit(main())
