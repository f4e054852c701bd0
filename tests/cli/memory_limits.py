"""For the tests of the checks against the device's memory (tests/cli, tests/mpi): the device's memory, and
an address-space limit. Were a check gone, a command would allocate tens of GB (PoCL: host memory) before
failing, or wake the OOM killer, which picks among the machine's processes; under the limit the allocation
fails instead (exit 1: the test fails, the machine lives)."""
import re
import resource
import subprocess
import sys


def address_space_limiter(binary):
    """A preexec_fn that limits a process to 4 GiB of address space (PoCL, the tools and mpiexec need far less),
    or None when `binary` is built with AddressSanitizer, whose shadow memory needs terabytes of it."""
    with open(binary, "rb") as f:
        if b"__asan_init" in f.read():
            return None

    def limit():
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = 4 << 30 if hard == resource.RLIM_INFINITY else min(4 << 30, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return limit


def device_memory_mib(clinit):
    """CL_DEVICE_GLOBAL_MEM_SIZE of the device the commands use (`clinit devices` marks it USED), in MiB
    rounded down, or None."""
    out = subprocess.run([clinit, "devices"], capture_output=True, text=True).stdout
    lines = out.splitlines()
    used = lines[0].find("USED") if lines else -1
    for line in lines[1:]:
        m = re.match(r"\d+:\d+\s+\S+\s+\d+\s+(\d+)\s", line)
        if m and used >= 0 and line[used:used + 1] == "*":
            return int(m.group(1))
    return None


MEASURE = """
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.stderr.replace("\\n", " "))
"""


def peak_kib(binary, *args):
    """(exit status, peak resident KiB, stderr on one line) of BINARY ARGS, run by a fresh Python process whose
    getrusage(RUSAGE_CHILDREN) ru_maxrss is that run's peak alone."""
    out = subprocess.run([sys.executable, "-c", MEASURE, binary] + [str(a) for a in args], capture_output=True,
                         text=True, timeout=280).stdout.split(" ", 2)
    return int(out[0]), int(out[1]), out[2].strip()
