/* Durable output: the mechanism outfile.h describes. The temporary file lives in the folder of the file it
 * becomes, so that link() and rename() are atomic (same file system). */
#define _GNU_SOURCE /* O_TMPFILE, renameat2(RENAME_EXCHANGE): Linux's; elsewhere a named file and rename() */
#include "outfile.h"

#include "cli.h"
#include "dtypes.h"
#include "outfile_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* The target of the symbolic link `link` (st_size bytes, or 0 for /proc's links), NUL-terminated; NULL with
 * errno set. */
static char *read_link(const char *link, off_t st_size)
{
    size_t size = st_size > 0 ? (size_t)st_size + 1 : 256;
    for (;;) {
        char *buf = malloc(size);
        if (!buf) return NULL;
        ssize_t n = readlink(link, buf, size);
        if (n >= 0 && (size_t)n < size) {
            buf[n] = '\0';
            return buf;
        }
        free(buf);
        if (n < 0) return NULL;
        size *= 2;
    }
}

/* `target` with the chain of symbolic links its last component names followed to its end: the name of an
 * existing file that is not a link, or of none (a dangling link's). A relative link is read from the link's
 * folder. NULL with errno set (ELOOP after 40 links, as the kernel counts). */
static char *follow_links(const char *target)
{
    char *path = strdup(target);
    for (int hops = 0; path; hops++) {
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) return path;
        char *to = hops < 40 ? read_link(path, st.st_size) : NULL;
        if (hops >= 40) errno = ELOOP;
        if (!to) {
            int err = errno;
            free(path);
            errno = err;
            return NULL;
        }
        const char *slash = strrchr(path, '/');
        size_t dir_len = to[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
        char *next = malloc(dir_len + strlen(to) + 1);
        if (next) {
            memcpy(next, path, dir_len);
            strcpy(next + dir_len, to);
        }
        free(to);
        free(path);
        path = next;
    }
    errno = ENOMEM;
    return NULL;
}

static int is_special(mode_t mode) { return S_ISCHR(mode) || S_ISFIFO(mode) || S_ISSOCK(mode); }

int cli_outfile_special(const char *target)
{
    struct stat st;
    return *target && stat(target, &st) == 0 && is_special(st.st_mode);
}

/* Whether `st` is the file standard output writes to: the same file (a pipe, a socket, a terminal or a
 * regular file by any name), or a character device node of the same device under another name. */
static int is_stdout(const struct stat *st)
{
    struct stat out;
    if (fstat(STDOUT_FILENO, &out) != 0) return 0;
    if (out.st_dev == st->st_dev && out.st_ino == st->st_ino) return 1;
    return S_ISCHR(st->st_mode) && S_ISCHR(out.st_mode) && st->st_rdev == out.st_rdev;
}

FILE *cli_outfile_report(const cli_outfile *o) { return o->report; }

/* The data never takes descriptor 0, 1 or 2: with stdout closed, the report would go into the data. */
static int above_standard(int fd)
{
    if (fd < 0 || fd > STDERR_FILENO) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    int err = errno;
    close(fd);
    errno = err;
    return moved;
}

/* The folder of path ("." for a bare name); NULL when out of memory. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* "<folder>/.<name>.XXXXXX" for path "<folder>/<name>", with <name> cut short where that would exceed the
 * folder's limit on a name (NAME_MAX, commonly 255 bytes): the 8 extra bytes would otherwise refuse every
 * name of 248 bytes or more that the folder itself takes. The cut falls between UTF-8 characters, since some
 * file systems refuse invalid UTF-8; the six random characters keep the name unique. A name already over the
 * limit is left whole, so that the temporary file is refused at once rather than the rename after the work. */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0, name_len = strlen(path + dir_len);
    char *dir = folder_of(path);
    if (!dir) return NULL;
    long max = pathconf(dir, _PC_NAME_MAX);
    free(dir);
    size_t limit = max > 0 ? (size_t)max : 255, extra = sizeof "..XXXXXX" - 1;
    size_t keep = name_len;
    if (name_len <= limit && name_len + extra > limit) {
        keep = limit > extra ? limit - extra : 0;
        while (keep > 0 && ((unsigned char)path[dir_len + keep] & 0xC0) == 0x80) keep--;
    }
    size_t size = dir_len + keep + extra + 1;
    char *tmp = malloc(size);
    if (tmp) snprintf(tmp, size, "%.*s.%.*s.XXXXXX", (int)dir_len, path, (int)keep, path + dir_len);
    return tmp;
}

/* The data file, unnamed: an O_TMPFILE file in path's folder, which no crash can leave behind, or -1 where
 * the file system or kernel has none (or /proc, through which publish gives it a name). */
static int open_unnamed(const char *path)
{
#ifdef O_TMPFILE
    char *dir = folder_of(path);
    int fd = dir ? open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600) : -1;
    free(dir);
    if (fd >= 0 && access("/proc/self/fd", X_OK) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
#else
    (void)path;
    return -1;
#endif
}

/* The data file under a hidden name (mkstemp), tracked so that a fatal signal removes it. */
static int open_named(cli_outfile *o)
{
    if (!(o->tmp = temp_template(o->path))) {
        errno = ENOMEM;
        return -1;
    }
    sigset_t saved;
    outfile_block(&saved); /* the file exists from mkstemp on: a signal before it is tracked would keep it */
    int fd = mkstemp(o->tmp);
    int err = errno;
    if (fd >= 0) outfile_track(o);
    outfile_unblock(&saved);
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
    }
    errno = err;
    return fd;
}

/* The permissions of the file replaced (`old`), and its owner and group where this process may set them;
 * a new file gets those any new file gets (0666 less the umask). */
static int take_permissions(int fd, const struct stat *old)
{
    mode_t mask = umask(0);
    umask(mask);
    /* before the chmod, which a change of owner would undo; refused (not root, not a member): kept ours */
    if (old && (old->st_uid != geteuid() || old->st_gid != getegid()) && fchown(fd, old->st_uid, old->st_gid) != 0)
        (void)!fchown(fd, (uid_t)-1, old->st_gid);
    return fchmod(fd, old ? old->st_mode & 0777 : 0666 & ~mask);
}

static int open_temp(cli_outfile *o, const char *flag, const struct stat *old)
{
    int fd = open_unnamed(o->path);
    o->unnamed = fd >= 0;
    if (fd < 0 && (fd = open_named(o)) < 0) {
        int err = errno;
        if (err == ENOMEM) return cli_runtime_error("out of host memory");
        if (strcmp(o->path, o->target) != 0)
            return cli_errno_error(err, "%s %s: a symbolic link to %s: cannot create a file in that folder: %s", flag,
                                   o->target, o->path, strerror(err));
        return cli_errno_error(err, "%s %s: cannot create a file in its folder: %s", flag, o->target, strerror(err));
    }
    if ((fd = above_standard(fd)) < 0 || take_permissions(fd, old) != 0 || !(o->fp = fdopen(fd, "wb"))) {
        int rc = cli_runtime_error("%s: %s", o->tmp ? o->tmp : o->target, strerror(errno));
        if (fd >= 0) close(fd);
        return rc;
    }
    return CLI_OK;
}

/* A socket cannot be open()ed: our own stdout or stderr is written through a copy of its descriptor, another
 * one (a listening Unix socket's name) is connected to. -1 with errno set. */
static int open_socket(const char *target, const struct stat *st)
{
    for (int std = STDOUT_FILENO; std <= STDERR_FILENO; std++) {
        struct stat s;
        if (fstat(std, &s) == 0 && s.st_dev == st->st_dev && s.st_ino == st->st_ino) return dup(std);
    }
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(target) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, target);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (const struct sockaddr *)&addr, sizeof addr) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        fd = -1;
    }
    return fd;
}

/* A device, FIFO or socket, written as it is (a FIFO's open waits for its reader). */
static int open_in_place(cli_outfile *o, const char *flag, const struct stat *st)
{
    int fd = S_ISSOCK(st->st_mode) ? open_socket(o->target, st) : open(o->target, O_WRONLY | O_NOCTTY);
    struct stat now;
    int known = fd >= 0 && fstat(fd, &now) == 0;
    if (known && !is_special(now.st_mode)) { /* replaced since the stat */
        close(fd);
        return cli_usage_error("%s %s: changed while being opened", flag, o->target);
    }
    o->is_stdout = known && is_stdout(&now);
    fd = above_standard(fd);
    if (fd < 0 || !(o->fp = fdopen(fd, "wb"))) {
        int err = errno;
        if (fd >= 0) close(fd);
        return cli_errno_error(err, "%s %s: %s", flag, o->target, strerror(err));
    }
    return CLI_OK;
}

/* A regular file or none: the name the links lead to, which must be the file stat found (`st`, NULL when
 * there is none), and a temporary file in its folder. */
static int open_replacing(cli_outfile *o, const char *flag, const struct stat *st)
{
    o->path = follow_links(o->target);
    if (!o->path) {
        int err = errno;
        return err == ENOMEM
                   ? cli_runtime_error("out of host memory")
                   : cli_errno_error(err, "%s %s: following its symbolic links: %s", flag, o->target, strerror(err));
    }
    struct stat end;
    int found = lstat(o->path, &end) == 0;
    /* What /proc's links name need not exist ("/x (deleted)"): then there is no name to replace. */
    if (st ? !found || end.st_dev != st->st_dev || end.st_ino != st->st_ino : found || errno != ENOENT) {
        int rc = cli_usage_error("%s %s: leads to %s, which is not the file it names", flag, o->target, o->path);
        free(o->path);
        o->path = NULL;
        return rc;
    }
    int linked = strcmp(o->path, o->target) != 0;
    /* stdout redirected to the file --force replaces: a report there would go to the replaced file. */
    o->is_stdout = st && is_stdout(st);
    if (st && !o->force) {
        int rc = linked ? cli_usage_error("%s %s: a symbolic link to the existing %s (use --force to replace that "
                                          "file; the link stays)",
                                          flag, o->target, o->path)
                        : cli_usage_error("%s %s: exists (use --force to replace it)", flag, o->target);
        free(o->path);
        o->path = NULL;
        return rc;
    }
    int rc = open_temp(o, flag, st);
    if (rc != CLI_OK) {
        free(o->path);
        o->path = NULL;
    }
    return rc;
}

/* The files the run reads (cli_outfile_input). */
static struct {
    const char *flag, *name;
    dev_t dev;
    ino_t ino;
} inputs[4];
static size_t n_inputs;

void cli_outfile_input(const char *flag, const char *name, const struct stat *st)
{
    if (S_ISREG(st->st_mode) && n_inputs < sizeof inputs / sizeof inputs[0])
        inputs[n_inputs].flag = flag, inputs[n_inputs].name = name, inputs[n_inputs].dev = st->st_dev,
        inputs[n_inputs++].ino = st->st_ino;
}

/* The index of the input `st` is, or -1. */
static long input_index(const struct stat *st)
{
    for (size_t i = 0; i < n_inputs; i++)
        if (S_ISREG(st->st_mode) && inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino) return (long)i;
    return -1;
}

int cli_outfile_is_input(const struct stat *st) { return input_index(st) >= 0; }

/* What no --out may be: a folder, a block device or anything else that is neither a regular file nor a
 * device, FIFO or socket; nor a file the run reads, which --force would replace with the output. */
static int refuse_kind(const char *flag, const char *target, const struct stat *st)
{
    if (S_ISDIR(st->st_mode)) return cli_usage_error("%s %s: is a folder", flag, target);
    if (!S_ISREG(st->st_mode) && !is_special(st->st_mode))
        return cli_usage_error("%s %s: neither a regular file nor a character device, FIFO or socket", flag, target);
    long in = input_index(st);
    if (in >= 0)
        return cli_usage_error("%s %s: is the file %s %s, which this run reads: writing it would lose it (choose "
                               "another name)",
                               flag, target, inputs[in].flag, inputs[in].name);
    return CLI_OK;
}

int cli_outfile_check_path(const char *flag, const char *target)
{
    char *path = strdup(target);
    if (!path) return cli_runtime_error("out of host memory");
    int rc = CLI_OK;
    struct stat st;
    /* each leading part ("a", "a/b" of "a/b/c.npy"; "a" of "a/") that exists must be a folder */
    for (char *slash = strchr(path + 1, '/'); slash && rc == CLI_OK; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (stat(path, &st) != 0) break; /* missing: the run says so where it makes or opens it */
        if (!S_ISDIR(st.st_mode)) rc = cli_usage_error("%s %s: %s is not a folder", flag, target, path);
        *slash = '/';
    }
    free(path);
    return rc;
}

int cli_outfile_check_kind(const char *flag, const char *target)
{
    struct stat st;
    if (!*target) return cli_usage_error("%s: empty file name", flag);
    int rc = cli_outfile_check_path(flag, target);
    if (rc != CLI_OK) return rc;
    return stat(target, &st) == 0 ? refuse_kind(flag, target, &st) : CLI_OK;
}

int cli_outfile_open(cli_outfile *o, const char *flag, const char *target, int force)
{
    memset(o, 0, sizeof *o);
    o->target = target;
    o->force = force;
    if (!*target) return cli_usage_error("%s: empty file name", flag);
    outfile_guard_signals();
    /* The report is held back until the file is in place (cli_outfile_publish_reported). */
    if (!(o->report = open_memstream(&o->report_text, &o->report_size))) return cli_runtime_error("out of host memory");
    struct stat st;
    int rc;
    if (stat(target, &st) != 0) {
        int err = errno;
        rc = err == ENOENT ? open_replacing(o, flag, NULL) : cli_outfile_check_path(flag, target);
        if (err != ENOENT && rc == CLI_OK) rc = cli_errno_error(err, "%s %s: %s", flag, target, strerror(err));
    } else if ((rc = refuse_kind(flag, target, &st)) == CLI_OK)
        rc = is_special(st.st_mode) ? open_in_place(o, flag, &st) : open_replacing(o, flag, &st);
    if (rc != CLI_OK) cli_outfile_discard(o);
    return rc;
}

int cli_outfile_write(cli_outfile *o, const void *data, size_t n)
{
    if (n == 0 || fwrite(data, 1, n, o->fp) == n) return CLI_OK;
    return cli_runtime_error("writing %s: %s", o->target, strerror(errno));
}

static int emit(void *o, const void *bytes, size_t n) { return cli_outfile_write(o, bytes, n); }

int cli_outfile_write_le(cli_outfile *o, const void *values, size_t count, size_t esize)
{
    return cli_le_each(values, count, esize, emit, o);
}

/* Makes a rename durable. Best effort: the data is already synced and in place, and some file systems
 * refuse to sync a folder, so a failure here is no reason to fail the run. */
static void sync_folder(const char *path)
{
    char *dir = folder_of(path);
    int fd = dir ? open(dir, O_RDONLY) : -1;
    if (fd >= 0) {
        (void)fsync(fd);
        (void)close(fd);
    }
    free(dir);
}

int cli_outfile_finish(cli_outfile *o)
{
    const char *failed = NULL;
    int err = 0;
    struct stat st;
    if (fflush(o->fp) != 0) {
        failed = "writing";
        err = errno;
    } else if (o->path && fsync(fileno(o->fp)) != 0) {
        failed = "syncing";
        err = errno;
    } else if (o->path && fstat(fileno(o->fp), &st) == 0) {
        o->dev = st.st_dev;
        o->ino = st.st_ino;
    }
    /* An unnamed file lives only as long as its descriptor: it stays open until publish. */
    if (!o->unnamed || failed) {
        if (fclose(o->fp) != 0 && !failed) {
            failed = "closing";
            err = errno;
        }
        o->fp = NULL;
    }
    if (!failed) return CLI_OK;
    cli_outfile_discard(o);
    return cli_runtime_error("%s %s: %s", failed, o->target, strerror(err));
}

/* Links the data under `name`; an unnamed file through /proc (linkat with AT_EMPTY_PATH would need a
 * privilege). */
static int link_data(const cli_outfile *o, const char *name)
{
    if (!o->unnamed) return link(o->tmp, name);
    char proc[48];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->fp));
    return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

/* Six characters of [A-Za-z0-9] that differ from call to call and from process to process. */
static void random_suffix(char *x)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static uint64_t calls;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t h = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 40) ^ ++calls;
    h ^= h >> 33, h *= 0xff51afd7ed558ccdULL, h ^= h >> 33, h *= 0xc4ceb9fe1a85ec53ULL, h ^= h >> 33;
    for (int i = 0; i < 6; i++, h /= 62) x[i] = set[h % 62];
}

/* Gives the unnamed data a hidden name in its folder (the file it replaces must be renamed over). Called
 * with the fatal signals blocked. */
static int name_unnamed(cli_outfile *o)
{
    if (!(o->tmp = temp_template(o->path))) {
        errno = ENOMEM;
        return -1;
    }
    char *x = o->tmp + strlen(o->tmp) - 6;
    for (int tries = 0; tries < 100; tries++) {
        random_suffix(x);
        if (link_data(o, o->tmp) == 0) {
            outfile_track(o);
            return 0;
        }
        if (errno != EEXIST) break;
    }
    int err = errno;
    free(o->tmp);
    o->tmp = NULL;
    errno = err;
    return -1;
}

int cli_outfile_hold(cli_outfile *o)
{
    if (!o->unnamed || !o->fp) return CLI_OK;
    sigset_t saved;
    outfile_block(&saved);
    int rc = name_unnamed(o), err = errno;
    outfile_unblock(&saved);
    if (rc != 0) {
        cli_outfile_discard(o);
        return err == ENOMEM ? cli_runtime_error("out of host memory")
                             : cli_runtime_error("naming the temporary file of %s: %s", o->target, strerror(err));
    }
    (void)fclose(o->fp); /* synced by finish; the name keeps the data */
    o->fp = NULL;
    o->unnamed = 0;
    return CLI_OK;
}

/* Whether link() failing with err means that the file system has no hard links (rename() is left). */
static int no_hard_links(int err)
{
    return err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EXDEV || err == EMLINK || err == ENOSYS;
}

/* The data under o->path, and o->undo the way back. Without --force, link() refuses a file that appeared
 * there while we were writing; with it, RENAME_EXCHANGE swaps the data and the old file, which keeps the
 * temporary name until commit. Called with the fatal signals blocked. 0, or -1 with errno set. */
static int put_in_place(cli_outfile *o)
{
    if (link_data(o, o->path) == 0) {
        if (o->tmp) (void)unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        o->undo = OUTFILE_REMOVE;
        outfile_track(o); /* an unnamed file was not tracked: now there is a name to take back */
        return 0;
    }
    int err = errno;
    if (err == EEXIST ? !o->force : !no_hard_links(err)) return -1;
    if (o->unnamed && !o->tmp && name_unnamed(o) != 0) return -1;
#ifdef RENAME_EXCHANGE
    if (err == EEXIST && renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_EXCHANGE) == 0) {
        o->undo = OUTFILE_RESTORE;
        return 0;
    }
#endif
    if (rename(o->tmp, o->path) != 0) return -1;
    free(o->tmp);
    o->tmp = NULL;
    /* a file replaced without RENAME_EXCHANGE is gone: there is no way back */
    o->undo = err == EEXIST ? OUTFILE_FINAL : OUTFILE_REMOVE;
    return 0;
}

int cli_outfile_publish(cli_outfile *o)
{
    if (!o->path) { /* written in place */
        o->undo = OUTFILE_FINAL;
        return CLI_OK;
    }
    sigset_t saved;
    outfile_block(&saved);
    int rc = put_in_place(o), err = errno;
    outfile_unblock(&saved);
    if (rc != 0) {
        cli_outfile_discard(o);
        return cli_runtime_error("%s %s: %s",
                                 err == EEXIST ? "replacing (it appeared meanwhile; use --force)" : "renaming into",
                                 o->target, strerror(err));
    }
    if (o->fp) (void)fclose(o->fp); /* the unnamed file has its name: its descriptor may go */
    o->fp = NULL;
    sync_folder(o->path);
    return CLI_OK;
}

/* Frees what o holds, its names left as they are. */
static void release(cli_outfile *o)
{
    sigset_t saved;
    outfile_block(&saved);
    outfile_untrack(o);
    outfile_unblock(&saved);
    if (o->fp) (void)fclose(o->fp); /* the data is being thrown away: a close error changes nothing */
    o->fp = NULL;
    if (o->report) (void)fclose(o->report);
    o->report = NULL;
    free(o->report_text);
    o->report_text = NULL;
    free(o->tmp);
    o->tmp = NULL;
    free(o->path);
    o->path = NULL;
}

void cli_outfile_commit(cli_outfile *o)
{
    if (o->undo == OUTFILE_RESTORE) (void)unlink(o->tmp); /* the replaced file */
    o->undo = OUTFILE_FINAL;
    release(o);
}

/* Writes the report text to `to` with SIGPIPE ignored: a pipe nobody reads fails the write (EPIPE) instead of
 * killing us with the files half taken back. 0, or the errno of the failure. */
static int print_report(FILE *to, const char *text, size_t size)
{
    struct sigaction ignore, old;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &old);
    errno = 0;
    int ok = fwrite(text, 1, size, to) == size && fflush(to) == 0 && !ferror(to);
    int err = ok ? 0 : errno ? errno : EIO;
    sigaction(SIGPIPE, &old, NULL);
    return err;
}

int cli_outfile_publish_all_reported(cli_outfile *o, size_t n)
{
    if (n == 0) return CLI_OK;
    cli_outfile *last = &o[n - 1];
    FILE *to = last->is_stdout ? stderr : stdout;
    int rc = fclose(last->report) == 0 ? CLI_OK : cli_runtime_error("out of host memory for the report");
    last->report = NULL; /* its text is in report_text, report_size */
    for (size_t i = 0; i < n && rc == CLI_OK; i++) rc = cli_outfile_publish(&o[i]);
    int err = rc == CLI_OK ? print_report(to, last->report_text, last->report_size) : 0;
    if (err) rc = cli_runtime_error("writing to %s: %s", to == stdout ? "stdout" : "stderr", strerror(err));
    for (size_t i = 0; i < n; i++) {
        if (rc == CLI_OK)
            cli_outfile_commit(&o[i]);
        else
            cli_outfile_discard(&o[i]);
    }
    return rc;
}

int cli_outfile_publish_reported(cli_outfile *o) { return cli_outfile_publish_all_reported(o, 1); }

void cli_outfile_discard(cli_outfile *o)
{
    sigset_t saved;
    outfile_block(&saved);
    if (o->fp) (void)fclose(o->fp); /* an unnamed file vanishes here */
    o->fp = NULL;
    outfile_take_back(o);
    if (o->undo == OUTFILE_REMOVE || o->undo == OUTFILE_RESTORE) sync_folder(o->path);
    o->undo = OUTFILE_FINAL;
    outfile_unblock(&saved);
    release(o);
}
