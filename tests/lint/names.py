#!/usr/bin/env python3
"""Public and internal names stay apart (docs/CONTRIBUTING.md, "Names"): clinit_ is the public API of
include/clinit.h, ci_ the library's own functions, types and kernel helpers, and the OpenCL program's kernels keep
clinit_ (the names a profiler shows). Two checks:
  - every symbol libclinit.a defines with linkage is public (declared in include/clinit.h) or ci_;
  - every clinit_ word in the C and OpenCL sources (code and comments) is public, a kernel of the program, a
    family of kernels written with a wildcard or a placeholder (clinit_fill_*, clinit_orth_{…},
    clinit_fill_uniform_DT, clinit_orth_##name, clinit_orth_store_<dtype>), or one of the few non-C names listed
    below.

usage: names.py SOURCE_DIR LIBCLINIT_A [NM]"""
import os
import re
import subprocess
import sys

WORD = re.compile(r"(?<![A-Za-z0-9_])clinit_[A-Za-z0-9_]*")
# CMake targets and executables, a metadata key and the library's stem, named in comments and strings
OTHER = {"clinit_static", "clinit_objects", "clinit_cli", "clinit_cli_common", "clinit_gendoc", "clinit_docs",
         "clinit_mpi", "clinit_generation", "clinit_program", "clinit_program_binary", "clinit_"}
SOURCE_DIRS = ("host", "kernels", "tests", "fuzz", "bench", "tools", "include")


ODR_ASAN = re.compile(r"^__odr_asan[._](gen_)?")


def kernels_of(root):
    """Kernel names: explicit, the templates' KERNEL, and the orthogonal program's CLINIT_ORTH_KERNEL(x)."""
    names, orth = set(), set()
    for path in sources(root):
        text = open(path, encoding="utf-8").read()
        names |= set(re.findall(r"__kernel\s+void\s+(clinit_\w+)", text))
        names |= set(re.findall(r"#define\s+KERNEL\s+(clinit_\w+)", text))
        orth |= set(re.findall(r"CLINIT_ORTH_KERNEL\((\w+)\)", text))
        orth |= set(re.findall(r"CLINIT_ORTH_STORE_KERNEL\((\w+),", text))
    for n in orth - {"name", "NAME"}:
        names |= {"clinit_orth_" + n, "clinit_orth64_" + n}
    return names


def sources(root):
    for top in SOURCE_DIRS:
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith((".c", ".h", ".cl", ".cpp")):
                    yield os.path.join(d, f)


def main():
    root, lib = sys.argv[1], sys.argv[2]
    nm = sys.argv[3] if len(sys.argv) > 3 else "nm"
    public = set(WORD.findall(open(os.path.join(root, "include", "clinit.h"), encoding="utf-8").read()))
    kernels = kernels_of(root)
    bad = []
    out = subprocess.run([nm, "--defined-only", "-g", lib], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        # AddressSanitizer's one-definition-rule markers repeat a global's name after a prefix of its own
        name = ODR_ASAN.sub("", parts[2])
        if not (name in public or name.startswith("ci_")):
            bad.append("%s: defines %s, neither public nor ci_" % (os.path.basename(lib), parts[2]))
    for path in sources(root):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            for w in WORD.findall(line):
                if w in public or w in kernels or w in OTHER:
                    continue
                rest = line[line.index(w) + len(w):]
                stem = re.sub(r"_(DT|DIST|X|name)$", "_", w)
                if (stem != w or rest[:1] in ("*", "{", "#", "<")) and any(k.startswith(stem) for k in kernels):
                    continue
                bad.append("%s:%d: %s is neither public (include/clinit.h) nor a kernel: ci_%s?"
                           % (os.path.relpath(path, root), n, w, w[len("clinit_"):]))
    for b in bad:
        print(b)
    print("names: %d problems (%d public names, %d kernels)" % (len(bad), len(public), len(kernels)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
