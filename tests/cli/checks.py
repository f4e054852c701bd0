"""Pass/fail bookkeeping shared by the Python test scripts (tests/cli, tests/mpi): check() counts and
prints each failure, report() prints the closing "N passed, N failed" line and gives the exit status;
check_man_page() checks a generated man page's version and rendering."""
import re
import shutil
import subprocess

counts = {"passed": 0, "failed": 0}


def check(cond, what, detail=""):
    if cond:
        counts["passed"] += 1
    else:
        counts["failed"] += 1
        print("FAIL: %s%s" % (what, (": " + detail) if detail else ""), flush=True)
    return cond


def report(suffix=""):
    print("%d passed, %d failed%s" % (counts["passed"], counts["failed"], suffix))
    return 1 if counts["failed"] else 0


def check_man_page(path, page, version, section):
    """The page (text `page`, file `path`) names clinit's `version` ("0.2.0") in its title line, and groff renders
    it without a warning (-ww) with its `section` heading in the output (where groff exists)."""
    name = path.rsplit("/", 1)[-1]
    check(('"clinit %s" "User Commands"' % version) in page, "%s names the version" % name, version)
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", path], capture_output=True, text=True)
        check(p.returncode == 0 and p.stderr == "" and section in re.sub(".\b", "", p.stdout),
              "groff renders %s without a warning" % name, p.stderr[:2000])
    else:
        print("skip: groff not installed (the rendering of %s is not checked)" % name)
