/* Every error path of the fills, the context functions and the small API functions: the exact status, a
 * detail message that names the offending argument, and no effect — the whole destination buffer keeps its
 * sentinel bytes, the buffer's, queue's and context's reference counts are unchanged (nothing retained or
 * leaked, no event created), and *event is NULL. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include "support.h"
#include "internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUF_BYTES 4096
static cl_mem buf;   /* BUF_BYTES of sentinel, the destination of every failing fill */
static int problems; /* failed expectations of the current test, reported together */

#define PROBLEM(...)                                                                                                   \
    do {                                                                                                               \
        print_error(__VA_ARGS__);                                                                                      \
        print_error("\n");                                                                                             \
        problems++;                                                                                                    \
    } while (0)

static int setup(void **state)
{
    if (sup_group_setup(state) != 0) return -1;
    sup_env *e = SUP_ENV(state);
    cl_int err;
    buf = clCreateBuffer(e->context, CL_MEM_READ_WRITE, BUF_BYTES, NULL, &err);
    return err == CL_SUCCESS ? 0 : -1;
}

static int teardown(void **state)
{
    clReleaseMemObject(buf);
    return sup_group_teardown(state);
}

static int before_each(void **state)
{
    sup_fill_pattern(SUP_ENV(state), buf, BUF_BYTES, SUP_SENTINEL);
    problems = 0;
    return 0;
}

/* PoCL drops the references its finished commands hold on the queue asynchronously, some time after
 * clFinish returns: read the count once it has stopped moving (unchanged over 20 reads 1 ms apart,
 * at most 2 s), so that only a reference clinit keeps shows as a change. */
static cl_uint event_refs(cl_event ev)
{
    cl_uint n = 0;
    clGetEventInfo(ev, CL_EVENT_REFERENCE_COUNT, sizeof n, &n, NULL);
    return n;
}

static cl_uint queue_refs(cl_command_queue q)
{
    cl_uint n = 0, prev = 0;
    int same = 0;
    for (int i = 0; i < 2000 && same < 20; i++) {
        clGetCommandQueueInfo(q, CL_QUEUE_REFERENCE_COUNT, sizeof n, &n, NULL);
        same = (i > 0 && n == prev) ? same + 1 : 0;
        prev = n;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    return n;
}

static cl_uint context_refs(cl_context c)
{
    cl_uint n = 0;
    clGetContextInfo(c, CL_CONTEXT_REFERENCE_COUNT, sizeof n, &n, NULL);
    return n;
}

/* A valid f32 tensor (11, 5) at offset 8 of buf. */
static clinit_tensor good_tensor(void) { return sup_tensor(buf, 8, 2, (int64_t[]){11, 5}); }

/* Runs clinit_fill with the given arguments and checks the failure contract. `needle` must occur in the
 * message (NULL: ctx is NULL, the message is "(null context)"). */
static void expect_fail_at(const sup_env *e, clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                           const clinit_init_spec *spec, cl_uint nwait, const cl_event *wait, clinit_status want,
                           const char *needle, int line)
{
    clFinish(e->queue);
    cl_uint br = sup_mem_refcount(buf), qr = queue_refs(e->queue), cr = context_refs(e->context);
    cl_event ev = (cl_event)(uintptr_t)0x1; /* a caller's stale value: must be overwritten with NULL */
    clinit_status st = clinit_fill(ctx, queue, t, spec, 1, 2, nwait, wait, &ev);
    const char *msg = clinit_ctx_message(ctx);
    if (st != want)
        PROBLEM("line %d: status %d (%s), expected %d (%s); message: %s", line, (int)st, clinit_status_string(st),
                (int)want, clinit_status_string(want), msg);
    if (needle ? strstr(msg, needle) == NULL : strcmp(msg, "(null context)") != 0)
        PROBLEM("line %d: message \"%s\" does not name \"%s\"", line, msg, needle ? needle : "(null context)");
    if (ev != NULL) PROBLEM("line %d: *event is %p, not NULL, after a failure", line, (void *)ev);
    /* clinit_validate answers the device-free checks exactly as the fill does, with the same message. */
    if (t && spec && want != CLINIT_ERROR_BUFFER_TOO_SMALL && want != CLINIT_ERROR_INVALID_QUEUE &&
        want != CLINIT_ERROR_NULL_ARGUMENT && want != CLINIT_ERROR_OPENCL) {
        char vmsg[1024];
        clinit_status vst = clinit_validate(t, spec, vmsg, sizeof vmsg);
        if (vst != want) PROBLEM("line %d: clinit_validate returned %d, expected %d", line, (int)vst, (int)want);
        if (strcmp(vmsg, msg) != 0) PROBLEM("line %d: clinit_validate says \"%s\", the fill \"%s\"", line, vmsg, msg);
    }
    clFinish(e->queue);
    unsigned char host[BUF_BYTES];
    sup_read(e, buf, 0, BUF_BYTES, host);
    for (size_t i = 0; i < BUF_BYTES; i++)
        if (host[i] != SUP_SENTINEL) {
            PROBLEM("line %d: byte %zu of the buffer was written", line, i);
            sup_fill_pattern(e, buf, BUF_BYTES, SUP_SENTINEL);
            break;
        }
    if (sup_mem_refcount(buf) != br) PROBLEM("line %d: buffer reference count changed", line);
    if (queue_refs(e->queue) != qr) PROBLEM("line %d: queue reference count changed (event leaked?)", line);
    if (context_refs(e->context) != cr) PROBLEM("line %d: context reference count changed (leak?)", line);
}
#define EXPECT_FAIL(e, ctx, queue, t, spec, nwait, wait, want, needle)                                                 \
    expect_fail_at((e), (ctx), (queue), (t), (spec), (nwait), (wait), (want), (needle), __LINE__)

static void test_null_arguments(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = good_tensor();
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    EXPECT_FAIL(e, NULL, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_NULL_ARGUMENT, NULL);
    EXPECT_FAIL(e, e->ctx, NULL, &t, &s, 0, NULL, CLINIT_ERROR_NULL_ARGUMENT, "queue");
    EXPECT_FAIL(e, e->ctx, e->queue, NULL, &s, 0, NULL, CLINIT_ERROR_NULL_ARGUMENT, "tensor");
    EXPECT_FAIL(e, e->ctx, e->queue, &t, NULL, 0, NULL, CLINIT_ERROR_NULL_ARGUMENT, "spec");
    clinit_tensor nb = t;
    nb.buffer = NULL;
    EXPECT_FAIL(e, e->ctx, e->queue, &nb, &s, 0, NULL, CLINIT_ERROR_NULL_ARGUMENT, "tensor.buffer");
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 1, NULL, CLINIT_ERROR_NULL_ARGUMENT, "event_wait_list");
    assert_int_equal(problems, 0);
}

static void test_null_arguments_without_event(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* The same failures with event == NULL, through the typed entry points. */
    clinit_tensor t = good_tensor();
    assert_int_equal(clinit_uniform(NULL, e->queue, &t, 0, 1, 1, 2, 0, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_normal(e->ctx, NULL, &t, 0, 1, 1, 2, 0, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_constant(e->ctx, e->queue, NULL, 1, 0, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_zeros(e->ctx, e->queue, &t, 2, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_ones(NULL, NULL, NULL, 0, NULL, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    unsigned char host[BUF_BYTES];
    sup_read(e, buf, 0, BUF_BYTES, host);
    sup_assert_pattern(host, 0, BUF_BYTES, SUP_SENTINEL);
}

static void test_tensor_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    clinit_tensor t = good_tensor();
    t.rank = -1;
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_RANK, "rank");
    t.rank = 9;
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_RANK, "rank");
    t = good_tensor();
    t.shape[1] = -5;
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_SHAPE, "shape[1]");
    t = sup_tensor(buf, 0, 3, (int64_t[]){2, 3, -1});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_SHAPE, "shape[2]");
    t = sup_tensor(buf, 0, 2, (int64_t[]){INT64_C(1) << 28, INT64_C(1) << 28}); /* exactly 2^56 elements */
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_SHAPE, "2^56");
    t = sup_tensor(buf, 0, 3, (int64_t[]){INT64_MAX, INT64_MAX, 2});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_SHAPE, "shape");
    /* Boxes. */
    t = good_tensor();
    sup_set_box(&t, (int64_t[]){-1, 0}, (int64_t[]){2, 5});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_BOX, "box");
    sup_set_box(&t, (int64_t[]){0, 1}, (int64_t[]){11, 5}); /* 1 + 5 > 5 */
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_BOX, "box");
    sup_set_box(&t, (int64_t[]){0, 0}, (int64_t[]){-1, 5});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_BOX, "box");
    sup_set_box(&t, (int64_t[]){12, 0}, (int64_t[]){0, 5}); /* start beyond the shape, even if empty */
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_BOX, "box");
    sup_set_box(&t, (int64_t[]){INT64_MAX, 0}, (int64_t[]){INT64_MAX, 5});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_BOX, "box");
    /* dtypes. */
    t = good_tensor();
    t.dtype = (clinit_dtype)99;
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_UNSUPPORTED_DTYPE, "tensor.dtype");
    t.dtype = (clinit_dtype)-1;
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_UNSUPPORTED_DTYPE, "tensor.dtype");
    /* Alignment. */
    const size_t misaligned[3] = {1, 2, 4094};
    for (int i = 0; i < 3; i++) {
        t = good_tensor();
        t.offset_bytes = misaligned[i];
        EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_MISALIGNED_OFFSET, "tensor.offset_bytes");
    }
    assert_int_equal(problems, 0);
}

static void test_buffer_size_boundary(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    /* (11, 5) floats = 220 bytes at offset 8 need exactly 228 bytes. */
    cl_mem exact = sup_buffer(e, 228), small = sup_buffer(e, 227);
    clinit_tensor t = sup_tensor(exact, 8, 2, (int64_t[]){11, 5});
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL));
    assert_string_equal(clinit_ctx_message(e->ctx), ""); /* "" after a success */
    clFinish(e->queue);
    clReleaseMemObject(exact);
    /* One byte less: BUFFER_TOO_SMALL, on a sentinel-filled buffer that must stay untouched. */
    sup_fill_pattern(e, small, 227, SUP_SENTINEL);
    t.buffer = small;
    cl_event ev = (cl_event)(uintptr_t)0x1;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, &ev), CLINIT_ERROR_BUFFER_TOO_SMALL);
    assert_null(ev);
    assert_non_null(strstr(clinit_ctx_message(e->ctx), "tensor.buffer"));
    assert_non_null(strstr(clinit_ctx_message(e->ctx), "tensor.offset_bytes"));
    unsigned char host[227];
    clFinish(e->queue);
    sup_read(e, small, 0, 227, host);
    sup_assert_pattern(host, 0, 227, SUP_SENTINEL);
    clReleaseMemObject(small);
    /* On the shared 4096-byte buffer: an offset past the end, and a tensor one element too long. */
    t = sup_tensor(buf, BUF_BYTES + 4, 0, NULL);
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_BUFFER_TOO_SMALL, "tensor.buffer");
    t = sup_tensor(buf, 0, 1, (int64_t[]){BUF_BYTES / 4 + 1});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_BUFFER_TOO_SMALL, "tensor.buffer");
    t = sup_tensor(buf, BUF_BYTES - 4, 1, (int64_t[]){2});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_BUFFER_TOO_SMALL, "tensor.buffer");
    /* A huge logical tensor whose box fits is fine; its whole would not. */
    t = sup_tensor(buf, 0, 2, (int64_t[]){INT64_C(1) << 40, 8});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_BUFFER_TOO_SMALL, "tensor.buffer");
    assert_int_equal(problems, 0);
}

/* A buffer made CL_MEM_READ_ONLY (or a read-only sub-buffer of a read-write one) is refused before anything is
 * enqueued, by clinit_fill and clinit_fill_batch alike; CL_MEM_WRITE_ONLY is what a fill needs and works. */
static void test_read_only_buffer(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_int err;
    cl_mem ro = clCreateBuffer(e->context, CL_MEM_READ_ONLY, 256, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_mem wo = clCreateBuffer(e->context, CL_MEM_WRITE_ONLY, 256, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_mem whole = sup_buffer(e, 4096);
    sup_fill_pattern(e, whole, 4096, SUP_SENTINEL);
    cl_buffer_region region = {0, 256};
    cl_mem ro_sub = clCreateSubBuffer(whole, CL_MEM_READ_ONLY, CL_BUFFER_CREATE_TYPE_REGION, &region, &err);
    assert_int_equal(err, CL_SUCCESS);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    const char *says = "tensor.buffer: created with CL_MEM_READ_ONLY, which kernels must not write";
    cl_mem refused[2] = {ro, ro_sub};
    for (int k = 0; k < 2; k++) {
        clinit_tensor t = sup_tensor(refused[k], 0, 1, (int64_t[]){16});
        cl_event ev = (cl_event)(uintptr_t)0x1;
        assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, &ev), CLINIT_ERROR_READ_ONLY_BUFFER);
        assert_null(ev);
        assert_string_equal(clinit_ctx_message(e->ctx), says);
        clinit_batch_item items[1] = {{t, s, 3}};
        assert_int_equal(clinit_fill_batch(e->ctx, e->queue, items, 1, 1, 0, NULL, NULL),
                         CLINIT_ERROR_READ_ONLY_BUFFER);
        assert_string_equal(clinit_ctx_message(e->ctx), "items[0]: tensor.buffer: created with CL_MEM_READ_ONLY, "
                                                        "which kernels must not write");
    }
    clinit_tensor t = sup_tensor(wo, 0, 1, (int64_t[]){16});
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL));
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    unsigned char host[4096];
    sup_read(e, whole, 0, sizeof host, host);
    sup_assert_pattern(host, 0, sizeof host, SUP_SENTINEL);
    clReleaseMemObject(ro_sub);
    clReleaseMemObject(whole);
    clReleaseMemObject(ro);
    clReleaseMemObject(wo);
}

/* An image given as tensor.buffer is refused before anything is enqueued, by clinit_fill and clinit_fill_batch
 * alike: the kernels take a buffer, and PoCL wrote the values into the image's storage (success, its texels
 * changed). */
static void test_image_as_buffer(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_bool images = CL_FALSE;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_IMAGE_SUPPORT, sizeof images, &images, NULL), CL_SUCCESS);
    if (!images) skip();
    cl_image_format format = {CL_RGBA, CL_FLOAT};
    cl_image_desc desc = {.image_type = CL_MEM_OBJECT_IMAGE2D, .image_width = 16, .image_height = 16};
    cl_int err;
    cl_mem image = clCreateImage(e->context, CL_MEM_READ_WRITE, &format, &desc, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    float texels[16 * 16 * 4], after[16 * 16 * 4];
    memset(texels, SUP_SENTINEL, sizeof texels);
    size_t origin[3] = {0, 0, 0}, region[3] = {16, 16, 1};
    assert_int_equal(clEnqueueWriteImage(e->queue, image, CL_TRUE, origin, region, 0, 0, texels, 0, NULL, NULL),
                     CL_SUCCESS);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    clinit_tensor t = sup_tensor(image, 0, 1, (int64_t[]){16});
    const char *says = "tensor.buffer: is an image (CL_MEM_OBJECT_IMAGE2D), not a buffer (CL_MEM_OBJECT_BUFFER): "
                       "fills write buffers only";
    cl_event ev = (cl_event)(uintptr_t)0x1;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, &ev), CLINIT_ERROR_INVALID_PARAMETER);
    assert_null(ev);
    assert_string_equal(clinit_ctx_message(e->ctx), says);
    clinit_batch_item items[1] = {{t, s, 3}};
    assert_int_equal(clinit_fill_batch(e->ctx, e->queue, items, 1, 1, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    char want[256];
    snprintf(want, sizeof want, "items[0]: %s", says);
    assert_string_equal(clinit_ctx_message(e->ctx), want);
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    assert_int_equal(clEnqueueReadImage(e->queue, image, CL_TRUE, origin, region, 0, 0, after, 0, NULL, NULL),
                     CL_SUCCESS);
    assert_memory_equal(after, texels, sizeof texels);
    clReleaseMemObject(image);
}

static void test_foreign_queue_and_buffer(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_int err;
    cl_context other = clCreateContext(NULL, 1, &e->device, NULL, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_command_queue oq = clCreateCommandQueue(other, e->device, 0, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_mem ob = clCreateBuffer(other, CL_MEM_READ_WRITE, BUF_BYTES, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    clinit_tensor t = good_tensor();
    EXPECT_FAIL(e, e->ctx, oq, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_QUEUE, "queue");
    /* A buffer of the other context on clinit's own queue. */
    unsigned char zero[BUF_BYTES];
    memset(zero, SUP_SENTINEL, sizeof zero);
    assert_int_equal(clEnqueueWriteBuffer(oq, ob, CL_TRUE, 0, BUF_BYTES, zero, 0, NULL, NULL), CL_SUCCESS);
    clinit_tensor tb = sup_tensor(ob, 0, 2, (int64_t[]){11, 5});
    cl_uint obr = sup_mem_refcount(ob);
    cl_event ev = (cl_event)(uintptr_t)0x1;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &tb, &s, 1, 2, 0, NULL, &ev), CLINIT_ERROR_INVALID_QUEUE);
    assert_null(ev);
    assert_non_null(strstr(clinit_ctx_message(e->ctx), "tensor.buffer"));
    assert_int_equal(sup_mem_refcount(ob), obr);
    unsigned char host[BUF_BYTES];
    assert_int_equal(clEnqueueReadBuffer(oq, ob, CL_TRUE, 0, BUF_BYTES, host, 0, NULL, NULL), CL_SUCCESS);
    sup_assert_pattern(host, 0, BUF_BYTES, SUP_SENTINEL);
    /* A wait list with a NULL event, or an event of the other context: refused, naming the entry. */
    cl_event mine = clCreateUserEvent(e->context, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_event foreign = clCreateUserEvent(other, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_event with_null[2] = {mine, NULL}, with_foreign[2] = {mine, foreign};
    cl_uint mr = event_refs(mine), fr = event_refs(foreign);
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 2, with_null, CLINIT_ERROR_NULL_ARGUMENT, "event_wait_list[1] is NULL");
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 2, with_foreign, CLINIT_ERROR_INVALID_QUEUE,
                "event_wait_list[1]: belongs to another context");
    assert_int_equal(event_refs(mine), mr);
    assert_int_equal(event_refs(foreign), fr);
    /* clinit_fill_batch checks its queue as the call's, before any item and with no items: an empty batch on a
     * foreign queue returned success and an event of the other context; with items it blamed items[0]. */
    clinit_batch_item item = {.tensor = t, .spec = s, .stream = 2};
    for (size_t count = 0; count < 2; count++) {
        ev = (cl_event)(uintptr_t)0x1;
        assert_int_equal(clinit_fill_batch(e->ctx, oq, &item, count, 1, 0, NULL, &ev), CLINIT_ERROR_INVALID_QUEUE);
        assert_null(ev);
        assert_string_equal(clinit_ctx_message(e->ctx), "queue: belongs to another context or device than ctx");
    }
    /* The returned event must not be an element of the wait list: refused without writing it, so the caller's
     * handle is kept (it was set to NULL first, then reported as "event_wait_list[0] is NULL"). */
    cl_event list[2] = {mine, mine};
    for (int batch = 0; batch < 2; batch++)
        for (cl_uint k = 0; k < 2; k++) {
            clinit_status st = batch ? clinit_fill_batch(e->ctx, e->queue, &item, 1, 1, 2, list, &list[k])
                                     : clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 2, list, &list[k]);
            assert_int_equal(st, CLINIT_ERROR_INVALID_PARAMETER);
            assert_true(list[0] == mine && list[1] == mine);
            char want[160];
            snprintf(want, sizeof want,
                     "event is &event_wait_list[%u]: the event a call returns must not be an "
                     "element of its wait list (as in OpenCL), which it would overwrite before "
                     "the list is read",
                     k);
            assert_string_equal(clinit_ctx_message(e->ctx), want);
        }
    assert_int_equal(event_refs(mine), mr);
    sup_read(e, buf, 0, BUF_BYTES, host);
    sup_assert_pattern(host, 0, BUF_BYTES, SUP_SENTINEL);
    clSetUserEventStatus(mine, CL_COMPLETE);
    clSetUserEventStatus(foreign, CL_COMPLETE);
    clReleaseEvent(mine);
    clReleaseEvent(foreign);
    clReleaseMemObject(ob);
    clReleaseCommandQueue(oq);
    clReleaseContext(other);
    assert_int_equal(problems, 0);
}

static void test_parameter_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = good_tensor();
    clinit_init_spec s;
#define CASE(kind, field, value, want, needle)                                                                         \
    do {                                                                                                               \
        s = clinit_init_spec_default(kind);                                                                            \
        s.field = value;                                                                                               \
        EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, want, needle);                                               \
    } while (0)
    /* A generation outside 0 … CLINIT_GENERATION_VERSION, for every initializer. */
    CASE(CLINIT_INIT_NORMAL, generation, -1, CLINIT_ERROR_INVALID_PARAMETER, "generation = -1");
    CASE(CLINIT_INIT_ZEROS, generation, CLINIT_GENERATION_VERSION + 1, CLINIT_ERROR_INVALID_PARAMETER,
         "this library knows generations 1 to");
    CASE(CLINIT_INIT_ORTHOGONAL, generation, 1000, CLINIT_ERROR_INVALID_PARAMETER, "generation = 1000");
    CASE(CLINIT_INIT_NORMAL, std, NAN, CLINIT_ERROR_INVALID_PARAMETER, "std");
    CASE(CLINIT_INIT_NORMAL, std, INFINITY, CLINIT_ERROR_INVALID_PARAMETER, "std");
    CASE(CLINIT_INIT_NORMAL, std, -1e-30, CLINIT_ERROR_INVALID_PARAMETER, "std");
    CASE(CLINIT_INIT_NORMAL, mean, NAN, CLINIT_ERROR_INVALID_PARAMETER, "mean");
    CASE(CLINIT_INIT_NORMAL, mean, -INFINITY, CLINIT_ERROR_INVALID_PARAMETER, "mean");
    CASE(CLINIT_INIT_NORMAL, std, 1e39, CLINIT_ERROR_INVALID_PARAMETER, "normal: std = 1e+39 overflows float");
    CASE(CLINIT_INIT_NORMAL, mean, -1e39, CLINIT_ERROR_INVALID_PARAMETER, "normal: mean = -1e+39 overflows float");
    CASE(CLINIT_INIT_UNIFORM, a, 2.0, CLINIT_ERROR_INVALID_PARAMETER, "greater than b"); /* a = 2 > b = 1 */
    CASE(CLINIT_INIT_UNIFORM, a, -INFINITY, CLINIT_ERROR_INVALID_PARAMETER, "finite");
    CASE(CLINIT_INIT_UNIFORM, b, INFINITY, CLINIT_ERROR_INVALID_PARAMETER, "finite");
    CASE(CLINIT_INIT_UNIFORM, b, NAN, CLINIT_ERROR_INVALID_PARAMETER, "finite");
    CASE(CLINIT_INIT_UNIFORM, b, 1e39, CLINIT_ERROR_INVALID_PARAMETER,
         "uniform: b = 1e+39 is outside the finite values of f32, [-3.40282e+38, 3.40282e+38]");
    s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = -3e38;
    s.b = 3e38; /* both floats, b − a overflows float */
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_PARAMETER,
                "uniform: b = 3e+38 minus a = -3e+38 overflows float");
    CASE(CLINIT_INIT_CONSTANT, val, NAN, CLINIT_ERROR_INVALID_PARAMETER, "val");
    /* overflows name the parameter, or what a derived one came from */
    CASE(CLINIT_INIT_CONSTANT, val, 1e39, CLINIT_ERROR_INVALID_PARAMETER, "constant: val = 1e+39 overflows f32");
    CASE(CLINIT_INIT_EYE, gain, 1e39, CLINIT_ERROR_INVALID_PARAMETER, "eye: gain = 1e+39 overflows f32");
    CASE(CLINIT_INIT_ORTHOGONAL, gain, -1e39, CLINIT_ERROR_INVALID_PARAMETER,
         "orthogonal: gain = -1e+39 overflows f32");
    CASE(CLINIT_INIT_SPARSE, std, 1e38, CLINIT_ERROR_INVALID_PARAMETER, "sparse: 5.77 × std = 1e+38 can overflow f32");
    CASE(CLINIT_INIT_XAVIER_NORMAL, gain, 3e38, CLINIT_ERROR_INVALID_PARAMETER,
         "xavier_normal: 5.77 × the std 1.06066e+38 (from gain = 3e+38) can overflow f32");
    CASE(CLINIT_INIT_XAVIER_UNIFORM, gain, 1e39, CLINIT_ERROR_INVALID_PARAMETER,
         "xavier_uniform: the lower bound -6.12372e+38 (from gain = 1e+39) is outside the finite values of f32");
    CASE(CLINIT_INIT_XAVIER_UNIFORM, gain, -1, CLINIT_ERROR_INVALID_PARAMETER, "gain");
    CASE(CLINIT_INIT_XAVIER_NORMAL, gain, NAN, CLINIT_ERROR_INVALID_PARAMETER, "gain");
    CASE(CLINIT_INIT_KAIMING_UNIFORM, a, NAN, CLINIT_ERROR_INVALID_PARAMETER, "a =");
    CASE(CLINIT_INIT_LINEAR_DEFAULT_BIAS, fan_in, -3, CLINIT_ERROR_INVALID_PARAMETER, "fan_in");
    CASE(CLINIT_INIT_KAIMING_NORMAL, mode, (clinit_fan_mode)2, CLINIT_ERROR_INVALID_MODE, "mode");
    CASE(CLINIT_INIT_KAIMING_UNIFORM, mode, (clinit_fan_mode)-1, CLINIT_ERROR_INVALID_MODE, "mode");
    CASE(CLINIT_INIT_KAIMING_NORMAL, nonlinearity, (clinit_nonlinearity)12, CLINIT_ERROR_INVALID_NONLINEARITY,
         "nonlinearity");
    CASE(CLINIT_INIT_KAIMING_UNIFORM, nonlinearity, (clinit_nonlinearity)-7, CLINIT_ERROR_INVALID_NONLINEARITY,
         "nonlinearity");
    CASE(CLINIT_INIT_UNIFORM, kind, (clinit_init_kind)99, CLINIT_ERROR_INVALID_INIT, "initializer kind");
    CASE(CLINIT_INIT_UNIFORM, kind, (clinit_init_kind)-1, CLINIT_ERROR_INVALID_INIT, "initializer kind");
#undef CASE
    /* An unknown layout is refused whatever the initializer (it was taken by those that read no fans). */
    static const clinit_init_kind any_kind[] = {CLINIT_INIT_XAVIER_UNIFORM, CLINIT_INIT_UNIFORM,    CLINIT_INIT_ZEROS,
                                                CLINIT_INIT_TRUNC_NORMAL,   CLINIT_INIT_ORTHOGONAL, CLINIT_INIT_EYE};
    for (size_t k = 0; k < sizeof any_kind / sizeof any_kind[0]; k++) {
        s = clinit_init_spec_default(any_kind[k]);
        t.layout = (clinit_layout)7;
        EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_LAYOUT,
                    "tensor.layout 7 is not one of clinit_layout (oi 0, io 1, axes 2)");
        t.layout = (clinit_layout)-1;
        EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_LAYOUT, "tensor.layout -1");
        clinit_distribution d;
        assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_ERROR_INVALID_LAYOUT);
        clinit_tensor empty = sup_tensor(buf, 8, 2, (int64_t[]){0, 5}); /* no elements, still checked */
        empty.layout = (clinit_layout)3;
        EXPECT_FAIL(e, e->ctx, e->queue, &empty, &s, 0, NULL, CLINIT_ERROR_INVALID_LAYOUT, "tensor.layout 3");
    }
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    t.layout = (clinit_layout)7;
    /* Rank < 2 for fan-based initializers. */
    t = sup_tensor(buf, 0, 1, (int64_t[]){9});
    EXPECT_FAIL(e, e->ctx, e->queue, &t, &s, 0, NULL, CLINIT_ERROR_INVALID_RANK, "rank");
    /* The typed entry points reach the same checks. */
    t = good_tensor();
    assert_int_equal(clinit_uniform(e->ctx, e->queue, &t, 1, 0, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_normal(e->ctx, e->queue, &t, 0, -1, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_constant(e->ctx, e->queue, &t, INFINITY, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_xavier_uniform(e->ctx, e->queue, &t, -2, 1, 2, 0, NULL, NULL),
                     CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_xavier_normal(e->ctx, e->queue, &t, NAN, 1, 2, 0, NULL, NULL),
                     CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(
        clinit_kaiming_uniform(e->ctx, e->queue, &t, 0, (clinit_fan_mode)3, CLINIT_NL_RELU, 1, 2, 0, NULL, NULL),
        CLINIT_ERROR_INVALID_MODE);
    assert_int_equal(
        clinit_kaiming_normal(e->ctx, e->queue, &t, 0, CLINIT_FAN_IN, (clinit_nonlinearity)99, 1, 2, 0, NULL, NULL),
        CLINIT_ERROR_INVALID_NONLINEARITY);
    unsigned char host[BUF_BYTES];
    sup_read(e, buf, 0, BUF_BYTES, host);
    sup_assert_pattern(host, 0, BUF_BYTES, SUP_SENTINEL);
    assert_int_equal(problems, 0);
}

static void test_rejected_local_size(void **state)
{
    sup_env *e = SUP_ENV(state);
    size_t max_wg = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_wg, &max_wg, NULL),
                     CL_SUCCESS);
    /* The limit itself is accepted (the range is [0, CL_DEVICE_MAX_WORK_GROUP_SIZE], both ends included). */
    SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, max_wg));
    /* Above the device's limit: refused when set, naming it; the size before stays (the fill below runs). */
    SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, 1));
    const size_t too_big[3] = {max_wg + 1, max_wg * 2, SIZE_MAX};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(clinit_ctx_set_local_size(e->ctx, too_big[k]), CLINIT_ERROR_INVALID_PARAMETER);
        assert_non_null(strstr(clinit_ctx_message(e->ctx), "local_size"));
        assert_non_null(strstr(clinit_ctx_message(e->ctx), "CL_DEVICE_MAX_WORK_GROUP_SIZE"));
    }
    clinit_tensor t = good_tensor();
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, 1, 2, 0, NULL, NULL));
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    sup_fill_pattern(e, buf, BUF_BYTES, SUP_SENTINEL);
    SUP_OK(e->ctx, clinit_ctx_set_local_size(e->ctx, 0));
    assert_int_equal(clinit_ctx_set_local_size(NULL, 4), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(problems, 0);
}

static void test_reference_errors(void **state)
{
    (void)state;
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){3, 3});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    float v[10];
    v[9] = 42;
    assert_int_equal(clinit_reference_fill(NULL, &s, 1, 2, v, sizeof v), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_reference_fill(&t, NULL, 1, 2, v, sizeof v), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, NULL, sizeof v), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, v, 35), CLINIT_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, v, 36), CLINIT_SUCCESS);
    assert_true(v[9] == 42); /* nothing beyond the 9 elements */
    t.dtype = CLINIT_F64;    /* 9 doubles do not fit in 40 bytes */
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, v, sizeof v), CLINIT_ERROR_BUFFER_TOO_SMALL);
    t.dtype = (clinit_dtype)7;
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, v, sizeof v), CLINIT_ERROR_UNSUPPORTED_DTYPE);
    t.dtype = CLINIT_F32;
    t.shape[0] = -3;
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, v, sizeof v), CLINIT_ERROR_INVALID_SHAPE);
    t.shape[0] = 3;
    s.a = NAN;
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, v, sizeof v), CLINIT_ERROR_INVALID_PARAMETER);
    /* buffer and offset_bytes are ignored (an odd offset was MISALIGNED_OFFSET): the same values as without */
    s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    float w[9];
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, v, sizeof v), CLINIT_SUCCESS);
    t.offset_bytes = 3;
    t.buffer = (cl_mem)&t; /* never dereferenced */
    assert_int_equal(clinit_reference_fill(&t, &s, 1, 2, w, sizeof w), CLINIT_SUCCESS);
    assert_memory_equal(v, w, sizeof w);
}

/* A uniform whose width b − a overflows a double is refused by clinit_init_resolve too (it was resolved, with an
 * infinite expected_std, and refused only by the fills), for the spec's a and b and for bounds derived from a gain;
 * the widest that fits, b − a = DBL_MAX exactly, resolves. An empty tensor's parameters are refused alike. */
/* A truncated normal's window no plan can draw from names why and what to change, in every dtype: a window far in a
 * tail (its probability underflows double), and a std that is 0 (variance_scaling's scale below the smallest
 * normal, which f64 takes as a double: the f32 path refuses it as a std that does not fit float). */
static void test_truncnorm_no_window(void **state)
{
    (void)state;
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){3, 4});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL);
    char msg[512];
    s.a = 100;
    s.b = 101;
    for (int k = 0; k < 2; k++) {
        t.dtype = k ? CLINIT_F64 : CLINIT_F32;
        assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
        assert_string_equal(msg, "trunc_normal: the window [100, 101] has no usable probability under N(0, 1^2): it "
                                 "starts 100 stds from the mean; move a and b toward the mean, or widen std");
    }
    s.a = -41; /* below the mean: the distance from its upper end */
    s.b = -40;
    assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "trunc_normal: the window [-41, -40] has no usable probability under N(0, 1^2): it "
                             "starts 40 stds from the mean; move a and b toward the mean, or widen std");
    s = clinit_init_spec_default(CLINIT_INIT_VARIANCE_SCALING);
    s.scale = 0x1p-1074;
    assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "variance_scaling: the std 0 (from scale = 4.94066e-324) leaves a truncated normal no "
                             "spread");
}

static void test_resolve_uniform_width(void **state)
{
    (void)state;
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){3, 4});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    clinit_distribution d;
    s.a = -DBL_MAX / 2;
    s.b = DBL_MAX / 2;
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
    assert_true(d.high - d.low == DBL_MAX);
    s.b = nextafter(DBL_MAX / 2, INFINITY); /* b − a rounds to +inf */
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_ERROR_INVALID_PARAMETER);
    char msg[256];
    t.dtype = CLINIT_F64;
    s.a = -1e308;
    s.b = 1e308;
    assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "uniform: b = 1e+308 minus a = -1e+308 overflows double");
    /* another dtype's fill names its own range, as for any bound outside it (the width's message said less) */
    t.dtype = CLINIT_F32;
    assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "uniform: a = -1e+308 is outside the finite values of f32, [-3.40282e+38, 3.40282e+38]");
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_ERROR_INVALID_PARAMETER);
    t.dtype = CLINIT_F64;
    clinit_tensor empty = sup_tensor(NULL, 0, 2, (int64_t[]){0, 4});
    assert_int_equal(clinit_init_resolve(&s, &empty, &d), CLINIT_ERROR_INVALID_PARAMETER);
    /* xavier_uniform's B = gain·√(6/7) on (3, 4): 2B > DBL_MAX from gain 1e308 */
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    s.gain = 1e308;
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
    assert_non_null(strstr(msg, "(from gain = 1e+308) minus the lower bound"));
    s.gain = 1e307;
    assert_int_equal(clinit_init_resolve(&s, &t, &d), CLINIT_SUCCESS);
}

static void test_internal_philox_null(void **state)
{
    sup_env *e = SUP_ENV(state);
    uint32_t in[6] = {0}, out[4];
    assert_int_equal(ci_internal_philox_device(NULL, e->queue, in, out, 1), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(ci_internal_philox_device(e->ctx, NULL, in, out, 1), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(ci_internal_philox_device(e->ctx, e->queue, NULL, out, 1), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(ci_internal_philox_device(e->ctx, e->queue, in, NULL, 1), CLINIT_ERROR_NULL_ARGUMENT);
}

/* clinit_ctx_create_default with the environment variable `name` = value; returns the status (the handle is
 * destroyed). */
static clinit_status create_with_env(const char *name, const char *value, char *msg, size_t msg_size)
{
    const char *old = getenv(name);
    char saved[256] = "";
    int had = old != NULL;
    if (had) snprintf(saved, sizeof saved, "%s", old);
    setenv(name, value, 1);
    clinit_ctx *h = (clinit_ctx *)(uintptr_t)0x1;
    clinit_status st = clinit_ctx_create_default(&h);
    if (had)
        setenv(name, saved, 1);
    else
        unsetenv(name);
    assert_true(h != (clinit_ctx *)(uintptr_t)0x1);
    assert_non_null(h); /* still a handle, with the reason */
    snprintf(msg, msg_size, "%s", clinit_ctx_message(h));
    clinit_ctx_destroy(h);
    return st;
}

static void test_clinit_device_variable(void **state)
{
    sup_env *e = SUP_ENV(state);
    char msg[1024];
    const char *bad[] = {"nonsense", "9:9", "0:99", "-1:0", "0:", ":0", "0:0x", "GPU ", "1", " 0:0", "+0:0", "0:+0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        clinit_status st = create_with_env("CLINIT_DEVICE", bad[i], msg, sizeof msg);
        if (st != CLINIT_ERROR_DEVICE_NOT_FOUND)
            fail_msg("CLINIT_DEVICE=\"%s\": %s, expected device not found", bad[i], clinit_status_string(st));
        if (!strstr(msg, "CLINIT_DEVICE")) fail_msg("CLINIT_DEVICE=\"%s\": message \"%s\"", bad[i], msg);
    }
    /* "0:0" names the first device of the first platform, which exists. */
    assert_int_equal(create_with_env("CLINIT_DEVICE", "0:0", msg, sizeof msg), CLINIT_SUCCESS);
    assert_string_equal(msg, "");
    /* "cpu"/"gpu" succeed exactly when such a device exists. */
    cl_platform_id plats[16];
    cl_uint np = 0, ncpu = 0, ngpu = 0;
    assert_int_equal(clGetPlatformIDs(16, plats, &np), CL_SUCCESS);
    for (cl_uint p = 0; p < np && p < 16; p++) {
        cl_uint n = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_CPU, 0, NULL, &n) == CL_SUCCESS) ncpu += n;
        n = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_GPU, 0, NULL, &n) == CL_SUCCESS) ngpu += n;
    }
    assert_int_equal(create_with_env("CLINIT_DEVICE", "cpu", msg, sizeof msg),
                     ncpu ? CLINIT_SUCCESS : CLINIT_ERROR_DEVICE_NOT_FOUND);
    assert_int_equal(create_with_env("CLINIT_DEVICE", "gpu", msg, sizeof msg),
                     ngpu ? CLINIT_SUCCESS : CLINIT_ERROR_DEVICE_NOT_FOUND);
    (void)e;
}

/* CLINIT_ITEM_BLOCKS: "1" or "16" (or empty: the device type's shape), anything else refused by name. */
static void test_item_blocks_variable(void **state)
{
    char msg[1024];
    const char *bad[] = {"0", "2", "8", "32", "16 ", " 1", "01", "+1", "x", "1x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        clinit_status st = create_with_env("CLINIT_ITEM_BLOCKS", bad[i], msg, sizeof msg);
        if (st != CLINIT_ERROR_INVALID_PARAMETER || !strstr(msg, "CLINIT_ITEM_BLOCKS"))
            fail_msg("CLINIT_ITEM_BLOCKS=\"%s\": %s, \"%s\"", bad[i], clinit_status_string(st), msg);
    }
    const char *good[] = {"1", "16", ""};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(create_with_env("CLINIT_ITEM_BLOCKS", good[i], msg, sizeof msg), CLINIT_SUCCESS);
    (void)state;
}

/* CLINIT_ITEM_STRIDE: 0 to 2^30 work-items per run, in decimal, and only with one block per work-item. */
static void test_item_stride_variable(void **state)
{
    sup_env *e = SUP_ENV(state);
    char msg[1024];
    cl_device_type type = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_TYPE, sizeof type, &type, NULL), CL_SUCCESS);
    const char *bad[] = {"x", "-1", "+5", " 64", "64 ", "0x40", "1073741825", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        clinit_status st = create_with_env("CLINIT_ITEM_STRIDE", bad[i], msg, sizeof msg);
        if (st != CLINIT_ERROR_INVALID_PARAMETER || !strstr(msg, "CLINIT_ITEM_STRIDE"))
            fail_msg("CLINIT_ITEM_STRIDE=\"%s\": %s, \"%s\"", bad[i], clinit_status_string(st), msg);
    }
    assert_int_equal(create_with_env("CLINIT_ITEM_STRIDE", "0", msg, sizeof msg), CLINIT_SUCCESS);
    assert_int_equal(create_with_env("CLINIT_ITEM_STRIDE", "1073741824", msg, sizeof msg),
                     (type & CL_DEVICE_TYPE_CPU) ? CLINIT_ERROR_INVALID_PARAMETER : CLINIT_SUCCESS);
}

static void test_ctx_create_errors(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_ctx *h = (clinit_ctx *)(uintptr_t)0x1;
    assert_int_equal(clinit_ctx_create(NULL, e->context, e->device), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_ctx_create(&h, NULL, e->device), CLINIT_ERROR_NULL_ARGUMENT);
    assert_null(h);
    h = (clinit_ctx *)(uintptr_t)0x1;
    assert_int_equal(clinit_ctx_create(&h, e->context, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_null(h);
    assert_int_equal(clinit_ctx_create_default(NULL), CLINIT_ERROR_NULL_ARGUMENT);
    /* A device that is not one of the context's devices: a sub-device, when the device can be partitioned. */
    cl_device_partition_property props[] = {CL_DEVICE_PARTITION_EQUALLY, 1, 0};
    cl_device_id subs[64];
    cl_uint nsub = 0;
    if (clCreateSubDevices(e->device, props, 0, NULL, &nsub) == CL_SUCCESS && nsub >= 1 && nsub <= 64 &&
        clCreateSubDevices(e->device, props, nsub, subs, NULL) == CL_SUCCESS) {
        cl_device_id sub = subs[0];
        cl_uint cr = context_refs(e->context);
        assert_int_equal(clinit_ctx_create(&h, e->context, sub), CLINIT_ERROR_OPENCL);
        assert_non_null(h);
        assert_non_null(strstr(clinit_ctx_message(h), "device"));
        clinit_ctx_destroy(h);
        assert_int_equal(context_refs(e->context), cr);
        for (cl_uint i = 0; i < nsub; i++) clReleaseDevice(subs[i]);
    } else {
        print_message("device cannot be partitioned: foreign-device case skipped\n");
    }
    /* NULL handles everywhere they are accepted. */
    clinit_ctx_destroy(NULL);
    assert_string_equal(clinit_ctx_message(NULL), "(null context)");
    assert_null(clinit_ctx_cl_context(NULL));
    assert_null(clinit_ctx_device(NULL));
    assert_null(clinit_ctx_queue(NULL));
}

static void test_status_strings_and_version(void **state)
{
    (void)state;
    const char *seen[CLINIT_ERROR_DEVICE_MEMORY + 1];
    for (int s = 0; s <= CLINIT_ERROR_DEVICE_MEMORY; s++) {
        const char *str = clinit_status_string((clinit_status)s);
        assert_non_null(str);
        assert_true(strlen(str) > 0);
        assert_string_not_equal(str, "unknown status");
        for (int k = 0; k < s; k++) assert_string_not_equal(str, seen[k]);
        seen[s] = str;
    }
    assert_string_equal(clinit_status_string(CLINIT_SUCCESS), "success");
    assert_string_equal(clinit_status_string(CLINIT_ERROR_READ_ONLY_BUFFER), "buffer is read-only for kernels");
    assert_string_equal(clinit_status_string(CLINIT_ERROR_DEVICE_MEMORY), "scratch does not fit the device's memory");
    assert_string_equal(clinit_status_string((clinit_status)21), "unknown status");
    assert_string_equal(clinit_status_string((clinit_status)-1), "unknown status");
    assert_string_equal(clinit_status_string((clinit_status)1000), "unknown status");

    /* Every OpenCL 1.2 error code has its CL/cl.h name (0 … −19, −30 … −68), each a different one; the
     * codes between and beyond, extensions' included, are unknown. */
    const char *names[69] = {0};
    for (int code = 0; code >= -68; code--) {
        const char *n = clinit_cl_error_name(code);
        if (code <= -20 && code >= -29) {
            assert_string_equal(n, "unknown OpenCL error");
            continue;
        }
        if (strncmp(n, "CL_", 3) != 0) fail_msg("OpenCL error %d has no name: \"%s\"", code, n);
        for (int k = 0; k < -code; k++)
            if (names[k] && strcmp(names[k], n) == 0) fail_msg("OpenCL errors %d and %d are both %s", -k, code, n);
        names[-code] = n;
    }
    assert_string_equal(clinit_cl_error_name(-9), "CL_IMAGE_FORMAT_MISMATCH");
    assert_string_equal(clinit_cl_error_name(-15), "CL_COMPILE_PROGRAM_FAILURE");
    assert_string_equal(clinit_cl_error_name(-47), "CL_INVALID_KERNEL_DEFINITION");
    assert_string_equal(clinit_cl_error_name(-68), "CL_INVALID_DEVICE_PARTITION_COUNT");
    assert_string_equal(clinit_cl_error_name(-69), "unknown OpenCL error");   /* OpenCL 2.0's CL_INVALID_PIPE_SIZE */
    assert_string_equal(clinit_cl_error_name(-1001), "unknown OpenCL error"); /* the ICD loader's, an extension */
    assert_string_equal(clinit_cl_error_name(1), "unknown OpenCL error");

    assert_int_equal(clinit_version_number(), CLINIT_VERSION_NUMBER);
    assert_int_equal(CLINIT_VERSION_NUMBER,
                     CLINIT_VERSION_MAJOR * 10000 + CLINIT_VERSION_MINOR * 100 + CLINIT_VERSION_PATCH);
    assert_string_equal(clinit_version_string(), CLINIT_VERSION_STRING);
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", CLINIT_VERSION_MAJOR, CLINIT_VERSION_MINOR, CLINIT_VERSION_PATCH);
    assert_string_equal(clinit_version_string(), v);
    assert_int_equal(CLINIT_GENERATION_VERSION, 2);

    assert_int_equal(clinit_dtype_size(CLINIT_F32), 4);
    assert_int_equal(clinit_dtype_size(CLINIT_F16), 2);
    assert_int_equal(clinit_dtype_size(CLINIT_BF16), 2);
    assert_int_equal(clinit_dtype_size(CLINIT_F64), 8);
    assert_int_equal(clinit_dtype_size(CLINIT_I32), 4);
    assert_int_equal(clinit_dtype_size(CLINIT_I64), 8);
    assert_int_equal(clinit_dtype_size((clinit_dtype)6), 0);
    assert_int_equal(clinit_dtype_size((clinit_dtype)-1), 0);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_null_arguments, before_each),
        cmocka_unit_test_setup(test_null_arguments_without_event, before_each),
        cmocka_unit_test_setup(test_tensor_errors, before_each),
        cmocka_unit_test_setup(test_buffer_size_boundary, before_each),
        cmocka_unit_test_setup(test_read_only_buffer, before_each),
        cmocka_unit_test(test_image_as_buffer),
        cmocka_unit_test_setup(test_foreign_queue_and_buffer, before_each),
        cmocka_unit_test_setup(test_parameter_errors, before_each),
        cmocka_unit_test_setup(test_rejected_local_size, before_each),
        cmocka_unit_test(test_reference_errors),
        cmocka_unit_test(test_resolve_uniform_width),
        cmocka_unit_test(test_truncnorm_no_window),
        cmocka_unit_test(test_internal_philox_null),
        cmocka_unit_test(test_clinit_device_variable),
        cmocka_unit_test(test_item_blocks_variable),
        cmocka_unit_test(test_item_stride_variable),
        cmocka_unit_test(test_ctx_create_errors),
        cmocka_unit_test(test_status_strings_and_version),
    };
    return cmocka_run_group_tests_name("errors", tests, setup, teardown);
}
