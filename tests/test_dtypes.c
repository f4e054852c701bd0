/* f16 and bf16 outputs (docs/ALGORITHMS.md §4, "Output dtypes"):
 *  - the host's conversions are exact round-to-nearest-even (checked exhaustively against every 16-bit value
 *    and every midpoint between neighbours);
 *  - every initializer on the device equals the host reference bit for bit (the device stores with
 *    vstore_half*_rte / bf16 rounding, the host with its own conversion: two implementations agree);
 *  - each 16-bit value is the rounding of the f32 value of the same element, clamped for the uniform family
 *    to the dtype values inside [a, b): never b, never outside, never infinite;
 *  - parameters no value of the dtype can honour are rejected; 2-byte alignment of the offset;
 *  - the distribution after rounding passes Kolmogorov–Smirnov with the quantization allowance below. */
#include "support.h"
#include "generate.h" /* ci_bf16_of: the rounding the kernels use */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED UINT64_C(0x243f6a8885a308d3)
#define STREAM UINT64_C(0x13198a2e03707344)

static const clinit_dtype dtypes16[2] = {CLINIT_F16, CLINIT_BF16};

/* A binary16 value from its bits, written independently of host/dtype.c. */
static double f16_exact(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    double v = e == 0 ? ldexp(m, -24) : ldexp(1024 + m, e - 25);
    return (h & 0x8000) ? -v : v;
}

static double bf16_exact(uint16_t h) { return (double)sup_from_bits((uint32_t)h << 16); }

static void test_f16_conversion_exhaustive(void **state)
{
    (void)state;
    for (uint32_t h = 0; h < 0x10000; h++) {
        if (((h >> 10) & 31) == 31) continue; /* inf/NaN */
        float f = (float)f16_exact((uint16_t)h);
        assert_int_equal(ci_f16_bits(f), h);
        assert_true(ci_f16_value((uint16_t)h) == f);
        /* Midpoint to the next value away from zero: ties to the even neighbour, anything above rounds up. */
        uint32_t up = h + 1;
        if ((h & 0x7fff) == 0x7bff) continue; /* 65504: above it is the overflow threshold, tested below */
        double mid = (f16_exact((uint16_t)h) + f16_exact((uint16_t)up)) / 2; /* exact in float */
        uint32_t even = (h & 1) ? up : h;
        assert_int_equal(ci_f16_bits((float)mid), even);
        float above = nextafterf((float)mid, (h & 0x8000) ? -INFINITY : INFINITY);
        assert_int_equal(ci_f16_bits(above), up);
    }
    assert_int_equal(ci_f16_bits(65519.996f), 0x7bff);
    assert_int_equal(ci_f16_bits(65520.0f), 0x7c00); /* the tie above 65504 rounds to infinity */
    assert_int_equal(ci_f16_bits(0x1p-25f), 0x0000); /* tie between 0 and 2^-24: even */
    assert_int_equal(ci_f16_bits(nextafterf(0x1p-25f, 1)), 0x0001);
    assert_int_equal(ci_f16_bits(-0x1.8p-24f), 0x8002); /* tie between 1 and 2 ulps: even */
}

/* The CPU kernels' vector binary16 conversion (ci_f16_of16, kernels/fill.cl) against the device's scalar
 * vstore_half_rte and the host's ci_f16_bits, on every sign, every exponent, six patterns of the upper
 * mantissa bits and all 2^13 patterns of the lower 13 — the bits that decide rounding of normal halves — and
 * the full 2^23 mantissas of the exponents whose floats become subnormal halves or round across 2^-14:
 * 243 million floats, NaNs and infinities included. */
static void test_f16_vector_conversion(void **state)
{
    sup_env *e = SUP_ENV(state);
    static const char test_kernel[] =
        "__kernel void clinit_test_f16(__global const float *in, __global ushort *mine, __global half *theirs)\n"
        "{\n"
        "    size_t i = get_global_id(0);\n"
        "    float16 f = vload16(i, in);\n"
        "    vstore16(ci_f16_of16(f), i, mine);\n"
        "    for (int k = 0; k < 16; k++) vstore_half_rte(in[16 * i + k], 16 * i + k, theirs);\n"
        "}\n";
    size_t n_src = strlen(ci_kernel_source);
    char *src = malloc(n_src + sizeof test_kernel);
    assert_non_null(src);
    memcpy(src, ci_kernel_source, n_src);
    memcpy(src + n_src, test_kernel, sizeof test_kernel);
    cl_int err;
    const char *srcs[1] = {src};
    cl_program prog = clCreateProgramWithSource(e->context, 1, srcs, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    assert_int_equal(clBuildProgram(prog, 1, &e->device, "-cl-std=CL1.2 -DCLINIT_ITEM_BLOCKS=16", NULL, NULL),
                     CL_SUCCESS);
    free(src);
    cl_kernel k = clCreateKernel(prog, "clinit_test_f16", &err);
    assert_int_equal(err, CL_SUCCESS);

    enum { CHUNK = 1 << 23 };
    float *in = malloc(CHUNK * sizeof *in);
    uint16_t *mine = malloc(CHUNK * sizeof *mine), *theirs = malloc(CHUNK * sizeof *theirs);
    assert_true(in && mine && theirs);
    cl_mem bin = sup_buffer(e, CHUNK * sizeof *in), bmine = sup_buffer(e, CHUNK * 2),
           btheirs = sup_buffer(e, CHUNK * 2);
    assert_int_equal(clSetKernelArg(k, 0, sizeof bin, &bin), CL_SUCCESS);
    assert_int_equal(clSetKernelArg(k, 1, sizeof bmine, &bmine), CL_SUCCESS);
    assert_int_equal(clSetKernelArg(k, 2, sizeof btheirs, &btheirs), CL_SUCCESS);
    /* Chunk c: sign c & 1; c < 2·256: exponent c >> 1 with the six upper patterns × 2^13 (49152 floats);
     * then the exponents 101 … 113 (2^-26 … 2^-14) with all their mantissas (2^23 floats each). */
    static const uint32_t upper[6] = {0, 1, 0x155, 0x2aa, 0x3fe, 0x3ff};
    uint64_t checked = 0;
    for (uint32_t c = 0; c < 2 * 256 + 2 * 13; c++) {
        uint32_t sign = (c & 1u) << 31, count = 0;
        if (c < 2 * 256) {
            for (int u = 0; u < 6; u++)
                for (uint32_t lo = 0; lo < 8192; lo++)
                    in[count++] = sup_from_bits(sign | (c >> 1) << 23 | upper[u] << 13 | lo);
        } else {
            uint32_t ex = 101 + ((c - 2 * 256) >> 1);
            for (uint32_t m = 0; m < (1u << 23); m++) in[count++] = sup_from_bits(sign | ex << 23 | m);
        }
        assert_int_equal(clEnqueueWriteBuffer(e->queue, bin, CL_TRUE, 0, count * sizeof *in, in, 0, NULL, NULL),
                         CL_SUCCESS);
        size_t global = count / 16;
        assert_int_equal(clEnqueueNDRangeKernel(e->queue, k, 1, NULL, &global, NULL, 0, NULL, NULL), CL_SUCCESS);
        sup_read(e, bmine, 0, count * 2, mine);
        sup_read(e, btheirs, 0, count * 2, theirs);
        for (uint32_t i = 0; i < count; i++) {
            uint32_t x = sup_bits(in[i]);
            int nan = (x & 0x7fffffffu) > 0x7f800000u;
            /* NaN payloads are the implementation's; any quiet NaN of the same sign is right */
            if (nan ? (mine[i] & 0x7e00u) != 0x7e00u || ((mine[i] ^ theirs[i]) & 0x8000u)
                    : mine[i] != theirs[i] || mine[i] != ci_f16_bits(in[i]))
                fail_msg("float 0x%08x: ci_f16_of16 0x%04x, vstore_half_rte 0x%04x, ci_f16_bits 0x%04x", x, mine[i],
                         theirs[i], ci_f16_bits(in[i]));
        }
        checked += count;
    }
    assert_int_equal(checked, 2u * 256 * 6 * 8192 + 2u * 13 * (1u << 23));
    clReleaseMemObject(bin);
    clReleaseMemObject(bmine);
    clReleaseMemObject(btheirs);
    clReleaseKernel(k);
    clReleaseProgram(prog);
    free(in);
    free(mine);
    free(theirs);
}

static void test_bf16_conversion_exhaustive(void **state)
{
    (void)state;
    for (uint32_t h = 0; h < 0x10000; h++) {
        if (((h >> 7) & 0xff) == 0xff) continue;
        float f = (float)bf16_exact((uint16_t)h);
        assert_int_equal(ci_bf16_of(f), h);
        if ((h & 0x7fff) == 0x7f7f) continue;
        uint32_t up = h + 1;
        float mid = sup_from_bits((h << 16) | 0x8000u); /* the float halfway to the next bf16 */
        assert_int_equal(ci_bf16_of(mid), (h & 1) ? up : h);
        assert_int_equal(ci_bf16_of(nextafterf(mid, (h & 0x8000) ? -INFINITY : INFINITY)), up);
    }
    assert_int_equal(ci_bf16_of(sup_from_bits(0x7fc00001u)) & 0x7fc0, 0x7fc0); /* NaN stays NaN */
    assert_int_equal(ci_bf16_of(sup_from_bits(0x7f800001u)) & 0x7fc0, 0x7fc0); /* signalling → quiet */
}

typedef struct icase {
    const char *name;
    clinit_init_spec spec;
} icase;

static int make_cases(icase *c)
{
    int n = 0;
#define ADD(label, k) (c[n].name = (label), c[n].spec = clinit_init_spec_default(k), &c[n++].spec)
    clinit_init_spec *s;
    s = ADD("uniform(-2, 3)", CLINIT_INIT_UNIFORM);
    s->a = -2, s->b = 3;
    ADD("uniform(0, 1)", CLINIT_INIT_UNIFORM);
    s = ADD("normal(0.5, 2)", CLINIT_INIT_NORMAL);
    s->mean = 0.5, s->std = 2;
    s = ADD("constant(0.1)", CLINIT_INIT_CONSTANT);
    s->val = 0.1;
    ADD("zeros", CLINIT_INIT_ZEROS);
    ADD("ones", CLINIT_INIT_ONES);
    ADD("xavier_uniform", CLINIT_INIT_XAVIER_UNIFORM);
    ADD("xavier_normal", CLINIT_INIT_XAVIER_NORMAL);
    ADD("kaiming_uniform", CLINIT_INIT_KAIMING_UNIFORM);
    s = ADD("kaiming_normal fan_out relu", CLINIT_INIT_KAIMING_NORMAL);
    s->mode = CLINIT_FAN_OUT, s->nonlinearity = CLINIT_NL_RELU;
    ADD("linear_default_weight", CLINIT_INIT_LINEAR_DEFAULT_WEIGHT);
    s = ADD("linear_default_bias", CLINIT_INIT_LINEAR_DEFAULT_BIAS);
    s->fan_in = 147;
#undef ADD
    return n;
}

static double widen(clinit_dtype dt, uint16_t h) { return dt == CLINIT_F16 ? f16_exact(h) : bf16_exact(h); }

/* Every initializer × dtype: device bytes = reference bytes; each value = rounding of the f32 value of the
 * same element (clamped into [lo_d, hi_d] for the uniform family); inside the range; finite. */
static void test_device_equals_reference_and_rounding(void **state)
{
    sup_env *e = SUP_ENV(state);
    icase cases[16];
    int nc = make_cases(cases);
    const int64_t shape[4] = {37, 29, 3, 3}; /* odd count, 9657 elements */
    for (int d = 0; d < 2; d++)
        for (int c = 0; c < nc; c++) {
            clinit_tensor t = sup_tensor(NULL, 0, 4, shape);
            t.dtype = dtypes16[d];
            size_t n = sup_numel(&t);
            uint16_t *dev = sup_device_fill(e, &t, &cases[c].spec, SEED, STREAM, 6);
            uint16_t *ref = sup_reference_fill(&t, &cases[c].spec, SEED, STREAM);
            clinit_tensor t32 = t;
            t32.dtype = CLINIT_F32;
            float *f32 = sup_reference_fill(&t32, &cases[c].spec, SEED, STREAM);
            sup_dist dist = sup_resolve(&t32, &cases[c].spec);
            float lo_d = ci_dtype_ceil(t.dtype, dist.p0), hi_d = ci_dtype_below(t.dtype, dist.p1);
            for (size_t i = 0; i < n; i++) {
                if (dev[i] != ref[i])
                    fail_msg("%s %s element %zu: device 0x%04x, reference 0x%04x", d ? "bf16" : "f16", cases[c].name, i,
                             dev[i], ref[i]);
                double w = widen(t.dtype, dev[i]);
                if (!isfinite(w)) fail_msg("%s: element %zu is not finite", cases[c].name, i);
                float v = f32[i];
                if (dist.dist == 1 && dist.p0 < dist.p1) {
                    if (!(w >= dist.p0 && w < dist.p1))
                        fail_msg("%s %s element %zu: %.9g outside [%.9g, %.9g)", d ? "bf16" : "f16", cases[c].name, i,
                                 w, (double)dist.p0, (double)dist.p1);
                    v = v < lo_d ? lo_d : v > hi_d ? hi_d : v;
                }
                double want = widen(t.dtype, t.dtype == CLINIT_F16 ? ci_f16_bits(v) : ci_bf16_of(v));
                if (w != want)
                    fail_msg("%s %s element %zu: %.9g is not the rounding %.9g of f32 %.9g", d ? "bf16" : "f16",
                             cases[c].name, i, w, want, (double)f32[i]);
            }
            free(dev);
            free(ref);
            free(f32);
        }
}

/* uniform(0, 1) in f16: the f32 value reaches 1 − 2^-24, which rounds to 1.0 in f16 — clamped to
 * 1 − 2^-11. Among 2^20 values P(u > 1 − 2^-12) = 2^-12, so ~256 land on the clamp (P(none) = e^-256). */
static void test_uniform_never_reaches_b(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){1 << 20});
    for (int d = 0; d < 2; d++) {
        t.dtype = dtypes16[d];
        uint16_t *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
        double top = d == 0 ? 1 - 0x1p-11 : 1 - 0x1p-8;
        size_t at_top = 0;
        for (size_t i = 0; i < (1u << 20); i++) {
            double w = widen(t.dtype, v[i]);
            assert_true(w >= 0 && w < 1);
            at_top += w == top;
        }
        assert_true(at_top > 0);
        free(v);
    }
}

/* bf16 on the device at and beside halfway points, where rounding half up and half to even part: a constant tensor
 * of each f32 value (kernels store it with the dtype's own rounding: the GPU rows' four-value store, the CPU's
 * 16-value one, the tails' scalar one), 1027 elements so that every store of the kernel shape runs. Random values
 * are exact ties once in 2^16, too rarely for the other tests to tell the two roundings apart. */
static void test_bf16_ties_on_device(void **state)
{
    sup_env *e = SUP_ENV(state);
    static const struct {
        uint32_t f32;
        uint16_t bf16;
    } cases[] = {
        {0x3f808000u, 0x3f80}, /* 1 + 2^-8, halfway between 1 and 1 + 2^-7: the even 1 */
        {0x3f818000u, 0x3f82}, /* 1 + 3·2^-8, halfway between 1 + 2^-7 and 1 + 2^-6: the even 1 + 2^-6 */
        {0x3f808001u, 0x3f81}, /* just above a halfway point: up */
        {0x3f817fffu, 0x3f81}, /* just below one: down */
        {0xbf808000u, 0xbf80}, /* the negatives: to even as well */
        {0xbf818000u, 0xbf82}, /* −1 − 3·2^-8: the even −1 − 2^-6 */
        {0x7f7e8000u, 0x7f7e}, /* near the largest values: halfway above an even value */
        {0x7f7d8000u, 0x7f7e}, /* and above an odd one */
        {0x00008000u, 0x0000}, /* subnormal: 2^-134, halfway between 0 and 2^-133 */
        {0x00018000u, 0x0002}, /* 3·2^-134, halfway between 2^-133 and 2^-132 */
    };
    const int64_t shape[1] = {1027};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
        s.val = sup_from_bits(cases[c].f32);
        clinit_tensor t = sup_tensor(NULL, 0, 1, shape);
        t.dtype = CLINIT_BF16;
        uint16_t *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
        for (size_t i = 0; i < (size_t)shape[0]; i++)
            if (v[i] != cases[c].bf16)
                fail_msg("bf16 of f32 0x%08x element %zu: 0x%04x, want 0x%04x", (unsigned)cases[c].f32, i, v[i],
                         cases[c].bf16);
        free(v);
    }
}

static void test_parameters_the_dtype_cannot_honour(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem buf = sup_buffer(e, 4096);
    clinit_tensor t = sup_tensor(buf, 2, 2, (int64_t[]){16, 16});
    t.dtype = CLINIT_F16;
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    s.std = 12000; /* 5.77·12000 > 65504 */
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx), "normal: 5.77 × std = 12000 can overflow f16");
    s.mean = -40000, s.std = 5000;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx), "normal: |mean = -40000| + 5.77 × std = 5000 can overflow f16");
    s.mean = 0;
    s.std = 10000; /* 57700 ≤ 65504: accepted, every value finite */
    uint16_t *v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 256; i++) assert_true(isfinite(f16_exact(v[i])));
    free(v);
    s = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
    s.val = 70000; /* rounds to infinity in f16 */
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    t.dtype = CLINIT_BF16; /* fine in bf16 */
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_SUCCESS);
    s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = 1.0001, s.b = 1.0002; /* no bf16 (nor f16) value in [a, b) */
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(clinit_ctx_message(e->ctx), "no bf16 value"));
    /* Bounds beyond the dtype's finite values are refused, as PyTorch's uniform_ refuses them (they saturated
     * a share of the values at 65504), derived ones too; bf16 holds 1e5. The dtype's largest value is a bound. */
    s.a = 0, s.b = 1e5;
    t.dtype = CLINIT_F16;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx), "uniform: b = 100000 is outside the finite values of f16, "
                                                    "[-65504, 65504]");
    clinit_init_spec x = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    x.gain = 1e6; /* bound 1e6·√(6/32) = 433013 */
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &x, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx), "xavier_uniform: the lower bound -433013 (from gain = 1e+06) is "
                                                    "outside the finite values of f16, [-65504, 65504]");
    t.dtype = CLINIT_BF16;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_SUCCESS);
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &x, 1, 2, 0, NULL, NULL), CLINIT_SUCCESS);
    t.dtype = CLINIT_F16;
    s.a = -65504, s.b = 65504;
    v = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    for (int i = 0; i < 256; i++) assert_true(fabs(f16_exact(v[i])) <= 65504);
    free(v);
    s.a = 0, s.b = 1e4;
    /* 2-byte dtypes need 2-byte aligned offsets, no more. */
    t.offset_bytes = 3;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_ERROR_MISALIGNED_OFFSET);
    t.offset_bytes = 2;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL), CLINIT_SUCCESS);
    clFinish(e->queue);
    clReleaseMemObject(buf);
}

/* Kolmogorov–Smirnov after rounding, 2^20 values. Critical value 2.694/√n at a false-alarm rate of 1e-6
 * (asymptotic Kolmogorov distribution), plus the largest CDF shift rounding can cause: the density times
 * half an ulp, maximized over binades [2^k, 2^(k+1)) (half an ulp there is 2^(k − 8) in bf16, 2^(k − 11)
 * in f16; the density is largest at the binade's lower end). */
static double rounding_shift(int normal, int mant_bits)
{
    double worst = 0;
    for (int k = -40; k < 8; k++) {
        double x = ldexp(1, k);
        double density = normal ? exp(-x * x / 2) / sqrt(2 * 3.14159265358979323846) : (x < 1 ? 0.5 : 0);
        worst = fmax(worst, density * ldexp(1, k - mant_bits - 1));
    }
    return worst;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_distribution_after_rounding(void **state)
{
    sup_env *e = SUP_ENV(state);
    const size_t n = 1u << 20;
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){(int64_t)n});
    double *w = malloc(n * sizeof *w);
    assert_non_null(w);
    for (int d = 0; d < 2; d++)
        for (int normal = 0; normal < 2; normal++) {
            t.dtype = dtypes16[d];
            clinit_init_spec s = clinit_init_spec_default(normal ? CLINIT_INIT_NORMAL : CLINIT_INIT_UNIFORM);
            s.a = -1;
            uint16_t *v = sup_device_fill(e, &t, &s, SEED + (uint64_t)d, STREAM + (uint64_t)normal, 0);
            for (size_t i = 0; i < n; i++) w[i] = widen(t.dtype, v[i]);
            free(v);
            qsort(w, n, sizeof *w, cmp_double);
            double dmax = 0;
            for (size_t i = 0; i < n; i++) {
                double F = normal ? 0.5 * erfc(-w[i] / sqrt(2.0)) : (w[i] + 1) / 2;
                dmax = fmax(dmax, fmax(fabs(F - (double)i / n), fabs((double)(i + 1) / n - F)));
            }
            double quant = rounding_shift(normal, d == 0 ? 10 : 7);
            double crit = 2.694 / sqrt((double)n) + quant;
            if (dmax > crit)
                fail_msg("%s %s: KS D = %.3g > %.3g", d ? "bf16" : "f16", normal ? "normal" : "uniform", dmax, crit);
        }
    free(w);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f16_conversion_exhaustive),   cmocka_unit_test(test_bf16_conversion_exhaustive),
        cmocka_unit_test(test_f16_vector_conversion),       cmocka_unit_test(test_device_equals_reference_and_rounding),
        cmocka_unit_test(test_uniform_never_reaches_b),     cmocka_unit_test(test_parameters_the_dtype_cannot_honour),
        cmocka_unit_test(test_distribution_after_rounding), cmocka_unit_test(test_bf16_ties_on_device),
    };
    return cmocka_run_group_tests_name("dtypes", tests, sup_group_setup, sup_group_teardown);
}
