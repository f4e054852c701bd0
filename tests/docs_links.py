#!/usr/bin/env python3
"""The README is a quick start (at most 200 lines) from which every page of docs/ is one link away, and the
relative links of the README and of docs/*.md lead to files that exist (anchors aside). Standard library only.

usage: docs_links.py SOURCE_DIR
"""
import os
import re
import sys

src = os.path.abspath(sys.argv[1])
failures = []
passes = []


def check(ok, what):
    print("%s: %s" % ("ok" if ok else "FAIL", what))
    (passes if ok else failures).append(what)


def links(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)  # code is not links
    return [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", text)
            if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


readme = os.path.join(src, "README.md")
lines = open(readme, encoding="utf-8").read().count("\n")
check(lines <= 200, "README.md has %d lines (at most 200)" % lines)
linked = {os.path.normpath(t) for t in links(readme)}
for page in sorted(os.listdir(os.path.join(src, "docs"))):
    if page.endswith(".md"):
        check("docs/" + page in linked, "README.md links docs/%s" % page)
pages = [readme] + [os.path.join(src, "docs", p) for p in sorted(os.listdir(os.path.join(src, "docs")))
                    if p.endswith(".md")]
for path in pages:
    for target in links(path):
        full = os.path.normpath(os.path.join(os.path.dirname(path), target))
        check(os.path.exists(full), "%s -> %s exists" % (os.path.relpath(path, src), target))
print("%d passed, %d failed" % (len(passes), len(failures)))
sys.exit(1 if failures else 0)
