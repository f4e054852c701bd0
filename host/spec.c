/* Initializer names, PyTorch's defaults, parameters by name, and resolution of an initializer against a
 * shape to the distribution it samples (formulas of PyTorch torch/nn/init.py, same operation order). */
#include "internal.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const init_names[] = {
    [CLINIT_INIT_UNIFORM] = "uniform",
    [CLINIT_INIT_NORMAL] = "normal",
    [CLINIT_INIT_CONSTANT] = "constant",
    [CLINIT_INIT_ZEROS] = "zeros",
    [CLINIT_INIT_ONES] = "ones",
    [CLINIT_INIT_XAVIER_UNIFORM] = "xavier_uniform",
    [CLINIT_INIT_XAVIER_NORMAL] = "xavier_normal",
    [CLINIT_INIT_KAIMING_UNIFORM] = "kaiming_uniform",
    [CLINIT_INIT_KAIMING_NORMAL] = "kaiming_normal",
    [CLINIT_INIT_LINEAR_DEFAULT_WEIGHT] = "linear_default_weight",
    [CLINIT_INIT_LINEAR_DEFAULT_BIAS] = "linear_default_bias",
};
#define INIT_COUNT ((int)(sizeof init_names / sizeof init_names[0]))

const char *clinit_init_name(clinit_init_kind kind)
{
    return (int)kind >= 0 && (int)kind < INIT_COUNT ? init_names[kind] : NULL;
}

clinit_status clinit_init_from_name(const char *name, clinit_init_kind *out)
{
    if (!name || !out) return CLINIT_ERROR_NULL_ARGUMENT;
    for (int i = 0; i < INIT_COUNT; i++)
        if (strcmp(name, init_names[i]) == 0) {
            *out = (clinit_init_kind)i;
            return CLINIT_SUCCESS;
        }
    return CLINIT_ERROR_INVALID_INIT;
}

clinit_init_spec clinit_init_spec_default(clinit_init_kind kind)
{
    clinit_init_spec s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.a = 0;
    s.b = 1;
    s.mean = 0;
    s.std = 1;
    s.val = 0;
    s.gain = 1;
    s.mode = CLINIT_FAN_IN;
    s.nonlinearity = CLINIT_NL_LEAKY_RELU;
    s.fan_in = 0;
    return s;
}

/* Which parameter names each initializer takes, as in PyTorch's signatures. */
const char *clinit_init_param_names(clinit_init_kind kind)
{
    static const char *const lists[] = {
        [CLINIT_INIT_UNIFORM] = "a, b",
        [CLINIT_INIT_NORMAL] = "mean, std",
        [CLINIT_INIT_CONSTANT] = "val",
        [CLINIT_INIT_ZEROS] = "",
        [CLINIT_INIT_ONES] = "",
        [CLINIT_INIT_XAVIER_UNIFORM] = "gain",
        [CLINIT_INIT_XAVIER_NORMAL] = "gain",
        [CLINIT_INIT_KAIMING_UNIFORM] = "a, mode, nonlinearity",
        [CLINIT_INIT_KAIMING_NORMAL] = "a, mode, nonlinearity",
        [CLINIT_INIT_LINEAR_DEFAULT_WEIGHT] = "",
        [CLINIT_INIT_LINEAR_DEFAULT_BIAS] = "fan_in",
    };
    return (int)kind >= 0 && (int)kind < INIT_COUNT ? lists[kind] : NULL;
}

static int kind_uses(clinit_init_kind kind, const char *name)
{
    const char *list = clinit_init_param_names(kind);
    size_t n = strlen(name);
    for (const char *p = list; p && *p; p += strcspn(p, ","), p += strspn(p, ", "))
        if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0')) return 1;
    return 0;
}

clinit_status clinit_init_spec_set(clinit_init_spec *spec, const char *name, const char *value)
{
    if (!spec || !name || !value) return CLINIT_ERROR_NULL_ARGUMENT;
    if (!kind_uses(spec->kind, name)) return CLINIT_ERROR_UNKNOWN_PARAMETER;
    if (strcmp(name, "mode") == 0) {
        if (strcmp(value, "fan_in") == 0) spec->mode = CLINIT_FAN_IN;
        else if (strcmp(value, "fan_out") == 0) spec->mode = CLINIT_FAN_OUT;
        else return CLINIT_ERROR_INVALID_MODE;
        return CLINIT_SUCCESS;
    }
    if (strcmp(name, "nonlinearity") == 0) return clinit_nonlinearity_from_name(value, &spec->nonlinearity);
    char *end = NULL;
    errno = 0;
    if (strcmp(name, "fan_in") == 0) {
        long long v = strtoll(value, &end, 10);
        if (end == value || *end != '\0' || errno == ERANGE || v < 0) return CLINIT_ERROR_INVALID_PARAMETER;
        spec->fan_in = v;
        return CLINIT_SUCCESS;
    }
    double v = strtod(value, &end);
    if (end == value || *end != '\0') return CLINIT_ERROR_INVALID_PARAMETER;
    double *field = strcmp(name, "a") == 0      ? &spec->a
                    : strcmp(name, "b") == 0    ? &spec->b
                    : strcmp(name, "mean") == 0 ? &spec->mean
                    : strcmp(name, "std") == 0  ? &spec->std
                    : strcmp(name, "val") == 0  ? &spec->val
                                                : &spec->gain;
    *field = v;
    return CLINIT_SUCCESS;
}

static clinit_status set_dist(int *dist, double *p0, double *p1, int d, double a, double b)
{
    *dist = d;
    *p0 = a;
    *p1 = b;
    return CLINIT_SUCCESS;
}

#define FAIL(status, ...) (snprintf(what, what_size, __VA_ARGS__), (status))

static clinit_status resolve(const clinit_init_spec *spec, int rank, const int64_t *shape, clinit_layout layout,
                             int *dist, double *p0, double *p1, char *what, size_t what_size)
{
    if (rank < 0 || rank > CLINIT_MAX_RANK)
        return FAIL(CLINIT_ERROR_INVALID_RANK, "rank %d is outside 0..%d", rank, CLINIT_MAX_RANK);
    if (rank > 0 && !shape) return FAIL(CLINIT_ERROR_NULL_ARGUMENT, "shape is NULL");
    uint64_t numel = 1;
    for (int d = 0; d < rank; d++) {
        if (shape[d] < 0) return FAIL(CLINIT_ERROR_INVALID_SHAPE, "shape[%d] = %lld is negative", d, (long long)shape[d]);
        if (shape[d] != 0 && numel > (CLINIT_MAX_ELEMENTS - 1) / (uint64_t)shape[d])
            return FAIL(CLINIT_ERROR_INVALID_SHAPE, "shape has 2^56 or more elements (at dimension %d)", d);
        numel *= (uint64_t)shape[d];
    }
    if (numel == 0) return set_dist(dist, p0, p1, CLINIT_DIST_CONSTANT, 0, 0);

    const char *name = clinit_init_name(spec->kind);
    if (!name) return FAIL(CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)spec->kind);

    int64_t fan_in = 0, fan_out = 0;
    int needs_fans = spec->kind == CLINIT_INIT_XAVIER_UNIFORM || spec->kind == CLINIT_INIT_XAVIER_NORMAL ||
                     spec->kind == CLINIT_INIT_KAIMING_UNIFORM || spec->kind == CLINIT_INIT_KAIMING_NORMAL ||
                     spec->kind == CLINIT_INIT_LINEAR_DEFAULT_WEIGHT;
    if (needs_fans) {
        clinit_status st = clinit_compute_fans(rank, shape, layout, &fan_in, &fan_out);
        if (st == CLINIT_ERROR_INVALID_RANK)
            return FAIL(st, "%s needs a tensor of rank >= 2 to compute fan_in and fan_out, got rank %d", name, rank);
        if (st == CLINIT_ERROR_INVALID_LAYOUT) return FAIL(st, "layout %d is unknown", (int)layout);
        if (st != CLINIT_SUCCESS) return FAIL(st, "cannot compute fans: %s", clinit_status_string(st));
    }

    switch (spec->kind) {
    case CLINIT_INIT_UNIFORM:
        if (!isfinite(spec->a) || !isfinite(spec->b))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "uniform: a = %g and b = %g must be finite", spec->a, spec->b);
        if (spec->a > spec->b)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "uniform: a = %g is greater than b = %g", spec->a, spec->b);
        return set_dist(dist, p0, p1, CLINIT_DIST_UNIFORM, spec->a, spec->b);
    case CLINIT_INIT_NORMAL:
        if (!isfinite(spec->mean)) return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "normal: mean = %g must be finite", spec->mean);
        if (!isfinite(spec->std) || spec->std < 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "normal: std = %g must be finite and >= 0", spec->std);
        return set_dist(dist, p0, p1, CLINIT_DIST_NORMAL, spec->mean, spec->std);
    case CLINIT_INIT_CONSTANT:
        if (!isfinite(spec->val)) return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "constant: val = %g must be finite", spec->val);
        return set_dist(dist, p0, p1, CLINIT_DIST_CONSTANT, spec->val, 0);
    case CLINIT_INIT_ZEROS: return set_dist(dist, p0, p1, CLINIT_DIST_CONSTANT, 0, 0);
    case CLINIT_INIT_ONES: return set_dist(dist, p0, p1, CLINIT_DIST_CONSTANT, 1, 0);
    case CLINIT_INIT_XAVIER_UNIFORM:
    case CLINIT_INIT_XAVIER_NORMAL: {
        if (!isfinite(spec->gain) || spec->gain < 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: gain = %g must be finite and >= 0", name, spec->gain);
        double std = spec->gain * sqrt(2.0 / (double)(fan_in + fan_out));
        if (spec->kind == CLINIT_INIT_XAVIER_NORMAL) return set_dist(dist, p0, p1, CLINIT_DIST_NORMAL, 0, std);
        double bound = sqrt(3.0) * std;
        return set_dist(dist, p0, p1, CLINIT_DIST_UNIFORM, -bound, bound);
    }
    case CLINIT_INIT_KAIMING_UNIFORM:
    case CLINIT_INIT_KAIMING_NORMAL:
    case CLINIT_INIT_LINEAR_DEFAULT_WEIGHT: {
        int is_default = spec->kind == CLINIT_INIT_LINEAR_DEFAULT_WEIGHT;
        double a = is_default ? sqrt(5.0) : spec->a;
        clinit_fan_mode mode = is_default ? CLINIT_FAN_IN : spec->mode;
        clinit_nonlinearity nl = is_default ? CLINIT_NL_LEAKY_RELU : spec->nonlinearity;
        if (mode != CLINIT_FAN_IN && mode != CLINIT_FAN_OUT)
            return FAIL(CLINIT_ERROR_INVALID_MODE, "%s: mode %d is neither fan_in nor fan_out", name, (int)mode);
        double gain;
        clinit_status st = clinit_calculate_gain(nl, a, &gain);
        if (st == CLINIT_ERROR_INVALID_NONLINEARITY)
            return FAIL(st, "%s: nonlinearity %d is unknown", name, (int)nl);
        if (st != CLINIT_SUCCESS) return FAIL(st, "%s: a = %g must be finite", name, a);
        double std = gain / sqrt((double)(mode == CLINIT_FAN_IN ? fan_in : fan_out));
        if (spec->kind == CLINIT_INIT_KAIMING_NORMAL) return set_dist(dist, p0, p1, CLINIT_DIST_NORMAL, 0, std);
        double bound = sqrt(3.0) * std;
        return set_dist(dist, p0, p1, CLINIT_DIST_UNIFORM, -bound, bound);
    }
    case CLINIT_INIT_LINEAR_DEFAULT_BIAS: {
        if (spec->fan_in < 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: fan_in = %lld must be >= 0", name, (long long)spec->fan_in);
        double bound = spec->fan_in > 0 ? 1 / sqrt((double)spec->fan_in) : 0;
        return set_dist(dist, p0, p1, CLINIT_DIST_UNIFORM, -bound, bound);
    }
    }
    return FAIL(CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)spec->kind);
}

clinit_status clinit_init_resolve(const clinit_init_spec *spec, int rank, const int64_t *shape,
                                  clinit_layout layout, int *dist, double *p0, double *p1)
{
    char what[256];
    if (!spec || !dist || !p0 || !p1) return CLINIT_ERROR_NULL_ARGUMENT;
    return resolve(spec, rank, shape, layout, dist, p0, p1, what, sizeof what);
}

static const char *dtype_name(clinit_dtype dtype)
{
    return dtype == CLINIT_F16 ? "f16" : dtype == CLINIT_BF16 ? "bf16" : dtype == CLINIT_F64 ? "f64" : "f32";
}

clinit_status clinit_resolve_float(const clinit_init_spec *spec, const clinit_tensor *t, clinit_resolved *out,
                                   char *what, size_t what_size)
{
    if (!spec) return FAIL(CLINIT_ERROR_NULL_ARGUMENT, "spec is NULL");
    double p0, p1;
    clinit_status st = resolve(spec, t->rank, t->shape, t->layout, &out->dist, &p0, &p1, what, what_size);
    if (st != CLINIT_SUCCESS) return st;
    const char *name = clinit_init_name(spec->kind);
    const char *dt = dtype_name(t->dtype);
    out->p0 = (float)p0;
    out->p1 = (float)p1;
    out->lo_d = out->hi_d = 0;
    float dmax = clinit_dtype_max(t->dtype);
    if (!isfinite(out->p0) || !isfinite(out->p1))
        return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: parameters (%g, %g) overflow float", name, p0, p1);
    switch (out->dist) {
    case CLINIT_DIST_CONSTANT:
        if (fabsf(clinit_dtype_round(t->dtype, out->p0)) > dmax)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %g overflows %s", name, p0, dt);
        break;
    case CLINIT_DIST_UNIFORM:
        if (!isfinite(out->p1 - out->p0))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: b - a = %g - %g overflows float", name, p1, p0);
        if (out->p0 == out->p1) {
            out->lo_d = out->hi_d = clinit_dtype_round(t->dtype, out->p0);
            if (fabsf(out->lo_d) > dmax)
                return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %g overflows %s", name, p0, dt);
            break;
        }
        out->lo_d = clinit_dtype_ceil(t->dtype, out->p0);
        out->hi_d = clinit_dtype_below(t->dtype, out->p1);
        if (!(out->lo_d <= out->hi_d) || fabsf(out->lo_d) > dmax || fabsf(out->hi_d) > dmax)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: no %s value lies in [%g, %g)", name, dt, p0, p1);
        break;
    case CLINIT_DIST_NORMAL:
        /* |z| ≤ 5.7686 (docs/ALGORITHMS.md §4); 5.77 leaves room for rounding. */
        if (fabs((double)out->p0) + 5.77 * (double)out->p1 > (double)dmax)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: mean %g + 5.77 std %g can overflow %s", name, p0, p1, dt);
        break;
    }
    return CLINIT_SUCCESS;
}
