/* What the commands of the clinit tool share: exit statuses, diagnostics and the command entry points. */
#ifndef CLINIT_CLI_H
#define CLINIT_CLI_H

#include "clinit.h"

#include <stddef.h>

/* Exit statuses: 1 when the machine failed us (OpenCL, I/O), 2 when the caller asked for something wrong. */
enum { CLI_OK = 0, CLI_RUNTIME = 1, CLI_USAGE = 2 };

/* Sets what precedes every message (default "clinit: "; clinit-mpi names itself and the rank); NULL
 * silences messages, for the ranks that would only repeat rank 0's. */
void cli_diag_prefix(const char *prefix);
/* The name of the running tool ("clinit" unless set: clinit-mpi sets its own), for messages that tell the
 * user what to type next ("see clinit-mpi init --help"). */
void cli_diag_program(const char *name);
const char *cli_program(void);
/* While buf is set (NULL: no more), the first message goes into buf (size bytes, without prefix or newline;
 * "" until one comes) instead of to stderr, and later ones nowhere: clinit-mpi gathers its ranks' messages so
 * that one every rank gives alike is printed once. */
void cli_diag_capture(char *buf, size_t size);
/* Prints "clinit: <message>" on stderr and returns CLI_USAGE. The message is one line whatever it quotes:
 * control characters in it are written as \n, \t, \r or \xNN; on a terminal, a progress line is cleared. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "clinit: <message>" on stderr and returns CLI_RUNTIME. */
int cli_runtime_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The exit status of a system call on a name the caller gave that failed with errno `err`: CLI_RUNTIME when the
 * machine failed us (a full disk or quota, no descriptor, memory or inode left, an I/O error), which no other
 * argument would mend; CLI_USAGE otherwise (no such folder, not allowed, a read-only file system, ...). */
int cli_errno_status(int err);
/* Prints "clinit: <message>" on stderr and returns cli_errno_status(err). */
int cli_errno_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The library's detail message as one line: a multi-line one (an OpenCL build log) has its line breaks made
 * "; " (a blank after a colon), ends trimmed; other control characters are left to the escaping of the
 * message it goes into. A static buffer (8 KiB, cut to fit), valid until the next call. */
const char *cli_flatten(const char *text);
/* Reports a failed library call: what was being done, the status and the handle's detail message (flattened). */
int cli_clinit_error(const char *doing, clinit_status status, const clinit_ctx *ctx);

/* Usage of one command (NULL: the overview) on stdout. CLI_OK, or CLI_USAGE for an unknown command. */
int cli_usage(const char *command);

int cli_devices(int argc, char **argv);
int cli_sample(int argc, char **argv);
int cli_init(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_inits(int argc, char **argv);

#endif
