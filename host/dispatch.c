/* Fills: validation of everything before the first enqueue, then the kernel launches on the caller's queue. */
#include "internal.h"

#include "generate.h"

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS_PER_LAUNCH ((uint64_t)65535) /* NVIDIA's limit on the second grid dimension */

static clinit_status check_queue(clinit_ctx *ctx, cl_command_queue queue)
{
    if (!queue) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "queue is NULL");
    cl_context qctx = NULL;
    cl_device_id qdev = NULL;
    cl_int err = clGetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, sizeof qctx, &qctx, NULL);
    if (err == CL_SUCCESS) err = clGetCommandQueueInfo(queue, CL_QUEUE_DEVICE, sizeof qdev, &qdev, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "queue: clGetCommandQueueInfo");
    if (qctx != ctx->context || qdev != ctx->device)
        return ci_fail(ctx, CLINIT_ERROR_INVALID_QUEUE, "queue: belongs to another context or device than ctx");
    return CLINIT_SUCCESS;
}

/* CL/cl.h's name of an image type, for the message that refuses it as a tensor's buffer; NULL for other types. */
static const char *image_type_name(cl_mem_object_type type)
{
    switch (type) {
    case CL_MEM_OBJECT_IMAGE2D: return "CL_MEM_OBJECT_IMAGE2D";
    case CL_MEM_OBJECT_IMAGE3D: return "CL_MEM_OBJECT_IMAGE3D";
    case CL_MEM_OBJECT_IMAGE2D_ARRAY: return "CL_MEM_OBJECT_IMAGE2D_ARRAY";
    case CL_MEM_OBJECT_IMAGE1D: return "CL_MEM_OBJECT_IMAGE1D";
    case CL_MEM_OBJECT_IMAGE1D_ARRAY: return "CL_MEM_OBJECT_IMAGE1D_ARRAY";
    case CL_MEM_OBJECT_IMAGE1D_BUFFER: return "CL_MEM_OBJECT_IMAGE1D_BUFFER";
    default: return NULL;
    }
}

/* The tensor's buffer, of ctx's context (the queue was checked by ci_call_begin), for a validated plan. */
static clinit_status check_buffer(clinit_ctx *ctx, const clinit_tensor *t, const ci_plan *plan)
{
    uint64_t numel = plan->g.numel;
    cl_context mctx = NULL;
    size_t size = 0;
    cl_mem_flags flags = 0;
    cl_mem_object_type type = 0;
    cl_int err = clGetMemObjectInfo(t->buffer, CL_MEM_CONTEXT, sizeof mctx, &mctx, NULL);
    if (err == CL_SUCCESS) err = clGetMemObjectInfo(t->buffer, CL_MEM_TYPE, sizeof type, &type, NULL);
    if (err == CL_SUCCESS) err = clGetMemObjectInfo(t->buffer, CL_MEM_SIZE, sizeof size, &size, NULL);
    if (err == CL_SUCCESS) err = clGetMemObjectInfo(t->buffer, CL_MEM_FLAGS, sizeof flags, &flags, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "tensor.buffer: clGetMemObjectInfo");
    if (mctx != ctx->context)
        return ci_fail(ctx, CLINIT_ERROR_INVALID_QUEUE, "tensor.buffer: belongs to another context than ctx");
    /* An image passed as a __global pointer is undefined: PoCL wrote into the image's storage, whose layout is
     * the driver's, and CL_MEM_SIZE of an image is not a count of bytes in row-major order. */
    if (type != CL_MEM_OBJECT_BUFFER) {
        const char *image = image_type_name(type);
        char kind[64];
        if (image)
            ci_c_snprintf(kind, sizeof kind, "an image (%s)", image);
        else
            ci_c_snprintf(kind, sizeof kind, "of CL_MEM_TYPE 0x%x", (unsigned)type);
        return ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                       "tensor.buffer: is %s, not a buffer (CL_MEM_OBJECT_BUFFER): fills write buffers only", kind);
    }
    /* OpenCL leaves a kernel's write to such a buffer undefined: PoCL writes it, other drivers may not. */
    if (flags & CL_MEM_READ_ONLY)
        return ci_fail(ctx, CLINIT_ERROR_READ_ONLY_BUFFER,
                       "tensor.buffer: created with CL_MEM_READ_ONLY, which kernels must not write");
    size_t esize = plan->esize;
    if (t->offset_bytes > size || numel > (size - t->offset_bytes) / esize)
        return ci_fail(ctx, CLINIT_ERROR_BUFFER_TOO_SMALL,
                       "tensor.buffer: %zu bytes cannot hold %llu elements of %zu bytes at tensor.offset_bytes %zu",
                       size, (unsigned long long)numel, esize, t->offset_bytes);
    return CLINIT_SUCCESS;
}

clinit_status ci_check_wait_list(clinit_ctx *ctx, cl_uint nwait, const cl_event *wait)
{
    if (nwait && !wait)
        return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "event_wait_list is NULL with num_events_in_wait_list %u",
                       nwait);
    for (cl_uint i = 0; i < nwait; i++) {
        if (!wait[i]) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "event_wait_list[%u] is NULL", i);
        cl_context ectx = NULL;
        cl_int err = clGetEventInfo(wait[i], CL_EVENT_CONTEXT, sizeof ectx, &ectx, NULL);
        if (err != CL_SUCCESS)
            return ci_fail(ctx, CLINIT_ERROR_OPENCL, "event_wait_list[%u]: clGetEventInfo failed: %s (%d)", i,
                           clinit_cl_error_name(err), (int)err);
        if (ectx != ctx->context)
            return ci_fail(ctx, CLINIT_ERROR_INVALID_QUEUE, "event_wait_list[%u]: belongs to another context than ctx",
                           i);
    }
    return CLINIT_SUCCESS;
}

clinit_status ci_call_begin(clinit_ctx *ctx, cl_command_queue queue, cl_uint nwait, const cl_event *wait,
                            cl_event *event)
{
    cl_uint alias = nwait;
    for (cl_uint i = 0; event && wait && i < nwait; i++)
        if (&wait[i] == event) alias = i;
    if (event && alias == nwait) *event = NULL;
    if (!ctx) return CLINIT_ERROR_NULL_ARGUMENT;
    ci_message_clear(ctx);
    if (alias < nwait)
        return ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                       "event is &event_wait_list[%u]: the event a call returns must not be an element of its wait "
                       "list (as in OpenCL), which it would overwrite before the list is read",
                       alias);
    clinit_status st = check_queue(ctx, queue);
    return st == CLINIT_SUCCESS ? ci_check_wait_list(ctx, nwait, wait) : st;
}

static clinit_status validate(clinit_ctx *ctx, const clinit_tensor *t, const clinit_init_spec *spec, ci_plan *plan)
{
    char what[512];
    clinit_status st = ci_plan_make(t, spec, plan, what, sizeof what);
    return st == CLINIT_SUCCESS ? st : ci_fail(ctx, st, "%s", what);
}

/* The kernels' argument structs (kernels/args.h) as the device lays them out: 8-byte fields first, natural
 * alignment, no padding the two compilers could disagree on. */
_Static_assert(sizeof(ci_values) == 216 && offsetof(ci_values, round_keys) == 64 && offsetof(ci_values, value) == 144 &&
                   offsetof(ci_values, tn_plan) == 196,
               "ci_values: kernels/args.h's layout");
_Static_assert(sizeof(ci_values64) == 168 && offsetof(ci_values64, value) == 64 &&
                   offsetof(ci_values64, tn_plan) == 152,
               "ci_values64: kernels/args.h's layout");
_Static_assert(sizeof(ci_runs) == 224 && sizeof(ci_rows) == 40, "ci_runs, ci_rows: kernels/args.h");
_Static_assert(sizeof(ci_batch_entry) == 256 && offsetof(ci_batch_entry, v) == 40,
               "ci_batch_entry: kernels/args.h's layout");
_Static_assert(CLINIT_DIST_CONSTANT == 0 && CLINIT_DIST_UNIFORM == 1 && CLINIT_DIST_NORMAL == 2 &&
                   CLINIT_DIST_TRUNCATED_NORMAL == 3,
               "kernels/args.h numbers the element-wise distributions as clinit_dist_kind");

void ci_values_of(const ci_resolved *r, uint64_t seed, uint64_t stream, ci_values *v)
{
    memset(v, 0, sizeof *v);
    v->seed = seed;
    v->stream = stream;
    ci_philox_round_keys((uint32_t)seed, (uint32_t)(seed >> 32), v->round_keys);
    v->value = v->lo = v->mean = r->p[0];
    v->hi = v->std = r->p[1];
    for (int k = 0; k < 4; k++) v->tn[k] = r->p[2 + k];
    v->clamp_lo = r->p[6];
    v->clamp_hi = r->p[7];
    v->accept_lo = r->accept[0];
    v->accept_hi = r->accept[1];
    v->tn_plan = r->method;
    v->generation = r->generation;
}

void ci_values64_of(const ci_resolved *r, uint64_t seed, uint64_t stream, ci_values64 *v)
{
    memset(v, 0, sizeof *v);
    v->seed = seed;
    v->stream = stream;
    v->value = v->lo = v->mean = r->p64[0];
    v->hi = v->std = r->p64[1];
    for (int k = 0; k < 4; k++) v->tn[k] = r->p64[2 + k];
    v->clamp_lo = r->p64[6];
    v->clamp_hi = r->p64[7];
    v->tn_plan = r->method;
    v->generation = r->generation;
}

size_t ci_launch_local(const clinit_ctx *ctx, int queue_kernel)
{
    size_t local = ctx->local_size ? ctx->local_size : ctx->default_local_size;
    size_t most = CLINIT_TN_QUEUE / (4 * CLINIT_TN_GATHER);
    return queue_kernel && local > most ? most : local;
}

/* Elements per Philox block: four 32-bit words make four f32/f16/bf16 values or two f64 values. */
uint64_t ci_launch_items(const clinit_ctx *ctx, const clinit_tensor *t, const ci_geometry *g, int dist, int strided)
{
    uint64_t per_block = t->dtype == CLINIT_F64 ? 2 : 4;
    /* A run of n elements touches at most n/per_block + 2 blocks when it does not start on a block boundary. */
    uint64_t blocks = g->run_len / per_block + 2;
    uint64_t per_item = ctx->item_blocks;
    if (per_item > 1 && dist == CLINIT_DIST_TRUNCATED_NORMAL && t->dtype != CLINIT_F64)
        per_item *= CLINIT_TN_ITEM_GROUPS;
    uint64_t items = (blocks + per_item - 1) / per_item;
    /* The grid-stride shape loops over the rest; stride_items ≤ 2^30 keeps it to one launch per row range. */
    return strided && ctx->stride_items && items > ctx->stride_items ? ctx->stride_items : items;
}

cl_int ci_launch(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k, cl_uint dims, const size_t *gsize,
                 const size_t *lsize, cl_uint nwait, const cl_event *wait, ci_launches *l)
{
    if (l->want && l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        cl_event *p = realloc(l->ev, cap * sizeof *p);
        if (!p) {
            l->oom = 1;
            return CL_OUT_OF_HOST_MEMORY;
        }
        l->ev = p;
        l->cap = cap;
    }
    cl_int err = clEnqueueNDRangeKernel(queue, k, dims, NULL, gsize, lsize, nwait, nwait ? wait : NULL,
                                        l->want ? &l->ev[l->n] : NULL);
    if (err != CL_SUCCESS) return err;
    ctx->launches++;
    if (l->want) l->n++;
    return CL_SUCCESS;
}

clinit_status ci_launches_end(clinit_ctx *ctx, cl_command_queue queue, ci_launches *l, cl_int err, const char *failed,
                              cl_event *event)
{
    if (err == CL_SUCCESS && event) {
        if (l->n == 1) {
            *event = l->ev[0];
            l->n = 0;
        } else {
            err = clEnqueueMarkerWithWaitList(queue, (cl_uint)l->n, l->ev, event);
            failed = "clEnqueueMarkerWithWaitList";
        }
    }
    for (size_t i = 0; i < l->n; i++) clReleaseEvent(l->ev[i]);
    free(l->ev);
    int oom = l->oom;
    memset(l, 0, sizeof *l);
    if (oom) return ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for the launches' events");
    return err == CL_SUCCESS ? CLINIT_SUCCESS : CLINIT_CLFAIL(ctx, err, failed);
}

#define ARG(k, i, v) clSetKernelArg((k), (i), sizeof(v), &(v))

void ci_runs_of(const clinit_tensor *t, const ci_geometry *g, ci_runs *runs)
{
    memset(runs, 0, sizeof *runs);
    runs->out_offset = t->offset_bytes / clinit_dtype_size(t->dtype);
    runs->run_len = g->run_len;
    runs->rows = g->rows;
    runs->run_base = g->run_base;
    for (int d = 0; d < CLINIT_MAX_RANK; d++) {
        runs->ostart[d] = g->ostart[d];
        runs->oext[d] = g->oext[d];
        runs->ostride[d] = g->ostride[d];
    }
}

static cl_int enqueue_runs(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k, int dist, const clinit_tensor *t,
                           const ci_geometry *g, const void *values, size_t values_size, cl_uint nwait,
                           const cl_event *wait, ci_launches *l, const char **failed)
{
    ci_runs runs;
    ci_runs_of(t, g, &runs);
    *failed = "clSetKernelArg";
    cl_int err = ARG(k, 0, t->buffer);
    if (err == CL_SUCCESS) err = ARG(k, 1, runs);
    if (err == CL_SUCCESS) err = clSetKernelArg(k, 2, values_size, values);
    if (err != CL_SUCCESS) return err;
    uint64_t items = ci_launch_items(ctx, t, g, dist, 1);
    size_t local = ci_launch_local(ctx, 0);
    for (uint64_t row0 = 0; row0 < g->rows; row0 += MAX_ROWS_PER_LAUNCH) {
        uint64_t nrows = g->rows - row0 < MAX_ROWS_PER_LAUNCH ? g->rows - row0 : MAX_ROWS_PER_LAUNCH;
        for (uint64_t item0 = 0; item0 < items; item0 += CLINIT_MAX_ITEMS_PER_LAUNCH) {
            uint64_t nitems = items - item0 < CLINIT_MAX_ITEMS_PER_LAUNCH ? items - item0 : CLINIT_MAX_ITEMS_PER_LAUNCH;
            nitems = (nitems + local - 1) / local * local;
            cl_ulong r0 = row0, i0 = item0;
            *failed = "clSetKernelArg";
            err = ARG(k, 3, r0);
            if (err == CL_SUCCESS) err = ARG(k, 4, i0);
            if (err != CL_SUCCESS) return err;
            size_t gsize[2] = {(size_t)nitems, (size_t)nrows}, lsize[2] = {local, 1};
            *failed = "clEnqueueNDRangeKernel";
            err = ci_launch(ctx, queue, k, 2, gsize, lsize, nwait, wait, l);
            if (err != CL_SUCCESS) return err;
        }
    }
    return CL_SUCCESS;
}

int ci_rows_of(const clinit_tensor *t, const ci_geometry *g, ci_rows *w, uint64_t *rows)
{
    if (t->dtype == CLINIT_F64 || g->numel == 0) return 0;
    uint64_t first = g->run_base, step = 0;
    int outer = 0;
    for (int d = 0; d < CLINIT_MAX_RANK; d++)
        if (g->oext[d] > 1) {
            outer++;
            first += g->ostart[d] * g->ostride[d];
            step = g->ostride[d];
        }
    uint64_t out = t->offset_bytes / clinit_dtype_size(t->dtype);
    if (outer > 1 || first % 4 || out % 4 || (g->rows > 1 && (g->run_len % 4 || step % 4))) return 0;
    memset(w, 0, sizeof *w);
    w->first_block = first / 4;
    w->row_step = step / 4;
    w->out_block = out / 4;
    *rows = g->rows;
    if (g->rows == 1) {
        /* one row of any length: the launches cut it into pieces (enqueue_rows) */
        w->row_blocks = 0;
        w->tail = (cl_uint)(g->run_len % 4);
        return 1;
    }
    uint64_t row_blocks = g->run_len / 4;
    uint64_t last_block = w->first_block + (g->rows - 1) * w->row_step + row_blocks - 1;
    if (row_blocks > CLINIT_ROW_BLOCKS_MAX || (last_block >> 32) != (w->first_block >> 32)) return 0;
    w->row_blocks = (cl_uint)row_blocks;
    return 1;
}

void ci_rows_range(const clinit_ctx *ctx, uint64_t blocks, uint64_t rows, size_t local, int one_row, size_t gsize[2],
                   size_t lsize[2])
{
    uint64_t per = (blocks + CLINIT_ROW_ITEM_BLOCKS - 1) / CLINIT_ROW_ITEM_BLOCKS;
    uint64_t quarter = ctx->row_items / 4;
    if (per * rows < quarter) per = (quarter + rows - 1) / rows < blocks ? (quarter + rows - 1) / rows : blocks;
    if (ctx->stride_items && per > ctx->stride_items) per = ctx->stride_items;
    if (per < 1) per = 1;
    size_t l0 = local;
    if (!one_row && rows > 1)
        for (l0 = 1; l0 < per && 2 * l0 <= local;) l0 *= 2;
    size_t l1 = local / l0;
    if (one_row || rows == 1) l1 = 1;
    gsize[0] = (size_t)((per + l0 - 1) / l0 * l0);
    gsize[1] = (size_t)((rows + l1 - 1) / l1 * l1);
    lsize[0] = l0;
    lsize[1] = l1;
}

/* The launches of a fill that ci_rows_of accepted: one run cut into pieces of at most CLINIT_ROW_BLOCKS_MAX
 * blocks that cross no multiple of 2^32 blocks, or rows in groups of at most MAX_ROWS_PER_LAUNCH. */
static cl_int enqueue_rows(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k, const clinit_tensor *t,
                           const ci_geometry *g, const ci_rows *w0, uint64_t rows, const ci_values *v, int queue_kernel,
                           cl_uint nwait, const cl_event *wait, ci_launches *l, const char **failed)
{
    *failed = "clSetKernelArg";
    cl_int err = ARG(k, 0, t->buffer);
    if (err == CL_SUCCESS) err = clSetKernelArg(k, 2, sizeof *v, v);
    if (err != CL_SUCCESS) return err;
    size_t local = ci_launch_local(ctx, queue_kernel);
    uint64_t done = 0, total = rows == 1 ? g->run_len / 4 : rows;
    do {
        ci_rows w = *w0;
        uint64_t n;
        if (rows == 1) {
            uint64_t b = w0->first_block + done, to_boundary = (((b >> 32) + 1) << 32) - b;
            n = total - done;
            if (n > CLINIT_ROW_BLOCKS_MAX) n = CLINIT_ROW_BLOCKS_MAX;
            if (n > to_boundary) n = to_boundary;
            w.first_block = b;
            w.out_block = w0->out_block + done;
            w.row_blocks = (cl_uint)n;
            w.tail = done + n == total ? w0->tail : 0; /* a run of fewer than four elements is its tail alone */
        } else {
            n = total - done < MAX_ROWS_PER_LAUNCH ? total - done : MAX_ROWS_PER_LAUNCH;
            w.first_block = w0->first_block + done * w0->row_step;
            w.out_block = w0->out_block + done * w0->row_blocks;
        }
        w.rows = (cl_uint)(rows == 1 ? 1 : n);
        *failed = "clSetKernelArg";
        err = ARG(k, 1, w);
        if (err != CL_SUCCESS) return err;
        size_t gsize[2], lsize[2];
        ci_rows_range(ctx, w.row_blocks + (w.tail != 0), w.rows, local, queue_kernel, gsize, lsize);
        *failed = "clEnqueueNDRangeKernel";
        err = ci_launch(ctx, queue, k, 2, gsize, lsize, nwait, wait, l);
        if (err != CL_SUCCESS) return err;
        done += n;
    } while (done < total);
    return CL_SUCCESS;
}

clinit_status ci_enqueue_runs(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k, const clinit_tensor *t,
                              const ci_geometry *g, const void *values, size_t values_size, cl_uint nwait,
                              const cl_event *wait, cl_event *event)
{
    ci_launches l = {.want = event != NULL};
    const char *failed = NULL;
    cl_int err = enqueue_runs(ctx, queue, k, -1, t, g, values, values_size, nwait, wait, &l, &failed);
    return ci_launches_end(ctx, queue, &l, err, failed, event);
}

/* An element-wise fill: the GPU kernels' rows where the geometry allows them, the general kernels elsewhere. */
static clinit_status enqueue_elementwise(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                         const ci_geometry *g, const ci_resolved *r, uint64_t seed, uint64_t stream,
                                         cl_uint nwait, const cl_event *wait, cl_event *event)
{
    ci_launches l = {.want = event != NULL};
    const char *failed = NULL;
    cl_int err;
    ci_rows w;
    uint64_t rows;
    if (t->dtype == CLINIT_F64) {
        ci_values64 v;
        ci_values64_of(r, seed, stream, &v);
        err = enqueue_runs(ctx, queue, ctx->fill64[r->dist], r->dist, t, g, &v, sizeof v, nwait, wait, &l, &failed);
    } else {
        ci_values v;
        ci_values_of(r, seed, stream, &v);
        cl_kernel fast = ctx->fill_rows[t->dtype][ci_rows_slot(r->dist, r->generation)];
        if (fast && ci_rows_of(t, g, &w, &rows))
            err = enqueue_rows(ctx, queue, fast, t, g, &w, rows, &v, r->dist == CLINIT_DIST_TRUNCATED_NORMAL, nwait,
                               wait, &l, &failed);
        else
            err = enqueue_runs(ctx, queue, ctx->fill[t->dtype][r->dist], r->dist, t, g, &v, sizeof v, nwait, wait, &l,
                               &failed);
    }
    return ci_launches_end(ctx, queue, &l, err, failed, event);
}

clinit_status ci_check_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                            const clinit_init_spec *spec, ci_plan *plan)
{
    assert(ctx && t && spec && plan);
    if (!t->buffer) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "tensor.buffer is NULL");
    clinit_status st = validate(ctx, t, spec, plan);
    if (st == CLINIT_SUCCESS) st = check_buffer(ctx, t, plan);
    if (st != CLINIT_SUCCESS || plan->g.numel == 0) return st;
    const ci_resolved *r = &plan->r;
    /* The f64 kernels exist only on devices with cl_khr_fp64 (host/context.c). */
    int special =
        r->dist == CLINIT_DIST_ORTHOGONAL || r->dist == CLINIT_DIST_STRUCTURED || r->dist == CLINIT_DIST_SPARSE;
    if (t->dtype == CLINIT_F64 && !(r->dist == CLINIT_DIST_ORTHOGONAL ? ctx->orthogonal64[0]
                                    : special                         ? ctx->structured64[0]
                                                                      : ctx->fill64[r->dist]))
        return ci_fail(ctx, CLINIT_ERROR_UNSUPPORTED_DTYPE,
                       "tensor.dtype f64: the device has no cl_khr_fp64 (double precision)");
    return CLINIT_SUCCESS;
}

clinit_status ci_enqueue_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                              const clinit_init_spec *spec, const ci_plan *plan, uint64_t seed, uint64_t stream,
                              cl_uint nwait, const cl_event *wait, cl_event *event, ci_orth_shared *shared)
{
    assert(ctx && queue && t && spec && plan); /* ci_call_begin and ci_check_fill passed */
    const ci_geometry *g = &plan->g;
    const ci_resolved *r = &plan->r;
    if (g->numel == 0) {
        if (!event && nwait == 0) return CLINIT_SUCCESS;
        cl_int err = clEnqueueMarkerWithWaitList(queue, nwait, nwait ? wait : NULL, event);
        return err == CL_SUCCESS ? CLINIT_SUCCESS : CLINIT_CLFAIL(ctx, err, "clEnqueueMarkerWithWaitList");
    }
    /* no kernel argument is set: nothing to serialize */
    if (ci_dtype_is_integer(t->dtype)) return ci_fill_integer(ctx, queue, t, g, r, nwait, wait, event);
    clinit_status st;
    pthread_mutex_lock(&ctx->lock);
    if (r->dist == CLINIT_DIST_ORTHOGONAL)
        st = ci_fill_orthogonal(ctx, queue, t, spec, plan, seed, stream, nwait, wait, event, shared);
    else if (r->dist == CLINIT_DIST_STRUCTURED || r->dist == CLINIT_DIST_SPARSE)
        st = ci_fill_structured(ctx, queue, t, spec, plan, seed, stream, nwait, wait, event);
    else
        st = enqueue_elementwise(ctx, queue, t, g, r, seed, stream, nwait, wait, event);
    pthread_mutex_unlock(&ctx->lock);
    return st;
}

clinit_status clinit_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, const clinit_init_spec *spec,
                          uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    clinit_status st = ci_call_begin(ctx, queue, nwait, wait, event);
    if (st != CLINIT_SUCCESS) return st;
    if (!t) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "tensor is NULL");
    if (!spec) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "spec is NULL");
    ci_plan plan;
    st = ci_check_fill(ctx, queue, t, spec, &plan);
    if (st != CLINIT_SUCCESS) return st;
    return ci_enqueue_fill(ctx, queue, t, spec, &plan, seed, stream, nwait, wait, event, NULL);
}

clinit_status clinit_uniform(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double a, double b,
                             uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = a;
    s.b = b;
    return clinit_fill(ctx, queue, t, &s, seed, stream, nwait, wait, event);
}

clinit_status clinit_normal(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double mean, double std,
                            uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    s.mean = mean;
    s.std = std;
    return clinit_fill(ctx, queue, t, &s, seed, stream, nwait, wait, event);
}

clinit_status clinit_constant(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double val,
                              cl_uint nwait, const cl_event *wait, cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
    s.val = val;
    return clinit_fill(ctx, queue, t, &s, 0, 0, nwait, wait, event);
}

clinit_status clinit_zeros(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, cl_uint nwait,
                           const cl_event *wait, cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_ZEROS);
    return clinit_fill(ctx, queue, t, &s, 0, 0, nwait, wait, event);
}

clinit_status clinit_ones(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, cl_uint nwait,
                          const cl_event *wait, cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_ONES);
    return clinit_fill(ctx, queue, t, &s, 0, 0, nwait, wait, event);
}

static clinit_status fill_gain(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, clinit_init_kind kind,
                               double gain, uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait,
                               cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(kind);
    s.gain = gain;
    return clinit_fill(ctx, queue, t, &s, seed, stream, nwait, wait, event);
}

clinit_status clinit_xavier_uniform(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double gain,
                                    uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait,
                                    cl_event *event)
{
    return fill_gain(ctx, queue, t, CLINIT_INIT_XAVIER_UNIFORM, gain, seed, stream, nwait, wait, event);
}

clinit_status clinit_xavier_normal(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double gain,
                                   uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    return fill_gain(ctx, queue, t, CLINIT_INIT_XAVIER_NORMAL, gain, seed, stream, nwait, wait, event);
}

static clinit_status fill_kaiming(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                  clinit_init_kind kind, double a, clinit_fan_mode mode, clinit_nonlinearity nl,
                                  uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(kind);
    s.a = a;
    s.mode = mode;
    s.nonlinearity = nl;
    return clinit_fill(ctx, queue, t, &s, seed, stream, nwait, wait, event);
}

clinit_status clinit_kaiming_uniform(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double a,
                                     clinit_fan_mode mode, clinit_nonlinearity nl, uint64_t seed, uint64_t stream,
                                     cl_uint nwait, const cl_event *wait, cl_event *event)
{
    return fill_kaiming(ctx, queue, t, CLINIT_INIT_KAIMING_UNIFORM, a, mode, nl, seed, stream, nwait, wait, event);
}

clinit_status clinit_kaiming_normal(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double a,
                                    clinit_fan_mode mode, clinit_nonlinearity nl, uint64_t seed, uint64_t stream,
                                    cl_uint nwait, const cl_event *wait, cl_event *event)
{
    return fill_kaiming(ctx, queue, t, CLINIT_INIT_KAIMING_NORMAL, a, mode, nl, seed, stream, nwait, wait, event);
}

clinit_status ci_internal_philox_device(clinit_ctx *ctx, cl_command_queue queue, const uint32_t *in, uint32_t *out,
                                        size_t n)
{
    if (!ctx || !queue || !in || !out || n == 0) return CLINIT_ERROR_NULL_ARGUMENT;
    cl_int err;
    cl_mem bin = clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * 6 * sizeof(uint32_t),
                                (void *)in, &err);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clCreateBuffer");
    cl_mem bout = clCreateBuffer(ctx->context, CL_MEM_WRITE_ONLY, n * 4 * sizeof(uint32_t), NULL, &err);
    if (err != CL_SUCCESS) {
        clReleaseMemObject(bin);
        return CLINIT_CLFAIL(ctx, err, "clCreateBuffer");
    }
    cl_uint nn = (cl_uint)n;
    size_t gsize = n;
    pthread_mutex_lock(&ctx->lock);
    err = clSetKernelArg(ctx->kat, 0, sizeof bin, &bin);
    if (err == CL_SUCCESS) err = clSetKernelArg(ctx->kat, 1, sizeof bout, &bout);
    if (err == CL_SUCCESS) err = clSetKernelArg(ctx->kat, 2, sizeof nn, &nn);
    if (err == CL_SUCCESS) err = clEnqueueNDRangeKernel(queue, ctx->kat, 1, NULL, &gsize, NULL, 0, NULL, NULL);
    pthread_mutex_unlock(&ctx->lock);
    if (err == CL_SUCCESS)
        err = clEnqueueReadBuffer(queue, bout, CL_TRUE, 0, n * 4 * sizeof(uint32_t), out, 0, NULL, NULL);
    clReleaseMemObject(bin);
    clReleaseMemObject(bout);
    return err == CL_SUCCESS ? CLINIT_SUCCESS : CLINIT_CLFAIL(ctx, err, "philox known-answer run");
}
