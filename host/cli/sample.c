/* `clinit sample`: one tensor of one initializer to a .npy file, with a summary line that puts the
 * sample's statistics next to the distribution the initializer resolves to. */
#include "args.h"
#include "cli.h"
#include "gen.h"
#include "npy.h"
#include "outfile.h"
#include "spec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sample_args {
    const char *init, *shape, *layout, *seed, *stream, *out;
    cli_list params;
    int force;
} sample_args;

typedef struct sample_job {
    clinit_init_spec spec;
    int rank;
    int64_t shape[CLINIT_MAX_RANK];
    clinit_layout layout;
    uint64_t seed, stream;
    size_t numel;
} sample_job;

static int parse_args(int argc, char **argv, sample_args *a)
{
    const cli_opt opts[] = {
        {"--shape", CLI_OPT_VALUE, &a->shape},   {"--layout", CLI_OPT_VALUE, &a->layout},
        {"--seed", CLI_OPT_VALUE, &a->seed},     {"--stream", CLI_OPT_VALUE, &a->stream},
        {"--param", CLI_OPT_LIST, &a->params},   {"--out", CLI_OPT_VALUE, &a->out},
        {"--force", CLI_OPT_FLAG, &a->force},
    };
    size_t npos;
    int rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], &a->init, 1, &npos);
    if (rc != CLI_OK) return rc;
    if (npos == 0) return cli_usage_error("sample: missing INIT (one of %s)", cli_init_names());
    if (!a->shape) return cli_usage_error("sample: missing --shape");
    if (!a->out) return cli_usage_error("sample: missing --out");
    return CLI_OK;
}

/* Everything checkable before a device exists: names, numbers, parameters against the shape. */
static int build_job(const sample_args *a, sample_job *job)
{
    clinit_init_kind kind;
    if (clinit_init_from_name(a->init, &kind) != CLINIT_SUCCESS)
        return cli_usage_error("unknown initializer \"%s\" (one of %s)", a->init, cli_init_names());
    job->spec = clinit_init_spec_default(kind);
    char why[1024];
    if (cli_parse_shape(a->shape, &job->rank, job->shape, why, sizeof why) != 0)
        return cli_usage_error("--shape \"%s\": %s", a->shape, why);
    job->layout = CLINIT_LAYOUT_OI;
    if (a->layout && cli_parse_layout(a->layout, &job->layout) != 0)
        return cli_usage_error("--layout \"%s\": not oi or io", a->layout);
    job->seed = job->stream = 0;
    int rc = cli_u64_option("--seed", a->seed, &job->seed);
    if (rc == CLI_OK) rc = cli_u64_option("--stream", a->stream, &job->stream);
    if (rc != CLI_OK) return rc;
    for (size_t i = 0; i < a->params.count; i++) {
        const char *p = a->params.items[i];
        const char *eq = strchr(p, '=');
        if (!eq || eq == p) return cli_usage_error("--param \"%s\": expected NAME=VALUE", p);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
        if (cli_spec_set(&job->spec, name, eq + 1, why, sizeof why) != 0)
            return cli_usage_error("--param %s: %s", name, why);
    }
    const char *field;
    uint64_t numel;
    if (cli_spec_check(&job->spec, job->rank, job->shape, job->layout, &numel, &field, why, sizeof why) != 0)
        return cli_usage_error("--%s: %s", strcmp(field, "params") == 0 ? "param" : field, why);
    if (numel > SIZE_MAX / sizeof(float)) return cli_usage_error("--shape \"%s\": too large for this host", a->shape);
    job->numel = (size_t)numel;
    return CLI_OK;
}

/* One line: what was sampled, its statistics (population std), and what the initializer resolves to. */
static void summarize(const char *init, const sample_job *job, const float *v)
{
    char tuple[256];
    cli_shape_tuple(tuple, sizeof tuple, job->rank, job->shape);
    printf("%s shape %s n=%zu", init, tuple, job->numel);
    if (job->numel > 0) {
        double sum = 0, lo = v[0], hi = v[0];
        for (size_t i = 0; i < job->numel; i++) {
            sum += v[i];
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
        double mean = sum / (double)job->numel, ss = 0;
        for (size_t i = 0; i < job->numel; i++) ss += ((double)v[i] - mean) * ((double)v[i] - mean);
        printf(" mean %.6g std %.6g min %.6g max %.6g", mean, sqrt(ss / (double)job->numel), lo, hi);
    }
    clinit_tensor t = {.rank = job->rank, .layout = job->layout};
    memcpy(t.shape, job->shape, (size_t)job->rank * sizeof *job->shape);
    clinit_distribution d;
    if (clinit_init_resolve(&job->spec, &t, &d) != CLINIT_SUCCESS) {
        printf("\n"); /* cannot happen: cli_spec_check resolved the same spec */
        return;
    }
    if (d.kind == CLINIT_DIST_CONSTANT) printf(" expected: constant %.6g\n", d.value);
    else if (d.kind == CLINIT_DIST_UNIFORM) printf(" expected: U[%.6g, %.6g) std %.6g\n", d.low, d.high, d.expected_std);
    else if (d.kind == CLINIT_DIST_NORMAL) printf(" expected: mean %.6g std %.6g\n", d.mean, d.std);
    else
        printf(" expected: N(%.6g, %.6g^2) on [%.6g, %.6g]: mean %.6g std %.6g\n", d.mean, d.std, d.low, d.high,
               d.expected_mean, d.expected_std);
}

static int run(const sample_args *a, const sample_job *job)
{
    cli_outfile out;
    int rc = cli_outfile_open(&out, "--out", a->out, a->force);
    if (rc != CLI_OK) return rc;
    cli_gen gen;
    uint64_t device_ns = 0;
    rc = cli_gen_open(&gen, job->numel * sizeof(float));
    if (rc == CLI_OK)
        rc = cli_gen_fill(&gen, job->rank, job->shape, job->layout, &job->spec, job->seed, job->stream, job->numel,
                          &device_ns);
    if (rc == CLI_OK) rc = cli_npy_write(&out, job->rank, job->shape, gen.host, job->numel);
    if (rc == CLI_OK) rc = cli_outfile_commit(&out);
    else cli_outfile_discard(&out);
    if (rc == CLI_OK) summarize(a->init, job, gen.host);
    cli_gen_close(&gen);
    return rc;
}

int cli_sample(int argc, char **argv)
{
    sample_args a = {0};
    sample_job job;
    int rc = parse_args(argc, argv, &a);
    if (rc == CLI_OK) rc = build_job(&a, &job);
    if (rc == CLI_OK) rc = run(&a, &job);
    free(a.params.items);
    return rc < 0 ? CLI_OK : rc;
}
