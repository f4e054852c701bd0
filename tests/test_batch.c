/* clinit_fill_batch: a batch of tensors laid out in two buffers (gaps of sentinel bytes between them) gets,
 * for every item, the bytes of the host reference of that tensor alone — element-wise initializers in every
 * 32-bit-computed dtype, boxes of one run, and the items filled one by one (f64, orthogonal, sparse, eye,
 * boxes of several runs, empty tensors) — with every gap untouched, for several work-group sizes; the launch
 * count is one per (buffer, dtype) group plus the one-by-one fills' own; an invalid item enqueues nothing and
 * is named by index; the wait list gates every launch and the event covers them all. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const uint64_t SEED = 0xba7c4ULL;
#define GAP 24 /* sentinel bytes before every tensor (a multiple of 8: f64 offsets stay aligned) */

static clinit_init_spec spec_of(clinit_init_kind kind)
{
    clinit_init_spec s = clinit_init_spec_default(kind);
    if (kind == CLINIT_INIT_CONSTANT) s.val = -0.375;
    if (kind == CLINIT_INIT_TRUNC_NORMAL) s.a = -0.5, s.b = 1.5;
    if (kind == CLINIT_INIT_SPARSE) s.sparsity = 0.25, s.std = 0.5;
    return s;
}

typedef struct bcase {
    clinit_init_kind kind;
    clinit_dtype dtype;
    int rank;
    int64_t shape[4];
    int box; /* 1: rows 3.. of a 2-D tensor (one run); 2: the first column half (one run per row) */
    int buf; /* which of the two buffers */
} bcase;

static const bcase CASES[] = {
    {CLINIT_INIT_KAIMING_NORMAL, CLINIT_F32, 4, {16, 3, 3, 3}, 0, 0},
    {CLINIT_INIT_ZEROS, CLINIT_F32, 1, {5}, 0, 0},
    {CLINIT_INIT_ONES, CLINIT_F32, 1, {17}, 0, 0},
    {CLINIT_INIT_XAVIER_UNIFORM, CLINIT_F32, 2, {33, 7}, 0, 0},
    {CLINIT_INIT_TRUNC_NORMAL, CLINIT_F32, 2, {9, 101}, 1, 0},
    {CLINIT_INIT_NORMAL, CLINIT_F16, 2, {4, 1003}, 0, 0},
    {CLINIT_INIT_LECUN_NORMAL, CLINIT_BF16, 3, {8, 3, 5}, 0, 0},
    {CLINIT_INIT_CONSTANT, CLINIT_BF16, 1, {3}, 0, 0},
    {CLINIT_INIT_UNIFORM, CLINIT_F32, 2, {6, 40}, 2, 0},    /* six runs: on its own */
    {CLINIT_INIT_NORMAL, CLINIT_F64, 2, {5, 9}, 0, 0},      /* f64: on its own */
    {CLINIT_INIT_ORTHOGONAL, CLINIT_F32, 2, {12, 8}, 0, 0}, /* on its own */
    {CLINIT_INIT_SPARSE, CLINIT_F16, 2, {20, 6}, 0, 0},     /* on its own */
    {CLINIT_INIT_EYE, CLINIT_F32, 2, {4, 6}, 0, 1},         /* on its own, in the second buffer */
    {CLINIT_INIT_NORMAL, CLINIT_F32, 2, {0, 7}, 0, 0},      /* empty: nothing */
    {CLINIT_INIT_HE_UNIFORM, CLINIT_F32, 2, {64, 64}, 0, 1},
    {CLINIT_INIT_GLOROT_NORMAL, CLINIT_F16, 2, {100, 30}, 0, 1},
    {CLINIT_INIT_LINEAR_DEFAULT_WEIGHT, CLINIT_F32, 2, {10, 20000}, 0, 1},
    {CLINIT_INIT_TRUNC_NORMAL, CLINIT_BF16, 2, {70, 100}, 0, 0}, /* CPUs: 28 items, a unit and a part of one */
};
#define NCASES (sizeof CASES / sizeof *CASES)
/* Launches of CASES: groups (buffer 0: f32, f16, bf16; buffer 1: f32, f16) plus the one-by-one fills:
 * uniform of six runs 1, f64 normal 1, orthogonal 2·8 + 4, sparse 1, eye 1. */
#define CASES_LAUNCHES (5 + 1 + 1 + 20 + 1 + 1)

typedef struct layout {
    clinit_batch_item items[NCASES];
    size_t bytes[2];
} layout;

static void make_layout(const sup_env *e, layout *L, cl_mem bufs[2])
{
    L->bytes[0] = L->bytes[1] = 0;
    for (size_t i = 0; i < NCASES; i++) {
        const bcase *c = &CASES[i];
        if (c->dtype == CLINIT_F64 && !sup_has_fp64(e)) {
            /* a device without doubles: a tensor of nothing instead, so the batch stays valid */
            clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){0});
            L->items[i] = (clinit_batch_item){t, spec_of(CLINIT_INIT_ZEROS), 0};
            continue;
        }
        clinit_tensor t = sup_tensor(NULL, 0, c->rank, c->shape);
        t.dtype = c->dtype;
        if (c->box == 1) sup_set_box(&t, (int64_t[]){3, 0}, (int64_t[]){c->shape[0] - 3, c->shape[1]});
        if (c->box == 2) sup_set_box(&t, (int64_t[]){0, 0}, (int64_t[]){c->shape[0], c->shape[1] / 2});
        L->bytes[c->buf] += GAP;
        t.offset_bytes = L->bytes[c->buf];
        L->bytes[c->buf] += sup_numel(&t) * clinit_dtype_size(c->dtype);
        L->bytes[c->buf] = (L->bytes[c->buf] + 7) & ~(size_t)7;
        L->items[i] = (clinit_batch_item){t, spec_of(c->kind), 1000 + i};
    }
    for (int b = 0; b < 2; b++) {
        L->bytes[b] += GAP;
        bufs[b] = sup_buffer(e, L->bytes[b]);
        sup_fill_pattern(e, bufs[b], L->bytes[b], SUP_SENTINEL);
    }
    for (size_t i = 0; i < NCASES; i++) L->items[i].tensor.buffer = bufs[CASES[i].buf];
}

/* Every item holds its reference bytes; every other byte is still the sentinel. */
static void check_contents(const sup_env *e, const layout *L, cl_mem bufs[2], const char *what)
{
    unsigned char *host[2];
    unsigned char *covered[2];
    for (int b = 0; b < 2; b++) {
        host[b] = malloc(L->bytes[b]);
        covered[b] = calloc(L->bytes[b], 1);
        assert_true(host[b] && covered[b]);
        sup_read(e, bufs[b], 0, L->bytes[b], host[b]);
    }
    for (size_t i = 0; i < NCASES; i++) {
        const clinit_tensor *t = &L->items[i].tensor;
        if (t->rank != CASES[i].rank) continue; /* the f64 stand-in */
        size_t n = sup_numel(t) * clinit_dtype_size(t->dtype);
        int b = CASES[i].buf;
        void *ref = sup_reference_fill(t, &L->items[i].spec, SEED, L->items[i].stream);
        if (memcmp(host[b] + t->offset_bytes, ref, n) != 0)
            fail_msg("%s: items[%zu] (%s, dtype %d) differs from its reference", what, i,
                     clinit_init_name(CASES[i].kind), (int)t->dtype);
        memset(covered[b] + t->offset_bytes, 1, n);
        free(ref);
    }
    for (int b = 0; b < 2; b++) {
        for (size_t k = 0; k < L->bytes[b]; k++)
            if (!covered[b][k] && host[b][k] != SUP_SENTINEL)
                fail_msg("%s: buffer %d byte %zu outside every tensor was written", what, b, k);
        free(host[b]);
        free(covered[b]);
    }
}

static void test_values_and_launches(void **state)
{
    sup_env *e = SUP_ENV(state);
    const size_t locals[] = {0, 1, 5, 64};
    for (size_t li = 0; li < sizeof locals / sizeof *locals; li++) {
        SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, locals[li]));
        layout L;
        cl_mem bufs[2];
        make_layout(e, &L, bufs);
        uint64_t before = clinit_ctx_launch_count(e->ctx);
        cl_event done = NULL;
        SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, L.items, NCASES, SEED, 0, NULL, &done));
        uint64_t launches = clinit_ctx_launch_count(e->ctx) - before;
        assert_int_equal(clWaitForEvents(1, &done), CL_SUCCESS);
        clReleaseEvent(done);
        char what[64];
        snprintf(what, sizeof what, "local size %zu", locals[li]);
        check_contents(e, &L, bufs, what);
        assert_int_equal(launches, CASES_LAUNCHES - (sup_has_fp64(e) ? 0 : 1));
        clReleaseMemObject(bufs[0]);
        clReleaseMemObject(bufs[1]);
    }
    SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, 0));
}

/* A model's worth of small element-wise tensors in one buffer: one launch. */
static void test_one_launch(void **state)
{
    sup_env *e = SUP_ENV(state);
    enum { N = 300 };
    clinit_batch_item *items = calloc(N, sizeof *items);
    assert_non_null(items);
    size_t off = 0;
    const clinit_init_kind kinds[] = {CLINIT_INIT_KAIMING_UNIFORM, CLINIT_INIT_ZEROS, CLINIT_INIT_ONES,
                                      CLINIT_INIT_NORMAL, CLINIT_INIT_TRUNC_NORMAL};
    for (int i = 0; i < N; i++) {
        int64_t shape[2] = {1 + i % 13, 1 + (i * 7) % 50};
        items[i].tensor = sup_tensor(NULL, off, 2, shape);
        items[i].spec = spec_of(kinds[i % 5]);
        items[i].stream = (uint64_t)i;
        off += (size_t)(shape[0] * shape[1]) * sizeof(float);
    }
    cl_mem buf = sup_buffer(e, off + SUP_GUARD);
    sup_fill_pattern(e, buf, off + SUP_GUARD, SUP_SENTINEL);
    for (int i = 0; i < N; i++) items[i].tensor.buffer = buf;
    uint64_t before = clinit_ctx_launch_count(e->ctx);
    SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, items, N, SEED, 0, NULL, NULL));
    assert_int_equal(clinit_ctx_launch_count(e->ctx) - before, 1);
    unsigned char *host = malloc(off + SUP_GUARD);
    assert_non_null(host);
    sup_read(e, buf, 0, off + SUP_GUARD, host);
    for (int i = 0; i < N; i++) {
        void *ref = sup_reference_fill(&items[i].tensor, &items[i].spec, SEED, items[i].stream);
        if (memcmp(host + items[i].tensor.offset_bytes, ref, sup_numel(&items[i].tensor) * sizeof(float)) != 0)
            fail_msg("items[%d] differs from its reference", i);
        free(ref);
    }
    sup_assert_pattern(host, off, off + SUP_GUARD, SUP_SENTINEL);
    free(host);
    clReleaseMemObject(buf);
    free(items);
}

static void test_invalid_item_enqueues_nothing(void **state)
{
    sup_env *e = SUP_ENV(state);
    layout L;
    cl_mem bufs[2];
    make_layout(e, &L, bufs);
    L.items[6].tensor.offset_bytes += 1; /* a bf16 tensor at an odd byte offset */
    uint64_t before = clinit_ctx_launch_count(e->ctx);
    cl_event ev = (cl_event)&ev;
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, L.items, NCASES, SEED, 0, NULL, &ev),
                     CLINIT_ERROR_MISALIGNED_OFFSET);
    assert_null(ev);
    assert_true(strncmp(clinit_ctx_message(e->ctx), "items[6]: ", 10) == 0);
    assert_non_null(strstr(clinit_ctx_message(e->ctx), "offset_bytes"));
    L.items[6].tensor.offset_bytes -= 1;
    L.items[12].spec.gain = INFINITY;
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, L.items, NCASES, SEED, 0, NULL, NULL),
                     CLINIT_ERROR_INVALID_PARAMETER);
    assert_true(strncmp(clinit_ctx_message(e->ctx), "items[12]: ", 11) == 0);
    L.items[12].spec.gain = 1;
    L.items[3].tensor.buffer = NULL;
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, L.items, NCASES, SEED, 0, NULL, NULL),
                     CLINIT_ERROR_NULL_ARGUMENT);
    assert_true(strncmp(clinit_ctx_message(e->ctx), "items[3]: ", 10) == 0);
    L.items[3].tensor.buffer = bufs[CASES[3].buf];
    /* A wait list with a NULL event: refused, naming the entry. */
    cl_event none[1] = {NULL};
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, L.items, NCASES, SEED, 1, none, NULL),
                     CLINIT_ERROR_NULL_ARGUMENT);
    assert_non_null(strstr(clinit_ctx_message(e->ctx), "event_wait_list[0] is NULL"));
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    assert_int_equal(clinit_ctx_launch_count(e->ctx), before);
    for (int b = 0; b < 2; b++) {
        unsigned char *host = malloc(L.bytes[b]);
        assert_non_null(host);
        sup_read(e, bufs[b], 0, L.bytes[b], host);
        sup_assert_pattern(host, 0, L.bytes[b], SUP_SENTINEL);
        free(host);
        clReleaseMemObject(bufs[b]);
    }
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, NULL, 2, SEED, 0, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_fill_batch(e->ctx, NULL, L.items, 0, SEED, 0, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_fill_batch(NULL, e->queue, L.items, 0, SEED, 0, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, L.items, 0, SEED, 1, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
}

/* Items of one buffer must not share a byte (their launches run in no fixed order); touching is fine, as are
 * the same offsets in two buffers and an empty tensor anywhere. */
static void test_overlap(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem a = sup_buffer(e, 256), b = sup_buffer(e, 256);
    clinit_batch_item it[3] = {
        {sup_tensor(a, 0, 1, (int64_t[]){16}), spec_of(CLINIT_INIT_ONES), 1},
        {sup_tensor(a, 64, 1, (int64_t[]){16}), spec_of(CLINIT_INIT_ZEROS), 2},
        {sup_tensor(b, 0, 1, (int64_t[]){16}), spec_of(CLINIT_INIT_ONES), 3},
    };
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL), CLINIT_SUCCESS);
    it[2].tensor.buffer = a;
    it[2].tensor.offset_bytes = 60; /* the last element of items[0] */
    it[2].tensor.dtype = CLINIT_BF16;
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx),
                        "items[0] and items[2] overlap: bytes [0, 64) and [60, 92) of one buffer");
    it[2].tensor.offset_bytes = 126; /* the last element of items[1] */
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx),
                        "items[1] and items[2] overlap: bytes [64, 128) and [126, 158) of one buffer");
    it[2].tensor.offset_bytes = 128; /* touching items[1] */
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL), CLINIT_SUCCESS);
    it[2].tensor.shape[0] = 0; /* an empty tensor writes nothing */
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL), CLINIT_SUCCESS);
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    clReleaseMemObject(a);
    clReleaseMemObject(b);
}

static cl_mem sub_buffer(cl_mem parent, size_t origin, size_t size)
{
    cl_int err;
    cl_buffer_region region = {origin, size};
    cl_mem m = clCreateSubBuffer(parent, CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, &region, &err);
    assert_int_equal(err, CL_SUCCESS);
    return m;
}

/* Sub-buffers of one buffer are different cl_mem objects over the same bytes: their items' bytes are
 * compared in the buffer they were made from, and so with items of that buffer itself. */
static void test_overlap_sub_buffers(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_uint align_bits = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof align_bits, &align_bits, NULL),
                     CL_SUCCESS);
    size_t A = align_bits / 8; /* the smallest origin a sub-buffer may have past 0 */
    cl_mem whole = sup_buffer(e, 4 * A + 256);
    cl_mem s1 = sub_buffer(whole, 0, 2 * A), s2 = sub_buffer(whole, A, 2 * A);
    clinit_batch_item it[3] = {
        {sup_tensor(s1, A - 4, 1, (int64_t[]){16}), spec_of(CLINIT_INIT_ONES), 1}, /* bytes [A-4, A+60) */
        {sup_tensor(s2, 0, 1, (int64_t[]){16}), spec_of(CLINIT_INIT_ZEROS), 2},    /* bytes [A, A+64) */
        {sup_tensor(whole, 4 * A, 1, (int64_t[]){16}), spec_of(CLINIT_INIT_ONES), 3},
    };
    char want[256];
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    snprintf(want, sizeof want,
             "items[0] and items[1] overlap: bytes [%zu, %zu) and [%zu, %zu) of one buffer "
             "(sub-buffers counted from the start of the buffer they were made from)",
             A - 4, A + 60, A, A + 64);
    assert_string_equal(clinit_ctx_message(e->ctx), want);
    it[1].tensor.offset_bytes = 60;      /* touching items[0]: bytes [A+60, A+124) */
    it[2].tensor.offset_bytes = A + 120; /* the buffer itself, over the last element of items[1] */
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    snprintf(want, sizeof want,
             "items[1] and items[2] overlap: bytes [%zu, %zu) and [%zu, %zu) of one buffer "
             "(sub-buffers counted from the start of the buffer they were made from)",
             A + 60, A + 124, A + 120, A + 184);
    assert_string_equal(clinit_ctx_message(e->ctx), want);
    it[2].tensor.offset_bytes = A + 124;
    SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, it, 3, SEED, 0, NULL, NULL));
    float host[48];
    sup_read(e, whole, A - 4, sizeof host, host);
    for (int k = 0; k < 48; k++) assert_true(host[k] == (k < 16 || k >= 32 ? 1.0f : 0.0f));
    clReleaseMemObject(s1);
    clReleaseMemObject(s2);
    clReleaseMemObject(whole);
}

/* Behind a user event nothing runs; then the batch's event covers every launch. An empty batch's event
 * completes with its wait list. */
static void test_wait_list_and_event(void **state)
{
    sup_env *e = SUP_ENV(state);
    layout L;
    cl_mem bufs[2];
    make_layout(e, &L, bufs);
    cl_int err;
    cl_event gate = clCreateUserEvent(e->context, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_event done = NULL;
    SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, L.items, NCASES, SEED, 1, &gate, &done));
    assert_int_equal(clFlush(e->queue), CL_SUCCESS);
    nanosleep(&(struct timespec){0, 50000000L}, NULL);
    assert_true(sup_event_status(done) > CL_COMPLETE);
    assert_int_equal(clSetUserEventStatus(gate, CL_COMPLETE), CL_SUCCESS);
    assert_int_equal(clWaitForEvents(1, &done), CL_SUCCESS);
    clReleaseEvent(done);
    clReleaseEvent(gate);
    check_contents(e, &L, bufs, "gated batch");
    clReleaseMemObject(bufs[0]);
    clReleaseMemObject(bufs[1]);

    gate = clCreateUserEvent(e->context, &err);
    SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, NULL, 0, SEED, 1, &gate, &done));
    assert_non_null(done);
    assert_int_equal(clFlush(e->queue), CL_SUCCESS);
    assert_true(sup_event_status(done) > CL_COMPLETE);
    assert_int_equal(clSetUserEventStatus(gate, CL_COMPLETE), CL_SUCCESS);
    assert_int_equal(clWaitForEvents(1, &done), CL_SUCCESS);
    clReleaseEvent(done);
    clReleaseEvent(gate);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_and_launches),
        cmocka_unit_test(test_one_launch),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_overlap_sub_buffers),
        cmocka_unit_test(test_invalid_item_enqueues_nothing),
        cmocka_unit_test(test_wait_list_and_event),
    };
    return cmocka_run_group_tests(tests, sup_group_setup, sup_group_teardown);
}
