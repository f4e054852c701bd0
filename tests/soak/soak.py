#!/usr/bin/env python3
"""The soak (docs/TESTING.md "Soak"): LANES processes side by side, each running one job after another until
SECONDS have passed, every job with a random fault:

- fill:   soak_fill (tests/soak/soak_fill.c) for a few seconds, 2 to 4 threads on one context, one fill in
          three under an injected failure (a host allocation of the library, or an OpenCL call); every tensor
          it fills is compared with the host reference inside it;
- sample, init:  `clinit sample` (a .npy or .safetensors of up to 16 M elements) or `clinit init` (a manifest
          of 2 to 6 tensors), the faulty build (clinit_cli_faults), new or over an existing file (--force), with
          one of: no fault; an OpenCL call failing (CLFAULT); killed after a random delay by SIGKILL, SIGTERM or
          SIGINT; a full disk (a tmpfs of random size, mounted in a mount namespace of the job's own); an
          address-space limit (failed allocations anywhere, the OpenCL runtime's too);
- python: clinit.save_safetensors of reference arrays in a child Python, killed or on a full disk likewise.

After each job: a run that succeeded left exactly its output, whose every tensor equals clinit.reference (the
host reference) bit for bit, with the replaced file's permissions (a new file: 0666 less the umask); a run that
failed or was killed left the folder as it was, the old file with its bytes and permissions, nothing else. (A
SIGKILL that lands between the few system calls that publish a file over an old one may leave one complete file
under a hidden name: counted apart; a partial file anywhere is a failure.) Prints what it ran and exits 1 on
any violation; 77 (a skip) without numpy or the clinit package.

usage: soak.py --faulty PATH/TO/clinit_cli_faults --soak-fill PATH/TO/soak_fill [--seconds N] [--lanes N]
               [--seed N]
--seconds defaults to CLINIT_SOAK_SECONDS, else 30; --lanes to CLINIT_SOAK_LANES, else 3; --seed to
CLINIT_SOAK_SEED, else 1. CLINIT_LIBRARY names the libclinit the references use; CLINIT_SOAK_SKIP (a reason)
skips (a sanitizer build's libclinit cannot be loaded into Python)."""
import argparse
import collections
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

if os.environ.get("CLINIT_SOAK_SKIP"):
    print("SKIP: the soak: %s" % os.environ["CLINIT_SOAK_SKIP"])
    sys.exit(77)
try:
    import numpy as np
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)  # Debian's python3-numpy lives there
    print("SKIP: the soak needs numpy (Debian: python3-numpy)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import clinit  # noqa: E402

UMASK = 0o022
INITS = [  # (init, params, smallest rank)
    ("normal", {"mean": 0.25, "std": 0.5}, 1), ("uniform", {"a": -0.5, "b": 0.75}, 1),
    ("trunc_normal", {"std": 0.02, "a": -0.04, "b": 0.04}, 1), ("xavier_uniform", {"gain": 1.5}, 2),
    ("kaiming_normal", {"mode": "fan_out", "nonlinearity": "relu"}, 2), ("constant", {"val": 0.125}, 1),
    ("orthogonal", {"gain": 2.0}, 2), ("sparse", {"sparsity": 0.3}, 2), ("zeros", {}, 1), ("eye", {}, 2),
]
NPY = {"f32": "<f4", "f16": "<f2", "f64": "<f8"}
# soak_fill's summary, in its order
FILL_FIELDS = ["fills", "batches", "tensors equal to the host reference", "allocation faults armed",
               "OpenCL faults armed", "refused: out of host memory", "refused: OpenCL", "harness calls hit"]
CLFAULTS = ["clCreateBuffer:%d:-4", "clEnqueueNDRangeKernel:%d:-5", "clEnqueueReadBuffer:%d:-5",
            "clSetKernelArg:%d:-5", "clBuildProgram:1:-11", "clCreateKernel:%d:-5"]


class Soak:
    def __init__(self, args, tmp):
        self.a = args
        self.tmp = tmp
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.violations = []
        self.fill_totals = collections.Counter()
        self.deadline = time.time() + args.seconds
        self.full_disk = self.probe_full_disk()

    # --- bookkeeping --------------------------------------------------------------------------------------
    def count(self, what):
        with self.lock:
            self.counts[what] += 1

    def violation(self, job, what):
        with self.lock:
            self.violations.append("%s: %s" % (job, what))
        print("VIOLATION: %s: %s" % (job, what), flush=True)

    def probe_full_disk(self):
        """Whether a tmpfs can be mounted in a mount namespace of our own (unshare -Urm)."""
        d = tempfile.mkdtemp(dir=self.tmp)
        p = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            'mount -t tmpfs -o size=64k tmpfs "$0" && touch "$0/x"', d], capture_output=True)
        os.rmdir(d)
        return p.returncode == 0

    # --- jobs ---------------------------------------------------------------------------------------------
    def fill(self, rng, job):
        seconds = max(1.0, min(8.0, self.deadline - time.time()))
        p = subprocess.run([self.a.soak_fill, "%.1f" % seconds, str(rng.randint(2, 4)), str(rng.getrandbits(63))],
                           capture_output=True, text=True, timeout=seconds + 300)
        numbers = [int(n) for n in re.findall(r"(\d+) (?:fills|batches|tensors|allocations|OpenCL calls|out of "
                                                 r"host memory|OpenCL;|harness)", p.stdout)]
        with self.lock:
            self.fill_totals.update(dict(zip(FILL_FIELDS, numbers)))
            self.fill_totals["runs"] += 1
        if p.returncode != 0:
            self.violation(job, "soak_fill exit %d: %s%s" % (p.returncode, p.stdout, p.stderr))

    def random_tensor(self, rng, big):
        init, params, least = rng.choice(INITS)
        rank = rng.randint(max(least, 1), 3 if init != "eye" else 2)
        if init in ("orthogonal", "eye", "sparse"):
            rank = 2
        shape = [rng.randint(1, 64) for _ in range(rank)]
        if big and init not in ("orthogonal", "sparse"):
            shape[0] = rng.randint(1, 16 << 20) // max(1, int(np.prod(shape[1:])))
            shape[0] = max(shape[0], 1)
        return init, params, shape

    def reference(self, shape, init, params, dtype, seed, stream):
        return clinit.reference(tuple(shape), init, dtype=dtype, seed=seed, stream=stream, **params)

    def cli_job(self, rng, job, kind):
        folder = tempfile.mkdtemp(dir=self.tmp, prefix=kind + "-")
        seed, big = rng.getrandbits(32), rng.random() < 0.4
        if kind == "sample":
            init, params, shape = self.random_tensor(rng, big)
            ext = rng.choice([".npy", ".safetensors"])
            dtype = rng.choice(list(NPY) + ["bf16"] if ext == ".safetensors" else list(NPY))
            stream = rng.getrandbits(64)
            args = ["sample", init, "--shape", ",".join(map(str, shape)), "--dtype", dtype, "--seed", str(seed),
                    "--stream", str(stream)] + sum((["--param", "%s=%s" % kv] for kv in params.items()), [])
            expect = [("weight", shape, init, params, dtype, stream)]
        else:
            tensors, expect = [], []
            for i in range(rng.randint(2, 6)):
                init, params, shape = self.random_tensor(rng, big and i == 0)
                dtype = rng.choice(["f32", "f16", "bf16", "f64"])
                name = "t%d.%s" % (i, init)
                tensors.append({"name": name, "shape": shape, "init": init, "params": params, "dtype": dtype})
                expect.append((name, shape, init, params, dtype, name))
            manifest = os.path.join(folder, "..", os.path.basename(folder) + ".json")
            with open(manifest, "w") as f:
                json.dump({"seed": seed, "tensors": tensors}, f)
            ext = ".safetensors"
            args = ["init", "--manifest", manifest]
        self.run_writer(rng, job, folder, "out" + ext, [self.a.faulty] + args, expect, seed)

    def python_job(self, rng, job):
        folder = tempfile.mkdtemp(dir=self.tmp, prefix="python-")
        seed, expect = rng.getrandbits(32), []
        for i in range(rng.randint(1, 4)):
            init, params, shape = self.random_tensor(rng, rng.random() < 0.3 and i == 0)
            expect.append(("p%d" % i, shape, init, params, rng.choice(["f32", "f16", "f64"]), "p%d" % i))
        script = ("import json, sys, clinit\n"
                  "spec = json.loads(sys.argv[2])\n"
                  "arrays = {n: clinit.reference(tuple(s), i, dtype=d, seed=spec['seed'], stream=st, **p) "
                  "for n, s, i, p, d, st in spec['tensors']}\n"
                  "clinit.save_safetensors(arrays, sys.argv[1])\n")
        spec = json.dumps({"seed": seed, "tensors": expect})
        self.run_writer(rng, job, folder, "out.safetensors", [sys.executable, "-c", script, "OUT", spec], expect,
                        seed, python=True)

    # --- one writer run and its checks --------------------------------------------------------------------
    def run_writer(self, rng, job, folder, name, cmd, expect, seed, python=False):
        target = os.path.join(folder, name)
        old = None
        if rng.random() < 0.5:
            old = (b"the old file %d" % rng.getrandbits(32), rng.choice([0o600, 0o640, 0o644, 0o664]))
        faults = ["none", "kill", "full disk" if self.full_disk else "file-size limit"]
        if not python:
            faults += ["clfault", "address space"]
        fault = rng.choice(faults)
        env = dict(os.environ)
        env.pop("CLFAULT", None)
        if fault == "clfault":
            call = rng.choice(CLFAULTS)
            env["CLFAULT"] = call % rng.randint(1, 4) if "%d" in call else call
        env["PYTHONPATH"] = os.path.join(HERE, "..", "..", "python")
        cmd = [c if c != "OUT" else target for c in cmd]
        if not python:
            cmd += ["--out", target] + (["--force"] if old else [])
        limit_as = rng.randint(150, 1000) << 20
        fsize = rng.randint(1, 64) << 12

        def preexec():
            os.umask(UMASK)
            if fault == "address space":
                import resource
                resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))
            if fault == "file-size limit":
                import resource
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
            if fault in ("kill", "full disk"):
                os.setsid()

        report = None
        if fault == "full disk":
            report = tempfile.mkdtemp(dir=self.tmp, prefix="report-")
            old_copy = ""
            if old:
                old_copy = os.path.join(report, "old")
                with open(old_copy, "wb") as f:
                    f.write(old[0])
                os.chmod(old_copy, old[1])
            size = rng.choice([4096, 16384, 65536, 1 << 20, 64 << 20])
            inner = ('mount -t tmpfs -o size=%d tmpfs "$0" || exit 90; '
                     '[ -z "$1" ] || cp -p "$1" "$0/%s"; shift; "$@"; rc=$?; '
                     'ls -A "$0" > "%s/ls"; [ ! -e "$0/%s" ] || cp -p "$0/%s" "%s/out"; exit $rc'
                     % (size, name, report, name, name, report))
            cmd = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", inner, folder, old_copy] + cmd
        elif old:
            with open(target, "wb") as f:
                f.write(old[0])
            os.chmod(target, old[1])
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec)
        sig = None
        if fault == "kill":
            try:
                p.wait(timeout=rng.uniform(0, 2.0))
            except subprocess.TimeoutExpired:
                sig = rng.choice([signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
                os.killpg(p.pid, sig)
        try:
            out, err = p.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL) if fault in ("kill", "full disk") else p.kill()
            out, err = p.communicate()
            self.violation(job, "no end in 600 s")
        rc = p.returncode
        if fault == "full disk" and rc == 90:
            self.violation(job, "the tmpfs could not be mounted: %s" % err.decode(errors="replace"))
            return
        what = "%s, %s%s%s" % (job, fault, " (%s)" % env.get("CLFAULT") if fault == "clfault" else "",
                               ", over a file" if old else "")
        left = (open(os.path.join(report, "ls")).read().split() if report else sorted(os.listdir(folder)))
        result = os.path.join(report, "out") if report else target
        uncaught = sig == signal.SIGKILL or (python and sig == signal.SIGTERM)  # no handler takes anything back
        self.check_outcome(what, rc, sig, uncaught, left, folder, name, result, old, expect, seed,
                           err.decode(errors="replace"))
        outcome = ("succeeded" if rc == 0 else "killed by the soak" if rc < 0 and sig else
                   "died of signal %d" % -rc if rc < 0 else "failed")
        self.count("%s, %s: %s" % (job.split("(")[-1].rstrip(")"), fault, outcome))
        shutil.rmtree(folder, ignore_errors=True)
        if report:
            shutil.rmtree(report, ignore_errors=True)

    def check_outcome(self, what, rc, sig, uncaught, left, folder, name, result, old, expect, seed, err):
        hidden = [f for f in left if f.startswith(".")]
        if hidden and uncaught and left == sorted([name] + hidden) and len(hidden) == 1:
            # killed between the system calls that publish over an old file: one whole file, hidden, the old
            # one or the new one; a partial one is a violation
            whole = old is not None and self.read(os.path.join(folder, hidden[0])) == old[0]
            if not whole:
                whole = self.compare(what + " (the hidden file)", os.path.join(folder, hidden[0]), expect, seed)
            self.count("killed mid-publish: a whole hidden file left")
            left = [name]
        if rc != 0 and sig and left == [name] and self.read(result) != (old[0] if old else None):
            # killed once the file was published (and, for the tools, the run committed): the new file, whole
            self.count("killed after publishing: the new file, whole")
            rc = 0
        if rc == 0:
            if left != [name]:
                return self.violation(what, "exit 0, but the folder holds %s" % left)
            mode = stat.S_IMODE(os.stat(result).st_mode)
            want_mode = old[1] if old else 0o666 & ~UMASK
            if mode != want_mode:
                self.violation(what, "mode %o, not %o" % (mode, want_mode))
            self.compare(what, result, expect, seed)
        else:
            want = [name] if old else []
            if left != want:
                return self.violation(what, "exit %d, and the folder holds %s, not %s (stderr %s)"
                                      % (rc, left, want, err.strip()[-300:]))
            if old:
                if self.read(result) != old[0] or stat.S_IMODE(os.stat(result).st_mode) != old[1]:
                    self.violation(what, "exit %d, and the old file changed" % rc)

    @staticmethod
    def read(path):
        with open(path, "rb") as f:
            return f.read()

    def compare(self, what, path, expect, seed):
        """Whether every tensor of the file (.npy or .safetensors, told by its first bytes) equals the host
        reference, bit for bit; a violation when not."""
        try:
            with open(path, "rb") as f:
                npy = f.read(6) == b"\x93NUMPY"
            got = {"weight": np.load(path)} if npy else clinit.load_safetensors(path)
        except (OSError, ValueError) as e:
            self.violation(what, "the output cannot be read: %s" % e)
            return False
        if sorted(got) != sorted(e[0] for e in expect):
            self.violation(what, "tensors %s, not %s" % (sorted(got), sorted(e[0] for e in expect)))
            return False
        equal = True
        for tname, shape, init, params, dtype, stream in expect:
            want = self.reference(shape, init, params, dtype, seed, stream)
            if got[tname].shape != want.shape or got[tname].tobytes() != want.tobytes():
                self.violation(what, "%s (%s %s %s) differs from the host reference" % (tname, init, shape, dtype))
                equal = False
        self.count("outputs equal to the host reference" if equal else "outputs that differ")
        return equal

    # --- lanes --------------------------------------------------------------------------------------------
    def lane(self, index):
        rng = random.Random(self.a.seed * 1000003 + index)
        n = 0
        kinds = ["fill", "sample", "init", "python", "sample", "init"]
        while time.time() < self.deadline:
            kind = kinds[(index + n) % len(kinds)]  # every kind early on, even in a short run
            job = "lane %d job %d (%s)" % (index, n, kind)
            try:
                if kind == "fill":
                    self.fill(rng, job)
                elif kind == "python":
                    self.python_job(rng, job)
                else:
                    self.cli_job(rng, job, kind)
            except Exception as e:  # a broken job is a failure of the soak, not a crash of the lane
                self.violation(job, "%s: %s" % (type(e).__name__, e))
            self.count("jobs: " + kind)
            n += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--faulty", required=True)
    ap.add_argument("--soak-fill", required=True)
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("CLINIT_SOAK_SECONDS", "30")))
    ap.add_argument("--lanes", type=int, default=int(os.environ.get("CLINIT_SOAK_LANES", "3")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("CLINIT_SOAK_SEED", "1")))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="clinit-soak-") as tmp:
        soak = Soak(args, tmp)
        start = time.time()
        lanes = [threading.Thread(target=soak.lane, args=(i,)) for i in range(args.lanes)]
        for t in lanes:
            t.start()
        for t in lanes:
            t.join()
        leftovers = [os.path.join(r, f) for r, _, fs in os.walk(tmp) for f in fs if f.startswith(".")]
        print("soak: %d lanes, %.0f s (seed %d), full disk by %s" % (
            args.lanes, time.time() - start, args.seed,
            "a tmpfs in a mount namespace" if soak.full_disk else "a file-size limit (no mount namespace here)"))
        print("  soak_fill, %d runs: %s" % (soak.fill_totals["runs"], ", ".join(
            "%d %s" % (soak.fill_totals[f], f) for f in FILL_FIELDS)))
        for k, v in sorted(soak.counts.items()):
            print("  %-56s %d" % (k, v))
        if leftovers:
            soak.violation("soak", "files left behind: %s" % leftovers)
        print("soak: %d violations" % len(soak.violations))
    return 1 if soak.violations else 0


if __name__ == "__main__":
    sys.exit(main())
