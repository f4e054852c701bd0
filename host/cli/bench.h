/* `clinit bench`: what its files share. bench.c parses the command line and runs the families or the models;
 * bench_time.c times one command on the device; bench_family.c measures one (initializer, dtype, size);
 * bench_models.c the manifests; bench_startup.c the cost of a context; bench_report.c prints table or JSON. */
#ifndef CLINIT_CLI_BENCH_H
#define CLINIT_CLI_BENCH_H

#include "clinit.h"
#include "gen.h"

#include <stddef.h>
#include <stdint.h>

typedef struct bench_opts {
    const char **inits; /* initializer names (clinit_init_from_name) */
    size_t n_inits;
    clinit_dtype *dtypes;
    size_t n_dtypes;
    uint64_t *sizes; /* bytes of output, as asked (before capping) */
    size_t n_sizes;
    int sizes_default;    /* no --size: 1, the defaults for a GPU; 2 once bench_sizes_for_device chose a CPU's */
    unsigned repeat;      /* timed runs of every device command, after one warm-up */
    unsigned host_repeat; /* timed runs of the host path (seconds each at 1 GiB, so fewer) */
    int json;
    int models;
    const char **manifests; /* --models: the manifests */
    size_t n_manifests;
    uint64_t manifest_limit; /* bytes (--manifest-limit) */
    char *lists[4];          /* the copies of the comma-separated lists that the pointers above point into */
} bench_opts;

/* The device, the buffer every measurement of a size writes, and the reference kernels. */
typedef struct bench_dev {
    cli_gen gen; /* clinit context, profiling queue and probe buffer; its own buffers are unused */
    cl_mem buffer;
    void *host; /* host memory of the host path, as large as buffer */
    size_t capacity;
    cl_program store_program;
    cl_kernel store; /* the float4 vector-store kernel: the bandwidth ceiling */
    char name[256];
    cl_ulong max_alloc, global_mem;
} bench_dev;

/* One measurement; times are medians in milliseconds. */
typedef struct bench_row {
    const char *init;
    clinit_dtype dtype;
    uint64_t bytes, requested_bytes;
    int64_t shape[2];
    uint64_t numel;
    char skipped[256]; /* "", or why nothing was measured (the dtype is not generated) */
    double device_ms, fill_buffer_ms, store_kernel_ms, host_path_ms, host_generate_ms;
} bench_row;

/* One model manifest; times in milliseconds, startup < 0 when not measurable ("n/a"). */
typedef struct bench_model {
    const char *manifest;
    size_t tensors, fills; /* fills: tensors with elements, one clinit_fill each */
    uint64_t parameters, bytes;
    uint64_t launches, batch_launches; /* kernel launches of a pass, one by one and as one clinit_fill_batch */
    double device_ms, batch_device_ms, startup_cold_ms, startup_warm_ms;
} bench_model;

/* bench_args.c: byte sizes as "64K", "1G". */
void bench_format_size(uint64_t bytes, char *out, size_t out_size);
/* Parses the command line into o (lists allocated; bench_opts_free). CLI_OK, -1 after --help, or CLI_USAGE. */
int bench_parse(int argc, char **argv, bench_opts *o);
/* Without --size, the sizes fit the device: BENCH_CPU_SIZES on a CPU device (each size costs it seconds of the
 * host path and of the device, so that the whole run stays well under a minute), BENCH_GPU_SIZES elsewhere.
 * CLI_OK, or CLI_RUNTIME after a message. */
#define BENCH_GPU_SIZES "1M,16M,256M,1G"
#define BENCH_CPU_SIZES "1M,4M"
int bench_sizes_for_device(bench_opts *o, cl_device_id device);
/* Where `clinit bench --models` reads NAME.json when no --manifest is given: the installed manifests
 * (share/clinit/manifests beside the executable's bin/), else the source tree's examples/manifests (the
 * build's own source tree, for a tool run from its build folder). The path into out[size]; 0 when found, else
 * -1 with both places tried in out. */
int bench_default_manifest(const char *name, char *out, size_t size);
void bench_opts_free(bench_opts *o);

/* bench_time.c */
uint64_t bench_now_ns(void);
/* Median of v[0..n) (sorts v); the mean of the middle two for even n. */
double bench_median_ns(uint64_t *v, size_t n);
/* Opens the device (CLINIT_DEVICE) and builds the store kernel. CLI_OK, or CLI_RUNTIME after a message
 * (bench_dev_close is still needed). */
int bench_dev_open(bench_dev *d);
/* The device buffer and host memory every measurement uses, `bytes` each, touched once so that no timed
 * run pays for first-touch page faults. */
int bench_dev_reserve(bench_dev *d, size_t bytes);
void bench_dev_close(bench_dev *d);
/* Largest size that fits the device: CL_DEVICE_MAX_MEM_ALLOC_SIZE and half the global memory. */
uint64_t bench_dev_cap(const bench_dev *d);

typedef enum bench_cmd_kind { BENCH_CLINIT, BENCH_CLINIT_BATCH, BENCH_FILL_BUFFER, BENCH_STORE_KERNEL } bench_cmd_kind;
typedef struct bench_cmd {
    bench_cmd_kind kind;
    const clinit_tensor *tensor;    /* BENCH_CLINIT */
    const clinit_init_spec *spec;   /* BENCH_CLINIT */
    uint64_t seed, stream;          /* BENCH_CLINIT; seed also BENCH_CLINIT_BATCH */
    const clinit_batch_item *items; /* BENCH_CLINIT_BATCH: clinit_fill_batch of `count` items */
    size_t count;
    size_t bytes; /* BENCH_FILL_BUFFER, BENCH_STORE_KERNEL: from the start of the buffer */
} bench_cmd;
/* What bench_time_* return, besides CLI_OK and CLI_RUNTIME (after a message), when clinit_fill answered
 * CLINIT_ERROR_UNSUPPORTED_DTYPE: nothing was printed, clinit_ctx_message() says why. */
enum { BENCH_UNSUPPORTED = 3 };
/* Device time of one command, waited for. */
int bench_time_once(bench_dev *d, const bench_cmd *c, uint64_t *ns);
/* Median device time of `repeat` runs after one warm-up run. */
int bench_time_median(bench_dev *d, const bench_cmd *c, unsigned repeat, double *ms);

/* bench_family.c: one row (init, dtype, bytes already set); the fill buffer and store kernel times of its
 * size are given, measured once per size. CLI_OK (row->skipped set when the dtype is not generated), or
 * CLI_RUNTIME after a message. */
int bench_family_row(bench_dev *d, const bench_opts *o, bench_row *row);
/* Before the table: every row of size `bytes` (`requested` before the device's cap) whose fill allocates
 * scratch (orthogonal) fits the device beside the `reserved` bytes of the bench's buffer (cli_scratch_fits).
 * CLI_OK, or CLI_USAGE after a message naming the init, dtype and size. */
int bench_family_check(bench_dev *d, const bench_opts *o, uint64_t bytes, uint64_t requested, uint64_t reserved);
/* The baselines of one size: clEnqueueFillBuffer and the store kernel. */
int bench_baselines(bench_dev *d, const bench_opts *o, uint64_t bytes, double *fill_buffer_ms, double *store_kernel_ms);
/* The 2-D shape (numel / cols, cols) a size has for a dtype, so that fan-based initializers get rank 2. */
void bench_shape(uint64_t bytes, clinit_dtype dtype, int64_t shape[2], uint64_t *numel);

/* bench_models.c: `clinit bench --models`. */
int bench_models(const bench_opts *o);

/* bench_startup.c: context creation + program build, timed in fresh processes (so that nothing of this
 * one's OpenCL state is reused): cold with an empty PoCL kernel cache, then warm with the same cache.
 * Call it before this process touches OpenCL (it forks). cold_ms < 0 when the device is not PoCL (its
 * compiler cache cannot be emptied from here); both < 0 when the children failed. */
void bench_startup(double *cold_ms, double *warm_ms);

/* bench_report.c: a table on stdout (with its header before the first row), or one JSON object per line. */
void bench_report_begin(const bench_dev *d, const bench_opts *o);
void bench_report_row(const bench_dev *d, const bench_opts *o, const bench_row *r);
/* Notes after the table: sizes capped, dtypes skipped (table mode only). */
void bench_report_end(const bench_opts *o);
void bench_report_models_begin(const bench_dev *d, const bench_opts *o);
void bench_report_model(const bench_dev *d, const bench_opts *o, const bench_model *m);
/* The start-up line after the models' table (< 0: n/a). */
void bench_report_models_end(const bench_opts *o, double cold_ms, double warm_ms);

#endif
