/* `clinit init`: a whole model from a manifest to a safetensors file. The header goes first, then the
 * tensors in order: small ones several at a time (one clinit_fill_batch per bufferful), each large one in
 * slabs of at most SLAB_BYTES (boxes of the logical tensor, whose values are the whole tensor's), through one
 * device buffer and one host buffer of the largest slab's size: memory stays bounded by the slab, not by the
 * model or its largest tensor. */
#include "args.h"
#include "cli.h"
#include "gen.h"
#include "manifest.h"
#include "outfile.h"
#include "safetensors.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct init_args {
    const char *manifest, *seed, *out;
    int force;
} init_args;

static int parse_args(int argc, char **argv, init_args *a)
{
    const cli_opt opts[] = {
        {"--manifest", CLI_OPT_VALUE, &a->manifest},
        {"--seed", CLI_OPT_VALUE, &a->seed},
        {"--out", CLI_OPT_VALUE, &a->out},
        {"--force", CLI_OPT_FLAG, &a->force},
    };
    size_t npos;
    int rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0, &npos);
    if (rc != CLI_OK) return rc;
    if (!a->manifest) return cli_usage_error("init: missing --manifest");
    if (!a->out) return cli_usage_error("init: missing --out");
    /* As `clinit sample` does: the name says the format, unless no file takes it (a device, FIFO or socket). */
    size_t len = strlen(a->out), ext = strlen(".safetensors");
    if (!(len > ext && strcmp(a->out + len - ext, ".safetensors") == 0) && !cli_outfile_special(a->out))
        return cli_usage_error("--out %s: name a .safetensors file (or a device, FIFO or socket, written in place)",
                               a->out);
    return CLI_OK;
}

/* "[i/N] name" rewritten in place, only for a person watching a terminal: logs get the summary alone. */
static void progress(int on, size_t i, size_t n, const char *name)
{
    if (on) fprintf(stderr, "\r[%zu/%zu] %s\033[K", i + 1, n, name);
}

/* Large enough that a slab's launch and read-back cost little next to its bytes, small enough that the two
 * buffers (on PoCL both are host memory) stay a small part of a checkpoint of hundreds of megabytes. */
#define SLAB_BYTES ((uint64_t)16 << 20)

/* How a tensor is generated: whole (dim = -1), or in slabs, boxes that fix every dimension before `dim` to
 * one index, take `step` indices of `dim` and all of every dimension after it. Each such box is a contiguous
 * range of the row-major tensor and they come in order, so their bytes concatenate to the tensor's. */
typedef struct slab_plan {
    int dim;
    int64_t step;
} slab_plan;

/* The plan for e and the bytes of its largest slab (of the whole tensor when dim = -1). orthogonal and
 * delta_orthogonal compute their whole matrix for any box, so they are never split. */
static uint64_t plan_slabs(const cli_entry *e, slab_plan *p)
{
    const cli_tensor_desc *d = &e->desc;
    uint64_t es = clinit_dtype_size(d->dtype), bytes = e->numel * es;
    p->dim = -1;
    p->step = 0;
    clinit_tensor t = cli_desc_tensor(d, NULL);
    clinit_distribution dist;
    if (bytes <= SLAB_BYTES || clinit_init_resolve(&e->spec, &t, &dist) != CLINIT_SUCCESS ||
        dist.kind == CLINIT_DIST_ORTHOGONAL)
        return bytes;
    /* inner: the bytes of one index of dimension k, i.e. of all dimensions after it */
    uint64_t inner = es;
    int k = d->rank - 1;
    while (k > 0 && inner * (uint64_t)d->shape[k] <= SLAB_BYTES) inner *= (uint64_t)d->shape[k--];
    uint64_t step = SLAB_BYTES / inner; /* ≥ 1: inner ≤ SLAB_BYTES */
    p->dim = k;
    p->step = step < (uint64_t)d->shape[k] ? (int64_t)step : d->shape[k];
    return (uint64_t)p->step * inner;
}

static int write_tensor(const cli_entry *e, uint64_t seed, cli_outfile *out, cli_gen *gen, uint64_t *device_ns)
{
    const cli_tensor_desc *d = &e->desc;
    size_t es = clinit_dtype_size(d->dtype);
    uint64_t stream = clinit_stream_from_name(e->name);
    slab_plan p;
    plan_slabs(e, &p);
    if (p.dim < 0) {
        int rc = cli_gen_fill(gen, d, NULL, NULL, &e->spec, seed, stream, device_ns);
        return rc == CLI_OK ? cli_outfile_write_le(out, gen->host, (size_t)e->numel, es) : rc;
    }
    int64_t start[CLINIT_MAX_RANK] = {0}, extent[CLINIT_MAX_RANK];
    for (int k = 0; k < d->rank; k++) extent[k] = k < p.dim ? 1 : d->shape[k];
    for (;;) {
        int64_t left = d->shape[p.dim] - start[p.dim];
        extent[p.dim] = left < p.step ? left : p.step;
        uint64_t n = 1;
        for (int k = 0; k < d->rank; k++) n *= (uint64_t)extent[k];
        int rc = cli_gen_fill(gen, d, start, extent, &e->spec, seed, stream, device_ns);
        if (rc == CLI_OK) rc = cli_outfile_write_le(out, gen->host, (size_t)n, es);
        if (rc != CLI_OK) return rc;
        /* the next slab: advance `dim`, carrying into the dimensions before it like an odometer */
        int k = p.dim;
        start[k] += extent[k];
        while (start[k] == d->shape[k]) {
            if (k == 0) return CLI_OK;
            start[k--] = 0;
            start[k] += 1;
        }
    }
}

/* Consecutive tensors generated whole share the device buffer: one clinit_fill_batch and one read-back per
 * bufferful, so a model of many small tensors costs a few launches rather than one per tensor. In the buffer
 * each sits at its offset in the file's data relative to the group's first, so what comes back is the file's
 * bytes; a tensor at an offset that is not a multiple of its dtype size (f64 after an odd number of f16
 * values) starts a new group, as does one that is written in slabs. */
static int write_group(const cli_manifest *m, size_t first, size_t *end, uint64_t seed, cli_outfile *out, cli_gen *gen,
                       uint64_t *device_ns)
{
    uint64_t base = m->entries[first].offset, used = 0;
    size_t j = first;
    for (; j < m->count; j++) {
        const cli_entry *e = &m->entries[j];
        slab_plan p;
        uint64_t bytes = plan_slabs(e, &p), rel = e->offset - base;
        if (j > first && (p.dim >= 0 || rel % clinit_dtype_size(e->desc.dtype) != 0 || rel + bytes > gen->capacity))
            break;
        used = rel + bytes;
    }
    *end = j;
    clinit_batch_item *items = calloc(j - first, sizeof *items);
    if (!items) return cli_runtime_error("out of host memory for %zu tensors", j - first);
    for (size_t k = first; k < j; k++) {
        const cli_entry *e = &m->entries[k];
        items[k - first].tensor = cli_desc_tensor(&e->desc, NULL);
        items[k - first].tensor.offset_bytes = (size_t)(e->offset - base);
        items[k - first].spec = e->spec;
        items[k - first].stream = clinit_stream_from_name(e->name);
    }
    int rc = cli_gen_fill_batch(gen, items, j - first, (size_t)used, seed, device_ns);
    free(items);
    for (size_t k = first; k < j && rc == CLI_OK; k++) {
        const cli_entry *e = &m->entries[k];
        rc = cli_outfile_write_le(out, gen->host + (e->offset - base), (size_t)e->numel, clinit_dtype_size(e->desc.dtype));
    }
    return rc;
}

static int write_tensors(const cli_manifest *m, uint64_t seed, cli_outfile *out, cli_gen *gen, uint64_t *device_ns)
{
    int tty = isatty(STDERR_FILENO);
    int rc = CLI_OK;
    for (size_t i = 0; i < m->count && rc == CLI_OK;) {
        slab_plan p;
        plan_slabs(&m->entries[i], &p);
        progress(tty, i, m->count, m->entries[i].name);
        size_t end = i + 1;
        if (p.dim >= 0) rc = write_tensor(&m->entries[i], seed, out, gen, device_ns);
        else rc = write_group(m, i, &end, seed, out, gen, device_ns);
        i = end;
    }
    if (tty) fputs("\r\033[K", stderr);
    return rc;
}

static int run(const init_args *a, const cli_manifest *m, uint64_t seed)
{
    size_t header_size;
    unsigned char *header = cli_safetensors_header(m, seed, &header_size);
    if (!header) return cli_runtime_error("out of host memory building the safetensors header");
    cli_outfile out;
    int rc = cli_outfile_open(&out, "--out", a->out, a->force);
    if (rc != CLI_OK) {
        free(header);
        return rc;
    }
    cli_gen gen;
    uint64_t device_ns = 0;
    rc = cli_gen_open(&gen);
    if (rc == CLI_OK) rc = cli_manifest_check_fits(m, gen.max_alloc);
    /* the largest slab, and room for a group of small tensors */
    uint64_t capacity = m->total_bytes < SLAB_BYTES ? m->total_bytes : SLAB_BYTES;
    for (size_t i = 0; i < m->count; i++) {
        slab_plan p;
        uint64_t b = plan_slabs(&m->entries[i], &p);
        capacity = b > capacity ? b : capacity;
    }
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, (size_t)capacity);
    if (rc == CLI_OK) rc = cli_outfile_write(&out, header, header_size);
    if (rc == CLI_OK) rc = write_tensors(m, seed, &out, &gen, &device_ns);
    if (rc == CLI_OK) rc = cli_outfile_commit(&out);
    else cli_outfile_discard(&out);
    cli_gen_close(&gen);
    free(header);
    if (rc != CLI_OK) return rc;
    double ms = (double)device_ns / 1e6;
    printf("%zu tensors, %" PRIu64 " parameters, %" PRIu64 " bytes, device time %.3f ms, %.3f GB/s, wrote %s\n",
           m->count, m->total_numel, m->total_bytes, ms, device_ns ? (double)m->total_bytes / (double)device_ns : 0.0,
           a->out);
    return CLI_OK;
}

int cli_init(int argc, char **argv)
{
    init_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    uint64_t seed = 0;
    if ((rc = cli_u64_option("--seed", a.seed, &seed)) != CLI_OK) return rc;
    cli_manifest m;
    rc = cli_manifest_load(a.manifest, &m);
    if (rc == CLI_OK) rc = run(&a, &m, a.seed ? seed : m.seed); /* --seed overrides the manifest's */
    cli_manifest_free(&m);
    return rc;
}
