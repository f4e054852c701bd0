/* Durable output: a file appears under its name complete and synced, or not at all. */
#ifndef CLINIT_CLI_OUTFILE_H
#define CLINIT_CLI_OUTFILE_H

#include <signal.h>
#include <stdio.h>

typedef struct cli_outfile {
    const char *target; /* the name the caller asked for (messages name it) */
    char *path;         /* where the file goes: target's symbolic links followed; NULL when writing in place */
    char *tmp;          /* the temporary file in path's folder; NULL when writing in place */
    FILE *fp;
    int force;
    int is_stdout; /* the output is the file standard output writes to (cli_outfile_report) */
} cli_outfile;

/*
 * Starts writing `target` (flag names the option, for messages). The rule, for every tool (clinit sample
 * and init, clinit-mpi):
 * - `target` is followed through its symbolic links (a dangling one too: to the name it points to), and what
 *   decides is what they lead to; a link itself is never replaced nor removed;
 * - a regular file, or no file: the result is written to a temporary file in the folder of that file and
 *   renamed over it by cli_outfile_publish (an existing one only with `force`);
 * - a character device, FIFO or socket (/dev/null, a pipe, /dev/stdout on a terminal or pipe): written in
 *   place, without `force` and without a temporary file: there is nothing to replace;
 * - a folder, a block device or anything else: an error.
 * Returns CLI_OK, or CLI_USAGE / CLI_RUNTIME after a message; on failure nothing is left behind.
 */
int cli_outfile_open(cli_outfile *o, const char *flag, const char *target, int force);
/* The error cli_outfile_open would give for what `target` is (empty, a folder, a block device, …), after its
 * message; CLI_OK when it is a regular file, a device, FIFO or socket, or nothing. For the tools to check
 * before the rule on names (`--out /tmp` is a folder, whatever its name says of the format). */
int cli_outfile_check_kind(const char *flag, const char *target);
/* Whether cli_outfile_open would write `target` in place (it is, or its links lead to, a character device,
 * a FIFO or a socket): such names need not say the file format. */
int cli_outfile_special(const char *target);
/* Where the tool's report of this output (a summary line, a histogram) goes: stdout, or stderr when the
 * output is the file standard output writes to (--out /dev/stdout, a link to it, or the regular file stdout
 * is redirected to and --force replaces), so that no line is appended to the data. Valid after a successful
 * cli_outfile_open, also after finish. */
FILE *cli_outfile_report(const cli_outfile *o);
/* Appends n bytes. CLI_OK, or CLI_RUNTIME after a message. */
int cli_outfile_write(cli_outfile *o, const void *data, size_t n);
/* Appends count elements of esize bytes as little-endian, whatever the host's byte order. */
int cli_outfile_write_le(cli_outfile *o, const void *values, size_t count, size_t esize);
/* Committing in two steps: finish flushes, syncs and closes; publish renames into place (clinit-mpi's ranks
 * agree between them before any file appears). Each: CLI_OK, or an exit status after a message and
 * discarding. cli_outfile_discard after finish removes the finished temporary file. */
int cli_outfile_finish(cli_outfile *o);
int cli_outfile_publish(cli_outfile *o);
/* cli_outfile_publish once the command's report (cli_outfile_report, written between finish and here) is out:
 * a run that cannot write its report (stdout on a full disk, or closed) fails whole, exit 1, and leaves no
 * file (a special file was written in place: it stays written). */
int cli_outfile_publish_reported(cli_outfile *o);
/* After cli_outfile_finish, for outputs published together (a folder's files): keeps o's temporary file on the
 * list an interrupted run removes, while the next output is written. CLI_OK, or CLI_RUNTIME after a message
 * and discarding. cli_outfile_publish and cli_outfile_discard take it off the list. */
int cli_outfile_hold(cli_outfile *o);
/* A folder the run created for its outputs (NULL: none), removed (when empty) by an interrupted run. The string
 * must live until the run ends or cli_outfile_hold_folder(NULL). */
void cli_outfile_hold_folder(const char *folder);
/* Closes and removes the temporary file. Safe after a failed open, write or commit. */
void cli_outfile_discard(cli_outfile *o);

/*
 * An open output catches SIGINT, SIGTERM, SIGHUP and SIGQUIT to remove its temporary file before dying of
 * the signal, except those that were ignored when the tool started (nohup's SIGHUP), which stay ignored.
 * OpenCL runtimes install handlers of their own when they start (PoCL's LLVM does, for these four among
 * others, and swallows the first SIGQUIT), so whatever may start one runs between these two: hold blocks the
 * four signals (when an output is open), release installs the CLI's handlers (or SIG_IGN) again and unblocks
 * them, which delivers a signal that arrived meanwhile (and discards an ignored one).
 */
void cli_outfile_signals_hold(sigset_t *saved);
void cli_outfile_signals_release(const sigset_t *saved);

#endif
