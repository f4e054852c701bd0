/* Resource failures, injected (tests/clfault.c): a failing program build, kernel creation, context or queue
 * creation, device allocation, argument setting, kernel launch or marker comes back as its clinit status with
 * the OpenCL call and error name in the context's message; no OpenCL reference is left behind (every mem
 * object, event, kernel, program, queue and context counted), nothing is written outside the described
 * tensor, nothing is written at all when the failure comes before the first launch, and the context keeps
 * working afterwards. Each failure is injected at every call of its kind that the operation makes (the 1st,
 * 2nd, … until the operation no longer reaches that many), so every exit path is taken once. Host memory
 * leaks on these paths are LeakSanitizer's part (scripts/sanitize.sh runs this suite too). */
#include "support.h"

#include "clfault.h"

#include <stdlib.h>
#include <string.h>

static const uint64_t SEED = 0x5eedULL, STREAM = 7;

static long snapshot[CLFAULT_KINDS];

static void take_snapshot(void)
{
    for (int k = 0; k < CLFAULT_KINDS; k++) snapshot[k] = clfault_live((clfault_kind)k);
}

static void assert_no_new_references(const char *what, unsigned nth)
{
    static const char *const names[CLFAULT_KINDS] = {"mem objects", "events", "kernels",
                                                     "programs",    "queues", "contexts"};
    for (int k = 0; k < CLFAULT_KINDS; k++)
        if (clfault_live((clfault_kind)k) != snapshot[k])
            fail_msg("%s (call %u): %ld %s left referenced", what, nth, clfault_live((clfault_kind)k) - snapshot[k],
                     names[k]);
}

static void assert_message_has(const clinit_ctx *ctx, const char *what, unsigned nth, const char *a, const char *b)
{
    const char *m = clinit_ctx_message(ctx);
    if (!strstr(m, a) || !strstr(m, b))
        fail_msg("%s (call %u): message \"%s\" does not name %s and %s", what, nth, m, a, b);
}

/* ------------------------------------------------------------------------------------------------------- */
/* Context creation                                                                                         */

typedef struct ctx_fault {
    const char *call;
    cl_int err;
    const char *err_name;
    clinit_status want;
    int default_only; /* the call happens only in clinit_ctx_create_default */
    int caller_only;  /* the call happens only in clinit_ctx_create (the caller's context is queried) */
} ctx_fault;

static const ctx_fault ctx_faults[] = {
    {"clCreateProgramWithSource", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY", CLINIT_ERROR_OPENCL, 0, 0},
    {"clBuildProgram", CL_BUILD_PROGRAM_FAILURE, "CL_BUILD_PROGRAM_FAILURE", CLINIT_ERROR_BUILD_FAILED, 0, 0},
    {"clBuildProgram", CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES", CLINIT_ERROR_OPENCL, 0, 0},
    {"clCreateKernel", CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES", CLINIT_ERROR_OPENCL, 0, 0},
    {"clGetKernelWorkGroupInfo", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY", CLINIT_ERROR_OPENCL, 0, 0},
    {"clCreateContext", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY", CLINIT_ERROR_OPENCL, 1, 0},
    {"clCreateCommandQueue", CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES", CLINIT_ERROR_OPENCL, 1, 0},
    /* both queries of the caller's context: a failed one is named, not taken for a device outside the context */
    {"clGetContextInfo", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY", CLINIT_ERROR_OPENCL, 0, 1},
    /* the ICD loader's "no platform" is no device; another failure of the query is OpenCL's, named */
    {"clGetPlatformIDs", -1001, "CL_PLATFORM_NOT_FOUND_KHR", CLINIT_ERROR_DEVICE_NOT_FOUND, 1, 0},
    {"clGetPlatformIDs", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY", CLINIT_ERROR_OPENCL, 1, 0},
};

static void test_context_creation(void **state)
{
    sup_env *e = SUP_ENV(state);
    for (size_t f = 0; f < sizeof ctx_faults / sizeof *ctx_faults; f++)
        for (int use_default = ctx_faults[f].default_only; use_default < 2 - ctx_faults[f].caller_only; use_default++) {
            const ctx_fault *c = &ctx_faults[f];
            unsigned nth = 1;
            for (;; nth++) {
                take_snapshot();
                clfault_arm(c->call, nth, c->err);
                clinit_ctx *ctx = NULL;
                clinit_status st =
                    use_default ? clinit_ctx_create_default(&ctx) : clinit_ctx_create(&ctx, e->context, e->device);
                int fired = clfault_disarm();
                if (!fired) {
                    /* past the last such call: the context was made */
                    assert_int_equal(st, CLINIT_SUCCESS);
                    clinit_ctx_destroy(ctx);
                    break;
                }
                if (st != c->want)
                    fail_msg("%s = %s (call %u, %s): %s, want %s", c->call, c->err_name, nth,
                             use_default ? "default" : "caller's context", clinit_status_string(st),
                             clinit_status_string(c->want));
                assert_message_has(ctx, c->call, nth, c->call, c->err_name);
                clinit_ctx_destroy(ctx);
                assert_no_new_references(c->call, nth);
            }
            if (nth > 1)
                print_message("%s %s: calls 1..%u failed in turn\n",
                              use_default ? "clinit_ctx_create_default" : "clinit_ctx_create", c->call, nth - 1);
            /* a context makes every kernel it has: dozens of clCreateKernel calls, each one failed once */
            if (strcmp(c->call, "clCreateKernel") == 0)
                assert_true(nth > 20);
            else
                assert_true(nth >= 2);
        }
}

/* ------------------------------------------------------------------------------------------------------- */
/* Fills                                                                                                    */

typedef struct fill_case {
    const char *what;
    clinit_init_spec spec;
    int rank;
    int64_t shape[4];
    int boxed; /* box: every row, the first half of the columns (many runs: several launches on PoCL) */
    int batch; /* filled by clinit_fill_batch as two items, the first and the second half of the rows */
} fill_case;

static fill_case fill_case_of(const char *what, clinit_init_kind kind, int rank, int64_t d0, int64_t d1, int boxed,
                              int batch)
{
    fill_case c = {what, clinit_init_spec_default(kind), rank, {d0, d1, 3, 3}, boxed, batch};
    return c;
}

/* clinit_fill of c's tensor t, or clinit_fill_batch of its two halves (rows [0, d0/2) and [d0/2, d0)). */
static clinit_status fill_case_run(const sup_env *e, const fill_case *c, const clinit_tensor *t, cl_event *ev)
{
    if (!c->batch) return clinit_fill(e->ctx, e->queue, t, &c->spec, SEED, STREAM, 0, NULL, ev);
    clinit_batch_item items[2] = {{*t, c->spec, STREAM}, {*t, c->spec, STREAM}};
    int64_t start[4] = {0, 0, 0, 0}, extent[4] = {c->shape[0] / 2, c->shape[1], c->shape[2], c->shape[3]};
    sup_set_box(&items[0].tensor, start, extent);
    start[0] = extent[0];
    extent[0] = c->shape[0] - start[0];
    sup_set_box(&items[1].tensor, start, extent);
    items[1].tensor.offset_bytes += (size_t)sup_numel(&items[0].tensor) * sizeof(float);
    return clinit_fill_batch(e->ctx, e->queue, items, 2, SEED, 0, NULL, ev);
}

/* The tensor of c in buf at offset `offset`; its described elements. */
static clinit_tensor case_tensor(const fill_case *c, cl_mem buf, size_t offset)
{
    clinit_tensor t = sup_tensor(buf, offset, c->rank, c->shape);
    if (c->boxed) sup_set_box(&t, (int64_t[]){0, 0}, (int64_t[]){c->shape[0], c->shape[1] / 2});
    return t;
}

typedef struct fill_fault {
    const char *call;
    cl_int err;
    const char *err_name;
} fill_fault;

static const fill_fault fill_faults[] = {
    {"clGetCommandQueueInfo", CL_INVALID_COMMAND_QUEUE, "CL_INVALID_COMMAND_QUEUE"},
    {"clGetMemObjectInfo", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY"},
    {"clSetKernelArg", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY"},
    {"clCreateBuffer", CL_MEM_OBJECT_ALLOCATION_FAILURE, "CL_MEM_OBJECT_ALLOCATION_FAILURE"},
    {"clGetKernelWorkGroupInfo", CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES"},
    {"clEnqueueNDRangeKernel", CL_OUT_OF_RESOURCES, "CL_OUT_OF_RESOURCES"},
    {"clEnqueueMarkerWithWaitList", CL_OUT_OF_HOST_MEMORY, "CL_OUT_OF_HOST_MEMORY"},
};

/* Calls that come before anything is enqueued: the buffer must be untouched. A batch checks every item
 * before it enqueues anything, and its first allocation, query or launch comes first too. */
static int before_first_enqueue(const fill_case *c, const char *call, unsigned nth)
{
    int first_only = strcmp(call, "clCreateBuffer") == 0 || strcmp(call, "clGetKernelWorkGroupInfo") == 0;
    /* two queue queries for the call (its queue, checked once for a batch), then one by each orthogonal fill
     * before its launches: in a batch the second item's comes after the first item's launches */
    int checking = strcmp(call, "clGetCommandQueueInfo") == 0 && (!c->batch || nth <= 3);
    checking |= strcmp(call, "clGetMemObjectInfo") == 0; /* the buffers' checks, all of them before any enqueue */
    return checking || (first_only && (!c->batch || nth == 1)) ||
           (strcmp(call, "clEnqueueNDRangeKernel") == 0 && nth == 1);
}

/* Every fault of fill_faults at every call of its kind that a fill of c makes, with and without an event. */
static void fault_every_call(const sup_env *e, const fill_case *c)
{
    const size_t offset = 64;
    clinit_tensor probe = case_tensor(c, NULL, 0);
    size_t bytes = sup_numel(&probe) * sizeof(float), total = offset + bytes + SUP_GUARD;
    unsigned char *all = malloc(total);
    assert_non_null(all);
    for (size_t f = 0; f < sizeof fill_faults / sizeof *fill_faults; f++)
        for (int with_event = 0; with_event < 2; with_event++)
            for (unsigned nth = 1;; nth++) {
                const fill_fault *ff = &fill_faults[f];
                cl_mem buf = sup_buffer(e, total);
                sup_fill_pattern(e, buf, total, SUP_SENTINEL);
                clinit_tensor t = case_tensor(c, buf, offset);
                take_snapshot();
                cl_event ev = (cl_event)&ev; /* must be set to NULL on failure */
                clfault_arm(ff->call, nth, ff->err);
                clinit_status st = fill_case_run(e, c, &t, with_event ? &ev : NULL);
                int fired = clfault_disarm();
                assert_int_equal(clFinish(e->queue), CL_SUCCESS);
                if (with_event && st == CLINIT_SUCCESS) {
                    assert_int_equal(sup_event_status(ev), CL_COMPLETE);
                    clReleaseEvent(ev);
                }
                sup_read(e, buf, 0, total, all);
                assert_no_new_references(c->what, nth);
                clReleaseMemObject(buf);
                sup_assert_pattern(all, 0, offset, SUP_SENTINEL);
                sup_assert_pattern(all, offset + bytes, total, SUP_SENTINEL);
                if (!fired) {
                    assert_int_equal(st, CLINIT_SUCCESS);
                    if (nth > 1)
                        print_message("%s%s: %s: calls 1..%u failed in turn\n", c->what, with_event ? " (event)" : "",
                                      ff->call, nth - 1);
                    break;
                }
                if (st != CLINIT_ERROR_OPENCL)
                    fail_msg("%s: %s = %s (call %u): %s, want CLINIT_ERROR_OPENCL", c->what, ff->call, ff->err_name,
                             nth, clinit_status_string(st));
                assert_message_has(e->ctx, c->what, nth, ff->call, ff->err_name);
                if (with_event) assert_null(ev);
                if (before_first_enqueue(c, ff->call, nth))
                    sup_assert_pattern(all, offset, offset + bytes, SUP_SENTINEL);
            }
    free(all);
}

static void test_fills(void **state)
{
    sup_env *e = SUP_ENV(state);
    const fill_case cases[] = {
        fill_case_of("normal", CLINIT_INIT_NORMAL, 2, 33, 17, 0, 0),
        /* 70000 runs: two launches (65535 rows each at most), so a marker joins their events */
        fill_case_of("uniform, 70000 runs", CLINIT_INIT_UNIFORM, 2, 70000, 4, 1, 0),
        fill_case_of("sparse", CLINIT_INIT_SPARSE, 2, 40, 9, 0, 0),
        /* scratch buffers, 2n + 2⌈n/16⌉ + 2 launches */
        fill_case_of("orthogonal 5x4x3x3", CLINIT_INIT_ORTHOGONAL, 4, 5, 4, 0, 0),
        /* a batch: its table buffer, one launch for both halves */
        fill_case_of("batch of two normal halves", CLINIT_INIT_NORMAL, 2, 33, 17, 0, 1),
        /* a batch whose items are filled one by one: two orthogonal fills and the marker of the event */
        fill_case_of("batch of two orthogonal halves", CLINIT_INIT_ORTHOGONAL, 4, 5, 4, 0, 1),
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) fault_every_call(e, &cases[k]);

    /* The context still fills correctly after all of that. */
    clinit_tensor t = sup_tensor(NULL, 0, 4, cases[3].shape);
    void *dev = sup_device_fill(e, &t, &cases[3].spec, SEED, STREAM, 0);
    void *ref = sup_reference_fill(&t, &cases[3].spec, SEED, STREAM);
    assert_memory_equal(dev, ref, sup_numel(&t) * sizeof(float));
    free(dev);
    free(ref);
}

/* A zero-element fill with an event enqueues only a marker. */
static void test_empty_fill_marker(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem buf = sup_buffer(e, 64);
    clinit_tensor t = sup_tensor(buf, 0, 2, (int64_t[]){0, 5});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    take_snapshot();
    cl_event ev = (cl_event)&ev;
    clfault_arm("clEnqueueMarkerWithWaitList", 1, CL_OUT_OF_RESOURCES);
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 0, NULL, &ev), CLINIT_ERROR_OPENCL);
    assert_true(clfault_disarm());
    assert_null(ev);
    assert_message_has(e->ctx, "empty fill", 1, "clEnqueueMarkerWithWaitList", "CL_OUT_OF_RESOURCES");
    assert_no_new_references("empty fill", 1);
    clReleaseMemObject(buf);
}

/* A wait-list event whose context cannot be read: CLINIT_ERROR_OPENCL naming the event, the call and the error;
 * nothing enqueued, nothing written. */
static void test_wait_list_query(void **state)
{
    sup_env *e = SUP_ENV(state);
    const size_t bytes = 16 * sizeof(float);
    cl_mem buf = sup_buffer(e, bytes);
    sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
    clinit_tensor t = sup_tensor(buf, 0, 2, (int64_t[]){4, 4});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    cl_int err;
    cl_event done = clCreateUserEvent(e->context, &err);
    assert_int_equal(err, CL_SUCCESS);
    assert_int_equal(clSetUserEventStatus(done, CL_COMPLETE), CL_SUCCESS);
    take_snapshot();
    cl_event ev = (cl_event)&ev;
    clfault_arm("clGetEventInfo", 1, CL_OUT_OF_HOST_MEMORY);
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 1, &done, &ev), CLINIT_ERROR_OPENCL);
    assert_true(clfault_disarm());
    assert_null(ev);
    assert_message_has(e->ctx, "wait list", 1, "event_wait_list[0]: clGetEventInfo", "CL_OUT_OF_HOST_MEMORY");
    assert_no_new_references("wait list", 1);
    unsigned char host[16 * sizeof(float)];
    sup_read(e, buf, 0, bytes, host);
    sup_assert_pattern(host, 0, bytes, SUP_SENTINEL);
    clReleaseEvent(done);
    clReleaseMemObject(buf);
}

/* clinit_ctx_set_local_size cannot read the device's limit: CLINIT_ERROR_OPENCL naming the query; the context
 * still fills. */
static void test_local_size_query(void **state)
{
    sup_env *e = SUP_ENV(state);
    clfault_arm("clGetDeviceInfo", 1, CL_INVALID_DEVICE);
    clinit_status st = clinit_ctx_set_local_size(e->ctx, 1);
    assert_true(clfault_disarm());
    assert_int_equal(st, CLINIT_ERROR_OPENCL);
    assert_message_has(e->ctx, "set_local_size", 1, "clGetDeviceInfo(CL_DEVICE_MAX_WORK_GROUP_SIZE)",
                       "CL_INVALID_DEVICE");
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){5, 7});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    void *dev = sup_device_fill(e, &t, &s, SEED, STREAM, 0);
    void *ref = sup_reference_fill(&t, &s, SEED, STREAM);
    assert_memory_equal(dev, ref, sup_numel(&t) * sizeof(float));
    free(dev);
    free(ref);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_creation),  cmocka_unit_test(test_fills),
        cmocka_unit_test(test_empty_fill_marker), cmocka_unit_test(test_wait_list_query),
        cmocka_unit_test(test_local_size_query),
    };
    return cmocka_run_group_tests(tests, sup_group_setup, sup_group_teardown);
}
