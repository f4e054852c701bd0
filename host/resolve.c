/* Resolution of an initializer against a tensor to the distribution it samples: the checks its registry row
 * states (host/registry.c: fans, parameter ranges, layouts, ranks), then its rule (host/rules.c), then the float
 * parameters the kernels take, checked against the output dtype. */
#include "registry.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* "oi or io": the layouts of a row's mask, for the message that refuses another. */
static void layout_names(unsigned layouts, char *out, size_t size)
{
    static const char *const names[] = {
        [CLINIT_LAYOUT_OI] = "oi", [CLINIT_LAYOUT_IO] = "io", [CLINIT_LAYOUT_AXES] = "axes"};
    int n = 0, total = __builtin_popcount(layouts);
    size_t used = 0;
    out[0] = '\0';
    for (int l = 0; l <= CLINIT_LAYOUT_AXES && used < size; l++)
        if (layouts & (1u << l)) {
            n++;
            const char *sep = n == 1 ? "" : n == total ? " or " : ", ";
            used += (size_t)ci_c_snprintf(out + used, size - used, "%s%s", sep, names[l]);
        }
}

/* "rank 2", "rank >= 2", "rank 3, 4 or 5": the ranks of a row, for the message that refuses another. */
static void rank_text(const ci_init_row *row, char *out, size_t size)
{
    if (row->min_rank == row->max_rank)
        ci_c_snprintf(out, size, "rank %d", row->min_rank);
    else if (row->max_rank == CLINIT_MAX_RANK)
        ci_c_snprintf(out, size, "rank >= %d", row->min_rank);
    else {
        size_t used = (size_t)ci_c_snprintf(out, size, "rank %d", row->min_rank);
        for (int r = row->min_rank + 1; r <= row->max_rank && used < size; r++)
            used += (size_t)ci_c_snprintf(out + used, size - used, "%s%d", r == row->max_rank ? " or " : ", ", r);
    }
}

/* The parameters of a distribution, for the messages that refuse one (ci_param_role's order). */
enum { P_LOW = CLINIT_ROLE_LOW, P_HIGH, P_MEAN, P_STD, P_VALUE };

static const char *param_text(const clinit_init_spec *spec, int which, double v, char *buf, size_t size);

/* The row's checks, then its rule, for a tensor with elements (or an empty tensor's stand-in); with_dtype: for a
 * fill of t's dtype (convert follows), else for clinit_init_resolve. Fan-based initializers check the fans first
 * (PyTorch computes them before anything else); parameters come before the layout and the rank, so that an empty
 * tensor's parameters are refused as a non-empty one's. */
static clinit_status resolve_row(const ci_init_row *row, const clinit_init_spec *spec, const clinit_tensor *t,
                                 uint64_t numel, int stand_in, int with_dtype, clinit_distribution *d, char *what,
                                 size_t what_size)
{
    assert(numel > 0 && row->rule); /* an empty tensor resolves on its stand-in */
    ci_rule_input in = {.t = t, .numel = numel, .stand_in = stand_in, .name = row->name};
    int rank = t->rank;
    if (row->needs_fans) {
        clinit_status st = ci_tensor_fans(t, &in.fan_in, &in.fan_out);
        if (st == CLINIT_ERROR_INVALID_RANK)
            return ci_explain(what, what_size, st,
                              "%s needs a tensor of rank >= 2 to compute fan_in and fan_out under layout %s, as "
                              "PyTorch and JAX do, got rank %d; layout io takes Keras's fans for rank 0 and 1",
                              row->name, t->layout == CLINIT_LAYOUT_OI ? "oi" : "axes", rank);
        if (st == CLINIT_ERROR_INVALID_LAYOUT && t->layout == CLINIT_LAYOUT_AXES)
            return ci_explain(what, what_size, st,
                              "tensor.in_axes 0x%x, out_axes 0x%x, batch_axes 0x%x: in and out must be non-empty, "
                              "disjoint and below rank %d",
                              t->in_axes, t->out_axes, t->batch_axes, rank);
        if (st != CLINIT_SUCCESS)
            return ci_explain(what, what_size, st, "cannot compute fans: %s", clinit_status_string(st));
    }
    clinit_status st = ci_registry_check_params(row, spec, what, what_size);
    if (st != CLINIT_SUCCESS) return st;
    char text[64];
    if (!(row->layouts & (1u << t->layout))) {
        layout_names(row->layouts, text, sizeof text);
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_LAYOUT, "%s takes layout %s, not %s", row->name, text,
                          t->layout == CLINIT_LAYOUT_AXES ? "axes"
                          : t->layout == CLINIT_LAYOUT_IO ? "io"
                                                          : "oi");
    }
    if (!row->needs_fans && (rank < row->min_rank || rank > row->max_rank)) {
        rank_text(row, text, sizeof text);
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_RANK, "%s needs %s, got rank %d", row->name, text,
                          rank);
    }
    clinit_init_spec fixed;
    ci_registry_apply_fixed(row, spec, &fixed);
    in.spec = &fixed;
    st = row->rule(&in, d, what, what_size);
    /* A uniform whose width b − a is no double has no std and no values to draw (PyTorch's uniform_ refuses
     * to − from above the dtype's maximum): refused for clinit_init_resolve (no dtype) and for f64, whose kernels
     * take the bounds in double. A fill of another dtype refuses such bounds first as outside its finite values
     * (convert), which names the dtype's range. */
    if (st == CLINIT_SUCCESS && d->kind == CLINIT_DIST_UNIFORM && !isfinite(d->high - d->low) &&
        (!with_dtype || t->dtype == CLINIT_F64)) {
        char x[128], y[128];
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s minus %s overflows double",
                          row->name, param_text(spec, P_HIGH, d->high, x, sizeof x),
                          param_text(spec, P_LOW, d->low, y, sizeof y));
    }
    return st;
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

static clinit_status convert(const clinit_init_spec *spec, const clinit_tensor *t, const clinit_distribution *d,
                             ci_resolved *out, char *what, size_t what_size);

/* Resolves spec on t into *d and, when r is not NULL, converts it for t's dtype into *r: each once. An empty
 * tensor's stand-in is resolved and converted instead (its rank and shape refusals waived), and the tensor then
 * resolves to constant 0. */
static clinit_status resolve(const clinit_init_spec *spec, const clinit_tensor *t, clinit_distribution *d,
                             ci_resolved *r, char *what, size_t what_size)
{
    memset(d, 0, sizeof *d);
    uint64_t numel;
    clinit_status st = ci_shape_numel(t->rank, t->shape, &numel, what, what_size);
    if (st != CLINIT_SUCCESS) return st;
    /* Refused whatever the initializer and for empty tensors: only some initializers read the layout, but a
     * value outside the enum is a corrupted or uninitialized field, which nothing should take silently. */
    if ((unsigned)t->layout > (unsigned)CLINIT_LAYOUT_AXES)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_LAYOUT,
                          "tensor.layout %d is not one of clinit_layout (oi 0, io 1, axes 2)", (int)t->layout);
    if (spec->generation < 0 || spec->generation > CLINIT_GENERATION_VERSION)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                          "generation = %d: this library knows generations 1 to %d (0 = the newest, %d)",
                          spec->generation, CLINIT_GENERATION_VERSION, CLINIT_GENERATION_VERSION);
    const ci_init_row *row = ci_registry_row(spec->kind);
    if (!row)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown",
                          (int)spec->kind);
    clinit_tensor stand_in;
    if (!empty_stand_in(t, &stand_in)) {
        st = resolve_row(row, spec, t, numel, 0, r != NULL, d, what, what_size);
        return st == CLINIT_SUCCESS && r ? convert(spec, t, d, r, what, what_size) : st;
    }
    uint64_t one;
    if (ci_shape_numel(stand_in.rank, stand_in.shape, &one, NULL, 0) != CLINIT_SUCCESS) {
        /* the extents besides the zeros multiply to 2^56 or more: ones stand in for them all, which check the
         * parameters alike (their value was read uninitialized here, found by fuzz_validate) */
        for (int i = 0; i < stand_in.rank; i++) stand_in.shape[i] = 1;
        one = 1;
    }
    st = resolve_row(row, spec, &stand_in, one, 1, r != NULL, d, what, what_size);
    /* parameters the dtype cannot hold (an f16 constant 1e6) are refused for an empty tensor too */
    if (st == CLINIT_SUCCESS && r) st = convert(spec, &stand_in, d, r, what, what_size);
    if (st != CLINIT_SUCCESS && st != CLINIT_ERROR_INVALID_RANK && st != CLINIT_ERROR_INVALID_SHAPE) return st;
    memset(d, 0, sizeof *d);
    st = ci_dist_constant(d, 0);
    return st == CLINIT_SUCCESS && r ? convert(spec, t, d, r, what, what_size) : st;
}

clinit_status clinit_init_resolve(const clinit_init_spec *spec, const clinit_tensor *t, clinit_distribution *out)
{
    char what[256];
    if (!spec || !t || !out) return CLINIT_ERROR_NULL_ARGUMENT;
    return resolve(spec, t, out, NULL, what, sizeof what);
}

clinit_status ci_resolve_for_dtype(const clinit_init_spec *spec, const clinit_tensor *t, clinit_distribution *d,
                                   ci_resolved *r, char *what, size_t what_size)
{
    assert(spec && t && d && r);
    return resolve(spec, t, d, r, what, what_size);
}

static const char *dtype_name(clinit_dtype dtype)
{
    return dtype == CLINIT_F16 ? "f16" : dtype == CLINIT_BF16 ? "bf16" : dtype == CLINIT_F64 ? "f64" : "f32";
}

/* A parameter of the distribution as the caller gave it: the spec's field where the initializer takes it
 * directly ("a = -1e+05"), else the value derived and what it came from ("the upper bound 5.5e+05 (from
 * gain = 1e+06)"), so that a refusal names what to change. */
static const char *param_text(const clinit_init_spec *spec, int which, double v, char *buf, size_t size)
{
    static const char *const derived[] = {[P_LOW] = "the lower bound",
                                          [P_HIGH] = "the upper bound",
                                          [P_MEAN] = "the mean",
                                          [P_STD] = "the std",
                                          [P_VALUE] = "the value"};
    const ci_init_row *row = ci_registry_row(spec->kind);
    assert(row); /* resolved already */
    const ci_param_row *direct = ci_registry_role(row, (ci_param_role)which);
    /* a constant a bounded distribution came to (trunc_normal with a == b) is its lower bound */
    if (!direct && which == P_VALUE) direct = ci_registry_role(row, CLINIT_ROLE_LOW);
    const ci_param_row *scales = ci_registry_role(row, CLINIT_ROLE_SCALES);
    if (direct)
        ci_c_snprintf(buf, size, "%s = %g", direct->name, v);
    else if (scales)
        ci_c_snprintf(buf, size, "%s %g (from %s = %g)", derived[which], v, scales->name,
                      ci_registry_value(spec, scales));
    else
        ci_c_snprintf(buf, size, "%s %g", derived[which], v);
    return buf;
}

/* A truncated normal's window [low, high] no plan can draw from (ci_truncnorm_plan refused it): why, and which
 * parameter to change. A std of 0 (a variance_scaling scale that rounds it away) has no window at all; otherwise
 * the window lies so far in a tail that its probability underflows double or the plan's draws would run out. */
static clinit_status no_window(const clinit_init_spec *spec, const char *name, const clinit_distribution *d, char *what,
                               size_t what_size)
{
    char x[128];
    if (!(d->std > 0))
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s leaves a truncated normal no spread",
                          name, param_text(spec, P_STD, d->std, x, sizeof x));
    double alpha = (d->low - d->mean) / d->std, beta = (d->high - d->mean) / d->std;
    double far = alpha > 0 ? alpha : beta < 0 ? -beta : 0;
    return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                      "%s: the window [%g, %g] has no usable probability under N(%g, %g^2): it starts %.4g stds from "
                      "the mean; move a and b toward the mean, or widen std",
                      name, d->low, d->high, d->mean, d->std, far);
}

/* f64 outputs: the parameters in double (p64), generated in double by kernels/fill64.cl. */
static clinit_status resolve_double(const clinit_init_spec *spec, const clinit_distribution *d, const char *name,
                                    ci_resolved *out, char *what, size_t what_size)
{
    double *p = out->p64;
    char x[128], y[128];
    switch (d->kind) {
    case CLINIT_DIST_CONSTANT: p[0] = d->value; return CLINIT_SUCCESS;
    case CLINIT_DIST_UNIFORM:
        p[0] = d->low;
        p[1] = d->high; /* p[1] − p[0] is finite: resolve_row refused a wider uniform */
        p[7] = p[0] < p[1] ? nextafter(p[1], -INFINITY) : p[0];
        return CLINIT_SUCCESS;
    case CLINIT_DIST_NORMAL:
        p[0] = d->mean;
        p[1] = d->std;
        /* |z| ≤ √(−2 ln 2^-53) = 8.5704 in f64 (docs/ALGORITHMS.md §4). */
        if (fabs(p[0]) + 8.5705 * p[1] > DBL_MAX)
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s%s%s8.57 × %s can overflow f64",
                              name, d->mean ? "|" : "", d->mean ? param_text(spec, P_MEAN, d->mean, x, sizeof x) : "",
                              d->mean ? "| + " : "", param_text(spec, P_STD, d->std, y, sizeof y));
        return CLINIT_SUCCESS;
    case CLINIT_DIST_TRUNCATED_NORMAL: {
        p[0] = d->mean;
        p[1] = d->std;
        double zmax;
        clinit_status st =
            ci_truncnorm_plan((d->low - d->mean) / d->std, (d->high - d->mean) / d->std, 1, &out->method, &p[2], &zmax);
        if (st != CLINIT_SUCCESS) return no_window(spec, name, d, what, what_size);
        if (fabs(p[0]) + zmax * p[1] > DBL_MAX)
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s%s%s%.4g × %s can overflow f64",
                              name, d->mean ? "|" : "", d->mean ? param_text(spec, P_MEAN, d->mean, x, sizeof x) : "",
                              d->mean ? "| + " : "", zmax, param_text(spec, P_STD, d->std, y, sizeof y));
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
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows f64", name,
                              param_text(spec, P_VALUE, d->value, x, sizeof x));
        if (8.5705 * p[1] > DBL_MAX)
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: 8.57 × %s can overflow f64", name,
                              param_text(spec, P_STD, d->std, x, sizeof x));
        return CLINIT_SUCCESS;
    }
    return ci_explain(what, what_size, CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)d->kind);
}

/* d, resolved on t, in the parameters the kernels take for t's dtype (ci_resolved). */
static clinit_status convert(const clinit_init_spec *spec, const clinit_tensor *t, const clinit_distribution *d_in,
                             ci_resolved *out, char *what, size_t what_size)
{
    const clinit_distribution d = *d_in;
    clinit_status st;
    const char *name = clinit_init_name(spec->kind);
    const char *dt = dtype_name(t->dtype);
    memset(out, 0, sizeof *out);
    out->dist = (int)d.kind;
    out->generation = ci_spec_generation(spec);
    if (t->dtype == CLINIT_F64) return resolve_double(spec, &d, name, out, what, what_size);
    float dmax = ci_dtype_max(t->dtype);
    float *p = out->p;
    char x[128], y[128];
    switch (d.kind) {
    case CLINIT_DIST_CONSTANT:
        p[0] = (float)d.value;
        if (!(fabsf(ci_dtype_round(t->dtype, p[0])) <= dmax))
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows %s", name,
                              param_text(spec, P_VALUE, d.value, x, sizeof x), dt);
        return CLINIT_SUCCESS;
    case CLINIT_DIST_UNIFORM:
        p[0] = (float)d.low;
        p[1] = (float)d.high;
        /* Bounds outside the dtype's finite values are refused, as PyTorch's uniform_ refuses them ("from is out
         * of bounds for Half"), rather than saturating a share of the values at ±max. */
        for (int k = 0; k < 2; k++)
            if (!(fabs(k ? d.high : d.low) <= (double)dmax))
                return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                                  "%s: %s is outside the finite values of %s, [%g, %g]", name,
                                  param_text(spec, k ? P_HIGH : P_LOW, k ? d.high : d.low, x, sizeof x), dt,
                                  -(double)dmax, (double)dmax);
        if (!isfinite(p[1] - p[0]))
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s minus %s overflows float", name,
                              param_text(spec, P_HIGH, d.high, x, sizeof x),
                              param_text(spec, P_LOW, d.low, y, sizeof y));
        if (p[0] == p[1]) {
            p[6] = p[7] = ci_dtype_round(t->dtype, p[0]);
            /* [−0, −0] gives −0 + 0 = +0 whatever the clamp: +0 bounds let the GPU kernels clamp with fmin
             * (kernels/elementwise.h, ci_uniform_fast) without a signed-zero tie */
            if (p[0] == 0) p[6] = p[7] = 0.0f;
            return CLINIT_SUCCESS;
        }
        p[6] = ci_dtype_ceil(t->dtype, p[0]);
        p[7] = ci_dtype_below(t->dtype, p[1]);
        if (!(p[6] <= p[7]) || fabsf(p[6]) > dmax || fabsf(p[7]) > dmax)
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: no %s value lies in [%g, %g)", name,
                              dt, d.low, d.high);
        /* A 16-bit lo_d of −0: clamping to −2^-149 instead rounds to the same −0, and spares the GPU kernels' fmax
         * a tie of +0 with −0 (kernels/elementwise.h, ci_uniform_fast). */
        if (t->dtype != CLINIT_F32 && p[6] == 0 && signbit(p[6])) p[6] = -0x1p-149f;
        return CLINIT_SUCCESS;
    case CLINIT_DIST_NORMAL:
        p[0] = (float)d.mean;
        p[1] = (float)d.std;
        if (!isfinite(p[0]) || !isfinite(p[1]))
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows float", name,
                              isfinite(p[0]) ? param_text(spec, P_STD, d.std, x, sizeof x)
                                             : param_text(spec, P_MEAN, d.mean, x, sizeof x));
        /* |z| ≤ 5.7686 (docs/ALGORITHMS.md §4); 5.77 leaves room for rounding. */
        if (fabs((double)p[0]) + 5.77 * (double)p[1] > (double)dmax)
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s%s%s5.77 × %s can overflow %s",
                              name, d.mean ? "|" : "", d.mean ? param_text(spec, P_MEAN, d.mean, x, sizeof x) : "",
                              d.mean ? "| + " : "", param_text(spec, P_STD, d.std, y, sizeof y), dt);
        return CLINIT_SUCCESS;
    case CLINIT_DIST_TRUNCATED_NORMAL: {
        p[0] = (float)d.mean;
        p[1] = (float)d.std;
        if (!isfinite(p[0]) || !isfinite(p[1]) || !(p[1] > 0))
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s does not fit float", name,
                              isfinite(p[0]) ? param_text(spec, P_STD, d.std, x, sizeof x)
                                             : param_text(spec, P_MEAN, d.mean, x, sizeof x));
        double zmax, c[4];
        st = ci_truncnorm_plan((d.low - d.mean) / d.std, (d.high - d.mean) / d.std, 0, &out->method, c, &zmax);
        for (int k = 0; k < 4; k++) p[2 + k] = (float)c[k];
        if (st != CLINIT_SUCCESS) return no_window(spec, name, &d, what, what_size);
        if (fabs((double)p[0]) + zmax * (double)p[1] > (double)dmax)
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER,
                              "%s: values up to %s%s%s%.4g × %s = %g overflow %s", name, d.mean ? "|" : "",
                              d.mean ? param_text(spec, P_MEAN, d.mean, x, sizeof x) : "", d.mean ? "| + " : "", zmax,
                              param_text(spec, P_STD, d.std, y, sizeof y), fabs(d.mean) + zmax * d.std, dt);
        /* The rounded value is clamped to the dtype's values inside [a, b] (bounds rounded to float first). */
        float lo = d.low < -(double)dmax ? -dmax : (float)d.low, hi = d.high > (double)dmax ? dmax : (float)d.high;
        p[6] = ci_dtype_ceil(t->dtype, lo);
        p[7] = ci_dtype_floor(t->dtype, hi);
        if (!(p[6] <= p[7]))
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: no %s value lies in [%g, %g]", name,
                              dt, d.low, d.high);
        out->accept[0] = ci_dtype_bucket_low(t->dtype, p[6]);
        out->accept[1] = ci_dtype_bucket_high(t->dtype, p[7]);
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
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: %s overflows %s", name,
                              param_text(spec, P_VALUE, d.value, x, sizeof x), dt);
        if (!(5.77 * (double)p[1] <= (double)dmax))
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_PARAMETER, "%s: 5.77 × %s can overflow %s", name,
                              param_text(spec, P_STD, d.std, x, sizeof x), dt);
        return CLINIT_SUCCESS;
    }
    return ci_explain(what, what_size, CLINIT_ERROR_INVALID_INIT, "initializer kind %d is unknown", (int)spec->kind);
}
