/* The documentation of the clinit tool as data: its commands with their options (the parse tables are checked
 * against these, see cli_parse), the environment it reads and its exit statuses. `clinit --help` prints them
 * (usage.c), and clinit_gendoc (gendoc.c) writes the man page clinit.1 and the bash completion from them. */
#ifndef CLINIT_CLI_USAGE_H
#define CLINIT_CLI_USAGE_H

#include "args.h"

#include <stddef.h>

typedef struct cli_env_doc {
    const char *name; /* "CLINIT_DEVICE" */
    const char *help; /* one paragraph */
} cli_env_doc;

extern const cli_command_doc cli_commands[];
extern const size_t cli_n_commands;
extern const cli_env_doc cli_environment[];
extern const size_t cli_n_environment;
/* What clinit does, one sentence (the overview's and the man page's NAME). */
extern const char cli_tagline[];
/* The exit statuses, one paragraph. */
extern const char cli_exit_status[];

/* The synopsis of a command, generated from its options: "clinit sample INIT --shape D0,D1,... [--dtype DTYPE]
 * ...", required options bare, others in brackets, a repeatable one followed by "...". Into out[size]. */
void cli_synopsis(const cli_command_doc *c, char *out, size_t size);

#endif
