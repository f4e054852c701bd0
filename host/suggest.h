/* Nearest valid names, for messages about unknown ones. Internal: the library's parameter messages use it and
 * the clinit tools (host/cli) reach it through the static library, so both suggest alike. */
#ifndef CLINIT_SUGGEST_H
#define CLINIT_SUGGEST_H

#include <stddef.h>

/*
 * What to tell a user who wrote `word` where one of `list` (names separated by ", ") was expected, into
 * out[0..size) (cut to fit, NUL-terminated when size > 0): "did you mean NAME?" for a name equal to word but
 * for ASCII case, else "did you mean A, B or C?" for the (at most 3, not all) names of which a word of 2 or more
 * bytes is the start, in the list's order ("xavier": xavier_uniform, xavier_normal), else "did you mean NAME?"
 * for the nearest name at edit distance (Levenshtein) at most 2, else "not one of LIST" ("none is accepted" for
 * an empty list).
 */
void ci_suggest(const char *word, const char *list, char *out, size_t size);
/* Whether a[0..n) is word, ignoring ASCII case (never the locale's: names are ASCII); the CLI reads dtype names
 * so (c_locale.c). */
int ci_ascii_same(const char *word, const char *a, size_t n);
/* 1 when word is one of the names of list (", "-separated), else 0. */
int ci_in_list(const char *word, const char *list);

#endif
