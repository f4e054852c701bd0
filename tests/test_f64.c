/* f64 outputs (docs/ALGORITHMS.md §4, "f64"), on devices with cl_khr_fp64 (PoCL has it; a device without it
 * must answer CLINIT_ERROR_UNSUPPORTED_DTYPE, which the test accepts and reports):
 *  - device = host reference bit for bit for every initializer generated in double, odd counts, boxes,
 *    offsets, work-group sizes;
 *  - the double-precision math against long double: ln and √ within 1 ulp, sin/cos within 2.5e-16;
 *  - u01 in [2^-53, 1 − 2^-53]; uniform never reaches b; normals finite, |z| ≤ 8.5705;
 *  - Kolmogorov–Smirnov for uniform and normal at a false-alarm rate of 1e-6 (√n·D ≤ 2.694). */
#include "support.h"
#include "generate.h"
#include "generate64.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED UINT64_C(0x9e3779b97f4a7c15)
#define STREAM UINT64_C(0xbf58476d1ce4e5b9)

static clinit_tensor t64(int rank, const int64_t *shape)
{
    clinit_tensor t = sup_tensor(NULL, 0, rank, shape);
    t.dtype = CLINIT_F64;
    return t;
}

static void test_math_accuracy(void **state)
{
    (void)state;
    uint64_t s = 88172645463325252u;
    double worst_log = 0, worst_sqrt = 0, worst_sin = 0;
    for (int it = 0; it < 2000000; it++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        uint32_t a = (uint32_t)s, b = (uint32_t)(s >> 32);
        if (it < 2) a = b = it ? 0xffffffffu : 0; /* both ends of u01 */
        double u = ci_u01_64(a, b);
        long double L = logl((long double)u);
        double l = ci_log_u01_64(u), ulp_l = nextafter(fabs((double)L), INFINITY) - fabs((double)L);
        worst_log = fmax(worst_log, (double)fabsl((long double)l - L) / ulp_l);
        double w = -2 * l, q = ci_sqrt_pos64(w);
        long double S = sqrtl((long double)w);
        worst_sqrt = fmax(worst_sqrt, (double)fabsl((long double)q - S) / (nextafter((double)S, INFINITY) - (double)S));
        double sn, cs;
        ci_sincos_turn64(u, &sn, &cs);
        long double th = 6.283185307179586476925286766559L * (long double)u;
        worst_sin = fmax(worst_sin, (double)fmaxl(fabsl(sn - sinl(th)), fabsl(cs - cosl(th))));
    }
    if (worst_log > 1 || worst_sqrt > 1 || worst_sin > 2.5e-16)
        fail_msg("ln %.3g ulp, sqrt %.3g ulp, sin/cos %.3g", worst_log, worst_sqrt, worst_sin);
    assert_true(ci_u01_64(0, 0) == 0x1p-53);
    assert_true(ci_u01_64(0xffffffffu, 0xffffffffu) == 1 - 0x1p-53);
}

static void test_device_equals_reference(void **state)
{
    sup_env *e = SUP_ENV(state);
    if (!sup_has_fp64(e)) {
        print_message("device without cl_khr_fp64: f64 fills must be refused\n");
        return;
    }
    const char *inits[] = {"constant",       "uniform",       "normal",          "trunc_normal",
                           "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
                           "glorot_normal",  "he_uniform",    "lecun_normal"};
    const int64_t shapes[3][3] = {{37, 29, 3}, {1, 1, 1}, {255, 17, 1}};
    const size_t locals[3] = {0, 1, 64};
    for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++)
        for (int k = 0; k < 3; k++) {
            clinit_init_kind kind;
            assert_int_equal(clinit_init_from_name(inits[i], &kind), CLINIT_SUCCESS);
            clinit_init_spec s = clinit_init_spec_default(kind);
            if (kind == CLINIT_INIT_CONSTANT) s.val = 0.1; /* not a float: f64 keeps every bit */
            if (kind == CLINIT_INIT_UNIFORM) s.a = -0.3, s.b = 0.7;
            clinit_tensor t = t64(3, shapes[k]);
            assert_int_equal(clinit_ctx_set_local_size(e->ctx, locals[k]), CLINIT_SUCCESS);
            size_t n = sup_numel(&t);
            double *dev = sup_device_fill(e, &t, &s, SEED + i, STREAM, 8 * (size_t)k);
            double *ref = sup_reference_fill(&t, &s, SEED + i, STREAM);
            if (memcmp(dev, ref, n * sizeof(double)) != 0)
                fail_msg("%s shape %d: device differs from reference", inits[i], k);
            if (kind == CLINIT_INIT_CONSTANT) assert_true(dev[0] == 0.1);
            free(dev);
            free(ref);
        }
    assert_int_equal(clinit_ctx_set_local_size(e->ctx, 0), CLINIT_SUCCESS);
    /* A box of a tensor equals the same region of the whole fill. */
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    clinit_tensor whole = t64(2, (int64_t[]){40, 33});
    double *w = sup_device_fill(e, &whole, &s, SEED, STREAM, 0);
    clinit_tensor box = whole;
    sup_set_box(&box, (int64_t[]){7, 5}, (int64_t[]){11, 13});
    double *b = sup_device_fill(e, &box, &s, SEED, STREAM, 16);
    for (int r = 0; r < 11; r++)
        for (int c = 0; c < 13; c++) assert_true(b[r * 13 + c] == w[(7 + r) * 33 + 5 + c]);
    free(w);
    free(b);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_distributions(void **state)
{
    sup_env *e = SUP_ENV(state);
    if (!sup_has_fp64(e)) return;
    const size_t n = 1u << 20;
    clinit_tensor t = t64(1, (int64_t[]){(int64_t)n});
    for (int normal = 0; normal < 2; normal++) {
        clinit_init_spec s = clinit_init_spec_default(normal ? CLINIT_INIT_NORMAL : CLINIT_INIT_UNIFORM);
        double *v = sup_device_fill(e, &t, &s, SEED, STREAM + (uint64_t)normal, 0);
        for (size_t i = 0; i < n; i++) {
            if (normal)
                assert_true(isfinite(v[i]) && fabs(v[i]) <= 8.5705);
            else
                assert_true(v[i] > 0 && v[i] < 1); /* u ≥ 2^-53: a = 0 is not reached either */
        }
        qsort(v, n, sizeof *v, cmp_double);
        double d = 0;
        for (size_t i = 0; i < n; i++) {
            double F = normal ? 0.5 * erfc(-v[i] / sqrt(2.0)) : v[i];
            d = fmax(d, fmax(fabs(F - (double)i / n), fabs((double)(i + 1) / n - F)));
        }
        if (d * sqrt((double)n) > 2.694)
            fail_msg("%s: KS sqrt(n)D = %.3f", normal ? "normal" : "uniform", d * sqrt((double)n));
        free(v);
    }
    /* trunc_normal with far bounds keeps the normal fill's bits, in f64 too. */
    clinit_init_spec tn = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL),
                     nm = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    tn.std = nm.std = 0.002;
    double *a = sup_device_fill(e, &t, &tn, SEED, STREAM, 0), *b = sup_device_fill(e, &t, &nm, SEED, STREAM, 0);
    assert_int_equal(memcmp(a, b, n * sizeof(double)), 0);
    free(a);
    free(b);
}

static void test_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem buf = sup_buffer(e, 4096);
    clinit_tensor t = t64(2, (int64_t[]){8, 8});
    t.buffer = buf;
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    t.offset_bytes = 4; /* f64 needs 8-byte alignment */
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_ERROR_MISALIGNED_OFFSET);
    t.offset_bytes = 8;
    clinit_status want = sup_has_fp64(e) ? CLINIT_SUCCESS : CLINIT_ERROR_UNSUPPORTED_DTYPE;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), want);
    /* Every initializer follows the same rule, the structured ones included. */
    s = clinit_init_spec_default(CLINIT_INIT_EYE);
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), want);
    clFinish(e->queue);
    clReleaseMemObject(buf);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_math_accuracy),
        cmocka_unit_test(test_device_equals_reference),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("f64", tests, sup_group_setup, sup_group_teardown);
}
