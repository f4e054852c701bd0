/* Truncated normal (PyTorch trunc_normal_, Keras/JAX truncated variance scaling), docs/ALGORITHMS.md §4:
 *  - in every regime — bounds far (std ≪ b − a), the framework ±2σ window, one-sided, narrow, deep in a tail
 *    on either side, straddling 0 — the values pass Kolmogorov–Smirnov against the exact truncated CDF;
 *  - device = host reference bit for bit, in f32, f16 and bf16, every value inside [a, b];
 *  - far bounds give exactly the normal fill's bits (no value lands on a bound, the std stays std);
 *  - the lower-tail plan is the mirror image of the upper one;
 *  - a == b gives exactly a in every dtype, as PyTorch's clamp does;
 *  - the host's plan never needs the fallback more often than 1e-9 per element. */
#include "support.h"
#include "generate.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED UINT64_C(0x0123456789abcdef)
#define STREAM UINT64_C(0xfedcba9876543210)
#define N (1u << 20)

/* Φ(b) − Φ(a) from the tail the window lies in, written independently of host/truncnorm.c. */
static double mass(double a, double b)
{
    if (a > 0) return 0.5 * (erfc(a / sqrt(2.0)) - erfc(b / sqrt(2.0)));
    if (b < 0) return 0.5 * (erfc(-b / sqrt(2.0)) - erfc(-a / sqrt(2.0)));
    return 1 - 0.5 * erfc(b / sqrt(2.0)) - 0.5 * erfc(-a / sqrt(2.0));
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static clinit_init_spec tn_spec(double mean, double std, double a, double b)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL);
    s.mean = mean, s.std = std, s.a = a, s.b = b;
    return s;
}

/* KS statistic of v (sorted in place) against N(mean, std²) restricted to [a, b]. */
static double ks(float *v, size_t n, double mean, double std, double a, double b)
{
    qsort(v, n, sizeof *v, cmp_float);
    double al = (a - mean) / std, be = (b - mean) / std, z = mass(al, be), d = 0;
    for (size_t i = 0; i < n; i++) {
        double x = ((double)v[i] - mean) / std;
        double F = mass(al, x < al ? al : x) / z;
        d = fmax(d, fmax(fabs(F - (double)i / n), fabs((double)(i + 1) / n - F)));
    }
    return d;
}

static const struct window {
    const char *what;
    double mean, std, a, b;
} windows[] = {
    {"PyTorch default [-2, 2]", 0, 1, -2, 2},      {"shifted, scaled", 3, 0.5, 2.2, 4.9},
    {"one-sided [1, inf)", 0, 1, 1, INFINITY},     {"one-sided (-inf, -0.3]", 0, 1, -INFINITY, -0.3},
    {"narrow [0.5, 0.6]", 0, 1, 0.5, 0.6},         {"upper tail [5, 6]", 0, 1, 5, 6},
    {"lower tail [-6, -5]", 0, 1, -6, -5},         {"deep tail [9, inf)", 0, 1, 9, INFINITY},
    {"straddling [-0.01, 2.5]", 0, 1, -0.01, 2.5}, {"one-sided at 0 [0, inf)", 0, 1, 0, INFINITY},
};
#define NWIN (sizeof windows / sizeof windows[0])

/* 2^20 values per window: KS with √n·D ≤ 2.694 (false-alarm rate 1e-6, asymptotic Kolmogorov distribution),
 * plus one float ulp of the standardized value as CDF shift: density ≤ 0.4 (or the window's largest,
 * φ(m)/Z) times 2^-22·max|x| — negligible except in the narrow window, where it is included. */
static void test_ks_every_window(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){N});
    for (size_t w = 0; w < NWIN; w++) {
        const struct window *wi = &windows[w];
        clinit_init_spec s = tn_spec(wi->mean, wi->std, wi->a, wi->b);
        float *v = sup_device_fill(e, &t, &s, SEED + w, STREAM, 0);
        for (size_t i = 0; i < N; i++)
            if (!(v[i] >= (float)wi->a && v[i] <= (float)wi->b))
                fail_msg("%s: value %g outside", wi->what, (double)v[i]);
        double al = (wi->a - wi->mean) / wi->std, be = (wi->b - wi->mean) / wi->std;
        double m = al > 0 ? al : be < 0 ? be : 0;
        double dens = exp(-m * m / 2) / sqrt(2 * 3.14159265358979) / mass(al, be);
        double reach = fmax(isinf(al) ? 6 : fabs(al), isinf(be) ? 6 : fabs(be)) + 6;
        double crit = 2.694 / sqrt((double)N) + dens * reach * 0x1p-22;
        double d = ks(v, N, wi->mean, wi->std, wi->a, wi->b);
        if (d > crit) fail_msg("%s: KS D = %.3g > %.3g", wi->what, d, crit);
        free(v);
    }
}

static void test_device_equals_reference_every_dtype(void **state)
{
    sup_env *e = SUP_ENV(state);
    const clinit_dtype dts[3] = {CLINIT_F32, CLINIT_F16, CLINIT_BF16};
    for (size_t w = 0; w < NWIN; w++)
        for (int k = 0; k < 3; k++) {
            const struct window *wi = &windows[w];
            clinit_init_spec s = tn_spec(wi->mean, wi->std, wi->a, wi->b);
            clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){97, 31});
            t.dtype = dts[k];
            size_t bytes = sup_numel(&t) * clinit_dtype_size(t.dtype);
            unsigned char *dev = sup_device_fill(e, &t, &s, SEED, STREAM + w, 2 * clinit_dtype_size(t.dtype));
            unsigned char *ref = sup_reference_fill(&t, &s, SEED, STREAM + w);
            if (memcmp(dev, ref, bytes) != 0) fail_msg("%s, dtype %d: device differs from reference", wi->what, k);
            for (size_t i = 0; k > 0 && i < sup_numel(&t); i++) {
                uint16_t h = ((uint16_t *)dev)[i];
                double x = k == 1 ? ci_f16_value(h) : sup_from_bits((uint32_t)h << 16);
                if (!(x >= wi->a && x <= wi->b)) fail_msg("%s, dtype %d: %g outside [a, b]", wi->what, k, x);
            }
            free(dev);
            free(ref);
        }
}

/* std = 0.002 with bounds ±2 (a failure users reported of PyTorch's trunc_normal_, whose values landed on the bounds
 * in f32; docs/ALGORITHMS.md §4, "truncated normal"): the window is 1000σ wide, so every element keeps its
 * ordinary normal value — the same bits as normal(0, 0.002) — and none lands on a bound. */
static void test_far_bounds_are_the_normal_fill(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){N});
    clinit_init_spec s = tn_spec(0, 0.002, -2, 2);
    clinit_init_spec nrm = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    nrm.std = 0.002;
    float *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    float *w = sup_device_fill(e, &t, &nrm, SEED, STREAM, 0);
    sup_compare(v, w, N, "trunc_normal(std 0.002, ±2) vs normal(std 0.002)");
    double ss = 0;
    for (size_t i = 0; i < N; i++) {
        assert_true(fabsf(v[i]) < 2.0f);
        ss += (double)v[i] * v[i];
    }
    /* sample std within 5.5 standard errors (σ/√(2n)) of 0.002: false-alarm rate 4e-8 */
    assert_true(fabs(sqrt(ss / N) - 0.002) < 5.5 * 0.002 / sqrt(2.0 * N));
    free(v);
    free(w);
}

static void test_lower_tail_mirrors_upper(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){4099});
    clinit_init_spec up = tn_spec(0, 1, 5, 6), down = tn_spec(0, 1, -6, -5);
    float *u = sup_device_fill(e, &t, &up, SEED, STREAM, 0);
    float *d = sup_device_fill(e, &t, &down, SEED, STREAM, 0);
    for (int i = 0; i < 4099; i++) assert_true(d[i] == -u[i]);
    free(u);
    free(d);
}

/* Over a grid of windows the best of the three proposals keeps the fallback probability (1 − acc)^tries at
 * or below 1e-9, or the window is refused. Windows with no probability in double are refused. */
static void test_plans(void **state)
{
    (void)state;
    int refused = 0, planned = 0;
    for (double a = -8; a <= 8; a += 0.25)
        for (double wdt = 0.01; wdt <= 16; wdt *= 1.7) {
            int method;
            double c[4], zmax;
            clinit_status st = ci_truncnorm_plan(a, a + wdt, 0, &method, c, &zmax);
            if (st != CLINIT_SUCCESS) {
                refused++;
                continue;
            }
            planned++;
            assert_true(method >= CLINIT_TN_NORMAL && method <= CLINIT_TN_EXP_LOWER);
            assert_true(zmax >= fmin(fabs(a), fabs(a + wdt)) && isfinite(zmax));
        }
    assert_int_equal(refused, 0);
    assert_true(planned > 500);
    int method;
    double c[4], zmax;
    assert_int_equal(ci_truncnorm_plan(40, 41, 0, &method, c, &zmax), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(ci_truncnorm_plan(1, 1, 1, &method, c, &zmax), CLINIT_ERROR_INVALID_PARAMETER);
}

/* a == b: PyTorch's trunc_normal_ clamps every value to [a, a], so it gives exactly a (rounded to the tensor's
 * dtype), wherever a lies against mean and std; clinit resolves it to the constant a, on the device and in the
 * reference, in every dtype. */
static void test_equal_bounds_give_a(void **state)
{
    sup_env *e = SUP_ENV(state);
    static const double cases[][3] = {{0, 1, 0.1}, {0, 1, 10}, {3, 0.02, -7.25}, {0, 1e-3, 0}};
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){5, 7});
    for (size_t w = 0; w < sizeof cases / sizeof cases[0]; w++) {
        double a = cases[w][2];
        clinit_init_spec s = tn_spec(cases[w][0], cases[w][1], a, a);
        clinit_distribution d;
        assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
        assert_int_equal(d.kind, CLINIT_DIST_CONSTANT);
        assert_true(d.value == a && d.expected_mean == a && d.expected_std == 0);
        for (int dt = 0; dt < 3 + sup_has_fp64(e); dt++) {
            t.dtype = (clinit_dtype)dt;
            size_t es = clinit_dtype_size(t.dtype), n = sup_numel(&t);
            unsigned char *dev = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
            unsigned char *ref = sup_reference_fill(&t, &s, SEED, STREAM);
            assert_memory_equal(dev, ref, n * es);
            double want = dt == CLINIT_F64 ? a : (double)ci_dtype_round(t.dtype, (float)a);
            for (size_t i = 0; i < n; i++)
                if (sup_value(dev, t.dtype, i) != want)
                    fail_msg("a = b = %g, dtype %d: element %zu is %a, not %a", a, dt, i, sup_value(dev, t.dtype, i),
                             want);
            free(dev);
            free(ref);
        }
        t.dtype = CLINIT_F32;
    }
    /* A value the dtype cannot hold is refused, naming a. */
    clinit_init_spec big = tn_spec(0, 1, 1e6, 1e6);
    t.dtype = CLINIT_F16;
    char msg[256];
    assert_int_equal(clinit_validate(&t, &big, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "trunc_normal: a = 1e+06 overflows f16");
}

static void test_parameter_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem buf = sup_buffer(e, 1024);
    clinit_tensor t = sup_tensor(buf, 0, 1, (int64_t[]){16});
    /* a == b is a's, but its mean and std are still checked, and an infinite one has no finite value */
    const clinit_init_spec bad[] = {tn_spec(0, 0, -2, 2),
                                    tn_spec(0, -1, -2, 2),
                                    tn_spec(0, 1, 2, -2),
                                    tn_spec(NAN, 1, -2, 2),
                                    tn_spec(0, 1, NAN, 2),
                                    tn_spec(0, 1, 40, 41),
                                    tn_spec(0, 0, 1, 1),
                                    tn_spec(NAN, 1, 1, 1),
                                    tn_spec(0, 1, INFINITY, INFINITY),
                                    tn_spec(0, 1, -INFINITY, -INFINITY)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &bad[i], 1, 2, 0, NULL, NULL),
                         CLINIT_ERROR_INVALID_PARAMETER);
        assert_non_null(strstr(clinit_ctx_message(e->ctx), "trunc_normal"));
    }
    clinit_init_spec big = tn_spec(0, 20000, -INFINITY, INFINITY); /* values reach 5.77·20000 > 65504 */
    t.dtype = CLINIT_F16;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &big, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    big.a = -60000, big.b = 60000; /* bounded within f16: accepted */
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &big, 1, 2, 0, NULL, NULL), CLINIT_SUCCESS);
    clFinish(e->queue);
    clReleaseMemObject(buf);
}

/* The expected mean and std (clinit_init_resolve, what `clinit sample` prints) of windows of every width:
 * narrow ones are nearly uniform, std = width/√12 (the closed form cancelled there: [1, 1 + 1e-6] gave 0,
 * [0.999999, 1] 52 times too much); moderate ones match the closed form computed without cancellation
 * (erf in double: 0.24483626359552974 and 0.14368144845244255 for [0, 0.5]); [−2, 2] is Keras's 0.8796…. */
static void test_expected_moments(void **state)
{
    (void)state;
    const struct {
        double a, b, mean, std, tol;
    } cases[] = {
        {1, 1 + 1e-6, 1 + 0.5e-6, 1e-6 / sqrt(12), 1e-6},
        {0.999999, 1, 0.9999995, 1e-6 / sqrt(12), 1e-6},
        {3, 3.00001, 3.000005, 1e-5 / sqrt(12), 1e-6},
        {-3.00001, -3, -3.000005, 1e-5 / sqrt(12), 1e-6},
        {0, 0.5, 0.24483626359552974, 0.14368144845244255, 1e-11},
        {0.5, 1.5, 0.9206446052220356, 0.2773843866234157, 1e-11},
        {-2, 2, 0, 0.87962566103423978, 1e-12},
    };
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){16});
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        clinit_init_spec s = tn_spec(0, 1, cases[k].a, cases[k].b);
        clinit_distribution d;
        assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
        if (!(fabs(d.expected_mean - cases[k].mean) <= cases[k].tol * fmax(1, fabs(cases[k].mean)) &&
              fabs(d.expected_std - cases[k].std) <= cases[k].tol * cases[k].std))
            fail_msg("[%.17g, %.17g]: mean %.17g std %.17g, want %.17g %.17g", cases[k].a, cases[k].b, d.expected_mean,
                     d.expected_std, cases[k].mean, cases[k].std);
    }
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ks_every_window),
        cmocka_unit_test(test_device_equals_reference_every_dtype),
        cmocka_unit_test(test_far_bounds_are_the_normal_fill),
        cmocka_unit_test(test_lower_tail_mirrors_upper),
        cmocka_unit_test(test_plans),
        cmocka_unit_test(test_equal_bounds_give_a),
        cmocka_unit_test(test_parameter_errors),
        cmocka_unit_test(test_expected_moments),
    };
    return cmocka_run_group_tests_name("truncnorm", tests, sup_group_setup, sup_group_teardown);
}
