/* `clinit bench --models`: whole models from their manifests, every tensor filled one after another into one
 * buffer of the largest tensor's size (as `clinit init` does), and the start-up cost of a context. */
#include "bench.h"
#include "cli.h"
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One pass over the model: the sum of the fills' device times; counts the fills into *bm when given. */
static int model_pass(bench_dev *d, const cli_manifest *m, uint64_t *sum_ns, bench_model *bm)
{
    *sum_ns = 0;
    for (size_t i = 0; i < m->count; i++) {
        const cli_entry *e = &m->entries[i];
        if (e->numel == 0) continue; /* no fill at all: clinit enqueues nothing for it either */
        clinit_tensor t = cli_desc_tensor(&e->desc, d->buffer);
        bench_cmd c = {.kind = BENCH_CLINIT, .tensor = &t, .spec = &e->spec, .seed = m->seed,
                       .stream = clinit_stream_from_name(e->name)};
        uint64_t ns = 0;
        int single = 1;
        int rc = bench_time_once(d, &c, &ns, &single);
        if (rc == BENCH_UNSUPPORTED) rc = cli_clinit_error(e->name, CLINIT_ERROR_UNSUPPORTED_DTYPE, d->gen.ctx);
        if (rc != CLI_OK) return rc;
        *sum_ns += ns;
        if (bm) {
            bm->fills++;
            bm->split_fills += !single;
        }
    }
    return CLI_OK;
}

static int measure_model(bench_dev *d, const bench_opts *o, const char *path, const cli_manifest *m, bench_model *bm)
{
    memset(bm, 0, sizeof *bm);
    bm->manifest = path;
    bm->tensors = m->count;
    bm->parameters = m->total_numel;
    bm->bytes = m->total_bytes;
    uint64_t *ns = calloc(o->repeat + 1, sizeof *ns);
    if (!ns) return cli_runtime_error("out of host memory");
    int tty = isatty(STDERR_FILENO);
    int rc = CLI_OK;
    /* Pass 0 is the warm-up, and counts the fills (the same in every pass). */
    for (unsigned r = 0; r <= o->repeat && rc == CLI_OK; r++) {
        if (tty) fprintf(stderr, "\r%s: pass %u/%u\033[K", path, r, o->repeat);
        rc = model_pass(d, m, &ns[r], r == 0 ? bm : NULL);
    }
    if (tty) fputs("\r\033[K", stderr);
    if (rc == CLI_OK) bm->device_ms = bench_median_ns(ns + 1, o->repeat) / 1e6;
    free(ns);
    return rc;
}

int bench_models(const bench_opts *o)
{
    cli_manifest *m = calloc(o->n_manifests, sizeof *m);
    if (!m) return cli_runtime_error("out of host memory");
    /* Every manifest is checked before anything is measured: a typo should cost a second, not a run. */
    int rc = CLI_OK;
    size_t loaded = 0, max_bytes = 16;
    for (; loaded < o->n_manifests && rc == CLI_OK; loaded++) {
        rc = cli_manifest_load(o->manifests[loaded], &m[loaded]);
        if (rc == CLI_OK && m[loaded].max_bytes > max_bytes) max_bytes = m[loaded].max_bytes;
    }
    double cold_ms = -1, warm_ms = -1;
    /* Before this process touches OpenCL: bench_startup forks. */
    if (rc == CLI_OK) bench_startup(&cold_ms, &warm_ms);
    bench_dev d;
    memset(&d, 0, sizeof d);
    if (rc == CLI_OK) rc = bench_dev_open(&d);
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
