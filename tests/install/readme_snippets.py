#!/usr/bin/env python3
"""The README's examples, run as a newcomer pastes them: the `clinit sample` lines of "Command line" in a folder,
then every Python block of "Python" and "Loading the output" there, which read the files those lines wrote (a
bf16 one among them: safetensors.numpy cannot, clinit's reader can). Run by test_pip.sh with the interpreter of
a virtual environment where `pip install ./python` and `pip install safetensors` were done.

usage: readme_snippets.py README.md PATH/TO/clinit      (in the folder to work in)
"""
import re
import shlex
import subprocess
import sys

readme = open(sys.argv[1], encoding="utf-8").read()
clinit = sys.argv[2]


def section(title):
    m = re.search(r"^## %s\n(.*?)(?=^## )" % re.escape(title), readme, re.M | re.S)
    assert m, "README has no section %r" % title
    return m.group(1)


def blocks(text, lang):
    return re.findall(r"^```%s\n(.*?)^```" % lang, text, re.M | re.S)


samples = [l.split("#")[0] for b in blocks(section("Command line"), "sh") for l in b.splitlines()
           if l.startswith("clinit sample ")]
assert len(samples) >= 3, samples
for line in samples:
    args = shlex.split(line)
    p = subprocess.run([clinit] + args[1:] + ["--force"], capture_output=True, text=True)
    assert p.returncode == 0, "%s: %s" % (line, p.stderr)
    print("ran:", line.strip())

# What the README says of bf16 files: safetensors.numpy cannot read them (numpy has no bfloat16).
from safetensors.numpy import load_file  # noqa: E402

try:
    load_file("w16.safetensors")
    raise AssertionError("safetensors.numpy read a bf16 file: the README's warning is stale")
except TypeError as e:
    print("safetensors.numpy on the bf16 file: TypeError (%s), as the README says" % e)

snippets = blocks(section("Python"), "python") + blocks(section("Loading the output"), "python")
assert len(snippets) == 2, "%d Python blocks" % len(snippets)
for code in snippets:
    exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    print("ran the Python block that starts", repr(code.splitlines()[0]))
print("README's examples: OK")
