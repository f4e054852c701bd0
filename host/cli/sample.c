/* `clinit sample`: one tensor of one initializer to a .npy or .safetensors file, with a summary line that
 * puts the sample's statistics next to the distribution the initializer resolves to. Everything that can be
 * checked without a device is checked first, so that a typo costs no context build. */
#include "args.h"
#include "cli.h"
#include "dtypes.h"
#include "gen.h"
#include "hist.h"
#include "manifest.h"
#include "npy.h"
#include "outfile.h"
#include "readers.h"
#include "safetensors.h"
#include "spec.h"
#include "summary.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sample_args {
    const char *init, *shape, *layout, *axes[3], *dtype, *name, *seed, *stream, *out, *box, *generation;
    cli_list params;
    int force, hist;
} sample_args;

typedef struct sample_job {
    clinit_init_spec spec;
    cli_tensor_desc desc;
    uint64_t seed, stream, numel; /* numel: of the box, when there is one */
    int has_box;
    int64_t box_start[CLINIT_MAX_RANK], box_extent[CLINIT_MAX_RANK];
    int safetensors;  /* --out ends in .safetensors; else .npy */
    const char *name; /* the tensor's name in a .safetensors file */
} sample_job;

static const char *const axes_flags[] = {"--in-axes", "--out-axes", "--batch-axes"};

/* The initializer's name and its --param names, which need no other option: a spec of its defaults takes each
 * name, or says why not (unknown, with the nearest); the values are checked with the rest (build_params). */
static int check_names(const sample_args *a)
{
    clinit_init_kind kind;
    char why[1024];
    if (clinit_init_from_name_message(a->init, &kind, why, sizeof why) != CLINIT_SUCCESS)
        return cli_usage_error("%s", why);
    for (size_t i = 0; i < a->params.count; i++) {
        const char *p = a->params.items[i], *eq = strchr(p, '=');
        if (!eq || eq == p) continue;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
        clinit_init_spec spec = clinit_init_spec_default(kind);
        if (clinit_init_spec_set_message(&spec, name, eq + 1, why, sizeof why) == CLINIT_ERROR_UNKNOWN_PARAMETER)
            return cli_usage_error("--param %s: %s", name, why);
    }
    return CLI_OK;
}

static int parse_args(int argc, char **argv, sample_args *a)
{
    const cli_opt opts[] = {
        {"--shape", CLI_OPT_VALUE, &a->shape},
        {"--layout", CLI_OPT_VALUE, &a->layout},
        {"--in-axes", CLI_OPT_VALUE, &a->axes[CLI_IN_AXES]},
        {"--out-axes", CLI_OPT_VALUE, &a->axes[CLI_OUT_AXES]},
        {"--batch-axes", CLI_OPT_VALUE, &a->axes[CLI_BATCH_AXES]},
        {"--dtype", CLI_OPT_VALUE, &a->dtype},
        {"--seed", CLI_OPT_VALUE, &a->seed},
        {"--stream", CLI_OPT_VALUE, &a->stream},
        {"--generation", CLI_OPT_VALUE, &a->generation},
        {"--param", CLI_OPT_LIST, &a->params},
        {"--out", CLI_OPT_VALUE, &a->out},
        {"--name", CLI_OPT_VALUE, &a->name},
        {"--box", CLI_OPT_VALUE, &a->box},
        {"--hist", CLI_OPT_FLAG, &a->hist},
        {"--force", CLI_OPT_FLAG, &a->force},
    };
    size_t npos;
    int rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], &a->init, 1, &npos);
    if (rc != CLI_OK) return rc;
    if (npos == 0) return cli_usage_error("sample: missing INIT (one of %s)", cli_init_names());
    /* a misspelt name first: its fix may change the rest of the command line */
    if ((rc = check_names(a)) != CLI_OK) return rc;
    if (!a->shape) return cli_usage_error("sample: missing --shape");
    if (!a->out) return cli_usage_error("sample: missing --out");
    return CLI_OK;
}

/* --layout, and the axes lists that only layout axes takes. */
static int build_layout(const sample_args *a, cli_tensor_desc *d)
{
    char why[256];
    d->layout = CLINIT_LAYOUT_OI;
    if (a->layout && cli_parse_layout(a->layout, &d->layout, why, sizeof why) != 0)
        return cli_usage_error("--layout: %s", why);
    uint32_t *masks[] = {&d->in_axes, &d->out_axes, &d->batch_axes};
    for (int k = 0; k < 3; k++) {
        if (!a->axes[k]) continue;
        if (d->layout != CLINIT_LAYOUT_AXES) return cli_usage_error("%s needs --layout axes", axes_flags[k]);
        if (cli_parse_axes(a->axes[k], d->rank, masks[k], why, sizeof why) != 0)
            return cli_usage_error("%s \"%s\": %s", axes_flags[k], a->axes[k], why);
    }
    int which;
    if (cli_desc_check_axes(d, &which, why, sizeof why) != 0) return cli_usage_error("%s: %s", axes_flags[which], why);
    return CLI_OK;
}

/* Every --param NAME=VALUE once, then the parameter PyTorch requires, if the initializer has one. */
static int build_params(const sample_args *a, clinit_init_spec *spec)
{
    char why[1024];
    for (size_t i = 0; i < a->params.count; i++) {
        const char *p = a->params.items[i];
        const char *eq = strchr(p, '=');
        if (!eq || eq == p) return cli_usage_error("--param \"%s\": expected NAME=VALUE", p);
        size_t len = (size_t)(eq - p);
        for (size_t j = 0; j < i; j++)
            if (strncmp(a->params.items[j], p, len + 1) == 0)
                return cli_usage_error("--param %.*s given twice", (int)len, p);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        if (clinit_init_spec_set_message(spec, name, eq + 1, why, sizeof why) != CLINIT_SUCCESS)
            return cli_usage_error("--param %s: %s", name, why);
    }
    const char *required = cli_spec_required(spec->kind);
    size_t n = required ? strlen(required) : 0;
    for (size_t i = 0; required && i < a->params.count; i++)
        if (strncmp(a->params.items[i], required, n) == 0 && a->params.items[i][n] == '=') required = NULL;
    if (!required) return CLI_OK;
    if (spec->kind == CLINIT_INIT_LINEAR_DEFAULT_BIAS)
        return cli_usage_error("sample: linear_default_bias needs --param fan_in=N, the fan_in of its weight");
    return cli_usage_error("sample: %s needs --param %s=VALUE (it has no default)", clinit_init_name(spec->kind),
                           required);
}

/* .npy or .safetensors, by the name; bf16 only in the latter, since NumPy has no bfloat16. */
static int build_output(const sample_args *a, sample_job *job)
{
    size_t len = strlen(a->out), ext = strlen(".safetensors");
    job->safetensors = len > ext && strcmp(a->out + len - ext, ".safetensors") == 0;
    /* The name says the format; anything else (x.txt, x.NPY) would be an .npy under a misleading name —
     * except a device, FIFO or socket (/dev/null, a pipe), written in place: no file takes the name. */
    int npy = len > 4 && strcmp(a->out + len - 4, ".npy") == 0;
    int rc = cli_outfile_check_kind("--out", a->out); /* a folder is a folder, whatever its name */
    if (rc != CLI_OK) return rc;
    if (!job->safetensors && !npy && !cli_outfile_special(a->out))
        return cli_usage_error("--out %s: name the format: FILE.npy or FILE.safetensors (or a device, FIFO or "
                               "socket, written in place as .npy)",
                               a->out);
    job->name = a->name ? a->name : "weight";
    if (!job->safetensors && a->name) return cli_usage_error("--name is for a .safetensors --out (%s)", a->out);
    if (!job->safetensors && !cli_dtype_npy(job->desc.dtype))
        return cli_usage_error("--out %s: NumPy has no bf16: write bf16 to a .safetensors file", a->out);
    if (!*job->name || strcmp(job->name, "__metadata__") == 0)
        return cli_usage_error("--name \"%s\": not a tensor name (empty or \"__metadata__\")", job->name);
    if (!cli_utf8_valid(job->name)) return cli_usage_error("--name: not valid UTF-8 (a safetensors header is JSON)");
    return CLI_OK;
}

static int box_digit(char c) { return c >= '0' && c <= '9'; }

/* --box START:EXTENT,…: one pair per dimension, inside the shape. Values and fans stay the whole tensor's;
 * the file holds the box (a tensor-parallel shard). */
static int build_box(const char *text, sample_job *job)
{
    const cli_tensor_desc *d = &job->desc;
    const char *p = text;
    job->has_box = 1;
    job->numel = 1;
    for (int k = 0; k < d->rank; k++) {
        char *end;
        errno = 0;
        /* a digit first: strtoll would skip any blank (a tab, a newline) and take a sign */
        long long s = strtoll(p, &end, 10);
        if (!box_digit(p[0]) || *end != ':')
            return cli_usage_error("--box \"%s\": dimension %d: expected START:EXTENT", text, k);
        /* strtoll clamps to 2^63 - 1: the message would show that number instead of the one given */
        if (errno == ERANGE)
            return cli_usage_error("--box \"%s\": dimension %d: start %.*s is above 2^63 - 1", text, k, (int)(end - p),
                                   p);
        p = end + 1;
        errno = 0;
        long long e = strtoll(p, &end, 10);
        if (!box_digit(p[0]) || (*end != ',' && *end != '\0') || (*end == '\0') != (k == d->rank - 1))
            return cli_usage_error("--box \"%s\": expected %d START:EXTENT pairs", text, d->rank);
        if (errno == ERANGE)
            return cli_usage_error("--box \"%s\": dimension %d: extent %.*s is above 2^63 - 1", text, k, (int)(end - p),
                                   p);
        /* half-open on both sides, so that [9, 11) beside [0, 10) reads as one element too many */
        if (s > d->shape[k] || e > d->shape[k] - s) {
            if (s > d->shape[k])
                return cli_usage_error("--box \"%s\": dimension %d: start %lld is past the end of [0, %lld)", text, k,
                                       s, (long long)d->shape[k]);
            /* both below 2^63: their sum fits an unsigned 64-bit integer */
            return cli_usage_error("--box \"%s\": dimension %d: [%lld, %llu) (start %lld, extent %lld) leaves the "
                                   "dimension's [0, %lld)",
                                   text, k, s, (unsigned long long)s + (unsigned long long)e, s, e,
                                   (long long)d->shape[k]);
        }
        job->box_start[k] = s;
        job->box_extent[k] = e;
        job->numel *= (uint64_t)e;
        p = end + 1;
    }
    if (d->rank == 0 && *text) return cli_usage_error("--box \"%s\": a rank-0 tensor has no box", text);
    return CLI_OK;
}

/* Maps cli_spec_check's field to the flag that sets it: "params.std" to "--param std". */
static const char *flag_of(const char *field)
{
    static char param[80];
    if (strncmp(field, "params.", 7) == 0) {
        snprintf(param, sizeof param, "--param %s", field + 7);
        return param;
    }
    static const struct {
        const char *field, *flag;
    } flags[] = {{"params", "--param"}, {"in_axes", "--in-axes"}, {"out_axes", "--out-axes"},
                 {"shape", "--shape"},  {"layout", "--layout"},   {"dtype", "--dtype"}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(field, flags[i].field) == 0) return flags[i].flag;
    return "INIT";
}

static int build_job(const sample_args *a, sample_job *job)
{
    clinit_init_kind kind;
    char why[1024];
    if (clinit_init_from_name_message(a->init, &kind, why, sizeof why) != CLINIT_SUCCESS)
        return cli_usage_error("%s", why);
    memset(job, 0, sizeof *job);
    job->spec = clinit_init_spec_default(kind);
    job->desc.dtype = CLINIT_F32;
    if (cli_parse_shape(a->shape, &job->desc.rank, job->desc.shape, why, sizeof why) != 0)
        return cli_usage_error("--shape \"%s\": %s", a->shape, why);
    if (a->dtype && cli_dtype_parse(a->dtype, &job->desc.dtype, why, sizeof why) != 0)
        return cli_usage_error("--dtype: %s", why);
    int rc = build_layout(a, &job->desc);
    if (rc == CLI_OK) rc = cli_u64_option("--seed", a->seed, &job->seed);
    if (rc == CLI_OK) rc = cli_stream_option(a->stream, &job->stream);
    if (rc == CLI_OK) rc = build_params(a, &job->spec);
    if (rc == CLI_OK) rc = cli_generation_option(a->generation, &job->spec.generation);
    if (rc == CLI_OK) rc = build_output(a, job);
    if (rc != CLI_OK) return rc;
    const char *field;
    if (cli_spec_check(&job->spec, &job->desc, &job->numel, &field, why, sizeof why) != 0)
        return cli_usage_error("%s%s%s", flag_of(field), strcmp(field, "dtype") == 0 ? " " : ": ", why);
    if (a->box && (rc = build_box(a->box, job)) != CLI_OK) return rc;
    if (job->numel > SIZE_MAX / clinit_dtype_size(job->desc.dtype))
        return cli_usage_error("--shape %s: too large for this host", a->shape);
    /* the file holds the box, when there is one */
    if (cli_numpy_shape_fits(job->desc.rank, job->has_box ? job->box_extent : job->desc.shape,
                             clinit_dtype_size(job->desc.dtype), why, sizeof why) != 0)
        return job->has_box ? cli_usage_error("--box \"%s\": %s", a->box, why)
                            : cli_usage_error("--shape %s: %s", a->shape, why);
    return CLI_OK;
}

/* A .safetensors file of one tensor, with the metadata `clinit init` writes and the stream. */
static int write_safetensors(cli_outfile *out, const sample_job *job, const void *values)
{
    cli_entry e = {
        .name = (char *)job->name, .desc = job->desc, .spec = job->spec, .split_dim = -1, .numel = job->numel};
    cli_manifest m = {.seed = job->seed, .entries = &e, .count = 1, .generation = job->spec.generation};
    size_t bad, size;
    char stream[24];
    snprintf(stream, sizeof stream, "%" PRIu64, job->stream);
    const char *key = "stream", *value = stream;
    unsigned char *header =
        cli_manifest_place(&m, &bad) == 0 ? cli_safetensors_header_meta(&m, job->seed, &key, &value, 1, &size) : NULL;
    if (!header) return cli_runtime_error("out of host memory building the safetensors header");
    int rc = cli_outfile_write(out, header, size);
    free(header);
    return rc == CLI_OK ? cli_outfile_write_le(out, values, job->numel, clinit_dtype_size(job->desc.dtype)) : rc;
}

static int run(const sample_args *a, const sample_job *job)
{
    cli_outfile out;
    int rc = cli_outfile_open(&out, "--out", a->out, a->force);
    if (rc != CLI_OK) return rc;
    cli_gen gen;
    uint64_t device_ns = 0, bytes = job->numel * clinit_dtype_size(job->desc.dtype);
    rc = cli_gen_open(&gen);
    if (rc == CLI_OK && bytes > gen.max_alloc)
        rc = cli_usage_error("--shape %s: %llu bytes exceed the device's largest buffer (%llu bytes)", a->shape,
                             (unsigned long long)bytes, (unsigned long long)gen.max_alloc);
    /* An orthogonal fill's scratch, of the whole matrix whatever the box, is checked as `clinit init` checks a
     * manifest's: here, not as a failed fill after the buffers are made (or an OOM kill where they are host
     * memory). */
    clinit_tensor t = cli_desc_tensor(&job->desc, NULL);
    if (job->has_box) {
        t.has_box = 1;
        memcpy(t.box_start, job->box_start, sizeof t.box_start);
        memcpy(t.box_extent, job->box_extent, sizeof t.box_extent);
    }
    const char *why;
    if (rc == CLI_OK && (rc = cli_scratch_fits(gen.ctx, &t, &job->spec, bytes, &why)) == CLI_USAGE)
        rc = cli_usage_error("--shape %s: %s", a->shape, why);
    uint64_t scratch = 0;
    if (rc == CLI_OK) (void)clinit_scratch_bytes(&t, &job->spec, NULL, &scratch); /* validated: 0 on failure */
    char what[512];   /* a valid shape or box: at most 8 dimensions of numbers of at most 19 digits */
    if (job->has_box) /* the box is what is held */
        snprintf(what, sizeof what, "--box \"%s\"", a->box);
    else
        snprintf(what, sizeof what, "--shape %s", a->shape);
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, (size_t)bytes, scratch, what);
    if (rc == CLI_OK)
        rc = cli_gen_fill(&gen, &job->desc, job->has_box ? job->box_start : NULL, job->has_box ? job->box_extent : NULL,
                          &job->spec, job->seed, job->stream, NULL, 0, &device_ns);
    /* The file holds the box: its shape is the box's extents. */
    sample_job written = *job;
    if (job->has_box) memcpy(written.desc.shape, job->box_extent, sizeof job->box_extent);
    if (rc == CLI_OK)
        rc = job->safetensors ? write_safetensors(&out, &written, gen.host)
                              : cli_npy_write(&out, &written.desc, gen.host);
    if (rc == CLI_OK)
        rc = cli_outfile_finish(&out);
    else
        cli_outfile_discard(&out);
    /* On stderr when --out is standard output: the data stays the data. */
    FILE *report = cli_outfile_report(&out);
    if (rc == CLI_OK)
        cli_summary(report, a->init, &job->desc, job->has_box ? job->box_start : NULL,
                    job->has_box ? job->box_extent : NULL, &job->spec, job->numel, gen.host);
    if (rc == CLI_OK && a->hist) cli_hist(report, &job->desc, &job->spec, job->numel, gen.host);
    if (rc == CLI_OK) rc = cli_outfile_publish_reported(&out);
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
