/* One measurement of `clinit bench`: an initializer of one dtype and size, filled by clinit on the device
 * and by the path users take without clinit (generate on the host, then copy), on the same buffer as the
 * size's baselines. */
#include "bench.h"
#include "cli.h"
#include "dtypes.h"
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>

/* Fixed: the bench measures speed, and values never change it. */
#define BENCH_SEED 1
#define BENCH_STREAM 0

void bench_shape(uint64_t bytes, clinit_dtype dtype, int64_t shape[2], uint64_t *numel)
{
    /* Rank 2, as xavier_* and kaiming_* need; rows of up to 1024 elements, like a Linear layer's weight.
     * Fans do not change the work: a whole tensor is one run of elements whatever its shape. */
    uint64_t n = bytes / clinit_dtype_size(dtype);
    uint64_t cols = 1024;
    while (n % cols) cols /= 2;
    shape[0] = (int64_t)(n / cols);
    shape[1] = (int64_t)cols;
    *numel = n;
}

int bench_baselines(bench_dev *d, const bench_opts *o, uint64_t bytes, double *fill_buffer_ms, double *store_kernel_ms)
{
    bench_cmd fill = {.kind = BENCH_FILL_BUFFER, .bytes = (size_t)bytes};
    bench_cmd store = {.kind = BENCH_STORE_KERNEL, .bytes = (size_t)bytes};
    int rc = bench_time_median(d, &fill, o->repeat, fill_buffer_ms);
    return rc == CLI_OK ? bench_time_median(d, &store, o->repeat, store_kernel_ms) : rc;
}

/* The path without clinit: clinit_reference_fill (clinit's generator in C, one thread) into host memory,
 * then a blocking clEnqueueWriteBuffer; wall clock of both, and of the generation alone. */
static int host_path(bench_dev *d, const bench_opts *o, const clinit_tensor *t, const clinit_init_spec *spec,
                     bench_row *row)
{
    size_t bytes = (size_t)row->bytes;
    uint64_t *gen = calloc(o->host_repeat, sizeof *gen), *path = calloc(o->host_repeat, sizeof *path);
    int rc = gen && path ? CLI_OK : cli_runtime_error("out of host memory");
    /* No warm-up run: bench_dev_reserve already touched the host memory and copied it once. */
    for (unsigned r = 0; r < o->host_repeat && rc == CLI_OK; r++) {
        uint64_t t0 = bench_now_ns();
        clinit_status st = clinit_reference_fill(t, spec, BENCH_SEED, BENCH_STREAM, d->host, bytes);
        uint64_t t1 = bench_now_ns();
        cl_int err = st == CLINIT_SUCCESS
                         ? clEnqueueWriteBuffer(d->gen.queue, d->buffer, CL_TRUE, 0, bytes, d->host, 0, NULL, NULL)
                         : CL_SUCCESS;
        uint64_t t2 = bench_now_ns();
        if (st != CLINIT_SUCCESS)
            rc = cli_clinit_error("generating on the host", st, NULL);
        else if (err != CL_SUCCESS)
            rc = cli_runtime_error("clEnqueueWriteBuffer failed: %s (%d)", clinit_cl_error_name(err), err);
        gen[r] = t1 - t0;
        path[r] = t2 - t0;
    }
    if (rc == CLI_OK) {
        row->host_generate_ms = bench_median_ns(gen, o->host_repeat) / 1e6;
        row->host_path_ms = bench_median_ns(path, o->host_repeat) / 1e6;
    }
    free(gen);
    free(path);
    return rc;
}

/* The fill a row measures: init's defaults on the bench_shape of its size (row->shape, row->numel set). */
static void row_fill(const bench_dev *d, bench_row *row, clinit_tensor *t, clinit_init_spec *spec)
{
    clinit_init_kind kind;
    clinit_init_from_name(row->init, &kind); /* bench_parse checked the name */
    *spec = clinit_init_spec_default(kind);
    bench_shape(row->bytes, row->dtype, row->shape, &row->numel);
    *t = (clinit_tensor){.buffer = d->buffer,
                         .dtype = row->dtype,
                         .rank = 2,
                         .shape = {row->shape[0], row->shape[1]},
                         .layout = CLINIT_LAYOUT_OI};
}

int bench_family_check(bench_dev *d, const bench_opts *o, uint64_t bytes, uint64_t requested, uint64_t reserved)
{
    for (size_t i = 0; i < o->n_inits; i++)
        for (size_t j = 0; j < o->n_dtypes; j++) {
            bench_row row = {.init = o->inits[i], .dtype = o->dtypes[j], .bytes = bytes};
            clinit_tensor t;
            clinit_init_spec spec;
            row_fill(d, &row, &t, &spec);
            /* a row the library refuses is bench_family_row's to report (a dtype it does not generate: a note) */
            if (clinit_validate(&t, &spec, NULL, 0) != CLINIT_SUCCESS) continue;
            const char *why;
            int rc = cli_scratch_fits(d->gen.ctx, &t, &spec, reserved, &why);
            if (rc == CLI_OK) continue;
            if (rc != CLI_USAGE) return rc;
            char size[32], asked[32];
            bench_format_size(bytes, size, sizeof size);
            bench_format_size(requested, asked, sizeof asked);
            return cli_usage_error("--init %s --dtype %s --size %s%s%s%s: %s; give a smaller --size", row.init,
                                   cli_dtype_name(row.dtype), asked, requested != bytes ? " (" : "",
                                   requested != bytes ? size : "", requested != bytes ? " on this device)" : "", why);
        }
    return CLI_OK;
}

int bench_family_row(bench_dev *d, const bench_opts *o, bench_row *row)
{
    clinit_tensor t;
    clinit_init_spec spec;
    row_fill(d, row, &t, &spec);
    /* A dtype the library does not generate is a note, not a failure: it is measured once it is supported.
     * The library can say so before anything runs (this version) or at the fill (a device without it). */
    clinit_status st = clinit_validate(&t, &spec, row->skipped, sizeof row->skipped);
    if (st == CLINIT_ERROR_UNSUPPORTED_DTYPE) return CLI_OK;
    row->skipped[0] = '\0';
    if (st != CLINIT_SUCCESS)
        return cli_runtime_error("bench %s %s: %s", row->init, cli_dtype_name(row->dtype), clinit_status_string(st));
    bench_cmd c = {.kind = BENCH_CLINIT, .tensor = &t, .spec = &spec, .seed = BENCH_SEED, .stream = BENCH_STREAM};
    int rc = bench_time_median(d, &c, o->repeat, &row->device_ms);
    if (rc == BENCH_UNSUPPORTED) {
        snprintf(row->skipped, sizeof row->skipped, "%s", cli_flatten(clinit_ctx_message(d->gen.ctx)));
        return CLI_OK;
    }
    return rc == CLI_OK && o->host_repeat ? host_path(d, o, &t, &spec, row) : rc;
}
