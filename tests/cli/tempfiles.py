"""The temporary files of a running clinit (tests/cli, tests/mpi, tests/soak): what a test waits for before it
interrupts a run, and what must be gone after it."""
import os


def data_sizes(pid, folder):
    """The sizes of the temporary files process `pid` is writing in `folder`: an unnamed (O_TMPFILE) file it
    holds open there, which /proc shows as "FOLDER/#INODE (deleted)", or a hidden ".NAME.XXXXXX" where the file
    system has no unnamed files."""
    sizes = []
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        fds = []
    for fd in fds:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)).startswith(folder + "/"):
                sizes.append(os.stat("/proc/%d/fd/%s" % (pid, fd)).st_size)
        except OSError:
            pass
    for name in os.listdir(folder):
        try:
            if name.startswith("."):
                sizes.append(os.path.getsize(os.path.join(folder, name)))
        except FileNotFoundError:
            pass
    return sizes


def hidden_files(folder):
    """The names under `folder` (walked) that start with ".": temporary files a run left behind."""
    return sorted(os.path.join(root, f) for root, _, files in os.walk(folder) for f in files if f.startswith("."))
