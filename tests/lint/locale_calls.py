#!/usr/bin/env python3
"""The library's sources call no locale-dependent C function outside host/c_locale.c: strtod and the printf
family follow LC_NUMERIC (a caller's setlocale(LC_ALL, "de_DE.UTF-8") made "0.5" unreadable and messages print
"-0,5"), the ctype classes and strcasecmp follow LC_CTYPE. host/c_locale.c has the "C"-locale versions
(ci_c_snprintf, ci_c_vsnprintf, ci_c_strtod, ci_ascii_blank, ci_ascii_same); isdigit is
allowed (only 0-9 in every locale). tests/test_locale.c checks the behaviour; this keeps new code on it.

usage: locale_calls.py SOURCE_DIR"""
import os
import re
import sys

FORBIDDEN = re.compile(r"(?<![\w.>])(printf|fprintf|sprintf|snprintf|vprintf|vfprintf|vsprintf|vsnprintf|"
                       r"scanf|sscanf|fscanf|strtod|strtof|strtold|atof|isspace|isalpha|isalnum|isupper|"
                       r"islower|isprint|ispunct|isxdigit|tolower|toupper|strcasecmp|strncasecmp)\s*\(")


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def main():
    host = os.path.join(sys.argv[1], "host")
    found = []
    for name in sorted(os.listdir(host)):
        if not name.endswith((".c", ".h")) or name == "c_locale.c":
            continue
        with open(os.path.join(host, name), encoding="utf-8") as f:
            code = strip_comments_and_strings(f.read())
        for n, line in enumerate(code.splitlines(), 1):
            for m in FORBIDDEN.finditer(line):
                found.append("host/%s:%d: %s() depends on the caller's locale: use host/c_locale.c's" %
                             (name, n, m.group(1)))
    print("\n".join(found) if found else "no locale-dependent call in the library's sources outside c_locale.c")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
