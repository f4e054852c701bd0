#!/usr/bin/env python3
"""The tools' outputs under adverse conditions (docs/FILES.md, docs/CLI.md "Output files" and "Exit status"),
standard library only:
- a manifest is never an output: `init --manifest M --out M --force` (M named again, through a link, or as
  standard input; or the folder's config.json with --out DIR/) is refused, exit 2, and M keeps its bytes and
  mtime; a --force run over a folder never removes the manifest as a stale shard (it used to replace or remove
  it);
- a run that fails after publishing over an old file puts the old file back only over its own: when another run
  has put its file under the name meanwhile, that file stays (the old file used to come back over it);
- a tensor whose buffers the host memory left cannot hold (here under `ulimit -v`, RLIMIT_AS) is refused before
  they are allocated, exit 2, naming --shape, the bytes and the limit; nothing is left (PoCL used to abort the
  process, exit 134, on its lazily allocated buffer); so is one above a memory cgroup's limit (a container's:
  root only, skipped otherwise), which the OOM killer used to end, also where the cgroup holds shared memory
  (tmpfs pages, which the check used to count as free page cache) or the limit is an enclosing cgroup's (the check
  used to read the process's own cgroup only);
- `ulimit -d` (RLIMIT_DATA) is compared with VmData, which holds no stack: a large environment made the check
  refuse a run that fitted;
- under a file-size limit (`ulimit -f`) PoCL's failed build is said to be the limit's, and an output past it is
  exit 1 with nothing left; PoCL's kernel cache on a full file system is named as such (both used to be only
  "failed to build the program");
- a full file system (a tmpfs without a free inode or byte, mounted in a mount namespace of our own: skipped
  where `unshare --user --map-root-user --mount` is refused) is a runtime failure, exit 1, not a usage error,
  and leaves nothing (it used to exit 2, as for a folder that does not exist).

usage: test_adverse.py PATH/TO/clinit"""
import fcntl
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402

CLINIT = os.path.abspath(sys.argv[1])


def run(args, **kw):
    p = subprocess.run([CLINIT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    return p.returncode, p.stdout, p.stderr


def state(path):
    st = os.stat(path)
    with open(path, "rb") as f:
        return f.read(), st.st_mtime_ns, st.st_ino


def test_manifest_is_not_an_output(tmp):
    folder = os.path.join(tmp, "manifest")
    os.mkdir(folder)
    manifest = os.path.join(folder, "m.safetensors")
    with open(manifest, "w") as f:
        json.dump({"tensors": [{"name": "w", "shape": [4, 3], "init": "xavier_uniform"}]}, f)
    os.utime(manifest, ns=(1, 10**18))
    link = os.path.join(folder, "link.safetensors")
    os.symlink("m.safetensors", link)
    before = state(manifest)
    why = "which this run reads: writing it would lose it (choose another name)"
    for out, force in ((manifest, ["--force"]), (manifest, []), (link, ["--force"])):
        rc, so, se = run(["init", "--manifest", manifest, "--out", out] + force)
        check(rc == 2 and so == "" and se == "clinit: --out %s: is the file --manifest %s, %s\n" % (out, manifest, why)
              and state(manifest) == before,
              "init --manifest M --out %s%s: refused, M untouched" % ("M" if out == manifest else "a link to M",
                                                                      " --force" if force else ""),
              "rc %d %r" % (rc, se))
    with open(manifest) as stdin:
        rc, _, se = run(["init", "--manifest", "-", "--out", manifest, "--force"], stdin=stdin)
    check(rc == 2 and se == "clinit: --out %s: is the file --manifest - (standard input), %s\n" % (manifest, why)
          and state(manifest) == before, "init --manifest - < M --out M --force: refused, M untouched", se)
    check(sorted(os.listdir(folder)) == ["link.safetensors", "m.safetensors"], "nothing else in the folder")

    # Hugging Face's folder: the manifest as the folder's config.json, or named as a stale shard of --force.
    ckpt = os.path.join(tmp, "ckpt")
    os.mkdir(ckpt)
    config = os.path.join(ckpt, "config.json")
    with open(config, "w") as f:
        json.dump({"config": {"model_type": "x"}, "tensors": [{"name": "w", "shape": [8], "init": "normal"}]}, f)
    before = state(config)
    rc, _, se = run(["init", "--manifest", config, "--out", ckpt + "/", "--force"])
    check(rc == 2 and se == "clinit: --out %s: is the file --manifest %s, %s\n" % (config, config, why)
          and state(config) == before and os.listdir(ckpt) == ["config.json"],
          "init --manifest DIR/config.json --out DIR/ --force: refused, config.json untouched", "rc %d %r" % (rc, se))
    stale = os.path.join(ckpt, "model-00001-of-00009.safetensors")
    os.rename(config, stale)
    before = state(stale)
    rc, _, se = run(["init", "--manifest", stale, "--out", ckpt + "/", "--force"])
    check(rc == 0 and os.path.exists(stale) and state(stale) == before,
          "init --out DIR/ --force: a manifest named as a stale shard of DIR is not removed",
          "rc %d %r %s" % (rc, se, sorted(os.listdir(ckpt))))


def fill(fd):
    """Writes to the pipe `fd` until it is full."""
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except BlockingIOError:
        pass
    fcntl.fcntl(fd, fcntl.F_SETFL, flags)


def test_take_back_spares_another_run(tmp):
    """The run's report goes to a full pipe, so it waits with its file published over the old one; another file
    then takes the name (as another run's would), and the pipe's reader goes: the run fails (EPIPE) and takes
    back what it published, which is no longer under the name. The other file must stay."""
    manifest = os.path.join(tmp, "small.json")
    with open(manifest, "w") as f:
        json.dump({"tensors": [{"name": "w", "shape": [4, 3], "init": "xavier_uniform"}]}, f)
    for name, args in (("sample", ["sample", "uniform", "--shape", "3,5"]),
                       ("init", ["init", "--manifest", manifest])):
        folder = os.path.join(tmp, "spare-" + name)
        os.mkdir(folder)
        ext = ".npy" if name == "sample" else ".safetensors"
        for old in (b"the old file", None):
            out = os.path.join(folder, "out" + ext)
            if old is not None:
                with open(out, "wb") as f:
                    f.write(old)
            old_ino = os.stat(out).st_ino if old is not None else None
            r, w = os.pipe()
            fill(w)
            p = subprocess.Popen([CLINIT] + args + ["--out", out, "--force"], stdout=w, stderr=subprocess.PIPE)
            os.close(w)
            deadline = time.time() + 120
            while p.poll() is None and time.time() < deadline:
                try:
                    if os.stat(out).st_ino != old_ino:
                        break  # published: the run now waits on its report
                except FileNotFoundError:
                    pass
                time.sleep(0.005)
            published = p.poll() is None
            other = os.path.join(folder, "other")
            with open(other, "wb") as f:
                f.write(b"another run's file")
            os.replace(other, out)
            time.sleep(0.05)
            os.close(r)
            err = p.communicate(timeout=120)[1].decode()
            label = "%s --force %s, failing after another file took the name" % (
                name, "over an old file" if old is not None else "to a new name")
            if not published:
                print("skip: %s: the run ended before it published" % label)
                continue
            with open(out, "rb") as f:
                now = f.read()
            check(p.returncode == 1 and err == "clinit: writing to stdout: Broken pipe\n"
                  and now == b"another run's file" and os.listdir(folder) == ["out" + ext],
                  label + ": exit 1, the other file stays, nothing else left",
                  "rc %s %r, %r, %s" % (p.returncode, err, now[:40], os.listdir(folder)))
            os.unlink(out)


def test_host_memory(tmp):
    with open(CLINIT, "rb") as f:
        if b"__asan_init" in f.read():  # (as memory_limits.py) its shadow memory needs terabytes of address space
            print("skip: clinit is built with AddressSanitizer: no ulimit -v test")
            return
    folder = os.path.join(tmp, "memory")
    os.mkdir(folder)
    limit = 2 << 30

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    out = os.path.join(folder, "x.npy")
    # 1.2 GB of values, as much again for the device's buffer on PoCL: above 2 GiB less what the process maps.
    for shape, init in (("300000000", "normal"), ("12000,12000", "orthogonal")):
        rc, so, se = run(["sample", init, "--shape", shape, "--out", out], preexec_fn=limited)
        check(rc == 2 and so == "" and re.fullmatch(
            r"clinit: --shape %s: needs (\d+) bytes of host memory \((\d+) for the values read back(, \d+ for the "
            r"device's buffers, host memory on this device)?\), above the \d+ bytes of the address space ulimit -v "
            r"\(RLIMIT_AS\) leaves\n" % shape, se) and os.listdir(folder) == [],
            "sample %s --shape %s under ulimit -v 2 GiB: refused, exit 2, nothing left" % (init, shape),
            "rc %d %r %s" % (rc, se, os.listdir(folder)))
    rc, so, se = run(["sample", "normal", "--shape", "1000000", "--out", out], preexec_fn=limited)
    check(rc == 0 and os.path.getsize(out) == 128 + 4000000, "sample of 4 MB under ulimit -v 2 GiB: written", se)


def test_data_limit(tmp):
    """`ulimit -d` (RLIMIT_DATA) counts the private writable mappings, VmData, not the stack: a run with 4.8 MB of
    environment (on the stack) has as much room as one without, and a sample 2 MiB within it is written (the check
    counted the stack too and refused it)."""
    with open(CLINIT, "rb") as f:
        if b"__asan_init" in f.read():
            print("skip: clinit is built with AddressSanitizer: no ulimit -d test")
            return
    limit = 256 << 20  # PoCL sizes its device from RLIMIT_DATA: 256 MiB of memory, buffers up to 128 MiB

    def limited():
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        resource.setrlimit(resource.RLIMIT_STACK, (32 << 20, 32 << 20))  # room for the environment below

    out = os.path.join(tmp, "data.npy")
    rc, _, se = run(["sample", "normal", "--shape", "30000000", "--out", out], preexec_fn=limited)
    m = re.fullmatch(r"clinit: --shape 30000000: needs \d+ bytes of host memory \(.*\), above the (\d+) bytes of the "
                     r"data ulimit -d \(RLIMIT_DATA\) leaves\n", se)
    check(rc == 2 and m and not os.path.exists(out), "sample of 120 MB under ulimit -d 256 MiB: refused, exit 2",
          "rc %d %r" % (rc, se))
    if not m:
        return
    n = (int(m.group(1)) - (2 << 20)) // 8  # the values and PoCL's buffer, 2 MiB below what was left
    # PoCL compiles a kernel for its launch size at the first launch, after the check, with LLVM's memory (its
    # std::bad_alloc ended the run): a run without the limit leaves that kernel in PoCL's cache first.
    rc, _, se = run(["sample", "normal", "--shape", str(n), "--out", out])
    check(rc == 0, "sample of %d values without a limit: written" % n, se)
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, **{"CLINIT_TEST_PAD%d" % i: "x" * (120 << 10) for i in range(40)})
    rc, _, se = run(["sample", "normal", "--shape", str(n), "--out", out], preexec_fn=limited, env=env)
    check(rc == 0 and os.path.getsize(out) == 128 + 4 * n,
          "sample of %d values, 2 MiB within ulimit -d, with 4.8 MB of environment: written" % n, "rc %d %r" % (rc, se))


def memory_cgroup(limit):
    """A memory cgroup of its own with `limit` bytes (cgroup v1's memory.limit_in_bytes, else v2's memory.max), as
    a container has: its folder, or None where it cannot be made (not root, no writable cgroup file system)."""
    with open("/proc/self/cgroup") as f:
        lines = [line.rstrip("\n").split(":", 2) for line in f]
    for _, controllers, path in lines:
        if controllers == "memory":
            base, limit_file = "/sys/fs/cgroup/memory" + path, "memory.limit_in_bytes"
        elif controllers == "" and os.path.exists("/sys/fs/cgroup%s/cgroup.subtree_control" % path):
            base, limit_file = "/sys/fs/cgroup" + path, "memory.max"
        else:
            continue
        folder = os.path.join(base, "clinit-test-%d" % os.getpid())
        try:
            os.mkdir(folder)
        except OSError:
            continue
        try:
            with open(os.path.join(folder, limit_file), "w") as f:
                f.write(str(limit))
            return folder
        except OSError:
            os.rmdir(folder)
    return None


# Holds argv[1] bytes of shared memory (a memfd, tmpfs pages charged to its cgroup) until its standard input ends.
MEMFD_HOLDER = """
import os, sys
fd, left = os.memfd_create("clinit-test-shm"), int(sys.argv[1])
chunk = b"x" * (1 << 20)
while left > 0:
    left -= os.write(fd, chunk[:left])
print("ready", flush=True)
sys.stdin.read()
"""


def test_memory_cgroup(tmp):
    """A container's memory limit: refused as ulimit -v is (the kernel's OOM killer used to end the run)."""
    cgroup = memory_cgroup(1500 << 20)
    if not cgroup:
        print("skip: no memory cgroup of our own here (root and a writable cgroup file system needed): a container's "
              "memory limit is not tested")
        return
    folder = os.path.join(tmp, "cgroup")
    os.mkdir(folder)
    out = os.path.join(folder, "x.npy")

    def enter():
        with open(os.path.join(cgroup, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))

    try:
        rc, _, se = run(["sample", "normal", "--shape", "300000000", "--out", out], preexec_fn=enter)
        check(rc == 2 and re.fullmatch(r"clinit: --shape 300000000: needs \d+ bytes of host memory \(.*\), above the "
                                       r"\d+ bytes of what the memory cgroup's limit leaves\n", se)
              and os.listdir(folder) == [], "sample of 2.4 GB in a memory cgroup of 1.5 GiB: refused, exit 2",
              "rc %d %r" % (rc, se))
        # The limit on an enclosing cgroup (a container's, the process in a cgroup of its own below it) binds as
        # hard: the check used to read the process's own cgroup only, and the OOM killer ended the run (exit 137).
        leaf = os.path.join(cgroup, "leaf")
        os.mkdir(leaf)
        try:
            def enter_leaf():
                with open(os.path.join(leaf, "cgroup.procs"), "w") as f:
                    f.write(str(os.getpid()))

            rc, _, se = run(["sample", "normal", "--shape", "300000000", "--out", out], preexec_fn=enter_leaf)
            check(rc == 2 and re.fullmatch(r"clinit: --shape 300000000: needs \d+ bytes of host memory \(.*\), above "
                                           r"the \d+ bytes of what the memory cgroup's limit leaves\n", se)
                  and os.listdir(folder) == [],
                  "sample of 2.4 GB in a cgroup without a limit inside a memory cgroup of 1.5 GiB: refused, exit 2",
                  "rc %d %r" % (rc, se))
        finally:
            for _ in range(100):
                try:
                    os.rmdir(leaf)
                    break
                except OSError:
                    time.sleep(0.05)
        rc, _, se = run(["sample", "normal", "--shape", "1000000", "--out", out], preexec_fn=enter)
        check(rc == 0, "sample of 4 MB in a memory cgroup of 1.5 GiB: written", se)
        if os.path.exists(out):
            os.remove(out)
        # Shared memory (a memfd, as a tmpfs file) is page cache the kernel cannot reclaim without swap: 1.1 GiB of
        # it leaves under 0.4 GiB, below the 0.8 GB of a 400 MB sample (counted free, the OOM killer ended it).
        holder = subprocess.Popen([sys.executable, "-c", MEMFD_HOLDER, str(1100 << 20)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, preexec_fn=enter)
        try:
            if holder.stdout.readline() == "ready\n":
                rc, _, se = run(["sample", "normal", "--shape", "100000000", "--out", out], preexec_fn=enter)
                check(rc == 2 and re.fullmatch(r"clinit: --shape 100000000: needs 800000000 bytes of host memory "
                                               r"\(.*\), above the \d+ bytes of what the memory cgroup's limit "
                                               r"leaves\n", se) and os.listdir(folder) == [],
                      "sample of 400 MB in a memory cgroup of 1.5 GiB holding 1.1 GiB of shared memory: refused, exit 2",
                      "rc %d %r" % (rc, se))
            else:
                print("skip: 1.1 GiB of shared memory could not be made in the cgroup")
        finally:
            holder.stdin.close()
            holder.wait()
    finally:
        for _ in range(100):  # the processes leave the cgroup as they are reaped
            try:
                os.rmdir(cgroup)
                break
            except OSError:
                time.sleep(0.05)


def test_file_size_limit(tmp):
    """Under `ulimit -f` below what PoCL's compiler writes, every build fails ("failed to build the program"):
    the message names the limit. An output past the limit is `writing FILE: File too large`, exit 1, nothing
    left (SIGXFSZ, whose default would kill the run and keep the temporary file, is ignored)."""
    folder = os.path.join(tmp, "fsize")
    os.mkdir(folder)
    out = os.path.join(folder, "x.npy")

    def limit(n):
        return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (n, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    rc, _, se = run(["sample", "normal", "--shape", "4", "--out", out], preexec_fn=limit(100 << 10))
    check(rc == 1 and se.count("\n") == 1 and se.endswith(
        "failed to build the program (ulimit -f allows files of 102400 bytes, and PoCL's compiler writes larger ones "
        "while it builds: raise the limit)\n") and os.listdir(folder) == [],
        "ulimit -f 100 KiB: exit 1, the message names the limit", "rc %d %r" % (rc, se))
    rc, _, se = run(["sample", "normal", "--shape", "2000000", "--out", out], preexec_fn=limit(4 << 20))
    check(rc == 1 and se == "clinit: writing %s: File too large\n" % out and os.listdir(folder) == [],
          "8 MB past ulimit -f 4 MiB: exit 1, nothing left", "rc %d %r %s" % (rc, se, os.listdir(folder)))


def namespace_works(tmp):
    d = tempfile.mkdtemp(dir=tmp)
    p = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                        'mount -t tmpfs -o size=64k tmpfs "$0" && touch "$0/x"', d], capture_output=True)
    os.rmdir(d)
    return p.returncode == 0


def in_tmpfs(folder, options, args, env=()):
    """Runs clinit ARGS (with the environment variables `env`, NAME=VALUE) in `folder`, a tmpfs mounted with
    `options` in a mount namespace of its own: (exit status, stderr, what the tmpfs held when clinit ended)."""
    listing = folder + ".ls"
    inner = ('mount -t tmpfs -o "$1" tmpfs "$0" || exit 90; cd "$0" || exit 91; ls="$2"; shift 2; "$@"; rc=$?; '
             'ls -A > "$ls"; exit $rc')
    p = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", inner, folder, options,
                        listing, "env"] + list(env) + [CLINIT] + args, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    with open(listing) as f:
        left = f.read().split()
    os.unlink(listing)
    return p.returncode, p.stderr, left


def test_full_file_system(tmp):
    if not namespace_works(tmp):
        print("skip: no mount namespace of our own here (unshare --user --map-root-user --mount refused): a full "
              "file system is not tested")
        return
    folder = os.path.join(tmp, "full")
    os.mkdir(folder)
    manifest = os.path.join(tmp, "six.json")
    with open(manifest, "w") as f:
        json.dump({"tensors": [{"name": "t%d" % i, "shape": [20000], "init": "normal"} for i in range(6)]}, f)
    # No inode left (the root folder takes the only one): neither the temporary file nor a folder can be made.
    nospc = "No space left on device"
    for args, want in (
            (["sample", "normal", "--shape", "10", "--out", "x.npy"],
             "clinit: --out x.npy: cannot create a file in its folder: %s\n" % nospc),
            (["sample", "normal", "--shape", "10", "--out", "x.npy", "--force"],
             "clinit: --out x.npy: cannot create a file in its folder: %s\n" % nospc),
            (["init", "--manifest", manifest, "--out", "m.safetensors"],
             "clinit: --out m.safetensors: cannot create a file in its folder: %s\n" % nospc),
            (["init", "--manifest", manifest, "--out", "hf/"], "clinit: --out hf/: cannot create the folder: %s\n" % nospc)):
        rc, err, left = in_tmpfs(folder, "size=1m,nr_inodes=1", args)
        check(rc == 1 and err == want and left == [], "no free inode: %s: exit 1, nothing left" % " ".join(args),
              "rc %d %r %s" % (rc, err, left))
    # No byte left half-way through the data: exit 1, nothing left.
    for args, name in ((["sample", "normal", "--shape", "100000", "--out", "x.npy"], "x.npy"),
                       (["init", "--manifest", manifest, "--out", "m.safetensors"], "m.safetensors"),
                       (["init", "--manifest", manifest, "--out", "hf/", "--max-shard-size", "100KB"],
                        "hf/model-00004-of-00006.safetensors")):
        rc, err, left = in_tmpfs(folder, "size=300k", args)
        check(rc == 1 and err == "clinit: writing %s: %s\n" % (name, nospc) and left == [],
              "a full disk while writing: %s: exit 1, nothing left" % " ".join(args), "rc %d %r %s" % (rc, err, left))
    # PoCL's kernel cache on a full file system: PoCL says only "failed to build"; the message says why.
    cache = os.path.join(folder, "cache")
    rc, err, left = in_tmpfs(folder, "size=64k", ["sample", "normal", "--shape", "4", "--out", "/dev/null"],
                             env=["POCL_CACHE_DIR=" + cache])
    check(rc == 1 and err.count("\n") == 1 and re.search(
        r"failed to build the program \(PoCL's kernel cache folder \"%s\" is on a full file system, \d+ bytes and "
        r"\d+ inodes free: PoCL reports a cache it cannot write as a failed build; free some room or set "
        r"POCL_CACHE_DIR to another folder\)\n$" % re.escape(cache), err),
        "PoCL's kernel cache on a full file system: exit 1, the message says so", "rc %d %r" % (rc, err))


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-adverse-") as tmp:
        test_manifest_is_not_an_output(tmp)
        test_take_back_spares_another_run(tmp)
        test_host_memory(tmp)
        test_data_limit(tmp)
        test_memory_cgroup(tmp)
        test_file_size_limit(tmp)
        test_full_file_system(tmp)
    return report()


if __name__ == "__main__":
    sys.exit(main())
