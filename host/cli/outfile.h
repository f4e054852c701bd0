/* Durable output: a file appears under its name complete and synced, or not at all. Every file a clinit tool
 * writes goes through here (clinit sample and init, clinit-mpi's rank files, and any writer added later: one
 * cli_outfile per file), so that all of them share one rule:
 *
 *   open      a temporary file in the folder of the file it becomes (an unnamed O_TMPFILE file where the file
 *             system has them: a process killed at any point, even by SIGKILL, leaves nothing behind; else a
 *             hidden ".NAME.XXXXXX", removed on every failure path and by the handlers of SIGINT, SIGTERM,
 *             SIGHUP and SIGQUIT); a file it replaces lends it its permissions (and owner, where allowed);
 *   write     the bytes, and the command's report (a summary line) into memory, not yet to the terminal;
 *   finish    flush and fsync;
 *   publish   link it under its name (without --force: a file that appeared meanwhile is not replaced) or
 *             rename it over the old file (atomically, the old one kept aside until commit), fsync the folder;
 *   report    only then the report goes to stdout (cli_outfile_publish_reported);
 *   commit    forget the old file; or discard, which at any stage puts back what was there before open.
 *
 * Typical use, one file:
 *     cli_outfile o;
 *     if ((rc = cli_outfile_open(&o, "--out", name, force)) != CLI_OK) return rc;
 *     rc = cli_outfile_write(&o, bytes, n);                   // as many as needed
 *     if (rc == CLI_OK) rc = cli_outfile_finish(&o); else cli_outfile_discard(&o);
 *     if (rc == CLI_OK) fprintf(cli_outfile_report(&o), "wrote %s\n", name);
 *     if (rc == CLI_OK) rc = cli_outfile_publish_reported(&o);  // publishes, prints, commits (or undoes)
 * Several files that must appear together: in one process (a sharded folder) finish and cli_outfile_hold each,
 * then cli_outfile_publish_all_reported; across processes (clinit-mpi's ranks) finish each, publish each once
 * all have finished, then commit each, or discard each (which also takes back the ones already published). */
#ifndef CLINIT_CLI_OUTFILE_H
#define CLINIT_CLI_OUTFILE_H

#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct cli_outfile {
    const char *target; /* the name the caller asked for (messages name it) */
    char *path;         /* where the file goes: target's symbolic links followed; NULL when writing in place */
    char *tmp;          /* the temporary file's name in path's folder; NULL while it has none (O_TMPFILE) */
    FILE *fp;
    int unnamed; /* the data is an O_TMPFILE file, which gets a name only when published */
    int force;
    int is_stdout;     /* the output is the file standard output writes to (cli_outfile_report) */
    FILE *report;      /* the command's report, in memory until published */
    char *report_text; /* open_memstream's buffer of report */
    size_t report_size;
    int undo;  /* after publish: what discard does to put the old state back (outfile.c) */
    dev_t dev; /* the published file, so that discard removes only that one */
    ino_t ino;
    struct cli_outfile *next_tracked; /* the outputs a fatal signal takes back (outfile_guard.c) */
} cli_outfile;

/*
 * Starts writing `target` (flag names the option, for messages). The rule, for every tool (clinit sample
 * and init, clinit-mpi):
 * - `target` is followed through its symbolic links (a dangling one too: to the name it points to), and what
 *   decides is what they lead to; a link itself is never replaced nor removed;
 * - a regular file, or no file: the result is written to a temporary file in the folder of that file and
 *   put under that name by cli_outfile_publish (an existing one only with `force`; it keeps the replaced
 *   file's permission bits, and its owner and group where the process may set them);
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
/* Every leading part of `target` that exists ("a" and "a/b" of "a/b/c.npy", "a" of "a/") is a folder: CLI_OK, or
 * CLI_USAGE after "FLAG TARGET: PART is not a folder" (a regular file followed by /). */
int cli_outfile_check_path(const char *flag, const char *target);
/* Whether cli_outfile_open would write `target` in place (it is, or its links lead to, a character device,
 * a FIFO or a socket): such names need not say the file format. */
int cli_outfile_special(const char *target);
/* Where the tool writes its report of this output (a summary line, a histogram): a stream in memory that
 * cli_outfile_publish_reported prints once the file is in place, to stdout, or to stderr when the output is
 * the file standard output writes to (--out /dev/stdout, a link to it, or the regular file stdout is
 * redirected to and --force replaces), so that no line is appended to the data. Valid from a successful
 * cli_outfile_open until publish_reported or discard. */
FILE *cli_outfile_report(const cli_outfile *o);
/* Appends n bytes. CLI_OK, or CLI_RUNTIME after a message. */
int cli_outfile_write(cli_outfile *o, const void *data, size_t n);
/* Appends count elements of esize bytes as little-endian, whatever the host's byte order. */
int cli_outfile_write_le(cli_outfile *o, const void *values, size_t count, size_t esize);
/* Flushes and syncs the data. CLI_OK, or an exit status after a message and discarding. */
int cli_outfile_finish(cli_outfile *o);
/* Puts the finished file under its name and syncs the folder; until cli_outfile_commit, cli_outfile_discard
 * still takes it back (the replaced file returns; a new name goes). CLI_OK, or an exit status after a message
 * and discarding (without `force`, a file that appeared under the name since open is an error: "replacing (it
 * appeared meanwhile; use --force)"). A special file written in place has nothing to publish. */
int cli_outfile_publish(cli_outfile *o);
/* Ends a published output for good: the replaced file is gone, nothing of `o` is left to free. */
void cli_outfile_commit(cli_outfile *o);
/* cli_outfile_publish, then the report (cli_outfile_report) printed, then commit: a report line is never
 * seen for a file that is not in place. A run that cannot print its report (stdout on a full disk, closed, a
 * pipe nobody reads) fails whole, exit 1, and the published file is taken back: the old file, or none (a
 * special file was written in place: it stays written). */
int cli_outfile_publish_reported(cli_outfile *o);
/* cli_outfile_publish_reported for n outputs that appear together (a folder's files), published in order (the
 * last one the file a reader looks for first, such as an index), then the last one's report printed, then
 * every one committed; a failure at any step takes every one back (those already published too). */
int cli_outfile_publish_all_reported(cli_outfile *o, size_t n);
/* Puts back what was there before open: removes the temporary file, or after publish the new file (the file
 * it replaced returns under its name). Safe after a failed open, write, finish or publish, and twice. */
void cli_outfile_discard(cli_outfile *o);
/* For outputs published together (a folder's files), after cli_outfile_finish: an unnamed file gets its hidden
 * name now and its descriptor is closed, so that a folder of many shards holds no descriptor per shard (a
 * fatal signal still removes it; only SIGKILL can leave it). CLI_OK, or CLI_RUNTIME after a message and
 * discarding. */
int cli_outfile_hold(cli_outfile *o);
/* A folder the run created for its outputs (NULL: none), removed (when empty) by a fatal signal once the
 * outputs are taken back. The string must live until the run ends or cli_outfile_hold_folder(NULL). */
void cli_outfile_hold_folder(const char *folder);
/* Names the regular file `st` (an open input's fstat: a manifest) as one the run reads, under `flag` and `name`
 * for messages: cli_outfile_open refuses it as an output even with `force`, since replacing it would lose the
 * input (`clinit init --manifest m.safetensors --out m.safetensors --force`). Up to 4 inputs are remembered;
 * anything but a regular file is ignored. */
void cli_outfile_input(const char *flag, const char *name, const struct stat *st);
/* Whether `st` is a file cli_outfile_input named. */
int cli_outfile_is_input(const struct stat *st);

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
