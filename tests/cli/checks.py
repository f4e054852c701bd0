"""Pass/fail bookkeeping shared by the Python test scripts (tests/cli, tests/mpi): check() counts and
prints each failure, report() prints the closing "N passed, N failed" line and gives the exit status."""

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
