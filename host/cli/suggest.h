/* "Did you mean …?": the nearest valid name to a misspelt one, for the messages about unknown names. */
#ifndef CLINIT_CLI_SUGGEST_H
#define CLINIT_CLI_SUGGEST_H

/*
 * What to tell a user who wrote `word` where one of `list` (names separated by ", ") was expected:
 * "did you mean NAME?" for the nearest name at edit distance (Levenshtein) at most 2, else
 * "not one of LIST" (or "none is accepted" for an empty list). A static buffer, valid until the next call.
 */
const char *cli_suggest(const char *word, const char *list);
/* 1 when word is one of the names of list (", "-separated), else 0. */
int cli_in_list(const char *word, const char *list);

#endif
