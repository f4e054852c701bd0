/* Fills: validation of everything before the first enqueue, then the kernel launches on the caller's queue. */
#include "internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS_PER_LAUNCH ((uint64_t)65535) /* NVIDIA's limit on the second grid dimension */

static clinit_status check_queue(clinit_ctx *ctx, cl_command_queue queue)
{
    if (!queue) return clinit_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "queue is NULL");
    cl_context qctx = NULL;
    cl_device_id qdev = NULL;
    cl_int err = clGetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, sizeof qctx, &qctx, NULL);
    if (err == CL_SUCCESS) err = clGetCommandQueueInfo(queue, CL_QUEUE_DEVICE, sizeof qdev, &qdev, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "queue: clGetCommandQueueInfo");
    if (qctx != ctx->context || qdev != ctx->device)
        return clinit_fail(ctx, CLINIT_ERROR_INVALID_QUEUE, "queue: belongs to another context or device than ctx");
    return CLINIT_SUCCESS;
}

/* The tensor's buffer, of ctx's context (the queue was checked by clinit_call_begin), for a validated plan. */
static clinit_status check_buffer(clinit_ctx *ctx, const clinit_tensor *t, const clinit_plan *plan)
{
    uint64_t numel = plan->g.numel;
    cl_context mctx = NULL;
    size_t size = 0;
    cl_mem_flags flags = 0;
    cl_int err = clGetMemObjectInfo(t->buffer, CL_MEM_CONTEXT, sizeof mctx, &mctx, NULL);
    if (err == CL_SUCCESS) err = clGetMemObjectInfo(t->buffer, CL_MEM_SIZE, sizeof size, &size, NULL);
    if (err == CL_SUCCESS) err = clGetMemObjectInfo(t->buffer, CL_MEM_FLAGS, sizeof flags, &flags, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "tensor.buffer: clGetMemObjectInfo");
    if (mctx != ctx->context)
        return clinit_fail(ctx, CLINIT_ERROR_INVALID_QUEUE, "tensor.buffer: belongs to another context than ctx");
    /* OpenCL leaves a kernel's write to such a buffer undefined: PoCL writes it, other drivers may not. */
    if (flags & CL_MEM_READ_ONLY)
        return clinit_fail(ctx, CLINIT_ERROR_READ_ONLY_BUFFER,
                           "tensor.buffer: created with CL_MEM_READ_ONLY, which kernels must not write");
    size_t esize = plan->esize;
    if (t->offset_bytes > size || numel > (size - t->offset_bytes) / esize)
        return clinit_fail(ctx, CLINIT_ERROR_BUFFER_TOO_SMALL,
                           "tensor.buffer: %zu bytes cannot hold %llu elements of %zu bytes at tensor.offset_bytes %zu",
                           size, (unsigned long long)numel, esize, t->offset_bytes);
    return CLINIT_SUCCESS;
}

clinit_status clinit_check_wait_list(clinit_ctx *ctx, cl_uint nwait, const cl_event *wait)
{
    if (nwait && !wait)
        return clinit_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "event_wait_list is NULL with num_events_in_wait_list %u", nwait);
    for (cl_uint i = 0; i < nwait; i++) {
        if (!wait[i]) return clinit_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "event_wait_list[%u] is NULL", i);
        cl_context ectx = NULL;
        cl_int err = clGetEventInfo(wait[i], CL_EVENT_CONTEXT, sizeof ectx, &ectx, NULL);
        if (err != CL_SUCCESS)
            return clinit_fail(ctx, CLINIT_ERROR_OPENCL, "event_wait_list[%u]: clGetEventInfo failed: %s (%d)", i,
                               clinit_cl_error_name(err), (int)err);
        if (ectx != ctx->context)
            return clinit_fail(ctx, CLINIT_ERROR_INVALID_QUEUE, "event_wait_list[%u]: belongs to another context than ctx",
                               i);
    }
    return CLINIT_SUCCESS;
}

clinit_status clinit_call_begin(clinit_ctx *ctx, cl_command_queue queue, cl_uint nwait, const cl_event *wait,
                                cl_event *event)
{
    cl_uint alias = nwait;
    for (cl_uint i = 0; event && wait && i < nwait; i++)
        if (&wait[i] == event) alias = i;
    if (event && alias == nwait) *event = NULL;
    if (!ctx) return CLINIT_ERROR_NULL_ARGUMENT;
    clinit_message_clear(ctx);
    if (alias < nwait)
        return clinit_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                           "event is &event_wait_list[%u]: the event a call returns must not be an element of its wait "
                           "list (as in OpenCL), which it would overwrite before the list is read",
                           alias);
    clinit_status st = check_queue(ctx, queue);
    return st == CLINIT_SUCCESS ? clinit_check_wait_list(ctx, nwait, wait) : st;
}

static clinit_status validate(clinit_ctx *ctx, const clinit_tensor *t, const clinit_init_spec *spec,
                              clinit_plan *plan)
{
    char what[512];
    clinit_status st = clinit_plan_make(t, spec, plan, what, sizeof what);
    return st == CLINIT_SUCCESS ? st : clinit_fail(ctx, st, "%s", what);
}

/* Elements per Philox block: four 32-bit words make four f32/f16/bf16 values or two f64 values. */
uint64_t clinit_launch_items(const clinit_ctx *ctx, const clinit_tensor *t, const clinit_geometry *g, int strided)
{
    uint64_t per_block = t->dtype == CLINIT_F64 ? 2 : 4;
    /* A run of n elements touches at most n/per_block + 2 blocks when it does not start on a block boundary. */
    uint64_t blocks = g->run_len / per_block + 2;
    uint64_t items = (blocks + ctx->item_blocks - 1) / ctx->item_blocks;
    /* The grid-stride shape loops over the rest; stride_items ≤ 2^30 keeps it to one launch per row range. */
    return strided && ctx->stride_items && items > ctx->stride_items ? ctx->stride_items : items;
}

static cl_int enqueue_all(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k, const clinit_tensor *t,
                          const clinit_geometry *g, const clinit_resolved *r, const uint64_t q[8], uint64_t seed,
                          uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *events, size_t *nevents,
                          const char **failed)
{
    cl_ulong out_offset = t->offset_bytes / clinit_dtype_size(t->dtype);
    cl_ulong run_len = g->run_len, rows = g->rows, run_base = g->run_base;
    cl_ulong8 ostart, oext, ostride, extra;
    for (int d = 0; d < 8; d++) {
        ostart.s[d] = g->ostart[d];
        oext.s[d] = g->oext[d];
        ostride.s[d] = g->ostride[d];
        extra.s[d] = q ? q[d] : 0;
    }
    cl_uint4 ks = {{(cl_uint)seed, (cl_uint)(seed >> 32), (cl_uint)stream, (cl_uint)(stream >> 32)}};
    cl_float8 p;
    cl_double8 p64;
    memcpy(p.s, r->p, sizeof p.s);
    memcpy(p64.s, r->p64, sizeof p64.s);
    cl_int method = r->method;
    cl_int err = CL_SUCCESS;
    int a = 0;
#define ARG(v)                                                                   \
    if (err == CL_SUCCESS) err = clSetKernelArg(k, (cl_uint)a++, sizeof(v), &(v));
    ARG(t->buffer) ARG(out_offset) ARG(run_len) ARG(rows)
    int row0_arg = a++, item0_arg = a++;
    ARG(run_base) ARG(ostart) ARG(oext) ARG(ostride) ARG(ks)
    if (t->dtype == CLINIT_F64) {
        ARG(p64) ARG(method) ARG(extra)
    } else {
        ARG(p) ARG(method) ARG(extra)
    }
#undef ARG
    if (err != CL_SUCCESS) {
        *failed = "clSetKernelArg";
        return err;
    }
    uint64_t items = clinit_launch_items(ctx, t, g, 1);
    size_t local = ctx->local_size ? ctx->local_size : ctx->default_local_size;
    for (uint64_t row0 = 0; row0 < rows; row0 += MAX_ROWS_PER_LAUNCH) {
        uint64_t nrows = rows - row0 < MAX_ROWS_PER_LAUNCH ? rows - row0 : MAX_ROWS_PER_LAUNCH;
        for (uint64_t item0 = 0; item0 < items; item0 += CLINIT_MAX_ITEMS_PER_LAUNCH) {
            uint64_t nitems = items - item0 < CLINIT_MAX_ITEMS_PER_LAUNCH ? items - item0 : CLINIT_MAX_ITEMS_PER_LAUNCH;
            if (local) nitems = (nitems + local - 1) / local * local;
            cl_ulong r0 = row0, i0 = item0;
            err = clSetKernelArg(k, (cl_uint)row0_arg, sizeof r0, &r0);
            if (err == CL_SUCCESS) err = clSetKernelArg(k, (cl_uint)item0_arg, sizeof i0, &i0);
            if (err != CL_SUCCESS) {
                *failed = "clSetKernelArg";
                return err;
            }
            size_t gsize[2] = {(size_t)nitems, (size_t)nrows};
            size_t lsize[2] = {local, 1};
            cl_event *ev = events ? &events[*nevents] : NULL;
            err = clEnqueueNDRangeKernel(queue, k, 2, NULL, gsize, local ? lsize : NULL, nwait, nwait ? wait : NULL, ev);
            if (err != CL_SUCCESS) {
                *failed = "clEnqueueNDRangeKernel";
                return err;
            }
            ctx->launches++;
            if (events) (*nevents)++;
        }
    }
    return CL_SUCCESS;
}

clinit_status clinit_enqueue_runs(clinit_ctx *ctx, cl_command_queue queue, cl_kernel k, const clinit_tensor *t,
                                  const clinit_geometry *g, const clinit_resolved *r, const uint64_t q[8], uint64_t seed,
                                  uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    /* Events of every launch are kept only when the caller wants one event for the whole fill. */
    uint64_t items = clinit_launch_items(ctx, t, g, 1);
    uint64_t launches = ((g->rows + MAX_ROWS_PER_LAUNCH - 1) / MAX_ROWS_PER_LAUNCH) *
                        ((items + CLINIT_MAX_ITEMS_PER_LAUNCH - 1) / CLINIT_MAX_ITEMS_PER_LAUNCH);
    cl_event *events = NULL;
    size_t nevents = 0;
    if (event) {
        events = malloc((size_t)launches * sizeof *events);
        if (!events) return clinit_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for %llu events",
                                        (unsigned long long)launches);
    }
    const char *failed = NULL;
    cl_int err = enqueue_all(ctx, queue, k, t, g, r, q, seed, stream, nwait, wait, events, &nevents, &failed);
    if (err == CL_SUCCESS && event) {
        if (nevents == 1) {
            *event = events[0];
            nevents = 0;
        } else {
            err = clEnqueueMarkerWithWaitList(queue, (cl_uint)nevents, events, event);
            failed = "clEnqueueMarkerWithWaitList";
        }
    }
    for (size_t i = 0; i < nevents; i++) clReleaseEvent(events[i]);
    free(events);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, failed);
    return CLINIT_SUCCESS;
}

clinit_status clinit_check_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                const clinit_init_spec *spec, clinit_plan *plan)
{
    assert(ctx && t && spec && plan);
    if (!t->buffer) return clinit_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "tensor.buffer is NULL");
    clinit_status st = validate(ctx, t, spec, plan);
    if (st == CLINIT_SUCCESS) st = check_buffer(ctx, t, plan);
    if (st != CLINIT_SUCCESS || plan->g.numel == 0) return st;
    const clinit_resolved *r = &plan->r;
    /* The f64 kernels exist only on devices with cl_khr_fp64 (host/context.c). */
    int special = r->dist == CLINIT_DIST_ORTHOGONAL || r->dist == CLINIT_DIST_STRUCTURED || r->dist == CLINIT_DIST_SPARSE;
    if (t->dtype == CLINIT_F64 && !(r->dist == CLINIT_DIST_ORTHOGONAL ? ctx->orthogonal64[0]
                                    : special                        ? ctx->structured64[0]
                                                                     : ctx->fill64[r->dist]))
        return clinit_fail(ctx, CLINIT_ERROR_UNSUPPORTED_DTYPE,
                           "tensor.dtype f64: the device has no cl_khr_fp64 (double precision)");
    return CLINIT_SUCCESS;
}

clinit_status clinit_enqueue_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                  const clinit_init_spec *spec, const clinit_plan *plan, uint64_t seed,
                                  uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event,
                                  clinit_orth_shared *shared)
{
    assert(ctx && queue && t && spec && plan); /* clinit_call_begin and clinit_check_fill passed */
    const clinit_geometry *g = &plan->g;
    const clinit_resolved *r = &plan->r;
    if (g->numel == 0) {
        if (!event && nwait == 0) return CLINIT_SUCCESS;
        cl_int err = clEnqueueMarkerWithWaitList(queue, nwait, nwait ? wait : NULL, event);
        return err == CL_SUCCESS ? CLINIT_SUCCESS : CLINIT_CLFAIL(ctx, err, "clEnqueueMarkerWithWaitList");
    }
    /* no kernel argument is set: nothing to serialize */
    if (clinit_dtype_is_integer(t->dtype)) return clinit_fill_integer(ctx, queue, t, g, r, nwait, wait, event);
    clinit_status st;
    pthread_mutex_lock(&ctx->lock);
    if (r->dist == CLINIT_DIST_ORTHOGONAL)
        st = clinit_fill_orthogonal(ctx, queue, t, spec, plan, seed, stream, nwait, wait, event, shared);
    else if (r->dist == CLINIT_DIST_STRUCTURED || r->dist == CLINIT_DIST_SPARSE)
        st = clinit_fill_structured(ctx, queue, t, spec, plan, seed, stream, nwait, wait, event);
    else
        st = clinit_enqueue_runs(ctx, queue, t->dtype == CLINIT_F64 ? ctx->fill64[r->dist] : ctx->fill[t->dtype][r->dist],
                                 t, g, r, NULL, seed, stream, nwait, wait, event);
    pthread_mutex_unlock(&ctx->lock);
    return st;
}

clinit_status clinit_fill(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                          const clinit_init_spec *spec, uint64_t seed, uint64_t stream, cl_uint nwait,
                          const cl_event *wait, cl_event *event)
{
    clinit_status st = clinit_call_begin(ctx, queue, nwait, wait, event);
    if (st != CLINIT_SUCCESS) return st;
    if (!t) return clinit_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "tensor is NULL");
    if (!spec) return clinit_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "spec is NULL");
    clinit_plan plan;
    st = clinit_check_fill(ctx, queue, t, spec, &plan);
    if (st != CLINIT_SUCCESS) return st;
    return clinit_enqueue_fill(ctx, queue, t, spec, &plan, seed, stream, nwait, wait, event, NULL);
}

clinit_status clinit_uniform(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double a, double b,
                             uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = a;
    s.b = b;
    return clinit_fill(ctx, queue, t, &s, seed, stream, nwait, wait, event);
}

clinit_status clinit_normal(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t, double mean,
                            double std, uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait,
                            cl_event *event)
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
                                   uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait,
                                   cl_event *event)
{
    return fill_gain(ctx, queue, t, CLINIT_INIT_XAVIER_NORMAL, gain, seed, stream, nwait, wait, event);
}

static clinit_status fill_kaiming(clinit_ctx *ctx, cl_command_queue queue, const clinit_tensor *t,
                                  clinit_init_kind kind, double a, clinit_fan_mode mode, clinit_nonlinearity nl,
                                  uint64_t seed, uint64_t stream, cl_uint nwait, const cl_event *wait,
                                  cl_event *event)
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

clinit_status clinit_internal_philox_device(clinit_ctx *ctx, cl_command_queue queue, const uint32_t *in,
                                            uint32_t *out, size_t n)
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
