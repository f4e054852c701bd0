/* Initializer names, defaults (PyTorch's, or Keras's for its names) and parameters by name. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    [CLINIT_INIT_TRUNC_NORMAL] = "trunc_normal",
    [CLINIT_INIT_VARIANCE_SCALING] = "variance_scaling",
    [CLINIT_INIT_GLOROT_UNIFORM] = "glorot_uniform",
    [CLINIT_INIT_GLOROT_NORMAL] = "glorot_normal",
    [CLINIT_INIT_HE_UNIFORM] = "he_uniform",
    [CLINIT_INIT_HE_NORMAL] = "he_normal",
    [CLINIT_INIT_LECUN_UNIFORM] = "lecun_uniform",
    [CLINIT_INIT_LECUN_NORMAL] = "lecun_normal",
    [CLINIT_INIT_ORTHOGONAL] = "orthogonal",
    [CLINIT_INIT_DELTA_ORTHOGONAL] = "delta_orthogonal",
    [CLINIT_INIT_EYE] = "eye",
    [CLINIT_INIT_DIRAC] = "dirac",
    [CLINIT_INIT_SPARSE] = "sparse",
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
    s.scale = 1;
    s.distribution = CLINIT_VS_TRUNCATED_NORMAL;
    s.groups = 1;
    s.sparsity = 0;
    if (kind == CLINIT_INIT_SPARSE) s.std = 0.01; /* PyTorch's sparse_ default */
    if (kind == CLINIT_INIT_TRUNC_NORMAL) { /* PyTorch's trunc_normal_ defaults: a = −2, b = 2 */
        s.a = -2;
        s.b = 2;
    }
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
        [CLINIT_INIT_TRUNC_NORMAL] = "mean, std, a, b",
        [CLINIT_INIT_VARIANCE_SCALING] = "scale, mode, distribution",
        [CLINIT_INIT_GLOROT_UNIFORM] = "",
        [CLINIT_INIT_GLOROT_NORMAL] = "",
        [CLINIT_INIT_HE_UNIFORM] = "",
        [CLINIT_INIT_HE_NORMAL] = "",
        [CLINIT_INIT_LECUN_UNIFORM] = "",
        [CLINIT_INIT_LECUN_NORMAL] = "",
        [CLINIT_INIT_ORTHOGONAL] = "gain",
        [CLINIT_INIT_DELTA_ORTHOGONAL] = "scale",
        [CLINIT_INIT_EYE] = "gain",
        [CLINIT_INIT_DIRAC] = "groups",
        [CLINIT_INIT_SPARSE] = "sparsity, std",
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
        static const char *const modes[] = {"fan_in", "fan_out", "fan_avg", "fan_geo_avg"};
        /* kaiming_* take fan_in and fan_out only, as in PyTorch. */
        int n = spec->kind == CLINIT_INIT_VARIANCE_SCALING ? 4 : 2;
        for (int i = 0; i < n; i++)
            if (strcmp(value, modes[i]) == 0) {
                spec->mode = (clinit_fan_mode)i;
                return CLINIT_SUCCESS;
            }
        return CLINIT_ERROR_INVALID_MODE;
    }
    if (strcmp(name, "distribution") == 0) {
        static const char *const dists[] = {"truncated_normal", "untruncated_normal", "uniform"};
        for (int i = 0; i < 3; i++)
            if (strcmp(value, dists[i]) == 0) {
                spec->distribution = (clinit_vs_distribution)i;
                return CLINIT_SUCCESS;
            }
        return CLINIT_ERROR_INVALID_PARAMETER; /* "normal" too: Keras and JAX disagree on what it means */
    }
    if (strcmp(name, "nonlinearity") == 0) return clinit_nonlinearity_from_name(value, &spec->nonlinearity);
    /* Numbers are strict: no blanks (strtod and strtoll skip leading ones; a trailing one fails the whole-string
     * check) and no '+'. A '-' is syntax for the real numbers (their ranges are checked at fill time); the
     * integers, never negative, are decimal digits only. */
    if (isspace((unsigned char)value[0]) || value[0] == '+') return CLINIT_ERROR_INVALID_PARAMETER;
    char *end = NULL;
    errno = 0;
    if (strcmp(name, "fan_in") == 0 || strcmp(name, "groups") == 0) {
        if (!value[0] || value[strspn(value, "0123456789")] != '\0') return CLINIT_ERROR_INVALID_PARAMETER;
        long long v = strtoll(value, &end, 10);
        if (*end != '\0' || errno == ERANGE) return CLINIT_ERROR_INVALID_PARAMETER;
        *(strcmp(name, "groups") == 0 ? &spec->groups : &spec->fan_in) = v;
        return CLINIT_SUCCESS;
    }
    /* Real numbers in decimal (strtod would also take hexadecimal floats and "nan"), or ±inf/infinity. */
    const char *mag = value + (value[0] == '-');
    int decimal = isdigit((unsigned char)mag[0]) || (mag[0] == '.' && isdigit((unsigned char)mag[1]));
    if (decimal ? mag[strspn(mag, "0123456789.eE+-")] != '\0'
                : strcasecmp(mag, "inf") != 0 && strcasecmp(mag, "infinity") != 0)
        return CLINIT_ERROR_INVALID_PARAMETER;
    double v = strtod(value, &end);
    if (end == value || *end != '\0') return CLINIT_ERROR_INVALID_PARAMETER;
    /* A decimal beyond double's range became ±inf or 0 ("1e999", "1e-400"): not the value written. Subnormals
     * (also ERANGE) are kept, as float("1e-310") keeps them. */
    if (decimal && errno == ERANGE && (isinf(v) || v == 0)) return CLINIT_ERROR_INVALID_PARAMETER;
    double *field = strcmp(name, "a") == 0      ? &spec->a
                    : strcmp(name, "b") == 0    ? &spec->b
                    : strcmp(name, "mean") == 0 ? &spec->mean
                    : strcmp(name, "std") == 0  ? &spec->std
                    : strcmp(name, "val") == 0  ? &spec->val
                    : strcmp(name, "scale") == 0 ? &spec->scale
                    : strcmp(name, "sparsity") == 0 ? &spec->sparsity
                                                : &spec->gain;
    *field = v;
    return CLINIT_SUCCESS;
}
