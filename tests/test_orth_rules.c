/* Each framework's rule for orthogonal and delta_orthogonal (docs/ALGORITHMS.md §4, host/orth_rule.c):
 *  - Keras's flattening (layout io from generation 2 on; column_axis −1 in any generation): a conv kernel
 *    (3, 3, 4, 8) is, bit for bit, the orthogonal fill of the (36, 8) matrix with the same seed and stream, and
 *    orthogonal in Keras's sense (QᵀQ = I on that matrix), where PyTorch's (3, 96) flattening is not;
 *  - generation 1 keeps PyTorch's rule under io: a checkpoint made with it regenerates (a frozen vector), and
 *    the generation-2 rule is the column_axis −1 plan;
 *  - JAX's column_axis, any axis of rank 2–5 tensors, negative ones from the end: the values are those of the
 *    (R, C) matrix's fill with the column axis moved back (jnp.moveaxis), in every dtype, device = reference,
 *    boxes the same region of the whole, in a batch too; delta_orthogonal's column_axis on its (in, out) matrix;
 *  - an axis out of range is refused before anything is enqueued; scratch and expected std follow the rule. */
#include "support.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED UINT64_C(7)
#define STREAM UINT64_C(11)

static clinit_init_spec spec_of(clinit_init_kind kind, double gain, int has_axis, int axis)
{
    clinit_init_spec s = clinit_init_spec_default(kind);
    s.gain = s.scale = gain;
    s.has_column_axis = has_axis;
    s.column_axis = axis;
    return s;
}

static clinit_tensor tensor(int rank, const int64_t *shape, clinit_dtype dtype, clinit_layout layout)
{
    clinit_tensor t = sup_tensor(NULL, 0, rank, shape);
    t.dtype = dtype;
    t.layout = layout;
    return t;
}

static int dtype_count(const sup_env *e) { return sup_has_fp64(e) ? 4 : 3; }

/* The multi-index of row-major element k of shape. */
static void unravel(size_t k, int rank, const int64_t *shape, int64_t *idx)
{
    for (int d = rank - 1; d >= 0; d--) {
        idx[d] = (int64_t)(k % (size_t)shape[d]);
        k /= (size_t)shape[d];
    }
}

/* jnp.moveaxis(M.reshape(others…, C), -1, axis) element by element: element x of the tensor is M[r][x_axis], r
 * the row-major index of x over the other axes. Returns the index of that element in the R × C matrix M. */
static size_t matrix_index(const int64_t *idx, int rank, const int64_t *shape, int axis)
{
    size_t r = 0;
    for (int d = 0; d < rank; d++)
        if (d != axis) r = r * (size_t)shape[d] + (size_t)idx[d];
    return r * (size_t)shape[axis] + (size_t)idx[axis];
}

/* orthogonal(gain, column_axis = axis) of shape in dtype: device = reference, and every element is the
 * orthogonal(gain) fill of the 2-D (R, C) tensor (C = shape[axis]) at its matrix position. */
static void check_column_axis(sup_env *e, int rank, const int64_t *shape, int axis, clinit_dtype dtype,
                              clinit_layout layout)
{
    int a = axis < 0 ? axis + rank : axis;
    clinit_tensor t = tensor(rank, shape, dtype, layout);
    clinit_init_spec s = spec_of(CLINIT_INIT_ORTHOGONAL, 1.5, 1, axis);
    size_t n = sup_numel(&t), es = clinit_dtype_size(dtype);
    unsigned char *dev = sup_device_fill(e, &t, &s, SEED, STREAM, 3 * es);
    unsigned char *ref = sup_reference_fill(&t, &s, SEED, STREAM);
    assert_memory_equal(dev, ref, n * es);
    int64_t C = shape[a], R = (int64_t)n / C;
    clinit_tensor tm = tensor(2, (int64_t[]){R, C}, dtype, CLINIT_LAYOUT_OI);
    clinit_init_spec sm = spec_of(CLINIT_INIT_ORTHOGONAL, 1.5, 0, 0);
    unsigned char *m = sup_reference_fill(&tm, &sm, SEED, STREAM);
    int64_t idx[CLINIT_MAX_RANK];
    for (size_t k = 0; k < n; k++) {
        unravel(k, rank, shape, idx);
        size_t mk = matrix_index(idx, rank, shape, a);
        if (memcmp(dev + k * es, m + mk * es, es) != 0)
            fail_msg("rank %d axis %d dtype %d: element %zu is %a, the (%lld, %lld) matrix's element %zu %a", rank,
                     axis, (int)dtype, k, sup_value(dev, dtype, k), (long long)R, (long long)C, mk,
                     sup_value(m, dtype, mk));
    }
    free(dev);
    free(ref);
    free(m);
}

static void check_box(sup_env *e, const clinit_tensor *full, const clinit_init_spec *s, const int64_t *start,
                      const int64_t *extent)
{
    sup_check_box(e, full, s, SEED, STREAM, start, extent);
}

/* ------------------------------------------------------------------------------------------------------ */

/* Keras's Orthogonal flattens a (3, 3, 4, 8) conv kernel to (3·3·4, 8) = (36, 8): its 8 columns are orthonormal.
 * column_axis −1 (JAX's default, the same matrix) gives exactly the orthogonal fill of a (36, 8) tensor, in every
 * dtype, under either layout. QᵀQ: docs/ALGORITHMS.md measures max |QᵀQ − I| ≈ 1.7e-8 and the row-sum norm
 * ≈ 6e-7 at 256 × 256 after the correction step (the floor of f32 rounding, lower for smaller matrices); 1e-6
 * bounds both at 36 × 8 with a margin above 10. PyTorch's flattening of the same tensor, (3, 96), read as
 * (36, 8) is far from orthogonal (its Gram error is of order 1): the gap the rule closes. */
static void test_keras_flattening(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t kernel[4] = {3, 3, 4, 8};
    for (int d = 0; d < dtype_count(e); d++) {
        check_column_axis(e, 4, kernel, -1, (clinit_dtype)d, CLINIT_LAYOUT_IO);
        check_column_axis(e, 4, kernel, 3, (clinit_dtype)d, CLINIT_LAYOUT_OI);
    }
    clinit_tensor t = tensor(4, kernel, CLINIT_F32, CLINIT_LAYOUT_IO);
    clinit_init_spec keras = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 1, -1);
    clinit_init_spec pytorch = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 0, 0);
    pytorch.generation = 1;
    float *q = sup_device_fill(e, &t, &keras, SEED, STREAM, 0);
    float *p = sup_device_fill(e, &t, &pytorch, SEED, STREAM, 0);
    double max_abs, row_sum;
    sup_gram_error(q, CLINIT_F32, 36, 8, 1, &max_abs, &row_sum);
    print_message("Keras (36, 8): max |QtQ - I| = %.3g, row-sum norm = %.3g\n", max_abs, row_sum);
    assert_true(max_abs <= 1e-6 && row_sum <= 1e-6);
    sup_gram_error(p, CLINIT_F32, 36, 8, 1, &max_abs, &row_sum);
    print_message("PyTorch's (3, 96) read as (36, 8): max |QtQ - I| = %.3g\n", max_abs);
    assert_true(max_abs > 0.1);
    sup_gram_error(p, CLINIT_F32, 3, 96, 1, &max_abs, &row_sum); /* orthogonal in PyTorch's sense */
    assert_true(max_abs <= 1e-6);
    free(q);
    free(p);
}

/* Bits are a promise: under generation 1, io orthogonal flattens as PyTorch does (what `--layout io` wrote
 * before the frameworks' rules), bit for bit the oi fill of the same shape; these values were written by the
 * library before the rule existed (the CLI of that commit: clinit sample orthogonal --shape 3,3,4,8 --layout io
 * --seed 7 --stream 11). The newest generation follows Keras from generation 2 on: the column_axis −1 fill, and
 * the plan it makes, (36, 8) in the tensor's own order; generation 1's is the oi plan, (3, 96). Rank 2 is the
 * same matrix in every generation. */
static void test_generation_gate(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t kernel[4] = {3, 3, 4, 8};
    clinit_tensor io = tensor(4, kernel, CLINIT_F32, CLINIT_LAYOUT_IO),
                  oi = tensor(4, kernel, CLINIT_F32, CLINIT_LAYOUT_OI);
    clinit_init_spec gen1 = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 0, 0), newest = gen1,
                     keras = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 1, -1);
    gen1.generation = 1;
    float *v1 = sup_device_fill(e, &io, &gen1, SEED, STREAM, 0);
    float *voi = sup_device_fill(e, &oi, &gen1, SEED, STREAM, 0);
    assert_memory_equal(v1, voi, 288 * sizeof(float));
    static const struct {
        size_t i;
        uint32_t bits;
    } frozen[] = {{0, 0xbcb2d800},  {1, 0x3da8cccd},   {95, 0xbdbf21ca},
                  {96, 0x3e1bdadd}, {200, 0x3db4f165}, {287, 0xbd73635b}};
    for (size_t k = 0; k < sizeof frozen / sizeof frozen[0]; k++)
        if (sup_bits(v1[frozen[k].i]) != frozen[k].bits)
            fail_msg("generation 1 io element %zu: 0x%08x, was 0x%08x", frozen[k].i, sup_bits(v1[frozen[k].i]),
                     frozen[k].bits);
    float *v0 = sup_device_fill(e, &io, &newest, SEED, STREAM, 0);
    float *vk = sup_device_fill(e, &io, &keras, SEED, STREAM, 0);
    assert_memory_equal(v0, CLINIT_GENERATION_VERSION >= CLINIT_GENERATION_KERAS_IO ? vk : v1, 288 * sizeof(float));
    /* column_axis is JAX's rule in every generation (no checkpoint before it used one): under generation 1 too, the
     * (36, 8) matrix's fill, with generation 1's normals */
    keras.generation = 1;
    float *vk1 = sup_device_fill(e, &io, &keras, SEED, STREAM, 0);
    clinit_tensor flat = tensor(2, (int64_t[]){36, 8}, CLINIT_F32, CLINIT_LAYOUT_OI);
    float *vf1 = sup_device_fill(e, &flat, &gen1, SEED, STREAM, 0);
    assert_memory_equal(vk1, vf1, 288 * sizeof(float));
    free(vf1);

    ci_orth_plan p2, pk, p1, po;
    clinit_init_spec gen2 = gen1;
    gen2.generation = CLINIT_GENERATION_KERAS_IO;
    ci_orth_plan_of(&io, &gen2, &p2);
    ci_orth_plan_of(&io, &keras, &pk);
    assert_true(p2.R == 36 && p2.C == 8 && p2.m == 36 && p2.n == 8 && !p2.permuted);
    assert_memory_equal(&p2, &pk, sizeof p2);
    ci_orth_plan_of(&io, &gen1, &p1);
    ci_orth_plan_of(&oi, &newest, &po);
    assert_true(p1.R == 3 && p1.C == 96 && !p1.permuted);
    assert_memory_equal(&p1, &po, sizeof p1);
    clinit_tensor dense = tensor(2, (int64_t[]){20, 10}, CLINIT_F32, CLINIT_LAYOUT_IO);
    ci_orth_plan_of(&dense, &gen1, &p1);
    ci_orth_plan_of(&dense, &gen2, &p2);
    assert_memory_equal(&p1, &p2, sizeof p1);
    assert_true(p1.R == 20 && p1.C == 10);
    free(v1);
    free(voi);
    free(v0);
    free(vk);
    free(vk1);
}

/* JAX's column_axis on every axis of several shapes, negative ones from the end, including axes of extent 1 and a
 * single column; rank 2 with axis 0 is the transpose of the (cols, rows) fill, with axis 1 (−1) PyTorch's fill. */
static void test_column_axis(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t s3[3] = {3, 4, 5}, s2[2] = {6, 10}, s5[5] = {2, 3, 1, 4, 5}, s1c[3] = {4, 1, 6};
    for (int axis = -3; axis < 3; axis++) check_column_axis(e, 3, s3, axis, CLINIT_F32, CLINIT_LAYOUT_OI);
    for (int axis = -2; axis < 2; axis++) check_column_axis(e, 2, s2, axis, CLINIT_F32, CLINIT_LAYOUT_IO);
    for (int axis = 0; axis < 5; axis++) check_column_axis(e, 5, s5, axis, CLINIT_F32, CLINIT_LAYOUT_OI);
    check_column_axis(e, 3, s1c, 1, CLINIT_F32, CLINIT_LAYOUT_OI);
    for (int d = 1; d < dtype_count(e); d++) {
        check_column_axis(e, 3, s3, 1, (clinit_dtype)d, CLINIT_LAYOUT_OI);
        check_column_axis(e, 5, s5, -4, (clinit_dtype)d, CLINIT_LAYOUT_IO);
    }
    /* Rank 2, axis 1: the same matrix as PyTorch's rule. */
    clinit_tensor t = tensor(2, s2, CLINIT_F32, CLINIT_LAYOUT_OI);
    clinit_init_spec a1 = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 1, 1), none = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 0, 0);
    float *x = sup_reference_fill(&t, &a1, SEED, STREAM), *y = sup_reference_fill(&t, &none, SEED, STREAM);
    assert_memory_equal(x, y, 60 * sizeof(float));
    free(x);
    free(y);
    /* Boxes of a permuted view, orthogonal and delta_orthogonal. */
    clinit_init_spec mid = spec_of(CLINIT_INIT_ORTHOGONAL, 0.5, 1, 1);
    clinit_tensor b = tensor(3, (int64_t[]){6, 5, 7}, CLINIT_F32, CLINIT_LAYOUT_OI);
    check_box(e, &b, &mid, (int64_t[]){1, 2, 3}, (int64_t[]){4, 3, 3});
    check_box(e, &b, &mid, (int64_t[]){5, 0, 0}, (int64_t[]){1, 5, 7});
    check_box(e, &b, &mid, (int64_t[]){0, 4, 6}, (int64_t[]){6, 1, 1});
    b.dtype = CLINIT_BF16;
    check_box(e, &b, &mid, (int64_t[]){2, 1, 0}, (int64_t[]){3, 4, 7});
    clinit_init_spec din = spec_of(CLINIT_INIT_DELTA_ORTHOGONAL, 1.25, 1, 0);
    clinit_tensor k = tensor(4, (int64_t[]){3, 3, 4, 8}, CLINIT_F32, CLINIT_LAYOUT_IO);
    check_box(e, &k, &din, (int64_t[]){1, 0, 1, 2}, (int64_t[]){2, 3, 3, 5});
}

/* delta_orthogonal's column_axis is an axis of its (in, out) matrix (JAX passes it to orthogonal of
 * shape[-2:]): −1 and 1 (JAX's default) are exactly the bits without it; 0 and −2 put at the centre tap
 * W[i][o] = Q'[o][i], Q' the orthogonal(scale) fill of an (out, in) tensor with the same seed and stream, whose
 * columns are orthonormal, so W's rows are, as with the default. Zeros elsewhere; device = reference. */
static void check_delta_axis(sup_env *e, int rank, const int64_t *shape, clinit_layout layout, clinit_dtype dtype)
{
    int oi = layout == CLINIT_LAYOUT_OI;
    int64_t in = shape[oi ? 1 : rank - 2], out = shape[oi ? 0 : rank - 1];
    clinit_tensor t = tensor(rank, shape, dtype, layout);
    size_t n = sup_numel(&t), es = clinit_dtype_size(dtype);
    clinit_init_spec plain = spec_of(CLINIT_INIT_DELTA_ORTHOGONAL, 1.5, 0, 0);
    unsigned char *base = sup_device_fill(e, &t, &plain, SEED, STREAM, 0);
    for (int axis = -2; axis < 2; axis++) {
        clinit_init_spec s = spec_of(CLINIT_INIT_DELTA_ORTHOGONAL, 1.5, 1, axis);
        unsigned char *dev = sup_device_fill(e, &t, &s, SEED, STREAM, es);
        unsigned char *ref = sup_reference_fill(&t, &s, SEED, STREAM);
        assert_memory_equal(dev, ref, n * es);
        if (axis == -1 || axis == 1) {
            assert_memory_equal(dev, base, n * es);
        } else {
            clinit_tensor tq = tensor(2, (int64_t[]){out, in}, dtype, CLINIT_LAYOUT_OI);
            clinit_init_spec sq = spec_of(CLINIT_INIT_ORTHOGONAL, 1.5, 0, 0);
            unsigned char *q = sup_reference_fill(&tq, &sq, SEED, STREAM);
            double max_abs = 0, row_sum;
            if (dtype == CLINIT_F32 || dtype == CLINIT_F64) /* 16-bit roundings: test_orthogonal's bounds */
                sup_gram_error(q, dtype, (size_t)out, (size_t)in, 1.5, &max_abs, &row_sum);
            assert_true(max_abs <= (dtype == CLINIT_F64 ? 1e-14 : 1e-6));
            int64_t idx[CLINIT_MAX_RANK];
            size_t hits = 0;
            for (size_t k = 0; k < n; k++) {
                unravel(k, rank, shape, idx);
                int centre = 1;
                for (int d = oi ? 2 : 0; d < (oi ? rank : rank - 2); d++) centre &= idx[d] == (shape[d] - 1) / 2;
                int64_t i = idx[oi ? 1 : rank - 2], o = idx[oi ? 0 : rank - 1];
                const unsigned char *want = centre ? q + (size_t)(o * in + i) * es : (const unsigned char[8]){0};
                if (memcmp(dev + k * es, want, es) != 0)
                    fail_msg("delta column_axis %d: element %zu (centre %d) is %a", axis, k, centre,
                             sup_value(dev, dtype, k));
                hits += (size_t)centre;
            }
            assert_int_equal(hits, (size_t)(in * out));
            free(q);
        }
        free(dev);
        free(ref);
    }
    free(base);
}

static void test_delta_column_axis(void **state)
{
    sup_env *e = SUP_ENV(state);
    check_delta_axis(e, 4, (int64_t[]){3, 3, 4, 8}, CLINIT_LAYOUT_IO, CLINIT_F32);
    check_delta_axis(e, 4, (int64_t[]){8, 4, 3, 3}, CLINIT_LAYOUT_OI, CLINIT_F32);
    check_delta_axis(e, 3, (int64_t[]){4, 5, 5}, CLINIT_LAYOUT_IO, CLINIT_F16);
    check_delta_axis(e, 5, (int64_t[]){6, 2, 2, 3, 2}, CLINIT_LAYOUT_OI, CLINIT_BF16);
    if (sup_has_fp64(e)) check_delta_axis(e, 4, (int64_t[]){3, 3, 4, 8}, CLINIT_LAYOUT_IO, CLINIT_F64);
}

/* A batch computes a permuted item as clinit_fill does (it shares the scratch of orthogonal items). */
static void test_batch(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_batch_item items[3];
    memset(items, 0, sizeof items);
    items[0].tensor = tensor(3, (int64_t[]){3, 4, 5}, CLINIT_F32, CLINIT_LAYOUT_OI);
    items[0].spec = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 1, 1);
    items[1].tensor = tensor(4, (int64_t[]){3, 3, 4, 8}, CLINIT_F32, CLINIT_LAYOUT_IO);
    items[1].spec = spec_of(CLINIT_INIT_DELTA_ORTHOGONAL, 1, 1, -2);
    items[2].tensor = tensor(4, (int64_t[]){3, 3, 4, 8}, CLINIT_F32, CLINIT_LAYOUT_IO);
    items[2].spec = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 1, 0);
    size_t offset[3], total = 0;
    for (int i = 0; i < 3; i++) {
        offset[i] = total;
        total += sup_numel(&items[i].tensor) * sizeof(float);
        items[i].stream = STREAM + (uint64_t)i;
    }
    cl_mem buf = sup_buffer(e, total);
    for (int i = 0; i < 3; i++) {
        items[i].tensor.buffer = buf;
        items[i].tensor.offset_bytes = offset[i];
    }
    SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, items, 3, SEED, 0, NULL, NULL));
    unsigned char *host = malloc(total);
    assert_non_null(host);
    sup_read(e, buf, 0, total, host);
    for (int i = 0; i < 3; i++) {
        void *ref = sup_reference_fill(&items[i].tensor, &items[i].spec, SEED, items[i].stream);
        assert_memory_equal(host + offset[i], ref, sup_numel(&items[i].tensor) * sizeof(float));
        free(ref);
    }
    free(host);
    clReleaseMemObject(buf);
}

/* An axis outside the tensor's (orthogonal) or the (in, out) matrix's (delta_orthogonal) is INVALID_PARAMETER,
 * with the message, before anything is enqueued: the buffer keeps every byte; an empty tensor's too. */
static void expect_refused(sup_env *e, int rank, const int64_t *shape, clinit_layout layout, const clinit_init_spec *s,
                           const char *want)
{
    clinit_tensor t = tensor(rank, shape, CLINIT_F32, layout);
    char msg[256];
    assert_int_equal(clinit_validate(&t, s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, want);
    cl_mem buf = sup_buffer(e, 4096);
    sup_fill_pattern(e, buf, 4096, SUP_SENTINEL);
    t.buffer = buf;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, s, SEED, STREAM, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx), want);
    unsigned char host[4096];
    sup_read(e, buf, 0, sizeof host, host);
    sup_assert_pattern(host, 0, sizeof host, SUP_SENTINEL);
    clReleaseMemObject(buf);
}

static void test_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t s3[3] = {3, 4, 5}, empty[3] = {3, 0, 5}, k4[4] = {3, 3, 4, 8};
    clinit_init_spec o3 = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 1, 3), om4 = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 1, -4);
    expect_refused(e, 3, s3, CLINIT_LAYOUT_OI, &o3,
                   "orthogonal: column_axis = 3 is not an axis of a rank-3 tensor (in [-3, 3))");
    expect_refused(e, 3, s3, CLINIT_LAYOUT_IO, &om4,
                   "orthogonal: column_axis = -4 is not an axis of a rank-3 tensor (in [-3, 3))");
    expect_refused(e, 3, empty, CLINIT_LAYOUT_OI, &o3,
                   "orthogonal: column_axis = 3 is not an axis of a rank-3 tensor (in [-3, 3))");
    clinit_init_spec d2 = spec_of(CLINIT_INIT_DELTA_ORTHOGONAL, 1, 1, 2),
                     dm3 = spec_of(CLINIT_INIT_DELTA_ORTHOGONAL, 1, 1, -3);
    expect_refused(e, 4, k4, CLINIT_LAYOUT_IO, &d2,
                   "delta_orthogonal: column_axis = 2 is not an axis of its (in, out) matrix (in [-2, 2))");
    expect_refused(e, 4, k4, CLINIT_LAYOUT_OI, &dm3,
                   "delta_orthogonal: column_axis = -3 is not an axis of its (in, out) matrix (in [-2, 2))");
    /* Without has_column_axis the field is not read (zero-initialized specs stay the layout's rule). */
    clinit_init_spec unset = spec_of(CLINIT_INIT_ORTHOGONAL, 1, 0, 99);
    clinit_tensor t = tensor(3, s3, CLINIT_F32, CLINIT_LAYOUT_OI);
    assert_int_equal(clinit_validate(&t, &unset, NULL, 0), CLINIT_SUCCESS);
}

/* The expected std (1/√m) and the scratch (the m × n matrix) follow the rule: (3, 3, 4, 8) is (3, 96) under
 * PyTorch's rule, m = 96, n = 3; (36, 8) under Keras's, m = 36, n = 8. f32 scratch (mn + n)·4, n²·4, mn·4. */
static void test_resolve_and_scratch(void **state)
{
    (void)state;
    clinit_tensor t = tensor(4, (int64_t[]){3, 3, 4, 8}, CLINIT_F32, CLINIT_LAYOUT_IO);
    clinit_init_spec pytorch = spec_of(CLINIT_INIT_ORTHOGONAL, 2, 0, 0);
    clinit_init_spec keras = spec_of(CLINIT_INIT_ORTHOGONAL, 2, 1, -1);
    pytorch.generation = 1;
    clinit_distribution d;
    assert_int_equal(clinit_init_resolve(&pytorch, &t, &d), CLINIT_SUCCESS);
    assert_true(d.expected_std == 2 / sqrt(96.0));
    assert_int_equal(clinit_init_resolve(&keras, &t, &d), CLINIT_SUCCESS);
    assert_true(d.expected_std == 2 / sqrt(36.0));
    uint64_t largest, total;
    assert_int_equal(clinit_scratch_bytes(&t, &pytorch, &largest, &total), CLINIT_SUCCESS);
    assert_true(largest == (288 + 3) * 4 && total == (288 + 3) * 4 + 9 * 4 + 288 * 4);
    assert_int_equal(clinit_scratch_bytes(&t, &keras, &largest, &total), CLINIT_SUCCESS);
    assert_true(largest == (288 + 8) * 4 && total == (288 + 8) * 4 + 64 * 4 + 288 * 4);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keras_flattening),
        cmocka_unit_test(test_generation_gate),
        cmocka_unit_test(test_column_axis),
        cmocka_unit_test(test_delta_column_axis),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_resolve_and_scratch),
    };
    return cmocka_run_group_tests_name("orthogonal rules", tests, sup_group_setup, sup_group_teardown);
}
