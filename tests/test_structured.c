/* eye, dirac and sparse (docs/ALGORITHMS.md §4, "eye, dirac, sparse"): device against host reference bit for
 * bit (every dtype, work-group sizes, offsets, boxes), the exact patterns of PyTorch's eye_ and dirac_, a
 * dirac-initialized convolution that passes its input through, sparse's exact zero count per column, its
 * values (std × the normal fill's standard normal), its dependence on seed and stream, the uniformity of the
 * zero rows (chi-square tests, thresholds from a stated false-alarm rate), the asynchronous contract and
 * the errors. */
#include "support.h"

#include "internal.h"

#include "generate.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t SEED = UINT64_C(0x5EED5EED01234567);
static const uint64_t STREAM = UINT64_C(0x00000000DEADBEEF);

/* Every chi-square test below fails a correct generator with probability ≤ 2·10^-6 (10^-6 per tail). */
#define Z_TAIL 4.753424 /* the standard normal quantile of 1 − 10^-6 */

static clinit_init_spec eye_spec(double gain)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_EYE);
    s.gain = gain;
    return s;
}

static clinit_init_spec dirac_spec(int64_t groups)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_DIRAC);
    s.groups = groups;
    return s;
}

static clinit_init_spec sparse_spec(double sparsity, double std)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_SPARSE);
    s.sparsity = sparsity;
    s.std = std;
    return s;
}

static clinit_tensor tensor(int rank, const int64_t *shape, clinit_layout layout, clinit_dtype dtype)
{
    clinit_tensor t = sup_tensor(NULL, 0, rank, shape);
    t.layout = layout;
    t.dtype = dtype;
    return t;
}

/* PyTorch's count: math.ceil(sparsity * rows). */
static int64_t zeros_per_column(double sparsity, int64_t rows) { return (int64_t)ceil(sparsity * (double)rows); }

/* Compares n elements of a dtype bit for bit; fails with the first differing index. */
static void compare_bits(const void *dev, const void *ref, size_t n, clinit_dtype dtype, const char *what)
{
    size_t es = clinit_dtype_size(dtype);
    if (memcmp(dev, ref, n * es) == 0) return;
    for (size_t i = 0; i < n; i++)
        if (memcmp((const char *)dev + i * es, (const char *)ref + i * es, es) != 0) {
            uint64_t a = 0, b = 0;
            memcpy(&a, (const char *)dev + i * es, es);
            memcpy(&b, (const char *)ref + i * es, es);
            fail_msg("%s: element %zu: device 0x%llx != reference 0x%llx", what, i, (unsigned long long)a,
                     (unsigned long long)b);
        }
}

/* Device fill at a byte offset against the reference; returns the device values (free them). */
static void *check_one(const sup_env *e, const clinit_tensor *t, const clinit_init_spec *s, uint64_t seed,
                       uint64_t stream, size_t offset, const char *what)
{
    void *dev = sup_device_fill(e, t, s, seed, stream, offset);
    void *ref = sup_reference_fill(t, s, seed, stream);
    compare_bits(dev, ref, sup_numel(t), t->dtype, what);
    free(ref);
    return dev;
}

/* ------------------------------------------------------------------------------------------------------- */

typedef struct tcase {
    const char *what;
    clinit_init_spec spec;
    int rank;
    int64_t shape[5];
    clinit_layout layout;
} tcase;

static int make_cases(tcase *c)
{
    int n = 0;
#define ADD(W, S, R, L, ...) c[n++] = (tcase){W, S, R, {__VA_ARGS__}, L}
    ADD("eye square", eye_spec(1), 2, CLINIT_LAYOUT_OI, 9, 9);
    ADD("eye wide", eye_spec(-2.5), 2, CLINIT_LAYOUT_OI, 3, 17);
    ADD("eye tall", eye_spec(0.3), 2, CLINIT_LAYOUT_IO, 17, 3);
    ADD("eye 1x1", eye_spec(1), 2, CLINIT_LAYOUT_OI, 1, 1);
    ADD("eye 1x1001", eye_spec(1), 2, CLINIT_LAYOUT_OI, 1, 1001);
    ADD("eye 70x70", eye_spec(1), 2, CLINIT_LAYOUT_OI, 70, 70);
    ADD("dirac 3-D", dirac_spec(1), 3, CLINIT_LAYOUT_OI, 4, 4, 3);
    ADD("dirac 3-D out<in", dirac_spec(1), 3, CLINIT_LAYOUT_OI, 3, 5, 5);
    ADD("dirac 3-D g2", dirac_spec(2), 3, CLINIT_LAYOUT_OI, 6, 2, 4);
    ADD("dirac 4-D", dirac_spec(1), 4, CLINIT_LAYOUT_OI, 5, 3, 3, 3);
    ADD("dirac 4-D g4", dirac_spec(4), 4, CLINIT_LAYOUT_OI, 8, 3, 3, 5);
    ADD("dirac 4-D g2 even taps", dirac_spec(2), 4, CLINIT_LAYOUT_OI, 4, 2, 2, 4);
    ADD("dirac 5-D", dirac_spec(1), 5, CLINIT_LAYOUT_OI, 3, 3, 3, 3, 3);
    ADD("dirac 5-D g2", dirac_spec(2), 5, CLINIT_LAYOUT_OI, 4, 3, 2, 3, 5);
    ADD("dirac IO 3-D", dirac_spec(1), 3, CLINIT_LAYOUT_IO, 5, 4, 4);
    ADD("dirac IO 4-D", dirac_spec(1), 4, CLINIT_LAYOUT_IO, 3, 3, 7, 5);
    ADD("dirac IO 4-D g3", dirac_spec(3), 4, CLINIT_LAYOUT_IO, 3, 3, 2, 6);
    ADD("dirac IO 5-D g2", dirac_spec(2), 5, CLINIT_LAYOUT_IO, 2, 3, 5, 3, 4);
    ADD("sparse square", sparse_spec(0.5, 0.01), 2, CLINIT_LAYOUT_OI, 33, 33);
    ADD("sparse wide", sparse_spec(0.1, 1), 2, CLINIT_LAYOUT_OI, 5, 301);
    ADD("sparse tall", sparse_spec(0.99, 2), 2, CLINIT_LAYOUT_OI, 301, 5);
    ADD("sparse 16 rows", sparse_spec(0.3, 0.5), 2, CLINIT_LAYOUT_OI, 16, 21);
    ADD("sparse 17 rows", sparse_spec(0.3, 0.5), 2, CLINIT_LAYOUT_OI, 17, 21);
    ADD("sparse none", sparse_spec(0, 1), 2, CLINIT_LAYOUT_OI, 7, 9);
    ADD("sparse all", sparse_spec(1, 1), 2, CLINIT_LAYOUT_OI, 7, 9);
    ADD("sparse 1 row", sparse_spec(0.5, 1), 2, CLINIT_LAYOUT_OI, 1, 13);
    ADD("sparse 1 column", sparse_spec(0.5, 1), 2, CLINIT_LAYOUT_IO, 1001, 1);
#undef ADD
    return n;
}

static void test_device_equals_reference(void **state)
{
    sup_env *e = SUP_ENV(state);
    tcase cases[40];
    int n = make_cases(cases);
    const size_t locals[] = {0, 1, 5, 64};
    const clinit_dtype dtypes[] = {CLINIT_F32, CLINIT_F16, CLINIT_BF16, CLINIT_F64};
    for (size_t li = 0; li < sizeof locals / sizeof *locals; li++) {
        SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, locals[li]));
        for (int dt = 0; dt < (sup_has_fp64(e) ? 4 : 3); dt++)
            for (int k = 0; k < n; k++) {
                clinit_tensor t = tensor(cases[k].rank, cases[k].shape, cases[k].layout, dtypes[dt]);
                size_t offset = (size_t)(k % 4) * clinit_dtype_size(dtypes[dt]);
                free(check_one(e, &t, &cases[k].spec, SEED + (uint64_t)k, STREAM, offset, cases[k].what));
            }
    }
    SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, 0));
    /* a second seed and stream, and a fill of a few million elements split by nothing but the kernel shape */
    for (int k = 0; k < n; k++) {
        clinit_tensor t = tensor(cases[k].rank, cases[k].shape, cases[k].layout, CLINIT_F32);
        free(check_one(e, &t, &cases[k].spec, 0, 0, 0, cases[k].what));
    }
    clinit_init_spec s = sparse_spec(0.2, 1);
    clinit_tensor big = tensor(2, (int64_t[]){1500, 1100}, CLINIT_LAYOUT_OI, CLINIT_F32);
    free(check_one(e, &big, &s, SEED, STREAM, 0, "sparse 1500x1100"));
    s = dirac_spec(2);
    clinit_tensor conv = tensor(4, (int64_t[]){256, 128, 7, 7}, CLINIT_LAYOUT_OI, CLINIT_F32);
    free(check_one(e, &conv, &s, SEED, STREAM, 0, "dirac 256x128x7x7"));
    if (sup_has_fp64(e)) {
        s = sparse_spec(0.2, 1);
        big.dtype = CLINIT_F64;
        free(check_one(e, &big, &s, SEED, STREAM, 8, "sparse 1500x1100 f64"));
    }
}

/* ------------------------------------------------------------------------------------------------------- */

static void test_eye_pattern(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t shapes[][2] = {{5, 5}, {3, 7}, {7, 3}, {1, 1}, {1, 6}, {6, 1}, {40, 64}};
    const double gains[] = {1, 2.5, -0.75, 1.0 / 3};
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++)
        for (size_t gi = 0; gi < sizeof gains / sizeof *gains; gi++)
            for (int layout = 0; layout < 2; layout++) {
                clinit_init_spec s = eye_spec(gains[gi]);
                clinit_tensor t = tensor(2, shapes[k], (clinit_layout)layout, CLINIT_F32);
                float *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
                for (int64_t i = 0; i < shapes[k][0]; i++)
                    for (int64_t j = 0; j < shapes[k][1]; j++) {
                        float want = i == j ? (float)gains[gi] : 0.0f;
                        if (sup_bits(v[i * shapes[k][1] + j]) != sup_bits(want))
                            fail_msg("eye %lldx%lld gain %g: [%lld, %lld] = %a, want %a", (long long)shapes[k][0],
                                     (long long)shapes[k][1], gains[gi], (long long)i, (long long)j,
                                     (double)v[i * shapes[k][1] + j], (double)want);
                    }
                free(v);
            }
    /* 16-bit outputs: the dtype's rounding of (float)gain on the diagonal, +0 elsewhere */
    clinit_init_spec s = eye_spec(1.0 / 3);
    clinit_tensor t = tensor(2, (int64_t[]){4, 6}, CLINIT_LAYOUT_OI, CLINIT_F16);
    uint16_t *h = sup_device_fill(e, &t, &s, SEED, STREAM, 2);
    for (int i = 0; i < 24; i++) assert_int_equal(h[i], i / 6 == i % 6 ? ci_f16_bits((float)(1.0 / 3)) : 0);
    free(h);
    t.dtype = CLINIT_BF16;
    h = sup_device_fill(e, &t, &s, SEED, STREAM, 2);
    for (int i = 0; i < 24; i++) assert_int_equal(h[i], i / 6 == i % 6 ? ci_bf16_of((float)(1.0 / 3)) : 0);
    free(h);
}

/* PyTorch's dirac_ written as its loops: for g < groups, d < min(out/groups, in), 1 at
 * [g·out/groups + d, d, k1//2, …] (OI), or at the same channels on the (k…, in, out) axes (IO). */
static float *dirac_oracle(int rank, const int64_t *shape, clinit_layout layout, int64_t groups)
{
    int64_t n = 1;
    for (int d = 0; d < rank; d++) n *= shape[d];
    float *w = calloc((size_t)n, sizeof *w);
    assert_non_null(w);
    int io = layout == CLINIT_LAYOUT_IO;
    int oax = io ? rank - 1 : 0, iax = io ? rank - 2 : 1;
    int64_t per = shape[oax] / groups, mind = per < shape[iax] ? per : shape[iax];
    for (int64_t g = 0; g < groups; g++)
        for (int64_t d = 0; d < mind; d++) {
            int64_t idx[5];
            for (int a = 0; a < rank; a++) idx[a] = shape[a] / 2;
            idx[oax] = g * per + d;
            idx[iax] = d;
            int64_t lin = 0;
            for (int a = 0; a < rank; a++) lin = lin * shape[a] + idx[a];
            w[lin] = 1.0f;
        }
    return w;
}

static void test_dirac_pattern(void **state)
{
    sup_env *e = SUP_ENV(state);
    tcase cases[40];
    int n = make_cases(cases);
    int checked = 0;
    for (int k = 0; k < n; k++) {
        if (cases[k].spec.kind != CLINIT_INIT_DIRAC) continue;
        clinit_tensor t = tensor(cases[k].rank, cases[k].shape, cases[k].layout, CLINIT_F32);
        float *v = sup_device_fill(e, &t, &cases[k].spec, SEED, STREAM, 0);
        float *want = dirac_oracle(cases[k].rank, cases[k].shape, cases[k].layout, cases[k].spec.groups);
        sup_compare(v, want, sup_numel(&t), cases[k].what);
        checked++;
        free(want);
        free(v);
    }
    assert_int_equal(checked, 12);
}

/* ------------------------------------------------------------------------------------------------------- */

/* Convolution, stride 1, zero 'same' padding (odd kernels: k//2 on each side), `groups` groups, on input x of
 * (cin, H, W); weight w of layout OI (cout, cin/groups, KH, KW) or IO (KH, KW, cin/groups, cout). A 1-D
 * convolution is H = KH = 1 (the weight's memory is the same). Returns y of (cout, H, W). */
static float *conv2d(const float *x, int64_t cin, int64_t H, int64_t W, const float *w, clinit_layout layout,
                     int64_t cout, int64_t groups, int64_t KH, int64_t KW)
{
    float *y = malloc((size_t)(cout * H * W) * sizeof *y);
    assert_non_null(y);
    int64_t ig = cin / groups, og = cout / groups;
    for (int64_t o = 0; o < cout; o++)
        for (int64_t h = 0; h < H; h++)
            for (int64_t q = 0; q < W; q++) {
                float acc = 0.0f;
                int64_t g = o / og;
                for (int64_t il = 0; il < ig; il++)
                    for (int64_t a = 0; a < KH; a++)
                        for (int64_t b = 0; b < KW; b++) {
                            int64_t hh = h + a - KH / 2, ww = q + b - KW / 2;
                            if (hh < 0 || hh >= H || ww < 0 || ww >= W) continue;
                            float wt = layout == CLINIT_LAYOUT_OI ? w[((o * ig + il) * KH + a) * KW + b]
                                                                  : w[((a * KW + b) * ig + il) * cout + o];
                            acc += wt * x[((g * ig + il) * H + hh) * W + ww];
                        }
                y[(o * H + h) * W + q] = acc;
            }
    return y;
}

static void test_dirac_conv_passes_input_through(void **state)
{
    sup_env *e = SUP_ENV(state);
    struct {
        int rank;
        int64_t shape[4];
        clinit_layout layout;
        int64_t groups, cin, H, W;
    } cs[] = {
        {3, {4, 4, 3}, CLINIT_LAYOUT_OI, 1, 4, 1, 11},   /* conv1d */
        {3, {4, 2, 5}, CLINIT_LAYOUT_OI, 2, 4, 1, 9},    /* conv1d, groups 2 */
        {3, {6, 4, 3}, CLINIT_LAYOUT_OI, 1, 4, 1, 8},    /* conv1d, more outputs than inputs */
        {3, {4, 6, 3}, CLINIT_LAYOUT_OI, 1, 6, 1, 8},    /* conv1d, fewer outputs than inputs */
        {4, {6, 6, 3, 3}, CLINIT_LAYOUT_OI, 1, 6, 5, 7}, /* conv2d */
        {4, {6, 3, 3, 5}, CLINIT_LAYOUT_OI, 2, 6, 6, 4}, /* conv2d, groups 2 */
        {4, {6, 2, 3, 3}, CLINIT_LAYOUT_OI, 3, 6, 4, 4}, /* conv2d, groups 3 */
        {3, {5, 4, 4}, CLINIT_LAYOUT_IO, 1, 4, 1, 10},   /* conv1d, Keras layout */
        {4, {3, 3, 2, 6}, CLINIT_LAYOUT_IO, 3, 6, 5, 5}, /* conv2d, Keras layout, groups 3 */
    };
    uint32_t lcg = 12345;
    for (size_t k = 0; k < sizeof cs / sizeof *cs; k++) {
        int io = cs[k].layout == CLINIT_LAYOUT_IO;
        int r = cs[k].rank;
        int64_t cout = cs[k].shape[io ? r - 1 : 0];
        int64_t KH = r == 4 ? cs[k].shape[io ? 0 : 2] : 1, KW = cs[k].shape[io ? r - 3 : r - 1];
        clinit_init_spec s = dirac_spec(cs[k].groups);
        clinit_tensor t = tensor(r, cs[k].shape, cs[k].layout, CLINIT_F32);
        float *w = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
        int64_t nx = cs[k].cin * cs[k].H * cs[k].W;
        float *x = malloc((size_t)nx * sizeof *x);
        assert_non_null(x);
        for (int64_t i = 0; i < nx; i++) {
            lcg = lcg * 1664525u + 1013904223u;
            x[i] = (float)((int32_t)(lcg >> 8) - (1 << 23)) * 0x1p-20f; /* non-zero with probability 1 - 2^-24 */
        }
        float *y = conv2d(x, cs[k].cin, cs[k].H, cs[k].W, w, cs[k].layout, cout, cs[k].groups, KH, KW);
        int64_t ig = cs[k].cin / cs[k].groups, og = cout / cs[k].groups, hw = cs[k].H * cs[k].W;
        int64_t passed = 0;
        for (int64_t o = 0; o < cout; o++) {
            int64_t g = o / og, d = o % og;
            for (int64_t p = 0; p < hw; p++) {
                float want = d < ig ? x[(g * ig + d) * hw + p] : 0.0f;
                if (y[o * hw + p] != want)
                    fail_msg("case %zu: output channel %lld position %lld: %a, want %a", k, (long long)o, (long long)p,
                             (double)y[o * hw + p], (double)want);
            }
            passed += d < ig;
        }
        /* channels that get a 1: min(out/groups, in/groups) per group */
        assert_int_equal(passed, cs[k].groups * (og < ig ? og : ig));
        free(y);
        free(x);
        free(w);
    }
}

/* ------------------------------------------------------------------------------------------------------- */

static void test_sparse_exact_count_per_column(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t shapes[][2] = {{1, 7},    {2, 5},    {3, 4},   {10, 7}, {16, 9},  {17, 9},
                                 {100, 13}, {1000, 3}, {64, 64}, {65, 5}, {4099, 2}};
    const double sparsities[] = {0, 0.1, 0.5, 0.99, 1, 1.0 / 3};
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++)
        for (size_t si = 0; si < sizeof sparsities / sizeof *sparsities; si++) {
            int64_t rows = shapes[k][0], cols = shapes[k][1];
            clinit_init_spec s = sparse_spec(sparsities[si], 1);
            clinit_tensor t = tensor(2, shapes[k], CLINIT_LAYOUT_OI, CLINIT_F32);
            clinit_distribution d;
            assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
            int64_t want = zeros_per_column(sparsities[si], rows);
            assert_int_equal(d.count, want);
            float *v = sup_device_fill(e, &t, &s, SEED, STREAM + k, 0);
            for (int64_t j = 0; j < cols; j++) {
                int64_t zeros = 0;
                for (int64_t i = 0; i < rows; i++) zeros += sup_bits(v[i * cols + j]) == 0;
                if (zeros != want)
                    fail_msg("sparse %lldx%lld sparsity %g: column %lld has %lld zeros, want %lld", (long long)rows,
                             (long long)cols, sparsities[si], (long long)j, (long long)zeros, (long long)want);
            }
            /* no value is -0 or otherwise zero-like: the non-zeros are std·z, |z| > 0 */
            for (int64_t i = 0; i < rows * cols; i++) assert_true(sup_bits(v[i]) == 0 || v[i] != 0.0f);
            free(v);
        }
}

static void test_sparse_values_are_std_times_the_normal(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t rows = 50, cols = 37;
    const double std = 0.05;
    clinit_init_spec s = sparse_spec(0.3, std);
    clinit_init_spec nspec = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    nspec.mean = 0;
    nspec.std = std;
    clinit_tensor t = tensor(2, (int64_t[]){rows, cols}, CLINIT_LAYOUT_OI, CLINIT_F32);
    float *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    float *nv = sup_device_fill(e, &t, &nspec, SEED, STREAM, 0);
    int64_t kept = 0;
    for (int64_t i = 0; i < rows * cols; i++) {
        /* the standard normal of element i as §4 (§7 in generation 2, the default) defines it, from the host's
         * Philox */
        uint32_t x[4];
        ci_philox_block((uint64_t)i >> 2, SEED, STREAM, x);
        int lane = (int)(i & 3), pair = lane >> 1;
        float zc, zs;
        ci_normal_pair_gen(CLINIT_GENERATION_VERSION, x[2 * pair], x[2 * pair + 1], &zc, &zs);
        float want = (float)std * ((lane & 1) ? zs : zc);
        assert_int_equal(sup_bits(nv[i]), sup_bits(want)); /* the normal fill: 0 + std·z = std·z */
        if (sup_bits(v[i]) == 0) continue;
        if (sup_bits(v[i]) != sup_bits(want))
            fail_msg("element %lld: sparse %a, want std·z = %a", (long long)i, (double)v[i], (double)want);
        kept++;
    }
    assert_int_equal(kept, (rows - zeros_per_column(0.3, rows)) * cols);
    free(nv);
    free(v);
}

/* Columns whose zero sets are equal in two fills. */
static int64_t same_columns(const float *a, const float *b, int64_t rows, int64_t cols)
{
    int64_t same = 0;
    for (int64_t j = 0; j < cols; j++) {
        int eq = 1;
        for (int64_t i = 0; i < rows && eq; i++)
            eq = (sup_bits(a[i * cols + j]) == 0) == (sup_bits(b[i * cols + j]) == 0);
        same += eq;
    }
    return same;
}

static void test_sparse_positions_depend_on_seed_and_stream(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* Feistel regime: 100 rows, 50 zeros: two independent columns agree with probability 1/C(100, 50) ≈ 1e-29 */
    clinit_init_spec s = sparse_spec(0.5, 1);
    clinit_tensor t = tensor(2, (int64_t[]){100, 50}, CLINIT_LAYOUT_OI, CLINIT_F32);
    float *a = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    float *b = sup_device_fill(e, &t, &s, SEED, STREAM + 1, 0);
    float *c = sup_device_fill(e, &t, &s, SEED ^ (UINT64_C(1) << 40), STREAM, 0);
    float *a2 = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    assert_int_equal(same_columns(a, a2, 100, 50), 50); /* deterministic */
    assert_int_equal(same_columns(a, b, 100, 50), 0);
    assert_int_equal(same_columns(a, c, 100, 50), 0);
    for (int64_t j = 0; j + 1 < 50; j++) { /* columns differ from each other */
        int eq = 1;
        for (int64_t i = 0; i < 100 && eq; i++)
            eq = (sup_bits(a[i * 50 + j]) == 0) == (sup_bits(a[i * 50 + j + 1]) == 0);
        assert_false(eq);
    }
    free(a);
    free(b);
    free(c);
    free(a2);
    /* selection-sampling regime: 10 rows, 3 zeros: a column agrees with probability 1/120, so 200 columns
     * agree in Poisson(1.67) of them; 13 or more has probability < 10^-7 */
    s = sparse_spec(0.3, 1);
    t = tensor(2, (int64_t[]){10, 200}, CLINIT_LAYOUT_OI, CLINIT_F32);
    a = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    b = sup_device_fill(e, &t, &s, SEED, STREAM + 1, 0);
    assert_true(same_columns(a, b, 10, 200) <= 12);
    free(a);
    free(b);
}

/* Upper (z > 0) or lower (z < 0) chi-square quantile, Wilson–Hilferty: df·(1 − 2/(9df) + z·√(2/(9df)))³,
 * accurate to a few percent for df ≥ 5 in the 10^-6 tails. */
static double chi2_quantile(double df, double z)
{
    double c = 2.0 / (9.0 * df);
    double q = 1.0 - c + z * sqrt(c);
    return q > 0 ? df * q * q * q : 0;
}

/* Each row's zero count over `cols` columns of a (rows, cols) sparse fill with `count` zeros per column. With
 * every column an independent uniform count-subset, n_r has mean C·p (p = count/rows) and covariance
 * C·p(1−p)·rows/(rows−1)·(I − J/rows), so X = Σ (n_r − C·p)²·(rows−1)/(C·p(1−p)·rows) ~ χ²(rows − 1). */
static void row_uniformity(const sup_env *e, int64_t rows, int64_t cols, double sparsity, uint64_t stream)
{
    clinit_init_spec s = sparse_spec(sparsity, 1);
    clinit_tensor t = tensor(2, (int64_t[]){rows, cols}, CLINIT_LAYOUT_OI, CLINIT_F32);
    float *v = sup_device_fill(e, &t, &s, SEED, stream, 0);
    double p = (double)zeros_per_column(sparsity, rows) / (double)rows, x = 0;
    for (int64_t i = 0; i < rows; i++) {
        double n = 0;
        for (int64_t j = 0; j < cols; j++) n += sup_bits(v[i * cols + j]) == 0;
        x += (n - (double)cols * p) * (n - (double)cols * p);
    }
    x *= (double)(rows - 1) / ((double)cols * p * (1 - p) * (double)rows);
    double df = (double)(rows - 1), hi = chi2_quantile(df, Z_TAIL), lo = chi2_quantile(df, -Z_TAIL);
    print_message("rows %lld, cols %lld, sparsity %g: chi2 %.1f, df %.0f, accepted [%.1f, %.1f]\n", (long long)rows,
                  (long long)cols, sparsity, x, df, lo, hi);
    if (!(x >= lo && x <= hi)) fail_msg("row zero frequencies: chi2 = %g outside [%g, %g] (df %g)", x, lo, hi, df);
    free(v);
}

/* The zero set of each column is one of C(rows, count) subsets; for count = 2 they are the row pairs. Counts of
 * each subset over `cols` columns against the uniform multinomial: χ²(C(rows, 2) − 1). */
static void pair_uniformity(const sup_env *e, int64_t rows, int64_t cols, double sparsity)
{
    assert_int_equal(zeros_per_column(sparsity, rows), 2);
    clinit_init_spec s = sparse_spec(sparsity, 1);
    clinit_tensor t = tensor(2, (int64_t[]){rows, cols}, CLINIT_LAYOUT_OI, CLINIT_F32);
    float *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    double *cnt = calloc((size_t)(rows * rows), sizeof *cnt);
    assert_non_null(cnt);
    for (int64_t j = 0; j < cols; j++) {
        int64_t z[2], nz = 0;
        for (int64_t i = 0; i < rows; i++)
            if (sup_bits(v[i * cols + j]) == 0) {
                if (nz < 2) z[nz] = i;
                nz++;
            }
        assert_int_equal(nz, 2);
        cnt[z[0] * rows + z[1]]++;
    }
    double cells = (double)(rows * (rows - 1) / 2), want = (double)cols / cells, x = 0;
    for (int64_t a = 0; a < rows; a++)
        for (int64_t b = a + 1; b < rows; b++) x += (cnt[a * rows + b] - want) * (cnt[a * rows + b] - want) / want;
    double df = cells - 1, hi = chi2_quantile(df, Z_TAIL), lo = chi2_quantile(df, -Z_TAIL);
    print_message("rows %lld, cols %lld, pairs: chi2 %.1f, df %.0f, accepted [%.1f, %.1f]\n", (long long)rows,
                  (long long)cols, x, df, lo, hi);
    if (!(x >= lo && x <= hi)) fail_msg("zero pairs: chi2 = %g outside [%g, %g] (df %g)", x, lo, hi, df);
    free(cnt);
    free(v);
}

static void test_sparse_zero_rows_uniform(void **state)
{
    sup_env *e = SUP_ENV(state);
    row_uniformity(e, 10, 20000, 0.3, 1);  /* selection sampling */
    row_uniformity(e, 16, 20000, 0.5, 2);  /* selection sampling, its largest size */
    row_uniformity(e, 17, 20000, 0.25, 3); /* Feistel, h = 3 (domain 64) */
    row_uniformity(e, 100, 5000, 0.3, 4);  /* Feistel, h = 4 */
    row_uniformity(e, 1000, 600, 0.1, 5);  /* Feistel, h = 5 */
    row_uniformity(e, 4097, 200, 0.7, 6);  /* Feistel, h = 7, domain 16384 ≈ 4·rows */
    pair_uniformity(e, 6, 30000, 0.3);     /* 15 pairs, selection sampling */
    pair_uniformity(e, 17, 60000, 0.1);    /* 136 pairs, Feistel with its smallest domain */
    pair_uniformity(e, 40, 100000, 0.05);  /* 780 pairs, Feistel h = 3 */
}

/* ------------------------------------------------------------------------------------------------------- */

/* Boxes of a split along each listed dimension into `parts` pieces, assembled, equal the whole fill. */
static void check_boxes(const sup_env *e, const clinit_tensor *whole, const clinit_init_spec *s, const int *parts)
{
    size_t es = clinit_dtype_size(whole->dtype);
    unsigned char *full = sup_device_fill(e, whole, s, SEED, STREAM, 0);
    int rank = whole->rank;
    int64_t strides[8];
    strides[rank - 1] = 1;
    for (int d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * whole->shape[d + 1];
    int64_t nbox = 1;
    for (int d = 0; d < rank; d++) nbox *= parts[d];
    unsigned char *assembled = calloc(sup_numel(whole), es);
    assert_non_null(assembled);
    for (int64_t b = 0; b < nbox; b++) {
        int64_t start[8], ext[8], rem = b;
        for (int d = rank - 1; d >= 0; d--) {
            int64_t pi = rem % parts[d], n = whole->shape[d];
            rem /= parts[d];
            start[d] = n * pi / parts[d];
            ext[d] = n * (pi + 1) / parts[d] - start[d];
        }
        clinit_tensor t = *whole;
        sup_set_box(&t, start, ext);
        size_t bn = sup_numel(&t);
        unsigned char *v = sup_device_fill(e, &t, s, SEED, STREAM, es * (size_t)(b % 3));
        void *ref = sup_reference_fill(&t, s, SEED, STREAM);
        compare_bits(v, ref, bn, t.dtype, "box");
        free(ref);
        /* scatter the box into the whole */
        for (size_t k = 0; k < bn; k++) {
            int64_t lin = 0, r = (int64_t)k;
            for (int d = rank - 1; d >= 0; d--) {
                lin += (start[d] + r % ext[d]) * strides[d];
                r /= ext[d];
            }
            memcpy(assembled + (size_t)lin * es, v + k * es, es);
        }
        free(v);
    }
    compare_bits(assembled, full, sup_numel(whole), whole->dtype, "assembled boxes");
    free(assembled);
    free(full);
}

static void test_boxes_assemble_to_the_whole(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = eye_spec(2);
    clinit_tensor t = tensor(2, (int64_t[]){13, 11}, CLINIT_LAYOUT_OI, CLINIT_F32);
    check_boxes(e, &t, &s, (int[]){3, 2});
    t.dtype = CLINIT_F16;
    check_boxes(e, &t, &s, (int[]){1, 4});
    s = dirac_spec(2);
    t = tensor(4, (int64_t[]){6, 4, 3, 5}, CLINIT_LAYOUT_OI, CLINIT_F32);
    check_boxes(e, &t, &s, (int[]){2, 1, 3, 2});
    t = tensor(4, (int64_t[]){3, 5, 2, 6}, CLINIT_LAYOUT_IO, CLINIT_BF16);
    s = dirac_spec(1);
    check_boxes(e, &t, &s, (int[]){3, 2, 1, 4});
    s = sparse_spec(0.4, 0.5);
    t = tensor(2, (int64_t[]){37, 29}, CLINIT_LAYOUT_OI, CLINIT_F32);
    check_boxes(e, &t, &s, (int[]){4, 3});
    t = tensor(2, (int64_t[]){12, 29}, CLINIT_LAYOUT_OI, CLINIT_BF16);
    check_boxes(e, &t, &s, (int[]){5, 1});
    t.dtype = CLINIT_F16;
    check_boxes(e, &t, &s, (int[]){1, 7});
}

/* ------------------------------------------------------------------------------------------------------- */

/* f64 (docs/ALGORITHMS.md §4, "f64"): eye and dirac put the double gain itself on the pattern (not its float
 * rounding); sparse has the f32 fill's zero positions (they depend on seed, stream and column only) and, off
 * them, std times the f64 normal fill's value of the element. A device without cl_khr_fp64 refuses. */
static void test_f64(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = eye_spec(1.0 / 3);
    clinit_tensor t = tensor(2, (int64_t[]){5, 7}, CLINIT_LAYOUT_OI, CLINIT_F64);
    if (!sup_has_fp64(e)) {
        cl_mem buf = sup_buffer(e, 35 * sizeof(double));
        t.buffer = buf;
        assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 0, NULL, NULL),
                         CLINIT_ERROR_UNSUPPORTED_DTYPE);
        assert_non_null(strstr(clinit_ctx_message(e->ctx), "cl_khr_fp64"));
        clReleaseMemObject(buf);
        return;
    }
    double *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 35; i++) assert_true(v[i] == (i / 7 == i % 7 ? 1.0 / 3 : 0.0) && !signbit(v[i]));
    free(v);
    s = dirac_spec(2);
    t = tensor(3, (int64_t[]){4, 3, 3}, CLINIT_LAYOUT_OI, CLINIT_F64);
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    float *want = dirac_oracle(3, t.shape, CLINIT_LAYOUT_OI, 2);
    for (int i = 0; i < 36; i++) assert_true(v[i] == (double)want[i]);
    free(want);
    free(v);

    const int64_t rows = 40, cols = 23;
    const double std = 0.0123456789;
    s = sparse_spec(0.4, std);
    clinit_init_spec n = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    n.mean = 0;
    n.std = std;
    t = tensor(2, (int64_t[]){rows, cols}, CLINIT_LAYOUT_OI, CLINIT_F64);
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    double *nv = sup_device_fill(e, &t, &n, SEED, STREAM, 0);
    t.dtype = CLINIT_F32;
    float *v32 = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    int64_t zeros = 0;
    for (int64_t i = 0; i < rows * cols; i++) {
        int zero32 = sup_bits(v32[i]) == 0;
        if (zero32)
            assert_true(v[i] == 0.0 && !signbit(v[i]));
        else if (memcmp(&v[i], &nv[i], sizeof(double)) != 0)
            fail_msg("element %lld: sparse f64 %a, want the f64 normal fill's %a", (long long)i, v[i], nv[i]);
        zeros += zero32;
    }
    assert_int_equal(zeros, zeros_per_column(0.4, rows) * cols);
    free(v32);
    free(nv);
    free(v);
}

/* A fill behind a user event: nothing written and not complete before it, the reference's values after. */
static void test_async_contract(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = eye_spec(1);
    sup_gated_fill(e, tensor(2, (int64_t[]){30, 40}, CLINIT_LAYOUT_OI, CLINIT_F32), &s, SEED, STREAM); /* one launch */
    /* 70000 runs of a box: two launches behind a marker */
    s = sparse_spec(0.5, 1);
    clinit_tensor t = tensor(2, (int64_t[]){70000, 5}, CLINIT_LAYOUT_OI, CLINIT_F16);
    sup_set_box(&t, (int64_t[]){0, 1}, (int64_t[]){70000, 3});
    t.offset_bytes = 6;
    sup_gated_fill(e, t, &s, SEED, STREAM);
    s = dirac_spec(1);
    t = tensor(3, (int64_t[]){70000, 2, 3}, CLINIT_LAYOUT_OI, CLINIT_F32);
    sup_set_box(&t, (int64_t[]){0, 0, 1}, (int64_t[]){70000, 2, 1});
    sup_gated_fill(e, t, &s, SEED, STREAM);
    /* zero elements: a no-op that still honours the wait list */
    cl_int err;
    cl_mem buf = sup_buffer(e, 64);
    clinit_tensor z = tensor(2, (int64_t[]){0, 5}, CLINIT_LAYOUT_OI, CLINIT_F32);
    z.buffer = buf;
    cl_event gate = clCreateUserEvent(e->context, &err), done = NULL;
    assert_int_equal(err, CL_SUCCESS);
    s = sparse_spec(0.5, 1);
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &z, &s, SEED, STREAM, 1, &gate, &done));
    clFlush(e->queue);
    assert_true(sup_event_status(done) > CL_COMPLETE);
    assert_int_equal(clSetUserEventStatus(gate, CL_COMPLETE), CL_SUCCESS);
    assert_int_equal(clWaitForEvents(1, &done), CL_SUCCESS);
    clReleaseEvent(done);
    clReleaseEvent(gate);
    clReleaseMemObject(buf);
}

/* ------------------------------------------------------------------------------------------------------- */

/* clinit_validate, clinit_reference_fill and clinit_fill all return `want`, and the fill writes nothing. */
static void expect_error(const sup_env *e, clinit_tensor t, const clinit_init_spec *s, clinit_status want)
{
    char msg[256];
    assert_int_equal(clinit_validate(&t, s, msg, sizeof msg), want);
    assert_true(msg[0] != '\0');
    float dst[4096];
    int64_t n = 0;
    if (clinit_tensor_numel(&t, &n) == CLINIT_SUCCESS && n <= 4096)
        assert_int_equal(clinit_reference_fill(&t, s, SEED, STREAM, dst, sizeof dst), want);
    cl_mem buf = sup_buffer(e, 16384);
    sup_fill_pattern(e, buf, 16384, SUP_SENTINEL);
    t.buffer = buf;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, s, SEED, STREAM, 0, NULL, NULL), want);
    assert_true(clinit_ctx_message(e->ctx)[0] != '\0');
    unsigned char host[16384];
    sup_read(e, buf, 0, sizeof host, host);
    sup_assert_pattern(host, 0, sizeof host, SUP_SENTINEL);
    clReleaseMemObject(buf);
}

static void test_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec eye = eye_spec(1), dirac = dirac_spec(1), sparse = sparse_spec(0.5, 1);
    const int64_t sh[6] = {4, 4, 3, 3, 3, 2};
    /* wrong ranks */
    expect_error(e, tensor(1, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &eye, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, tensor(3, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &eye, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, tensor(2, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &dirac, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, tensor(6, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &dirac, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, tensor(1, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &sparse, CLINIT_ERROR_INVALID_RANK);
    expect_error(e, tensor(3, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &sparse, CLINIT_ERROR_INVALID_RANK);
    /* dirac groups that do not divide the output channels */
    clinit_init_spec g = dirac_spec(3);
    expect_error(e, tensor(3, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &g, CLINIT_ERROR_INVALID_PARAMETER);
    g.groups = 0;
    expect_error(e, tensor(3, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &g, CLINIT_ERROR_INVALID_PARAMETER);
    g.groups = -2;
    expect_error(e, tensor(4, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &g, CLINIT_ERROR_INVALID_PARAMETER);
    /* sparsity outside [0, 1], std < 0 */
    clinit_init_spec bad = sparse_spec(1.5, 1);
    expect_error(e, tensor(2, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &bad, CLINIT_ERROR_INVALID_PARAMETER);
    bad.sparsity = -0.1;
    expect_error(e, tensor(2, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &bad, CLINIT_ERROR_INVALID_PARAMETER);
    bad.sparsity = NAN;
    expect_error(e, tensor(2, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &bad, CLINIT_ERROR_INVALID_PARAMETER);
    bad = sparse_spec(0.5, -1);
    expect_error(e, tensor(2, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &bad, CLINIT_ERROR_INVALID_PARAMETER);
    /* eye gain that is not finite or overflows f16 */
    clinit_init_spec big = eye_spec(INFINITY);
    expect_error(e, tensor(2, sh, CLINIT_LAYOUT_OI, CLINIT_F32), &big, CLINIT_ERROR_INVALID_PARAMETER);
    big.gain = 1e6;
    expect_error(e, tensor(2, sh, CLINIT_LAYOUT_OI, CLINIT_F16), &big, CLINIT_ERROR_INVALID_PARAMETER);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_equals_reference),
        cmocka_unit_test(test_eye_pattern),
        cmocka_unit_test(test_dirac_pattern),
        cmocka_unit_test(test_dirac_conv_passes_input_through),
        cmocka_unit_test(test_sparse_exact_count_per_column),
        cmocka_unit_test(test_sparse_values_are_std_times_the_normal),
        cmocka_unit_test(test_sparse_positions_depend_on_seed_and_stream),
        cmocka_unit_test(test_sparse_zero_rows_uniform),
        cmocka_unit_test(test_boxes_assemble_to_the_whole),
        cmocka_unit_test(test_f64),
        cmocka_unit_test(test_async_contract),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, sup_group_setup, sup_group_teardown);
}
