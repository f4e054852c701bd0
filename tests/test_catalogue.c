/* The initializers of PyTorch's torch/nn/init.py, Keras's keras.initializers and JAX's jax.nn.initializers (their
 * fans: docs/ALGORITHMS.md §6) as a table: (initializer, shape, layout, parameters) → the bound or
 * std the framework's formula gives, written out here from the formula (not from clinit), including the
 * values the frameworks' own tests and issue trackers state. Each row is checked twice:
 *   1. clinit_init_resolve gives the formula's value (relative error ≤ 1e-12: same formula, double);
 *   2. the device fill's sample std, in f32, f16, bf16 and f64, matches the expected std of the values
 *      (after truncation) within 6
 *      standard errors — the sample std's standard error is ≈ σ·√((κ − 1)/(4n)) (asymptotically normal; the
 *      smallest row has n = 625) with kurtosis κ ≤ 3 for every distribution here, so 6·σ/√(2n) bounds it at
 *      a false-alarm rate ≤ 2e-9 per row. */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    const char *init;
    int rank;
    int64_t shape[6];
    clinit_layout layout;
    uint32_t in_axes, out_axes;
    const char *params; /* "name=value name=value" */
    int kind;           /* expected clinit_dist_kind */
    double bound;       /* uniform: high (low = −high); truncated: high (low = −high); normal: std */
    double std;         /* std of the values */
} row;

#define S2 1.4142135623730951
#define TN 0.87962566103423978 /* std of N(0,1) restricted to (−2, 2) */

static const row rows[] = {
    /* PyTorch names, PyTorch formulas */
    {"xavier_uniform", 2, {32, 4096}, CLINIT_LAYOUT_OI, 0, 0, "", 1, 0.038125, 0},
    {"xavier_normal", 2, {32, 4096}, CLINIT_LAYOUT_OI, 0, 0, "", 2, 0.022011, 0}, /* §1: 0.02201 at any TP */
    {"xavier_uniform", 4, {64, 3, 7, 7}, CLINIT_LAYOUT_OI, 0, 0, "gain=1", 1, 0, 0},
    {"xavier_normal", 4, {7, 7, 3, 64}, CLINIT_LAYOUT_IO, 0, 0, "gain=2", 2, 0, 0},
    {"xavier_uniform", 3, {768, 12, 64}, CLINIT_LAYOUT_IO, 0, 0, "", 1, 0.0101, 0},   /* Keras conv heuristic */
    {"xavier_uniform", 3, {768, 12, 64}, CLINIT_LAYOUT_AXES, 1, 6, "", 1, 0.0625, 0}, /* §1: √(6/1536) */
    {"kaiming_uniform", 2, {256, 512}, CLINIT_LAYOUT_OI, 0, 0, "", 1, 0, 0},          /* gain √2, fan_in */
    {"kaiming_uniform", 4, {64, 32, 3, 3}, CLINIT_LAYOUT_OI, 0, 0, "mode=fan_out nonlinearity=relu", 1, 0, 0},
    {"kaiming_normal", 4, {64, 3, 7, 7}, CLINIT_LAYOUT_OI, 0, 0, "mode=fan_out nonlinearity=relu", 2, 0, 0},
    {"kaiming_normal", 2, {100, 300}, CLINIT_LAYOUT_OI, 0, 0, "a=0.1", 2, 0, 0}, /* leaky_relu(0.1) */
    {"kaiming_normal", 2, {100, 300}, CLINIT_LAYOUT_OI, 0, 0, "nonlinearity=tanh", 2, 0, 0},
    {"kaiming_normal", 2, {100, 300}, CLINIT_LAYOUT_OI, 0, 0, "nonlinearity=selu", 2, 0, 0},
    {"kaiming_uniform", 2, {100, 300}, CLINIT_LAYOUT_OI, 0, 0, "nonlinearity=sigmoid", 1, 0, 0},
    {"linear_default_weight", 2, {1000, 2048}, CLINIT_LAYOUT_OI, 0, 0, "", 1, 0.0220971, 0}, /* 1/√2048 */
    {"linear_default_weight", 4, {64, 16, 3, 3}, CLINIT_LAYOUT_OI, 0, 0, "", 1, 0, 0},
    {"linear_default_bias", 1, {1000}, CLINIT_LAYOUT_OI, 0, 0, "fan_in=2048", 1, 0.0220971, 0},
    {"uniform", 2, {300, 300}, CLINIT_LAYOUT_OI, 0, 0, "a=-0.05 b=0.05", 1, 0.05, 0},
    {"normal", 2, {300, 300}, CLINIT_LAYOUT_OI, 0, 0, "mean=0 std=0.02", 2, 0.02, 0}, /* GPT-2 */
    {"trunc_normal", 2, {300, 300}, CLINIT_LAYOUT_OI, 0, 0, "std=0.02", 3, 2, 0.02},  /* far bounds: std */
    {"trunc_normal", 2, {300, 300}, CLINIT_LAYOUT_OI, 0, 0, "std=1 a=-2 b=2", 3, 2, TN},
    /* Keras/JAX names: truncated normals, std after truncation √(scale/n) */
    {"glorot_uniform", 2, {256, 512}, CLINIT_LAYOUT_IO, 0, 0, "", 1, 0, 0},
    {"glorot_normal", 2, {256, 512}, CLINIT_LAYOUT_IO, 0, 0, "", 3, 0, 0},
    {"he_uniform", 4, {3, 3, 32, 64}, CLINIT_LAYOUT_IO, 0, 0, "", 1, 0, 0},
    {"he_normal", 4, {3, 3, 32, 64}, CLINIT_LAYOUT_IO, 0, 0, "", 3, 0, 0},
    {"lecun_uniform", 2, {25, 25}, CLINIT_LAYOUT_IO, 0, 0, "", 1, 0, 0}, /* Keras test shape */
    {"lecun_normal", 2, {25, 25}, CLINIT_LAYOUT_IO, 0, 0, "", 3, 0, 0},
    {"he_normal", 2, {25, 25}, CLINIT_LAYOUT_IO, 0, 0, "", 3, 0, 0},
    {"variance_scaling", 2, {200, 400}, CLINIT_LAYOUT_IO, 0, 0, "scale=2 mode=fan_avg distribution=uniform", 1, 0, 0},
    {"variance_scaling",
     2,
     {200, 400},
     CLINIT_LAYOUT_IO,
     0,
     0,
     "scale=1 mode=fan_out distribution=untruncated_normal",
     2,
     0,
     0},
    {"variance_scaling",
     2,
     {200, 800},
     CLINIT_LAYOUT_IO,
     0,
     0,
     "scale=3 mode=fan_geo_avg distribution=truncated_normal",
     3,
     0,
     0},
    {"variance_scaling",
     3,
     {768, 12, 64},
     CLINIT_LAYOUT_AXES,
     1,
     6,
     "scale=1 mode=fan_in distribution=truncated_normal",
     3,
     0,
     0},
    {"glorot_uniform", 3, {768, 12, 64}, CLINIT_LAYOUT_AXES, 1, 6, "", 1, 0.0625, 0},
    /* A transposed conv stored (in, out, k, k): the frameworks' convention (OI as if forward) and its own
     * data flow (axes: in = 0, out = 1). */
    {"xavier_normal", 4, {16, 64, 3, 3}, CLINIT_LAYOUT_OI, 0, 0, "", 2, 0, 0},
    {"xavier_normal", 4, {16, 64, 3, 3}, CLINIT_LAYOUT_AXES, 1, 2, "", 2, 0, 0},
    /* tinygrad's Tensor.scaled_uniform: U(−1, 1)·prod(shape)^−½, whatever the layout */
    {"scaled_uniform", 2, {300, 400}, CLINIT_LAYOUT_OI, 0, 0, "", 1, 0.00288675, 0}, /* 1/√120000 */
    {"scaled_uniform", 4, {3, 3, 32, 64}, CLINIT_LAYOUT_IO, 0, 0, "", 1, 0.00736570, 0},
    {"scaled_uniform", 1, {1000}, CLINIT_LAYOUT_OI, 0, 0, "", 1, 0.0316228, 0},
};
#define NROWS (sizeof rows / sizeof rows[0])

static double param(const char *params, const char *name, double dflt)
{
    const char *p = params;
    size_t n = strlen(name);
    while ((p = strstr(p, name)) != NULL) {
        if ((p == params || p[-1] == ' ') && p[n] == '=') return strtod(p + n + 1, NULL);
        p += n;
    }
    return dflt;
}

static int has(const char *params, const char *text) { return strstr(params, text) != NULL; }

/* The frameworks' formulas (torch/nn/init.py; Keras's and JAX's VarianceScaling; docs/ALGORITHMS.md §6 for the
 * fans and gains), written out. */
static void expected(const row *r, double *bound, double *std)
{
    double rf = 1, fin, fout;
    if (r->layout == CLINIT_LAYOUT_AXES) {
        double in = 1, out = 1;
        for (int d = 0; d < r->rank; d++)
            if (r->in_axes >> d & 1)
                in *= (double)r->shape[d];
            else if (r->out_axes >> d & 1)
                out *= (double)r->shape[d];
            else
                rf *= (double)r->shape[d];
        fin = in * rf, fout = out * rf;
    } else if (r->rank >= 2) {
        int io = r->layout == CLINIT_LAYOUT_IO;
        for (int d = 0; d < r->rank - 2; d++) rf *= (double)r->shape[io ? d : d + 2];
        fin = (double)r->shape[io ? r->rank - 2 : 1] * rf;
        fout = (double)r->shape[io ? r->rank - 1 : 0] * rf;
    } else {
        fin = fout = 0;
    }
    const char *i = r->init, *p = r->params;
    double gain = param(p, "gain", 1);
    if (!strcmp(i, "xavier_uniform"))
        *bound = gain * sqrt(6 / (fin + fout)), *std = *bound / sqrt(3);
    else if (!strcmp(i, "xavier_normal"))
        *bound = *std = gain * sqrt(2 / (fin + fout));
    else if (!strncmp(i, "kaiming", 7)) {
        double a = param(p, "a", 0), fan = has(p, "fan_out") ? fout : fin;
        double g = has(p, "=relu")     ? S2
                   : has(p, "tanh")    ? 5.0 / 3
                   : has(p, "selu")    ? 0.75
                   : has(p, "sigmoid") ? 1
                                       : sqrt(2 / (1 + a * a));
        *std = g / sqrt(fan);
        *bound = !strcmp(i, "kaiming_uniform") ? sqrt(3) * *std : *std;
    } else if (!strcmp(i, "linear_default_weight"))
        *bound = 1 / sqrt(fin), *std = *bound / sqrt(3);
    else if (!strcmp(i, "linear_default_bias"))
        *bound = 1 / sqrt(param(p, "fan_in", 0)), *std = *bound / sqrt(3);
    else if (!strcmp(i, "uniform"))
        *bound = param(p, "b", 1), *std = 2 * *bound / sqrt(12);
    else if (!strcmp(i, "normal"))
        *bound = *std = param(p, "std", 1);
    else if (!strcmp(i, "trunc_normal"))
        *bound = param(p, "b", 2), *std = r->std;
    else if (!strcmp(i, "scaled_uniform")) {
        double numel = 1; /* tinygrad: prod(shape) ** -0.5 */
        for (int d = 0; d < r->rank; d++) numel *= (double)r->shape[d];
        *bound = pow(numel, -0.5), *std = *bound / sqrt(3);
    } else {
        double scale = !strncmp(i, "he", 2) ? 2 : param(p, "scale", 1);
        double n = !strncmp(i, "glorot", 6) || has(p, "fan_avg") ? (fin + fout) / 2
                   : has(p, "fan_out")                           ? fout
                   : has(p, "fan_geo_avg")                       ? sqrt(fin * fout)
                                                                 : fin;
        double var = scale / n;
        int uni = has(i, "uniform") || has(p, "=uniform"), untrunc = has(p, "untruncated");
        *std = sqrt(var);
        *bound = uni ? sqrt(3 * var) : untrunc ? sqrt(var) : 2 * sqrt(var) / TN;
    }
}

static void test_catalogue(void **state)
{
    sup_env *e = SUP_ENV(state);
    assert_true(NROWS >= 30);
    for (size_t k = 0; k < NROWS; k++) {
        const row *r = &rows[k];
        clinit_tensor t = sup_tensor(NULL, 0, r->rank, r->shape);
        t.layout = r->layout;
        t.in_axes = r->in_axes;
        t.out_axes = r->out_axes;
        clinit_init_spec s;
        clinit_init_kind kind;
        assert_int_equal(clinit_init_from_name(r->init, &kind), CLINIT_SUCCESS);
        s = clinit_init_spec_default(kind);
        char buf[128];
        snprintf(buf, sizeof buf, "%s", r->params);
        for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
            char *eq = strchr(tok, '=');
            *eq = '\0';
            if (clinit_init_spec_set(&s, tok, eq + 1) != CLINIT_SUCCESS) fail_msg("row %zu: param %s", k, tok);
        }
        clinit_distribution d;
        assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
        double bound, std;
        expected(r, &bound, &std);
        if ((int)d.kind != r->kind) fail_msg("row %zu (%s): kind %d, expected %d", k, r->init, (int)d.kind, r->kind);
        double got = d.kind == CLINIT_DIST_NORMAL ? d.std : d.high;
        if (fabs(got - bound) > 1e-12 * bound)
            fail_msg("row %zu (%s): bound/std %.17g, formula %.17g", k, r->init, got, bound);
        /* Values quoted by the spec and the frameworks, rounded to 3–5 significant digits. */
        if (r->bound != 0 && fabs(bound - r->bound) > 5e-3 * r->bound)
            fail_msg("row %zu (%s): formula %.6g, quoted %.6g", k, r->init, bound, r->bound);
        if (fabs(d.expected_std - std) > 1e-9 * std)
            fail_msg("row %zu (%s): expected std %.17g, formula %.17g", k, r->init, d.expected_std, std);
        /* The device's values, in every dtype: after rounding to f16/bf16 the std moves by at most a relative
         * 2^-8 (bf16's half ulp, plus f16 subnormals far below these stds), which the tolerance adds. */
        size_t n = sup_numel(&t);
        const clinit_dtype dts[4] = {CLINIT_F32, CLINIT_F16, CLINIT_BF16, CLINIT_F64};
        for (int dt = 0; dt < (sup_has_fp64(e) ? 4 : 3); dt++) {
            t.dtype = dts[dt];
            void *v = sup_device_fill(e, &t, &s, 0x5eed + k, k, 0);
            double sum = 0, ss = 0;
            for (size_t i = 0; i < n; i++) {
                double x = sup_value(v, t.dtype, i);
                sum += x, ss += x * x;
            }
            double m = sum / (double)n, sd = sqrt(ss / (double)n - m * m);
            double tol = 6 * std / sqrt(2.0 * (double)n) + (dt == 1 || dt == 2 ? 0x1p-8 * std : 0);
            if (fabs(sd - std) > tol)
                fail_msg("row %zu (%s, dtype %d): sample std %.6g, expected %.6g ± %.2g", k, r->init, (int)t.dtype, sd,
                         std, tol);
            free(v);
        }
    }
}

/* JAX's _compute_fans with explicit axes, and the mask rules. */
static void test_fans_axes(void **state)
{
    (void)state;
    int64_t fi = 0, fo = 0;
    const int64_t attn[3] = {768, 12, 64};
    assert_int_equal(clinit_compute_fans_axes(3, attn, 1u, 6u, 0, &fi, &fo), CLINIT_SUCCESS);
    assert_true(fi == 768 && fo == 768);
    const int64_t batched[4] = {8, 3, 5, 7}; /* batch 8 of (3, 5, 7): in = 3, out = 7, receptive 5 */
    assert_int_equal(clinit_compute_fans_axes(4, batched, 2u, 8u, 1u, &fi, &fo), CLINIT_SUCCESS);
    assert_true(fi == 15 && fo == 35);
    const int64_t convt[4] = {16, 64, 3, 3}; /* PyTorch ConvTranspose2d (in, out, k, k), its own data flow */
    assert_int_equal(clinit_compute_fans_axes(4, convt, 1u, 2u, 0, &fi, &fo), CLINIT_SUCCESS);
    assert_true(fi == 144 && fo == 576);
    assert_int_equal(clinit_compute_fans(4, convt, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_SUCCESS);
    assert_true(fi == 576 && fo == 144); /* the frameworks' convention: as if the forward conv */
    assert_int_equal(clinit_compute_fans_axes(3, attn, 0, 6u, 0, &fi, &fo), CLINIT_ERROR_INVALID_LAYOUT);
    assert_int_equal(clinit_compute_fans_axes(3, attn, 1u, 3u, 0, &fi, &fo), CLINIT_ERROR_INVALID_LAYOUT);
    assert_int_equal(clinit_compute_fans_axes(3, attn, 1u, 2u, 2u, &fi, &fo), CLINIT_ERROR_INVALID_LAYOUT);
    assert_int_equal(clinit_compute_fans_axes(3, attn, 1u, 8u, 0, &fi, &fo), CLINIT_ERROR_INVALID_LAYOUT);
    assert_int_equal(clinit_compute_fans_axes(1, attn, 1u, 2u, 0, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(clinit_compute_fans_axes(3, NULL, 1u, 2u, 0, &fi, &fo), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_compute_fans(3, attn, CLINIT_LAYOUT_AXES, &fi, &fo), CLINIT_ERROR_INVALID_LAYOUT);
    /* Through a fill's validation: the message names the masks. */
    clinit_tensor t = sup_tensor(NULL, 0, 3, attn);
    t.layout = CLINIT_LAYOUT_AXES;
    t.in_axes = 1u, t.out_axes = 1u;
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_GLOROT_UNIFORM);
    char msg[256];
    assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_LAYOUT);
    assert_non_null(strstr(msg, "in_axes"));
}

/* tinygrad's Tensor.scaled_uniform (tinygrad/mixin/rand.py): uniform(low=-1, high=1) times prod(shape) ** -0.5,
 * prod of the whole tensor's shape. Its bound, exactly as documented (1 / sqrt(numel) in double), the same for a
 * box of the tensor as for the whole; its values in every dtype inside [−B, B) (B rounded to the dtype's values
 * inside, docs/ALGORITHMS.md §4) and the device's bit for bit the host reference's; their mean within 6 standard
 * errors (B/√(3n)) of 0, a false alarm with probability 2e-9. */
static void test_scaled_uniform(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_SCALED_UNIFORM);
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_SCALED_UNIFORM), "");
    const int64_t shape[3] = {3, 4, 5}, empty[2] = {0, 7};
    clinit_tensor t = sup_tensor(NULL, 0, 3, shape);
    clinit_distribution d;
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
    assert_true(d.kind == CLINIT_DIST_UNIFORM && d.high == 1 / sqrt(60.0) && d.low == -d.high);
    assert_true(fabs(d.high - pow(60.0, -0.5)) <= 0x1p-52 * d.high); /* tinygrad's pow, within its rounding */
    assert_true(fabs(d.expected_std - d.high / sqrt(3.0)) < 1e-15);
    sup_set_box(&t, (const int64_t[]){1, 0, 2}, (const int64_t[]){2, 4, 3});
    clinit_distribution boxed;
    assert_int_equal(clinit_init_resolve(&s, &t, &boxed), CLINIT_SUCCESS);
    assert_true(boxed.high == d.high); /* the whole tensor's prod(shape), never the box's */
    t = sup_tensor(NULL, 0, 0, shape);
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
    assert_true(d.low == -1 && d.high == 1); /* a scalar: prod(()) = 1 */
    t = sup_tensor(NULL, 0, 2, empty);
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
    assert_true(d.kind == CLINIT_DIST_CONSTANT && d.value == 0); /* nothing to write */

    const int64_t big[2] = {256, 1024};
    t = sup_tensor(NULL, 0, 2, big);
    size_t n = sup_numel(&t);
    double bound = 1 / sqrt((double)n); /* 2^-9 */
    const clinit_dtype dts[4] = {CLINIT_F32, CLINIT_F16, CLINIT_BF16, CLINIT_F64};
    for (int dt = 0; dt < (sup_has_fp64(e) ? 4 : 3); dt++) {
        t.dtype = dts[dt];
        unsigned char *v = sup_device_fill(e, &t, &s, 0x7e57, 11, 0), *ref = sup_reference_fill(&t, &s, 0x7e57, 11);
        assert_memory_equal(v, ref, n * clinit_dtype_size(t.dtype));
        double sum = 0, lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double x = sup_value(v, t.dtype, i);
            sum += x, lo = x < lo ? x : lo, hi = x > hi ? x : hi;
        }
        if (!(lo >= -bound && hi < bound)) fail_msg("dtype %d: values in [%.9g, %.9g], outside [-B, B)", dt, lo, hi);
        if (!(hi > 0.99 * bound && lo < -0.99 * bound)) fail_msg("dtype %d: values do not span [-B, B)", dt);
        double mean = sum / (double)n, se = bound / sqrt(3.0 * (double)n);
        if (fabs(mean) > 6 * se)
            fail_msg("dtype %d: mean %.3g, more than 6 standard errors (%.3g) from 0", dt, mean, se);
        free(v);
        free(ref);
    }
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_catalogue), cmocka_unit_test(test_fans_axes),
                                       cmocka_unit_test(test_scaled_uniform)};
    return cmocka_run_group_tests_name("catalogue", tests, sup_group_setup, sup_group_teardown);
}
