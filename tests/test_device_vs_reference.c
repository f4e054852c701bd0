/* Device fills against the host reference (clinit_reference_fill), for every initializer on shapes with odd
 * element counts; independence of the values from the work-group size, the byte offset and the box split;
 * guard bands around every fill. Constant and uniform values must be bit-identical; normal values within
 * the tolerance of docs/ALGORITHMS.md §4 (sup_normal_tol). */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t SEED = UINT64_C(0x0123456789ABCDEF);
static const uint64_t STREAM = UINT64_C(0xFEDCBA9876543210);

typedef struct named_spec {
    const char *what;
    clinit_init_spec spec;
} named_spec;

static int nspecs;
static named_spec specs[16];

static void add_spec(const char *what, clinit_init_spec s)
{
    specs[nspecs].what = what;
    specs[nspecs].spec = s;
    nspecs++;
}

static void make_specs(void)
{
    clinit_init_spec s;
    s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = -2;
    s.b = 3;
    add_spec("uniform(-2, 3)", s);
    s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    s.mean = 0.5;
    s.std = 2;
    add_spec("normal(0.5, 2)", s);
    s = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
    s.val = 0.1;
    add_spec("constant(0.1)", s);
    add_spec("zeros", clinit_init_spec_default(CLINIT_INIT_ZEROS));
    add_spec("ones", clinit_init_spec_default(CLINIT_INIT_ONES));
    add_spec("xavier_uniform", clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM));
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_NORMAL);
    s.gain = sqrt(2.0);
    add_spec("xavier_normal(gain √2)", s);
    add_spec("kaiming_uniform", clinit_init_spec_default(CLINIT_INIT_KAIMING_UNIFORM));
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    s.mode = CLINIT_FAN_OUT;
    s.nonlinearity = CLINIT_NL_RELU;
    add_spec("kaiming_normal(fan_out, relu)", s);
    add_spec("linear_default_weight", clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_WEIGHT));
    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_BIAS);
    s.fan_in = 20;
    add_spec("linear_default_bias(fan_in 20)", s);
}

static int needs_fans(clinit_init_kind k)
{
    return k == CLINIT_INIT_XAVIER_UNIFORM || k == CLINIT_INIT_XAVIER_NORMAL || k == CLINIT_INIT_KAIMING_UNIFORM ||
           k == CLINIT_INIT_KAIMING_NORMAL || k == CLINIT_INIT_LINEAR_DEFAULT_WEIGHT;
}

typedef struct shape_case {
    int rank;
    int64_t shape[4];
} shape_case;

static const shape_case shapes[] = {
    {0, {0}}, {1, {7}}, {2, {1, 1}}, {2, {1, 3}}, {2, {11, 5}}, {4, {3, 5, 7, 2}}, {1, {1000003}}, {2, {1, 1000003}},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* Device fill of (t, spec) compared with the reference; returns the device values. */
static float *check_one(const sup_env *e, const clinit_tensor *t, const clinit_init_spec *spec, uint64_t seed,
                        uint64_t stream, size_t offset, const char *what)
{
    size_t n = sup_numel(t);
    float *dev = sup_device_fill(e, t, spec, seed, stream, offset);
    float *ref = sup_reference_fill(t, spec, seed, stream);
    sup_compare(dev, ref, n, what);
    free(ref);
    return dev;
}

static void test_every_initializer_every_shape(void **state)
{
    sup_env *e = SUP_ENV(state);
    const uint64_t seeds[2][2] = {{SEED, STREAM}, {0, 0}};
    for (int si = 0; si < nspecs; si++)
        for (size_t k = 0; k < NSHAPES; k++) {
            if (needs_fans(specs[si].spec.kind) && shapes[k].rank < 2) continue;
            for (int z = 0; z < 2; z++) {
                int64_t n = 1;
                for (int d = 0; d < shapes[k].rank; d++) n *= shapes[k].shape[d];
                if (z == 1 && n > 100000) continue; /* the second seed only on the small shapes */
                clinit_tensor t = sup_tensor(NULL, 0, shapes[k].rank, shapes[k].shape);
                free(check_one(e, &t, &specs[si].spec, seeds[z][0], seeds[z][1], 0, specs[si].what));
            }
        }
}

static void test_constant_values_exact(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* Formula check independent of the reference: constant = (float)val, zeros = +0.0 bits, ones = 1.0f. */
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){11, 5});
    for (int si = 2; si <= 4; si++) {
        float *dev = sup_device_fill(e, &t, &specs[si].spec, SEED, STREAM, 0);
        float want = si == 2 ? (float)0.1 : si == 3 ? 0.0f : 1.0f;
        for (int i = 0; i < 55; i++) assert_int_equal(sup_bits(dev[i]), sup_bits(want));
        free(dev);
    }
}

static void test_seed_and_stream_matter(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){16, 16});
    const clinit_init_spec *u = &specs[0].spec;
    float *a = sup_device_fill(e, &t, u, SEED, STREAM, 0);
    float *b = sup_device_fill(e, &t, u, SEED ^ (UINT64_C(1) << 63), STREAM, 0); /* seed high word only */
    float *c = sup_device_fill(e, &t, u, SEED, STREAM ^ (UINT64_C(1) << 63), 0); /* stream high word only */
    float *d = sup_device_fill(e, &t, u, SEED, STREAM, 0);
    int same_ab = 0, same_ac = 0;
    for (int i = 0; i < 256; i++) {
        same_ab += a[i] == b[i];
        same_ac += a[i] == c[i];
        assert_int_equal(sup_bits(a[i]), sup_bits(d[i])); /* deterministic */
    }
    /* Two independent uniform floats coincide with probability ~2^-23 each: 0 expected of 256. */
    assert_true(same_ab <= 1);
    assert_true(same_ac <= 1);
    free(a);
    free(b);
    free(c);
    free(d);
}

static int reset_local(void **state)
{
    clinit_ctx_set_local_size(SUP_ENV(state)->ctx, 0);
    return 0;
}

static void test_local_sizes(void **state)
{
    sup_env *e = SUP_ENV(state);
    const size_t locals[] = {1, 4, 7, 16, 64, 100, 256, 1024, 4096};
    size_t max_wg = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_wg, &max_wg, NULL),
                     CL_SUCCESS);
    clinit_tensor ts[3];
    ts[0] = sup_tensor(NULL, 0, 2, (int64_t[]){11, 5});
    ts[1] = sup_tensor(NULL, 0, 1, (int64_t[]){1000003});
    ts[2] = sup_tensor(NULL, 0, 2, (int64_t[]){70, 33});
    sup_set_box(&ts[2], (int64_t[]){5, 3}, (int64_t[]){60, 17});
    const int which[2] = {0, 1}; /* uniform and normal */
    for (int ti = 0; ti < 3; ti++)
        for (int wi = 0; wi < 2; wi++) {
            const clinit_init_spec *s = &specs[which[wi]].spec;
            SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, 0));
            size_t n = sup_numel(&ts[ti]);
            float *base = check_one(e, &ts[ti], s, SEED, STREAM, 0, specs[which[wi]].what);
            int tried = 0;
            for (size_t li = 0; li < sizeof locals / sizeof locals[0]; li++) {
                if (locals[li] > max_wg) continue;
                SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, locals[li]));
                float *v = sup_device_fill(e, &ts[ti], s, SEED, STREAM, 0);
                if (memcmp(v, base, n * sizeof(float)) != 0)
                    fail_msg("local size %zu changes the values of %s", locals[li], specs[which[wi]].what);
                free(v);
                tried++;
            }
            assert_true(tried >= 6);
            free(base);
        }
    SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, 0));
}

static void test_byte_offsets(void **state)
{
    sup_env *e = SUP_ENV(state);
    const size_t offsets[] = {4, 12, 4096 + 4, 1 << 20};
    const shape_case sc[] = {{2, {11, 5}}, {2, {257, 3}}, {0, {0}}};
    for (size_t k = 0; k < 3; k++)
        for (int si = 0; si < nspecs; si++) {
            if (needs_fans(specs[si].spec.kind) && sc[k].rank < 2) continue;
            clinit_tensor t = sup_tensor(NULL, 0, sc[k].rank, sc[k].shape);
            size_t n = sup_numel(&t);
            float *base = sup_device_fill(e, &t, &specs[si].spec, SEED, STREAM, 0);
            for (size_t oi = 0; oi < sizeof offsets / sizeof offsets[0]; oi++) {
                float *v = sup_device_fill(e, &t, &specs[si].spec, SEED, STREAM, offsets[oi]);
                if (memcmp(v, base, n * sizeof(float)) != 0)
                    fail_msg("offset %zu changes the values of %s", offsets[oi], specs[si].what);
                free(v);
            }
            free(base);
        }
}

/* Fills every box of the grid given by split points per dimension (cuts[d] = 0 = c0 < c1 < … = shape[d])
 * into one sentinel-filled buffer, box after box with a 4-byte gap between boxes, and asserts that the boxes
 * assembled equal the whole fill bit for bit, that each box equals the reference, and that the gaps and the
 * tail are untouched. */
static void check_split(const sup_env *e, int rank, const int64_t *shape, const int64_t cuts[][8], const int ncuts[],
                        const clinit_init_spec *spec, const char *what)
{
    clinit_tensor whole = sup_tensor(NULL, 0, rank, shape);
    size_t n = sup_numel(&whole);
    float *all = sup_device_fill(e, &whole, spec, SEED, STREAM, 0);
    float *assembled = malloc(n * sizeof(float));
    unsigned char *written = calloc(n, 1);
    assert_non_null(assembled);
    assert_non_null(written);
    /* Enumerate boxes: idx[d] in 0..ncuts[d]-2. */
    int nbox = 1;
    for (int d = 0; d < rank; d++) nbox *= ncuts[d] - 1;
    size_t total = 0;
    clinit_tensor *boxes = calloc((size_t)nbox, sizeof *boxes);
    size_t *offs = calloc((size_t)nbox, sizeof *offs);
    for (int b = 0; b < nbox; b++) {
        int rem = b;
        int64_t start[8], ext[8];
        for (int d = rank - 1; d >= 0; d--) {
            int i = rem % (ncuts[d] - 1);
            rem /= ncuts[d] - 1;
            start[d] = cuts[d][i];
            ext[d] = cuts[d][i + 1] - cuts[d][i];
        }
        boxes[b] = whole;
        sup_set_box(&boxes[b], start, ext);
        offs[b] = total;
        total += sup_numel(&boxes[b]) * sizeof(float) + 4;
    }
    total += SUP_GUARD;
    cl_mem buf = sup_buffer(e, total);
    sup_fill_pattern(e, buf, total, SUP_SENTINEL);
    for (int b = 0; b < nbox; b++) {
        boxes[b].buffer = buf;
        boxes[b].offset_bytes = offs[b];
        SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &boxes[b], spec, SEED, STREAM, 0, NULL, NULL));
    }
    unsigned char *host = malloc(total);
    assert_non_null(host);
    sup_read(e, buf, 0, total, host);
    clReleaseMemObject(buf);
    for (int b = 0; b < nbox; b++) {
        size_t m = sup_numel(&boxes[b]);
        const float *bv = (const float *)(host + offs[b]);
        sup_assert_pattern(host, offs[b] + m * sizeof(float), offs[b] + m * sizeof(float) + 4, SUP_SENTINEL);
        float *ref = sup_reference_fill(&boxes[b], spec, SEED, STREAM);
        sup_compare(bv, ref, m, what);
        free(ref);
        /* Scatter into the whole tensor's row-major positions. */
        for (size_t j = 0; j < m; j++) {
            size_t rem = j, lin = 0, stride = 1;
            int64_t idx[8];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = boxes[b].box_start[d] + (int64_t)(rem % (size_t)boxes[b].box_extent[d]);
                rem /= (size_t)boxes[b].box_extent[d];
            }
            for (int d = rank - 1; d >= 0; d--) {
                lin += (size_t)idx[d] * stride;
                stride *= (size_t)shape[d];
            }
            assert_false(written[lin]);
            written[lin] = 1;
            memcpy(&assembled[lin], &bv[j], sizeof(float));
        }
    }
    sup_assert_pattern(host, total - SUP_GUARD, total, SUP_SENTINEL);
    for (size_t i = 0; i < n; i++) assert_true(written[i]);
    if (memcmp(assembled, all, n * sizeof(float)) != 0)
        fail_msg("%s: assembled boxes differ from the whole fill", what);
    free(host);
    free(boxes);
    free(offs);
    free(written);
    free(assembled);
    free(all);
}

static void test_box_splits(void **state)
{
    sup_env *e = SUP_ENV(state);
    const int64_t s2[2] = {96, 50};
    const int64_t rows[][8] = {{0, 40, 96}, {0, 50}};
    const int nrows[] = {3, 2};
    const int64_t cols[][8] = {{0, 96}, {0, 17, 50}};
    const int ncols[] = {2, 3};
    const int64_t uneven[][8] = {{0, 1, 30, 95, 96}, {0, 3, 49, 50}};
    const int nuneven[] = {5, 4};
    const int64_t single[][8] = {{0, 57, 58, 96}, {0, 31, 32, 50}}; /* includes a box of one element */
    const int nsingle[] = {4, 4};
    const int64_t s3[3] = {4, 6, 10};
    const int64_t cube[][8] = {{0, 1, 4}, {0, 2, 6}, {0, 3, 10}};
    const int ncube[] = {3, 3, 3};
    const int64_t s8[8] = {2, 2, 2, 2, 2, 2, 2, 5};
    const int64_t r8[][8] = {{0, 1, 2}, {0, 2}, {0, 1, 2}, {0, 2}, {0, 1, 2}, {0, 2}, {0, 1, 2}, {0, 2, 3, 5}};
    const int nr8[] = {3, 2, 3, 2, 3, 2, 3, 4};
    const int which[] = {0, 1, 7, 8}; /* uniform, normal, kaiming_uniform, kaiming_normal */
    for (int w = 0; w < 4; w++) {
        const named_spec *s = &specs[which[w]];
        check_split(e, 2, s2, rows, nrows, &s->spec, s->what);
        check_split(e, 2, s2, cols, ncols, &s->spec, s->what);
        check_split(e, 2, s2, uneven, nuneven, &s->spec, s->what);
        check_split(e, 2, s2, single, nsingle, &s->spec, s->what);
        check_split(e, 3, s3, cube, ncube, &s->spec, s->what);
        check_split(e, 8, s8, r8, nr8, &s->spec, s->what);
    }
}

static void test_box_fans_from_logical_shape(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* kaiming_uniform on a (80, 5) box of a (96, 50) weight: the bound is the whole tensor's, fan_in 50,
     * B = √3·√2/√50 ≈ 0.346. Fans taken from the box (fan_in 5) would give B ≈ 1.095, and values beyond
     * 0.346 would appear (P(none of 400) = 0.316^400 ≈ 1e-200); a bound smaller than 0.9·B fails the second
     * check (P(max of 400 |U| < 0.9·B) = 0.9^400 ≈ 5e-19 for the right bound). */
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){96, 50});
    sup_set_box(&t, (int64_t[]){10, 20}, (int64_t[]){80, 5});
    float *v = sup_device_fill(e, &t, &specs[7].spec, SEED, STREAM, 0);
    float hi = (float)(sqrt(3.0) * (sqrt(2.0) / sqrt(50.0)));
    float mx = 0;
    for (int i = 0; i < 400; i++) {
        assert_true(v[i] >= -hi && v[i] < hi);
        if (fabsf(v[i]) > mx) mx = fabsf(v[i]);
    }
    /* P(max of 400 |U| < 0.9 B) = 0.9^400 ≈ 5e-19. */
    assert_true(mx > 0.9f * hi);
    free(v);
}

static void test_many_rows_multi_launch(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* A column box of a (70000, 8) tensor is 70000 runs of 5 elements: more than the 2^16 runs one launch
     * takes, so the fill is split into launches and the returned event is a marker over them. */
    for (int w = 0; w < 2; w++) {
        const clinit_init_spec *s = &specs[w].spec;
        clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){70000, 8});
        sup_set_box(&t, (int64_t[]){0, 1}, (int64_t[]){70000, 5});
        size_t n = sup_numel(&t), total = 8 + n * 4 + SUP_GUARD;
        cl_mem buf = sup_buffer(e, total);
        sup_fill_pattern(e, buf, total, SUP_SENTINEL);
        t.buffer = buf;
        t.offset_bytes = 8;
        cl_event ev = NULL;
        SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, s, SEED, STREAM, 0, NULL, &ev));
        assert_non_null(ev);
        assert_int_equal(clWaitForEvents(1, &ev), CL_SUCCESS);
        cl_int status = -1;
        assert_int_equal(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL),
                         CL_SUCCESS);
        assert_int_equal(status, CL_COMPLETE);
        clReleaseEvent(ev);
        unsigned char *host = malloc(total);
        sup_read(e, buf, 0, total, host);
        clReleaseMemObject(buf);
        sup_assert_pattern(host, 0, 8, SUP_SENTINEL);
        sup_assert_pattern(host, 8 + n * 4, total, SUP_SENTINEL);
        float *ref = sup_reference_fill(&t, s, SEED, STREAM);
        sup_compare((const float *)(host + 8), ref, n, specs[w].what);
        /* And the same values as the whole tensor's columns 1..5. */
        clinit_tensor whole = sup_tensor(NULL, 0, 2, (int64_t[]){70000, 8});
        float *all = sup_device_fill(e, &whole, s, SEED, STREAM, 0);
        const float *bv = (const float *)(host + 8);
        for (size_t r = 0; r < 70000; r++)
            if (memcmp(bv + 5 * r, all + 8 * r + 1, 5 * sizeof(float)) != 0) fail_msg("row %zu differs", r);
        free(all);
        free(ref);
        free(host);
    }
}

static int group_setup(void **state)
{
    make_specs();
    return sup_group_setup(state);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_initializer_every_shape),
        cmocka_unit_test(test_constant_values_exact),
        cmocka_unit_test(test_seed_and_stream_matter),
        cmocka_unit_test_teardown(test_local_sizes, reset_local),
        cmocka_unit_test(test_byte_offsets),
        cmocka_unit_test(test_box_splits),
        cmocka_unit_test(test_box_fans_from_logical_shape),
        cmocka_unit_test(test_many_rows_multi_launch),
    };
    return cmocka_run_group_tests_name("device_vs_reference", tests, group_setup, sup_group_teardown);
}
