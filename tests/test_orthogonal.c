/* orthogonal and delta_orthogonal (docs/ALGORITHMS.md §4, "orthogonal and delta_orthogonal"):
 *  - the device equals the host reference byte for byte, for square, tall, wide, flattened conv, 1 × n and
 *    n × 1 shapes, f32/f16/bf16/f64, byte offsets and work-group sizes 1, 16, 64 and the default;
 *  - orthonormality: max |QᵀQ − I| (QQᵀ for wide) and the row-sum norm ‖QᵀQ − I‖∞ up to 1024 × 1024 in f32 and
 *    f64, and after rounding to f16/bf16 within the bound derived there;
 *  - f64 is computed in double from the f64 normal fill's Gaussian (a 1 × n matrix is that row normalized);
 *  - gain scales exactly; Haar statistics of 8 × 8 matrices over 2000 streams (trace mean 0, variance 1;
 *    entry mean 0, second moment 1/n), which the unsigned Householder Q fails, in f32 and f64;
 *  - boxes are the same region of the full fill; delta_orthogonal's zeros and centre tap for IO/OI, rank 3–5;
 *  - errors (rank, in > out, a rejected work-group size) enqueue nothing; wait lists and events;
 *    out-of-order queues; a batch's orthogonal items share one scratch.
 * The f64 cases run where the device has cl_khr_fp64 (PoCL has); elsewhere an f64 fill must be refused. */
#include "support.h"
#include "clfault.h"
#include "generate.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED UINT64_C(0x9E3779B97F4A7C15)
#define STREAM UINT64_C(0x0000000500000007)

static clinit_init_spec orth(double gain)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_ORTHOGONAL);
    s.gain = gain;
    return s;
}

static clinit_init_spec delta(double scale)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_DELTA_ORTHOGONAL);
    s.scale = scale;
    return s;
}

static clinit_tensor tensor(int rank, const int64_t *shape, clinit_dtype dtype, clinit_layout layout)
{
    clinit_tensor t = sup_tensor(NULL, 0, rank, shape);
    t.dtype = dtype;
    t.layout = layout;
    return t;
}

/* ------------------------------------------------------------------------------------------------------ */

typedef struct shape_case {
    int rank;
    int64_t shape[4];
} shape_case;

static void test_device_equals_reference(void **state)
{
    sup_env *e = SUP_ENV(state);
    static const shape_case shapes[] = {
        {2, {33, 33}}, {2, {45, 12}}, {2, {12, 45}},  {4, {64, 3, 3, 3}}, {2, {1, 50}},
        {2, {50, 1}},  {2, {1, 1}},   {3, {7, 5, 3}}, {2, {16, 128}},
    };
    static const clinit_dtype dtypes[] = {CLINIT_F32, CLINIT_F16, CLINIT_BF16, CLINIT_F64};
    static const size_t locals[] = {0, 1, 16, 64};
    size_t ndtypes = sup_has_fp64(e) ? 4 : 3;
    clinit_init_spec s = orth(1.5);
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
        for (size_t d = 0; d < ndtypes; d++) {
            clinit_tensor t = tensor(shapes[k].rank, shapes[k].shape, dtypes[d], CLINIT_LAYOUT_OI);
            size_t bytes = sup_numel(&t) * clinit_dtype_size(t.dtype);
            void *ref = sup_reference_fill(&t, &s, SEED, STREAM + k);
            for (size_t l = 0; l < 4; l++) {
                SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, locals[l]));
                size_t offset = l * 3 * clinit_dtype_size(t.dtype); /* 0 and odd element offsets */
                void *dev = sup_device_fill(e, &t, &s, SEED, STREAM + k, offset);
                if (memcmp(dev, ref, bytes) != 0)
                    fail_msg("shape #%zu dtype %d local %zu: device bytes differ from the reference", k, (int)dtypes[d],
                             locals[l]);
                free(dev);
            }
            free(ref);
        }
    SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, 0));
}

/* Device fill of a rows × cols orthogonal(1) in dtype (f32 or f64) and its orthonormality. */
static void check_orthonormal(sup_env *e, int64_t rows, int64_t cols, clinit_dtype dtype, double bound)
{
    clinit_tensor t = tensor(2, (int64_t[]){rows, cols}, dtype, CLINIT_LAYOUT_OI);
    clinit_init_spec s = orth(1);
    void *dev = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    double max_abs, row_sum;
    sup_gram_error(dev, dtype, (size_t)rows, (size_t)cols, 1, &max_abs, &row_sum);
    print_message("%s %lld x %lld: max |QtQ - I| = %.3g, row-sum norm = %.3g\n", dtype == CLINIT_F64 ? "f64" : "f32",
                  (long long)rows, (long long)cols, max_abs, row_sum);
    assert_true(max_abs <= bound);
    assert_true(row_sum <= bound);
    free(dev);
}

/* Float Householder alone gives max |QᵀQ − I| ≈ 1e-6 and a row-sum norm ≈ 3e-5 at 1024 × 1024; the compensated
 * correction step brings both to the floor of an exactly orthogonal matrix rounded to f32 (≈ 1e-8 and ≈ 1e-6).
 * The bound 1e-5 holds for both measures with a margin of 8 on the row sums. */
static void test_orthonormal(void **state)
{
    sup_env *e = SUP_ENV(state);
    check_orthonormal(e, 512, 512, CLINIT_F32, 1e-5);
    check_orthonormal(e, 600, 200, CLINIT_F32, 1e-5);
    check_orthonormal(e, 200, 600, CLINIT_F32, 1e-5);
    check_orthonormal(e, 1024, 1024, CLINIT_F32, 1e-5);
}

/* The same algorithm in double: max |QᵀQ − I| ≈ 2e-17 and ‖QᵀQ − I‖∞ ≈ 2e-15 at 1024 × 1024 (measured with
 * long double sums; 1.5e-15 and 6e-14 before the correction step), the floor of a matrix rounded to f64.
 * gram_error's plain double sums add rounding of their own (1.8e-14 on the row sums at 1024²); 1e-12 bounds
 * both measures with a margin of 50, while values computed in f32 and widened (≈ 1e-6) are far outside. */
static void test_orthonormal_f64(void **state)
{
    sup_env *e = SUP_ENV(state);
    if (!sup_has_fp64(e)) {
        print_message("device without cl_khr_fp64: skipped\n");
        return;
    }
    check_orthonormal(e, 256, 256, CLINIT_F64, 1e-12);
    check_orthonormal(e, 600, 200, CLINIT_F64, 1e-12);
    check_orthonormal(e, 200, 600, CLINIT_F64, 1e-12);
    check_orthonormal(e, 1024, 1024, CLINIT_F64, 1e-12);
}

/* The f64 Gaussian is the f64 normal fill (docs/ALGORITHMS.md §4, "f64": two elements per Philox block), not
 * the f32 one rounded up: for a 1 × n (or n × 1) tensor Q is one column, and with the sign rule (R_00 > 0) it is
 * exactly z/‖z‖ for z the normal(0, 1) fill of the same tensor, seed and stream. The algorithm's rounding
 * leaves a few ulps (< 1e-15 here); z from the f32 rule would differ in every element by far more. */
static void test_f64_gaussian_is_normal_fill(void **state)
{
    sup_env *e = SUP_ENV(state);
    if (!sup_has_fp64(e)) return;
    static const int64_t shapes[][2] = {{1, 257}, {101, 1}, {1, 2}};
    for (int k = 0; k < 3; k++) {
        clinit_tensor t = tensor(2, shapes[k], CLINIT_F64, CLINIT_LAYOUT_OI);
        size_t n = sup_numel(&t);
        clinit_init_spec so = orth(1), sn = clinit_init_spec_default(CLINIT_INIT_NORMAL);
        sn.mean = 0;
        sn.std = 1;
        double *q = sup_device_fill(e, &t, &so, SEED, STREAM + (uint64_t)k, 0);
        double *z = sup_device_fill(e, &t, &sn, SEED, STREAM + (uint64_t)k, 0);
        long double norm2 = 0;
        for (size_t i = 0; i < n; i++) norm2 += (long double)z[i] * z[i];
        double norm = (double)sqrtl(norm2), worst = 0;
        for (size_t i = 0; i < n; i++) {
            double d = fabs(q[i] - z[i] / norm);
            if (d > worst) worst = d;
        }
        print_message("f64 %lld x %lld: max |q - z/|z|| = %.3g\n", (long long)shapes[k][0], (long long)shapes[k][1],
                      worst);
        assert_true(worst <= 1e-15);
        free(q);
        free(z);
    }
}

/* gain multiplies the f32 and f64 values exactly: 2 and 0.5 are powers of two, −1 negates; 0 gives zeros. */
static void test_gain_scaling(void **state)
{
    sup_env *e = SUP_ENV(state);
    for (int f64 = 0; f64 < 1 + sup_has_fp64(e); f64++) {
        clinit_tensor t = tensor(3, (int64_t[]){24, 5, 8}, f64 ? CLINIT_F64 : CLINIT_F32, CLINIT_LAYOUT_OI);
        size_t n = sup_numel(&t);
        clinit_init_spec s1 = orth(1), s2 = orth(2), sh = orth(0.5), sn = orth(-1), s0 = orth(0);
        void *v1 = sup_device_fill(e, &t, &s1, SEED, STREAM, 0);
        void *v2 = sup_device_fill(e, &t, &s2, SEED, STREAM, 0);
        void *vh = sup_device_fill(e, &t, &sh, SEED, STREAM, 0);
        void *vn = sup_device_fill(e, &t, &sn, SEED, STREAM, 0);
        void *v0 = sup_device_fill(e, &t, &s0, SEED, STREAM, 0);
        for (size_t i = 0; i < n; i++) {
            if (f64) {
                double x = ((double *)v1)[i];
                assert_memory_equal(&((double *)v2)[i], &(double){2.0 * x}, sizeof x);
                assert_memory_equal(&((double *)vh)[i], &(double){0.5 * x}, sizeof x);
                assert_memory_equal(&((double *)vn)[i], &(double){-x}, sizeof x);
                assert_true(((double *)v0)[i] == 0.0);
            } else {
                float x = ((float *)v1)[i];
                assert_int_equal(sup_bits(((float *)v2)[i]), sup_bits(2.0f * x));
                assert_int_equal(sup_bits(((float *)vh)[i]), sup_bits(0.5f * x));
                assert_int_equal(sup_bits(((float *)vn)[i]), sup_bits(-x));
                assert_true(((float *)v0)[i] == 0.0f);
            }
        }
        free(v1);
        free(v2);
        free(vh);
        free(vn);
        free(v0);
    }
}

/* Haar measure on O(8), from 2000 matrices of 2000 streams (host reference, which equals the device bit for
 * bit): E[tr Q] = 0 and Var[tr Q] = 1 (Diaconis & Shahshahani 1994: the moments of tr Q up to order n are those
 * of N(0, 1), so E[tr⁴] = 3 and the sample variance has variance ≈ 2/N); E[Q_00] = 0, E[Q_00²] = 1/n,
 * E[Q_00⁴] = 3/(n(n + 2)). Each check allows 5 standard errors (false-alarm rate 6e-7 each). Without the sign
 * rule, Q_00 = −|x_0|/‖x‖ would have mean −E|z|/√8 ≈ −0.28, 35 standard errors away. */
static void check_haar(clinit_dtype dtype)
{
    enum { N = 2000, D = 8 };
    double tr_sum = 0, tr_sq = 0, q_sum = 0, q_sq = 0;
    clinit_tensor t = tensor(2, (int64_t[]){D, D}, dtype, CLINIT_LAYOUT_OI);
    clinit_init_spec s = orth(1);
    for (int k = 0; k < N; k++) {
        void *q = sup_reference_fill(&t, &s, SEED, (uint64_t)k);
        double tr = 0;
        for (int i = 0; i < D; i++) tr += sup_value(q, dtype, (size_t)(i * D + i));
        double q00 = sup_value(q, dtype, 0);
        tr_sum += tr;
        tr_sq += tr * tr;
        q_sum += q00;
        q_sq += q00 * q00;
        free(q);
    }
    double tr_mean = tr_sum / N, tr_var = (tr_sq - N * tr_mean * tr_mean) / (N - 1);
    double q_mean = q_sum / N, q_m2 = q_sq / N;
    double q4 = 3.0 / (D * (D + 2.0));
    print_message("trace mean %.4f (sd %.4f), variance %.4f (sd %.4f); Q00 mean %.4f, E[Q00^2] %.4f (1/n = %.4f)\n",
                  tr_mean, sqrt(1.0 / N), tr_var, sqrt(2.0 / N), q_mean, q_m2, 1.0 / D);
    assert_true(fabs(tr_mean) <= 5 * sqrt(1.0 / N));
    assert_true(fabs(tr_var - 1) <= 5 * sqrt(2.0 / N));
    assert_true(fabs(q_mean) <= 5 * sqrt(1.0 / D / N));
    assert_true(fabs(q_m2 - 1.0 / D) <= 5 * sqrt((q4 - 1.0 / (D * D)) / N));
}

/* The f64 matrices come from other Gaussians (the f64 normal rule), so they are a second, independent sample;
 * the host reference computes f64 on any machine. */
static void test_haar_statistics(void **state)
{
    (void)state;
    check_haar(CLINIT_F32);
    check_haar(CLINIT_F64);
}

/* A box is exactly the same region of the full fill (f32, f16, bf16 and f64, orthogonal and delta_orthogonal). */
static void check_box(sup_env *e, const clinit_tensor *full, const clinit_init_spec *s, const int64_t *start,
                      const int64_t *extent)
{
    sup_check_box(e, full, s, SEED, STREAM, start, extent);
}

static void test_boxes(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = orth(1.25);
    clinit_tensor t = tensor(3, (int64_t[]){20, 6, 5}, CLINIT_F32, CLINIT_LAYOUT_OI);
    check_box(e, &t, &s, (int64_t[]){3, 1, 2}, (int64_t[]){10, 4, 3});
    check_box(e, &t, &s, (int64_t[]){0, 0, 0}, (int64_t[]){20, 6, 5});
    check_box(e, &t, &s, (int64_t[]){19, 5, 4}, (int64_t[]){1, 1, 1});
    t = tensor(2, (int64_t[]){12, 70}, CLINIT_F16, CLINIT_LAYOUT_OI); /* wide */
    check_box(e, &t, &s, (int64_t[]){2, 30}, (int64_t[]){7, 33});
    clinit_init_spec d = delta(0.75);
    t = tensor(4, (int64_t[]){3, 3, 8, 16}, CLINIT_F32, CLINIT_LAYOUT_IO);
    check_box(e, &t, &d, (int64_t[]){1, 0, 2, 4}, (int64_t[]){2, 3, 5, 9});
    t = tensor(4, (int64_t[]){16, 8, 3, 3}, CLINIT_BF16, CLINIT_LAYOUT_OI);
    check_box(e, &t, &d, (int64_t[]){4, 0, 1, 1}, (int64_t[]){8, 8, 1, 2});
    if (sup_has_fp64(e)) {
        t = tensor(3, (int64_t[]){20, 6, 5}, CLINIT_F64, CLINIT_LAYOUT_OI);
        check_box(e, &t, &s, (int64_t[]){3, 1, 2}, (int64_t[]){10, 4, 3});
        t = tensor(2, (int64_t[]){12, 70}, CLINIT_F64, CLINIT_LAYOUT_OI);
        check_box(e, &t, &s, (int64_t[]){2, 30}, (int64_t[]){7, 33});
        t = tensor(4, (int64_t[]){3, 3, 8, 16}, CLINIT_F64, CLINIT_LAYOUT_IO);
        check_box(e, &t, &d, (int64_t[]){1, 0, 2, 4}, (int64_t[]){2, 3, 5, 9});
    }
    /* An empty box writes nothing and succeeds, on the device and in the reference. */
    t = tensor(2, (int64_t[]){12, 70}, CLINIT_F32, CLINIT_LAYOUT_OI);
    sup_set_box(&t, (int64_t[]){2, 30}, (int64_t[]){0, 33});
    float dummy;
    assert_int_equal(clinit_reference_fill(&t, &s, SEED, STREAM, &dummy, sizeof dummy), CLINIT_SUCCESS);
    free(sup_device_fill(e, &t, &s, SEED, STREAM, 0));
}

/* delta_orthogonal on `shape` (layout IO or OI) in dtype f32 or f64: device = reference; every element off the
 * centre tap is +0; the centre tap holds scale·W, W the (in, out) orthogonal matrix: bit for bit the orthogonal
 * fill of shape (in, out) with gain = scale and the same seed and stream; its rows orthonormal. */
static void check_delta(sup_env *e, int rank, const int64_t *shape, clinit_layout layout, double scale,
                        clinit_dtype dtype)
{
    clinit_tensor t = tensor(rank, shape, dtype, layout);
    clinit_init_spec s = delta(scale);
    size_t es = clinit_dtype_size(dtype);
    unsigned char *dev = sup_device_fill(e, &t, &s, SEED, STREAM, 4 * es);
    unsigned char *ref = sup_reference_fill(&t, &s, SEED, STREAM);
    size_t n = sup_numel(&t);
    if (dtype == CLINIT_F32)
        sup_compare((float *)dev, (float *)ref, n, "delta_orthogonal");
    else
        assert_memory_equal(dev, ref, n * es);
    static const unsigned char zero[8];
    int oi = layout == CLINIT_LAYOUT_OI;
    int64_t in = shape[oi ? 1 : rank - 2], out = shape[oi ? 0 : rank - 1];
    clinit_tensor tm = tensor(2, (int64_t[]){in, out}, dtype, CLINIT_LAYOUT_OI);
    clinit_init_spec so = orth(scale);
    unsigned char *w = sup_reference_fill(&tm, &so, SEED, STREAM);
    size_t centre_hits = 0;
    for (size_t k = 0; k < n; k++) {
        /* multi-index of k */
        int64_t idx[CLINIT_MAX_RANK];
        size_t rem = k;
        for (int d = rank - 1; d >= 0; d--) {
            idx[d] = (int64_t)(rem % (size_t)shape[d]);
            rem /= (size_t)shape[d];
        }
        int centre = 1;
        for (int d = oi ? 2 : 0; d < (oi ? rank : rank - 2); d++) centre &= idx[d] == (shape[d] - 1) / 2;
        if (!centre) {
            if (memcmp(dev + k * es, zero, es) != 0)
                fail_msg("element %zu off the centre tap is %a, not +0", k, sup_value(dev, dtype, k));
            continue;
        }
        int64_t i = idx[oi ? 1 : rank - 2], o = idx[oi ? 0 : rank - 1];
        centre_hits++;
        size_t wk = (size_t)(i * out + o);
        if (memcmp(dev + k * es, w + wk * es, es) != 0)
            fail_msg("centre [%lld][%lld]: %a != orthogonal (in, out) %a", (long long)i, (long long)o,
                     sup_value(dev, dtype, k), sup_value(w, dtype, wk));
    }
    assert_int_equal(centre_hits, (size_t)(in * out));
    double max_abs, row_sum;
    sup_gram_error(w, dtype, (size_t)in, (size_t)out, scale, &max_abs, &row_sum);
    assert_true(max_abs <= (dtype == CLINIT_F64 ? 1e-14 : 1e-6));
    free(w);
    free(dev);
    free(ref);
}

static void test_delta_orthogonal(void **state)
{
    sup_env *e = SUP_ENV(state);
    check_delta(e, 4, (int64_t[]){3, 3, 16, 32}, CLINIT_LAYOUT_IO, 1.7, CLINIT_F32);
    check_delta(e, 4, (int64_t[]){32, 16, 3, 3}, CLINIT_LAYOUT_OI, 1.7, CLINIT_F32);
    check_delta(e, 3, (int64_t[]){4, 8, 8}, CLINIT_LAYOUT_IO, 1.0, CLINIT_F32); /* even k: centre (4 − 1) // 2 = 1 */
    check_delta(e, 3, (int64_t[]){8, 8, 5}, CLINIT_LAYOUT_OI, 1.0, CLINIT_F32);
    check_delta(e, 5, (int64_t[]){3, 3, 3, 4, 6}, CLINIT_LAYOUT_IO, 0.5, CLINIT_F32);
    check_delta(e, 5, (int64_t[]){6, 4, 2, 2, 2}, CLINIT_LAYOUT_OI, 2.0, CLINIT_F32);
    check_delta(e, 3, (int64_t[]){3, 1, 1}, CLINIT_LAYOUT_IO, 3.0, CLINIT_F32); /* 1 × 1: ±scale */
    if (sup_has_fp64(e)) {
        check_delta(e, 4, (int64_t[]){3, 3, 16, 32}, CLINIT_LAYOUT_IO, 1.7, CLINIT_F64);
        check_delta(e, 4, (int64_t[]){32, 16, 3, 3}, CLINIT_LAYOUT_OI, 1.7, CLINIT_F64);
        check_delta(e, 3, (int64_t[]){4, 8, 8}, CLINIT_LAYOUT_IO, 1.0, CLINIT_F64);
        check_delta(e, 5, (int64_t[]){6, 4, 2, 2, 2}, CLINIT_LAYOUT_OI, 2.0, CLINIT_F64);
    }
    /* f16 and bf16: device = reference */
    clinit_init_spec s = delta(1.5);
    for (int d = 1; d <= 2; d++) {
        clinit_tensor t = tensor(4, (int64_t[]){5, 5, 12, 20}, (clinit_dtype)d, CLINIT_LAYOUT_IO);
        void *dev = sup_device_fill(e, &t, &s, SEED, STREAM, 6);
        void *ref = sup_reference_fill(&t, &s, SEED, STREAM);
        assert_memory_equal(dev, ref, sup_numel(&t) * 2);
        free(dev);
        free(ref);
    }
}

/* f16 and bf16 values are the round-to-nearest-even of the f32 values, so the Gram matrix of the rounded
 * columns moves by at most 2u + u² (u = 2^-11 for f16, 2^-8 for bf16: |q̂ − q| ≤ u|q| for normal values and
 * Σ|q_a q_b| ≤ 1) plus, for f16, √m·2^-24 from subnormal values (absolute error ≤ 2^-25 each, Σ|q| ≤ √m),
 * on top of the f32 error (≤ 1e-6 here). */
static void test_half_precision_orthonormal(void **state)
{
    sup_env *e = SUP_ENV(state);
    static const int64_t sizes[][2] = {{128, 128}, {64, 200}, {300, 40}};
    for (int d = 1; d <= 2; d++)
        for (int k = 0; k < 3; k++) {
            clinit_tensor t = tensor(2, sizes[k], (clinit_dtype)d, CLINIT_LAYOUT_OI);
            clinit_init_spec s = orth(1);
            void *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
            double m = (double)(sizes[k][0] > sizes[k][1] ? sizes[k][0] : sizes[k][1]);
            double u = d == CLINIT_F16 ? 0x1p-11 : 0x1p-8;
            double bound = 2 * u + u * u + (d == CLINIT_F16 ? sqrt(m) * 0x1p-24 : 0) + 1e-6;
            double max_abs, row_sum;
            sup_gram_error(v, (clinit_dtype)d, (size_t)sizes[k][0], (size_t)sizes[k][1], 1, &max_abs, &row_sum);
            print_message("%s %lld x %lld: max |QtQ - I| = %.3g (bound %.3g)\n", d == CLINIT_F16 ? "f16" : "bf16",
                          (long long)sizes[k][0], (long long)sizes[k][1], max_abs, bound);
            assert_true(max_abs <= bound);
            free(v);
        }
}

/* A fill of t (into a fresh buffer of `bytes` bytes) refused with `want`: no event, and every byte of the buffer
 * as it was. */
static void fill_refused(sup_env *e, clinit_tensor t, const clinit_init_spec *s, size_t bytes, clinit_status want)
{
    cl_mem buf = sup_buffer(e, bytes);
    sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
    t.buffer = buf;
    cl_event ev = (cl_event)1;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, s, SEED, STREAM, 0, NULL, &ev), want);
    assert_null(ev);
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    unsigned char *host = malloc(bytes);
    assert_non_null(host);
    sup_read(e, buf, 0, bytes, host);
    sup_assert_pattern(host, 0, bytes, SUP_SENTINEL);
    free(host);
    clReleaseMemObject(buf);
}

/* Rank and shape errors come from the resolution, before anything is enqueued: the buffer keeps its bytes. */
static void expect_error(sup_env *e, int rank, const int64_t *shape, clinit_layout layout, const clinit_init_spec *s,
                         clinit_status want)
{
    clinit_tensor t = tensor(rank, shape, CLINIT_F32, layout);
    char msg[256];
    assert_int_equal(clinit_validate(&t, s, msg, sizeof msg), want);
    clinit_distribution dist;
    assert_int_equal(clinit_init_resolve(s, &t, &dist), want);
    fill_refused(e, t, s, 4096, want);
}

static void test_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec o = orth(1), d = delta(1);
    expect_error(e, 1, (int64_t[]){8}, CLINIT_LAYOUT_OI, &o, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, 0, (int64_t[]){0}, CLINIT_LAYOUT_OI, &o, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, 2, (int64_t[]){4, 4}, CLINIT_LAYOUT_IO, &d, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, 6, (int64_t[]){1, 1, 1, 1, 2, 2}, CLINIT_LAYOUT_IO, &d, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, 4, (int64_t[]){3, 3, 8, 4}, CLINIT_LAYOUT_IO, &d, CLINIT_ERROR_INVALID_SHAPE); /* in 8 > out 4 */
    expect_error(e, 4, (int64_t[]){4, 8, 3, 3}, CLINIT_LAYOUT_OI, &d, CLINIT_ERROR_INVALID_SHAPE);
    clinit_init_spec bad = orth(NAN);
    expect_error(e, 2, (int64_t[]){4, 4}, CLINIT_LAYOUT_OI, &bad, CLINIT_ERROR_INVALID_PARAMETER);
    /* f64 tensors are valid (validation knows no device); the fill generates them where the device has
     * cl_khr_fp64 (the other cases here) and elsewhere refuses them before enqueuing anything. */
    clinit_tensor t64 = tensor(2, (int64_t[]){4, 4}, CLINIT_F64, CLINIT_LAYOUT_OI);
    assert_int_equal(clinit_validate(&t64, &o, NULL, 0), CLINIT_SUCCESS);
    clinit_tensor t64d = tensor(3, (int64_t[]){3, 4, 4}, CLINIT_F64, CLINIT_LAYOUT_IO);
    assert_int_equal(clinit_validate(&t64d, &d, NULL, 0), CLINIT_SUCCESS);
    if (!sup_has_fp64(e)) {
        cl_mem buf = sup_buffer(e, 256);
        sup_fill_pattern(e, buf, 256, SUP_SENTINEL);
        t64.buffer = t64d.buffer = buf;
        cl_event ev = (cl_event)1;
        assert_int_equal(clinit_fill(e->ctx, e->queue, &t64, &o, SEED, STREAM, 0, NULL, &ev),
                         CLINIT_ERROR_UNSUPPORTED_DTYPE);
        assert_null(ev);
        assert_int_equal(clinit_fill(e->ctx, e->queue, &t64d, &d, SEED, STREAM, 0, NULL, NULL),
                         CLINIT_ERROR_UNSUPPORTED_DTYPE);
        unsigned char host[256];
        sup_read(e, buf, 0, sizeof host, host);
        sup_assert_pattern(host, 0, sizeof host, SUP_SENTINEL);
        clReleaseMemObject(buf);
    }
    /* A zero-element tensor is a no-op without a rank check (PyTorch's). */
    clinit_tensor t = tensor(2, (int64_t[]){0, 5}, CLINIT_F32, CLINIT_LAYOUT_OI);
    free(sup_device_fill(e, &t, &o, SEED, STREAM, 0));
}

/* An OpenCL failure inside the fill (an injected CL_OUT_OF_RESOURCES at the first launch) is
 * CLINIT_ERROR_OPENCL naming the call and the kernel (the f32 or the f64 instance's); nothing was written and
 * the destination holds no extra reference. */
static void test_opencl_failure(void **state)
{
    sup_env *e = SUP_ENV(state);
    for (int f64 = 0; f64 < 1 + sup_has_fp64(e); f64++) {
        cl_mem buf = sup_buffer(e, 4096);
        sup_fill_pattern(e, buf, 4096, SUP_SENTINEL);
        clinit_tensor t = tensor(2, (int64_t[]){16, 16}, f64 ? CLINIT_F64 : CLINIT_F32, CLINIT_LAYOUT_OI);
        t.buffer = buf;
        clinit_init_spec s = orth(1);
        /* the first launch (the Gaussian kernel) fails: tests/clfault.c stands in for the loader's call */
        clfault_arm("clEnqueueNDRangeKernel", 1, CL_OUT_OF_RESOURCES);
        cl_event ev = (cl_event)1;
        assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 0, NULL, &ev), CLINIT_ERROR_OPENCL);
        assert_true(clfault_disarm());
        assert_null(ev);
        assert_non_null(strstr(clinit_ctx_message(e->ctx), "clEnqueueNDRangeKernel"));
        assert_non_null(strstr(clinit_ctx_message(e->ctx), "CL_OUT_OF_RESOURCES"));
        assert_non_null(strstr(clinit_ctx_message(e->ctx), f64 ? "clinit_orth64_gauss" : "clinit_orth_gauss"));
        assert_int_equal(clFinish(e->queue), CL_SUCCESS);
        unsigned char host[4096];
        sup_read(e, buf, 0, sizeof host, host);
        sup_assert_pattern(host, 0, sizeof host, SUP_SENTINEL);
        assert_int_equal(sup_mem_refcount(buf), 1);
        clReleaseMemObject(buf);
    }
}

/* clinit_scratch_bytes: the three buffers (mn + n)·s, n²·s, mn·s of the m × n matrix (m ≥ n), s = 4 or 8;
 * 0 for other initializers, empty fills and invalid arguments. */
static void test_scratch_bytes(void **state)
{
    (void)state;
    const struct {
        clinit_init_spec spec;
        clinit_tensor t;
        clinit_status st;
        uint64_t largest, total;
    } cases[] = {
        {orth(1), tensor(2, (int64_t[]){6, 4}, CLINIT_F32, CLINIT_LAYOUT_OI), CLINIT_SUCCESS, 112, 112 + 64 + 96},
        {orth(1), tensor(2, (int64_t[]){4, 6}, CLINIT_BF16, CLINIT_LAYOUT_OI), CLINIT_SUCCESS, 112, 272},
        {orth(1), tensor(2, (int64_t[]){6, 4}, CLINIT_F64, CLINIT_LAYOUT_OI), CLINIT_SUCCESS, 224, 544},
        /* rows 2, columns 3·5 = 15: m = 15, n = 2 → (30 + 2)·4, 4·4, 30·4 */
        {orth(1), tensor(3, (int64_t[]){2, 3, 5}, CLINIT_F32, CLINIT_LAYOUT_OI), CLINIT_SUCCESS, 128, 128 + 16 + 120},
        /* OI (out 5, in 3, 3, 3): the (in, out) matrix, m = 5, n = 3 → 72, 36, 60 */
        {delta(1), tensor(4, (int64_t[]){5, 3, 3, 3}, CLINIT_F32, CLINIT_LAYOUT_OI), CLINIT_SUCCESS, 72, 168},
        {clinit_init_spec_default(CLINIT_INIT_NORMAL), tensor(2, (int64_t[]){6, 4}, CLINIT_F32, CLINIT_LAYOUT_OI),
         CLINIT_SUCCESS, 0, 0},
        {orth(1), tensor(2, (int64_t[]){0, 4}, CLINIT_F32, CLINIT_LAYOUT_OI), CLINIT_SUCCESS, 0, 0},
        {orth(NAN), tensor(2, (int64_t[]){6, 4}, CLINIT_F32, CLINIT_LAYOUT_OI), CLINIT_ERROR_INVALID_PARAMETER, 0, 0},
        {orth(1), tensor(1, (int64_t[]){6}, CLINIT_F32, CLINIT_LAYOUT_OI), CLINIT_ERROR_INVALID_RANK, 0, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        uint64_t largest = 99, total = 99;
        clinit_status st = clinit_scratch_bytes(&cases[k].t, &cases[k].spec, &largest, &total);
        if (st != cases[k].st || largest != cases[k].largest || total != cases[k].total)
            fail_msg("case %zu: status %d, largest %llu, total %llu; want %d, %llu, %llu", k, (int)st,
                     (unsigned long long)largest, (unsigned long long)total, (int)cases[k].st,
                     (unsigned long long)cases[k].largest, (unsigned long long)cases[k].total);
    }
    assert_int_equal(clinit_scratch_bytes(&cases[0].t, &cases[0].spec, NULL, NULL), CLINIT_SUCCESS);
    assert_int_equal(clinit_scratch_bytes(NULL, &cases[0].spec, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_scratch_bytes(&cases[0].t, NULL, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
}

/* The launches of an n × n fill, as docs/C_API.md states them: the Gaussian matrix, n steps of each phase one launch
 * apiece, one launch per phase for each panel of 16 steps but the last (the later columns), E, Q2 and the store. */
static void test_launch_count(void **state)
{
    sup_env *e = SUP_ENV(state);
    static const int64_t ns[] = {1, 15, 16, 17, 33, 48};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        clinit_tensor t = tensor(2, (int64_t[]){ns[k], ns[k]}, CLINIT_F32, CLINIT_LAYOUT_OI);
        clinit_init_spec s = orth(1);
        uint64_t before = clinit_ctx_launch_count(e->ctx);
        free(sup_device_fill(e, &t, &s, SEED, STREAM, 0));
        uint64_t n = (uint64_t)ns[k];
        assert_int_equal(clinit_ctx_launch_count(e->ctx) - before, 2 * n + 2 * ((n + 15) / 16) + 2);
    }
}

/* Fills element (0, 0) of an R × C f16 orthogonal tensor (a box: the destination is 64 bytes) and expects
 * CLINIT_ERROR_DEVICE_MEMORY with message `want`, no event, no launch and no byte written; clinit_scratch_fits
 * says the same before any buffer exists. */
static void expect_scratch_refused(sup_env *e, int64_t R, int64_t C, const char *want)
{
    clinit_tensor t = tensor(2, (int64_t[]){R, C}, CLINIT_F16, CLINIT_LAYOUT_OI);
    clinit_init_spec s = orth(1);
    assert_int_equal(clinit_scratch_fits(e->ctx, &t, &s, 0), CLINIT_ERROR_DEVICE_MEMORY);
    assert_string_equal(clinit_ctx_message(e->ctx), want);
    sup_set_box(&t, (int64_t[]){0, 0}, (int64_t[]){1, 1});
    uint64_t before = clinit_ctx_launch_count(e->ctx);
    fill_refused(e, t, &s, 64, CLINIT_ERROR_DEVICE_MEMORY);
    assert_string_equal(clinit_ctx_message(e->ctx), want);
    assert_int_equal(clinit_ctx_launch_count(e->ctx), before);
}

/* A matrix whose scratch is above CL_DEVICE_MAX_MEM_ALLOC_SIZE (one element of a 2^32 × 16 tensor):
 * CLINIT_ERROR_DEVICE_MEMORY naming the bytes and the limit, before anything is enqueued. */
static void test_scratch_above_device_limit(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_ulong max_alloc = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL),
                     CL_SUCCESS);
    clinit_tensor t = tensor(2, (int64_t[]){INT64_C(1) << 32, 16}, CLINIT_F16, CLINIT_LAYOUT_OI);
    clinit_init_spec s = orth(1);
    uint64_t largest = 0;
    SUP_OK(e->ctx, clinit_scratch_bytes(&t, &s, &largest, NULL));
    assert_true(largest == ((UINT64_C(1) << 36) + 16) * 4 && largest > max_alloc);
    char want[256];
    snprintf(want, sizeof want,
             "orthogonal of a 4294967296 x 16 matrix needs a scratch buffer of %llu bytes, above the device's "
             "largest (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %llu bytes)",
             (unsigned long long)largest, (unsigned long long)max_alloc);
    expect_scratch_refused(e, INT64_C(1) << 32, 16, want);
}

/* Three scratch buffers that each fit CL_DEVICE_MAX_MEM_ALLOC_SIZE but together exceed CL_DEVICE_GLOBAL_MEM_SIZE
 * (an n × n matrix: about 3·4n² bytes): refused before anything is enqueued, naming the total and the limit.
 * Devices whose largest buffer is below a third of their memory cannot have such a matrix: skipped there. */
static void test_scratch_above_device_memory(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_ulong max_alloc = 0, global = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL),
                     CL_SUCCESS);
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global, &global, NULL), CL_SUCCESS);
    int64_t n = (int64_t)sqrt((double)max_alloc / 4) - 1;
    while ((uint64_t)(n * n + n) * 4 > max_alloc) n--;
    uint64_t total = ((uint64_t)(2 * n * n + n) + (uint64_t)(n * n)) * 4;
    if (total <= global) {
        print_message("skipped: %llu bytes of largest buffer cannot add up past %llu bytes of memory\n",
                      (unsigned long long)max_alloc, (unsigned long long)global);
        return;
    }
    clinit_tensor t = tensor(2, (int64_t[]){n, n}, CLINIT_F16, CLINIT_LAYOUT_OI);
    clinit_init_spec s = orth(1);
    uint64_t largest = 0, sum = 0;
    SUP_OK(e->ctx, clinit_scratch_bytes(&t, &s, &largest, &sum));
    assert_true(largest <= max_alloc && sum == total);
    char want[256];
    snprintf(want, sizeof want,
             "orthogonal of a %lld x %lld matrix needs %llu bytes of scratch, above the device's memory "
             "(CL_DEVICE_GLOBAL_MEM_SIZE = %llu bytes)",
             (long long)n, (long long)n, (unsigned long long)total, (unsigned long long)global);
    expect_scratch_refused(e, n, n, want);
}

/* clinit_scratch_fits beside the caller's own buffers: a 1024 × 1024 f32 matrix's 12 MiB of scratch fits a
 * device alone, not beside all but 1 MiB of its memory (the message names those bytes); fills without scratch
 * always fit; its arguments are checked as a fill's. */
static void test_scratch_fits(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_ulong global = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global, &global, NULL), CL_SUCCESS);
    clinit_tensor t = tensor(2, (int64_t[]){1024, 1024}, CLINIT_F32, CLINIT_LAYOUT_OI);
    clinit_init_spec s = orth(1);
    uint64_t total = 0;
    SUP_OK(e->ctx, clinit_scratch_bytes(&t, &s, NULL, &total));
    assert_true(total == (2 * 1024 * 1024 + 1024 + 1024 * 1024) * UINT64_C(4));
    SUP_OK(e->ctx, clinit_scratch_fits(e->ctx, &t, &s, 0));
    assert_string_equal(clinit_ctx_message(e->ctx), "");
    SUP_OK(e->ctx, clinit_scratch_fits(e->ctx, &t, &s, global - total)); /* exactly full */
    uint64_t reserved = global - (1u << 20);
    assert_int_equal(clinit_scratch_fits(e->ctx, &t, &s, reserved), CLINIT_ERROR_DEVICE_MEMORY);
    char want[256];
    snprintf(want, sizeof want,
             "orthogonal of a 1024 x 1024 matrix needs %llu bytes of scratch besides %llu bytes of other buffers, "
             "above the device's memory (CL_DEVICE_GLOBAL_MEM_SIZE = %llu bytes)",
             (unsigned long long)total, (unsigned long long)reserved, (unsigned long long)global);
    assert_string_equal(clinit_ctx_message(e->ctx), want);
    assert_int_equal(clinit_scratch_fits(e->ctx, &t, &s, UINT64_MAX), CLINIT_ERROR_DEVICE_MEMORY); /* no wrap */
    clinit_init_spec u = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    SUP_OK(e->ctx, clinit_scratch_fits(e->ctx, &t, &u, UINT64_MAX));
    clinit_tensor empty = tensor(2, (int64_t[]){0, 1024}, CLINIT_F32, CLINIT_LAYOUT_OI);
    SUP_OK(e->ctx, clinit_scratch_fits(e->ctx, &empty, &s, UINT64_MAX));
    clinit_tensor rank1 = tensor(1, (int64_t[]){1024}, CLINIT_F32, CLINIT_LAYOUT_OI);
    assert_int_equal(clinit_scratch_fits(e->ctx, &rank1, &s, 0), CLINIT_ERROR_INVALID_RANK);
    assert_string_equal(clinit_ctx_message(e->ctx), "orthogonal needs rank >= 2, got rank 1");
    assert_int_equal(clinit_scratch_fits(NULL, &t, &s, 0), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_scratch_fits(e->ctx, NULL, &s, 0), CLINIT_ERROR_NULL_ARGUMENT);
    assert_string_equal(clinit_ctx_message(e->ctx), "tensor is NULL");
    assert_int_equal(clinit_scratch_fits(e->ctx, &t, NULL, 0), CLINIT_ERROR_NULL_ARGUMENT);
}

/* The fill waits for its wait list and its event completes when every value is written; the host is not
 * blocked meanwhile. (PoCL's basic driver deadlocks on user events, as in test_async: run with pthread.) */
static void test_wait_list(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = orth(1);
    sup_gated_fill(e, tensor(2, (int64_t[]){40, 24}, CLINIT_F32, CLINIT_LAYOUT_OI), &s, SEED, STREAM);
    if (sup_has_fp64(e))
        sup_gated_fill(e, tensor(2, (int64_t[]){24, 40}, CLINIT_F64, CLINIT_LAYOUT_OI), &s, SEED, STREAM);
}

/* On an out-of-order queue every launch waits for the one before: the values are the reference's. */
static void test_out_of_order_queue(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_int err;
    clinit_tensor t = tensor(2, (int64_t[]){40, 24}, CLINIT_F32, CLINIT_LAYOUT_OI);
    clinit_init_spec s = orth(1);
    const size_t bytes = 40 * 24 * 4;
    float *ref = sup_reference_fill(&t, &s, SEED, STREAM);
    float *host = malloc(bytes);
    assert_non_null(host);
    cl_mem buf = sup_buffer(e, bytes);
    t.buffer = buf;
    cl_event done = NULL;
    cl_command_queue_properties props = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_QUEUE_PROPERTIES, sizeof props, &props, NULL), CL_SUCCESS);
    if (props & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) {
        cl_command_queue ooo =
            clCreateCommandQueue(e->context, e->device, CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, &err);
        assert_int_equal(err, CL_SUCCESS);
        for (int round = 0; round < 3; round++) {
            sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
            SUP_OK(e->ctx, clinit_fill(e->ctx, ooo, &t, &s, SEED, STREAM, 0, NULL, &done));
            assert_int_equal(clEnqueueReadBuffer(ooo, buf, CL_TRUE, 0, bytes, host, 1, &done, NULL), CL_SUCCESS);
            sup_compare(host, ref, 40 * 24, "orthogonal fill on an out-of-order queue");
            clReleaseEvent(done);
        }
        assert_int_equal(clFinish(ooo), CL_SUCCESS);
        clReleaseCommandQueue(ooo);
    } else {
        print_message("device has no out-of-order queues: skipped\n");
    }
    assert_int_equal(sup_mem_refcount(buf), 1);
    clReleaseMemObject(buf);
    free(host);
    free(ref);
}

/* A batch's orthogonal items share one scratch (host/orthogonal.c, ci_orth_shared): the four items below
 * make 3 scratch buffers, not 12 (every enqueued fill kept its own until it finished, so a model of many
 * orthogonal tensors held all their scratch at once), run one after another (an out-of-order queue too), and
 * write exactly the reference's bytes. */
static void check_shared_batch(sup_env *e, cl_command_queue queue)
{
    static const shape_case shapes[] = {{2, {40, 24}}, {2, {24, 40}}, {4, {16, 3, 3, 3}}, {3, {8, 4, 3}}};
    static const clinit_dtype dtypes[] = {CLINIT_F32, CLINIT_F32, CLINIT_F16, CLINIT_BF16};
    clinit_batch_item items[4];
    void *ref[4];
    size_t offset = 0, bytes[4];
    cl_mem buf = sup_buffer(e, 4 * 40 * 24 * 4);
    for (int i = 0; i < 4; i++) {
        items[i].tensor = tensor(shapes[i].rank, shapes[i].shape, dtypes[i], CLINIT_LAYOUT_OI);
        items[i].tensor.buffer = buf;
        items[i].tensor.offset_bytes = offset;
        items[i].spec = i == 3 ? delta(1.25) : orth(1.5);
        items[i].stream = STREAM + (uint64_t)i;
        bytes[i] = sup_numel(&items[i].tensor) * clinit_dtype_size(dtypes[i]);
        offset += bytes[i];
        ref[i] = sup_reference_fill(&items[i].tensor, &items[i].spec, SEED, items[i].stream);
    }
    unsigned char *host = malloc(offset);
    assert_non_null(host);
    for (int round = 0; round < 3; round++) {
        sup_fill_pattern(e, buf, 4 * 40 * 24 * 4, SUP_SENTINEL);
        long mems = clfault_live(CLFAULT_MEM), events = clfault_live(CLFAULT_EVENT);
        /* a fourth clCreateBuffer would fail: the batch must not need one */
        clfault_arm("clCreateBuffer", 4, CL_MEM_OBJECT_ALLOCATION_FAILURE);
        cl_event done = NULL;
        clinit_status st = clinit_fill_batch(e->ctx, queue, items, 4, SEED, 0, NULL, &done);
        int fired = clfault_disarm();
        SUP_OK(e->ctx, st);
        assert_false(fired);
        assert_int_equal(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, offset, host, 1, &done, NULL), CL_SUCCESS);
        clReleaseEvent(done);
        assert_int_equal(clFinish(queue), CL_SUCCESS);
        for (size_t i = 0, at = 0; i < 4; at += bytes[i++])
            if (memcmp(host + at, ref[i], bytes[i]) != 0)
                fail_msg("round %d item %zu differs from the reference", round, i);
        /* the shared scratch and the chain's events are all released */
        assert_int_equal(clfault_live(CLFAULT_MEM), mems);
        assert_int_equal(clfault_live(CLFAULT_EVENT), events);
    }
    for (int i = 0; i < 4; i++) free(ref[i]);
    free(host);
    assert_int_equal(sup_mem_refcount(buf), 1);
    clReleaseMemObject(buf);
}

static void test_batch_shares_scratch(void **state)
{
    sup_env *e = SUP_ENV(state);
    check_shared_batch(e, e->queue);
    cl_command_queue_properties props = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_QUEUE_PROPERTIES, sizeof props, &props, NULL), CL_SUCCESS);
    if (!(props & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE)) {
        print_message("device has no out-of-order queues: skipped\n");
        return;
    }
    cl_int err;
    cl_command_queue ooo = clCreateCommandQueue(e->context, e->device, CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, &err);
    assert_int_equal(err, CL_SUCCESS);
    check_shared_batch(e, ooo);
    clReleaseCommandQueue(ooo);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_equals_reference),
        cmocka_unit_test(test_orthonormal),
        cmocka_unit_test(test_orthonormal_f64),
        cmocka_unit_test(test_f64_gaussian_is_normal_fill),
        cmocka_unit_test(test_gain_scaling),
        cmocka_unit_test(test_haar_statistics),
        cmocka_unit_test(test_boxes),
        cmocka_unit_test(test_delta_orthogonal),
        cmocka_unit_test(test_half_precision_orthonormal),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_opencl_failure),
        cmocka_unit_test(test_scratch_bytes),
        cmocka_unit_test(test_scratch_above_device_limit),
        cmocka_unit_test(test_scratch_above_device_memory),
        cmocka_unit_test(test_scratch_fits),
        cmocka_unit_test(test_wait_list),
        cmocka_unit_test(test_out_of_order_queue),
        cmocka_unit_test(test_batch_shares_scratch),
        cmocka_unit_test(test_launch_count),
    };
    return cmocka_run_group_tests_name("orthogonal", tests, sup_group_setup, sup_group_teardown);
}
