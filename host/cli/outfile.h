/* Durable output: a file appears under its name complete and synced, or not at all. */
#ifndef CLINIT_CLI_OUTFILE_H
#define CLINIT_CLI_OUTFILE_H

#include <stdio.h>

typedef struct cli_outfile {
    const char *target; /* the name the caller asked for */
    char *tmp;          /* the temporary file in the target's folder; NULL when writing in place */
    FILE *fp;
    int force;
} cli_outfile;

/*
 * Starts writing `target` (flag names the option, for messages). The result is written to a temporary file
 * next to it and renamed over it by cli_outfile_commit; an existing target is refused unless `force`, a
 * symbolic link included (dangling or not): with `force` the link itself is replaced, never written through.
 * An existing device or FIFO (/dev/null, a pipe) is written in place, without `force`: there is nothing to
 * replace. Returns CLI_OK, or CLI_USAGE / CLI_RUNTIME after a message; on failure nothing is left behind.
 */
int cli_outfile_open(cli_outfile *o, const char *flag, const char *target, int force);
/* Appends n bytes. CLI_OK, or CLI_RUNTIME after a message. */
int cli_outfile_write(cli_outfile *o, const void *data, size_t n);
/* Appends count elements of esize bytes as little-endian, whatever the host's byte order. */
int cli_outfile_write_le(cli_outfile *o, const void *values, size_t count, size_t esize);
/* Flushes, syncs, closes and renames into place. CLI_OK, or an exit status after a message and discarding. */
int cli_outfile_commit(cli_outfile *o);
/* cli_outfile_commit in two steps, for writers that must agree before any file appears (clinit-mpi's
 * ranks): finish flushes, syncs and closes; publish renames into place. Each: CLI_OK, or an exit status after
 * a message and discarding. cli_outfile_discard after finish removes the finished temporary file. */
int cli_outfile_finish(cli_outfile *o);
int cli_outfile_publish(cli_outfile *o);
/* Closes and removes the temporary file. Safe after a failed open, write or commit. */
void cli_outfile_discard(cli_outfile *o);

#endif
