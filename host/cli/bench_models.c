/* `clinit bench --models`: whole models from their manifests, measured side by side two ways — every tensor
 * filled by its own clinit_fill into one buffer of the largest tensor's size, and the whole model as one
 * clinit_fill_batch into a buffer holding every tensor (as `clinit init` packs small tensors) — and the
 * start-up cost of a context. */
#include "bench.h"
#include "cli.h"
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Tensors of a batch start on 64-byte boundaries, as a GPU likes them. */
#define ARENA_ALIGN 64

/* Bytes of the buffer that holds every tensor of m, packed as batch_items lays them out. */
static uint64_t arena_bytes(const cli_manifest *m)
{
    uint64_t off = 0;
    for (size_t i = 0; i < m->count; i++)
        off = (off + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN +
              m->entries[i].numel * clinit_dtype_size(m->entries[i].desc.dtype);
    return off;
}

/* The items of one clinit_fill_batch of the whole model into buffer (malloc'd; free it). */
static clinit_batch_item *batch_items(const cli_manifest *m, cl_mem buffer)
{
    clinit_batch_item *items = calloc(m->count ? m->count : 1, sizeof *items);
    if (!items) return NULL;
    uint64_t off = 0;
    for (size_t i = 0; i < m->count; i++) {
        const cli_entry *e = &m->entries[i];
        off = (off + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
        items[i].tensor = cli_desc_tensor(&e->desc, buffer);
        items[i].tensor.offset_bytes = (size_t)off;
        items[i].spec = e->spec;
        items[i].stream = clinit_stream_from_name(e->name);
        off += e->numel * clinit_dtype_size(e->desc.dtype);
    }
    return items;
}

/* One pass: the device time of every tensor's own fill, summed, or of one batch of them all. */
static int model_pass(bench_dev *d, const cli_manifest *m, const clinit_batch_item *items, uint64_t *sum_ns)
{
    *sum_ns = 0;
    if (items) {
        bench_cmd c = {.kind = BENCH_CLINIT_BATCH, .items = items, .count = m->count, .seed = m->seed};
        int rc = bench_time_once(d, &c, sum_ns);
        return rc == BENCH_UNSUPPORTED ? cli_clinit_error("batch", CLINIT_ERROR_UNSUPPORTED_DTYPE, d->gen.ctx) : rc;
    }
    for (size_t i = 0; i < m->count; i++) {
        const cli_entry *e = &m->entries[i];
        if (e->numel == 0) continue; /* no fill at all: clinit enqueues nothing for it either */
        clinit_tensor t = cli_desc_tensor(&e->desc, d->buffer);
        bench_cmd c = {.kind = BENCH_CLINIT,
                       .tensor = &t,
                       .spec = &e->spec,
                       .seed = m->seed,
                       .stream = clinit_stream_from_name(e->name)};
        uint64_t ns = 0;
        int rc = bench_time_once(d, &c, &ns);
        if (rc == BENCH_UNSUPPORTED) rc = cli_clinit_error(e->name, CLINIT_ERROR_UNSUPPORTED_DTYPE, d->gen.ctx);
        if (rc != CLI_OK) return rc;
        *sum_ns += ns;
    }
    return CLI_OK;
}

/* Median device time of `repeat` passes after a warm-up pass, and the launches of a pass. */
static int measure_passes(bench_dev *d, const bench_opts *o, const char *path, const cli_manifest *m,
                          const clinit_batch_item *items, double *ms, uint64_t *launches)
{
    uint64_t *ns = calloc(o->repeat + 1, sizeof *ns);
    if (!ns) return cli_runtime_error("out of host memory");
    int tty = isatty(STDERR_FILENO);
    int rc = CLI_OK;
    for (unsigned r = 0; r <= o->repeat && rc == CLI_OK; r++) {
        if (tty) fprintf(stderr, "\r%s%s: pass %u/%u\033[K", path, items ? " (batch)" : "", r, o->repeat);
        uint64_t before = clinit_ctx_launch_count(d->gen.ctx);
        rc = model_pass(d, m, items, &ns[r]);
        if (r == 0) *launches = clinit_ctx_launch_count(d->gen.ctx) - before;
    }
    if (tty) fputs("\r\033[K", stderr);
    if (rc == CLI_OK) *ms = bench_median_ns(ns + 1, o->repeat) / 1e6;
    free(ns);
    return rc;
}

static int measure_model(bench_dev *d, const bench_opts *o, const char *path, const cli_manifest *m, bench_model *bm)
{
    memset(bm, 0, sizeof *bm);
    bm->manifest = path;
    bm->tensors = m->count;
    bm->parameters = m->total_numel;
    bm->bytes = m->total_bytes;
    for (size_t i = 0; i < m->count; i++) bm->fills += m->entries[i].numel > 0;
    int rc = measure_passes(d, o, path, m, NULL, &bm->device_ms, &bm->launches);
    clinit_batch_item *items = rc == CLI_OK ? batch_items(m, d->buffer) : NULL;
    if (rc == CLI_OK && !items) rc = cli_runtime_error("out of host memory");
    if (rc == CLI_OK) rc = measure_passes(d, o, path, m, items, &bm->batch_device_ms, &bm->batch_launches);
    free(items);
    return rc;
}

/* What the device must hold for m, checked before the table's first line so that a model that cannot run
 * is an error of its manifest (exit 2), not an empty table: every tensor and its scratch, as `clinit init`
 * checks them; the buffer that holds every tensor at once for the batch pass; and, beside the `reserved`
 * bytes of that buffer, any one tensor's scratch. */
static int check_model(bench_dev *d, const cli_manifest *m, uint64_t reserved)
{
    int rc = cli_manifest_check_fits(m, d->max_alloc);
    if (rc == CLI_OK && arena_bytes(m) > d->max_alloc)
        rc = cli_usage_error("%s: %llu bytes of tensors in one buffer (as bench --models fills the model in one "
                             "clinit_fill_batch) exceed the device's largest buffer (%llu bytes)",
                             m->path, (unsigned long long)arena_bytes(m), (unsigned long long)d->max_alloc);
    return rc == CLI_OK ? cli_manifest_check_scratch(m, d->gen.ctx, reserved) : rc;
}

int bench_models(const bench_opts *o)
{
    cli_manifest *m = calloc(o->n_manifests, sizeof *m);
    if (!m) return cli_runtime_error("out of host memory");
    /* Every manifest is checked before anything is measured: a typo should cost a second, not a run. */
    int rc = CLI_OK;
    size_t loaded = 0, max_bytes = 16;
    for (; loaded < o->n_manifests && rc == CLI_OK; loaded++) {
        rc = cli_manifest_load(o->manifests[loaded], o->manifest_limit, &m[loaded]);
        if (rc == CLI_OK && arena_bytes(&m[loaded]) > max_bytes) max_bytes = (size_t)arena_bytes(&m[loaded]);
    }
    double cold_ms = -1, warm_ms = -1;
    /* Before this process touches OpenCL: bench_startup forks. (So the checks against the device come after
     * it, still before anything is printed or measured.) */
    if (rc == CLI_OK) bench_startup(&cold_ms, &warm_ms);
    bench_dev d;
    memset(&d, 0, sizeof d);
    if (rc == CLI_OK) rc = bench_dev_open(&d);
    for (size_t i = 0; i < o->n_manifests && rc == CLI_OK; i++) rc = check_model(&d, &m[i], max_bytes);
    if (rc == CLI_OK) rc = bench_dev_reserve(&d, max_bytes);
    if (rc == CLI_OK) bench_report_models_begin(&d, o);
    for (size_t i = 0; i < o->n_manifests && rc == CLI_OK; i++) {
        bench_model bm;
        rc = measure_model(&d, o, o->manifests[i], &m[i], &bm);
        bm.startup_cold_ms = cold_ms;
        bm.startup_warm_ms = warm_ms;
        if (rc == CLI_OK) bench_report_model(&d, o, &bm);
    }
    if (rc == CLI_OK) bench_report_models_end(o, cold_ms, warm_ms);
    bench_dev_close(&d);
    for (size_t i = 0; i < loaded; i++) cli_manifest_free(&m[i]);
    free(m);
    return rc;
}
