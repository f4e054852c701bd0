/* Diagnostics on stderr: one line each, prefixed with the tool's name so they read well in scripts' logs. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prefix = "clinit: ";

static char *capture;
static size_t capture_size;

void cli_diag_prefix(const char *p)
{
    prefix = p;
}

void cli_diag_capture(char *buf, size_t size)
{
    capture = size ? buf : NULL;
    capture_size = size;
    if (capture) capture[0] = '\0';
}

/* Each line goes out in one write: processes that share a stderr (clinit-mpi's ranks) interleave whole
 * lines, never pieces of them. */
static void vreport(const char *fmt, va_list ap)
{
    if (capture) {
        if (!capture[0]) vsnprintf(capture, capture_size, fmt, ap);
        return;
    }
    if (!prefix) return;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    size_t plen = strlen(prefix);
    char *line = n >= 0 ? malloc(plen + (size_t)n + 2) : NULL;
    if (line) {
        memcpy(line, prefix, plen);
        vsnprintf(line + plen, (size_t)n + 1, fmt, again);
        memcpy(line + plen + (size_t)n, "\n", 2);
        fputs(line, stderr);
        free(line);
    } else { /* out of memory: the message still matters more than its atomicity */
        fputs(prefix, stderr);
        vfprintf(stderr, fmt, again);
        fputc('\n', stderr);
    }
    va_end(again);
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

int cli_clinit_error(const char *doing, clinit_status status, const clinit_ctx *ctx)
{
    const char *detail = ctx ? clinit_ctx_message(ctx) : "";
    return cli_runtime_error("%s: %s%s%s", doing, clinit_status_string(status), *detail ? ": " : "", detail);
}
