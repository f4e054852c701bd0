#!/usr/bin/env python3
"""Manifests are read within a size limit and in memory proportional to them (host/cli/manifest.h), standard
library only:
- a manifest above the limit (16 MiB, or --manifest-limit BYTES) is refused by its size before it is read, a
  stream (/dev/zero, a pipe) once limit + 1 bytes have come: exit 2, one line naming the size and the limit;
- arrays and objects nested deeper than cJSON's limit (1000) are refused with that limit named;
- the peak resident memory of reading a manifest stays within a fixed number of bytes per byte of it
  (measured on a failing run, which reads the whole manifest and opens no device);
- a manifest whose safetensors header would be above the safetensors library's 100,000,000 bytes is refused
  before any file is made.

usage: test_manifest_limits.py PATH/TO/clinit"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, report  # noqa: E402
from memory_limits import address_space_limiter, peak_kib  # noqa: E402

CLINIT = os.path.abspath(sys.argv[1])
DEFAULT_LIMIT = 16 << 20
# Bytes of peak memory per byte of manifest (docs/FILES.md): measured 11.6 on a manifest of small tensors
# and 38 on one made of small numbers (cJSON's 64-byte node per JSON value); the bounds leave room for the
# allocator, not for a second copy of the tree.
TYPICAL_FACTOR, WORST_FACTOR = 16, 48

def run(args, stdin=None, preexec=None):
    p = subprocess.run([CLINIT] + args, stdin=stdin, capture_output=True, text=True, preexec_fn=preexec)
    return p.returncode, p.stderr


def test_limits(tmp):
    out = os.path.join(tmp, "never.safetensors")
    # /dev/zero was read until the machine ran out of memory; under a 1 GiB address space the old code failed
    # with "Cannot allocate memory" after reading gigabytes.
    limit_as = address_space_limiter(CLINIT)
    rc, err = run(["init", "--manifest", "/dev/zero", "--out", out], preexec=limit_as)
    check(rc == 2 and err == "clinit: --manifest /dev/zero: more than %d bytes, the limit on a manifest "
          "(--manifest-limit BYTES raises it)\n" % DEFAULT_LIMIT, "/dev/zero: refused at the default limit", err)
    # A regular file above the limit is refused by its size (a sparse file: nothing to read).
    sparse = os.path.join(tmp, "sparse.json")
    with open(sparse, "wb") as f:
        f.truncate(DEFAULT_LIMIT + 1)
    rc, err = run(["init", "--manifest", sparse, "--out", out])
    check(rc == 2 and err == "clinit: --manifest %s: %d bytes, above the limit of %d on a manifest "
          "(--manifest-limit BYTES raises it)\n" % (sparse, DEFAULT_LIMIT + 1, DEFAULT_LIMIT),
          "a file of 16 MiB + 1 byte: refused by its size", err)
    # --manifest-limit: a manifest of exactly the limit is read, one byte more is not; the same through a pipe.
    text = json.dumps({"tensors": [{"name": "w", "shape": [3], "init": "zeros"}]})
    size = len(text) + 10
    exact = os.path.join(tmp, "exact.json")
    with open(exact, "w") as f:
        f.write(text + " " * 10)
    good = os.path.join(tmp, "good.safetensors")
    rc, err = run(["init", "--manifest", exact, "--manifest-limit", str(size), "--out", good])
    check(rc == 0 and os.path.exists(good), "a manifest of exactly --manifest-limit bytes is read", err)
    rc, err = run(["init", "--manifest", exact, "--manifest-limit", str(size - 1), "--out", out])
    check(rc == 2 and err == "clinit: --manifest %s: %d bytes, above the limit of %d on a manifest "
          "(--manifest-limit BYTES raises it)\n" % (exact, size, size - 1), "one byte over --manifest-limit", err)
    for limit, want in ((size, 0), (size - 1, 2)):
        p = subprocess.run([CLINIT, "init", "--manifest", "/dev/stdin", "--manifest-limit", str(limit), "--out",
                            os.path.join(tmp, "pipe%d.safetensors" % limit), "--force"],
                           input=text + " " * 10, capture_output=True, text=True)
        check(p.returncode == want and (want == 0 or p.stderr == "clinit: --manifest /dev/stdin: more than %d "
                                        "bytes, the limit on a manifest (--manifest-limit BYTES raises it)\n" % limit),
              "a pipe of %d bytes under --manifest-limit %d: exit %d" % (size, limit, want), p.stderr)
    for bad in ("0", "-1", "abc", "", "1e6", "18446744073709551616"):
        rc, err = run(["init", "--manifest", exact, "--manifest-limit", bad, "--out", out])
        check(rc == 2 and err == 'clinit: --manifest-limit "%s": not a number of bytes >= 1 (decimal or 0x hex)\n'
              % bad, "--manifest-limit %r refused" % bad, err)
    check(not os.path.exists(out), "no output from a refused manifest")


def test_nesting(tmp):
    out = os.path.join(tmp, "never.safetensors")
    tensors = '"tensors": [{"name": "w", "shape": [2], "init": "ones"}]'
    for depth, ok in ((999, True), (1000, False), (100000, False)):
        m = os.path.join(tmp, "deep%d.json" % depth)
        with open(m, "w") as f:  # the top-level object is one level: depth + 1 in all
            f.write('{"x": ' + "[" * depth + "]" * depth + ", " + tensors + "}")
        rc, err = run(["init", "--manifest", m, "--out", out, "--force"])
        if ok:
            check(rc == 0, "arrays nested 1000 deep (with the top level) are read", err)
        else:
            check(rc == 2 and err == "clinit: %s: line 1, column %d: arrays and objects nested more than 1000 deep, "
                  "the JSON parser's limit (cJSON's CJSON_NESTING_LIMIT)\n" % (m, 6 + 1000),
                  "arrays nested %d deep: the parser's limit named" % (depth + 1), err)


def test_memory(tmp):
    with open(CLINIT, "rb") as f:
        if b"__asan_init" in f.read():
            print("skip: memory of a sanitizer build")
            return
    rc, base, err = peak_kib(CLINIT, "--version")
    check(rc == 0, "clinit --version", err)
    # 70,000 small tensors, the last one refused: the whole manifest is read, no device is opened.
    typical = os.path.join(tmp, "typical.json")
    tensors = [{"name": "layer%d.weight" % i, "shape": [64, 64], "init": "xavier_uniform"} for i in range(70000)]
    tensors.append({"name": "last", "shape": [1], "init": "no_such_init"})
    with open(typical, "w") as f:
        json.dump({"tensors": tensors}, f, separators=(",", ":"))
    # One made of small numbers under a free-text key: a cJSON node of 64 bytes per 2 bytes of text.
    numbers = os.path.join(tmp, "numbers.json")
    with open(numbers, "w") as f:
        f.write('{"x": [' + ",".join(["0"] * 2000000) + '], "tensors": [{"name": "a", "shape": [1], "init": "no"}]}')
    for path, factor in ((typical, TYPICAL_FACTOR), (numbers, WORST_FACTOR)):
        size = os.path.getsize(path)
        rc, peak, err = peak_kib(CLINIT, "init", "--manifest", path, "--out", os.path.join(tmp, "never.safetensors"))
        print("peak RSS reading %s (%d bytes): %d KiB over the %d KiB of clinit --version: %.1f bytes per byte"
              % (os.path.basename(path), size, peak - base, base, (peak - base) * 1024 / size))
        check(rc == 2 and "unknown initializer" in err, "%s read whole, refused at its last tensor" % path, err)
        check((peak - base) * 1024 <= factor * size, "%s: peak memory within %d bytes per byte of manifest"
              % (os.path.basename(path), factor), "%d KiB over %d KiB" % (peak - base, base))


def test_header_limit(tmp):
    """A name of 100,000,000 bytes makes a header above the safetensors library's limit: refused before any
    file is made (the old code wrote it, exit 0, and the safetensors library refused to read it)."""
    m = os.path.join(tmp, "bigname.json")
    with open(m, "w") as f:
        f.write('{"tensors": [{"name": "' + "n" * 100000000 + '", "shape": [1], "init": "zeros"}]}')
    folder = os.path.join(tmp, "header")
    os.mkdir(folder)
    rc, err = run(["init", "--manifest", m, "--manifest-limit", "200000000", "--out",
                   os.path.join(folder, "big.safetensors")])
    os.unlink(m)
    check(rc == 2 and err == "clinit: %s: a safetensors header of 100000152 bytes, above the 100000000 that the "
          "safetensors library reads (its MAX_HEADER_SIZE): write fewer tensors per file\n" % m
          and os.listdir(folder) == [], "init: a header above 100,000,000 bytes refused, no file", err[:300])


def main():
    with tempfile.TemporaryDirectory(prefix="clinit-manifest-limits-") as tmp:
        test_limits(tmp)
        test_nesting(tmp)
        test_memory(tmp)
        test_header_limit(tmp)
    return report()


if __name__ == "__main__":
    sys.exit(main())
