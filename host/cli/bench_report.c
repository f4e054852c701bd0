/* What `clinit bench` prints: a table for people, or one JSON object per line per measurement for scripts
 * (bench/pytorch_init.py, tests/cli/test_bench.py). Ratios are of throughputs, so > 1 means clinit is faster. */
#include "bench.h"
#include "dtypes.h"

#include <stdio.h>
#include <string.h>

/* What the notes after the table say: which dtypes were skipped and why, which sizes were capped. */
static struct {
    clinit_dtype dtype[8];
    char why[8][256];
    size_t n_skipped;
    uint64_t capped_from[16], capped_to[16];
    size_t n_capped;
} notes;

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* ms / ms as a ratio; 0 when the divisor is 0 (a command too short for the device's timer). */
static double ratio(double num, double den) { return den > 0 ? num / den : 0; }

void bench_report_begin(const bench_dev *d, const bench_opts *o)
{
    memset(&notes, 0, sizeof notes);
    if (o->json) return;
    printf("clinit bench on %s: device times, median of %u runs after a warm-up; ", d->name, o->repeat);
    if (o->host_repeat)
        printf("host path median of %u\n", o->host_repeat);
    else
        printf("host path not measured (--host-repeat 0)\n");
    printf("%-16s %-5s %5s %10s %8s %9s %9s %9s %7s %7s %11s %10s %8s\n", "init", "dtype", "size", "device ms", "GB/s",
           "Gsample/s", "fillbuf ms", "store ms", "/fill", "/store", "host path ms", "host gen ms", "speed-up");
}

static void note_row(const bench_row *r)
{
    if (r->requested_bytes != r->bytes && notes.n_capped < 16) {
        size_t i = 0;
        while (i < notes.n_capped && notes.capped_from[i] != r->requested_bytes) i++;
        if (i == notes.n_capped) {
            notes.capped_from[i] = r->requested_bytes;
            notes.capped_to[i] = r->bytes;
            notes.n_capped++;
        }
    }
    if (r->skipped[0] && notes.n_skipped < 8) {
        size_t i = 0;
        while (i < notes.n_skipped && notes.dtype[i] != r->dtype) i++;
        if (i == notes.n_skipped) {
            notes.dtype[i] = r->dtype;
            snprintf(notes.why[i], sizeof notes.why[i], "%s", r->skipped);
            notes.n_skipped++;
        }
    }
}

static void json_row(const bench_dev *d, const bench_opts *o, const bench_row *r)
{
    printf("{\"init\": ");
    json_string(r->init);
    printf(", \"dtype\": \"%s\", \"bytes\": %llu, \"requested_bytes\": %llu, \"shape\": [%lld, %lld], \"numel\": %llu",
           cli_dtype_name(r->dtype), (unsigned long long)r->bytes, (unsigned long long)r->requested_bytes,
           (long long)r->shape[0], (long long)r->shape[1], (unsigned long long)r->numel);
    if (r->skipped[0]) {
        printf(", \"skipped\": ");
        json_string(r->skipped);
    } else {
        double b = (double)r->bytes;
        printf(", \"repeat\": %u, \"host_repeat\": %u, \"device_ms\": %.6g, \"gbps\": %.6g, \"gsamples_per_s\": %.6g"
               ", \"fill_buffer_ms\": %.6g, \"fill_buffer_gbps\": %.6g, \"store_kernel_ms\": %.6g"
               ", \"store_kernel_gbps\": %.6g, \"ratio_fill_buffer\": %.6g, \"ratio_store_kernel\": %.6g",
               o->repeat, o->host_repeat, r->device_ms, ratio(b / 1e6, r->device_ms),
               ratio((double)r->numel / 1e6, r->device_ms), r->fill_buffer_ms, ratio(b / 1e6, r->fill_buffer_ms),
               r->store_kernel_ms, ratio(b / 1e6, r->store_kernel_ms), ratio(r->fill_buffer_ms, r->device_ms),
               ratio(r->store_kernel_ms, r->device_ms));
        if (o->host_repeat)
            printf(", \"host_path_ms\": %.6g, \"host_generate_ms\": %.6g, \"speedup_vs_host\": %.6g", r->host_path_ms,
                   r->host_generate_ms, ratio(r->host_path_ms, r->device_ms));
        else
            printf(", \"host_path_ms\": null, \"host_generate_ms\": null, \"speedup_vs_host\": null");
    }
    printf(", \"device\": ");
    json_string(d->name);
    printf("}\n");
}

void bench_report_row(const bench_dev *d, const bench_opts *o, const bench_row *r)
{
    note_row(r);
    if (o->json) {
        json_row(d, o, r);
    } else if (!r->skipped[0]) {
        char size[32];
        bench_format_size(r->bytes, size, sizeof size);
        double b = (double)r->bytes;
        printf("%-16s %-5s %5s %10.3f %8.2f %9.3f %10.3f %9.3f %7.2f %7.2f", r->init, cli_dtype_name(r->dtype), size,
               r->device_ms, ratio(b / 1e6, r->device_ms), ratio((double)r->numel / 1e6, r->device_ms),
               r->fill_buffer_ms, r->store_kernel_ms, ratio(r->fill_buffer_ms, r->device_ms),
               ratio(r->store_kernel_ms, r->device_ms));
        if (o->host_repeat)
            printf(" %12.1f %11.1f %8.1f\n", r->host_path_ms, r->host_generate_ms,
                   ratio(r->host_path_ms, r->device_ms));
        else
            printf(" %12s %11s %8s\n", "-", "-", "-"); /* --host-repeat 0: not measured */
    }
    fflush(stdout); /* rows appear as they are measured, also through a pipe */
}

void bench_report_end(const bench_opts *o)
{
    if (o->json) return;
    printf("/fill, /store: clinit's GB/s over clEnqueueFillBuffer's and over a float4 store kernel's (the ceiling)\n"
           "host path: clinit_reference_fill (one thread) + clEnqueueWriteBuffer, wall clock; speed-up = host path"
           " / device ms\n");
    for (size_t i = 0; i < notes.n_capped; i++) {
        char from[32], to[32];
        bench_format_size(notes.capped_from[i], from, sizeof from);
        bench_format_size(notes.capped_to[i], to, sizeof to);
        printf("note: size %s capped to %s (CL_DEVICE_MAX_MEM_ALLOC_SIZE, half the global memory)\n", from, to);
    }
    for (size_t i = 0; i < notes.n_skipped; i++)
        printf("note: %s skipped: %s\n", cli_dtype_name(notes.dtype[i]), notes.why[i]);
    if (o->sizes_default == 2)
        printf("note: sizes " BENCH_CPU_SIZES " for a CPU device (" BENCH_GPU_SIZES " on others); --size chooses\n");
}

void bench_report_model(const bench_dev *d, const bench_opts *o, const bench_model *m)
{
    /* The model's name is its manifest's file name without directory and extension. */
    const char *base = strrchr(m->manifest, '/');
    base = base ? base + 1 : m->manifest;
    int len = (int)strcspn(base, ".");
    double gbps = ratio((double)m->bytes / 1e6, m->device_ms);
    double batch_gbps = ratio((double)m->bytes / 1e6, m->batch_device_ms);
    if (o->json) {
        printf("{\"model\": \"%.*s\", \"manifest\": ", len, base);
        json_string(m->manifest);
        printf(", \"tensors\": %zu, \"parameters\": %llu, \"bytes\": %llu, \"fills\": %zu, \"launches\": %llu"
               ", \"repeat\": %u, \"device_ms\": %.6g, \"gbps\": %.6g, \"batch_launches\": %llu"
               ", \"batch_device_ms\": %.6g, \"batch_gbps\": %.6g",
               m->tensors, (unsigned long long)m->parameters, (unsigned long long)m->bytes, m->fills,
               (unsigned long long)m->launches, o->repeat, m->device_ms, gbps, (unsigned long long)m->batch_launches,
               m->batch_device_ms, batch_gbps);
        if (m->startup_cold_ms >= 0)
            printf(", \"startup_cold_ms\": %.6g", m->startup_cold_ms);
        else
            printf(", \"startup_cold_ms\": null");
        if (m->startup_warm_ms >= 0)
            printf(", \"startup_warm_ms\": %.6g", m->startup_warm_ms);
        else
            printf(", \"startup_warm_ms\": null");
        printf(", \"device\": ");
        json_string(d->name);
        printf("}\n");
    } else {
        printf("%-12.*s %7zu %11llu %11llu %6zu %8llu %10.3f %7.2f %8llu %10.3f %7.2f\n", len, base, m->tensors,
               (unsigned long long)m->parameters, (unsigned long long)m->bytes, m->fills,
               (unsigned long long)m->launches, m->device_ms, gbps, (unsigned long long)m->batch_launches,
               m->batch_device_ms, batch_gbps);
    }
    fflush(stdout);
}

void bench_report_models_begin(const bench_dev *d, const bench_opts *o)
{
    if (o->json) return;
    printf("clinit bench --models on %s: device time of every tensor's own fill, summed, and of one"
           " clinit_fill_batch of the model; median of %u passes after a warm-up\n",
           d->name, o->repeat);
    printf("%-12s %7s %11s %11s %-33s %s\n", "", "", "", "", "one clinit_fill per tensor", "one clinit_fill_batch");
    printf("%-12s %7s %11s %11s %6s %8s %10s %7s %8s %10s %7s\n", "model", "tensors", "parameters", "bytes", "fills",
           "launches", "device ms", "GB/s", "launches", "device ms", "GB/s");
}

static void print_ms(const char *label, double ms, const char *why_not)
{
    if (ms >= 0)
        printf("%s %.1f ms", label, ms);
    else
        printf("%s n/a (%s)", label, why_not);
}

void bench_report_models_end(const bench_opts *o, double cold_ms, double warm_ms)
{
    if (o->json) return;
    printf("start-up, context creation + program build in a fresh process: ");
    const char *no_cold =
        warm_ms >= 0 ? "not PoCL: its compiler cache cannot be emptied from here" : "the measuring process failed";
    print_ms("cold", cold_ms, no_cold);
    print_ms(", warm", warm_ms, "the measuring process failed");
    printf("\n");
}
