#!/usr/bin/env python3
"""Durable output of `clinit sample` and `clinit init` (host/cli/outfile.h), standard library only:
- a file replaced with --force keeps its permissions; a new one gets 0666 less the umask;
- the report (the summary line) is printed only once the file is in place (every file of a folder output): a
  file that appears under the name while the run writes is not replaced and nothing was said of it; a report
  that cannot be printed (a full disk, a pipe nobody reads) takes the file back (all of a folder's), the
  replaced one returning as it was;
- a run killed at any point, SIGKILL included, leaves nothing in the folder;
- a shape numpy cannot hold (its non-zero dimensions times the element size above 2^63 - 1, even with no
  element) is refused before any file is made, naming numpy's limit; one at the limit is written.

usage: test_outputs.py PATH/TO/clinit"""
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402
from tempfiles import data_sizes  # noqa: E402

CLINIT = os.path.abspath(sys.argv[1])
SAMPLE = ["sample", "uniform", "--shape", "3,5", "--seed", "4"]
# Large enough that a run spends a second or more writing on PoCL, so that a test can act meanwhile.
BIG_SAMPLE = ["sample", "normal", "--shape", "40000000"]


def commands(tmp):
    """(name, args, file extension) of each writer."""
    manifest = os.path.join(tmp, "m.json")
    with open(manifest, "w") as f:
        json.dump({"tensors": [{"name": "w", "shape": [4, 3], "init": "xavier_uniform"}]}, f)
    return [("sample", SAMPLE, ".npy"), ("init", ["init", "--manifest", manifest, "--seed", "4"], ".safetensors")]


def run(args, umask=None, stdout=subprocess.PIPE):
    p = subprocess.run([CLINIT] + args, stdout=stdout, stderr=subprocess.PIPE, text=True,
                       preexec_fn=None if umask is None else (lambda: os.umask(umask)))
    return p.returncode, p.stdout or "", p.stderr


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_permissions(tmp, cmds):
    for name, args, ext in cmds:
        folder = os.path.join(tmp, "perm-" + name)
        os.mkdir(folder)
        for umask, want in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
            out = os.path.join(folder, "new-%o%s" % (umask, ext))
            rc, _, err = run(args + ["--out", out], umask=umask)
            check(rc == 0 and mode(out) == want, "%s: a new file under umask %03o is %03o" % (name, umask, want),
                  "rc %d %s, mode %03o" % (rc, err, mode(out) if os.path.exists(out) else 0))
        for old in (0o600, 0o640, 0o604, 0o755):
            out = os.path.join(folder, "old-%o%s" % (old, ext))
            with open(out, "wb") as f:
                f.write(b"old")
            os.chmod(out, old)
            rc, _, err = run(args + ["--out", out, "--force"], umask=0o022)
            check(rc == 0 and mode(out) == old and open(out, "rb").read() != b"old",
                  "%s --force over a %03o file: replaced, still %03o" % (name, old, old),
                  "rc %d %s, mode %03o" % (rc, err, mode(out)))
        check(sorted(f for f in os.listdir(folder) if f.startswith(".")) == [], "%s: no temporary left" % name)


def test_report_after_publish(tmp, cmds):
    """A report that cannot be printed fails the run and takes the file back."""
    for name, args, ext in cmds:
        folder = os.path.join(tmp, "report-" + name)
        os.mkdir(folder)
        out = os.path.join(folder, "out" + ext)
        with open(out, "wb") as f:
            f.write(b"precious")
        os.chmod(out, 0o640)
        if os.path.exists("/dev/full"):
            with open("/dev/full", "w") as full:
                rc, _, err = run(args + ["--out", out, "--force"], stdout=full)
            check(rc == 1 and err == "clinit: writing to stdout: No space left on device\n"
                  and os.listdir(folder) == ["out" + ext] and open(out, "rb").read() == b"precious"
                  and mode(out) == 0o640,
                  "%s --force, stdout on a full disk: exit 1, the replaced file back as it was" % name,
                  "rc %d %r %s" % (rc, err, os.listdir(folder)))
        # A pipe whose reader is gone: EPIPE, not a death by SIGPIPE half-way through taking the file back.
        for force in (["--force"], []):
            target = out if force else os.path.join(folder, "new" + ext)
            r, w = os.pipe()
            os.close(r)
            p = subprocess.run([CLINIT] + args + ["--out", target] + force, stdout=w, stderr=subprocess.PIPE,
                               text=True)
            os.close(w)
            check(p.returncode == 1 and p.stderr == "clinit: writing to stdout: Broken pipe\n"
                  and sorted(os.listdir(folder)) == ["out" + ext] and open(out, "rb").read() == b"precious",
                  "%s%s, stdout a pipe nobody reads: exit 1, %s" % (
                      name, " --force" if force else "", "the old file back" if force else "no file"),
                  "rc %d %r %s" % (p.returncode, p.stderr, os.listdir(folder)))


def test_folder_taken_back(tmp):
    """`init --out DIR/` (Hugging Face's layout): the summary is printed once every shard and the index are in
    place; when it cannot be, every file is taken back and those --force replaced return with their bytes and
    permissions (the files used to be published, then removed, and the replaced ones lost)."""
    manifest = os.path.join(tmp, "shards.json")
    with open(manifest, "w") as f:
        json.dump({"tensors": [{"name": "a", "shape": [200], "init": "normal"},
                               {"name": "b", "shape": [300], "init": "uniform"}]}, f)
    folder = os.path.join(tmp, "checkpoint") + "/"
    args = ["init", "--manifest", manifest, "--out", folder, "--max-shard-size", "1KB"]
    rc, out, err = run(args + ["--seed", "1"])
    if not check(rc == 0, "init --out DIR/ in two shards", err):
        return
    os.chmod(os.path.join(folder, "model-00001-of-00002.safetensors"), 0o600)
    before = {n: (open(os.path.join(folder, n), "rb").read(), mode(os.path.join(folder, n)))
              for n in os.listdir(folder)}
    check(sorted(before) == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                             "model.safetensors.index.json"], "two shards and the index", str(sorted(before)))
    if os.path.exists("/dev/full"):
        with open("/dev/full", "w") as full:
            rc, _, err = run(args + ["--seed", "2", "--force"], stdout=full)
        after = {n: (open(os.path.join(folder, n), "rb").read(), mode(os.path.join(folder, n)))
                 for n in os.listdir(folder)}
        check(rc == 1 and err == "clinit: writing to stdout: No space left on device\n" and after == before,
              "init --out DIR/ --force, stdout on a full disk: exit 1, every replaced file back as it was",
              "rc %d %r, %s" % (rc, err, sorted(after)))
    rc, out, err = run(args + ["--seed", "2", "--force"])
    shard = os.path.join(folder, "model-00001-of-00002.safetensors")
    check(rc == 0 and out.endswith("wrote %s: 2 shards, model.safetensors.index.json\n" % folder)
          and open(shard, "rb").read() != before["model-00001-of-00002.safetensors"][0] and mode(shard) == 0o600
          and sorted(os.listdir(folder)) == sorted(before), "init --out DIR/ --force: replaced, permissions kept",
          "rc %d %r %r" % (rc, out, err))


def test_appeared_meanwhile(tmp):
    """Without --force a file that appears under the name during the run is kept, and stdout says nothing."""
    folder = os.path.join(tmp, "appeared")
    os.mkdir(folder)
    out = os.path.join(folder, "a.npy")
    p = subprocess.Popen([CLINIT] + BIG_SAMPLE + ["--out", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    deadline = time.time() + 120
    while p.poll() is None and not data_sizes(p.pid, folder) and time.time() < deadline:
        time.sleep(0.002)
    made = False
    if p.poll() is None:
        try:
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.write(fd, b"someone else's")
            os.close(fd)
            made = True
        except FileExistsError:
            pass
    so, se = p.communicate(timeout=240)
    if not made:
        print("skip: the run ended before a file could appear under its name")
        return
    check(p.returncode == 1 and so == "" and se == "clinit: replacing (it appeared meanwhile; use --force) %s: "
          "File exists\n" % out and os.listdir(folder) == ["a.npy"] and open(out, "rb").read() == b"someone else's",
          "a file that appears during the run: kept, exit 1, nothing on stdout",
          "rc %d, stdout %r, stderr %r, %s" % (p.returncode, so, se, os.listdir(folder)))


def test_killed(tmp):
    """SIGKILL, which no handler sees, while the data is being written: nothing is left (the data is an unnamed
    file until it is published), and a file being replaced stays as it was."""
    for existing in (False, True):
        folder = os.path.join(tmp, "killed-%d" % existing)
        os.mkdir(folder)
        out = os.path.join(folder, "k.npy")
        if existing:
            with open(out, "wb") as f:
                f.write(b"old")
        p = subprocess.Popen([CLINIT] + BIG_SAMPLE + ["--out", out] + (["--force"] if existing else []),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while p.poll() is None and not any(data_sizes(p.pid, folder)) and time.time() < deadline:
            time.sleep(0.002)
        if p.poll() is not None:
            print("skip: the run ended before it could be killed")
            continue
        p.send_signal(signal.SIGKILL)
        p.wait()
        want = ["k.npy"] if existing else []
        check(p.returncode == -signal.SIGKILL and sorted(os.listdir(folder)) == want
              and (not existing or open(out, "rb").read() == b"old"),
              "SIGKILL while writing%s: %s" % (" over a file" if existing else "",
                                               "the old file, nothing else" if existing else "nothing left"),
              "rc %d, %s" % (p.returncode, os.listdir(folder)))


NUMPY_WHY = ("its non-zero dimensions times %d bytes are above 2^63 - 1, numpy's limit on an array (even an "
             "empty one): numpy could not load the file")


def test_numpy_limit(tmp):
    """`--shape 0,9223372036854775807` exited 0 with a file numpy refuses to load."""
    folder = os.path.join(tmp, "numpy")
    os.mkdir(folder)
    out = os.path.join(folder, "z.npy")
    for dtype, size in (("f32", 4), ("f16", 2), ("f64", 8)):
        most = (2**63 - 1) // size
        for shape in ("0,%d" % (most + 1), "0,9223372036854775807", "%d,0,%d" % (most // 3 + 1, 3)):
            rc, _, err = run(["sample", "normal", "--dtype", dtype, "--shape", shape, "--out", out])
            check(rc == 2 and err == "clinit: --shape %s: %s\n" % (shape, NUMPY_WHY % size) and not os.listdir(folder),
                  "sample --dtype %s --shape %s: refused, numpy's limit named" % (dtype, shape), err)
        rc, _, err = run(["sample", "normal", "--dtype", dtype, "--shape", "0,%d" % most, "--out", out, "--force"])
        with open(out, "rb") as f:
            head = f.read(128)
        check(rc == 0 and ("'shape': (0, %d)" % most).encode() in head,
              "sample --dtype %s --shape 0,%d: numpy's largest, written" % (dtype, most), err)
        os.unlink(out)
    # The file holds the box: a box numpy can hold of a shape it cannot is written, and the other way round.
    rc, _, err = run(["sample", "normal", "--shape", "0,9223372036854775807", "--box", "0:0,0:5", "--out", out])
    check(rc == 0, "a (0, 5) box of a (0, 2^63 - 1) shape: written", err)
    rc, _, err = run(["sample", "normal", "--shape", "0,2305843009213693952", "--box", "0:0,0:2305843009213693952",
                      "--out", out, "--force"])
    check(rc == 2 and err == 'clinit: --box "0:0,0:2305843009213693952": %s\n' % (NUMPY_WHY % 4),
          "a box numpy cannot hold: refused as the box", err)
    manifest = os.path.join(tmp, "numpy.json")
    with open(manifest, "w") as f:
        json.dump({"tensors": [{"name": "ok", "shape": [3], "init": "ones"},
                               {"name": "e", "shape": [0, 2**52, 2**52], "init": "zeros"}]}, f)
    target = os.path.join(folder, "m.safetensors")
    rc, _, err = run(["init", "--manifest", manifest, "--out", target])
    check(rc == 2 and err == 'clinit: %s: tensors[1] "e": shape: %s\n' % (manifest, NUMPY_WHY % 4)
          and not os.path.exists(target), "init: a manifest tensor numpy cannot hold, refused", err)


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-outputs-") as tmp:
        cmds = commands(tmp)
        test_permissions(tmp, cmds)
        test_report_after_publish(tmp, cmds)
        test_folder_taken_back(tmp)
        test_appeared_meanwhile(tmp)
        test_killed(tmp)
        test_numpy_limit(tmp)
    return report()


if __name__ == "__main__":
    sys.exit(main())
