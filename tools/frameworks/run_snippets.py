#!/usr/bin/env python3
"""Runs the code blocks of a Markdown page (docs/FRAMEWORKS.md), section by section, as a reader would.

usage: run_snippets.py PAGE.md [--section TITLE ...] [--python PYTHON] [--keep]

Every "## " section with code blocks is run in a temporary folder of its own, where `examples` links to the
source tree's examples/: its ```bash blocks with `bash -e`, its ```python blocks with PYTHON (default: this
interpreter), in the page's order; blocks of any other kind (```sh, ```json) are shown, not run. A section whose
Python block fails with ModuleNotFoundError for a module other than clinit is "skipped" (its framework is not
installed), any other failure "failed". The environment is this process's, with the source tree's
build/host/cli (the folder of $CLINIT_CLI when set) first on PATH, python/ on PYTHONPATH, CLINIT_LIBRARY the
build's library when it exists and the variable is unset, and DEV=CL (tinygrad's OpenCL device) unless set.
Prints one line per section (ran / skipped: why / failed, with the block's output) and exits 1 when any
failed, 0 otherwise. --section runs only the sections of these titles (and exits 1 when one is missing).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FENCE = re.compile(r"^```(\w*)\s*$")


def sections(path):
    """[(title, [(kind, code)])] of the page's "## " sections, in order."""
    out, title, blocks, kind, code = [], None, [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = FENCE.match(line)
            if code is not None:
                if line.rstrip() == "```":
                    blocks.append((kind, "".join(code)))
                    code = None
                else:
                    code.append(line)
            elif m:
                kind, code = m.group(1), []
            elif line.startswith("## "):
                if title is not None:
                    out.append((title, blocks))
                title, blocks = line[3:].strip(), []
    if title is not None:
        out.append((title, blocks))
    return out


def environment():
    env = dict(os.environ)
    for key in ("CLINIT_LIBRARY", "CLINIT_CLI"):  # the sections run in folders of their own
        if env.get(key):
            env[key] = os.path.abspath(env[key])
    cli = os.path.dirname(env["CLINIT_CLI"]) if env.get("CLINIT_CLI") else os.path.join(ROOT, "build", "host", "cli")
    if os.path.isdir(cli):
        env["PATH"] = cli + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = os.path.join(ROOT, "python") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH")
                                                         else "")
    lib = os.path.join(ROOT, "build", "libclinit.so")
    if "CLINIT_LIBRARY" not in env and os.path.exists(lib):
        env["CLINIT_LIBRARY"] = lib
    env.setdefault("DEV", "CL")
    return env


def run_section(blocks, python, env, keep):
    """("ran" | "skipped" | "failed", detail)."""
    folder = tempfile.mkdtemp(prefix="clinit-snippets-")
    os.symlink(os.path.join(ROOT, "examples"), os.path.join(folder, "examples"))
    try:
        for kind, code in blocks:
            if kind == "bash":
                cmd = ["bash", "-e", "-c", code]
            elif kind == "python":
                cmd = [python, "-c", code]
            else:
                continue
            r = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True)
            if r.returncode != 0:
                missing = re.search(r"ModuleNotFoundError: No module named '([\w.]+)'", r.stderr)
                if missing and not missing.group(1).startswith("clinit"):
                    return "skipped", "no module %s" % missing.group(1)
                return "failed", "%s block:\n%s\n--- output ---\n%s%s" % (kind, code, r.stdout, r.stderr)
        return "ran", ""
    finally:
        if keep:
            print("  kept %s" % folder)
        else:
            subprocess.run(["rm", "-rf", folder], check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page")
    ap.add_argument("--section", action="append", default=[])
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--keep", action="store_true", help="keep each section's folder")
    args = ap.parse_args()
    found = [(t, b) for t, b in sections(args.page) if any(k in ("bash", "python") for k, _ in b)]
    if args.section:
        missing = set(args.section) - {t for t, _ in found}
        if missing:
            print("no section titled %s in %s" % (", ".join(sorted(missing)), args.page))
            return 1
        found = [(t, b) for t, b in found if t in args.section]
    env, failed = environment(), 0
    for title, blocks in found:
        status, detail = run_section(blocks, args.python, env, args.keep)
        print("%-28s %s%s" % (title, status, ": " + detail if detail and status == "skipped" else ""), flush=True)
        if status == "failed":
            failed += 1
            print(detail)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
