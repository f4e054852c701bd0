/* Thread safety (include/clinit.h, clinit_ctx): 8 threads fill at once, each its own tensors with its own
 * initializer, stream and queue — first all on one shared context, then each on a context of its own — and
 * every byte is checked against the host reference. A race in the handle (kernel arguments set by one thread
 * and launched by another) would mix parameters or streams and show as differing bytes. */
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8
#define ROUNDS 12

typedef struct job {
    const sup_env *e;
    clinit_ctx *ctx; /* shared, or NULL: the thread makes its own on the same OpenCL context */
    int id;
    int failures;
    char why[256];
} job;

static void *worker(void *arg)
{
    job *j = arg;
    const clinit_init_kind kinds[4] = {CLINIT_INIT_UNIFORM, CLINIT_INIT_NORMAL, CLINIT_INIT_TRUNC_NORMAL,
                                       CLINIT_INIT_KAIMING_UNIFORM};
    clinit_ctx *ctx = j->ctx;
    if (!ctx && clinit_ctx_create(&ctx, j->e->context, j->e->device) != CLINIT_SUCCESS) {
        snprintf(j->why, sizeof j->why, "thread %d: clinit_ctx_create: %s", j->id, clinit_ctx_message(ctx));
        j->failures++;
        clinit_ctx_destroy(ctx);
        return NULL;
    }
    cl_int err;
    cl_command_queue q = clCreateCommandQueue(j->e->context, j->e->device, 0, &err);
    const int64_t shape[2] = {37 + j->id, 53};
    size_t n = (size_t)shape[0] * 53, bytes = n * sizeof(float);
    cl_mem buf = clCreateBuffer(j->e->context, CL_MEM_READ_WRITE, bytes, NULL, &err);
    float *dev = malloc(bytes), *ref = malloc(bytes);
    for (int r = 0; r < ROUNDS && err == CL_SUCCESS; r++) {
        clinit_tensor t = {.buffer = buf, .dtype = CLINIT_F32, .rank = 2, .shape = {shape[0], shape[1]}};
        clinit_init_spec s = clinit_init_spec_default(kinds[(j->id + r) % 4]);
        uint64_t stream = (uint64_t)(j->id * 1000 + r);
        clinit_status st = clinit_fill(ctx, q, &t, &s, 77, stream, 0, NULL, NULL);
        if (st == CLINIT_SUCCESS) err = clEnqueueReadBuffer(q, buf, CL_TRUE, 0, bytes, dev, 0, NULL, NULL);
        if (st == CLINIT_SUCCESS && err == CL_SUCCESS) st = clinit_reference_fill(&t, &s, 77, stream, ref, bytes);
        if (st != CLINIT_SUCCESS || err != CL_SUCCESS || memcmp(dev, ref, bytes) != 0) {
            snprintf(j->why, sizeof j->why, "thread %d round %d: status %d, OpenCL %d, or bytes differ", j->id, r,
                     (int)st, (int)err);
            j->failures++;
        }
    }
    free(dev);
    free(ref);
    clReleaseMemObject(buf);
    clReleaseCommandQueue(q);
    if (!j->ctx) clinit_ctx_destroy(ctx);
    return NULL;
}

static void run_threads(sup_env *e, int shared)
{
    pthread_t th[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){.e = e, .ctx = shared ? e->ctx : NULL, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < THREADS; i++)
        if (jobs[i].failures) fail_msg("%s context: %s", shared ? "shared" : "own", jobs[i].why);
}

static void test_shared_context(void **state) { run_threads(SUP_ENV(state), 1); }
static void test_context_per_thread(void **state) { run_threads(SUP_ENV(state), 0); }

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_context),
        cmocka_unit_test(test_context_per_thread),
    };
    return cmocka_run_group_tests_name("threads", tests, sup_group_setup, sup_group_teardown);
}
