/* clinit_fill_batch: many tensors, few launches. Every item is checked first (nothing is enqueued for an
 * invalid batch); the element-wise items of one buffer and dtype then become the entries of one table and one
 * launch of kernels/batch.cl, whose work-items run each entry's run exactly as the run kernels would, and the
 * rest go through ci_enqueue_fill one by one, the orthogonal ones in one shared scratch. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct checked {
    ci_plan p;
    uint64_t units; /* work-groups (GPU shapes) or work-items (CPU) in a batch launch; 0: filled on its own (or not
                     * at all: no elements) */
    int rows;       /* GPU shapes: the entry's run is whole aligned blocks (ci_batch_entry.rows) */
} checked;

/* The events of every launch, when the caller wants one event for the whole batch. */
typedef struct event_list {
    cl_event *ev;
    size_t n, cap;
} event_list;

static int push_event(event_list *l, cl_event e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        cl_event *p = realloc(l->ev, cap * sizeof *p);
        if (!p) return 0;
        l->ev = p;
        l->cap = cap;
    }
    l->ev[l->n++] = e;
    return 1;
}

static void release_events(event_list *l)
{
    for (size_t i = 0; i < l->n; i++) clReleaseEvent(l->ev[i]);
    free(l->ev);
    memset(l, 0, sizeof *l);
}

/* The bytes an item writes, for the overlap check: a sub-buffer's are counted in the buffer it was made from
 * (OpenCL makes sub-buffers of buffers only, so one level up is the whole buffer). */
typedef struct span {
    cl_mem buffer;
    size_t begin, end, item;
    int sub; /* the item's buffer is a sub-buffer */
} span;

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->buffer != y->buffer) return (uintptr_t)x->buffer < (uintptr_t)y->buffer ? -1 : 1;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

static clinit_status item_span(clinit_ctx *ctx, const clinit_batch_item *it, const checked *c, size_t i, span *out)
{
    cl_mem parent = NULL;
    size_t origin = 0;
    cl_int err = clGetMemObjectInfo(it->tensor.buffer, CL_MEM_ASSOCIATED_MEMOBJECT, sizeof parent, &parent, NULL);
    if (err == CL_SUCCESS && parent)
        err = clGetMemObjectInfo(it->tensor.buffer, CL_MEM_OFFSET, sizeof origin, &origin, NULL);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "items[%zu].tensor.buffer: clGetMemObjectInfo failed: %s (%d)", i,
                       clinit_cl_error_name(err), (int)err);
    size_t begin = origin + it->tensor.offset_bytes;
    *out = (span){parent ? parent : it->tensor.buffer, begin, begin + c->p.g.numel * c->p.esize, i, parent != NULL};
    return CLINIT_SUCCESS;
}

/* Items must not overlap: their launches run in no fixed order, so overlapping bytes would get either
 * item's values. Sorted by buffer and offset, each item must start at or after the furthest end so far. */
static clinit_status check_overlap(clinit_ctx *ctx, const clinit_batch_item *items, const checked *c, size_t count)
{
    span *s = malloc((count ? count : 1) * sizeof *s);
    if (!s) return ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for %zu items", count);
    size_t n = 0;
    clinit_status st = CLINIT_SUCCESS;
    for (size_t i = 0; i < count && st == CLINIT_SUCCESS; i++)
        if (c[i].p.g.numel) st = item_span(ctx, &items[i], &c[i], i, &s[n++]);
    if (st == CLINIT_SUCCESS) qsort(s, n, sizeof *s, span_cmp);
    for (size_t k = 1, far = 0; k < n && st == CLINIT_SUCCESS; k++) {
        if (s[k].buffer != s[k - 1].buffer) {
            far = k;
            continue;
        }
        if (s[k].begin < s[far].end) {
            const span *a = s[far].item < s[k].item ? &s[far] : &s[k], *b = a == &s[k] ? &s[far] : &s[k];
            st = ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                         "items[%zu] and items[%zu] overlap: bytes [%zu, %zu) and [%zu, %zu) of one buffer%s", a->item,
                         b->item, a->begin, a->end, b->begin, b->end,
                         a->sub || b->sub ? " (sub-buffers counted from the start of the buffer they were made from)"
                                          : "");
        }
        if (s[k].end > s[far].end) far = k;
    }
    free(s);
    return st;
}

static void put_entry(ci_batch_entry *e, uint64_t start, const clinit_batch_item *it, const checked *c, uint64_t seed)
{
    memset(e, 0, sizeof *e);
    e->start = start;
    e->out_offset = it->tensor.offset_bytes / c->p.esize;
    e->first = c->p.g.run_base; /* one run: its first logical index */
    e->len = c->p.g.run_len;
    e->dist = c->p.r.dist;
    e->rows = c->rows;
    ci_values_of(&c->p.r, seed, it->stream, &e->v);
}

/* An element-wise item's share of a batch launch (kernels/batch_kernel.h): on GPU shapes, work-groups of `local`
 * work-items, each CLINIT_BATCH_ROUNDS · local blocks of a run of whole aligned blocks (rows) or `local` blocks of
 * any other; on CPUs, work-items of CLINIT_BATCH_ITEMS times a single fill's work-item. */
static void plan_entry(const clinit_ctx *ctx, const clinit_tensor *t, checked *c, size_t local)
{
    if (ctx->item_blocks != 1) {
        c->units = (ci_launch_items(ctx, t, &c->p.g, c->p.r.dist, 0) + CLINIT_BATCH_ITEMS - 1) / CLINIT_BATCH_ITEMS;
        return;
    }
    ci_rows w;
    uint64_t rows, blocks = (c->p.g.run_len + 3) / 4, first_block = c->p.g.run_base / 4;
    c->rows = ci_rows_of(t, &c->p.g, &w, &rows) && blocks <= CLINIT_ROW_BLOCKS_MAX &&
              ((first_block + blocks) >> 32) == (first_block >> 32);
    uint64_t per_group = c->rows ? CLINIT_BATCH_ROUNDS * (uint64_t)local : (uint64_t)local;
    uint64_t need = c->rows ? blocks : ci_launch_items(ctx, t, &c->p.g, c->p.r.dist, 0);
    c->units = (need + per_group - 1) / per_group;
}

/* One launch of the batch kernel of `dtype` over entries [first, end) of `order` (indices into items), all in
 * `buffer`, after the wait list; its event into *ev when ev is not NULL. */
static clinit_status launch_group(clinit_ctx *ctx, cl_command_queue queue, cl_mem buffer, clinit_dtype dtype,
                                  const clinit_batch_item *items, const checked *c, const size_t *order, size_t first,
                                  size_t end, uint64_t seed, cl_uint nwait, const cl_event *wait, cl_event *ev)
{
    size_t n = end - first;
    ci_batch_entry *table = malloc((n + 1) * sizeof *table);
    if (!table) return ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for a batch table");
    uint64_t total = 0;
    for (size_t k = 0; k < n; k++) {
        put_entry(&table[k], total, &items[order[first + k]], &c[order[first + k]], seed);
        total += c[order[first + k]].units;
    }
    memset(&table[n], 0, sizeof table[n]);
    table[n].start = total; /* the sentinel */
    cl_int err;
    /* COPY_HOST_PTR copies now, so the host table can go at once; the launch keeps the buffer alive. */
    cl_mem tbuf =
        clCreateBuffer(ctx->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (n + 1) * sizeof *table, table, &err);
    free(table);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clCreateBuffer(batch table)");
    size_t local = ci_launch_local(ctx, 1);
    /* GPU shapes: one work-group per unit; CPU: one work-item per unit, rounded up to whole groups */
    size_t global = ctx->item_blocks == 1 ? (size_t)total * local : ((size_t)total + local - 1) / local * local;
    cl_uint entries = (cl_uint)n;
    cl_ulong item0 = 0;
    cl_kernel k = ctx->batch[dtype];
    const char *failed = "clSetKernelArg";
    pthread_mutex_lock(&ctx->lock);
    err = clSetKernelArg(k, 0, sizeof buffer, &buffer);
    if (err == CL_SUCCESS) err = clSetKernelArg(k, 1, sizeof tbuf, &tbuf);
    if (err == CL_SUCCESS) err = clSetKernelArg(k, 2, sizeof entries, &entries);
    if (err == CL_SUCCESS) err = clSetKernelArg(k, 3, sizeof item0, &item0);
    if (err == CL_SUCCESS) {
        failed = "clEnqueueNDRangeKernel(clinit_fill_batch)";
        err = clEnqueueNDRangeKernel(queue, k, 1, NULL, &global, &local, nwait, nwait ? wait : NULL, ev);
        if (err == CL_SUCCESS) ctx->launches++;
    }
    pthread_mutex_unlock(&ctx->lock);
    clReleaseMemObject(tbuf);
    return err == CL_SUCCESS ? CLINIT_SUCCESS : CLINIT_CLFAIL(ctx, err, failed);
}

/* Sort key of a batched item: its group (buffer, dtype), then its index. */
typedef struct group_key {
    uintptr_t buffer;
    int dtype;
    size_t index;
} group_key;

static int by_group(const void *a, const void *b)
{
    const group_key *x = a, *y = b;
    if (x->buffer != y->buffer) return x->buffer < y->buffer ? -1 : 1;
    if (x->dtype != y->dtype) return x->dtype < y->dtype ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Prefixes ctx's message with the item's index. */
static clinit_status item_failed(clinit_ctx *ctx, clinit_status st, size_t i)
{
    char m[CLINIT_MESSAGE_BYTES];
    ci_c_snprintf(m, sizeof m, "%s", clinit_ctx_message(ctx));
    return ci_fail(ctx, st, "items[%zu]: %s", i, m);
}

static clinit_status enqueue_batch(clinit_ctx *ctx, cl_command_queue queue, const clinit_batch_item *items,
                                   const checked *c, size_t count, uint64_t seed, cl_uint nwait, const cl_event *wait,
                                   event_list *events, int want_events, size_t *enqueued)
{
    group_key *keys = malloc((count ? count : 1) * sizeof *keys);
    size_t *order = malloc((count ? count : 1) * sizeof *order);
    if (!keys || !order) {
        free(keys);
        free(order);
        return ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for %zu items", count);
    }
    /* Two or more orthogonal items share their scratch (ci_orth_shared), sized for the largest. */
    ci_orth_shared shared;
    memset(&shared, 0, sizeof shared);
    size_t orthogonal = 0;
    for (size_t i = 0; i < count; i++) {
        if (c[i].units || c[i].p.g.numel == 0 || c[i].p.r.dist != CLINIT_DIST_ORTHOGONAL) continue;
        for (int b = 0; b < 3; b++)
            if (c[i].p.scratch[b] > shared.bytes[b]) shared.bytes[b] = c[i].p.scratch[b];
        orthogonal++;
    }
    size_t n = 0;
    clinit_status st = CLINIT_SUCCESS;
    for (size_t i = 0; i < count && st == CLINIT_SUCCESS; i++) {
        if (c[i].units) {
            keys[n++] = (group_key){(uintptr_t)items[i].tensor.buffer, (int)items[i].tensor.dtype, i};
            continue;
        }
        if (c[i].p.g.numel == 0) continue;
        cl_event ev = NULL;
        st = ci_enqueue_fill(ctx, queue, &items[i].tensor, &items[i].spec, &c[i].p, seed, items[i].stream, nwait, wait,
                             want_events ? &ev : NULL, orthogonal > 1 ? &shared : NULL);
        *enqueued += st == CLINIT_SUCCESS;
        if (st == CLINIT_SUCCESS && ev && !push_event(events, ev)) {
            clReleaseEvent(ev);
            st = ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for events");
        }
        if (st != CLINIT_SUCCESS) st = item_failed(ctx, st, i);
    }
    ci_orth_shared_release(&shared); /* the enqueued commands keep the buffers until they finish */
    qsort(keys, n, sizeof *keys, by_group);
    for (size_t k = 0; k < n; k++) order[k] = keys[k].index;
    free(keys);
    for (size_t first = 0; first < n && st == CLINIT_SUCCESS;) {
        const clinit_tensor *t0 = &items[order[first]].tensor;
        size_t end = first;
        uint64_t total = 0, per_unit = ctx->item_blocks == 1 ? ci_launch_local(ctx, 1) : 1;
        while (end < n && items[order[end]].tensor.buffer == t0->buffer &&
               items[order[end]].tensor.dtype == t0->dtype &&
               (total + c[order[end]].units) * per_unit <= CLINIT_MAX_ITEMS_PER_LAUNCH)
            total += c[order[end++]].units;
        cl_event ev = NULL;
        st = launch_group(ctx, queue, t0->buffer, t0->dtype, items, c, order, first, end, seed, nwait, wait,
                          want_events ? &ev : NULL);
        *enqueued += st == CLINIT_SUCCESS;
        if (st == CLINIT_SUCCESS && ev && !push_event(events, ev)) {
            clReleaseEvent(ev);
            st = ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for events");
        }
        first = end;
    }
    free(order);
    return st;
}

clinit_status clinit_fill_batch(clinit_ctx *ctx, cl_command_queue queue, const clinit_batch_item *items, size_t count,
                                uint64_t seed, cl_uint nwait, const cl_event *wait, cl_event *event)
{
    /* the queue, wait list and event are the call's, checked before any item (count 0 too) */
    clinit_status wst = ci_call_begin(ctx, queue, nwait, wait, event);
    if (wst != CLINIT_SUCCESS) return wst;
    if (!items && count) return ci_fail(ctx, CLINIT_ERROR_NULL_ARGUMENT, "items is NULL with count %zu", count);
    checked *c = calloc(count ? count : 1, sizeof *c);
    if (!c) return ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory for %zu items", count);
    clinit_status st = CLINIT_SUCCESS;
    for (size_t i = 0; i < count && st == CLINIT_SUCCESS; i++) {
        st = ci_check_fill(ctx, queue, &items[i].tensor, &items[i].spec, &c[i].p);
        if (st != CLINIT_SUCCESS) {
            st = item_failed(ctx, st, i);
            break;
        }
        int elementwise = c[i].p.r.dist <= CLINIT_DIST_TRUNCATED_NORMAL;
        /* the batch kernels exist for f32, f16 and bf16: f64, i32 and i64 items are filled one by one */
        if (elementwise && items[i].tensor.dtype < CLINIT_DTYPE_COUNT && c[i].p.g.rows == 1 && c[i].p.g.numel > 0) {
            size_t local = ci_launch_local(ctx, 1);
            plan_entry(ctx, &items[i].tensor, &c[i], local);
            uint64_t per_unit = ctx->item_blocks == 1 ? local : 1;
            if (c[i].units > CLINIT_MAX_ITEMS_PER_LAUNCH / per_unit) c[i].units = 0; /* on its own */
        }
    }
    if (st == CLINIT_SUCCESS) st = check_overlap(ctx, items, c, count);
    event_list events = {0};
    size_t enqueued = 0;
    if (st == CLINIT_SUCCESS)
        st = enqueue_batch(ctx, queue, items, c, count, seed, nwait, wait, &events, event != NULL, &enqueued);
    free(c);
    if (st == CLINIT_SUCCESS && event && events.n == 1) {
        *event = events.ev[0];
        events.n = 0;
    } else if (st == CLINIT_SUCCESS && event && events.n > 1) {
        cl_int err = clEnqueueMarkerWithWaitList(queue, (cl_uint)events.n, events.ev, event);
        if (err != CL_SUCCESS) st = CLINIT_CLFAIL(ctx, err, "clEnqueueMarkerWithWaitList");
    } else if (st == CLINIT_SUCCESS && enqueued == 0 && (event || nwait)) {
        /* nothing enqueued (count 0, or only empty tensors): a marker still honours the wait list, as
         * clinit_fill does for an empty tensor */
        cl_int err = clEnqueueMarkerWithWaitList(queue, nwait, nwait ? wait : NULL, event);
        if (err != CL_SUCCESS) st = CLINIT_CLFAIL(ctx, err, "clEnqueueMarkerWithWaitList");
    }
    release_events(&events);
    return st;
}
