/* Initializer specifications from names. The library answers "invalid parameter" both for a name the
 * initializer does not take and for a bad value; trying the name with a value that is always valid, on a
 * copy of the spec, tells the two apart and lists the names the initializer does take. */
#include "spec.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NOT_A_DOUBLE SIZE_MAX

static const struct {
    const char *name;
    const char *valid; /* a value clinit_init_spec_set always accepts for this name */
    size_t offset;     /* of the double field in clinit_init_spec, or NOT_A_DOUBLE */
} known_params[] = {
    {"a", "0", offsetof(clinit_init_spec, a)},
    {"b", "1", offsetof(clinit_init_spec, b)},
    {"mean", "0", offsetof(clinit_init_spec, mean)},
    {"std", "1", offsetof(clinit_init_spec, std)},
    {"val", "0", offsetof(clinit_init_spec, val)},
    {"gain", "1", offsetof(clinit_init_spec, gain)},
    {"mode", "fan_in", NOT_A_DOUBLE},
    {"nonlinearity", "linear", NOT_A_DOUBLE},
    {"fan_in", "0", NOT_A_DOUBLE},
};
#define KNOWN_PARAMS (sizeof known_params / sizeof known_params[0])

static int takes(const clinit_init_spec *spec, size_t param)
{
    clinit_init_spec probe = *spec;
    return clinit_init_spec_set(&probe, known_params[param].name, known_params[param].valid) == CLINIT_SUCCESS;
}

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

/* "a=0.1, mode=fan_out, …": the parameters spec takes, with their values. */
static void describe(const clinit_init_spec *spec, int with_values, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < KNOWN_PARAMS; i++) {
        if (!takes(spec, i)) continue;
        const char *name = known_params[i].name;
        append(buf, size, &used, "%s%s", used ? ", " : "", name);
        if (!with_values) continue;
        size_t offset = known_params[i].offset;
        if (offset != NOT_A_DOUBLE)
            append(buf, size, &used, "=%g", *(const double *)(const void *)((const char *)spec + offset));
        else if (strcmp(name, "mode") == 0)
            append(buf, size, &used, "=%s", spec->mode == CLINIT_FAN_OUT ? "fan_out" : "fan_in");
        else if (strcmp(name, "nonlinearity") == 0)
            append(buf, size, &used, "=%s", clinit_nonlinearity_name(spec->nonlinearity));
        else
            append(buf, size, &used, "=%lld", (long long)spec->fan_in);
    }
}

int cli_spec_set(clinit_init_spec *spec, const char *name, const char *value, char *why, size_t why_size)
{
    clinit_status st = clinit_init_spec_set(spec, name, value);
    if (st == CLINIT_SUCCESS) return 0;
    size_t param = 0;
    while (param < KNOWN_PARAMS && strcmp(known_params[param].name, name) != 0) param++;
    char list[512];
    size_t used = 0;
    if (param == KNOWN_PARAMS || !takes(spec, param)) {
        describe(spec, 0, list, sizeof list);
        snprintf(why, why_size, "%s takes no parameter \"%s\" (%s%s)", clinit_init_name(spec->kind), name,
                 *list ? "it takes: " : "it takes none", list);
    } else if (st == CLINIT_ERROR_INVALID_MODE) {
        snprintf(why, why_size, "mode \"%s\" is neither fan_in nor fan_out", value);
    } else if (st == CLINIT_ERROR_INVALID_NONLINEARITY) {
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
    for (int d = 0; d < rank; d++) t.shape[d] = t.box_extent[d] = shape[d];
    /* A box of zero elements makes the host reference fill check everything a device fill checks and then
     * compute nothing. Rank 0 has no box: its single element goes to `scratch`. */
    if (rank > 0) {
        t.has_box = 1;
        t.box_extent[0] = 0;
    }
    float scratch;
    clinit_status st = clinit_reference_fill(&t, spec, 0, 0, &scratch, sizeof scratch);
    if (st == CLINIT_SUCCESS) {
        *numel = 1;
        for (int d = 0; d < rank; d++) *numel *= (uint64_t)shape[d];
        return 0;
    }
    const char *init = clinit_init_name(spec->kind);
    char values[512];
    switch (st) {
    case CLINIT_ERROR_INVALID_RANK:
        *field = "shape";
        snprintf(why, why_size, "%s needs rank >= 2 to compute fan_in and fan_out, got rank %d", init, rank);
        break;
    case CLINIT_ERROR_INVALID_SHAPE:
        *field = "shape";
        snprintf(why, why_size, "%s: 2^62 elements or more", clinit_status_string(st));
        break;
    case CLINIT_ERROR_INVALID_LAYOUT:
        *field = "layout";
        snprintf(why, why_size, "%s", clinit_status_string(st));
        break;
    case CLINIT_ERROR_INVALID_PARAMETER:
    case CLINIT_ERROR_INVALID_MODE:
    case CLINIT_ERROR_INVALID_NONLINEARITY:
        *field = "params";
        describe(spec, 1, values, sizeof values);
        snprintf(why, why_size, "%s: %s(%s) (non-finite, negative, a > b, or out of float range)",
                 clinit_status_string(st), init, values);
        break;
    default:
        *field = "init";
        snprintf(why, why_size, "%s", clinit_status_string(st));
        break;
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
