/* Command-line parsing: options of a command, and the strict number and list syntaxes. Strict means no
 * blanks, signs or other slack anywhere: " 10" is not a dimension, as "std=1 " is not a number
 * (clinit_init_spec_set), so that a value means one thing wherever it is written. */
#ifndef CLINIT_CLI_ARGS_H
#define CLINIT_CLI_ARGS_H

#include "clinit.h"

#include <stddef.h>
#include <stdint.h>

typedef enum cli_opt_kind {
    CLI_OPT_FLAG,  /* dest is int*, 0 before parsing: set to 1; at most once */
    CLI_OPT_VALUE, /* dest is const char**: the next argument (or the text after '='); at most once */
    CLI_OPT_LIST   /* dest is cli_list*: every occurrence, in order */
} cli_opt_kind;

typedef struct cli_list {
    const char **items; /* point into argv; free(items) when done */
    size_t count;
} cli_list;

typedef struct cli_opt {
    const char *name; /* with its dashes: "--seed" */
    cli_opt_kind kind;
    void *dest;
} cli_opt;

/* What the help of an option says; the tool's tables of these (host/cli/usage.c) are the one source of
 * `--help`, the man page and the shell completion (host/cli/gendoc.c). */
typedef struct cli_opt_doc {
    const char *name;     /* with its dashes: "--seed" */
    cli_opt_kind kind;    /* as the command's parse table takes it: cli_parse checks that they agree */
    const char *metavar;  /* the value's placeholder ("N", "D0,D1,..."); NULL for a flag */
    const char *help;     /* one paragraph, wrapped when printed */
    const char *complete; /* the values a shell completes: space-separated words, "@init" (initializer names),
                           * "@file"; NULL for none */
    int required;         /* the command needs it (shown without brackets in the synopsis) */
} cli_opt_doc;

typedef struct cli_command_doc {
    const char *name;                  /* "sample" */
    int (*run)(int argc, char **argv); /* the command (argv[0] its name); clinit dispatches through this table */
    const char *summary;               /* a few words, for the overview and the man page */
    const char *example;               /* one command line, for the overview */
    const char *operand;               /* the positional argument ("INIT"), or NULL */
    const char *operand_help;
    const char *operand_complete; /* as cli_opt_doc.complete */
    const char *description;      /* paragraphs, "\n\n"-separated */
    const cli_opt_doc *opts;
    size_t nopts;
    const char *notes;    /* paragraphs after the options, or NULL */
    const char *examples; /* command lines, one per line */
} cli_command_doc;

/* The documentation of a command of the running tool (each tool defines it beside cli_usage), or NULL where
 * the tool documents the command with a text of its own. */
const cli_command_doc *cli_command_doc_find(const char *command);

/*
 * Parses argv[1..argc-1] (argv[0] is the command's name) against opts: "--name value" and "--name=value";
 * "--" ends the options. Up to max_pos positional arguments go to pos[], their number to *npos.
 * "--help" prints the command's usage. Where the command is documented (cli_command_doc_find), opts must be
 * exactly its documented options, kind for kind: a table that drifted from its documentation fails every run
 * (CLI_RUNTIME, naming the option), so that no option goes undocumented. Returns CLI_OK, -1 when --help was
 * handled (exit 0), CLI_RUNTIME, or CLI_USAGE after a message naming the bad argument (an unknown option with
 * the nearest known one).
 */
int cli_parse(int argc, char **argv, const cli_opt *opts, size_t nopts, const char **pos, size_t max_pos, size_t *npos);

/* Unsigned 64-bit integer: decimal digits, or 0x/0X and hex digits; nothing else, no overflow. 0 on success. */
int cli_parse_u64(const char *text, uint64_t *out);
/* The value of an integer option (flag names it in the message); text NULL leaves *out as it is.
 * CLI_OK, or CLI_USAGE after a message. */
int cli_u64_option(const char *flag, const char *text, uint64_t *out);
/* --stream: an unsigned 64-bit integer (as cli_parse_u64) is the stream itself; any other text is a tensor name,
 * whose stream is clinit_stream_from_name's (as clinit init and Python's stream_from_name take it). Refused: ""
 * and what can only be a number gone wrong (above 2^64 - 1, signed, blanks around it, a bare 0x). text NULL
 * leaves *out as it is. CLI_OK, or CLI_USAGE after a message. */
int cli_stream_option(const char *text, uint64_t *out);
/* The --generation option: its text, 1 … CLINIT_GENERATION_VERSION (docs/ALGORITHMS.md), or NULL for 0, the newest. */
int cli_generation_option(const char *text, int *out);
/* "64,3,7,7" (4 values), "5" (1), "" (none): at most CLINIT_MAX_RANK int64 decimals, non-negative unless
 * negative_ok (then "-1" too: axes counted from the end); `what` names one in messages ("dimension", "axis").
 * 0 on success, else -1 and a reason in why[why_size]. */
int cli_parse_ints(const char *text, const char *what, int negative_ok, int64_t out[CLINIT_MAX_RANK], int *n, char *why,
                   size_t why_size);
/* Whether text is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): tensor
 * names go into a safetensors header, which is JSON, which is UTF-8. */
int cli_utf8_valid(const char *text);
/* A shape: cli_parse_ints of dimensions. */
int cli_parse_shape(const char *text, int *rank, int64_t shape[CLINIT_MAX_RANK], char *why, size_t why_size);

#endif
