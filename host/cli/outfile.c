/* Durable output. The temporary file lives in the folder of the file it becomes, so that rename() is atomic
 * (same file system); it is removed on every failure path, and by a signal handler when the user interrupts.
 * The rule of what --out may name is in outfile.h. */
#include "outfile.h"

#include "cli.h"
#include "dtypes.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* The temporary file an interrupted run must not leave behind (one being written at a time in this tool). */
static char *volatile pending_tmp;
/* Finished temporary files held for a publish together (a folder's files, cli_outfile_hold), and a folder the
 * run created for them (cli_outfile_hold_folder): an interrupted run removes them too. Changed only with the
 * fatal signals blocked, so that the handler sees a consistent list. */
static char **volatile held;
static volatile size_t n_held;
static const char *volatile held_folder;
/* Whether guard_signals ran: the CLI's handlers are wanted. */
static volatile sig_atomic_t guarded;

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_FATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static void on_fatal_signal(int sig)
{
    char *tmp = pending_tmp;
    if (tmp) unlink(tmp);
    for (size_t i = 0; i < n_held; i++) unlink(held[i]);
    if (held_folder) rmdir(held_folder);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Which of the four were ignored when the tool started: `nohup clinit …` ignores SIGHUP, a script's
 * `clinit … &` SIGINT and SIGQUIT. Those stay ignored, as in well-behaved Unix tools: neither our handler
 * (which would remove the temporary file and die of the signal) nor one the OpenCL runtime installed over
 * SIG_IGN may take their place. Read by the first guard_signals, which comes before anything that starts a
 * runtime (cli_outfile_open precedes cli_gen_open and cli_pick_device; in clinit-mpi, it follows MPI_Init). */
static int ignored_at_start[N_FATAL];
static int dispositions_read;

static void guard_signals(void)
{
    if (!dispositions_read) {
        for (size_t i = 0; i < N_FATAL; i++) {
            struct sigaction old;
            ignored_at_start[i] = sigaction(fatal_signals[i], NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
                                  old.sa_handler == SIG_IGN;
        }
        dispositions_read = 1;
    }
    struct sigaction sa, ignore;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    /* SIG_IGN again after a runtime start also discards an ignored signal that came while it was held. */
    for (size_t i = 0; i < N_FATAL; i++) sigaction(fatal_signals[i], ignored_at_start[i] ? &ignore : &sa, NULL);
    /* Past a file-size limit (ulimit -f) the default action kills us and keeps the temporary file; ignored,
     * the write fails with EFBIG and the ordinary clean-up runs. */
    signal(SIGXFSZ, SIG_IGN);
    guarded = 1;
}

void cli_outfile_signals_hold(sigset_t *saved)
{
    sigset_t block;
    sigemptyset(&block);
    if (guarded)
        for (size_t i = 0; i < N_FATAL; i++) sigaddset(&block, fatal_signals[i]);
    /* Threads the runtime starts meanwhile inherit the blocked mask, so that the signals come to this one. */
    sigprocmask(SIG_BLOCK, &block, saved);
}

void cli_outfile_signals_release(const sigset_t *saved)
{
    if (guarded) guard_signals();
    sigprocmask(SIG_SETMASK, saved, NULL);
}

static void block_fatal(sigset_t *saved)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < N_FATAL; i++) sigaddset(&block, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &block, saved);
}

/* Takes tmp off the held list, if it is there. */
static void unhold(const char *tmp)
{
    sigset_t saved;
    block_fatal(&saved);
    for (size_t i = 0; i < n_held; i++)
        if (held[i] == tmp) {
            held[i] = held[n_held - 1];
            n_held--;
            break;
        }
    sigprocmask(SIG_SETMASK, &saved, NULL);
}

int cli_outfile_hold(cli_outfile *o)
{
    if (!o->tmp) return CLI_OK;
    sigset_t saved;
    block_fatal(&saved);
    char **grown = realloc(held, (n_held + 1) * sizeof *held);
    if (grown) {
        held = grown;
        held[n_held++] = o->tmp;
        pending_tmp = NULL;
    }
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (grown) return CLI_OK;
    cli_outfile_discard(o);
    return cli_runtime_error("out of host memory");
}

void cli_outfile_hold_folder(const char *folder)
{
    sigset_t saved;
    block_fatal(&saved);
    held_folder = folder;
    sigprocmask(SIG_SETMASK, &saved, NULL);
}

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

static int is_special(mode_t mode)
{
    return S_ISCHR(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

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

FILE *cli_outfile_report(const cli_outfile *o)
{
    return o->is_stdout ? stderr : stdout;
}

/* "<folder>/.<name>.XXXXXX" for path "<folder>/<name>", with <name> cut short where that would exceed the
 * folder's limit on a name (NAME_MAX, commonly 255 bytes): the 8 extra bytes would otherwise refuse every
 * name of 248 bytes or more that the folder itself takes. The cut falls between UTF-8 characters, since some
 * file systems refuse invalid UTF-8; mkstemp's six random characters keep the name unique. A name already
 * over the limit is left whole, so that mkstemp refuses it at once rather than rename after the work. */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0, name_len = strlen(path + dir_len);
    char *dir = dir_len ? strndup(path, dir_len) : NULL;
    if (dir_len && !dir) return NULL;
    long max = pathconf(dir ? dir : ".", _PC_NAME_MAX);
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

static int open_temp(cli_outfile *o, const char *flag)
{
    o->tmp = temp_template(o->path);
    if (!o->tmp) return cli_runtime_error("out of host memory");
    /* The file exists from mkstemp on: a signal before pending_tmp names it would leave it behind. */
    sigset_t block, saved;
    sigemptyset(&block);
    for (size_t i = 0; i < N_FATAL; i++) sigaddset(&block, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &block, &saved);
    int fd = mkstemp(o->tmp);
    int err = errno;
    if (fd >= 0) pending_tmp = o->tmp;
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        if (strcmp(o->path, o->target) != 0)
            return cli_usage_error("%s %s: a symbolic link to %s: cannot create a file in that folder: %s", flag,
                                   o->target, o->path, strerror(err));
        return cli_usage_error("%s %s: cannot create a file in its folder: %s", flag, o->target, strerror(err));
    }
    /* mkstemp creates 0600; the result should get the permissions any new file gets. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(o->fp = fdopen(fd, "wb"))) {
        int rc = cli_runtime_error("%s: %s", o->tmp, strerror(errno));
        close(fd);
        cli_outfile_discard(o);
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
    if (fd < 0 || !(o->fp = fdopen(fd, "wb"))) {
        int err = errno;
        if (fd >= 0) close(fd);
        return cli_usage_error("%s %s: %s", flag, o->target, strerror(err));
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
        return err == ENOMEM ? cli_runtime_error("out of host memory")
                             : cli_usage_error("%s %s: following its symbolic links: %s", flag, o->target, strerror(err));
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
                                          "file; the link stays)", flag, o->target, o->path)
                        : cli_usage_error("%s %s: exists (use --force to replace it)", flag, o->target);
        free(o->path);
        o->path = NULL;
        return rc;
    }
    int rc = open_temp(o, flag);
    if (rc != CLI_OK) {
        free(o->path);
        o->path = NULL;
    }
    return rc;
}

/* What no --out may be: a folder, a block device or anything else that is neither a regular file nor a
 * device, FIFO or socket. */
static int refuse_kind(const char *flag, const char *target, const struct stat *st)
{
    if (S_ISDIR(st->st_mode)) return cli_usage_error("%s %s: is a folder", flag, target);
    if (!S_ISREG(st->st_mode) && !is_special(st->st_mode))
        return cli_usage_error("%s %s: neither a regular file nor a character device, FIFO or socket", flag, target);
    return CLI_OK;
}

int cli_outfile_check_kind(const char *flag, const char *target)
{
    struct stat st;
    if (!*target) return cli_usage_error("%s: empty file name", flag);
    return stat(target, &st) == 0 ? refuse_kind(flag, target, &st) : CLI_OK;
}

int cli_outfile_open(cli_outfile *o, const char *flag, const char *target, int force)
{
    memset(o, 0, sizeof *o);
    o->target = target;
    o->force = force;
    if (!*target) return cli_usage_error("%s: empty file name", flag);
    guard_signals();
    struct stat st;
    if (stat(target, &st) != 0) {
        if (errno == ENOENT) return open_replacing(o, flag, NULL);
        return cli_usage_error("%s %s: %s", flag, target, strerror(errno));
    }
    int rc = refuse_kind(flag, target, &st);
    if (rc != CLI_OK) return rc;
    return is_special(st.st_mode) ? open_in_place(o, flag, &st) : open_replacing(o, flag, &st);
}

int cli_outfile_write(cli_outfile *o, const void *data, size_t n)
{
    if (n == 0 || fwrite(data, 1, n, o->fp) == n) return CLI_OK;
    return cli_runtime_error("writing %s: %s", o->target, strerror(errno));
}

static int emit(void *o, const void *bytes, size_t n)
{
    return cli_outfile_write(o, bytes, n);
}

int cli_outfile_write_le(cli_outfile *o, const void *values, size_t count, size_t esize)
{
    return cli_le_each(values, count, esize, emit, o);
}

/* Makes the rename itself durable. Best effort: the data is already synced and in place, and some file
 * systems refuse to sync a folder, so a failure here is no reason to fail the run. */
static void sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        (void)close(fd);
    }
    free(dir);
}

/* Puts the synced temporary file under the name the target's links lead to. Without --force, link() refuses
 * a file that appeared there while we were writing; file systems without hard links fall back to rename(). */
static int publish(cli_outfile *o)
{
    if (!o->force) {
        if (link(o->tmp, o->path) == 0) return unlink(o->tmp) == 0 || errno == ENOENT ? 0 : -1;
        if (errno == EEXIST) return -1;
    }
    return rename(o->tmp, o->path);
}

int cli_outfile_finish(cli_outfile *o)
{
    const char *failed = NULL;
    int err = 0;
    if (fflush(o->fp) != 0) {
        failed = "writing";
        err = errno;
    } else if (o->tmp && fsync(fileno(o->fp)) != 0) {
        failed = "syncing";
        err = errno;
    }
    if (fclose(o->fp) != 0 && !failed) {
        failed = "closing";
        err = errno;
    }
    o->fp = NULL;
    if (!failed) return CLI_OK;
    cli_outfile_discard(o);
    return cli_runtime_error("%s %s: %s", failed, o->target, strerror(err));
}

int cli_outfile_publish(cli_outfile *o)
{
    if (o->tmp && publish(o) != 0) {
        int err = errno;
        cli_outfile_discard(o);
        return cli_runtime_error("%s %s: %s",
                                 err == EEXIST ? "replacing (it appeared meanwhile; use --force)" : "renaming into",
                                 o->target, strerror(err));
    }
    if (o->tmp) sync_folder(o->path);
    unhold(o->tmp);
    if (pending_tmp == o->tmp) pending_tmp = NULL;
    free(o->tmp);
    o->tmp = NULL;
    free(o->path);
    o->path = NULL;
    return CLI_OK;
}

int cli_outfile_publish_reported(cli_outfile *o)
{
    FILE *report = cli_outfile_report(o);
    if (fflush(report) != 0 || ferror(report)) {
        int err = ferror(report) && errno == 0 ? EIO : errno;
        cli_outfile_discard(o);
        return cli_runtime_error("writing to %s: %s", report == stdout ? "stdout" : "stderr", strerror(err));
    }
    return cli_outfile_publish(o);
}

void cli_outfile_discard(cli_outfile *o)
{
    if (o->fp) (void)fclose(o->fp); /* the data is being thrown away: a close error changes nothing */
    o->fp = NULL;
    if (o->tmp) {
        (void)unlink(o->tmp);
        unhold(o->tmp);
        if (pending_tmp == o->tmp) pending_tmp = NULL;
        free(o->tmp);
        o->tmp = NULL;
    }
    free(o->path);
    o->path = NULL;
}
