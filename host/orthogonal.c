/* orthogonal (PyTorch orthogonal_, Keras Orthogonal, JAX orthogonal) and delta_orthogonal (JAX delta_orthogonal)
 * on the device, and their host reference (docs/ALGORITHMS.md §4, "orthogonal and delta_orthogonal"); which
 * R × C matrix, and where each tensor element sits on it, is host/orth_rule.c's. f32, f16 and bf16 tensors use
 * the f32 instance of kernels/orthogonal.h (ci_orth_*, kernels clinit_orth_*, float scratch); f64 tensors the f64 instance
 * (ci_orth64_*, kernels clinit_orth64_*, double scratch, the f64 normal fill's Gaussian), whose kernels exist only on devices with
 * cl_khr_fp64 (host/dispatch.c refuses f64 elsewhere). The driver below is the same for both.
 *
 * One fill enqueues, on the caller's queue and without blocking the host:
 *   1. clinit_orth_gauss: the R × C standard-normal matrix (the normal fill of an R × C tensor) into
 *      a scratch buffer W, as the column-major m × n matrix M (m ≥ n; M = A, or Aᵀ when R < C);
 *   2. clinit_orth_step: Householder QR of M (phase 0), then Q = H_0 ⋯ H_{n−1} [I; 0] (phase 1), in panels of 16
 *      steps: one launch per step for the panel's columns, one for all of the panel's steps on the later columns;
 *   3. clinit_orth_gram: E = QᵀQ − I with compensated sums, into a second scratch buffer;
 *   4. clinit_orth_refine: Q2 = Q − ½·Q·E into a third;
 *   5. clinit_orth_store_<dtype>: each element of the tensor (or of its box): zero off the centre tap, else
 *      gain · sign(R_jj) · Q2 at its matrix position, rounded to the dtype; a permuted plan's elements are
 *      found through its strided view (ci_orth_geometry), one per run.
 * The scratch buffers are released right after the last enqueue: OpenCL keeps a memory object alive until
 * the commands that use it have finished. On an in-order queue only the caller's wait list and the last
 * launch's event are used; on an out-of-order queue every launch waits for the one before. The host reference
 * runs the same functions of kernels/orthogonal.h in the same order, so the bytes agree exactly. */
#include "internal.h"

#include "generate.h"
#include "generate64.h"

#include "orthogonal_f32.h"
#include "orthogonal.h"
#include "orthogonal_end.h"

#include "orthogonal_f64.h"
#include "orthogonal.h"
#include "orthogonal_end.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_GAUSS, K_STEP, K_APPLY, K_GRAM, K_REFINE, K_STORE, K_KINDS = K_STORE + 1 };
const char *const ci_orthogonal_kernel_names[] = {
    "clinit_orth_gauss",     "clinit_orth_step",       "clinit_orth_apply",
    "clinit_orth_gram",      "clinit_orth_refine",     "clinit_orth_store_f32",
    "clinit_orth_store_f16", "clinit_orth_store_bf16", NULL};
/* The f64 instance has one store kernel: its values need no rounding to a narrower dtype. */
const char *const ci_orthogonal64_kernel_names[] = {"clinit_orth64_gauss",
                                                    "clinit_orth64_step",
                                                    "clinit_orth64_apply",
                                                    "clinit_orth64_gram",
                                                    "clinit_orth64_refine",
                                                    "clinit_orth64_store",
                                                    NULL};

/* Bytes of one real of the instance that computes a tensor of `dtype`. */
static size_t orth_real_size(clinit_dtype dtype) { return dtype == CLINIT_F64 ? sizeof(double) : sizeof(float); }

/* The scratch buffers: W (M and the signs), E, Q2, in the instance's real type (m·n < 2^56: no overflow). */
static void orth_scratch(const ci_orth_plan *o, clinit_dtype dtype, uint64_t bytes[3])
{
    uint64_t es = orth_real_size(dtype);
    bytes[0] = (o->m * o->n + o->n) * es;
    bytes[1] = o->n * o->n * es;
    bytes[2] = o->m * o->n * es;
}

void ci_plan_orthogonal(const clinit_tensor *t, const clinit_init_spec *spec, ci_plan *p)
{
    ci_orth_plan_of(t, spec, &p->orth);
    orth_scratch(&p->orth, t->dtype, p->scratch);
}

clinit_status clinit_scratch_bytes(const clinit_tensor *t, const clinit_init_spec *spec, uint64_t *largest,
                                   uint64_t *total)
{
    if (largest) *largest = 0;
    if (total) *total = 0;
    if (!t || !spec) return CLINIT_ERROR_NULL_ARGUMENT;
    ci_plan plan;
    char what[256];
    clinit_status st = ci_plan_make(t, spec, &plan, what, sizeof what);
    if (st != CLINIT_SUCCESS) return st;
    const uint64_t *bytes = plan.scratch; /* all 0 without scratch */
    if (largest)
        *largest = bytes[0] > bytes[2] ? (bytes[0] > bytes[1] ? bytes[0] : bytes[1])
                                       : (bytes[2] > bytes[1] ? bytes[2] : bytes[1]);
    if (total) *total = bytes[0] + bytes[1] + bytes[2];
    return CLINIT_SUCCESS;
}

static clinit_status device_limits(clinit_ctx *ctx, cl_ulong *max_alloc, cl_ulong *global)
{
    cl_int err = clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof *max_alloc, max_alloc, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clGetDeviceInfo(CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
    err = clGetDeviceInfo(ctx->device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof *global, global, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clGetDeviceInfo(CL_DEVICE_GLOBAL_MEM_SIZE)");
    return CLINIT_SUCCESS;
}

/* Which of three scratch buffers is above the largest buffer the device (and this host's size_t) allows: 0..2,
 * 3 when all of them beside `reserved` bytes are above the device's memory (reserved + total might not fit 64
 * bits: compared with what is left), -1 when they fit. */
static int scratch_misfit(const uint64_t bytes[3], uint64_t reserved, cl_ulong max_alloc, cl_ulong global)
{
    for (int b = 0; b < 3; b++)
        if (bytes[b] > max_alloc || bytes[b] > SIZE_MAX) return b;
    uint64_t total = bytes[0] + bytes[1] + bytes[2];
    return reserved > global || total > global - reserved ? 3 : -1;
}

/* The scratch of a planned orthogonal fill against ctx's device: each buffer within CL_DEVICE_MAX_MEM_ALLOC_SIZE
 * (above it clCreateBuffer fails with only CL_INVALID_BUFFER_SIZE to say why), all of them beside `reserved`
 * bytes within CL_DEVICE_GLOBAL_MEM_SIZE (on PoCL the device's memory is the host's, and the process would be
 * killed for it). */
static clinit_status orth_fits(clinit_ctx *ctx, const ci_plan *plan, clinit_init_kind kind, uint64_t reserved)
{
    const uint64_t *bytes = plan->scratch;
    cl_ulong max_alloc = 0, global = 0;
    clinit_status st = device_limits(ctx, &max_alloc, &global);
    if (st != CLINIT_SUCCESS) return st;
    int misfit = scratch_misfit(bytes, reserved, max_alloc, global);
    const char *name = clinit_init_name(kind);
    if (misfit >= 0 && misfit < 3)
        return ci_fail(ctx, CLINIT_ERROR_DEVICE_MEMORY,
                       "%s of a %llu x %llu matrix needs a scratch buffer of %llu bytes, above the device's "
                       "largest (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %llu bytes)",
                       name, (unsigned long long)plan->orth.m, (unsigned long long)plan->orth.n,
                       (unsigned long long)bytes[misfit], (unsigned long long)max_alloc);
    if (misfit == 3) {
        char besides[64] = "";
        if (reserved)
            ci_c_snprintf(besides, sizeof besides, " besides %llu bytes of other buffers",
                          (unsigned long long)reserved);
        return ci_fail(ctx, CLINIT_ERROR_DEVICE_MEMORY,
                       "%s of a %llu x %llu matrix needs %llu bytes of scratch%s, above the device's memory "
                       "(CL_DEVICE_GLOBAL_MEM_SIZE = %llu bytes)",
                       name, (unsigned long long)plan->orth.m, (unsigned long long)plan->orth.n,
                       (unsigned long long)(bytes[0] + bytes[1] + bytes[2]), besides, (unsigned long long)global);
    }
    return CLINIT_SUCCESS;
}

clinit_status clinit_scratch_fits(clinit_ctx *ctx, const clinit_tensor *t, const clinit_init_spec *spec,
                                  uint64_t reserved_bytes)
{
    if (!ctx) return CLINIT_ERROR_NULL_ARGUMENT;
    ci_message_clear(ctx);
    if (!t) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "tensor is NULL");
    if (!spec) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "spec is NULL");
    ci_plan plan;
    char what[512];
    clinit_status st = ci_plan_make(t, spec, &plan, what, sizeof what);
    if (st != CLINIT_SUCCESS) return ci_fail(ctx, st, "%s", what);
    if (plan.g.numel == 0 || plan.d.kind != CLINIT_DIST_ORTHOGONAL) return CLINIT_SUCCESS;
    return orth_fits(ctx, &plan, spec->kind, reserved_bytes);
}

void ci_orth_shared_release(ci_orth_shared *s)
{
    for (int b = 0; b < 3; b++)
        if (s->buf[b]) clReleaseMemObject(s->buf[b]);
    if (s->last) clReleaseEvent(s->last);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------------------------------------------ */
/* Device                                                                                                 */

/* The kernel of `kind` for a tensor of `dtype`: the f64 instance's, or the f32 instance's with the store kernel
 * of the dtype. */
static cl_kernel orth_kernel(const clinit_ctx *ctx, clinit_dtype dtype, int kind)
{
    if (dtype == CLINIT_F64) return ctx->orthogonal64[kind];
    return ctx->orthogonal[kind == K_STORE ? K_STORE + (int)dtype : kind];
}

typedef struct orth_queue {
    clinit_ctx *ctx;
    cl_command_queue queue;
    int out_of_order;
    cl_uint nwait; /* the caller's wait list, for the first launch only */
    const cl_event *wait;
    cl_event prev;         /* the last launch's event (out-of-order queues, and the final launch) */
    size_t local[K_KINDS]; /* work-group size per kernel kind; 0 = the implementation's choice */
    const char *failed;    /* the OpenCL call that failed, and the kernel it was for */
    char failed_kernel[64];
} orth_queue;

/* Enqueues `items` work-items (≤ CLINIT_MAX_ITEMS_PER_LAUNCH) of kernel k; keep_event: the caller wants this
 * launch's event. */
static cl_int orth_launch(orth_queue *oq, cl_kernel k, int kind, uint64_t items, int keep_event)
{
    size_t local = oq->local[kind];
    size_t global = (size_t)items;
    if (local) global = (global + local - 1) / local * local;
    cl_uint nw = oq->nwait;
    const cl_event *w = oq->wait;
    if (oq->prev) {
        nw = 1;
        w = &oq->prev;
    }
    cl_event ev = NULL;
    cl_int err = clEnqueueNDRangeKernel(oq->queue, k, 1, NULL, &global, local ? &local : NULL, nw, nw ? w : NULL,
                                        (oq->out_of_order || keep_event) ? &ev : NULL);
    if (err != CL_SUCCESS) {
        oq->failed = "clEnqueueNDRangeKernel";
        if (clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, sizeof oq->failed_kernel, oq->failed_kernel, NULL) !=
            CL_SUCCESS)
            oq->failed_kernel[0] = '\0';
        return err;
    }
    oq->ctx->launches++;
    oq->nwait = 0;
    oq->wait = NULL;
    if (oq->prev) clReleaseEvent(oq->prev);
    oq->prev = ev;
    return CL_SUCCESS;
}

/* Launches k over [0, total) in pieces of at most CLINIT_MAX_ITEMS_PER_LAUNCH, argument base_arg = the first index. */
static cl_int orth_launch_range(orth_queue *oq, cl_kernel k, int kind, cl_uint base_arg, uint64_t total,
                                int keep_last_event)
{
    for (uint64_t base = 0; base < total; base += CLINIT_MAX_ITEMS_PER_LAUNCH) {
        uint64_t items = total - base < CLINIT_MAX_ITEMS_PER_LAUNCH ? total - base : CLINIT_MAX_ITEMS_PER_LAUNCH;
        cl_ulong b = base;
        cl_int err = clSetKernelArg(k, base_arg, sizeof b, &b);
        if (err != CL_SUCCESS) {
            oq->failed = "clSetKernelArg";
            return err;
        }
        err = orth_launch(oq, k, kind, items, keep_last_event && base + items == total);
        if (err != CL_SUCCESS) return err;
    }
    return CL_SUCCESS;
}

/* Sets the arguments whose value pointer is not NULL (the others are set per launch). */
static cl_int set_args(cl_kernel k, orth_queue *oq, int n, const size_t *sizes, const void *const *values)
{
    for (int a = 0; a < n; a++) {
        if (!values[a]) continue;
        cl_int err = clSetKernelArg(k, (cl_uint)a, sizes[a], values[a]);
        if (err != CL_SUCCESS) {
            oq->failed = "clSetKernelArg";
            return err;
        }
    }
    return CL_SUCCESS;
}

/* Steps of the QR (phase 0) and of Q's accumulation (phase 1), ORTH_PANEL at a time: the panel's own columns go step
 * by step (clinit_orth_step), then every later column takes all of the panel's steps in one work-item
 * (clinit_orth_apply, two columns each), holding its column in cache through them where one launch per step
 * streamed the whole trailing matrix through memory at each step. A column sees the same steps in the same order
 * either way, so the values are the same bits. */
#define ORTH_PANEL 16

/* Step p of `phase` on columns [p, j1) (arguments 0–2, W, m and n, are set once per fill). */
static cl_int orth_step(orth_queue *oq, cl_kernel k, cl_int phase, cl_ulong p, cl_ulong j1)
{
    const size_t sz[] = {0, 0, 0, sizeof p, sizeof j1, sizeof phase};
    const void *const val[] = {NULL, NULL, NULL, &p, &j1, &phase};
    cl_int err = set_args(k, oq, 6, sz, val);
    return err == CL_SUCCESS ? orth_launch(oq, k, K_STEP, j1 - p, 0) : err;
}

/* Columns [j0, j1) through `steps` steps of `phase` from p0, two columns per work-item. */
static cl_int orth_apply(orth_queue *oq, cl_kernel k, cl_int phase, cl_ulong p0, cl_ulong steps, cl_ulong j0,
                         cl_ulong j1)
{
    const size_t sz[] = {0, 0, 0, sizeof p0, sizeof steps, sizeof j0, sizeof j1, sizeof phase};
    const void *const val[] = {NULL, NULL, NULL, &p0, &steps, &j0, &j1, &phase};
    cl_int err = set_args(k, oq, 8, sz, val);
    return err == CL_SUCCESS ? orth_launch(oq, k, K_APPLY, (j1 - j0 + 1) / 2, 0) : err;
}

static cl_int enqueue_all(orth_queue *oq, const clinit_tensor *t, const ci_geometry *g, const ci_orth_plan *o,
                          const ci_resolved *r, uint64_t seed, uint64_t stream, cl_mem W, cl_mem E, cl_mem Q2,
                          int keep_event)
{
    clinit_ctx *ctx = oq->ctx;
    cl_ulong R = o->R, C = o->C, K = o->K, centre = o->centre, m = o->m, n = o->n;
    cl_int err;

    /* 1. Gaussian matrix */
    cl_kernel kg = orth_kernel(ctx, t->dtype, K_GAUSS);
    cl_ulong per_block = t->dtype == CLINIT_F64 ? 2 : 4; /* CLINIT_ORTH_PER_BLOCK of the instance */
    cl_ulong blocks = (R * C + per_block - 1) / per_block;
    cl_ulong seed_arg = seed, stream_arg = stream;
    cl_int generation = r->generation;
    {
        const size_t sz[] = {sizeof W,         sizeof R,        sizeof C,          sizeof blocks,
                             sizeof(cl_ulong), sizeof seed_arg, sizeof stream_arg, sizeof generation};
        const void *const val[] = {&W, &R, &C, &blocks, NULL, &seed_arg, &stream_arg, &generation};
        err = set_args(kg, oq, 8, sz, val);
        if (err == CL_SUCCESS) err = orth_launch_range(oq, kg, K_GAUSS, 4, blocks, 0);
        if (err != CL_SUCCESS) return err;
    }

    /* 2. Householder QR, then Q: step p owns columns [p, n), in panels of ORTH_PANEL steps */
    cl_kernel ks_ = orth_kernel(ctx, t->dtype, K_STEP), ka = orth_kernel(ctx, t->dtype, K_APPLY);
    {
        const size_t sz[] = {sizeof W, sizeof m, sizeof n};
        const void *const val[] = {&W, &m, &n};
        err = set_args(ks_, oq, 3, sz, val);
        if (err == CL_SUCCESS) err = set_args(ka, oq, 3, sz, val);
        if (err != CL_SUCCESS) return err;
    }
    for (cl_int phase = 0; phase < 2; phase++)
        for (uint64_t done = 0; done < n; done += ORTH_PANEL) {
            uint64_t k = n - done < ORTH_PANEL ? n - done : ORTH_PANEL;
            /* the panel's steps: phase 0 p = done … done + k − 1, phase 1 p = n − 1 − done down to n − done − k */
            uint64_t lo = phase == 0 ? done : n - done - k, hi = lo + k, first = phase == 0 ? lo : hi - 1;
            /* Phase 1's later columns first: they read the panel's Householder vectors, which its steps expand. */
            if (phase == 1 && hi < n && (err = orth_apply(oq, ka, phase, first, k, hi, n)) != CL_SUCCESS) return err;
            for (uint64_t s = 0; s < k; s++)
                if ((err = orth_step(oq, ks_, phase, phase == 0 ? first + s : first - s, hi)) != CL_SUCCESS) return err;
            /* Phase 0's later columns last: they read the Householder vectors the panel's steps make. */
            if (phase == 0 && hi < n && (err = orth_apply(oq, ka, phase, first, k, hi, n)) != CL_SUCCESS) return err;
        }

    /* 3. E = QᵀQ − I */
    cl_kernel kq = orth_kernel(ctx, t->dtype, K_GRAM);
    {
        const size_t sz[] = {sizeof W, sizeof E, sizeof m, sizeof n, sizeof(cl_ulong)};
        const void *const val[] = {&W, &E, &m, &n, NULL};
        err = set_args(kq, oq, 5, sz, val);
        if (err == CL_SUCCESS) err = orth_launch_range(oq, kq, K_GRAM, 4, n * n, 0);
        if (err != CL_SUCCESS) return err;
    }

    /* 4. Q2 = Q − ½·Q·E */
    cl_kernel kr = orth_kernel(ctx, t->dtype, K_REFINE);
    {
        cl_ulong ctiles = (n + CLINIT_ORTH_COLS - 1) / CLINIT_ORTH_COLS;
        cl_ulong tiles = ctiles * ((m + CLINIT_ORTH_CHUNK - 1) / CLINIT_ORTH_CHUNK);
        const size_t sz[] = {sizeof W, sizeof E,      sizeof Q2,    sizeof m,
                             sizeof n, sizeof ctiles, sizeof tiles, sizeof(cl_ulong)};
        const void *const val[] = {&W, &E, &Q2, &m, &n, &ctiles, &tiles, NULL};
        err = set_args(kr, oq, 8, sz, val);
        if (err == CL_SUCCESS) err = orth_launch_range(oq, kr, K_REFINE, 7, tiles, 0);
        if (err != CL_SUCCESS) return err;
    }

    /* 5. The described elements */
    cl_kernel kt = orth_kernel(ctx, t->dtype, K_STORE);
    ci_runs gm;
    ci_runs_of(t, g, &gm);
    cl_ulong count = g->numel;
    cl_int kernel_outer = o->kernel_outer;
    /* The gain in the instance's real type: resolve fills p64 (and leaves p zero) for f64 tensors. */
    cl_float gain = r->p[0];
    cl_double gain64 = r->p64[0];
    int f64 = t->dtype == CLINIT_F64;
    const size_t sz[] = {sizeof t->buffer,
                         sizeof gm,
                         sizeof count,
                         sizeof(cl_ulong),
                         sizeof W,
                         sizeof Q2,
                         sizeof R,
                         sizeof C,
                         sizeof K,
                         sizeof centre,
                         sizeof kernel_outer,
                         f64 ? sizeof gain64 : sizeof gain};
    const void *const val[] = {&t->buffer,
                               &gm,
                               &count,
                               NULL,
                               &W,
                               &Q2,
                               &R,
                               &C,
                               &K,
                               &centre,
                               &kernel_outer,
                               f64 ? (const void *)&gain64 : (const void *)&gain};
    err = set_args(kt, oq, 12, sz, val);
    if (err == CL_SUCCESS) err = orth_launch_range(oq, kt, K_STORE, 3, count, keep_event);
    return err;
}

clinit_status ci_fill_orthogonal(CLINIT_SPECIAL_FILL_ARGS, ci_orth_shared *shared)
{
    assert(plan->g.numel > 0 && plan->d.kind == CLINIT_DIST_ORTHOGONAL && plan->scratch[0] > 0);
    const ci_orth_plan *o = &plan->orth;
    orth_queue oq;
    memset(&oq, 0, sizeof oq);
    oq.ctx = ctx;
    oq.queue = queue;
    oq.nwait = nwait;
    oq.wait = wait;

    cl_command_queue_properties props = 0;
    cl_int err = clGetCommandQueueInfo(queue, CL_QUEUE_PROPERTIES, sizeof props, &props, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clGetCommandQueueInfo(CL_QUEUE_PROPERTIES)");
    oq.out_of_order = (props & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) != 0;
    /* The caller's work-group size, or the device default within each kernel's limit. */
    for (int kind = 0; kind < K_KINDS; kind++) {
        if (ctx->local_size) {
            oq.local[kind] = ctx->local_size;
            continue;
        }
        cl_kernel k = orth_kernel(ctx, t->dtype, kind);
        size_t wg = 0;
        err = clGetKernelWorkGroupInfo(k, ctx->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
        if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clGetKernelWorkGroupInfo(CL_KERNEL_WORK_GROUP_SIZE)");
        oq.local[kind] = wg < ctx->default_local_size ? wg : ctx->default_local_size;
    }

    clinit_status st = orth_fits(ctx, plan, spec->kind, 0);
    if (st != CLINIT_SUCCESS) return st;
    const uint64_t *bytes = plan->scratch;
    /* The batch's shared buffers, made at its first orthogonal item, when their maxima fit where this item's do. */
    int sharing = shared && !shared->unshared;
    if (sharing && !shared->buf[0]) {
        cl_ulong max_alloc = 0, global = 0;
        st = device_limits(ctx, &max_alloc, &global);
        if (st != CLINIT_SUCCESS) return st;
        if (scratch_misfit(shared->bytes, 0, max_alloc, global) >= 0) sharing = 0, shared->unshared = 1;
    }
    /* Sharing, this item waits for the previous one's last launch as well as for the caller's list. */
    cl_event *joined = NULL;
    if (sharing && shared->last) {
        joined = malloc(((size_t)nwait + 1) * sizeof *joined);
        if (!joined) return ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for a wait list");
        if (nwait) memcpy(joined, wait, nwait * sizeof *joined);
        joined[nwait] = shared->last;
        oq.nwait = nwait + 1;
        oq.wait = joined;
    }
    cl_mem own[3] = {NULL, NULL, NULL}, *scratch = sharing ? shared->buf : own;
    const uint64_t *size = sharing ? shared->bytes : bytes;
    for (int b = 0; b < 3 && !scratch[b]; b++) {
        scratch[b] = clCreateBuffer(ctx->context, CL_MEM_READ_WRITE, (size_t)size[b], NULL, &err);
        if (err != CL_SUCCESS) {
            for (int k = 0; k < b; k++) clReleaseMemObject(scratch[k]);
            for (int k = 0; k < 3; k++) scratch[k] = NULL;
            free(joined);
            return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateBuffer(%llu bytes of orthogonal scratch) failed: %s (%d)",
                           (unsigned long long)size[b], clinit_cl_error_name(err), (int)err);
        }
    }
    ci_geometry view;
    ci_orth_geometry(t, o, &plan->g, &view);
    err = enqueue_all(&oq, t, &view, o, &plan->r, seed, stream, scratch[0], scratch[1], scratch[2],
                      event != NULL || sharing);
    free(joined);
    /* Enqueued commands keep the buffers alive until they have finished (clReleaseMemObject); shared ones are
     * the batch's to release. */
    if (!sharing)
        for (int b = 0; b < 3; b++) clReleaseMemObject(own[b]);
    if (err != CL_SUCCESS) {
        if (oq.prev) clReleaseEvent(oq.prev);
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "%s(%s) failed: %s (%d)", oq.failed ? oq.failed : "OpenCL call",
                       oq.failed_kernel[0] ? oq.failed_kernel : "orthogonal", clinit_cl_error_name(err), (int)err);
    }
    if (sharing) {
        if (shared->last) clReleaseEvent(shared->last);
        shared->last = oq.prev;
        if (event && oq.prev) clRetainEvent(oq.prev);
    }
    if (event)
        *event = oq.prev;
    else if (oq.prev && !sharing)
        clReleaseEvent(oq.prev);
    return CLINIT_SUCCESS;
}

/* ------------------------------------------------------------------------------------------------------ */
/* Host reference: the same functions, columns in increasing order within each step (CLINIT_ORTH(reference)). */

clinit_status ci_reference_orthogonal(CLINIT_SPECIAL_REFERENCE_ARGS)
{
    assert(plan->d.kind == CLINIT_DIST_ORTHOGONAL);
    const ci_geometry *g = &plan->g;
    const ci_resolved *r = &plan->r;
    if (g->numel == 0) return CLINIT_SUCCESS;
    const ci_orth_plan o = plan->orth;
    uint64_t m = o.m, n = o.n;
    size_t es = orth_real_size(t->dtype);
    void *W = malloc((size_t)(m * n + n) * es);
    void *E = malloc((size_t)(n * n) * es);
    void *Q2 = malloc((size_t)(m * n) * es);
    if (!W || !E || !Q2) {
        free(W);
        free(E);
        free(Q2);
        return CLINIT_ERROR_OUT_OF_HOST_MEMORY;
    }
    int f64 = t->dtype == CLINIT_F64;
    if (f64)
        ci_orth64_reference(W, E, Q2, o.R, o.C, seed, stream, r->generation);
    else
        ci_orth_reference(W, E, Q2, o.R, o.C, seed, stream, r->generation);
    const void *D = (const unsigned char *)W + m * n * es;
    ci_geometry view;
    ci_orth_geometry(t, &o, g, &view);
    for (uint64_t row = 0, k = 0; row < view.rows; row++) {
        uint64_t first = ci_geometry_row_start(&view, row);
        for (uint64_t i = 0; i < view.run_len; i++, k++) {
            if (f64) {
                ((double *)dst)[k] =
                    ci_orth64_value(D, Q2, first + i, o.R, o.C, o.K, o.centre, o.kernel_outer, r->p64[0]);
                continue;
            }
            ci_store_float(dst, k, t->dtype,
                           ci_orth_value(D, Q2, first + i, o.R, o.C, o.K, o.centre, o.kernel_outer, r->p[0]));
        }
    }
    free(W);
    free(E);
    free(Q2);
    return CLINIT_SUCCESS;
}
