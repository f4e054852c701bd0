/* Thread safety (include/clinit.h, clinit_ctx): 8 threads fill at once, each its own tensors with its own
 * initializer, stream and queue — first all on one shared context, then each on a context of its own — and
 * every byte is checked against the host reference. A race in the handle (kernel arguments set by one thread
 * and launched by another) would mix parameters or streams and show as differing bytes. */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
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

/* Messages on a shared handle: each thread reads its own calls' message. Thread A fails (std = -1) while
 * the main thread succeeds on the same handle in between: A still reads its failure, the main thread "".
 * Then both race, failing and succeeding 2000 times each, and each checks its own message after every
 * call. */
typedef struct msg_job {
    clinit_ctx *ctx;
    cl_command_queue q;
    cl_mem buf;
    pthread_barrier_t *step;
    int bad; /* fails every call; else succeeds */
    int failures;
    char why[256];
} msg_job;

static clinit_status fill_normal(msg_job *j)
{
    clinit_tensor t = {.buffer = j->buf, .dtype = CLINIT_F32, .rank = 1, .shape = {8}};
    return clinit_normal(j->ctx, j->q, &t, 0.0, j->bad ? -1.0 : 1.0, 5, 0, 0, NULL, NULL);
}

static void check_own_message(msg_job *j, int call)
{
    clinit_status st = fill_normal(j);
    const char *m = clinit_ctx_message(j->ctx);
    int ok = j->bad ? st == CLINIT_ERROR_INVALID_PARAMETER && strstr(m, "std") != NULL
                    : st == CLINIT_SUCCESS && m[0] == '\0';
    if (!ok && !j->failures++)
        snprintf(j->why, sizeof j->why, "%s call %d: status %d, message \"%.150s\"", j->bad ? "failing" : "good", call,
                 (int)st, m);
}

static void *msg_worker(void *arg)
{
    msg_job *j = arg;
    if (j->step) {
        (void)fill_normal(j);          /* fails */
        pthread_barrier_wait(j->step); /* the main thread succeeds now */
        pthread_barrier_wait(j->step);
        const char *m = clinit_ctx_message(j->ctx);
        if (!strstr(m, "std") && !j->failures++)
            snprintf(j->why, sizeof j->why, "after another thread's success: \"%.150s\"", m);
        return NULL;
    }
    for (int k = 0; k < 2000; k++) check_own_message(j, k);
    return NULL;
}

static void test_messages_per_thread(void **state)
{
    sup_env *e = SUP_ENV(state);
    cl_mem buf = sup_buffer(e, 64);
    pthread_barrier_t step;
    assert_int_equal(pthread_barrier_init(&step, NULL, 2), 0);
    msg_job a = {.ctx = e->ctx, .q = e->queue, .buf = buf, .step = &step, .bad = 1};
    msg_job good = {.ctx = e->ctx, .q = e->queue, .buf = buf};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, msg_worker, &a), 0);
    pthread_barrier_wait(&step);
    SUP_OK(e->ctx, fill_normal(&good));
    assert_string_equal(clinit_ctx_message(e->ctx), "");
    pthread_barrier_wait(&step);
    pthread_join(th, NULL);
    if (a.failures) fail_msg("%s", a.why);
    pthread_barrier_destroy(&step);

    msg_job racers[2] = {{.ctx = e->ctx, .q = e->queue, .buf = buf, .bad = 1},
                         {.ctx = e->ctx, .q = e->queue, .buf = buf}};
    pthread_t t2[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t2[i], NULL, msg_worker, &racers[i]), 0);
    for (int i = 0; i < 2; i++) pthread_join(t2[i], NULL);
    for (int i = 0; i < 2; i++)
        if (racers[i].failures) fail_msg("%d wrong messages; first: %s", racers[i].failures, racers[i].why);
    assert_int_equal(clFinish(e->queue), CL_SUCCESS);
    clReleaseMemObject(buf);
}

typedef struct creator {
    const sup_env *e;
    clinit_ctx *made;
} creator;

static void *create_ctx(void *arg)
{
    creator *c = arg;
    if (clinit_ctx_create(&c->made, c->e->context, c->e->device) != CLINIT_SUCCESS) {
        clinit_ctx_destroy(c->made);
        c->made = NULL;
    }
    return NULL;
}

/* A thread whose latest call was on another handle reads this handle's last message of any thread; a handle
 * made at a destroyed one's address does not inherit the message this thread had of the old one. */
static void test_message_of_another_handle(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_ctx *other = NULL;
    SUP_OK(other, clinit_ctx_create(&other, e->context, e->device));
    assert_int_equal(clinit_ctx_set_local_size(other, (size_t)1 << 40), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_ctx_set_local_size(e->ctx, 0), CLINIT_SUCCESS);
    assert_non_null(strstr(clinit_ctx_message(other), "local_size"));
    assert_string_equal(clinit_ctx_message(e->ctx), "");
    /* A handle another thread makes, perhaps where `other` was: this thread has made no call on it. */
    clinit_ctx_destroy(other);
    creator c = {e, NULL};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, create_ctx, &c), 0);
    pthread_join(th, NULL);
    assert_non_null(c.made);
    assert_string_equal(clinit_ctx_message(c.made), "");
    clinit_ctx_destroy(c.made);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_context),
        cmocka_unit_test(test_context_per_thread),
        cmocka_unit_test(test_messages_per_thread),
        cmocka_unit_test(test_message_of_another_handle),
    };
    return cmocka_run_group_tests_name("threads", tests, sup_group_setup, sup_group_teardown);
}
