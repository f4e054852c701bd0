"""Durable output for every file the Python package writes, with the rule of the clinit tool's files
(host/cli/outfile.h): a file appears under its name complete and synced, or not at all.

    with atomic_write(path) as f:   # a binary file object
        f.write(data)

- `path` is followed through its symbolic links; a regular file at their end (or none) is written as a
  temporary file in that file's folder, flushed and fsync'ed, then put under the name (os.link for a new name,
  os.replace over an old file) and the folder fsync'ed. The temporary file is unnamed (O_TMPFILE) where the
  file system has them, so a process killed at any point leaves nothing; elsewhere a hidden ".NAME.XXXXXX",
  removed on every error (KeyboardInterrupt included).
- A replaced file lends its permission bits (and owner and group where allowed); a new file gets 0666 less the
  umask, as open() gives.
- A character device, FIFO or socket (/dev/null, a pipe) is written in place: there is nothing to replace.
- An exception inside the `with` block, or while publishing, leaves the old file (or none) as it was.
Raises OSError (the folder cannot take the file, a write fails: ENOSPC, EFBIG, ...; a folder as path:
IsADirectoryError).
"""
import contextlib
import os
import secrets
import stat

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _hidden_name(folder, name):
    """folder/.NAME.XXXXXX (bytes), NAME cut on a UTF-8 character where the 8 extra bytes would pass the
    folder's limit on a name (the name itself fits: a longer one fails at once, before any work)."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(name) <= limit < len(name) + 8:
        keep = max(limit - 8, 0)
        while keep > 0 and name[keep] & 0xC0 == 0x80:
            keep -= 1
        name = name[:keep]
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(6)).encode()
    return os.path.join(folder, b"." + name + b"." + suffix)


def _open_unnamed(folder):
    """An O_TMPFILE descriptor in folder, or None where there is none (or no /proc to name it through)."""
    if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666)
    except OSError:
        return None  # EOPNOTSUPP, EISDIR (old kernels) ...; a real problem reappears with the named file


def _open_named(folder, name):
    """(descriptor, name) of a new hidden file in folder, created 0666 less the umask."""
    while True:
        tmp = _hidden_name(folder, name)
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), tmp
        except FileExistsError:
            continue


def _link_unnamed(fd, name):
    """Gives the O_TMPFILE file `fd` the name `name` (FileExistsError when taken). os.link calls link(), which
    would link /proc's symbolic link itself (EXDEV), unless a dir_fd makes it call linkat(AT_SYMLINK_FOLLOW)."""
    folder, base = os.path.split(name)
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.link("/proc/self/fd/%d" % fd, base, dst_dir_fd=dir_fd, follow_symlinks=True)
    finally:
        os.close(dir_fd)


def _link_hidden(fd, folder, name):
    """Gives the O_TMPFILE file `fd` a hidden name in folder; returns it."""
    while True:
        tmp = _hidden_name(folder, name)
        try:
            _link_unnamed(fd, tmp)
            return tmp
        except FileExistsError:
            continue


def _take_permissions(fd, old):
    if old.st_uid != os.geteuid() or old.st_gid != os.getegid():
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except OSError:
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)


def _sync_folder(folder):
    """Makes the rename durable; best effort (some file systems refuse to sync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_write(path):
    target = os.path.realpath(os.fsencode(path))
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and (stat.S_ISCHR(old.st_mode) or stat.S_ISFIFO(old.st_mode) or stat.S_ISSOCK(old.st_mode)):
        with open(target, "wb") as f:
            yield f
        return
    if old is not None and stat.S_ISDIR(old.st_mode):
        raise IsADirectoryError(21, "Is a directory", os.fsdecode(path))
    folder, name = os.path.split(target)
    fd, tmp = _open_unnamed(folder), None
    if fd is None:
        fd, tmp = _open_named(folder, name)
    try:
        if old is not None:
            _take_permissions(fd, old)
        with os.fdopen(fd, "wb", closefd=False) as f:
            yield f
            f.flush()
            os.fsync(fd)
        if tmp is None:
            try:
                _link_unnamed(fd, target)  # a new name: in place at once
            except FileExistsError:  # a file to replace, which only a rename replaces atomically
                tmp = _link_hidden(fd, folder, name)
        if tmp is not None:
            os.replace(tmp, target)
            tmp = None
        _sync_folder(folder)
    finally:
        os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
