/* Numbers in text as C writes them, in any caller's locale. strtod and printf follow LC_NUMERIC: in a program
 * that called setlocale(LC_ALL, "de_DE.UTF-8") (Python's locale.setlocale too) they read "0.5" as 0 and write
 * "0,5", so the library reads and formats every number here, in the "C" locale, switched for the calling
 * thread only (uselocale, POSIX.1-2008) and back. The library's sources call no locale-dependent function
 * elsewhere (tests/lint_locale.py checks it). */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "suggest.h"

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void make_c_locale(void)
{
    /* glibc returns its static "C" locale object without allocating; elsewhere a failure (out of memory)
     * leaves (locale_t)0, and the calls below use the caller's locale. */
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Switches the calling thread to the "C" locale; returns what to switch back to, or (locale_t)0. */
static locale_t enter(void)
{
    pthread_once(&once, make_c_locale);
    return c_locale ? uselocale(c_locale) : (locale_t)0;
}

static void leave(locale_t old)
{
    if (old) uselocale(old);
}

int ci_c_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    locale_t old = enter();
    int n = vsnprintf(buf, size, fmt, ap);
    leave(old);
    return n;
}

int ci_c_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = ci_c_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

double ci_c_strtod(const char *s, char **end)
{
    locale_t old = enter();
    double x = strtod(s, end);
    leave(old); /* uselocale does not touch errno, which holds strtod's ERANGE */
    return x;
}

int ci_ascii_blank(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

int ci_ascii_same(const char *word, const char *a, size_t n)
{
    if (strlen(word) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)word[i], y = (unsigned char)a[i];
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return 1;
}
