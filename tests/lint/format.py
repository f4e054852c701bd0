#!/usr/bin/env python3
"""Every .c, .h and .cl file of the sources is as .clang-format writes it (docs/CONTRIBUTING.md, "Formatting"):
clang-format --dry-run --Werror over them, which names each file and line that would change.

usage: format.py SOURCE_DIR CLANG_FORMAT"""
import os
import subprocess
import sys

root, clang_format = sys.argv[1], sys.argv[2]
files = []
for top in ("bench", "fuzz", "host", "include", "kernels", "tests"):
    for d, _, names in os.walk(os.path.join(root, top)):
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith((".c", ".h", ".cl"))]
r = subprocess.run([clang_format, "--dry-run", "--Werror", "--style=file"] + files, capture_output=True, text=True)
sys.stdout.write(r.stdout + r.stderr)
print("format: %d files, %s" % (len(files), "as .clang-format writes them" if r.returncode == 0 else "not formatted"))
sys.exit(1 if r.returncode else 0)
