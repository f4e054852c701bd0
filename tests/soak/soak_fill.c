/* The library under load and injected faults, for tests/soak/soak.py (docs/TESTING.md "Soak"):
 *
 *     soak_fill SECONDS THREADS SEED
 *
 * THREADS threads share one clinit context (each with its own queue) and, until SECONDS have passed, fill
 * random tensors: every initializer, dtype (f64 where the device has it), rank, box and byte offset, one
 * clinit_fill or a clinit_fill_batch of several tensors in one buffer. One fill in three runs under a fault:
 *   - a failed host allocation: the k-th malloc/calloc/realloc of the library during this thread's call
 *     returns NULL (the executable is linked with --wrap=malloc,calloc,realloc,free: only code linked into it,
 *     libclinit's, goes through the wrappers, never the OpenCL runtime's);
 *   - a failed OpenCL call: tests/clfault.c fails the n-th call to clCreateBuffer, clSetKernelArg,
 *     clEnqueueNDRangeKernel, clEnqueueMarkerWithWaitList or clGetKernelWorkGroupInfo from now, whichever
 *     thread makes it.
 * Each fill is checked: a success holds the host reference's bits (clinit_reference_fill) and its event
 * completes; a refusal is CLINIT_ERROR_OUT_OF_HOST_MEMORY (only when this thread's allocation failed) or
 * CLINIT_ERROR_OPENCL (only while OpenCL faults are armed), with *event NULL; either way no byte outside the
 * tensors changed. At the end every OpenCL object and host allocation of the run is released (counted by the
 * wrappers). Prints one summary line; exit status 0, or 1 after naming each violation. */
#define _POSIX_C_SOURCE 200809L
#include "clfault.h"
#include "clinit.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SENTINEL 0xAB
#define GUARD 64
#define MAX_ITEMS 4
#define MAX_NUMEL 40000

/* --- host allocations: counted, and failed on demand ------------------------------------------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);

static atomic_long live_allocations;
static _Thread_local int fail_countdown; /* > 0: that allocation from now returns NULL */
static _Thread_local int alloc_failed;

static int fail_now(void)
{
    if (fail_countdown <= 0 || --fail_countdown > 0) return 0;
    alloc_failed = 1;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    void *p = fail_now() ? NULL : __real_malloc(n);
    if (p) atomic_fetch_add(&live_allocations, 1);
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = fail_now() ? NULL : __real_calloc(n, size);
    if (p) atomic_fetch_add(&live_allocations, 1);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (fail_now()) return NULL;
    void *q = __real_realloc(p, n);
    if (!p && q) atomic_fetch_add(&live_allocations, 1);
    return q;
}

void __wrap_free(void *p)
{
    if (p) atomic_fetch_sub(&live_allocations, 1);
    __real_free(p);
}

/* --- what the threads share -------------------------------------------------------------------------- */

typedef struct totals {
    atomic_long fills, batches, matched, refused_oom, refused_opencl, alloc_faults, cl_faults, skipped, violations;
} totals;

static clinit_ctx *ctx;
static cl_context context;
static cl_device_id device;
static int has_fp64;
static double deadline;
static uint64_t base_seed;
static totals sum;
/* OpenCL faults armed and disarmed so far: a call overlapped an armed fault when, at its end, more had been
 * armed than had been disarmed at its start (the fault of one thread may hit another's call). */
static atomic_long cl_armed, cl_disarmed;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&print_lock);
    fprintf(stderr, "soak_fill: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    pthread_mutex_unlock(&print_lock);
    va_end(ap);
    atomic_fetch_add(&sum.violations, 1);
}

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int below(uint64_t *s, int n) { return (int)(next(s) % (uint64_t)n); }

static double between(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * (double)(next(s) >> 11) / 9007199254740992.0;
}

/* --- random tensors ---------------------------------------------------------------------------------- */

static void set_param(clinit_init_spec *spec, const char *name, uint64_t *s)
{
    char text[64];
    if (strcmp(name, "mode") == 0)
        snprintf(text, sizeof text, "%s", below(s, 2) ? "fan_in" : "fan_out");
    else if (strcmp(name, "nonlinearity") == 0)
        snprintf(text, sizeof text, "%s", below(s, 2) ? "relu" : "tanh");
    else if (strcmp(name, "distribution") == 0)
        snprintf(text, sizeof text, "%s", below(s, 2) ? "truncated_normal" : "uniform");
    else if (strcmp(name, "fan_in") == 0)
        snprintf(text, sizeof text, "%d", 1 + below(s, 200));
    else if (strcmp(name, "groups") == 0)
        snprintf(text, sizeof text, "1");
    else if (strcmp(name, "column_axis") == 0)
        snprintf(text, sizeof text, "%d", below(s, 2) ? -1 : 0);
    else if (strcmp(name, "sparsity") == 0)
        snprintf(text, sizeof text, "%.3f", between(s, 0, 0.9));
    else if (strcmp(name, "a") == 0)
        snprintf(text, sizeof text, "%.4f", between(s, -2, -0.1));
    else if (strcmp(name, "b") == 0)
        snprintf(text, sizeof text, "%.4f", between(s, 0.1, 2));
    else if (strcmp(name, "std") == 0 || strcmp(name, "gain") == 0 || strcmp(name, "scale") == 0)
        snprintf(text, sizeof text, "%.4f", between(s, 0.05, 2));
    else
        snprintf(text, sizeof text, "%.4f", between(s, -1, 1)); /* mean, val */
    (void)clinit_init_spec_set(spec, name, text);
}

/* A random valid (tensor, spec) of at most MAX_NUMEL elements at `offset` of buffer (NULL for now). */
static void random_case(uint64_t *s, clinit_tensor *t, clinit_init_spec *spec)
{
    for (;;) {
        clinit_init_kind kind = (clinit_init_kind)0;
        int kinds = 0;
        while (clinit_init_name((clinit_init_kind)kinds)) kinds++;
        kind = (clinit_init_kind)below(s, kinds);
        *spec = clinit_init_spec_default(kind);
        const char *names = clinit_init_param_names(kind);
        char list[256];
        snprintf(list, sizeof list, "%s", names ? names : "");
        for (char *save = NULL, *p = strtok_r(list, ", ", &save); p; p = strtok_r(NULL, ", ", &save))
            if (below(s, 2) || strcmp(p, "val") == 0 || strcmp(p, "sparsity") == 0 || strcmp(p, "fan_in") == 0)
                set_param(spec, p, s);
        memset(t, 0, sizeof *t);
        static const clinit_dtype dtypes[] = {CLINIT_F32, CLINIT_F16, CLINIT_BF16, CLINIT_F64};
        t->dtype = dtypes[below(s, has_fp64 ? 4 : 3)];
        t->rank = 1 + below(s, 4);
        t->layout = below(s, 2) ? CLINIT_LAYOUT_OI : CLINIT_LAYOUT_IO;
        int64_t numel = 1;
        for (int d = 0; d < t->rank; d++) {
            t->shape[d] = 1 + below(s, d == 0 ? 300 : 12);
            numel *= t->shape[d];
        }
        if (numel > MAX_NUMEL) continue;
        if (below(s, 3) == 0) {
            t->has_box = 1;
            for (int d = 0; d < t->rank; d++) {
                t->box_start[d] = below(s, (int)t->shape[d]);
                t->box_extent[d] = 1 + below(s, (int)(t->shape[d] - t->box_start[d]));
            }
        }
        char why[256];
        if (clinit_validate(t, spec, why, sizeof why) == CLINIT_SUCCESS) return;
    }
}

static const char *dtype_name(clinit_dtype dtype)
{
    return dtype == CLINIT_F16 ? "f16" : dtype == CLINIT_BF16 ? "bf16" : dtype == CLINIT_F64 ? "f64" : "f32";
}

static size_t tensor_bytes(const clinit_tensor *t)
{
    int64_t n = 0;
    clinit_tensor_numel(t, &n);
    return (size_t)n * clinit_dtype_size(t->dtype);
}

/* --- one fill (or batch) and its checks ---------------------------------------------------------------- */

typedef struct job {
    clinit_batch_item items[MAX_ITEMS];
    size_t count, bytes;
    int batch;
    uint64_t seed;
} job;

/* Lays the items out one after another, GUARD bytes apart and before the first, each at a multiple of 8. */
static void lay_out(job *j)
{
    size_t at = GUARD;
    for (size_t i = 0; i < j->count; i++) {
        j->items[i].tensor.offset_bytes = at;
        at += (tensor_bytes(&j->items[i].tensor) + 7) / 8 * 8 + GUARD;
    }
    j->bytes = at;
}

/* A harness call failed: an injected fault (then the iteration is skipped), or a real failure. */
static int harness_failed(cl_int err, const char *what)
{
    if (err == CL_SUCCESS) return 0;
    if (err == CL_OUT_OF_RESOURCES || err == CL_MEM_OBJECT_ALLOCATION_FAILURE) {
        atomic_fetch_add(&sum.skipped, 1);
        return 1;
    }
    violation("%s failed: %d", what, (int)err);
    return 1;
}

static void check_result(const job *j, clinit_status st, cl_event ev, const unsigned char *got, int thread)
{
    for (size_t i = 0, at = 0; i <= j->count; i++) { /* the guards: before, between and after the tensors */
        size_t end = i < j->count ? j->items[i].tensor.offset_bytes : j->bytes;
        for (size_t b = at; b < end; b++)
            if (got[b] != SENTINEL) {
                violation("thread %d: byte %zu outside the tensors changed (status %d)", thread, b, (int)st);
                return;
            }
        if (i < j->count) at = j->items[i].tensor.offset_bytes + tensor_bytes(&j->items[i].tensor);
    }
    if (st != CLINIT_SUCCESS) {
        if (ev) violation("thread %d: status %d with an event", thread, (int)st);
        return;
    }
    for (size_t i = 0; i < j->count; i++) {
        const clinit_batch_item *it = &j->items[i];
        size_t n = tensor_bytes(&it->tensor);
        void *want = __real_malloc(n ? n : 1);
        clinit_status rs = clinit_reference_fill(&it->tensor, &it->spec, j->seed, it->stream, want, n);
        if (rs != CLINIT_SUCCESS || memcmp(want, got + it->tensor.offset_bytes, n) != 0)
            violation("thread %d: %s item %zu (%s, %s, rank %d) differs from the host reference (%d)", thread,
                      j->batch ? "batch" : "fill", i, clinit_init_name(it->spec.kind), dtype_name(it->tensor.dtype),
                      it->tensor.rank, (int)rs);
        __real_free(want);
    }
    atomic_fetch_add(&sum.matched, (long)j->count);
}

static void run_one(cl_command_queue queue, uint64_t *s, int thread)
{
    job j = {.batch = below(s, 4) == 0, .seed = next(s)};
    j.count = j.batch ? 2 + (size_t)below(s, MAX_ITEMS - 1) : 1;
    for (size_t i = 0; i < j.count; i++) {
        random_case(s, &j.items[i].tensor, &j.items[i].spec);
        j.items[i].stream = next(s);
    }
    lay_out(&j);
    unsigned char *host = __real_malloc(j.bytes);
    memset(host, SENTINEL, j.bytes);
    cl_int err;
    cl_mem buf = clCreateBuffer(context, CL_MEM_READ_WRITE, j.bytes, NULL, &err);
    if (harness_failed(err, "clCreateBuffer (soak)")) {
        __real_free(host);
        return;
    }
    for (size_t i = 0; i < j.count; i++) j.items[i].tensor.buffer = buf;
    err = clEnqueueWriteBuffer(queue, buf, CL_TRUE, 0, j.bytes, host, 0, NULL, NULL);
    int fault = harness_failed(err, "clEnqueueWriteBuffer (soak)") ? -1 : below(s, 6); /* 0: alloc, 1: OpenCL */
    clinit_status st = CLINIT_SUCCESS;
    cl_event ev = NULL;
    if (fault >= 0) {
        static const char *const calls[] = {"clCreateBuffer", "clSetKernelArg", "clEnqueueNDRangeKernel",
                                            "clEnqueueMarkerWithWaitList", "clGetKernelWorkGroupInfo"};
        if (fault == 0) {
            fail_countdown = 1 + below(s, 3);
            alloc_failed = 0;
            atomic_fetch_add(&sum.alloc_faults, 1);
        } else if (fault == 1) {
            atomic_fetch_add(&cl_armed, 1);
            clfault_arm(calls[below(s, 5)], 1 + (unsigned)below(s, 3),
                        below(s, 2) ? CL_OUT_OF_RESOURCES : CL_MEM_OBJECT_ALLOCATION_FAILURE);
            atomic_fetch_add(&sum.cl_faults, 1);
        }
        long disarmed_before = atomic_load(&cl_disarmed);
        st = j.batch ? clinit_fill_batch(ctx, queue, j.items, j.count, j.seed, 0, NULL, &ev)
                     : clinit_fill(ctx, queue, &j.items[0].tensor, &j.items[0].spec, j.seed, j.items[0].stream, 0, NULL,
                                   &ev);
        int oom = fault == 0 && alloc_failed;
        fail_countdown = 0;
        int overlapped = atomic_load(&cl_armed) > disarmed_before;
        if (fault == 1) {
            clfault_disarm();
            atomic_fetch_add(&cl_disarmed, 1);
        }
        if (st == CLINIT_ERROR_OUT_OF_HOST_MEMORY && oom)
            atomic_fetch_add(&sum.refused_oom, 1);
        else if (st == CLINIT_ERROR_OPENCL && overlapped)
            atomic_fetch_add(&sum.refused_opencl, 1);
        else if (st != CLINIT_SUCCESS)
            violation("thread %d: %s returned %d (%s) without a matching fault: %s", thread,
                      j.batch ? "clinit_fill_batch" : "clinit_fill", (int)st, clinit_status_string(st),
                      clinit_ctx_message(ctx));
        if (oom && st == CLINIT_SUCCESS) violation("thread %d: an allocation failed, yet the fill succeeded", thread);
        if (ev && clWaitForEvents(1, &ev) != CL_SUCCESS) violation("thread %d: the fill's event failed", thread);
        if (ev) clReleaseEvent(ev);
        /* blocking, on the in-order queue: after whatever part of a failed fill was enqueued */
        err = clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, j.bytes, host, 0, NULL, NULL);
        if (!harness_failed(err, "clEnqueueReadBuffer (soak)")) check_result(&j, st, ev, host, thread);
        atomic_fetch_add(&sum.fills, 1);
        atomic_fetch_add(&sum.batches, j.batch);
    }
    clFinish(queue);
    clReleaseMemObject(buf);
    __real_free(host);
}

typedef struct worker {
    int thread;
    cl_command_queue queue; /* its own, made before any fault is armed */
} worker;

static void *thread_main(void *arg)
{
    const worker *w = arg;
    uint64_t s = base_seed ^ ((uint64_t)(w->thread + 1) * 0x632BE59BD9B4E019ULL);
    while (now() < deadline) run_one(w->queue, &s, w->thread);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: soak_fill SECONDS THREADS SEED\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    int threads = atoi(argv[2]);
    base_seed = strtoull(argv[3], NULL, 0);
    if (!(seconds > 0) || threads < 1 || threads > 64) {
        fprintf(stderr, "soak_fill: SECONDS > 0 and THREADS in 1..64\n");
        return 2;
    }
    long objects[CLFAULT_KINDS];
    for (int k = 0; k < CLFAULT_KINDS; k++) objects[k] = clfault_live((clfault_kind)k);
    long allocations = atomic_load(&live_allocations);
    clinit_status st = clinit_ctx_create_default(&ctx);
    if (st != CLINIT_SUCCESS) {
        fprintf(stderr, "soak_fill: clinit_ctx_create_default: %s: %s\n", clinit_status_string(st),
                clinit_ctx_message(ctx));
        return 1;
    }
    context = clinit_ctx_cl_context(ctx);
    device = clinit_ctx_device(ctx);
    cl_device_fp_config fp64 = 0;
    has_fp64 = clGetDeviceInfo(device, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL) == CL_SUCCESS && fp64;
    worker w[64];
    for (int i = 0; i < threads; i++) {
        cl_int err;
        w[i] = (worker){.thread = i, .queue = clCreateCommandQueue(context, device, 0, &err)};
        if (!w[i].queue) {
            fprintf(stderr, "soak_fill: clCreateCommandQueue failed: %d\n", (int)err);
            return 1;
        }
    }
    double start = now();
    deadline = start + seconds;
    pthread_t tid[64];
    for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, thread_main, &w[i]);
    for (int i = 0; i < threads; i++) pthread_join(tid[i], NULL);
    for (int i = 0; i < threads; i++) clReleaseCommandQueue(w[i].queue);
    clinit_ctx_destroy(ctx);
    for (int k = 0; k < CLFAULT_KINDS; k++)
        if (clfault_live((clfault_kind)k) != objects[k])
            violation("OpenCL objects of kind %d: %ld references left", k, clfault_live((clfault_kind)k) - objects[k]);
    if (atomic_load(&live_allocations) != allocations)
        violation("%ld host allocations left", atomic_load(&live_allocations) - allocations);
    printf("soak_fill: %d threads, %.1f s: %ld fills (%ld batches), %ld tensors equal to the host reference; "
           "faults injected: %ld allocations, %ld OpenCL calls; refused: %ld out of host memory, %ld OpenCL; "
           "%ld harness calls hit by a fault; %ld violations\n",
           threads, now() - start, atomic_load(&sum.fills), atomic_load(&sum.batches), atomic_load(&sum.matched),
           atomic_load(&sum.alloc_faults), atomic_load(&sum.cl_faults), atomic_load(&sum.refused_oom),
           atomic_load(&sum.refused_opencl), atomic_load(&sum.skipped), atomic_load(&sum.violations));
    return atomic_load(&sum.violations) ? 1 : 0;
}
