/* Asynchronous behaviour: fills wait for their wait lists and signal their events (single launch,
 * several launches behind a marker, and the empty no-op), event chains on an out-of-order queue, fills from
 * two threads on one handle, and a handle on the caller's own context that leaves the caller's reference
 * counts as it found them. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const uint64_t SEED = UINT64_C(0x0A5C0A5C12345678);
static const uint64_t STREAM = UINT64_C(0x0000000300000004);

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Fills behind a user event (sup_gated_fill): one launch, then a box split into several launches. */
static void test_wait_list_single_launch(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_KAIMING_UNIFORM);
    sup_gated_fill(e, sup_tensor(NULL, 16, 2, (int64_t[]){96, 50}), &s, SEED, STREAM);
}

static void test_wait_list_many_launches(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* 70000 runs: two launches; the returned event is a marker over both. */
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){70000, 8});
    sup_set_box(&t, (int64_t[]){0, 2}, (int64_t[]){70000, 3});
    sup_gated_fill(e, t, &s, SEED, STREAM);
}

static void test_wait_list_empty_tensor(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* A zero-element fill is a no-op that still honours its wait list: its event completes only after the
     * user event. */
    cl_int err;
    cl_mem buf = sup_buffer(e, 64);
    clinit_tensor t = sup_tensor(buf, 0, 2, (int64_t[]){0, 7});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    cl_event gate = clCreateUserEvent(e->context, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_event done = NULL;
    SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s, SEED, STREAM, 1, &gate, &done));
    assert_non_null(done);
    clFlush(e->queue);
    sleep_ms(20);
    assert_true(sup_event_status(done) > CL_COMPLETE);
    assert_int_equal(clSetUserEventStatus(gate, CL_COMPLETE), CL_SUCCESS);
    assert_int_equal(clWaitForEvents(1, &done), CL_SUCCESS);
    assert_int_equal(sup_event_status(done), CL_COMPLETE);
    clReleaseEvent(done);
    clReleaseEvent(gate);
    clReleaseMemObject(buf);
}

static void test_out_of_order_chain(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_command_queue_properties props = 0;
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_QUEUE_PROPERTIES, sizeof props, &props, NULL), CL_SUCCESS);
    if (!(props & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE)) {
        print_message("device has no out-of-order queues: skipped\n");
        skip();
    }
    cl_int err;
    cl_command_queue ooo = clCreateCommandQueue(e->context, e->device, CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, &err);
    assert_int_equal(err, CL_SUCCESS);
    const size_t n = 96 * 50;
    cl_mem buf = sup_buffer(e, n * 4);
    clinit_init_spec u = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    clinit_tensor whole = sup_tensor(buf, 0, 2, (int64_t[]){96, 50});
    /* Several rounds: whole tensor uniform → constant 7 over elements 100..1099 → uniform box of rows 40..59
     * written over elements 2000..2999 (a box is contiguous at its offset), each waiting on the previous. */
    for (int round = 0; round < 5; round++) {
        cl_event e1 = NULL, e2 = NULL, e3 = NULL;
        SUP_OK(e->ctx, clinit_fill(e->ctx, ooo, &whole, &u, SEED, STREAM + (uint64_t)round, 0, NULL, &e1));
        clinit_tensor mid = sup_tensor(buf, 400, 1, (int64_t[]){1000});
        SUP_OK(e->ctx, clinit_constant(e->ctx, ooo, &mid, 7.0, 1, &e1, &e2));
        clinit_tensor box = whole;
        sup_set_box(&box, (int64_t[]){40, 0}, (int64_t[]){20, 50});
        box.offset_bytes = 8000;
        clinit_init_spec nrm = clinit_init_spec_default(CLINIT_INIT_NORMAL);
        SUP_OK(e->ctx, clinit_fill(e->ctx, ooo, &box, &nrm, SEED, STREAM, 1, &e2, &e3));
        float *host = malloc(n * 4);
        assert_int_equal(clEnqueueReadBuffer(ooo, buf, CL_TRUE, 0, n * 4, host, 1, &e3, NULL), CL_SUCCESS);
        float *ref = sup_reference_fill(&whole, &u, SEED, STREAM + (uint64_t)round);
        float *bref = sup_reference_fill(&box, &nrm, SEED, STREAM);
        for (size_t i = 0; i < n; i++) {
            if (i >= 100 && i < 1100)
                assert_true(host[i] == 7.0f);
            else if (i >= 2000 && i < 3000) {
                sup_compare(&host[i], &bref[i - 2000], 1, "third fill");
            } else {
                assert_int_equal(sup_bits(host[i]), sup_bits(ref[i]));
            }
        }
        free(ref);
        free(bref);
        free(host);
        clReleaseEvent(e1);
        clReleaseEvent(e2);
        clReleaseEvent(e3);
    }
    clReleaseMemObject(buf);
    clReleaseCommandQueue(ooo);
}

static void test_back_to_back_fills(void **state)
{
    sup_env *e = SUP_ENV(state);
    /* 32 fills enqueued without waiting, each with its own arguments, then one clFinish: every fill keeps
     * the arguments it was enqueued with. */
    enum { K = 32, ROWS = 33, COLS = 17 };
    const size_t n = ROWS * COLS;
    cl_mem buf = sup_buffer(e, K * n * 4);
    clinit_init_spec s[K];
    for (int k = 0; k < K; k++) {
        s[k] = clinit_init_spec_default(k % 2 ? CLINIT_INIT_UNIFORM : CLINIT_INIT_NORMAL);
        s[k].a = -k;
        s[k].b = k + 1;
        s[k].mean = k;
        clinit_tensor t = sup_tensor(buf, (size_t)k * n * 4, 2, (int64_t[]){ROWS, COLS});
        SUP_OK(e->ctx, clinit_fill(e->ctx, e->queue, &t, &s[k], SEED + (uint64_t)k, STREAM, 0, NULL, NULL));
    }
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    float *host = malloc(K * n * 4);
    sup_read(e, buf, 0, K * n * 4, host);
    for (int k = 0; k < K; k++) {
        clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){ROWS, COLS});
        float *ref = sup_reference_fill(&t, &s[k], SEED + (uint64_t)k, STREAM);
        sup_compare(host + (size_t)k * n, ref, n, "back-to-back");
        free(ref);
    }
    free(host);
    clReleaseMemObject(buf);
}

typedef struct worker {
    const sup_env *e;
    int id;
    int bad;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    cl_int err;
    cl_command_queue q = clCreateCommandQueue(w->e->context, w->e->device, 0, &err);
    if (err != CL_SUCCESS) {
        w->bad = 1;
        return NULL;
    }
    enum { ROWS = 64, COLS = 31, ITER = 16 };
    const size_t n = ROWS * COLS;
    cl_mem buf = clCreateBuffer(w->e->context, CL_MEM_READ_WRITE, n * 4, NULL, &err);
    float *host = malloc(n * 4), *ref = malloc(n * 4);
    for (int it = 0; it < ITER && !w->bad; it++) {
        clinit_tensor t = sup_tensor(buf, 0, 2, (int64_t[]){ROWS, COLS});
        clinit_init_spec s = clinit_init_spec_default(it % 2 ? CLINIT_INIT_XAVIER_UNIFORM : CLINIT_INIT_UNIFORM);
        s.a = w->id;
        s.b = w->id + 1 + it;
        uint64_t seed = (uint64_t)w->id << 32 | (uint64_t)it;
        if (clinit_fill(w->e->ctx, q, &t, &s, seed, STREAM, 0, NULL, NULL) != CLINIT_SUCCESS ||
            clEnqueueReadBuffer(q, buf, CL_TRUE, 0, n * 4, host, 0, NULL, NULL) != CL_SUCCESS ||
            clinit_reference_fill(&t, &s, seed, STREAM, ref, n * 4) != CLINIT_SUCCESS || memcmp(host, ref, n * 4) != 0)
            w->bad = 1;
    }
    free(host);
    free(ref);
    clReleaseMemObject(buf);
    clReleaseCommandQueue(q);
    return NULL;
}

static void test_two_threads_one_handle(void **state)
{
    sup_env *e = SUP_ENV(state);
    pthread_t th[2];
    worker w[2] = {{e, 1, 0}, {e, 2, 0}};
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_int_equal(w[0].bad, 0);
    assert_int_equal(w[1].bad, 0);
}

static void test_caller_context(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_int err;
    cl_context c = clCreateContext(NULL, 1, &e->device, NULL, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_command_queue q = clCreateCommandQueue(c, e->device, 0, &err);
    assert_int_equal(err, CL_SUCCESS);
    cl_uint c0 = 0, d0 = 0, c1 = 0, d1 = 0, c2 = 0, d2 = 0;
    assert_int_equal(clGetContextInfo(c, CL_CONTEXT_REFERENCE_COUNT, sizeof c0, &c0, NULL), CL_SUCCESS);
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_REFERENCE_COUNT, sizeof d0, &d0, NULL), CL_SUCCESS);

    clinit_ctx *h = NULL;
    SUP_OK(h, clinit_ctx_create(&h, c, e->device));
    assert_true(clinit_ctx_cl_context(h) == c);
    assert_true(clinit_ctx_device(h) == e->device);
    assert_null(clinit_ctx_queue(h)); /* no own queue for a caller's context */
    clGetContextInfo(c, CL_CONTEXT_REFERENCE_COUNT, sizeof c1, &c1, NULL);
    clGetDeviceInfo(e->device, CL_DEVICE_REFERENCE_COUNT, sizeof d1, &d1, NULL);
    assert_true(c1 > c0); /* retained while in use */

    const size_t n = 40 * 9;
    cl_mem buf = clCreateBuffer(c, CL_MEM_READ_WRITE, n * 4, NULL, &err);
    assert_int_equal(err, CL_SUCCESS);
    clinit_tensor t = sup_tensor(buf, 0, 2, (int64_t[]){40, 9});
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_XAVIER_NORMAL);
    cl_event ev = NULL;
    SUP_OK(h, clinit_fill(h, q, &t, &s, SEED, STREAM, 0, NULL, &ev));
    float host[40 * 9];
    assert_int_equal(clEnqueueReadBuffer(q, buf, CL_TRUE, 0, n * 4, host, 1, &ev, NULL), CL_SUCCESS);
    assert_int_equal(sup_event_status(ev), CL_COMPLETE);
    clReleaseEvent(ev);
    float *ref = sup_reference_fill(&t, &s, SEED, STREAM);
    sup_compare(host, ref, n, "caller context");
    free(ref);
    /* clinit's own queue belongs to another context: refused. */
    assert_int_equal(clinit_fill(h, e->queue, &t, &s, SEED, STREAM, 0, NULL, NULL), CLINIT_ERROR_INVALID_QUEUE);
    clReleaseMemObject(buf);
    assert_int_equal(clFinish(q), CL_SUCCESS);

    clinit_ctx_destroy(h);
    assert_int_equal(clGetContextInfo(c, CL_CONTEXT_REFERENCE_COUNT, sizeof c2, &c2, NULL), CL_SUCCESS);
    assert_int_equal(clGetDeviceInfo(e->device, CL_DEVICE_REFERENCE_COUNT, sizeof d2, &d2, NULL), CL_SUCCESS);
    assert_int_equal(c2, c0);
    assert_int_equal(d2, d0);
    clReleaseCommandQueue(q);
    assert_int_equal(clReleaseContext(c), CL_SUCCESS);
    (void)d1;
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wait_list_single_launch), cmocka_unit_test(test_wait_list_many_launches),
        cmocka_unit_test(test_wait_list_empty_tensor),  cmocka_unit_test(test_out_of_order_chain),
        cmocka_unit_test(test_back_to_back_fills),      cmocka_unit_test(test_two_threads_one_handle),
        cmocka_unit_test(test_caller_context),
    };
    return cmocka_run_group_tests_name("async", tests, sup_group_setup, sup_group_teardown);
}
