/* Initializer parameters by name from text, strictly, with the reason for a refusal: the one place that knows
 * what text each parameter takes, so the CLI, manifests and the Python binding give the same answer. */
#include "registry.h"
#include "suggest.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value is quoted in a message up to this many bytes (escapes counted), then "...". */
#define SHOWN_MAX 64
#define SHOWN_BYTES (SHOWN_MAX + 4)

/* Drops a UTF-8 character that a cut left incomplete at the end of s. */
static void end_on_character(char *s)
{
    size_t end = strlen(s), i = end;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
    if (i == 0) return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (end - (i - 1) < need) s[i - 1] = '\0';
}

static clinit_status say(char *message, size_t size, clinit_status status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static clinit_status say(char *message, size_t size, clinit_status status, const char *fmt, ...)
{
    if (message && size) {
        va_list ap;
        va_start(ap, fmt);
        int n = ci_c_vsnprintf(message, size, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n >= size) end_on_character(message); /* a quoted value may hold any character */
    }
    return status;
}

/* `value` as it can be quoted: '"' and '\' escaped, control bytes as \t, \n, \r or \xNN (so a refused "1\t"
 * shows its tab), cut after SHOWN_MAX bytes on a whole UTF-8 character. */
static const char *shown(const char *value, char out[SHOWN_BYTES])
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *v = (const unsigned char *)value;
    size_t o = 0;
    for (; *v; v++) {
        char e[4];
        size_t n = 0;
        if (*v == '"' || *v == '\\')
            e[n++] = '\\', e[n++] = (char)*v;
        else if (*v == '\t')
            e[n++] = '\\', e[n++] = 't';
        else if (*v == '\n')
            e[n++] = '\\', e[n++] = 'n';
        else if (*v == '\r')
            e[n++] = '\\', e[n++] = 'r';
        else if (*v < 0x20 || *v == 0x7f)
            e[n++] = '\\', e[n++] = 'x', e[n++] = hex[*v >> 4], e[n++] = hex[*v & 15];
        else
            e[n++] = (char)*v;
        if (o + n > SHOWN_MAX) break;
        memcpy(out + o, e, n);
        o += n;
    }
    out[o] = '\0';
    if (*v) {
        end_on_character(out);
        strcat(out, "...");
    }
    return out;
}

/* The index of `word` in `list` (", "-separated), or -1. */
static int list_index(const char *word, const char *list)
{
    size_t n = strlen(word);
    int i = 0;
    for (const char *p = list; *p; p += strspn(p, ", "), i++) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, word, n) == 0) return i;
        p += len;
    }
    return -1;
}

/* An unknown name among the accepted ones: "unknown WHAT "VALUE"[ for KIND]: did you mean …?". */
static clinit_status unknown(char *message, size_t size, clinit_status status, const char *what, const char *value,
                             const char *for_kind, const char *accepted)
{
    char v[SHOWN_BYTES], hint[512];
    ci_suggest(value, accepted, hint, sizeof hint);
    return say(message, size, status, "unknown %s \"%s\"%s%s: %s", what, shown(value, v), for_kind ? " for " : "",
               for_kind ? for_kind : "", hint);
}

static clinit_status set_integer(int64_t *field, const char *name, const char *value, char *message, size_t size)
{
    char v[SHOWN_BYTES];
    /* Never negative: decimal digits only, no sign at all ("-0" too). */
    if (!value[0] || value[strspn(value, "0123456789")] != '\0')
        return say(message, size, CLINIT_ERROR_INVALID_PARAMETER,
                   "%s = \"%s\" is not a non-negative integer (decimal digits)", name, shown(value, v));
    errno = 0;
    long long x = strtoll(value, NULL, 10);
    if (errno == ERANGE)
        return say(message, size, CLINIT_ERROR_INVALID_PARAMETER,
                   "%s = \"%s\" is beyond the range of int64_t (at most %lld)", name, shown(value, v), LLONG_MAX);
    *field = x;
    return CLINIT_SUCCESS;
}

/* An axis (column_axis): an int with an optional '-' (JAX counts negative axes from the end); the range is the
 * fill's. Setting it sets its flag (has_column_axis) too. */
static clinit_status set_axis(int *field, int *has, const char *name, const char *value, char *message, size_t size)
{
    char v[SHOWN_BYTES];
    const char *digits = value + (value[0] == '-');
    if (!digits[0] || digits[strspn(digits, "0123456789")] != '\0')
        return say(message, size, CLINIT_ERROR_INVALID_PARAMETER,
                   "%s = \"%s\" is not an integer (decimal digits, '-' for an axis from the end)", name,
                   shown(value, v));
    errno = 0;
    long x = strtol(value, NULL, 10);
    if (errno == ERANGE || x < -INT_MAX || x > INT_MAX)
        return say(message, size, CLINIT_ERROR_INVALID_PARAMETER, "%s = \"%s\" is beyond the range of int", name,
                   shown(value, v));
    *has = 1;
    *field = (int)x;
    return CLINIT_SUCCESS;
}

/* Real numbers in decimal (strtod would also take hexadecimal floats and "nan"), or ±inf/infinity; a '-' is
 * syntax (ranges are checked at fill time). */
static clinit_status set_real(double *field, const char *name, const char *value, char *message, size_t size)
{
    char v[SHOWN_BYTES];
    const char *mag = value + (value[0] == '-');
    int decimal = isdigit((unsigned char)mag[0]) || (mag[0] == '.' && isdigit((unsigned char)mag[1]));
    int hexadecimal = mag[0] == '0' && (mag[1] == 'x' || mag[1] == 'X');
    char *end = NULL;
    errno = 0;
    double x = 0;
    if (!hexadecimal &&
        (decimal ? mag[strspn(mag, "0123456789.eE+-")] == '\0'
                 : ci_ascii_same("inf", mag, strlen(mag)) || ci_ascii_same("infinity", mag, strlen(mag))))
        x = ci_c_strtod(value, &end);
    if (!end || end == value || *end != '\0')
        return say(message, size, CLINIT_ERROR_INVALID_PARAMETER, "%s = \"%s\" is not a number%s", name,
                   shown(value, v), hexadecimal ? " (decimal only: no hexadecimal floats)" : "");
    /* A decimal beyond double's range became ±inf or 0 ("1e999", "1e-400"): not the value written. Subnormals
     * (also ERANGE) are kept, as float("1e-310") keeps them. */
    if (decimal && errno == ERANGE && (isinf(x) || x == 0))
        return say(message, size, CLINIT_ERROR_INVALID_PARAMETER,
                   "%s = \"%s\" is beyond the range of a double (it would be %s)", name, shown(value, v),
                   x == 0  ? "0"
                   : x < 0 ? "-inf"
                           : "inf");
    /* An integer written without a point or exponent means that integer: one a double does not hold (above 2^53)
     * is refused rather than rounded, since an i32/i64 constant is written exactly (and a Python int becomes this
     * text). With a point it is a real number, read as the nearest double. */
    const char *digits = mag + strspn(mag, "0");
    size_t ndigits = strspn(digits, "0123456789");
    if (decimal && digits[ndigits] == '\0' && ndigits > 15) {
        char nearest[400], other[400];
        size_t n = (size_t)ci_c_snprintf(nearest, sizeof nearest, "%.0f", fabs(x));
        int cmp = n != ndigits ? (n < ndigits ? -1 : 1) : strcmp(nearest, digits);
        if (cmp != 0) {
            /* both doubles around the integer, smaller magnitude first: the nearest may be outside an i64
             * constant's range (2^63 for 2^63 − 1), the other one inside */
            double next = nextafter(fabs(x), cmp > 0 ? 0.0 : INFINITY);
            const char *sign = x < 0 ? "-" : "";
            if (isinf(next)) /* above DBL_MAX, within half an ulp: no double beyond it to offer ("inf") */
                return say(message, size, CLINIT_ERROR_INVALID_PARAMETER,
                           "%s = \"%s\" is an integer a double does not hold exactly (it is above the largest double, "
                           "%s%s): give that one, or write a decimal point to take it",
                           name, shown(value, v), sign, nearest);
            ci_c_snprintf(other, sizeof other, "%.0f", next);
            return say(message, size, CLINIT_ERROR_INVALID_PARAMETER,
                       "%s = \"%s\" is an integer a double does not hold exactly (the doubles on either side are %s%s "
                       "and %s%s): give one of them, or write a decimal point to take the nearest",
                       name, shown(value, v), sign, cmp > 0 ? other : nearest, sign, cmp > 0 ? nearest : other);
        }
    }
    *field = x;
    return CLINIT_SUCCESS;
}

/* A NAME parameter: one of its names, whose index is the enum value. */
static clinit_status set_name(clinit_init_spec *spec, const ci_param_row *p, const char *kind, const char *value,
                              char *message, size_t size)
{
    /* "normal" is refused: Keras and JAX disagree on it. */
    if (strcmp(p->name, "distribution") == 0 && strcmp(value, "normal") == 0)
        return say(message, size, p->bad,
                   "distribution \"normal\" is ambiguous (Keras: truncated, JAX: untruncated): "
                   "give truncated_normal or untruncated_normal");
    int i = list_index(value, p->values);
    /* the nonlinearities are the same for every initializer: no "for KIND" */
    if (i < 0 || i >= p->value_count)
        return unknown(message, size, p->bad, p->name, value, strcmp(p->name, "mode") == 0 ? kind : NULL, p->values);
    *(int *)((char *)spec + p->offset) = i;
    return CLINIT_SUCCESS;
}

clinit_status clinit_init_spec_set_message(clinit_init_spec *spec, const char *name, const char *value, char *message,
                                           size_t message_size)
{
    char *msg = message;
    size_t size = message_size;
    if (msg && size) msg[0] = '\0';
    if (!spec || !name || !value)
        return say(msg, size, CLINIT_ERROR_NULL_ARGUMENT, "%s is NULL", !spec ? "spec" : !name ? "name" : "value");
    const ci_init_row *row = ci_registry_row(spec->kind);
    char v[SHOWN_BYTES];
    if (!row) return say(msg, size, CLINIT_ERROR_UNKNOWN_PARAMETER, "unknown initializer kind %d", (int)spec->kind);
    const char *kind = row->name, *takes = clinit_init_param_names(spec->kind);
    const ci_param_row *p = ci_registry_param(row, name);
    if (!p) {
        if (!*takes)
            return say(msg, size, CLINIT_ERROR_UNKNOWN_PARAMETER, "%s takes no parameters (\"%s\" given)", kind,
                       shown(name, v));
        char hint[256];
        ci_suggest(name, takes, hint, sizeof hint);
        return say(msg, size, CLINIT_ERROR_UNKNOWN_PARAMETER, "%s takes no parameter \"%s\": %s", kind, shown(name, v),
                   hint);
    }
    size_t len = strlen(value);
    if (len && (ci_ascii_blank((unsigned char)value[0]) || ci_ascii_blank((unsigned char)value[len - 1])))
        return say(msg, size, p->bad, "%s = \"%s\": no blanks are allowed around a value", name, shown(value, v));
    if (p->type == CLINIT_PARAM_NAME) return set_name(spec, p, kind, value, msg, size);
    if (value[0] == '+') {
        char w[SHOWN_BYTES];
        return say(msg, size, p->bad, "%s = \"%s\": numbers take no '+' sign (write \"%s\")", name, shown(value, v),
                   shown(value + strspn(value, "+"), w));
    }
    char *field = (char *)spec + p->offset;
    if (p->type == CLINIT_PARAM_AXIS)
        return set_axis((int *)field, (int *)((char *)spec + p->has_offset), name, value, msg, size);
    if (p->type == CLINIT_PARAM_INTEGER) return set_integer((int64_t *)field, name, value, msg, size);
    return set_real((double *)field, name, value, msg, size);
}

clinit_status clinit_init_spec_set(clinit_init_spec *spec, const char *name, const char *value)
{
    return clinit_init_spec_set_message(spec, name, value, NULL, 0);
}

clinit_status clinit_init_from_name_message(const char *name, clinit_init_kind *out, char *message, size_t message_size)
{
    if (message && message_size) message[0] = '\0';
    if (!name || !out)
        return say(message, message_size, CLINIT_ERROR_NULL_ARGUMENT, "%s is NULL", !name ? "name" : "out");
    clinit_status st = clinit_init_from_name(name, out);
    if (st != CLINIT_ERROR_INVALID_INIT) return st;
    char names[1024];
    size_t used = 0;
    const char *n;
    for (int i = 0; (n = clinit_init_name((clinit_init_kind)i)) != NULL && used < sizeof names; i++) {
        int w = ci_c_snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", n);
        used = w < 0 ? sizeof names : used + (size_t)w;
    }
    return unknown(message, message_size, st, "initializer", name, NULL, names);
}
