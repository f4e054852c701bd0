/* Nearest names. Two edits catch a transposition ("unifrom"), a dropped or doubled letter and a wrong
 * one, while names of these lists are far enough apart (≥ 3 edits, or a unique nearest) that a farther
 * guess would mislead more often than help. */
#include "suggest.h"

#include "internal.h"

#include <stdio.h>
#include <string.h>

#define MAX_DISTANCE 2
#define MAX_NAME 64

/* Levenshtein distance of a[0..na) and b[0..nb), capped: anything above MAX_DISTANCE is MAX_DISTANCE + 1. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > MAX_NAME || nb > MAX_NAME || (na > nb ? na - nb : nb - na) > MAX_DISTANCE) return MAX_DISTANCE + 1;
    size_t row[MAX_NAME + 1];
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0]; /* row[i-1][j-1] */
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb] > MAX_DISTANCE ? MAX_DISTANCE + 1 : row[nb];
}

/* A word may be the start of some names ("xavier" of xavier_uniform and xavier_normal): up to
 * MAX_PREFIXED of them, in the list's order, as "did you mean A, B or C?" into out. 0, out untouched, when the
 * word starts no name, or more than MAX_PREFIXED or every name of the list (then the whole list says more). */
#define MAX_PREFIXED 3
static int prefix_matches(const char *word, const char *list, char *out, size_t size)
{
    size_t n = strlen(word), found = 0, total = 0;
    const char *name[MAX_PREFIXED];
    size_t len[MAX_PREFIXED];
    if (n < 2) return 0;
    for (const char *p = list; *p; p += strspn(p, ", ")) {
        size_t l = strcspn(p, ",");
        total++;
        if (l > n && strncmp(p, word, n) == 0) {
            if (found == MAX_PREFIXED) return 0;
            name[found] = p;
            len[found++] = l;
        }
        p += l;
    }
    if (found == 0 || found == total) return 0;
    size_t at = (size_t)ci_c_snprintf(out, size, "did you mean ");
    for (size_t i = 0; i < found && at < size; i++)
        at += (size_t)ci_c_snprintf(out + at, size - at, "%s%.*s",
                                    i == 0           ? ""
                                    : i + 1 == found ? " or "
                                                     : ", ",
                                    (int)len[i], name[i]);
    if (at < size) ci_c_snprintf(out + at, size - at, "?");
    return 1;
}

void ci_suggest(const char *word, const char *list, char *out, size_t size)
{
    const char *best = NULL;
    size_t best_len = 0, best_d = MAX_DISTANCE + 1;
    for (const char *p = list; *p; p += strspn(p, ", ")) {
        size_t len = strcspn(p, ",");
        /* "IO" is io in capitals: a case slip beats any spelling that is as near or nearer by edits (oi) */
        size_t d = ci_ascii_same(word, p, len) ? 0 : distance(word, strlen(word), p, len);
        if (d < best_d) {
            best = p;
            best_len = len;
            best_d = d;
        }
        p += len;
    }
    if (!size) return;
    /* a word cut short means the names it starts ("bfloat": bfloat16) more likely than one as near by edits
     * (float), but a case slip is the name itself */
    if ((!best || best_d > 0) && prefix_matches(word, list, out, size)) return;
    if (best)
        ci_c_snprintf(out, size, "did you mean %.*s?", (int)best_len, best);
    else if (*list)
        ci_c_snprintf(out, size, "not one of %s", list);
    else
        ci_c_snprintf(out, size, "none is accepted");
}

int ci_in_list(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; *p; p += strspn(p, ", ")) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, word, n) == 0) return 1;
        p += len;
    }
    return 0;
}
