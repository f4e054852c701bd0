/* Initializer specifications from names, with messages that say what is wrong and what would be right. */
#include "spec.h"

#include <stdarg.h>
#include <stdio.h>
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

int cli_spec_set(clinit_init_spec *spec, const char *name, const char *value, char *why, size_t why_size)
{
    clinit_status st = clinit_init_spec_set(spec, name, value);
    if (st == CLINIT_SUCCESS) return 0;
    if (st == CLINIT_ERROR_UNKNOWN_PARAMETER) {
        const char *takes = clinit_init_param_names(spec->kind);
        snprintf(why, why_size, "%s takes no parameter \"%s\" (%s%s)", clinit_init_name(spec->kind), name,
                 *takes ? "it takes: " : "it takes none", takes);
    } else if (st == CLINIT_ERROR_INVALID_MODE) {
        snprintf(why, why_size, "mode \"%s\" is neither fan_in nor fan_out", value);
    } else if (st == CLINIT_ERROR_INVALID_NONLINEARITY) {
        char list[512];
        size_t used = 0;
        const char *nl;
        list[0] = '\0';
        for (int i = 0; (nl = clinit_nonlinearity_name((clinit_nonlinearity)i)) != NULL; i++)
            append(list, sizeof list, &used, "%s%s", i ? ", " : "", nl);
        snprintf(why, why_size, "nonlinearity \"%s\" is not one of %s", value, list);
    } else {
        snprintf(why, why_size, "%s = \"%s\" is not %s", name, value,
                 strcmp(name, "fan_in") == 0 ? "a non-negative integer" : "a number");
    }
    return -1;
}

int cli_spec_check(const clinit_init_spec *spec, int rank, const int64_t *shape, clinit_layout layout,
                   uint64_t *numel, const char **field, char *why, size_t why_size)
{
    clinit_tensor t = {.dtype = CLINIT_F32, .rank = rank, .layout = layout};
    if (rank > 0) memcpy(t.shape, shape, (size_t)rank * sizeof *shape);
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
    case CLINIT_ERROR_INVALID_LAYOUT: *field = "layout"; break;
    case CLINIT_ERROR_INVALID_PARAMETER:
    case CLINIT_ERROR_INVALID_MODE:
    case CLINIT_ERROR_INVALID_NONLINEARITY: *field = "params"; break;
    default: *field = "init"; break;
    }
    return -1;
}

const char *cli_init_names(void)
{
    static char names[512];
    if (!names[0]) {
        size_t used = 0;
        const char *name;
        for (int i = 0; (name = clinit_init_name((clinit_init_kind)i)) != NULL; i++)
            append(names, sizeof names, &used, "%s%s", i ? ", " : "", name);
    }
    return names;
}
