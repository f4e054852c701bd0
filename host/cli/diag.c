/* Diagnostics on stderr: one line each, prefixed with the tool's name so they read well in scripts' logs. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

static void vreport(const char *fmt, va_list ap)
{
    fputs("clinit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
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
