#!/usr/bin/env python3
"""The README is a quick start (at most 200 lines) from which every page of docs/ is one link away, and the
relative links of the README and of docs/*.md lead to files that exist (anchors aside). A section named in
prose — README "X", README's "X", FILE.md "X", [FILE.md](path) "X" (a comma between them too) — is a heading
of that file, and every find_package(clinit X.Y …) names the project's MAJOR.MINOR (CMakeLists.txt's
project(VERSION)), which the package's SameMinorVersion compatibility needs. Standard library only.

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

def headings(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return {h.strip() for h in re.findall(r"^#+ (.*)$", text, re.M)}


# README "X", README's "X", CHANGELOG.md "X", [CLI.md](CLI.md) "X", [CLI.md](CLI.md), "X"
SECTION_REF = re.compile(r"(?:\[[^\]]*\]\(([^)\s#]+\.md)\)|\b(README(?:\.md)?|[A-Z][A-Z_]*\.md))(?:'s)?,? \"([^\"]+)\"")


def named_file(path, link, word):
    """The file a reference names: a link relative to the page, or a bare name (README, X.md) looked up in
    the page's folder, docs/ and the source root."""
    if link:
        return os.path.normpath(os.path.join(os.path.dirname(path), link))
    name = "README.md" if word == "README" else word
    for folder in (os.path.dirname(path), os.path.join(src, "docs"), src):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return os.path.join(src, name)


for path in pages:  # not CHANGELOG.md: its entries name sections as they were then
    text = open(path, encoding="utf-8").read()
    for m in SECTION_REF.finditer(text.replace("\n", " ")):
        target = named_file(path, m.group(1), m.group(2))
        ok = os.path.exists(target) and m.group(3) in headings(target)
        check(ok, '%s names %s "%s": a heading there' % (os.path.relpath(path, src), os.path.relpath(target, src),
                                                          m.group(3)))

version = re.search(r"project\(clinit VERSION (\d+)\.(\d+)\.\d+", open(os.path.join(src, "CMakeLists.txt")).read())
check(version is not None, "CMakeLists.txt has project(clinit VERSION MAJOR.MINOR.PATCH)")
if version:
    current = "%s.%s" % version.groups()
    for path in pages:
        for found in re.findall(r"find_package\(clinit ([0-9][0-9.]*)", open(path, encoding="utf-8").read()):
            check(re.match(r"(\d+\.\d+)(\.\d+)?$", found) and found.startswith(current) and
                  (found == current or found[len(current)] == "."),
                  "%s: find_package(clinit %s) names %s, the project's MAJOR.MINOR" % (os.path.relpath(path, src),
                                                                                  found, current))
print("%d passed, %d failed" % (len(passes), len(failures)))
sys.exit(1 if failures else 0)
