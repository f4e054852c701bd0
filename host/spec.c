/* Initializer names, defaults (PyTorch's, or Keras's for its names) and the parameters each takes. */
#include "internal.h"

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

/* Which parameter names each initializer takes, as in PyTorch's signatures (column_axis: JAX's). */
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
        [CLINIT_INIT_ORTHOGONAL] = "gain, column_axis",
        [CLINIT_INIT_DELTA_ORTHOGONAL] = "scale, column_axis",
        [CLINIT_INIT_EYE] = "gain",
        [CLINIT_INIT_DIRAC] = "groups",
        [CLINIT_INIT_SPARSE] = "sparsity, std",
    };
    return (int)kind >= 0 && (int)kind < INIT_COUNT ? lists[kind] : NULL;
}
