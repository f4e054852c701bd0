/* Device time of one command of `clinit bench`, from profiling events: a clinit fill, clEnqueueFillBuffer of
 * the same bytes, or the float4 store kernel that bounds what any fill can reach. */
#include "bench.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One float4 per work-item and nothing else: the store bandwidth a fill kernel can at best reach. The bound
 * check lets the global size be rounded up to a multiple every device accepts as a work-group multiple. */
static const char store_source[] = "__kernel void clinit_bench_store(__global float4 *out, ulong n, float v)\n"
                                   "{\n"
                                   "    size_t i = get_global_id(0);\n"
                                   "    if (i < n) out[i] = (float4)(v);\n"
                                   "}\n";

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

double bench_median_ns(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u64);
    return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

static int build_store_kernel(bench_dev *d)
{
    cl_context context = clinit_ctx_cl_context(d->gen.ctx);
    cl_device_id device = clinit_ctx_device(d->gen.ctx);
    const char *src = store_source;
    cl_int err;
    d->store_program = clCreateProgramWithSource(context, 1, &src, NULL, &err);
    if (err == CL_SUCCESS) err = clBuildProgram(d->store_program, 1, &device, "-cl-std=CL1.2", NULL, NULL);
    if (err == CL_SUCCESS) d->store = clCreateKernel(d->store_program, "clinit_bench_store", &err);
    if (err != CL_SUCCESS)
        return cli_runtime_error("building the store kernel failed: %s (%d)", clinit_cl_error_name(err), err);
    return CLI_OK;
}

int bench_dev_open(bench_dev *d)
{
    memset(d, 0, sizeof *d);
    /* The generator's own buffers are never reserved: the bench sizes its buffer once the device's limits are
     * known (bench_dev_reserve). */
    int rc = cli_gen_open(&d->gen);
    if (rc != CLI_OK) return rc;
    cl_device_id device = clinit_ctx_device(d->gen.ctx);
    if (clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof d->name - 1, d->name, NULL) != CL_SUCCESS) strcpy(d->name, "?");
    d->max_alloc = d->gen.max_alloc;
    d->global_mem = d->gen.global_mem;
    return build_store_kernel(d);
}

uint64_t bench_dev_cap(const bench_dev *d)
{
    /* Half the global memory leaves room for everything else on the device (and, where the device is the
     * host, for the host path's copy). Whole MiB keep the sizes readable. */
    uint64_t cap = d->max_alloc < d->global_mem / 2 ? d->max_alloc : d->global_mem / 2;
    return cap >= (1u << 20) ? cap & ~(uint64_t)((1u << 20) - 1) : cap & ~(uint64_t)15;
}

int bench_dev_reserve(bench_dev *d, size_t bytes)
{
    cl_int err;
    d->buffer = clCreateBuffer(clinit_ctx_cl_context(d->gen.ctx), CL_MEM_READ_WRITE, bytes, NULL, &err);
    if (!d->buffer)
        return cli_runtime_error("clCreateBuffer of %zu bytes failed: %s (%d)", bytes, clinit_cl_error_name(err), err);
    d->host = malloc(bytes);
    if (!d->host) return cli_runtime_error("out of host memory for %zu bytes", bytes);
    d->capacity = bytes;
    memset(d->host, 0, bytes);
    err = clEnqueueWriteBuffer(d->gen.queue, d->buffer, CL_TRUE, 0, bytes, d->host, 0, NULL, NULL);
    if (err != CL_SUCCESS)
        return cli_runtime_error("clEnqueueWriteBuffer of %zu bytes failed: %s (%d)", bytes, clinit_cl_error_name(err),
                                 err);
    return CLI_OK;
}

void bench_dev_close(bench_dev *d)
{
    if (d->gen.queue) (void)clFinish(d->gen.queue);
    if (d->store) clReleaseKernel(d->store);
    if (d->store_program) clReleaseProgram(d->store_program);
    if (d->buffer) clReleaseMemObject(d->buffer);
    free(d->host);
    cli_gen_close(&d->gen);
    memset(d, 0, sizeof *d);
}

static cl_int enqueue_store(bench_dev *d, size_t bytes, cl_event *ev)
{
    cl_ulong n = bytes / 16;
    cl_float v = 1.0f;
    size_t global = (size_t)(n + 255) / 256 * 256;
    cl_int err = clSetKernelArg(d->store, 0, sizeof d->buffer, &d->buffer);
    if (err == CL_SUCCESS) err = clSetKernelArg(d->store, 1, sizeof n, &n);
    if (err == CL_SUCCESS) err = clSetKernelArg(d->store, 2, sizeof v, &v);
    if (err == CL_SUCCESS) err = clEnqueueNDRangeKernel(d->gen.queue, d->store, 1, NULL, &global, NULL, 0, NULL, ev);
    return err;
}

/* Enqueues c; an OpenCL error in the return value (naming the call in *failed), a clinit one in *st. */
static cl_int enqueue(bench_dev *d, const bench_cmd *c, cl_event *ev, clinit_status *st, const char **failed)
{
    static const cl_float zero = 0;
    switch (c->kind) {
    case BENCH_CLINIT:
        *st = clinit_fill(d->gen.ctx, d->gen.queue, c->tensor, c->spec, c->seed, c->stream, 0, NULL, ev);
        return CL_SUCCESS;
    case BENCH_CLINIT_BATCH:
        *st = clinit_fill_batch(d->gen.ctx, d->gen.queue, c->items, c->count, c->seed, 0, NULL, ev);
        return CL_SUCCESS;
    case BENCH_FILL_BUFFER:
        *failed = "clEnqueueFillBuffer";
        return clEnqueueFillBuffer(d->gen.queue, d->buffer, &zero, sizeof zero, 0, c->bytes, 0, NULL, ev);
    case BENCH_STORE_KERNEL: *failed = "clEnqueueNDRangeKernel (store kernel)"; return enqueue_store(d, c->bytes, ev);
    }
    return CL_INVALID_VALUE;
}

int bench_time_once(bench_dev *d, const bench_cmd *c, uint64_t *ns)
{
    cl_event ev[3] = {NULL, NULL, NULL}; /* probe, command, probe: see cli_gen_command_ns */
    clinit_status st = CLINIT_SUCCESS;
    const char *failed = "clEnqueueFillBuffer (probe)";
    cl_int err = cli_gen_probe(&d->gen, &ev[0]);
    uint64_t launches = clinit_ctx_launch_count(d->gen.ctx);
    if (err == CL_SUCCESS) err = enqueue(d, c, &ev[1], &st, &failed);
    launches = clinit_ctx_launch_count(d->gen.ctx) - launches;
    if (err == CL_SUCCESS && st == CLINIT_SUCCESS) {
        failed = "clEnqueueFillBuffer (probe)";
        err = cli_gen_probe(&d->gen, &ev[2]);
    }
    if (err == CL_SUCCESS && st == CLINIT_SUCCESS) {
        failed = "clWaitForEvents";
        err = clWaitForEvents(1, &ev[2]);
    }
    int rc = CLI_OK;
    if (st == CLINIT_ERROR_UNSUPPORTED_DTYPE)
        rc = BENCH_UNSUPPORTED;
    else if (st != CLINIT_SUCCESS)
        rc = cli_clinit_error("filling on the device", st, d->gen.ctx);
    else if (err != CL_SUCCESS)
        rc = cli_runtime_error("%s failed: %s (%d)", failed, clinit_cl_error_name(err), err);
    else if (cli_gen_command_ns(ev, launches, ns) != 0)
        rc = cli_runtime_error("reading profiling times failed");
    for (int i = 0; i < 3; i++)
        if (ev[i]) clReleaseEvent(ev[i]);
    /* After a failure the probe before may still be queued: let it end before anything is released. */
    if (rc != CLI_OK) (void)clFinish(d->gen.queue);
    return rc;
}

int bench_time_median(bench_dev *d, const bench_cmd *c, unsigned repeat, double *ms)
{
    uint64_t *ns = calloc(repeat + 1, sizeof *ns);
    if (!ns) return cli_runtime_error("out of host memory");
    int rc = CLI_OK;
    /* Run 0 is the warm-up: first-use costs (a kernel compiled for this work-group size, memory first
     * touched) belong to no steady state. */
    for (unsigned r = 0; r <= repeat && rc == CLI_OK; r++) rc = bench_time_once(d, c, &ns[r]);
    if (rc == CLI_OK) *ms = bench_median_ns(ns + 1, repeat) / 1e6;
    free(ns);
    return rc;
}
