/* Initializer specifications from names, with messages that say what is wrong and what would be right. */
#include "spec.h"

#include "suggest.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* snprintf that appends at *used and never lets *used pass size. */
static void append(char *buf, size_t size, size_t *used, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    if (*used >= size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    *used = n < 0 || (size_t)n >= size - *used ? size : *used + (size_t)n;
}

/* The names a name function gives for 0, 1, … until NULL, ", "-separated, into a static buffer. */
static const char *name_list(char *buf, size_t size, const char *(*name_of)(int))
{
    if (!buf[0]) {
        size_t used = 0;
        const char *name;
        for (int i = 0; (name = name_of(i)) != NULL; i++) append(buf, size, &used, "%s%s", i ? ", " : "", name);
    }
    return buf;
}

static const char *init_name(int i)
{
    return clinit_init_name((clinit_init_kind)i);
}

static const char *nonlinearity_name(int i)
{
    return clinit_nonlinearity_name((clinit_nonlinearity)i);
}

const char *cli_init_names(void)
{
    static char names[1024];
    return name_list(names, sizeof names, init_name);
}

static const char *nonlinearity_names(void)
{
    static char names[512];
    return name_list(names, sizeof names, nonlinearity_name);
}

/* The library refuses a blank around a number too (CLINIT_ERROR_INVALID_PARAMETER); here for the message, and
 * for every parameter, names too. */
static int has_blank_edge(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]));
}

/* A decimal that strtod reads whole but only as ±inf or 0 (the library's reason to refuse "1e999"). */
static int out_of_range(const char *value)
{
    const char *mag = value + (value[0] == '-');
    if (!(isdigit((unsigned char)mag[0]) || mag[0] == '.')) return 0;
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    return *end == '\0' && errno == ERANGE && (isinf(v) || v == 0);
}

int cli_spec_set(clinit_init_spec *spec, const char *name, const char *value, char *why, size_t why_size)
{
    const char *kind = clinit_init_name(spec->kind);
    if (has_blank_edge(value)) {
        snprintf(why, why_size, "%s = \"%s\": no blanks are allowed around a value", name, value);
        return -1;
    }
    clinit_status st = clinit_init_spec_set(spec, name, value);
    if (st == CLINIT_SUCCESS) return 0;
    if (st == CLINIT_ERROR_UNKNOWN_PARAMETER) {
        const char *takes = clinit_init_param_names(spec->kind);
        if (*takes) snprintf(why, why_size, "%s takes no parameter \"%s\": %s", kind, name, cli_suggest(name, takes));
        else snprintf(why, why_size, "%s takes no parameters (\"%s\" given)", kind, name);
    } else if (st == CLINIT_ERROR_INVALID_MODE) {
        const char *modes = spec->kind == CLINIT_INIT_VARIANCE_SCALING ? "fan_in, fan_out, fan_avg, fan_geo_avg"
                                                                       : "fan_in, fan_out";
        snprintf(why, why_size, "unknown mode \"%s\" for %s: %s", value, kind, cli_suggest(value, modes));
    } else if (st == CLINIT_ERROR_INVALID_NONLINEARITY) {
        snprintf(why, why_size, "unknown nonlinearity \"%s\": %s", value, cli_suggest(value, nonlinearity_names()));
    } else if (strcmp(name, "distribution") == 0 && strcmp(value, "normal") == 0) {
        snprintf(why, why_size, "distribution \"normal\" is ambiguous (Keras: truncated, JAX: untruncated): give "
                                "truncated_normal or untruncated_normal");
    } else if (strcmp(name, "distribution") == 0) {
        snprintf(why, why_size, "unknown distribution \"%s\": %s", value,
                 cli_suggest(value, "truncated_normal, untruncated_normal, uniform"));
    } else if (value[0] == '+') {
        snprintf(why, why_size, "%s = \"%s\": numbers take no '+' sign (write \"%s\")", name, value,
                 value + strspn(value, "+"));
    } else if (out_of_range(value)) {
        snprintf(why, why_size, "%s = \"%s\" is beyond the range of a double (it would be %s)", name, value,
                 strtod(value, NULL) == 0 ? "0" : value[0] == '-' ? "-inf" : "inf");
    } else {
        int integer = strcmp(name, "fan_in") == 0 || strcmp(name, "groups") == 0;
        snprintf(why, why_size, "%s = \"%s\" is not %s", name, value,
                 integer ? "a non-negative integer (decimal digits)" : "a number");
    }
    return -1;
}

const char *cli_spec_required(clinit_init_kind kind)
{
    switch (kind) {
    case CLINIT_INIT_CONSTANT: return "val";
    case CLINIT_INIT_SPARSE: return "sparsity";
    case CLINIT_INIT_LINEAR_DEFAULT_BIAS: return "fan_in";
    default: return NULL;
    }
}

/* Layout "axes" without the lists a fan-based initializer needs: the list that is missing. */
static int missing_axes(const clinit_init_spec *spec, const cli_tensor_desc *d, const char **field, char *why,
                        size_t why_size)
{
    if (d->layout != CLINIT_LAYOUT_AXES || (d->in_axes && d->out_axes)) return 0;
    *field = d->in_axes ? "out_axes" : "in_axes";
    snprintf(why, why_size, "missing: %s reads its fans from the in and out axes (layout axes)",
             clinit_init_name(spec->kind));
    return 1;
}

int cli_spec_check(const clinit_init_spec *spec, const cli_tensor_desc *d, uint64_t *numel, const char **field,
                   char *why, size_t why_size)
{
    clinit_tensor t = cli_desc_tensor(d, NULL);
    clinit_status st = clinit_validate(&t, spec, why, why_size);
    if (st == CLINIT_SUCCESS) {
        int64_t n = 0;
        clinit_tensor_numel(&t, &n);
        *numel = (uint64_t)n;
        return 0;
    }
    switch (st) {
    case CLINIT_ERROR_INVALID_RANK:
    case CLINIT_ERROR_INVALID_SHAPE: *field = "shape"; break;
    case CLINIT_ERROR_INVALID_LAYOUT:
        if (!missing_axes(spec, d, field, why, why_size)) *field = "layout";
        break;
    case CLINIT_ERROR_UNSUPPORTED_DTYPE: *field = "dtype"; break;
    case CLINIT_ERROR_INVALID_PARAMETER:
    case CLINIT_ERROR_INVALID_MODE:
    case CLINIT_ERROR_INVALID_NONLINEARITY: *field = "params"; break;
    default: *field = "init"; break;
    }
    return -1;
}
