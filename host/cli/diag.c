/* Diagnostics on stderr: one line each, prefixed with the tool's name so they read well in scripts' logs. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *prefix = "clinit: ";
static const char *program = "clinit";

static char *capture;
static size_t capture_size;

void cli_diag_prefix(const char *p) { prefix = p; }

void cli_diag_program(const char *name) { program = name; }

const char *cli_program(void) { return program; }

void cli_diag_capture(char *buf, size_t size)
{
    capture = size ? buf : NULL;
    capture_size = size;
    if (capture) capture[0] = '\0';
}

/* Bytes a message takes once escaped (see escape). */
static size_t escaped_size(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += *p == '\n' || *p == '\t' || *p == '\r' ? 2 : *p < 0x20 || *p == 0x7f ? 4 : 1;
    return n;
}

/* Messages quote what the user wrote (names, paths, options), which may hold a newline or a terminal escape:
 * written raw, one error would read as two lines, or rewrite the terminal. Backslash escapes keep every
 * message one line that still shows which byte it was. Bytes from 0x80 up pass: they are UTF-8 names. */
static char *escape(const char *text, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if (c == '\n' || c == '\t' || c == '\r') {
            *out++ = '\\';
            *out++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        } else if (c < 0x20 || c == 0x7f) {
            *out++ = '\\';
            *out++ = 'x';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 15];
        } else {
            *out++ = (char)c;
        }
    }
    return out;
}

/* On a terminal a progress line ("\r[3/9] name", no newline) may stand where the message begins: the commands
 * that draw one (init's slabs, bench) clear it when they finish, not when something fails in between. Going
 * back to the line's start and clearing it first costs nothing on an empty line, and keeps the escape codes
 * out of files and pipes. */
static const char *line_start(void) { return isatty(fileno(stderr)) ? "\r\033[K" : ""; }

/* Each line goes out in one write: processes that share a stderr (clinit-mpi's ranks) interleave whole
 * lines, never pieces of them. errno is kept: isatty sets it, and a caller may still report it (perror). */
static void vreport(const char *fmt, va_list ap)
{
    int saved_errno = errno;
    if (capture) { /* raw: it is printed through here later, and escaped then */
        if (!capture[0]) vsnprintf(capture, capture_size, fmt, ap);
        return;
    }
    if (!prefix) return;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *raw = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (raw) vsnprintf(raw, (size_t)n + 1, fmt, again);
    va_end(again);
    const char *start = line_start();
    size_t slen = strlen(start), plen = strlen(prefix);
    char *line = raw ? malloc(slen + plen + escaped_size(raw) + 2) : NULL;
    if (line) {
        memcpy(line, start, slen);
        memcpy(line + slen, prefix, plen);
        memcpy(escape(raw, line + slen + plen), "\n", 2);
        fputs(line, stderr);
    } else { /* out of memory: the message, even blurred, matters more than its form or its atomicity */
        for (char *q = raw; q && *q; q++)
            if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = '?';
        fprintf(stderr, "%s%s%s\n", start, prefix, raw ? raw : "out of host memory formatting a message");
    }
    free(line);
    free(raw);
    errno = saved_errno;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    return CLI_USAGE;
}

int cli_runtime_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    return CLI_RUNTIME;
}

int cli_errno_status(int err)
{
    switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EIO:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case ENOBUFS:
    case EAGAIN:
    case EINTR:
    case EFBIG:
    case ETIMEDOUT:
    case ESTALE: return CLI_RUNTIME;
    default: return CLI_USAGE;
    }
}

int cli_errno_error(int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    return cli_errno_status(err);
}

const char *cli_flatten(const char *text)
{
    static char out[8192];
    size_t o = 0;
    for (const char *p = text; *p && o + 3 < sizeof out;) {
        if (*p != '\n' && *p != '\r') {
            out[o++] = *p++;
            continue;
        }
        while (o && (out[o - 1] == ' ' || out[o - 1] == '\t')) o--;
        p += strspn(p, "\r\n \t");
        if (!*p || !o) continue; /* no separator at either end */
        if (out[o - 1] == ':' || out[o - 1] == ';')
            out[o++] = ' ';
        else
            out[o++] = ';', out[o++] = ' ';
    }
    while (o && (out[o - 1] == ' ' || out[o - 1] == '\t')) o--;
    out[o] = '\0';
    return out;
}

int cli_clinit_error(const char *doing, clinit_status status, const clinit_ctx *ctx)
{
    const char *detail = cli_flatten(ctx ? clinit_ctx_message(ctx) : "");
    return cli_runtime_error("%s: %s%s%s", doing, clinit_status_string(status), *detail ? ": " : "", detail);
}
