/* The rules of the registry's rows: what each initializer samples on a tensor, in double precision — PyTorch's
 * torch/nn/init.py and Keras's/JAX's variance scaling, in the same operation order (so the same doubles). A rule
 * runs after the row's checks (parameters in range, rank, layout, fans), so it checks only what relates
 * parameters to each other or to the shape. */
#include "registry.h"

#include <assert.h>
#include <math.h>

clinit_status ci_dist_constant(clinit_distribution *d, double v)
{
    d->kind = CLINIT_DIST_CONSTANT;
    d->value = d->expected_mean = v;
    d->expected_std = 0;
    return CLINIT_SUCCESS;
}

clinit_status ci_dist_uniform(clinit_distribution *d, double lo, double hi)
{
    d->kind = CLINIT_DIST_UNIFORM;
    d->low = lo;
    d->high = hi;
    d->expected_mean = lo / 2 + hi / 2;
    d->expected_std = (hi - lo) / sqrt(12.0);
    return CLINIT_SUCCESS;
}

clinit_status ci_dist_normal(clinit_distribution *d, double mean, double std)
{
    d->kind = CLINIT_DIST_NORMAL;
    d->mean = d->expected_mean = mean;
    d->std = d->expected_std = std;
    return CLINIT_SUCCESS;
}

clinit_status ci_dist_truncated(clinit_distribution *d, double mean, double std, double lo, double hi)
{
    d->kind = CLINIT_DIST_TRUNCATED_NORMAL;
    d->mean = mean;
    d->std = std;
    d->low = lo;
    d->high = hi;
    ci_truncnorm_moments((lo - mean) / std, (hi - mean) / std, &d->expected_mean, &d->expected_std);
    d->expected_mean = mean + std * d->expected_mean;
    d->expected_std *= std;
    return CLINIT_SUCCESS;
}

/* U[−√3·std, √3·std) or N(0, std²) as the spec's (fixed) distribution says: xavier_* and kaiming_*. */
static clinit_status spread(const clinit_init_spec *s, clinit_distribution *d, double std)
{
    if (s->distribution == CLINIT_VS_UNTRUNCATED_NORMAL) return ci_dist_normal(d, 0, std);
    assert(s->distribution == CLINIT_VS_UNIFORM);
    double bound = sqrt(3.0) * std;
    return ci_dist_uniform(d, -bound, bound);
}

clinit_status ci_rule_constant(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    return ci_dist_constant(d, in->spec->val);
}

clinit_status ci_rule_uniform(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    const clinit_init_spec *s = in->spec;
    if (s->a > s->b)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "uniform: a = %g is greater than b = %g",
                          s->a, s->b);
    return ci_dist_uniform(d, s->a, s->b);
}

clinit_status ci_rule_normal(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    return ci_dist_normal(d, in->spec->mean, in->spec->std);
}

clinit_status ci_rule_xavier(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    return spread(in->spec, d, in->spec->gain * sqrt(2.0 / (double)(in->fan_in + in->fan_out)));
}

/* kaiming_* and linear_default_weight (a = √5, fan_in, leaky_relu: fixed by its row). */
clinit_status ci_rule_kaiming(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    const clinit_init_spec *s = in->spec;
    double gain;
    /* the row checked the nonlinearity and that a is finite, all calculate_gain refuses */
    clinit_status st = clinit_calculate_gain(s->nonlinearity, s->a, &gain);
    if (st != CLINIT_SUCCESS) return ci_explain(what, what_size, st, "%s: a = %g must be finite", in->name, s->a);
    return spread(s, d, gain / sqrt((double)(s->mode == CLINIT_FAN_IN ? in->fan_in : in->fan_out)));
}

clinit_status ci_rule_linear_bias(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    double bound = in->spec->fan_in > 0 ? 1 / sqrt((double)in->spec->fan_in) : 0;
    return ci_dist_uniform(d, -bound, bound);
}

clinit_status ci_rule_trunc_normal(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    const clinit_init_spec *s = in->spec;
    if (!(s->a <= s->b))
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                          "trunc_normal: need a <= b, got a = %g, b = %g", s->a, s->b);
    if (s->a == s->b) {
        /* PyTorch's trunc_normal_ clamps its values to [a, b]: all of them are a. */
        if (!isfinite(s->a))
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                              "trunc_normal: a = b = %g: values must be finite", s->a);
        return ci_dist_constant(d, s->a);
    }
    return ci_dist_truncated(d, s->mean, s->std, s->a, s->b);
}

/* Keras/JAX variance scaling: var = scale / n; the std of N(0, 1) restricted to (−2, 2) is 0.8796…. */
clinit_status ci_rule_variance_scaling(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    const clinit_init_spec *s = in->spec;
    double fi = (double)in->fan_in, fo = (double)in->fan_out;
    double n = s->mode == CLINIT_FAN_IN    ? fi
               : s->mode == CLINIT_FAN_OUT ? fo
               : s->mode == CLINIT_FAN_AVG ? (fi + fo) / 2
                                           : sqrt(fi * fo);
    /* Keras clamps n to ≥ 1; with whole fans of a non-empty tensor n ≥ 1 already, so JAX agrees. */
    double var = s->scale / (n < 1 ? 1 : n);
    if (s->distribution == CLINIT_VS_UNIFORM) {
        double limit = sqrt(3.0 * var);
        return ci_dist_uniform(d, -limit, limit);
    }
    if (s->distribution == CLINIT_VS_UNTRUNCATED_NORMAL) return ci_dist_normal(d, 0, sqrt(var));
    double stddev = sqrt(var) / 0.87962566103423978;
    return ci_dist_truncated(d, 0, stddev, -2 * stddev, 2 * stddev);
}

/* The R × C matrix of the framework's rule (host/orth_rule.c: PyTorch's, Keras's or JAX's column_axis); its
 * smaller side is orthonormal. */
clinit_status ci_rule_orthogonal(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    const clinit_init_spec *s = in->spec;
    int rank = in->t->rank;
    if (s->has_column_axis && (s->column_axis < -rank || s->column_axis >= rank))
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                          "orthogonal: column_axis = %d is not an axis of a rank-%d tensor (in [-%d, %d))",
                          s->column_axis, rank, rank, rank);
    ci_orth_plan p;
    ci_orth_plan_of(in->t, s, &p);
    d->kind = CLINIT_DIST_ORTHOGONAL;
    d->value = s->gain;
    d->expected_std = fabs(d->value) / sqrt((double)p.m);
    return CLINIT_SUCCESS;
}

/* JAX: the (in, out) matrix at the centre tap, in ≤ out; OI (out, in, k…) or IO (k…, in, out). */
clinit_status ci_rule_delta_orthogonal(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    const clinit_tensor *t = in->t;
    const clinit_init_spec *s = in->spec;
    if (s->has_column_axis && (s->column_axis < -2 || s->column_axis >= 2))
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                          "delta_orthogonal: column_axis = %d is not an axis of its (in, out) matrix (in [-2, 2))",
                          s->column_axis);
    int oi = t->layout == CLINIT_LAYOUT_OI;
    int64_t n_in = t->shape[oi ? 1 : t->rank - 2], n_out = t->shape[oi ? 0 : t->rank - 1];
    if (n_in > n_out)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_SHAPE, "delta_orthogonal needs in (%lld) <= out (%lld)",
                          (long long)n_in, (long long)n_out);
    d->kind = CLINIT_DIST_ORTHOGONAL;
    d->value = in->spec->scale;
    d->expected_std = fabs(d->value) * sqrt((double)n_in / (double)in->numel);
    return CLINIT_SUCCESS;
}

clinit_status ci_rule_eye(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    const int64_t *sh = in->t->shape;
    d->kind = CLINIT_DIST_STRUCTURED;
    d->value = in->spec->gain;
    d->expected_mean = d->value * (double)(sh[0] < sh[1] ? sh[0] : sh[1]) / (double)in->numel;
    d->expected_std = sqrt(d->value * d->expected_mean - d->expected_mean * d->expected_mean);
    return CLINIT_SUCCESS;
}

/* PyTorch dirac_: (out, in, k…), or (k…, in, out) under IO; groups divides out (not checked on an empty tensor's
 * stand-in, whose extents are not the tensor's). */
clinit_status ci_rule_dirac(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    const clinit_tensor *t = in->t;
    int oi = t->layout == CLINIT_LAYOUT_OI;
    int64_t out = t->shape[oi ? 0 : t->rank - 1], n_in = t->shape[oi ? 1 : t->rank - 2], groups = in->spec->groups;
    if (!in->stand_in && out % groups != 0)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                          "dirac: groups = %lld must divide out = %lld", (long long)groups, (long long)out);
    int64_t per = out / groups, ones = groups * (per < n_in ? per : n_in);
    d->kind = CLINIT_DIST_STRUCTURED;
    d->value = 1;
    d->count = groups;
    d->expected_mean = (double)ones / (double)in->numel;
    d->expected_std = sqrt(d->expected_mean - d->expected_mean * d->expected_mean);
    return CLINIT_SUCCESS;
}

clinit_status ci_rule_sparse(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    const clinit_init_spec *s = in->spec;
    int64_t rows = in->t->shape[0];
    d->kind = CLINIT_DIST_SPARSE;
    d->std = s->std;
    d->count = (int64_t)ceil(s->sparsity * (double)rows); /* PyTorch: math.ceil(sparsity * rows) */
    d->expected_std = s->std * sqrt(1 - (double)d->count / (double)rows);
    return CLINIT_SUCCESS;
}

/* tinygrad's Tensor.scaled_uniform: uniform(low=-1, high=1) times prod(shape) ** -0.5, i.e. U[−B, B) with
 * B = 1/√numel of the logical tensor. tinygrad's pow and this 1 / sqrt agree within a double's rounding; 1 / sqrt
 * is two correctly rounded operations, the same on every host. */
clinit_status ci_rule_scaled_uniform(const ci_rule_input *in, clinit_distribution *d, char *what, size_t what_size)
{
    (void)what, (void)what_size;
    double bound = 1 / sqrt((double)in->numel);
    return ci_dist_uniform(d, -bound, bound);
}
