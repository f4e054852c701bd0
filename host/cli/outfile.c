/* Durable output. The temporary file lives in the target's folder so that rename() is atomic (same file
 * system); it is removed on every failure path, and by a signal handler when the user interrupts. */
#include "outfile.h"

#include "cli.h"
#include "dtypes.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file an interrupted run must not leave behind (one output at a time in this tool). */
static char *volatile pending_tmp;

static void on_fatal_signal(int sig)
{
    char *tmp = pending_tmp;
    if (tmp) unlink(tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void guard_signals(void)
{
    static const int fatal[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) sigaction(fatal[i], &sa, NULL);
    /* Past a file-size limit (ulimit -f) the default action kills us and keeps the temporary file; ignored,
     * the write fails with EFBIG and the ordinary clean-up runs. */
    signal(SIGXFSZ, SIG_IGN);
}

/* "<folder>/.<name>.XXXXXX" for target "<folder>/<name>". */
static char *temp_template(const char *target)
{
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    size_t size = strlen(target) + sizeof "/..XXXXXX";
    char *tmp = malloc(size);
    if (tmp) snprintf(tmp, size, "%.*s.%s.XXXXXX", (int)dir_len, target, target + dir_len);
    return tmp;
}

static int open_temp(cli_outfile *o, const char *flag)
{
    o->tmp = temp_template(o->target);
    if (!o->tmp) return cli_runtime_error("out of host memory");
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int err = errno;
        free(o->tmp);
        o->tmp = NULL;
        return cli_usage_error("%s %s: cannot create a file in its folder: %s", flag, o->target, strerror(err));
    }
    pending_tmp = o->tmp;
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

int cli_outfile_open(cli_outfile *o, const char *flag, const char *target, int force)
{
    memset(o, 0, sizeof *o);
    o->target = target;
    o->force = force;
    if (!*target) return cli_usage_error("%s: empty file name", flag);
    guard_signals();
    struct stat st;
    /* lstat: a symbolic link is an existing name, dangling or not, and the rename replaces the link itself. */
    if (lstat(target, &st) == 0) {
        int is_link = S_ISLNK(st.st_mode);
        if (S_ISDIR(st.st_mode)) return cli_usage_error("%s %s: is a folder", flag, target);
        if (!S_ISREG(st.st_mode) && !is_link) {
            o->fp = fopen(target, "wb");
            return o->fp ? CLI_OK : cli_usage_error("%s %s: %s", flag, target, strerror(errno));
        }
        if (!force)
            return cli_usage_error("%s %s: exists%s (use --force to replace it)", flag, target,
                                   is_link ? " as a symbolic link" : "");
    }
    return open_temp(o, flag);
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
static void sync_folder(const char *target)
{
    const char *slash = strrchr(target, '/');
    char *dir = slash ? strndup(target, slash == target ? 1 : (size_t)(slash - target)) : strdup(".");
    if (!dir) return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        (void)close(fd);
    }
    free(dir);
}

/* Puts the synced temporary file under the target's name. Without --force, link() refuses a target that
 * appeared while we were writing; file systems without hard links fall back to rename(). */
static int publish(cli_outfile *o)
{
    if (!o->force) {
        if (link(o->tmp, o->target) == 0) return unlink(o->tmp) == 0 || errno == ENOENT ? 0 : -1;
        if (errno == EEXIST) return -1;
    }
    return rename(o->tmp, o->target);
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
    if (o->tmp) sync_folder(o->target);
    pending_tmp = NULL;
    free(o->tmp);
    o->tmp = NULL;
    return CLI_OK;
}

int cli_outfile_commit(cli_outfile *o)
{
    int rc = cli_outfile_finish(o);
    return rc == CLI_OK ? cli_outfile_publish(o) : rc;
}

void cli_outfile_discard(cli_outfile *o)
{
    if (o->fp) (void)fclose(o->fp); /* the data is being thrown away: a close error changes nothing */
    o->fp = NULL;
    if (o->tmp) {
        (void)unlink(o->tmp);
        pending_tmp = NULL;
        free(o->tmp);
        o->tmp = NULL;
    }
}
