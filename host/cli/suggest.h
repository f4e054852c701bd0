/* "Did you mean …?" in the CLI's messages: the library's suggestions (host/suggest.h) in a static buffer. */
#ifndef CLINIT_CLI_SUGGEST_H
#define CLINIT_CLI_SUGGEST_H

#include "../suggest.h"

/* ci_suggest(word, list) in a static buffer, valid until the next call (the tools are single-threaded). */
const char *cli_suggest(const char *word, const char *list);

#endif
