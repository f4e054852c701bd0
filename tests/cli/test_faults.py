#!/usr/bin/env python3
"""The clinit tool under injected OpenCL failures (docs/TESTING.md): the same tool built with tests/clfault.c,
where CLFAULT="CALL:NTH:ERR" makes the NTH call to CALL fail with ERR. Each failure must exit with status 1,
print the OpenCL call and the error's name, and leave no output file and no temporary behind; an existing
output (--force) stays as it was. Without CLFAULT the tool writes the bytes of the ordinary clinit.

usage: test_faults.py PATH/TO/clinit_cli_faults PATH/TO/clinit REPO_ROOT"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402

FAULTY = os.path.abspath(sys.argv[1])
CLINIT = os.path.abspath(sys.argv[2])
ROOT = os.path.abspath(sys.argv[3])
LSTM = os.path.join(ROOT, "examples", "manifests", "lstm_lm.json")  # orthogonal recurrent weights
CNN = os.path.join(ROOT, "examples", "manifests", "keras_cnn.json")
RESNET = os.path.join(ROOT, "examples", "manifests", "resnet50.json")  # 98 MiB: several batches

# (what, CLFAULT, the names the message must hold, command)
SAMPLE = ["sample", "normal", "--shape", "300,7", "--param", "std=0.1"]
CASES = [
    ("build fails", "clBuildProgram:1:-11", ["clBuildProgram", "CL_BUILD_PROGRAM_FAILURE"], SAMPLE),
    ("context creation fails", "clCreateContext:1:-6", ["clCreateContext", "CL_OUT_OF_HOST_MEMORY"], SAMPLE),
    ("queue creation fails", "clCreateCommandQueue:1:-5", ["clCreateCommandQueue", "CL_OUT_OF_RESOURCES"], SAMPLE),
    ("kernel creation fails", "clCreateKernel:9:-5", ["clCreateKernel", "CL_OUT_OF_RESOURCES"], SAMPLE),
    ("launch fails", "clEnqueueNDRangeKernel:1:-5", ["clEnqueueNDRangeKernel", "CL_OUT_OF_RESOURCES"], SAMPLE),
    ("read-back fails", "clEnqueueReadBuffer:1:-5", ["clEnqueueReadBuffer", "CL_OUT_OF_RESOURCES"], SAMPLE),
    ("device buffer allocation fails", "clCreateBuffer:2:-4", ["clCreateBuffer", "CL_MEM_OBJECT_ALLOCATION_FAILURE"],
     ["init", "--manifest", CNN]),
    ("a model's batched launch fails", "clEnqueueNDRangeKernel:1:-5", ["clEnqueueNDRangeKernel", "CL_OUT_OF_RESOURCES"],
     ["init", "--manifest", CNN]),
    ("the batch table's allocation fails", "clCreateBuffer:3:-4", ["clCreateBuffer", "CL_MEM_OBJECT_ALLOCATION_FAILURE"],
     ["init", "--manifest", CNN]),
    ("third read-back of a model fails", "clEnqueueReadBuffer:3:-5", ["clEnqueueReadBuffer", "CL_OUT_OF_RESOURCES"],
     ["init", "--manifest", RESNET]),
    ("orthogonal scratch allocation fails", "clCreateBuffer:3:-4", ["clCreateBuffer", "CL_MEM_OBJECT_ALLOCATION_FAILURE"],
     ["init", "--manifest", LSTM]),
    ("an orthogonal step launch fails", "clEnqueueNDRangeKernel:40:-5", ["clEnqueueNDRangeKernel", "CL_OUT_OF_RESOURCES"],
     ["init", "--manifest", LSTM]),
]

# Failures during `clinit init` name the manifest's tensor (file, index and name, as its other messages do),
# never the index of an item in the library's batch ("items[1]: ..."). BIG (20 MB) goes first, in slabs of
# 16 MiB, one clinit_fill each: the first two launches and read-backs are its own. A and W then go in one
# clinit_fill_batch: W's orthogonal scratch (the 3rd to 5th buffers, after the tool's probe and data buffers)
# fails as W's item; A's batch table (the 6th) fails in no one item, so the batch's first and last are named.
NAMED_TENSORS = [{"name": "big", "shape": [5000000], "init": "normal"},
                 {"name": "a", "shape": [3000], "init": "normal"},
                 {"name": "w", "shape": [64, 16], "init": "orthogonal"}]
# (CLFAULT, the message after "clinit: MANIFEST: "; a regular expression)
NAMED = [
    ("clCreateBuffer:3:-4", r'tensors\[2\] "w": filling on the device: OpenCL error: '
     r"clCreateBuffer\(\d+ bytes of orthogonal scratch\) failed: CL_MEM_OBJECT_ALLOCATION_FAILURE \(-4\)"),
    ("clCreateBuffer:6:-4", r'tensors\[1\] "a" to tensors\[2\] "w": filling on the device: OpenCL error: '
     r"clCreateBuffer\(batch table\) failed: CL_MEM_OBJECT_ALLOCATION_FAILURE \(-4\)"),
    ("clEnqueueNDRangeKernel:2:-5", r'tensors\[0\] "big": filling on the device: OpenCL error: '
     r"clEnqueueNDRangeKernel failed: CL_OUT_OF_RESOURCES \(-5\)"),
    ("clEnqueueReadBuffer:2:-5", r'tensors\[0\] "big": clEnqueueReadBuffer failed: CL_OUT_OF_RESOURCES \(-5\)'),
]

def run(exe, args, fault=None):
    env = dict(os.environ)
    env.pop("CLFAULT", None)
    if fault:
        env["CLFAULT"] = fault
    p = subprocess.run([exe] + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=240)
    return p.returncode, p.stderr


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-faults-") as tmp:
        for case, (what, fault, names, args) in enumerate(CASES):
            ext = ".safetensors" if args[0] == "init" else ".npy"
            for existing in (False, True):
                folder = os.path.join(tmp, "%d-%d" % (case, existing))
                os.mkdir(folder)
                out = os.path.join(folder, "out" + ext)
                extra = ["--out", out]
                if existing:
                    with open(out, "wb") as f:
                        f.write(b"the previous file")
                    extra.append("--force")
                rc, err = run(FAULTY, args + extra, fault)
                label = "%s (%s)%s" % (what, fault, ", over an existing file" if existing else "")
                check(rc == 1, label + ": exit status 1", "status %d, stderr %s" % (rc, err))
                check(all(n in err for n in names), label + ": message names " + " and ".join(names), err)
                left = sorted(os.listdir(folder))
                if existing:
                    check(left == ["out" + ext] and open(out, "rb").read() == b"the previous file",
                          label + ": the existing file is untouched and nothing else is there", str(left))
                else:
                    check(left == [], label + ": no output and no temporary file", str(left))

        manifest = os.path.join(tmp, "named.json")
        with open(manifest, "w") as f:
            json.dump({"tensors": NAMED_TENSORS}, f)
        for case, (fault, want) in enumerate(NAMED):
            folder = os.path.join(tmp, "named-%d" % case)
            os.mkdir(folder)
            rc, err = run(FAULTY, ["init", "--manifest", manifest, "--out", os.path.join(folder, "m.safetensors")],
                          fault)
            label = "init under %s: exit 1, the message names the tensor" % fault
            check(rc == 1 and re.fullmatch(re.escape("clinit: %s: " % manifest) + want + "\n", err), label,
                  "status %d, stderr %s" % (rc, err))
            check(os.listdir(folder) == [], "init under %s: no output and no temporary file" % fault)

        # Without a fault the faulty build is the ordinary tool.
        for args in (SAMPLE + ["--seed", "3"], ["init", "--manifest", LSTM, "--seed", "3"]):
            ext = ".safetensors" if args[0] == "init" else ".npy"
            a, b = os.path.join(tmp, "a" + ext), os.path.join(tmp, "b" + ext)
            rc_a, err_a = run(FAULTY, args + ["--out", a])
            rc_b, err_b = run(CLINIT, args + ["--out", b])
            if check(rc_a == 0 and rc_b == 0, "no fault: %s succeeds" % args[0], err_a + err_b):
                check(open(a, "rb").read() == open(b, "rb").read(), "no fault: %s writes clinit's bytes" % args[0])
    return report()


if __name__ == "__main__":
    sys.exit(main())
