/* One test per failure users have reported in other frameworks (the "failures" list of the initializer
 * specification clinit follows), each asserting the right value, named after the failure. */
#include "support.h"
#include "generate.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED UINT64_C(0xfeedfacecafebeef)

/* An integer-to-float map that can return exactly 0 or 1 makes Box–Muller take log(0): ±inf weights. */
static void test_int_to_float_never_0_or_1_so_box_muller_is_finite(void **state)
{
    sup_env *e = SUP_ENV(state);
    const uint32_t ends[4] = {0u, 0x1ffu, 0xfffffe00u, 0xffffffffu};
    for (int i = 0; i < 4; i++) {
        float u = ci_u01(ends[i]);
        assert_true(u > 0.0f && u < 1.0f);
        float zc, zs;
        ci_normal_pair(ends[i], ends[3 - i], &zc, &zs);
        assert_true(isfinite(zc) && isfinite(zs) && fabsf(zc) <= 5.7687f);
    }
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){1 << 20});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    float *v = sup_device_fill(e, &t, &s, SEED, 1, 0);
    for (int i = 0; i < (1 << 20); i++) assert_true(isfinite(v[i]));
    free(v);
}

/* Box–Muller fed the wrong pair of uniforms: every value appears twice. The two values of a pair (cos, sin
 * of one angle) are equal only where cos θ = sin θ to the last bit; neighbours from different pairs never
 * repeat. Over 2^16 pairs: at most 2 equal pairs (expected ≪ 1). */
static void test_box_muller_values_do_not_repeat(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){1 << 17});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    float *v = sup_device_fill(e, &t, &s, SEED, 2, 0);
    int same_pair = 0, same_next_pair = 0;
    for (int i = 0; i + 2 < (1 << 17); i += 2) {
        same_pair += v[i] == v[i + 1];
        same_next_pair += v[i] == v[i + 2];
    }
    assert_true(same_pair <= 2 && same_next_pair <= 2);
    free(v);
}

/* A normal fill that needs an even element count fails for odd counts ((1, 3), (11, 5), one element). */
static void test_normal_fill_of_odd_counts(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t shapes[4][2] = {{1, 3}, {11, 5}, {1, 1}, {7, 1}};
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    for (int k = 0; k < 4; k++) {
        clinit_tensor t = sup_tensor(NULL, 4, 2, shapes[k]);
        size_t n = sup_numel(&t);
        float *dev = sup_device_fill(e, &t, &s, SEED, 3, 4); /* guard bands checked inside */
        float *ref = sup_reference_fill(&t, &s, SEED, 3);
        sup_compare(dev, ref, n, "odd count");
        for (size_t i = 0; i < n; i++) assert_true(isfinite(dev[i]) && dev[i] != 0.0f);
        free(dev);
        free(ref);
    }
}

/* Element counts ≥ 2^31 silently left unwritten by 32-bit indexing: elements at logical indices 2^31 + 1 and
 * 2^32 + 3 of a tensor of 2^33 elements get their own values (not those of index − 2^31 / − 2^32). */
static void test_indices_beyond_2_31_and_2_32(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t shape[1] = {INT64_C(1) << 33};
    const int64_t at[2] = {(INT64_C(1) << 31) + 1, (INT64_C(1) << 32) + 3};
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    for (int k = 0; k < 2; k++) {
        clinit_tensor t = sup_tensor(NULL, 0, 1, shape);
        sup_set_box(&t, (int64_t[]){at[k]}, (int64_t[]){5});
        float *dev = sup_device_fill(e, &t, &s, SEED, 4, 0);
        float *ref = sup_reference_fill(&t, &s, SEED, 4);
        sup_compare(dev, ref, 5, "beyond 2^31");
        sup_set_box(&t, (int64_t[]){at[k] - (k ? INT64_C(1) << 32 : INT64_C(1) << 31)}, (int64_t[]){5});
        float *low = sup_device_fill(e, &t, &s, SEED, 4, 0);
        assert_true(memcmp(dev, low, 5 * sizeof(float)) != 0);
        free(dev);
        free(ref);
        free(low);
    }
}

/* Truncated normal sampled in bf16: values pile onto the lower bound, std far too large. clinit samples in
 * f32 and rounds: on [−2, 2] with std 1, the fraction of values on a bound is the probability of the last
 * bf16 step next to it (about φ(2)·2^-7·2 ≈ 0.0012 per side; assert < 0.005 per side), and the std stays
 * 0.8796 (within 6·σ/√(2n) + the bf16 rounding, 2^-8 relative). */
static void test_trunc_normal_in_bf16_keeps_its_shape(void **state)
{
    sup_env *e = SUP_ENV(state);
    const size_t n = 1u << 18;
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){(int64_t)n});
    t.dtype = CLINIT_BF16;
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL);
    uint16_t *v = sup_device_fill(e, &t, &s, SEED, 5, 0);
    size_t low = 0, high = 0;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double x = sup_value(v, CLINIT_BF16, i);
        assert_true(x >= -2 && x <= 2);
        low += x == -2, high += x == 2, ss += x * x;
    }
    assert_true(low < n / 200 && high < n / 200);
    double sd = sqrt(ss / (double)n);
    assert_true(fabs(sd - 0.87962566103423978) < 6 * 0.88 / sqrt(2.0 * (double)n) + 0x1p-8);
    free(v);
}

/* Truncated normal with std = 0.002, bounds ±2 in fp32: values land exactly on ±2. clinit keeps each
 * element's normal value when it is inside the window, which here is every one: |v| ≤ 5.77·0.002. */
static void test_trunc_normal_with_small_std_never_touches_the_bounds(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){1 << 20});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL);
    s.std = 0.002;
    float *v = sup_device_fill(e, &t, &s, SEED, 6, 0);
    for (int i = 0; i < (1 << 20); i++) assert_true(fabsf(v[i]) <= 5.7687f * 0.002f);
    free(v);
}

/* Orthogonal init on fp16/bf16 fails or loses orthogonality: computed in f32, then rounded, QᵀQ stays within
 * the rounding bound 2u + u² (+ subnormals) of I. */
static void test_orthogonal_in_half_precisions(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int n = 64;
    const clinit_dtype dts[2] = {CLINIT_F16, CLINIT_BF16};
    const double bound[2] = {2 * 0x1p-11 + 0x1p-22 + 8 * 0x1p-24, 2 * 0x1p-8 + 0x1p-16};
    for (int k = 0; k < 2; k++) {
        clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){n, n});
        t.dtype = dts[k];
        clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_ORTHOGONAL);
        void *q = sup_device_fill(e, &t, &s, SEED, 7, 0);
        double worst = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) {
                double dot = 0;
                for (int r = 0; r < n; r++)
                    dot += sup_value(q, t.dtype, (size_t)(r * n + a)) * sup_value(q, t.dtype, (size_t)(r * n + b));
                worst = fmax(worst, fabs(dot - (a == b)));
            }
        if (worst > bound[k] * 4) fail_msg("dtype %d: max |QtQ - I| = %.3g > %.3g", (int)dts[k], worst, bound[k] * 4);
        free(q);
    }
}

/* Same seed gives different weights on different devices or with a different launch geometry: the bytes are
 * the same for every work-group size and every split into boxes. */
static void test_same_seed_same_bits_for_any_launch_geometry(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){129, 67});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    float *first = sup_device_fill(e, &t, &s, SEED, 8, 0);
    const size_t locals[3] = {1, 16, 128};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(clinit_ctx_set_local_size(e->ctx, locals[k]), CLINIT_SUCCESS);
        float *v = sup_device_fill(e, &t, &s, SEED, 8, 4 * (size_t)(k + 1));
        assert_int_equal(memcmp(v, first, 129 * 67 * sizeof(float)), 0);
        free(v);
    }
    assert_int_equal(clinit_ctx_set_local_size(e->ctx, 0), CLINIT_SUCCESS);
    for (int r0 = 0; r0 < 129; r0 += 50) { /* uneven row split */
        int rows = r0 + 50 <= 129 ? 50 : 129 - r0;
        clinit_tensor b = t;
        sup_set_box(&b, (int64_t[]){r0, 0}, (int64_t[]){rows, 67});
        float *v = sup_device_fill(e, &b, &s, SEED, 8, 0);
        assert_int_equal(memcmp(v, first + r0 * 67, (size_t)rows * 67 * sizeof(float)), 0);
        free(v);
    }
    free(first);
}

/* Per-shard fans under tensor parallelism: a shard of a (32, 4096) xavier_normal weight has the full
 * tensor's std 0.02201 (not √TP times it) and its bytes. */
static void test_shards_use_the_full_tensors_fans(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){32, 4096});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_XAVIER_NORMAL);
    sup_set_box(&t, (int64_t[]){0, 1024}, (int64_t[]){32, 1024}); /* a column shard, TP = 4 */
    float *v = sup_device_fill(e, &t, &s, SEED, 9, 0);
    double ss = 0;
    for (int i = 0; i < 32 * 1024; i++) ss += (double)v[i] * v[i];
    double sd = sqrt(ss / (32 * 1024)), want = sqrt(2.0 / (32 + 4096));
    assert_true(fabs(want - 0.02201) < 5e-6);
    assert_true(fabs(sd - want) < 6 * want / sqrt(2.0 * 32 * 1024)); /* false-alarm rate 2e-9 */
    free(v);
}

/* Huge models initialized several times over: each element is written exactly once by one fill. A NaN
 * sentinel fills the buffer first; after the fill no element is NaN, the bytes equal the reference, and the
 * guard bands around the tensor are untouched (checked by sup_device_fill). */
static void test_every_element_is_written(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 3, (int64_t[]){17, 33, 65});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    size_t n = sup_numel(&t);
    cl_mem buf = sup_buffer(e, n * sizeof(float));
    sup_fill_pattern(e, buf, n * sizeof(float), 0xff); /* 0xffffffff is a NaN */
    t.buffer = buf;
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, SEED, 10, 0, NULL, NULL));
    float *v = malloc(n * sizeof(float)), *ref = sup_reference_fill(&t, &s, SEED, 10);
    sup_read(e, buf, 0, n * sizeof(float), v);
    for (size_t i = 0; i < n; i++) assert_false(isnan(v[i]));
    sup_compare(v, ref, n, "every element");
    free(v);
    free(ref);
    clReleaseMemObject(buf);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_to_float_never_0_or_1_so_box_muller_is_finite),
        cmocka_unit_test(test_box_muller_values_do_not_repeat),
        cmocka_unit_test(test_normal_fill_of_odd_counts),
        cmocka_unit_test(test_indices_beyond_2_31_and_2_32),
        cmocka_unit_test(test_trunc_normal_in_bf16_keeps_its_shape),
        cmocka_unit_test(test_trunc_normal_with_small_std_never_touches_the_bounds),
        cmocka_unit_test(test_orthogonal_in_half_precisions),
        cmocka_unit_test(test_same_seed_same_bits_for_any_launch_geometry),
        cmocka_unit_test(test_shards_use_the_full_tensors_fans),
        cmocka_unit_test(test_every_element_is_written),
    };
    return cmocka_run_group_tests_name("regressions", tests, sup_group_setup, sup_group_teardown);
}
