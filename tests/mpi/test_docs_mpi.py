#!/usr/bin/env python3
"""clinit-mpi.1 says what `clinit-mpi help init` says: clinit_gendoc writes the page from the texts the help
prints (host/mpi/help.c), and this checks the outcome. Every option of the help is an entry of the page's
OPTIONS and nothing else is; the page's NAME is the overview's first sentence, its version the tool's; groff
renders it without a warning (where groff exists).

usage: test_docs_mpi.py PATH/TO/clinit-mpi PATH/TO/clinit-mpi.1
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from checks import check, check_man_page, report  # noqa: E402

TOOL, MAN = (os.path.abspath(a) for a in sys.argv[1:3])


def run(*args):
    # one process, MPI's singleton mode: help and --version need no mpirun
    p = subprocess.run([TOOL] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout


def main():
    page = open(MAN, encoding="utf-8").read()
    rc, usage = run("help", "init")
    check(rc == 0, "clinit-mpi help init", usage)
    options = [m.group(1) for m in re.finditer(r"^  (--[a-z][a-z-]*)", usage, re.M)]
    check(len(options) >= 8, "the help lists the options", usage)
    section = page.split(".SH OPTIONS\n", 1)[-1].split("\n.SH ", 1)[0]
    in_man = re.findall(r"^\.BI? \"(\\-\\-[a-z][a-z\\-]*)", section, re.M)
    check(in_man == [o.replace("-", "\\-") for o in options],
          "clinit-mpi.1 documents exactly the options of clinit-mpi help init, in its order",
          "%s vs %s" % (in_man, options))
    rc, overview = run("--help")
    tagline = overview.split("\n\n")[1].strip().rstrip(".")
    check(rc == 0 and (".SH NAME\nclinit\\-mpi \\- " + tagline[0].lower() + tagline[1:].replace("-", "\\-")) in page,
          "clinit-mpi.1's NAME is the overview's sentence", tagline)
    for line in usage.split("\n\n", 1)[0].split("\n"):
        words = line.replace("usage:", "").strip()
        check(words.replace("-", "\\-") in page, "the synopsis line is in the page", words)
    _, version = run("--version")
    check_man_page(MAN, page, version.split()[-1], "EXAMPLES")
    return report()


if __name__ == "__main__":
    sys.exit(main())
