/* Tensors, or boxes of them, to a file in bounded memory. Everything works on a box of the logical tensor:
 * the whole shape for `clinit init`, a shard for clinit-mpi; a slab is then a sub-box of that box. Every fill
 * has the whole tensor's values and fans, so the bytes do not depend on how a box is cut. */
#include "slabs.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Large enough that a slab's launch and read-back cost little next to its bytes, small enough that the two
 * buffers (on PoCL both are host memory) stay a small part of a checkpoint of hundreds of megabytes. */
#define SLAB_BYTES ((uint64_t)16 << 20)

/* Box i: boxes[i], or the whole tensor. */
static void box_of(const cli_manifest *m, const cli_box *boxes, size_t i, cli_box *b)
{
    if (boxes) {
        *b = boxes[i];
        return;
    }
    const cli_tensor_desc *d = &m->entries[i].desc;
    for (int k = 0; k < d->rank; k++) {
        b->start[k] = 0;
        b->extent[k] = d->shape[k];
    }
}

static uint64_t box_bytes(const cli_entry *e, const cli_box *b)
{
    uint64_t n = 1;
    for (int k = 0; k < e->desc.rank; k++) n *= (uint64_t)b->extent[k];
    return n * clinit_dtype_size(e->desc.dtype);
}

/* How a box is generated: whole (dim = -1), or in slabs, sub-boxes that fix every dimension before `dim` to
 * one index, take `step` indices of `dim` and all of the box in every dimension after it. Each such sub-box is
 * a contiguous range of the box's row-major order and they come in order, so their bytes concatenate to the
 * box's. */
typedef struct slab_plan {
    int dim;
    int64_t step;
} slab_plan;

/* The plan for box b of e and the bytes of its largest slab (of the whole box when dim = -1). orthogonal and
 * delta_orthogonal compute their whole matrix for any box, so they are never split. */
static uint64_t plan_slabs(const cli_entry *e, const cli_box *b, slab_plan *p)
{
    const cli_tensor_desc *d = &e->desc;
    uint64_t es = clinit_dtype_size(d->dtype), bytes = box_bytes(e, b);
    p->dim = -1;
    p->step = 0;
    clinit_tensor t = cli_desc_tensor(d, NULL);
    clinit_distribution dist;
    if (bytes <= SLAB_BYTES || clinit_init_resolve(&e->spec, &t, &dist) != CLINIT_SUCCESS ||
        dist.kind == CLINIT_DIST_ORTHOGONAL)
        return bytes;
    /* inner: the bytes of one index of dimension k, i.e. of the box's extent in all dimensions after it
     * (every extent is ≥ 1 here: the box is not empty) */
    uint64_t inner = es;
    int k = d->rank - 1;
    while (k > 0 && inner * (uint64_t)b->extent[k] <= SLAB_BYTES) inner *= (uint64_t)b->extent[k--];
    uint64_t step = SLAB_BYTES / inner; /* ≥ 1: inner ≤ SLAB_BYTES */
    p->dim = k;
    p->step = step < (uint64_t)b->extent[k] ? (int64_t)step : b->extent[k];
    return (uint64_t)p->step * inner;
}

uint64_t cli_slabs_capacity(const cli_manifest *m, const cli_box *boxes)
{
    /* the largest slab, and room for a group of small tensors */
    uint64_t total = 0, largest = 0;
    for (size_t i = 0; i < m->count; i++) {
        cli_box b;
        slab_plan p;
        box_of(m, boxes, i, &b);
        total += box_bytes(&m->entries[i], &b);
        uint64_t s = plan_slabs(&m->entries[i], &b, &p);
        largest = s > largest ? s : largest;
    }
    uint64_t capacity = total < SLAB_BYTES ? total : SLAB_BYTES;
    return largest > capacity ? largest : capacity;
}

/* "[i/N] name" rewritten in place, only for a person watching a terminal: logs get the summary alone. A
 * control character of the name (a newline, an escape sequence) is shown as '?': raw, it would break the line
 * or rewrite the terminal. */
static void show_progress(int on, size_t i, size_t n, const char *name)
{
    if (!on) return;
    char shown[128];
    size_t k = 0;
    for (; name[k] && k < sizeof shown - 1; k++)
        shown[k] = (unsigned char)name[k] < 0x20 || name[k] == 0x7f ? '?' : name[k];
    size_t cut = k;
    if (((unsigned char)name[k] & 0xC0) == 0x80) /* cut inside a UTF-8 character: drop all of it */
        while (cut > 0 && ((unsigned char)shown[--cut] & 0xC0) == 0x80) {}
    shown[cut] = '\0';
    fprintf(stderr, "\r[%zu/%zu] %s%s\033[K", i + 1, n, shown, name[k] ? "..." : "");
}

/* Box b of tensor i of m in slabs as p plans them (p->dim ≥ 0). */
static int write_slabs(const cli_manifest *m, size_t i, const cli_box *b, const slab_plan *p, uint64_t seed,
                       cli_outfile *out, cli_gen *gen, uint64_t *device_ns)
{
    const cli_entry *e = &m->entries[i];
    const cli_tensor_desc *d = &e->desc;
    size_t es = clinit_dtype_size(d->dtype);
    uint64_t stream = clinit_stream_from_name(e->name);
    int64_t start[CLINIT_MAX_RANK], extent[CLINIT_MAX_RANK];
    for (int k = 0; k < d->rank; k++) {
        start[k] = b->start[k];
        extent[k] = k < p->dim ? 1 : b->extent[k];
    }
    for (;;) {
        int64_t left = b->start[p->dim] + b->extent[p->dim] - start[p->dim];
        extent[p->dim] = left < p->step ? left : p->step;
        uint64_t n = 1;
        for (int k = 0; k < d->rank; k++) n *= (uint64_t)extent[k];
        int rc = cli_gen_fill(gen, d, start, extent, &e->spec, seed, stream, m, i, device_ns);
        if (rc == CLI_OK) rc = cli_outfile_write_le(out, gen->host, (size_t)n, es);
        if (rc != CLI_OK) return rc;
        /* the next slab: advance `dim`, carrying into the dimensions before it like an odometer */
        int k = p->dim;
        start[k] += extent[k];
        while (start[k] == b->start[k] + b->extent[k]) {
            if (k == 0) return CLI_OK;
            start[k] = b->start[k];
            k--;
            start[k] += 1;
        }
    }
}

/* Consecutive boxes generated whole share the device buffer, from box `first` on: one clinit_fill_batch and
 * one read-back per bufferful, so a model of many small tensors (or shards) costs a few launches rather than
 * one each. In the buffer each box sits at its offset in the file's data relative to the group's first, so
 * what comes back is the file's bytes; a box at an offset that is not a multiple of its dtype size (f64 after
 * an odd number of f16 values) starts a new group, as does one that is written in slabs. *end receives the
 * index after the group. */
static int write_group(const cli_manifest *m, const cli_box *boxes, size_t first, size_t *end, uint64_t seed,
                       cli_outfile *out, cli_gen *gen, uint64_t *device_ns)
{
    uint64_t used = 0;
    size_t j = first;
    for (; j < m->count; j++) {
        const cli_entry *e = &m->entries[j];
        cli_box b;
        slab_plan p;
        box_of(m, boxes, j, &b);
        uint64_t bytes = plan_slabs(e, &b, &p);
        if (j > first && (p.dim >= 0 || used % clinit_dtype_size(e->desc.dtype) != 0 || used + bytes > gen->capacity))
            break;
        used += bytes;
    }
    *end = j;
    clinit_batch_item *items = calloc(j - first, sizeof *items);
    if (!items) return cli_runtime_error("out of host memory for %zu tensors", j - first);
    uint64_t rel = 0;
    for (size_t k = first; k < j; k++) {
        const cli_entry *e = &m->entries[k];
        clinit_batch_item *it = &items[k - first];
        it->tensor = cli_desc_tensor(&e->desc, NULL);
        it->tensor.offset_bytes = (size_t)rel;
        cli_box b;
        box_of(m, boxes, k, &b);
        if (boxes) {
            it->tensor.has_box = 1;
            memcpy(it->tensor.box_start, b.start, sizeof it->tensor.box_start);
            memcpy(it->tensor.box_extent, b.extent, sizeof it->tensor.box_extent);
        }
        it->spec = e->spec;
        it->stream = clinit_stream_from_name(e->name);
        rel += box_bytes(e, &b);
    }
    int rc = cli_gen_fill_batch(gen, items, j - first, (size_t)used, seed, m, first, device_ns);
    for (size_t k = first; k < j && rc == CLI_OK; k++) {
        size_t es = clinit_dtype_size(m->entries[k].desc.dtype), at = items[k - first].tensor.offset_bytes;
        size_t next = k + 1 < j ? items[k + 1 - first].tensor.offset_bytes : (size_t)used;
        rc = cli_outfile_write_le(out, gen->host + at, (next - at) / es, es);
    }
    free(items);
    return rc;
}

int cli_slabs_write(const cli_manifest *m, const cli_box *boxes, uint64_t seed, cli_outfile *out, cli_gen *gen,
                    int progress, uint64_t *device_ns)
{
    int rc = CLI_OK;
    for (size_t i = 0; i < m->count && rc == CLI_OK;) {
        const cli_entry *e = &m->entries[i];
        cli_box b;
        slab_plan p;
        box_of(m, boxes, i, &b);
        plan_slabs(e, &b, &p);
        show_progress(progress, i, m->count, e->name);
        size_t end = i + 1;
        if (p.dim >= 0)
            rc = write_slabs(m, i, &b, &p, seed, out, gen, device_ns);
        else
            rc = write_group(m, boxes, i, &end, seed, out, gen, device_ns);
        i = end;
    }
    if (progress) fputs("\r\033[K", stderr);
    return rc;
}
