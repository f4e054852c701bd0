/* Fatal signals and durable output: an interrupted run leaves every output as it found it. */
#include "outfile_guard.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The outputs that have a name to remove or to put back (a list, since several can be open at once). */
static cli_outfile *volatile tracked;
/* A folder the run made for its outputs, removed once they are taken back (cli_outfile_hold_folder). */
static const char *volatile held_folder;
/* Whether outfile_guard_signals ran: the CLI's handlers are wanted. */
static volatile sig_atomic_t guarded;

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_FATAL (sizeof fatal_signals / sizeof fatal_signals[0])

void outfile_take_back(const cli_outfile *o)
{
    struct stat st;
    /* only the file this run published: another run may have put its own under the name since */
    int found = o->path && stat(o->path, &st) == 0, ours = found && st.st_dev == o->dev && st.st_ino == o->ino;
    switch (o->undo) {
    case OUTFILE_RESTORE:
        /* The replaced file returns over ours, or where the name is free; over another run's, it would undo a
         * run that succeeded and said so: that run replaced it, as this one meant to. (ino 0: ours was never
         * known.) */
        if (ours || !found || o->ino == 0)
            (void)rename(o->tmp, o->path);
        else
            (void)unlink(o->tmp);
        return;
    case OUTFILE_REMOVE:
        if (ours) (void)unlink(o->path);
        return;
    case OUTFILE_OPEN:
        if (o->tmp) (void)unlink(o->tmp);
        return;
    default: return;
    }
}

static void on_fatal_signal(int sig)
{
    for (cli_outfile *o = tracked; o; o = o->next_tracked) outfile_take_back(o);
    if (held_folder) (void)rmdir(held_folder);
    signal(sig, SIG_DFL);
    raise(sig);
}

void outfile_track(cli_outfile *o)
{
    for (cli_outfile *t = tracked; t; t = t->next_tracked)
        if (t == o) return;
    o->next_tracked = tracked;
    tracked = o;
}

void cli_outfile_hold_folder(const char *folder)
{
    sigset_t saved;
    outfile_block(&saved);
    held_folder = folder;
    outfile_unblock(&saved);
}

void outfile_untrack(cli_outfile *o)
{
    for (cli_outfile *volatile *p = &tracked; *p; p = &(*p)->next_tracked)
        if (*p == o) {
            *p = o->next_tracked;
            break;
        }
    o->next_tracked = NULL;
}

/* Which of the four were ignored when the tool started: `nohup clinit …` ignores SIGHUP, a script's
 * `clinit … &` SIGINT and SIGQUIT. Those stay ignored, as in well-behaved Unix tools: neither our handler
 * (which would remove the temporary file and die of the signal) nor one the OpenCL runtime installed over
 * SIG_IGN may take their place. Read by the first outfile_guard_signals, which comes before anything that
 * starts a runtime (cli_outfile_open precedes cli_gen_open and cli_pick_device; in clinit-mpi, it follows
 * MPI_Init). */
static int ignored_at_start[N_FATAL];
static int dispositions_read;

void outfile_guard_signals(void)
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
    /* one handler at a time: the second signal waits for the first to have taken everything back */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FATAL; i++) sigaddset(&sa.sa_mask, fatal_signals[i]);
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

void outfile_block(sigset_t *saved)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < N_FATAL; i++) sigaddset(&block, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &block, saved);
}

void outfile_unblock(const sigset_t *saved) { sigprocmask(SIG_SETMASK, saved, NULL); }

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
    if (guarded) outfile_guard_signals();
    sigprocmask(SIG_SETMASK, saved, NULL);
}
