#!/usr/bin/env python3
"""The man page and the bash completion say what --help says: both are written from the help's tables
(host/cli/gendoc.c), and this checks the outcome. Every option of every command's --help is in that command's
section of clinit.1 and in its completion words, and nothing else is; the completion, run in bash, completes
options, their values and initializer names; groff renders the page without a warning (where groff exists).

usage: test_docs.py PATH/TO/clinit PATH/TO/clinit.1 PATH/TO/clinit.bash-completion
"""
import os
import re
import subprocess
import sys

from checks import check, check_man_page, report  # next to this script, so on sys.path

CLINIT, MAN, COMPLETION = (os.path.abspath(a) for a in sys.argv[1:4])


def run(*args):
    p = subprocess.run([CLINIT] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout


def help_options(command):
    """The options of `clinit COMMAND --help`: the lines that start with two blanks and an option."""
    rc, out = run(command, "--help")
    check(rc == 0, "clinit %s --help" % command)
    return [m.group(1) for m in re.finditer(r"^  (--[a-z][a-z-]*)", out, re.M)]


def man_section(page, command):
    """The roff of `.SS "clinit COMMAND"`, up to the next section."""
    m = re.search(r'^\.SS "clinit %s"\n(.*?)(?=^\.S[SH] )' % command, page, re.M | re.S)
    return m.group(1) if m else ""


def complete(*words):
    """What the completion offers for the command line `words`, the last one being completed."""
    script = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _clinit; printf "%s\\n" "${COMPREPLY[@]}"'
    p = subprocess.run(["bash", "-c", script, "bash", COMPLETION] + list(words), capture_output=True, text=True)
    return [w for w in p.stdout.split("\n") if w]


def main():
    _, overview = run("--help")
    commands = re.findall(r"^  ([a-z]+) ", overview.split("commands:\n", 1)[1].split("\n\n", 1)[0], re.M)
    check(commands[:4] == ["devices", "sample", "init", "bench"], "the overview lists the commands", overview)
    page = open(MAN, encoding="utf-8").read()
    completion = open(COMPLETION, encoding="utf-8").read()
    check(sorted(complete("clinit", "")) == sorted(commands + ["--help", "--version"]),
          "the completion offers every command", str(complete("clinit", "")))
    for command in commands:
        if command == "help":
            check(complete("clinit", "help", "sa") == ["sample"], "clinit help sa<TAB> -> sample")
            continue
        options = help_options(command)
        section = man_section(page, command)
        in_man = sorted(set(re.findall(r"^\.BI? \"(\\-\\-[a-z][a-z\\-]*)", section, re.M)))
        check(section != "" and in_man == sorted(o.replace("-", "\\-") for o in options),
              "clinit.1 documents exactly the options of clinit %s --help" % command,
              "%s vs %s" % (in_man, options))
        offered = complete("clinit", command, "--")
        check(sorted(offered) == sorted(options + ["--help"]),
              "the completion offers exactly the options of clinit %s --help" % command,
              "%s vs %s" % (offered, options))
        for option in options:
            check(option in complete("clinit", command, option[:4]) or option in complete("clinit", command, option),
                  "clinit %s %s<TAB> completes" % (command, option[:4]))
    # Values: the ones the help names for an option, and the initializer names for INIT.
    check(complete("clinit", "sample", "--dtype", "b") == ["bf16"], "sample --dtype b<TAB> -> bf16")
    check(complete("clinit", "sample", "--layout", "") == ["oi", "io", "axes"], "sample --layout <TAB>")
    _, sample_help = run("sample", "--help")
    inits = complete("clinit", "sample", "")
    check(len(inits) > 20 and all(name in sample_help for name in inits) and "kaiming_normal" in inits,
          "sample <TAB> offers the initializers --help lists", str(inits))
    check(complete("clinit", "sample", "--param", "non") == ["nonlinearity="], "sample --param non<TAB>")
    check(complete("clinit", "bench", "--init", "xavier_u") == ["xavier_uniform"], "bench --init xavier_u<TAB>")
    check("complete -F _clinit clinit" in completion, "the completion is registered for clinit")
    # The page renders cleanly: no groff warning (-ww), and the version it names is the tool's.
    _, version = run("--version")
    check_man_page(MAN, page, version.split()[-1], "EXIT STATUS")
    return report()


if __name__ == "__main__":
    sys.exit(main())
