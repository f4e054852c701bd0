/* `clinit bench`: throughput of clinit's fills per initializer family, dtype and size next to the device's
 * own baselines (clEnqueueFillBuffer, a store kernel) and the host path; or, with --models, whole models. */
#include "bench.h"
#include "cli.h"
#include "dtypes.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The sizes measured: each capped to what the device holds, duplicates (after capping) dropped. */
static size_t effective_sizes(const bench_opts *o, uint64_t cap, uint64_t *bytes, uint64_t *requested, size_t *max)
{
    size_t n = 0;
    *max = 16;
    for (size_t i = 0; i < o->n_sizes; i++) {
        uint64_t b = o->sizes[i] < cap ? o->sizes[i] : cap;
        size_t k = 0;
        while (k < n && bytes[k] != b) k++;
        if (k < n) continue;
        bytes[n] = b;
        requested[n++] = o->sizes[i];
        if (b > *max) *max = (size_t)b;
    }
    return n;
}

static void progress(int on, size_t done, size_t total, const bench_row *r)
{
    if (!on) return;
    char size[32];
    bench_format_size(r->bytes, size, sizeof size);
    fprintf(stderr, "\r[%zu/%zu] %s %s %s\033[K", done + 1, total, r->init, cli_dtype_name(r->dtype), size);
}

static int run_size(bench_dev *d, const bench_opts *o, uint64_t bytes, uint64_t requested, size_t *done, size_t total)
{
    int tty = isatty(STDERR_FILENO);
    double fill_buffer_ms = 0, store_kernel_ms = 0;
    int rc = bench_baselines(d, o, bytes, &fill_buffer_ms, &store_kernel_ms);
    for (size_t i = 0; i < o->n_inits && rc == CLI_OK; i++) {
        for (size_t j = 0; j < o->n_dtypes && rc == CLI_OK; j++, (*done)++) {
            bench_row row = {.init = o->inits[i],
                             .dtype = o->dtypes[j],
                             .bytes = bytes,
                             .requested_bytes = requested,
                             .fill_buffer_ms = fill_buffer_ms,
                             .store_kernel_ms = store_kernel_ms};
            progress(tty, *done, total, &row);
            rc = bench_family_row(d, o, &row);
            if (tty) fputs("\r\033[K", stderr);
            if (rc == CLI_OK) bench_report_row(d, o, &row);
        }
    }
    return rc;
}

static int run_families(bench_opts *o)
{
    bench_dev d;
    int rc = bench_dev_open(&d);
    if (rc == CLI_OK) rc = bench_sizes_for_device(o, clinit_ctx_device(d.gen.ctx));
    uint64_t *bytes = calloc(o->n_sizes, sizeof *bytes), *requested = calloc(o->n_sizes, sizeof *requested);
    if (rc == CLI_OK && (!bytes || !requested)) rc = cli_runtime_error("out of host memory");
    size_t n = 0, max = 0;
    if (rc == CLI_OK) n = effective_sizes(o, bench_dev_cap(&d), bytes, requested, &max);
    /* an orthogonal row whose scratch cannot fit beside the buffer is refused here, not half-way through */
    for (size_t i = 0; i < n && rc == CLI_OK; i++) rc = bench_family_check(&d, o, bytes[i], requested[i], max);
    if (rc == CLI_OK) rc = bench_dev_reserve(&d, max);
    if (rc == CLI_OK) bench_report_begin(&d, o);
    size_t done = 0, total = n * o->n_inits * o->n_dtypes;
    for (size_t i = 0; i < n && rc == CLI_OK; i++) rc = run_size(&d, o, bytes[i], requested[i], &done, total);
    if (rc == CLI_OK) bench_report_end(o);
    bench_dev_close(&d);
    free(bytes);
    free(requested);
    return rc;
}

int cli_bench(int argc, char **argv)
{
    bench_opts o;
    int rc = bench_parse(argc, argv, &o);
    if (rc == CLI_OK) rc = o.models ? bench_models(&o) : run_families(&o);
    bench_opts_free(&o);
    return rc < 0 ? CLI_OK : rc;
}
