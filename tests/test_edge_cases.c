/* Edge cases of the generation contract: empty tensors, ranks 0/1, logical indices beyond 2^32 and Philox
 * blocks beyond 2^32, the endpoints of uniform intervals, the range of u01, finiteness and range of normals,
 * degenerate parameters (a = b, std = 0). */
#include "support.h"
#include "internal.h"

#include <Random123/philox.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t SEED = UINT64_C(0xA5A5A5A55A5A5A5A);
static const uint64_t STREAM = UINT64_C(0x0000000100000002);

static clinit_init_spec spec_of(clinit_init_kind k)
{
    clinit_init_spec s = clinit_init_spec_default(k);
    if (k == CLINIT_INIT_LINEAR_DEFAULT_BIAS) s.fan_in = 9;
    return s;
}

static void test_empty_tensors(void **state)
{
    sup_env *e = SUP_ENV(state);
    const size_t bytes = 64;
    cl_mem buf = sup_buffer(e, bytes);
    const struct {
        int rank;
        int64_t shape[2];
    } empty[] = {{2, {0, 5}}, {2, {5, 0}}, {1, {0}}};
    for (size_t k = 0; k < 3; k++)
        for (int kind = 0; kind <= CLINIT_INIT_LINEAR_DEFAULT_BIAS; kind++) {
            /* Fan-based initializers too: an empty tensor is a no-op without a rank or fan check. */
            sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
            clinit_tensor t = sup_tensor(buf, 16, empty[k].rank, empty[k].shape);
            clinit_init_spec s = spec_of((clinit_init_kind)kind);
            cl_uint refs = sup_mem_refcount(buf);
            SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 0, NULL, NULL));
            cl_event ev = NULL;
            SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 0, NULL, &ev));
            assert_non_null(ev);
            assert_int_equal(clWaitForEvents(1, &ev), CL_SUCCESS);
            cl_int st = -1;
            assert_int_equal(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof st, &st, NULL), CL_SUCCESS);
            assert_int_equal(st, CL_COMPLETE);
            assert_int_equal(clReleaseEvent(ev), CL_SUCCESS);
            assert_int_equal(clFinish(e->queue), CL_SUCCESS);
            unsigned char host[64];
            sup_read(e, buf, 0, bytes, host);
            sup_assert_pattern(host, 0, bytes, SUP_SENTINEL);
            assert_int_equal(sup_mem_refcount(buf), refs);
            /* The reference agrees: nothing to write, success even with dst_bytes 0. */
            float dummy;
            assert_int_equal(clinit_reference_fill(&t, &s, SEED, STREAM, &dummy, 0), CLINIT_SUCCESS);
        }
    /* An empty box of a non-empty tensor is a no-op as well. */
    sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
    clinit_tensor t = sup_tensor(buf, 0, 2, (int64_t[]){4, 4});
    sup_set_box(&t, (int64_t[]){1, 4}, (int64_t[]){3, 0});
    clinit_init_spec s = spec_of(CLINIT_INIT_KAIMING_NORMAL);
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 0, NULL, NULL));
    unsigned char host[64];
    sup_read(e, buf, 0, bytes, host);
    sup_assert_pattern(host, 0, bytes, SUP_SENTINEL);
    clReleaseMemObject(buf);
}

/* An empty tensor skips the rank, shape and fan checks only: its initializer, layout, mode and parameters
 * are refused as for a non-empty one (PyTorch's normal_(std=-1) raises on an empty tensor), by clinit_fill,
 * clinit_validate and clinit_init_resolve alike, and nothing is written. */
static void test_empty_tensors_check_parameters(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem buf = sup_buffer(e, 64);
    clinit_init_spec normal = spec_of(CLINIT_INIT_NORMAL), uniform = spec_of(CLINIT_INIT_UNIFORM),
                     kaiming = spec_of(CLINIT_INIT_KAIMING_UNIFORM), dirac = spec_of(CLINIT_INIT_DIRAC),
                     constant = spec_of(CLINIT_INIT_CONSTANT), unknown = spec_of(CLINIT_INIT_NORMAL),
                     xavier = spec_of(CLINIT_INIT_XAVIER_NORMAL), leaky = spec_of(CLINIT_INIT_KAIMING_NORMAL);
    normal.std = -1;
    uniform.a = 5, uniform.b = 1;
    kaiming.mode = (clinit_fan_mode)7;
    dirac.groups = 0;
    constant.val = 1e6; /* beyond f16's 65504 */
    unknown.kind = (clinit_init_kind)99;
    xavier.gain = NAN;
    leaky.nonlinearity = (clinit_nonlinearity)42;
    clinit_init_spec xavier_ok = spec_of(CLINIT_INIT_XAVIER_NORMAL), dirac_ok = spec_of(CLINIT_INIT_DIRAC),
                     delta_ok = spec_of(CLINIT_INIT_DELTA_ORTHOGONAL), sparse = spec_of(CLINIT_INIT_SPARSE),
                     dirac2 = spec_of(CLINIT_INIT_DIRAC), dirac3 = spec_of(CLINIT_INIT_DIRAC);
    sparse.sparsity = 2;
    clinit_init_spec scaled = spec_of(CLINIT_INIT_SCALED_UNIFORM);
    dirac2.groups = 2; /* divides out = 0 */
    dirac3.groups = 3; /* out = 4 is a shape rule, waived with in = 0 */
    const struct {
        int rank;
        int64_t shape[3];
        clinit_dtype dtype;
        int layout;
        const clinit_init_spec *spec;
        clinit_status want;
        const char *says;
    } cases[] = {
        {2, {0, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &normal, CLINIT_ERROR_INVALID_PARAMETER, "std"},
        {1, {0}, CLINIT_F32, CLINIT_LAYOUT_OI, &normal, CLINIT_ERROR_INVALID_PARAMETER, "std"},
        {2, {0, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &uniform, CLINIT_ERROR_INVALID_PARAMETER, "a = 5"},
        {2, {3, 0}, CLINIT_F32, CLINIT_LAYOUT_OI, &kaiming, CLINIT_ERROR_INVALID_MODE, ""},
        {1, {0}, CLINIT_F32, CLINIT_LAYOUT_OI, &kaiming, CLINIT_ERROR_INVALID_MODE, ""},
        {3, {0, 3, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &dirac, CLINIT_ERROR_INVALID_PARAMETER, "groups"},
        {2, {0, 3}, CLINIT_F16, CLINIT_LAYOUT_OI, &constant, CLINIT_ERROR_INVALID_PARAMETER, "f16"},
        {2, {0, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &unknown, CLINIT_ERROR_INVALID_INIT, "99"},
        {2, {0, 3}, CLINIT_F32, 9, &xavier, CLINIT_ERROR_INVALID_LAYOUT, "layout 9"},
        {2, {0, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &xavier, CLINIT_ERROR_INVALID_PARAMETER, "gain"},
        {2, {0, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &leaky, CLINIT_ERROR_INVALID_NONLINEARITY, ""},
        /* parameters are checked before the rank: sparse and dirac of the wrong rank too */
        {3, {0, 5, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &sparse, CLINIT_ERROR_INVALID_PARAMETER, "sparsity = 2"},
        {2, {0, 5}, CLINIT_F32, CLINIT_LAYOUT_OI, &dirac, CLINIT_ERROR_INVALID_PARAMETER, "groups = 0 must be >= 1"},
        /* the extents besides the zero multiply to 2^60: the parameters are still checked (on a stand-in of ones) */
        {3, {0, 1 << 30, 1 << 30}, CLINIT_F32, CLINIT_LAYOUT_OI, &normal, CLINIT_ERROR_INVALID_PARAMETER, "std"},
        {3, {0, 1 << 30, 1 << 30}, CLINIT_F32, CLINIT_LAYOUT_OI, &scaled, CLINIT_SUCCESS, ""},
        /* what stays waived: rank and shape rules of the initializer */
        {3, {0, 3, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &dirac2, CLINIT_SUCCESS, ""},
        {3, {4, 0, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &dirac3, CLINIT_SUCCESS, ""},
        {1, {0}, CLINIT_F32, CLINIT_LAYOUT_OI, &xavier_ok, CLINIT_SUCCESS, ""},
        {2, {0, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &dirac_ok, CLINIT_SUCCESS, ""},
        {3, {0, 5, 3}, CLINIT_F32, CLINIT_LAYOUT_OI, &delta_ok, CLINIT_SUCCESS, ""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        sup_fill_pattern(e, buf, 64, SUP_SENTINEL);
        clinit_tensor t = sup_tensor(buf, 0, cases[k].rank, cases[k].shape);
        t.dtype = cases[k].dtype;
        t.layout = (clinit_layout)cases[k].layout;
        clinit_status st = clinit_fill(e->ctx, e->queue, &t, cases[k].spec, SEED, STREAM, 0, NULL, NULL);
        if (st != cases[k].want || !strstr(clinit_ctx_message(e->ctx), cases[k].says))
            fail_msg("case %zu: status %d, want %d; message \"%s\" should hold \"%s\"", k, (int)st, (int)cases[k].want,
                     clinit_ctx_message(e->ctx), cases[k].says);
        assert_int_equal(clinit_validate(&t, cases[k].spec, NULL, 0), cases[k].want);
        clinit_distribution d;
        if (cases[k].dtype == CLINIT_F32) assert_int_equal(clinit_init_resolve(cases[k].spec, &t, &d), cases[k].want);
        if (cases[k].want == CLINIT_SUCCESS) assert_true(d.kind == CLINIT_DIST_CONSTANT && d.value == 0);
        assert_int_equal(clFinish(e->queue), CL_SUCCESS);
        unsigned char host[64];
        sup_read(e, buf, 0, 64, host);
        sup_assert_pattern(host, 0, 64, SUP_SENTINEL);
    }
    clReleaseMemObject(buf);
}

/* The element count is 0 when an extent is 0, whatever the others are; otherwise it must stay below 2^56,
 * and the message says from which dimension on the product is too large. */
static void test_element_count_rules(void **state)
{
    (void)state;
    const int64_t big = INT64_MAX;
    const int64_t shapes[][3] = {{big, 0, 1}, {0, big, 1}, {big, big, 0}};
    for (int k = 0; k < 3; k++) {
        clinit_tensor t = sup_tensor(NULL, 0, 3, shapes[k]);
        int64_t n = -1;
        assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_SUCCESS);
        assert_int_equal(n, 0);
        clinit_init_spec s = spec_of(CLINIT_INIT_NORMAL);
        char m[256];
        assert_int_equal(clinit_validate(&t, &s, m, sizeof m), CLINIT_SUCCESS);
    }
    char m[256];
    clinit_init_spec s = spec_of(CLINIT_INIT_NORMAL);
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){1 << 28, 1 << 28});
    assert_int_equal(clinit_validate(&t, &s, m, sizeof m), CLINIT_ERROR_INVALID_SHAPE);
    assert_string_equal(m, "tensor shape has 2^56 or more elements: shape[0] * shape[1] = 268435456 * 268435456");
    t = sup_tensor(NULL, 0, 3, (int64_t[]){1 << 20, 1 << 20, 1 << 16});
    assert_int_equal(clinit_validate(&t, &s, m, sizeof m), CLINIT_ERROR_INVALID_SHAPE);
    assert_string_equal(m, "tensor shape has 2^56 or more elements: shape[0] * ... * shape[2] = 1099511627776 * 65536");
    t = sup_tensor(NULL, 0, 2, (int64_t[]){INT64_MAX, 2}); /* the first extent alone */
    assert_int_equal(clinit_validate(&t, &s, m, sizeof m), CLINIT_ERROR_INVALID_SHAPE);
    assert_string_equal(m, "tensor shape has 2^56 or more elements: shape[0] = 9223372036854775807 alone");
    t = sup_tensor(NULL, 0, 3, (int64_t[]){1 << 20, 1 << 20, 1 << 16});
    int64_t n;
    assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_ERROR_INVALID_SHAPE);
    clinit_distribution d;
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_ERROR_INVALID_SHAPE);
}

static void test_rank_rules(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem buf = sup_buffer(e, 256);
    clinit_tensor r0 = sup_tensor(buf, 0, 0, NULL);
    clinit_tensor r1 = sup_tensor(buf, 0, 1, (int64_t[]){9});
    const clinit_init_kind fans[] = {CLINIT_INIT_XAVIER_UNIFORM, CLINIT_INIT_XAVIER_NORMAL, CLINIT_INIT_KAIMING_UNIFORM,
                                     CLINIT_INIT_KAIMING_NORMAL, CLINIT_INIT_LINEAR_DEFAULT_WEIGHT};
    for (int i = 0; i < 5; i++) {
        clinit_init_spec s = spec_of(fans[i]);
        assert_int_equal(clinit_fill(e->ctx, e->queue, &r0, &s, SEED, STREAM, 0, NULL, NULL),
                         CLINIT_ERROR_INVALID_RANK);
        assert_non_null(strstr(clinit_ctx_message(e->ctx), "rank"));
        assert_int_equal(clinit_fill(e->ctx, e->queue, &r1, &s, SEED, STREAM, 0, NULL, NULL),
                         CLINIT_ERROR_INVALID_RANK);
        float v[9];
        assert_int_equal(clinit_reference_fill(&r1, &s, SEED, STREAM, v, sizeof v), CLINIT_ERROR_INVALID_RANK);
    }
    clReleaseMemObject(buf);
    /* uniform, normal, constant, zeros, ones and linear_default_bias need no fans: ranks 0 and 1 work. */
    const clinit_init_kind plain[] = {CLINIT_INIT_UNIFORM, CLINIT_INIT_NORMAL, CLINIT_INIT_CONSTANT,
                                      CLINIT_INIT_ZEROS,   CLINIT_INIT_ONES,   CLINIT_INIT_LINEAR_DEFAULT_BIAS};
    for (int i = 0; i < 6; i++) {
        clinit_init_spec s = spec_of(plain[i]);
        if (plain[i] == CLINIT_INIT_CONSTANT) s.val = -4.25;
        clinit_tensor ts[2] = {r0, r1};
        for (int k = 0; k < 2; k++) {
            size_t n = sup_numel(&ts[k]);
            float *dev = sup_device_fill(e, &ts[k], &s, SEED, STREAM, 4);
            float *ref = sup_reference_fill(&ts[k], &s, SEED, STREAM);
            sup_compare(dev, ref, n, clinit_init_name(plain[i]));
            free(dev);
            free(ref);
        }
    }
    /* Rank 8, the maximum, with a box. */
    clinit_tensor r8 = sup_tensor(NULL, 0, 8, (int64_t[]){2, 3, 2, 3, 2, 3, 2, 5});
    sup_set_box(&r8, (int64_t[]){1, 1, 0, 2, 1, 0, 1, 1}, (int64_t[]){1, 2, 2, 1, 1, 3, 1, 3});
    clinit_init_spec s = spec_of(CLINIT_INIT_KAIMING_UNIFORM);
    float *dev = sup_device_fill(e, &r8, &s, SEED, STREAM, 0);
    float *ref = sup_reference_fill(&r8, &s, SEED, STREAM);
    sup_compare(dev, ref, sup_numel(&r8), "rank 8 box");
    free(dev);
    free(ref);
}

/* docs/ALGORITHMS.md uniform value of logical element i, from Random123 directly. */
static float oracle_uniform(uint64_t i, float lo, float hi)
{
    uint64_t b = i >> 2;
    philox4x32_ctr_t c = {{(uint32_t)b, (uint32_t)(b >> 32), (uint32_t)STREAM, (uint32_t)(STREAM >> 32)}};
    philox4x32_key_t k = {{(uint32_t)SEED, (uint32_t)(SEED >> 32)}};
    philox4x32_ctr_t x = philox4x32_R(10, c, k);
    float u = (float)(x.v[i & 3] >> 9) * 0x1p-23f + 0x1p-24f;
    float span = hi - lo, p = span * u, v = lo + p;
    return (lo < hi && v >= hi) ? nextafterf(hi, lo) : v;
}

/* A box of `rows` rows × columns [c0, c0 + nc) ending at the last row of a (R, C) tensor, R·C ≥ 2^33;
 * compared with the reference and, for uniform, with the oracle; and with the same box `shift` elements
 * earlier (shift a multiple of C): the values must differ (no wraparound of 32-bit indices or blocks). */
static void check_far_box(const sup_env *e, int64_t R, int64_t C, int64_t rows, int64_t c0, int64_t nc, uint64_t shift,
                          const clinit_init_spec *s)
{
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){R, C});
    sup_set_box(&t, (int64_t[]){R - rows, c0}, (int64_t[]){rows, nc});
    size_t n = sup_numel(&t);
    float *dev = sup_device_fill(e, &t, s, SEED, STREAM, 12);
    float *ref = sup_reference_fill(&t, s, SEED, STREAM);
    sup_dist d = sup_resolve(&t, s);
    sup_compare(dev, ref, n, clinit_init_name(s->kind));
    if (d.dist == 1)
        for (int64_t r = 0; r < rows; r++)
            for (int64_t c = 0; c < nc; c++) {
                uint64_t i = (uint64_t)(R - rows + r) * (uint64_t)C + (uint64_t)(c0 + c);
                assert_true(i >= (UINT64_C(1) << 32));
                assert_int_equal(sup_bits(dev[r * nc + c]), sup_bits(oracle_uniform(i, d.p0, d.p1)));
            }
    clinit_tensor early = t;
    early.box_start[0] -= (int64_t)(shift / (uint64_t)C);
    float *dev2 = sup_device_fill(e, &early, s, SEED, STREAM, 0);
    size_t same = 0;
    for (size_t i = 0; i < n; i++) same += sup_bits(dev[i]) == sup_bits(dev2[i]);
    /* Independent values coincide with probability < 2^-20 each. */
    if (same > 1) fail_msg("%zu of %zu values repeat %llu elements earlier", same, n, (unsigned long long)shift);
    free(dev);
    free(dev2);
    free(ref);
}

static void test_indices_beyond_2_32(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec u = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    u.a = -1;
    u.b = 1;
    clinit_init_spec nrm = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    /* Truncated normals under the normal, uniform and upper-exponential plans: the CPU kernels redraw
     * outliers 16 elements at a time, each lane with its own 64-bit element index. */
    clinit_init_spec tn[3];
    const double window[3][2] = {{-2, 2}, {0.5, 0.6}, {5, 6}};
    for (int k = 0; k < 3; k++) {
        tn[k] = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL);
        tn[k].mean = 0;
        tn[k].std = 1;
        tn[k].a = window[k][0];
        tn[k].b = window[k][1];
    }
    const clinit_init_spec *specs[5] = {&u, &nrm, &tn[0], &tn[1], &tn[2]};
    for (int k = 0; k < 5; k++) {
        /* (2^21, 2^12) = 2^33 elements: rows ≥ 2^20 have logical indices ≥ 2^32 (blocks ≥ 2^30). */
        check_far_box(e, INT64_C(1) << 21, INT64_C(1) << 12, 3, 0, INT64_C(1) << 12, UINT64_C(1) << 32, specs[k]);
        check_far_box(e, INT64_C(1) << 21, INT64_C(1) << 12, 5, 5, 7, UINT64_C(1) << 32, specs[k]);
        /* (2^23, 2^12) = 2^35 elements: the last rows have blocks ≥ 2^32 (counter word 1 ≠ 0); compare with
         * the box 2^34 elements earlier (block − 2^32: a 32-bit block counter would repeat it). */
        check_far_box(e, INT64_C(1) << 23, INT64_C(1) << 12, 2, 0, INT64_C(1) << 12, UINT64_C(1) << 34, specs[k]);
        check_far_box(e, INT64_C(1) << 23, INT64_C(1) << 12, 4, 4093, 3, UINT64_C(1) << 34, specs[k]);
    }
}

static void test_u01_range(void **state)
{
    (void)state;
    assert_true(ci_u01(0) == 0x1p-24f);
    assert_true(ci_u01(0x1FF) == 0x1p-24f); /* the low 9 bits are dropped */
    assert_true(ci_u01(0x200) == 0x3p-24f);
    assert_true(ci_u01(0xFFFFFFFFu) == 1.0f - 0x1p-24f);
    assert_true(ci_u01(0x80000000u) == 0.5f + 0x1p-24f);
    /* Every value is (2k + 1)·2^-24 exactly. */
    for (uint32_t k = 0; k < (1u << 23); k += 4099) {
        float u = ci_u01(k << 9);
        assert_true((double)u == (2.0 * k + 1) * 0x1p-24);
    }
}

/* Finds a logical element whose Philox word has top 23 bits equal to `want` (so u01 = (2·want + 1)·2^-24). */
static uint64_t find_element(uint32_t want)
{
    for (uint64_t b = 0;; b++) {
        uint32_t x[4];
        ci_philox_block(b, SEED, STREAM, x);
        for (int l = 0; l < 4; l++)
            if ((x[l] >> 9) == want) return 4 * b + (uint64_t)l;
    }
}

static float fill_one(const sup_env *e, uint64_t index, const clinit_init_spec *s)
{
    /* Element `index` of a (2^30,) vector, as a one-element box. */
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){INT64_C(1) << 30});
    sup_set_box(&t, (int64_t[]){(int64_t)index}, (int64_t[]){1});
    float *v = sup_device_fill(e, &t, s, SEED, STREAM, 0);
    float out = v[0];
    free(v);
    float ref;
    assert_int_equal(clinit_reference_fill(&t, s, SEED, STREAM, &ref, sizeof ref), CLINIT_SUCCESS);
    assert_int_equal(sup_bits(out), sup_bits(ref));
    return out;
}

static void test_uniform_endpoints(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* u01 = 1 − 2^-24 on uniform(1, 2): 1 + (1 − 2^-24) = 2 − 2^-24 is a tie between 2 − 2^-23 and 2 and
     * rounds to even, i.e. onto hi = 2: the clamp must give the float below 2. */
    uint64_t top = find_element(0x7FFFFF);
    assert_true(top < (UINT64_C(1) << 30));
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = 1;
    s.b = 2;
    assert_true(fill_one(e, top, &s) == nextafterf(2.0f, 1.0f));
    /* u01 = 2^-24 on uniform(−2, −1): −2 + 2^-24 is a tie that rounds to −2 = lo, which is allowed. */
    uint64_t bottom = find_element(0);
    s.a = -2;
    s.b = -1;
    assert_true(fill_one(e, bottom, &s) == -2.0f);
    s.a = -1;
    s.b = 1;
    assert_true(fill_one(e, bottom, &s) == -1.0f + 0x1p-23f);
    assert_true(fill_one(e, top, &s) == 1.0f - 0x1p-23f);

    /* The narrowest interval [1, 1 + 2^-23): every value is exactly 1 (half of them only via the clamp). */
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){1 << 16});
    s.a = 1;
    s.b = (double)nextafterf(1.0f, 2.0f);
    float *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < (1 << 16); i++) assert_true(v[i] == 1.0f);
    free(v);
    /* [1, 1 + 3·2^-23): only 1, 1 + 2^-23 and 1 + 2·2^-23, each of them seen. */
    s.b = 1.0 + 0x3p-23;
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    int seen[3] = {0, 0, 0};
    for (int i = 0; i < (1 << 16); i++) {
        float k = (v[i] - 1.0f) * 0x1p23f;
        assert_true(k == 0 || k == 1 || k == 2);
        seen[(int)k]++;
    }
    assert_true(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
    free(v);

    /* xavier_uniform on (1024, 1024): 2^20 values in [−B, B), B never produced, both ends approached. */
    clinit_tensor w = sup_tensor(NULL, 0, 2, (int64_t[]){1024, 1024});
    clinit_init_spec x = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    sup_dist d = sup_resolve(&w, &x);
    assert_true(d.p0 == -d.p1);
    v = sup_device_fill(e, &w, &x, SEED, STREAM, 0);
    float mn = INFINITY, mx = -INFINITY;
    for (int i = 0; i < (1 << 20); i++) {
        mn = fminf(mn, v[i]);
        mx = fmaxf(mx, v[i]);
    }
    assert_true(mn >= d.p0 && mx < d.p1);
    /* P(no value within 1e-4·B of an end) = (1 − 0.5e-4)^(2^20) ≈ e^-52. */
    assert_true(mx > d.p1 * (1 - 1e-4f) && mn < d.p0 * (1 - 1e-4f));
    free(v);
}

static void test_normal_range(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* 2^22 standard normals: all finite, |z| ≤ √(−2 ln 2^-24) = 5.7686 (u01 ≥ 2^-24), plus the accuracy
     * bound of docs/ALGORITHMS.md §4 (2^-20 relative + 1 ulp). */
    const double zmax = sqrt(-2.0 * log(0x1p-24)) * (1 + 0x1p-20) + 0x1p-21;
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){1 << 11, 1 << 11});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    float *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    double mx = 0;
    for (int i = 0; i < (1 << 22); i++) {
        assert_true(isfinite(v[i]));
        mx = fmax(mx, fabs((double)v[i]));
    }
    assert_true(mx <= zmax);
    assert_true(mx > 4.0); /* P(max |z| of 2^22 ≤ 4) = (1 − 6.3e-5)^(2^22) ≈ e^-266 */
    free(v);
}

static void test_normal_extreme_element(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* An element whose pair has u_a = 2^-24 (r = 5.7686): device equal to the reference, and the pair's
     * radius within the accuracy bound (2^-20 relative). The pair's first word is the even word (x0 or x2). */
    uint64_t i;
    for (uint64_t b = 0;; b++) {
        uint32_t x[4];
        ci_philox_block(b, SEED, STREAM, x);
        if ((x[0] >> 9) == 0) {
            i = 4 * b;
            break;
        }
        if ((x[2] >> 9) == 0) {
            i = 4 * b + 2;
            break;
        }
    }
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){INT64_C(1) << 34});
    sup_set_box(&t, (int64_t[]){(int64_t)i}, (int64_t[]){2});
    float *dev = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    float *ref = sup_reference_fill(&t, &s, SEED, STREAM);
    sup_compare(dev, ref, 2, "normal at u_a = 2^-24");
    double r = sqrt(-2.0 * log(0x1p-24));
    /* z0² + z1² = r² (cos² + sin²): both lanes come from the same pair. */
    double r2 = (double)dev[0] * dev[0] + (double)dev[1] * dev[1];
    assert_true(fabs(sqrt(r2) - r) <= r * 0x1p-20);
    free(dev);
    free(ref);
}

static void test_degenerate_parameters(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){33, 7});
    /* uniform with a == b: exactly a. */
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = s.b = 0.3;
    float *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 231; i++) assert_int_equal(sup_bits(v[i]), sup_bits((float)0.3));
    free(v);
    /* a < b as doubles but equal as floats: still exactly (float)a. */
    s.a = 0.3;
    s.b = nextafter(0.3, 1.0);
    assert_true((float)s.a == (float)s.b);
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 231; i++) assert_int_equal(sup_bits(v[i]), sup_bits((float)0.3));
    free(v);
    /* normal with std = 0: exactly mean. */
    s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    s.mean = 0.7;
    s.std = 0;
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 231; i++) assert_int_equal(sup_bits(v[i]), sup_bits((float)0.7));
    free(v);
    /* xavier with gain 0: all zeros (uniform [0, 0)). */
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    s.gain = 0;
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 231; i++) assert_true(v[i] == 0.0f);
    free(v);
    /* linear_default_bias with fan_in 0: zeros. */
    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_BIAS);
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 231; i++) assert_true(v[i] == 0.0f);
    free(v);
    /* The widest allowed uniform: b − a = FLT_MAX is finite; every value finite and in [a, b). */
    s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = -FLT_MAX / 2;
    s.b = FLT_MAX / 2;
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 231; i++) assert_true(isfinite(v[i]) && v[i] >= -FLT_MAX / 2 && v[i] < FLT_MAX / 2);
    free(v);
}

static void test_normal_huge_std_finite_or_rejected(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* clinit.h: normal_ gives "N(mean, std²), every value finite". With std = 1e38 (a finite float) the
     * values mean + std·z overflow for |z| > 3.4, which 2^16 samples contain (P(none) ≈ e^-44): the fill
     * must either reject the parameters (CLINIT_ERROR_INVALID_PARAMETER, nothing written) or write only
     * finite values. Same for xavier_normal with a huge gain and for a mean near FLT_MAX. */
    const size_t n = 1 << 16;
    cl_mem buf = sup_buffer(e, n * 4);
    clinit_tensor t = sup_tensor(buf, 0, 2, (int64_t[]){256, 256});
    clinit_init_spec cases[3];
    cases[0] = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    cases[0].std = 1e38;
    cases[1] = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    cases[1].mean = 3e38;
    cases[1].std = 1e37;
    cases[2] = clinit_init_spec_default(CLINIT_INIT_XAVIER_NORMAL);
    cases[2].gain = 4e39; /* σ = 4e39·√(2/512) = 2.5e38 */
    float *host = malloc(n * 4);
    int failures = 0;
    for (int c = 0; c < 3; c++) {
        sup_fill_pattern(e, buf, n * 4, SUP_SENTINEL);
        clinit_status st = clinit_fill(e->ctx, e->queue, &t, &cases[c], SEED, STREAM, 0, NULL, NULL);
        sup_read(e, buf, 0, n * 4, host);
        if (st == CLINIT_ERROR_INVALID_PARAMETER) {
            sup_assert_pattern(host, 0, n * 4, SUP_SENTINEL);
            continue;
        }
        assert_int_equal(st, CLINIT_SUCCESS);
        size_t bad = 0;
        for (size_t i = 0; i < n; i++) bad += !isfinite(host[i]);
        if (bad) {
            print_error("case %d: %zu of %zu values are not finite\n", c, bad, n);
            failures++;
        }
    }
    free(host);
    clReleaseMemObject(buf);
    assert_int_equal(failures, 0);
}

static void test_tensor_numel(void **state)
{
    (void)state;
    int64_t n = -1;
    clinit_tensor t = sup_tensor(NULL, 0, 0, NULL);
    assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_SUCCESS);
    assert_int_equal(n, 1);
    t = sup_tensor(NULL, 0, 3, (int64_t[]){4, 5, 6});
    assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_SUCCESS);
    assert_int_equal(n, 120);
    sup_set_box(&t, (int64_t[]){1, 0, 2}, (int64_t[]){2, 5, 3});
    assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_SUCCESS);
    assert_int_equal(n, 30);
    t.box_extent[2] = 5; /* 2 + 5 > 6 */
    assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_ERROR_INVALID_BOX);
    assert_int_equal(clinit_tensor_numel(NULL, &n), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_tensor_numel(&t, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    /* 2^56 − 1 elements is allowed (just below the limit), 2^56 is not. */
    t = sup_tensor(NULL, 0, 2, (int64_t[]){3, 24019198012642645}); /* 3 × 24019198012642645 = 2^56 − 1 */
    assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_SUCCESS);
    assert_int_equal(n, (INT64_C(1) << 56) - 1);
    t = sup_tensor(NULL, 0, 2, (int64_t[]){INT64_C(1) << 28, INT64_C(1) << 28});
    assert_int_equal(clinit_tensor_numel(&t, &n), CLINIT_ERROR_INVALID_SHAPE);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_tensors),
        cmocka_unit_test(test_empty_tensors_check_parameters),
        cmocka_unit_test(test_element_count_rules),
        cmocka_unit_test(test_rank_rules),
        cmocka_unit_test(test_indices_beyond_2_32),
        cmocka_unit_test(test_u01_range),
        cmocka_unit_test(test_uniform_endpoints),
        cmocka_unit_test(test_normal_range),
        cmocka_unit_test(test_normal_extreme_element),
        cmocka_unit_test(test_degenerate_parameters),
        cmocka_unit_test(test_normal_huge_std_finite_or_rejected),
        cmocka_unit_test(test_tensor_numel),
    };
    return cmocka_run_group_tests_name("edge_cases", tests, sup_group_setup, sup_group_teardown);
}
