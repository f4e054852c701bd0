/* The signal side of durable output (outfile.c): which outputs a fatal signal must take back, and the
 * handlers that do it. Internal to outfile.c and outfile_guard.c. */
#ifndef CLINIT_CLI_OUTFILE_GUARD_H
#define CLINIT_CLI_OUTFILE_GUARD_H

#include "outfile.h"

#include <signal.h>

/* What cli_outfile.undo holds. */
enum {
    OUTFILE_OPEN = 0,   /* not published: the temporary file, if named, is what to remove */
    OUTFILE_FINAL = 1,  /* published, nothing left to take back (a special file; a rename with no way back) */
    OUTFILE_REMOVE = 2, /* published under a name that was free: taking it back removes it (dev, ino) */
    OUTFILE_RESTORE = 3 /* published over a file, which now has the temporary name: taking back renames it */
};

/* Installs the CLI's handlers of SIGINT, SIGTERM, SIGHUP and SIGQUIT (not over those ignored at start-up). */
void outfile_guard_signals(void);
/* Blocks and unblocks those four around a change of what a handler would read. */
void outfile_block(sigset_t *saved);
void outfile_unblock(const sigset_t *saved);
/* Adds o to (once), or removes it from, the outputs a fatal signal takes back; call with the signals blocked. */
void outfile_track(cli_outfile *o);
void outfile_untrack(cli_outfile *o);
/* Puts back the names as they were before o was opened (outfile.h's discard, without freeing anything):
 * async-signal-safe, for the handler too. */
void outfile_take_back(const cli_outfile *o);

#endif
