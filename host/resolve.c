/* Resolution of an initializer against a tensor to the distribution it samples: the formulas of PyTorch's
 * torch/nn/init.py and Keras's/JAX's variance scaling, in the same operation order (so the same doubles),
 * then the float parameters the kernels take, checked against the output dtype. */
#include "internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FAIL(status, ...) (clinit_c_snprintf(what, what_size, __VA_ARGS__), (status))

static clinit_status constant(clinit_distribution *d, double v)
{
    d->kind = CLINIT_DIST_CONSTANT;
    d->value = d->expected_mean = v;
    d->expected_std = 0;
    return CLINIT_SUCCESS;
}

static clinit_status uniform(clinit_distribution *d, double lo, double hi)
{
    d->kind = CLINIT_DIST_UNIFORM;
    d->low = lo;
    d->high = hi;
    d->expected_mean = lo / 2 + hi / 2;
    d->expected_std = (hi - lo) / sqrt(12.0);
    return CLINIT_SUCCESS;
}

static clinit_status normal(clinit_distribution *d, double mean, double std)
{
    d->kind = CLINIT_DIST_NORMAL;
    d->mean = d->expected_mean = mean;
    d->std = d->expected_std = std;
    return CLINIT_SUCCESS;
}

static clinit_status truncated(clinit_distribution *d, double mean, double std, double lo, double hi)
{
    d->kind = CLINIT_DIST_TRUNCATED_NORMAL;
    d->mean = mean;
    d->std = std;
    d->low = lo;
    d->high = hi;
    clinit_truncnorm_moments((lo - mean) / std, (hi - mean) / std, &d->expected_mean, &d->expected_std);
    d->expected_mean = mean + std * d->expected_mean;
    d->expected_std *= std;
    return CLINIT_SUCCESS;
}

/* Keras/JAX variance scaling: var = scale / n; the std of N(0, 1) restricted to (−2, 2) is 0.8796…. */
static clinit_status variance_scaling(clinit_distribution *d, double scale, double n, clinit_vs_distribution dist)
{
    double var = scale / n;
    if (dist == CLINIT_VS_UNIFORM) {
        double limit = sqrt(3.0 * var);
        return uniform(d, -limit, limit);
    }
    if (dist == CLINIT_VS_UNTRUNCATED_NORMAL) return normal(d, 0, sqrt(var));
    double stddev = sqrt(var) / 0.87962566103423978;
    return truncated(d, 0, stddev, -2 * stddev, 2 * stddev);
}

/* Orthogonal, delta-orthogonal, eye, dirac and sparse: PyTorch's rank rules (JAX's for delta_orthogonal, and
 * for the column_axis of both).
 * Parameters are checked before the shape, and with `stand_in` (an empty tensor's, see empty_stand_in) the
 * rules that relate them to the extents are skipped. */
static clinit_status resolve_structured(const clinit_init_spec *spec, const clinit_tensor *t, uint64_t numel,
                                        int stand_in, clinit_distribution *d, char *what, size_t what_size)
{
    const char *name = clinit_init_name(spec->kind);
    int rank = t->rank;
    const int64_t *sh = t->shape;
    double value = spec->kind == CLINIT_INIT_DELTA_ORTHOGONAL ? spec->scale : spec->gain;
    if (spec->kind != CLINIT_INIT_DIRAC && spec->kind != CLINIT_INIT_SPARSE && !isfinite(value))
        return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s = %g must be finite", name,
                    spec->kind == CLINIT_INIT_DELTA_ORTHOGONAL ? "scale" : "gain", value);
    d->value = value;
    switch (spec->kind) {
    case CLINIT_INIT_ORTHOGONAL: {
        if (rank < 2) return FAIL(CLINIT_ERROR_INVALID_RANK, "orthogonal needs rank >= 2, got rank %d", rank);
        if (spec->has_column_axis && (spec->column_axis < -rank || spec->column_axis >= rank))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "orthogonal: column_axis = %d is not an axis of a rank-%d "
                        "tensor (in [-%d, %d))", spec->column_axis, rank, rank, rank);
        /* The smaller side of the R × C matrix of the framework's rule is orthonormal. */
        clinit_orth_plan p;
        clinit_orth_plan_of(t, spec, &p);
        d->kind = CLINIT_DIST_ORTHOGONAL;
        d->expected_std = fabs(value) / sqrt((double)p.m);
        return CLINIT_SUCCESS;
    }
    case CLINIT_INIT_DELTA_ORTHOGONAL: {
        if (rank < 3 || rank > 5)
            return FAIL(CLINIT_ERROR_INVALID_RANK, "delta_orthogonal needs rank 3, 4 or 5, got rank %d", rank);
        int in_axis = t->layout == CLINIT_LAYOUT_OI ? 1 : rank - 2, out_axis = t->layout == CLINIT_LAYOUT_OI ? 0 : rank - 1;
        if (t->layout != CLINIT_LAYOUT_OI && t->layout != CLINIT_LAYOUT_IO)
            return t->layout == CLINIT_LAYOUT_AXES
                       ? FAIL(CLINIT_ERROR_INVALID_LAYOUT, "delta_orthogonal takes layout oi or io, not axes")
                       : FAIL(CLINIT_ERROR_INVALID_LAYOUT, "delta_orthogonal takes layout oi or io; layout %d is unknown",
                              (int)t->layout);
        if (spec->has_column_axis && (spec->column_axis < -2 || spec->column_axis >= 2))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "delta_orthogonal: column_axis = %d is not an axis of its "
                        "(in, out) matrix (in [-2, 2))", spec->column_axis);
        if (sh[in_axis] > sh[out_axis])
            return FAIL(CLINIT_ERROR_INVALID_SHAPE, "delta_orthogonal needs in (%lld) <= out (%lld)",
                        (long long)sh[in_axis], (long long)sh[out_axis]);
        d->kind = CLINIT_DIST_ORTHOGONAL;
        d->expected_std = fabs(value) * sqrt((double)sh[in_axis] / (double)numel);
        return CLINIT_SUCCESS;
    }
    case CLINIT_INIT_EYE:
        if (rank != 2) return FAIL(CLINIT_ERROR_INVALID_RANK, "eye needs rank 2, got rank %d", rank);
        d->kind = CLINIT_DIST_STRUCTURED;
        d->expected_mean = value * (double)(sh[0] < sh[1] ? sh[0] : sh[1]) / (double)numel;
        d->expected_std = sqrt(value * d->expected_mean - d->expected_mean * d->expected_mean);
        return CLINIT_SUCCESS;
    case CLINIT_INIT_DIRAC: {
        if (t->layout != CLINIT_LAYOUT_OI && t->layout != CLINIT_LAYOUT_IO)
            return t->layout == CLINIT_LAYOUT_AXES
                       ? FAIL(CLINIT_ERROR_INVALID_LAYOUT, "dirac takes layout oi or io, not axes")
                       : FAIL(CLINIT_ERROR_INVALID_LAYOUT, "dirac takes layout oi or io; layout %d is unknown",
                              (int)t->layout);
        if (spec->groups < 1)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "dirac: groups = %lld must be >= 1", (long long)spec->groups);
        if (rank < 3 || rank > 5) return FAIL(CLINIT_ERROR_INVALID_RANK, "dirac needs rank 3, 4 or 5, got rank %d", rank);
        int64_t out = t->layout == CLINIT_LAYOUT_OI ? sh[0] : sh[rank - 1];
        int64_t in = t->layout == CLINIT_LAYOUT_OI ? sh[1] : sh[rank - 2];
        if (!stand_in && out % spec->groups != 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "dirac: groups = %lld must divide out = %lld",
                        (long long)spec->groups, (long long)out);
        int64_t per = out / spec->groups, ones = spec->groups * (per < in ? per : in);
        d->kind = CLINIT_DIST_STRUCTURED;
        d->value = 1;
        d->count = spec->groups;
        d->expected_mean = (double)ones / (double)numel;
        d->expected_std = sqrt(d->expected_mean - d->expected_mean * d->expected_mean);
        return CLINIT_SUCCESS;
    }
    default: { /* sparse */
        if (!(spec->sparsity >= 0 && spec->sparsity <= 1))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "sparse: sparsity = %g must be in [0, 1]", spec->sparsity);
        if (!isfinite(spec->std) || spec->std < 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "sparse: std = %g must be finite and >= 0", spec->std);
        if (rank != 2) return FAIL(CLINIT_ERROR_INVALID_RANK, "sparse needs rank 2, got rank %d", rank);
        d->kind = CLINIT_DIST_SPARSE;
        d->std = spec->std;
        d->count = (int64_t)ceil(spec->sparsity * (double)sh[0]); /* PyTorch: math.ceil(sparsity * rows) */
        d->expected_std = spec->std * sqrt(1 - (double)d->count / (double)sh[0]);
        return CLINIT_SUCCESS;
    }
    }
}

static int needs_fans(clinit_init_kind k)
{
    return k == CLINIT_INIT_XAVIER_UNIFORM || k == CLINIT_INIT_XAVIER_NORMAL || k == CLINIT_INIT_KAIMING_UNIFORM ||
           k == CLINIT_INIT_KAIMING_NORMAL || k == CLINIT_INIT_LINEAR_DEFAULT_WEIGHT ||
           (k >= CLINIT_INIT_VARIANCE_SCALING && k <= CLINIT_INIT_LECUN_NORMAL);
}

/* A tensor with zero elements writes nothing: it gets no rank, shape or fan check (PyTorch returns such a
 * tensor untouched), but its initializer, layout, mode, nonlinearity and parameters are checked as PyTorch
 * checks them before looking at the size (normal_(std=-1) on an empty tensor raises) — on this stand-in,
 * the tensor with every extent 0 made 1, and of rank 2 where it has fewer dimensions (a 1 × 1 matrix, so
 * that fans exist). Returns 1 and fills *s when t has zero elements (t's shape already checked). */
static int empty_stand_in(const clinit_tensor *t, clinit_tensor *s)
{
    int empty = 0;
    for (int i = 0; i < t->rank; i++) empty |= t->shape[i] == 0;
    if (!empty) return 0;
    *s = *t;
    s->has_box = 0;
    for (int i = 0; i < s->rank; i++) s->shape[i] = s->shape[i] ? s->shape[i] : 1;
    if (s->rank < 2) {
        s->rank = 2;
        s->shape[0] = s->shape[1] = 1;
        if (s->layout == CLINIT_LAYOUT_AXES) s->layout = CLINIT_LAYOUT_OI; /* masks of a rank < 2 mean nothing */
    }
    return 1;
}

static clinit_status resolve_at(const clinit_init_spec *spec, const clinit_tensor *t, int stand_in,
                                clinit_distribution *d, char *what, size_t what_size);

static clinit_status resolve(const clinit_init_spec *spec, const clinit_tensor *t, clinit_distribution *d, char *what,
                             size_t what_size)
{
    return resolve_at(spec, t, 0, d, what, what_size);
}

static clinit_status resolve_at(const clinit_init_spec *spec, const clinit_tensor *t, int stand_in,
                                clinit_distribution *d, char *what, size_t what_size)
{
    memset(d, 0, sizeof *d);
    int rank = t->rank;
    uint64_t numel;
    clinit_status st0 = clinit_shape_numel(rank, t->shape, &numel, what, what_size);
    if (st0 != CLINIT_SUCCESS) return st0;
    /* Refused whatever the initializer and for empty tensors: only the fan-based ones read the layout, but a
     * value outside the enum is a corrupted or uninitialized field, which nothing should take silently. */
    if ((unsigned)t->layout > (unsigned)CLINIT_LAYOUT_AXES)
        return FAIL(CLINIT_ERROR_INVALID_LAYOUT, "tensor.layout %d is not one of clinit_layout (oi 0, io 1, axes 2)",
                    (int)t->layout);
    if (spec->generation < 0 || spec->generation > CLINIT_GENERATION_VERSION)
        return FAIL(CLINIT_ERROR_INVALID_PARAMETER,
                    "generation = %d: this library knows generations 1 to %d (0 = the newest, %d)", spec->generation,
                    CLINIT_GENERATION_VERSION, CLINIT_GENERATION_VERSION);
    clinit_tensor stand_in_t;
    if (empty_stand_in(t, &stand_in_t)) {
        st0 = resolve_at(spec, &stand_in_t, 1, d, what, what_size);
        return st0 == CLINIT_SUCCESS || st0 == CLINIT_ERROR_INVALID_RANK || st0 == CLINIT_ERROR_INVALID_SHAPE
                   ? constant(d, 0)
                   : st0;
    }

    const char *name = clinit_init_name(spec->kind);
    if (!name) return FAIL(CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)spec->kind);
    int64_t fan_in = 0, fan_out = 0;
    if (needs_fans(spec->kind)) {
        clinit_status st = clinit_tensor_fans(t, &fan_in, &fan_out);
        if (st == CLINIT_ERROR_INVALID_RANK)
            return FAIL(st, "%s needs a tensor of rank >= 2 to compute fan_in and fan_out under layout %s, as "
                            "PyTorch and JAX do, got rank %d; layout io takes Keras's fans for rank 0 and 1",
                        name, t->layout == CLINIT_LAYOUT_OI ? "oi" : "axes", rank);
        if (st == CLINIT_ERROR_INVALID_LAYOUT && t->layout == CLINIT_LAYOUT_AXES)
            return FAIL(st, "tensor.in_axes 0x%x, out_axes 0x%x, batch_axes 0x%x: in and out must be non-empty, "
                            "disjoint and below rank %d", t->in_axes, t->out_axes, t->batch_axes, rank);
        if (st == CLINIT_ERROR_INVALID_LAYOUT) return FAIL(st, "layout %d is unknown", (int)t->layout);
        if (st != CLINIT_SUCCESS) return FAIL(st, "cannot compute fans: %s", clinit_status_string(st));
    }

    switch (spec->kind) {
    case CLINIT_INIT_UNIFORM:
        if (!isfinite(spec->a) || !isfinite(spec->b))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "uniform: a = %g and b = %g must be finite", spec->a, spec->b);
        if (spec->a > spec->b)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "uniform: a = %g is greater than b = %g", spec->a, spec->b);
        return uniform(d, spec->a, spec->b);
    case CLINIT_INIT_NORMAL:
        if (!isfinite(spec->mean)) return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "normal: mean = %g must be finite", spec->mean);
        if (!isfinite(spec->std) || spec->std < 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "normal: std = %g must be finite and >= 0", spec->std);
        return normal(d, spec->mean, spec->std);
    case CLINIT_INIT_CONSTANT:
        if (!isfinite(spec->val)) return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "constant: val = %g must be finite", spec->val);
        return constant(d, spec->val);
    case CLINIT_INIT_ZEROS: return constant(d, 0);
    case CLINIT_INIT_ONES: return constant(d, 1);
    case CLINIT_INIT_XAVIER_UNIFORM:
    case CLINIT_INIT_XAVIER_NORMAL: {
        if (!isfinite(spec->gain) || spec->gain < 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: gain = %g must be finite and >= 0", name, spec->gain);
        double std = spec->gain * sqrt(2.0 / (double)(fan_in + fan_out));
        if (spec->kind == CLINIT_INIT_XAVIER_NORMAL) return normal(d, 0, std);
        double bound = sqrt(3.0) * std;
        return uniform(d, -bound, bound);
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
        if (st == CLINIT_ERROR_INVALID_NONLINEARITY) return FAIL(st, "%s: nonlinearity %d is unknown", name, (int)nl);
        if (st != CLINIT_SUCCESS) return FAIL(st, "%s: a = %g must be finite", name, a);
        double std = gain / sqrt((double)(mode == CLINIT_FAN_IN ? fan_in : fan_out));
        if (spec->kind == CLINIT_INIT_KAIMING_NORMAL) return normal(d, 0, std);
        double bound = sqrt(3.0) * std;
        return uniform(d, -bound, bound);
    }
    case CLINIT_INIT_LINEAR_DEFAULT_BIAS: {
        if (spec->fan_in < 0)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: fan_in = %lld must be >= 0", name, (long long)spec->fan_in);
        double bound = spec->fan_in > 0 ? 1 / sqrt((double)spec->fan_in) : 0;
        return uniform(d, -bound, bound);
    }
    case CLINIT_INIT_TRUNC_NORMAL: {
        if (!isfinite(spec->mean))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "trunc_normal: mean = %g must be finite", spec->mean);
        if (!isfinite(spec->std) || !(spec->std > 0))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "trunc_normal: std = %g must be finite and > 0", spec->std);
        if (isnan(spec->a) || isnan(spec->b) || !(spec->a <= spec->b))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "trunc_normal: need a <= b, got a = %g, b = %g", spec->a,
                        spec->b);
        if (spec->a == spec->b) {
            /* PyTorch's trunc_normal_ clamps its values to [a, b]: all of them are a. */
            if (!isfinite(spec->a))
                return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "trunc_normal: a = b = %g: values must be finite", spec->a);
            return constant(d, spec->a);
        }
        return truncated(d, spec->mean, spec->std, spec->a, spec->b);
    }
    case CLINIT_INIT_VARIANCE_SCALING:
    case CLINIT_INIT_GLOROT_UNIFORM:
    case CLINIT_INIT_GLOROT_NORMAL:
    case CLINIT_INIT_HE_UNIFORM:
    case CLINIT_INIT_HE_NORMAL:
    case CLINIT_INIT_LECUN_UNIFORM:
    case CLINIT_INIT_LECUN_NORMAL: {
        static const struct {
            double scale;
            clinit_fan_mode mode;
            clinit_vs_distribution dist;
        } named[] = {
            [CLINIT_INIT_GLOROT_UNIFORM - CLINIT_INIT_GLOROT_UNIFORM] = {1, CLINIT_FAN_AVG, CLINIT_VS_UNIFORM},
            [CLINIT_INIT_GLOROT_NORMAL - CLINIT_INIT_GLOROT_UNIFORM] = {1, CLINIT_FAN_AVG, CLINIT_VS_TRUNCATED_NORMAL},
            [CLINIT_INIT_HE_UNIFORM - CLINIT_INIT_GLOROT_UNIFORM] = {2, CLINIT_FAN_IN, CLINIT_VS_UNIFORM},
            [CLINIT_INIT_HE_NORMAL - CLINIT_INIT_GLOROT_UNIFORM] = {2, CLINIT_FAN_IN, CLINIT_VS_TRUNCATED_NORMAL},
            [CLINIT_INIT_LECUN_UNIFORM - CLINIT_INIT_GLOROT_UNIFORM] = {1, CLINIT_FAN_IN, CLINIT_VS_UNIFORM},
            [CLINIT_INIT_LECUN_NORMAL - CLINIT_INIT_GLOROT_UNIFORM] = {1, CLINIT_FAN_IN, CLINIT_VS_TRUNCATED_NORMAL},
        };
        int custom = spec->kind == CLINIT_INIT_VARIANCE_SCALING;
        double scale = custom ? spec->scale : named[spec->kind - CLINIT_INIT_GLOROT_UNIFORM].scale;
        clinit_fan_mode mode = custom ? spec->mode : named[spec->kind - CLINIT_INIT_GLOROT_UNIFORM].mode;
        clinit_vs_distribution dist = custom ? spec->distribution : named[spec->kind - CLINIT_INIT_GLOROT_UNIFORM].dist;
        if (!isfinite(scale) || !(scale > 0))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: scale = %g must be finite and > 0", name, scale);
        if ((int)dist < 0 || (int)dist > CLINIT_VS_UNIFORM)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: distribution %d is unknown", name, (int)dist);
        double fi = (double)fan_in, fo = (double)fan_out;
        double n = mode == CLINIT_FAN_IN       ? fi
                   : mode == CLINIT_FAN_OUT    ? fo
                   : mode == CLINIT_FAN_AVG    ? (fi + fo) / 2
                   : mode == CLINIT_FAN_GEO_AVG ? sqrt(fi * fo)
                                               : -1;
        if (n < 0) return FAIL(CLINIT_ERROR_INVALID_MODE, "%s: mode %d is unknown", name, (int)mode);
        /* Keras clamps n to ≥ 1; with whole fans of a non-empty tensor n ≥ 1 already, so JAX agrees. */
        return variance_scaling(d, scale, n < 1 ? 1 : n, dist);
    }
    case CLINIT_INIT_ORTHOGONAL:
    case CLINIT_INIT_DELTA_ORTHOGONAL:
    case CLINIT_INIT_EYE:
    case CLINIT_INIT_DIRAC:
    case CLINIT_INIT_SPARSE: return resolve_structured(spec, t, numel, stand_in, d, what, what_size);
    }
    return FAIL(CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)spec->kind);
}

clinit_status clinit_init_resolve(const clinit_init_spec *spec, const clinit_tensor *t, clinit_distribution *out)
{
    char what[256];
    if (!spec || !t || !out) return CLINIT_ERROR_NULL_ARGUMENT;
    return resolve(spec, t, out, what, sizeof what);
}

static const char *dtype_name(clinit_dtype dtype)
{
    return dtype == CLINIT_F16 ? "f16" : dtype == CLINIT_BF16 ? "bf16" : dtype == CLINIT_F64 ? "f64" : "f32";
}

/* The parameters of a distribution, for the messages that refuse one. */
enum { P_LOW, P_HIGH, P_MEAN, P_STD, P_VALUE };

/* A parameter of the distribution as the caller gave it: the spec's field where the initializer takes it
 * directly ("a = -1e+05"), else the value derived and what it came from ("the upper bound 5.5e+05 (from
 * gain = 1e+06)"), so that a refusal names what to change. */
static const char *param_text(const clinit_init_spec *spec, int which, double v, char *buf, size_t size)
{
    static const char *const fields[][5] = {
        [CLINIT_INIT_UNIFORM] = {"a", "b", NULL, NULL, NULL},
        [CLINIT_INIT_TRUNC_NORMAL] = {"a", "b", "mean", "std", "a"}, /* the value: a == b */
        [CLINIT_INIT_NORMAL] = {NULL, NULL, "mean", "std", NULL},
        [CLINIT_INIT_CONSTANT] = {NULL, NULL, NULL, NULL, "val"},
        [CLINIT_INIT_SPARSE] = {NULL, NULL, NULL, "std", NULL},
        [CLINIT_INIT_ORTHOGONAL] = {NULL, NULL, NULL, NULL, "gain"},
        [CLINIT_INIT_EYE] = {NULL, NULL, NULL, NULL, "gain"},
        [CLINIT_INIT_DELTA_ORTHOGONAL] = {NULL, NULL, NULL, NULL, "scale"},
    };
    static const char *const derived[] = {"the lower bound", "the upper bound", "the mean", "the std", "the value"};
    int kind = (int)spec->kind;
    const char *field = kind >= 0 && kind < (int)(sizeof fields / sizeof fields[0]) ? fields[kind][which] : NULL;
    if (field) {
        clinit_c_snprintf(buf, size, "%s = %g", field, v);
        return buf;
    }
    int gain = kind == CLINIT_INIT_XAVIER_UNIFORM || kind == CLINIT_INIT_XAVIER_NORMAL;
    if (gain || kind == CLINIT_INIT_VARIANCE_SCALING)
        clinit_c_snprintf(buf, size, "%s %g (from %s = %g)", derived[which], v, gain ? "gain" : "scale",
                          gain ? spec->gain : spec->scale);
    else
        clinit_c_snprintf(buf, size, "%s %g", derived[which], v);
    return buf;
}

/* f64 outputs: the parameters in double (p64), generated in double by kernels/fill64.cl. */
static clinit_status resolve_double(const clinit_init_spec *spec, const clinit_distribution *d, const char *name,
                                    clinit_resolved *out, char *what, size_t what_size)
{
    double *p = out->p64;
    char x[128], y[128];
    switch (d->kind) {
    case CLINIT_DIST_CONSTANT: p[0] = d->value; return CLINIT_SUCCESS;
    case CLINIT_DIST_UNIFORM:
        p[0] = d->low;
        p[1] = d->high;
        if (!isfinite(p[1] - p[0]))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s minus %s overflows double", name,
                        param_text(spec, P_HIGH, d->high, x, sizeof x), param_text(spec, P_LOW, d->low, y, sizeof y));
        p[7] = p[0] < p[1] ? nextafter(p[1], -INFINITY) : p[0];
        return CLINIT_SUCCESS;
    case CLINIT_DIST_NORMAL:
        p[0] = d->mean;
        p[1] = d->std;
        /* |z| ≤ √(−2 ln 2^-53) = 8.5704 in f64 (docs/ALGORITHMS.md §4). */
        if (fabs(p[0]) + 8.5705 * p[1] > DBL_MAX)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s%s%s8.57 × %s can overflow f64", name, d->mean ? "|" : "",
                        d->mean ? param_text(spec, P_MEAN, d->mean, x, sizeof x) : "", d->mean ? "| + " : "",
                        param_text(spec, P_STD, d->std, y, sizeof y));
        return CLINIT_SUCCESS;
    case CLINIT_DIST_TRUNCATED_NORMAL: {
        p[0] = d->mean;
        p[1] = d->std;
        double zmax;
        clinit_status st = clinit_truncnorm_plan((d->low - d->mean) / d->std, (d->high - d->mean) / d->std, 1,
                                                 &out->method, &p[2], &zmax);
        if (st != CLINIT_SUCCESS)
            return FAIL(st, "%s: the window [%g, %g] has no usable probability under N(%g, %g^2)", name, d->low,
                        d->high, d->mean, d->std);
        if (fabs(p[0]) + zmax * p[1] > DBL_MAX)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s%s%s%.4g × %s can overflow f64", name, d->mean ? "|" : "",
                        d->mean ? param_text(spec, P_MEAN, d->mean, x, sizeof x) : "", d->mean ? "| + " : "",
                        zmax, param_text(spec, P_STD, d->std, y, sizeof y));
        p[6] = d->low < -DBL_MAX ? -DBL_MAX : d->low;
        p[7] = d->high > DBL_MAX ? DBL_MAX : d->high;
        return CLINIT_SUCCESS;
    }
    case CLINIT_DIST_ORTHOGONAL:
    case CLINIT_DIST_STRUCTURED:
    case CLINIT_DIST_SPARSE:
        /* value (gain or scale) and std; the fills in host/orthogonal.c and host/structured.c take their
         * geometry from the spec and the tensor. */
        p[0] = d->value;
        p[1] = d->std;
        out->count = d->count;
        if (fabs(p[0]) > DBL_MAX)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows f64", name,
                        param_text(spec, P_VALUE, d->value, x, sizeof x));
        if (8.5705 * p[1] > DBL_MAX)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: 8.57 × %s can overflow f64", name,
                        param_text(spec, P_STD, d->std, x, sizeof x));
        return CLINIT_SUCCESS;
    }
    return FAIL(CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)d->kind);
}

static clinit_status resolve_float_at(const clinit_init_spec *spec, const clinit_tensor *t, int stand_in,
                                      clinit_resolved *out, char *what, size_t what_size);

clinit_status clinit_resolve_float(const clinit_init_spec *spec, const clinit_tensor *t, clinit_resolved *out,
                                   char *what, size_t what_size)
{
    return resolve_float_at(spec, t, 0, out, what, what_size);
}

static clinit_status resolve_float_at(const clinit_init_spec *spec, const clinit_tensor *t, int stand_in,
                                      clinit_resolved *out, char *what, size_t what_size)
{
    if (!spec) return FAIL(CLINIT_ERROR_NULL_ARGUMENT, "spec is NULL");
    clinit_distribution d;
    clinit_status st = resolve_at(spec, t, stand_in, &d, what, what_size);
    if (st != CLINIT_SUCCESS) return st;
    clinit_tensor stand_in_t;
    if (empty_stand_in(t, &stand_in_t)) {
        /* parameters the dtype cannot hold (an f16 constant 1e6) are refused for an empty tensor too */
        st = resolve_float_at(spec, &stand_in_t, 1, out, what, what_size);
        if (st != CLINIT_SUCCESS && st != CLINIT_ERROR_INVALID_RANK && st != CLINIT_ERROR_INVALID_SHAPE) return st;
    }
    const char *name = clinit_init_name(spec->kind);
    const char *dt = dtype_name(t->dtype);
    memset(out, 0, sizeof *out);
    out->dist = (int)d.kind;
    if (t->dtype == CLINIT_F64) return resolve_double(spec, &d, name, out, what, what_size);
    float dmax = clinit_dtype_max(t->dtype);
    float *p = out->p;
    char x[128], y[128];
    switch (d.kind) {
    case CLINIT_DIST_CONSTANT:
        p[0] = (float)d.value;
        if (!(fabsf(clinit_dtype_round(t->dtype, p[0])) <= dmax))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows %s", name,
                        param_text(spec, P_VALUE, d.value, x, sizeof x), dt);
        return CLINIT_SUCCESS;
    case CLINIT_DIST_UNIFORM:
        p[0] = (float)d.low;
        p[1] = (float)d.high;
        /* Bounds outside the dtype's finite values are refused, as PyTorch's uniform_ refuses them ("from is out
         * of bounds for Half"), rather than saturating a share of the values at ±max. */
        for (int k = 0; k < 2; k++)
            if (!(fabs(k ? d.high : d.low) <= (double)dmax))
                return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s is outside the finite values of %s, [%g, %g]",
                            name, param_text(spec, k ? P_HIGH : P_LOW, k ? d.high : d.low, x, sizeof x), dt,
                            -(double)dmax, (double)dmax);
        if (!isfinite(p[1] - p[0]))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s minus %s overflows float", name,
                        param_text(spec, P_HIGH, d.high, x, sizeof x), param_text(spec, P_LOW, d.low, y, sizeof y));
        if (p[0] == p[1]) {
            p[6] = p[7] = clinit_dtype_round(t->dtype, p[0]);
            return CLINIT_SUCCESS;
        }
        p[6] = clinit_dtype_ceil(t->dtype, p[0]);
        p[7] = clinit_dtype_below(t->dtype, p[1]);
        if (!(p[6] <= p[7]) || fabsf(p[6]) > dmax || fabsf(p[7]) > dmax)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: no %s value lies in [%g, %g)", name, dt, d.low, d.high);
        return CLINIT_SUCCESS;
    case CLINIT_DIST_NORMAL:
        p[0] = (float)d.mean;
        p[1] = (float)d.std;
        if (!isfinite(p[0]) || !isfinite(p[1]))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows float", name,
                        isfinite(p[0]) ? param_text(spec, P_STD, d.std, x, sizeof x)
                                       : param_text(spec, P_MEAN, d.mean, x, sizeof x));
        /* |z| ≤ 5.7686 (docs/ALGORITHMS.md §4); 5.77 leaves room for rounding. */
        if (fabs((double)p[0]) + 5.77 * (double)p[1] > (double)dmax)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s%s%s5.77 × %s can overflow %s", name, d.mean ? "|" : "",
                        d.mean ? param_text(spec, P_MEAN, d.mean, x, sizeof x) : "", d.mean ? "| + " : "",
                        param_text(spec, P_STD, d.std, y, sizeof y), dt);
        return CLINIT_SUCCESS;
    case CLINIT_DIST_TRUNCATED_NORMAL: {
        p[0] = (float)d.mean;
        p[1] = (float)d.std;
        if (!isfinite(p[0]) || !isfinite(p[1]) || !(p[1] > 0))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s does not fit float", name,
                        isfinite(p[0]) ? param_text(spec, P_STD, d.std, x, sizeof x)
                                       : param_text(spec, P_MEAN, d.mean, x, sizeof x));
        double zmax, c[4];
        st = clinit_truncnorm_plan((d.low - d.mean) / d.std, (d.high - d.mean) / d.std, 0, &out->method, c, &zmax);
        for (int k = 0; k < 4; k++) p[2 + k] = (float)c[k];
        if (st != CLINIT_SUCCESS)
            return FAIL(st, "%s: the window [%g, %g] has no usable probability under N(%g, %g^2)", name, d.low,
                        d.high, d.mean, d.std);
        if (fabs((double)p[0]) + zmax * (double)p[1] > (double)dmax)
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: values up to %s%s%s%.4g × %s = %g overflow %s", name, d.mean ? "|" : "",
                        d.mean ? param_text(spec, P_MEAN, d.mean, x, sizeof x) : "", d.mean ? "| + " : "",
                        zmax, param_text(spec, P_STD, d.std, y, sizeof y), fabs(d.mean) + zmax * d.std, dt);
        /* The rounded value is clamped to the dtype's values inside [a, b] (bounds rounded to float first). */
        float lo = d.low < -(double)dmax ? -dmax : (float)d.low, hi = d.high > (double)dmax ? dmax : (float)d.high;
        p[6] = clinit_dtype_ceil(t->dtype, lo);
        p[7] = clinit_dtype_floor(t->dtype, hi);
        if (!(p[6] <= p[7]))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: no %s value lies in [%g, %g]", name, dt, d.low, d.high);
        return CLINIT_SUCCESS;
    }
    case CLINIT_DIST_ORTHOGONAL:
    case CLINIT_DIST_STRUCTURED:
    case CLINIT_DIST_SPARSE:
        /* value (gain or scale) and std as floats; the fills in host/orthogonal.c and host/structured.c take
         * their geometry from the spec and the tensor. */
        p[0] = (float)d.value;
        p[1] = (float)d.std;
        out->count = d.count;
        if (!(fabs((double)p[0]) <= (double)dmax))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows %s", name,
                        param_text(spec, P_VALUE, d.value, x, sizeof x), dt);
        if (!(5.77 * (double)p[1] <= (double)dmax))
            return FAIL(CLINIT_ERROR_INVALID_PARAMETER, "%s: 5.77 × %s can overflow %s", name,
                        param_text(spec, P_STD, d.std, x, sizeof x), dt);
        return CLINIT_SUCCESS;
    }
    return FAIL(CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)spec->kind);
}
