#!/usr/bin/env python3
"""docs/INITIALIZERS.md's table of initializers against the library's registry (`clinit inits --json`): every
initializer appears exactly once, with the parameters it takes and their defaults (`name(p=default, q)`; a
parameter without `=` is a required one, or one whose default the registry leaves to the tensor, such as
orthogonal's column_axis). The table is written for readers; this keeps it from drifting from the one place the
facts live (host/registry.c).

usage: docs_initializers.py SOURCE_DIR CLINIT"""
import json
import re
import subprocess
import sys

ROW = re.compile(r"^\| (`[^|]*`(?:, `[^|]*`)*) \|")
ENTRY = re.compile(r"`([a-z0-9_]+)(?:\(([^)]*)\))?`")


def same_default(doc, reg):
    if isinstance(reg, (int, float)) and not isinstance(reg, bool):
        try:
            return float(doc) == float(reg)
        except ValueError:
            return False
    return doc == str(reg)


def check_entry(where, listed, takes):
    names = [p.split("=")[0].strip() for p in listed]
    if sorted(names) != sorted(takes):
        return ["%s: lists parameters %s, the registry has %s" % (where, names, list(takes))]
    bad = []
    for text in listed:
        key, eq, value = (s.strip() for s in text.partition("="))
        p = takes[key]
        if not eq and not p["required"] and p.get("default") is not None:
            bad.append("%s: %s has the default %s, not shown" % (where, key, p["default"]))
        elif eq and p["required"]:
            bad.append("%s: %s is required, shown with a default %s" % (where, key, value))
        elif eq and p.get("default") is not None and not same_default(value, p["default"]):
            bad.append("%s: %s defaults to %s, the table says %s" % (where, key, p["default"], value))
    return bad


def main():
    root, clinit = sys.argv[1], sys.argv[2]
    out = subprocess.run([clinit, "inits", "--json"], capture_output=True, text=True, check=True).stdout
    registry = {i["name"]: i for i in json.loads(out)["initializers"]}
    seen, bad = {}, []
    for n, line in enumerate(open(root + "/docs/INITIALIZERS.md", encoding="utf-8"), 1):
        m = ROW.match(line)
        if not m:
            continue
        for name, params in ENTRY.findall(m.group(1)):
            where = "docs/INITIALIZERS.md:%d: %s" % (n, name)
            if name in seen:
                bad.append("%s: listed again (first on line %d)" % (where, seen[name]))
            elif name not in registry:
                bad.append("%s: not an initializer of the registry" % where)
            else:
                seen[name] = n
                listed = [p.strip() for p in params.split(",") if p.strip()]
                bad += check_entry(where, listed, {p["name"]: p for p in registry[name]["params"]})
    bad += ["docs/INITIALIZERS.md: %s (in the registry) is missing from the table" % name
            for name in registry if name not in seen]
    for b in bad:
        print(b)
    print("docs_initializers: %d problems (%d initializers)" % (len(bad), len(registry)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
