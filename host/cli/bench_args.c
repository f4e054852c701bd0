/* `clinit bench` command line: the lists of initializers, dtypes and sizes, and the defaults. */
#define _XOPEN_SOURCE 700 /* realpath, beside the POSIX.1-2008 the tools build with */
#include "args.h"
#include "bench.h"
#include "cli.h"
#include "dtypes.h"
#include "spec.h"
#include "suggest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The initializer families measured by default, one line each. A name the library does not know (yet) is
 * left out, so that this list can run ahead of the library. */
static const char *const default_inits[] = {
    "uniform", "normal", "xavier_uniform", "kaiming_normal", "trunc_normal",
};

/* The models --models measures by default (bench_default_manifest finds them). */
static const char *const default_models[] = {"resnet50", "gpt2"};

void bench_format_size(uint64_t bytes, char *out, size_t out_size)
{
    static const char units[] = "KMGT";
    int u = -1;
    uint64_t v = bytes;
    while (u < 3 && v >= 1024 && v % 1024 == 0) {
        v /= 1024;
        u++;
    }
    if (u < 0)
        snprintf(out, out_size, "%llu", (unsigned long long)v);
    else
        snprintf(out, out_size, "%llu%c", (unsigned long long)v, units[u]);
}

/* "64K", "16M", "1G", "4096": decimal digits, then an optional binary multiple; a positive multiple of 16
 * bytes (every dtype and the store kernel's float4 divide it). 0 on success. */
static int parse_size(const char *text, uint64_t *out)
{
    size_t len = strlen(text);
    unsigned shift = 0;
    if (len > 0) {
        const char *p = strchr("KMGT", text[len - 1]);
        if (p && *p) {
            shift = 10 * (unsigned)(p - "KMGT" + 1);
            len--;
        }
    }
    char digits[32];
    uint64_t v;
    if (len == 0 || len >= sizeof digits || strspn(text, "0123456789") != len) return -1; /* no 0x, no sign */
    memcpy(digits, text, len);
    digits[len] = '\0';
    if (cli_parse_u64(digits, &v) != 0 || v == 0 || v > (UINT64_MAX >> shift)) return -1;
    v <<= shift;
    if (v % 16 != 0) return -1;
    *out = v;
    return 0;
}

/* Splits a comma-separated list into a malloc'd array of n pointers into a malloc'd copy (*storage). */
static int split(const char *flag, const char *text, char **storage, const char ***items, size_t *n)
{
    *storage = strdup(text);
    size_t cap = 1;
    for (const char *p = text; *p; p++) cap += *p == ',';
    *items = calloc(cap, sizeof **items);
    if (!*storage || !*items) return cli_runtime_error("out of host memory parsing %s", flag);
    *n = 0;
    for (char *p = *storage;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (!*p) return cli_usage_error("%s \"%s\": empty item", flag, text);
        (*items)[(*n)++] = p;
        if (!comma) return CLI_OK;
        p = comma + 1;
    }
}

typedef struct raw_args {
    const char *init, *dtype, *size, *repeat, *host_repeat, *manifest_limit;
    cli_list manifests;
} raw_args;

static int parse_dtypes(const char *text, bench_opts *o)
{
    const char **names;
    size_t n;
    int rc = split("--dtype", text, &o->lists[0], &names, &n);
    if (rc == CLI_OK && !(o->dtypes = calloc(n, sizeof *o->dtypes))) rc = cli_runtime_error("out of host memory");
    /* Every dtype of the API, f64 included: the ones this library version does not generate are skipped with
     * a note, so they are measured as soon as the library supports them. */
    for (size_t i = 0; rc == CLI_OK && i < n; i++) {
        if (cli_dtype_from_name(names[i], &o->dtypes[o->n_dtypes]) == 0)
            o->n_dtypes++;
        else
            rc = cli_usage_error("--dtype \"%s\": %s", names[i], cli_suggest(names[i], cli_dtype_names));
    }
    free(names);
    return rc;
}

static int parse_sizes(const char *text, bench_opts *o)
{
    const char **items;
    size_t n;
    int rc = split("--size", text, &o->lists[1], &items, &n);
    if (rc == CLI_OK && !(o->sizes = calloc(n, sizeof *o->sizes))) rc = cli_runtime_error("out of host memory");
    for (size_t i = 0; rc == CLI_OK && i < n; i++) {
        if (parse_size(items[i], &o->sizes[i]) != 0)
            rc = cli_usage_error("--size \"%s\": not a positive multiple of 16 bytes (digits, then K, M, G or T)",
                                 items[i]);
        o->n_sizes++;
    }
    free(items);
    return rc;
}

/* Whether the bench can measure `kind`: it fills rank-2 tensors (bench_shape) with the initializer's defaults,
 * and takes no --param. So not an initializer with a required parameter (constant, sparse, linear_default_bias:
 * `clinit sample` and manifests refuse them without it, rather than filling zeros), nor one that refuses rank 2
 * (dirac, delta_orthogonal). The library decides, so that a new initializer is measured once it qualifies.
 * why (may be NULL) receives the reason it is not, as "NAME needs …". */
static int measurable(clinit_init_kind kind, char *why, size_t size)
{
    const char *required = cli_spec_required(kind);
    if (required) {
        if (why)
            snprintf(why, size, "%s needs --param %s, which bench does not take", clinit_init_name(kind), required);
        return 0;
    }
    clinit_init_spec spec = clinit_init_spec_default(kind);
    clinit_tensor t = {.dtype = CLINIT_F32, .rank = 2, .shape = {4, 4}, .layout = CLINIT_LAYOUT_OI};
    char message[256];
    if (clinit_validate(&t, &spec, message, sizeof message) == CLINIT_SUCCESS) return 1;
    if (why) snprintf(why, size, "%s cannot fill the rank-2 tensors bench fills (%s)", clinit_init_name(kind), message);
    return 0;
}

/* The measurable initializers, ", "-separated, for the message that refuses another. */
static const char *measurable_names(void)
{
    static char names[1024];
    size_t used = 0;
    const char *name;
    names[0] = '\0';
    for (int i = 0; (name = clinit_init_name((clinit_init_kind)i)) != NULL && used < sizeof names; i++)
        if (measurable((clinit_init_kind)i, NULL, 0)) {
            int n = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", name);
            used = n < 0 ? sizeof names : used + (size_t)n;
        }
    return names;
}

static int parse_inits(const char *text, bench_opts *o)
{
    if (!text) {
        o->inits = malloc(sizeof default_inits);
        if (!o->inits) return cli_runtime_error("out of host memory");
        for (size_t i = 0; i < sizeof default_inits / sizeof default_inits[0]; i++) {
            clinit_init_kind kind;
            if (clinit_init_from_name(default_inits[i], &kind) == CLINIT_SUCCESS)
                o->inits[o->n_inits++] = default_inits[i];
        }
        return CLI_OK;
    }
    int rc = split("--init", text, &o->lists[2], &o->inits, &o->n_inits);
    for (size_t i = 0; rc == CLI_OK && i < o->n_inits; i++) {
        clinit_init_kind kind;
        char why[512];
        if (clinit_init_from_name(o->inits[i], &kind) != CLINIT_SUCCESS)
            rc = cli_usage_error("--init \"%s\": %s", o->inits[i], cli_suggest(o->inits[i], cli_init_names()));
        else if (!measurable(kind, why, sizeof why))
            rc = cli_usage_error("--init \"%s\": %s; bench measures %s", o->inits[i], why, measurable_names());
    }
    return rc;
}

static int parse_count(const char *flag, const char *text, unsigned dflt, unsigned least, unsigned *out)
{
    uint64_t v = dflt;
    if (text && (cli_parse_u64(text, &v) != 0 || v < least || v > 1000))
        return cli_usage_error("%s \"%s\": not an integer in %u..1000", flag, text, least);
    *out = (unsigned)v;
    return CLI_OK;
}

/* The executable's folder, from /proc/self/exe (Linux; argv[0] may be a bare name found on PATH). */
static int exe_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    if (n <= 0 || (size_t)n >= size - 1) return -1;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash) return -1;
    *slash = '\0';
    return 0;
}

int bench_default_manifest(const char *name, char *out, size_t size)
{
    char dir[4096], installed[4200] = "", source[4200];
    if (exe_dir(dir, sizeof dir) == 0) {
        snprintf(installed, sizeof installed, "%s/%s/%s.json", dir, CLINIT_BIN_TO_MANIFESTS, name);
        char *resolved = realpath(installed, NULL); /* PREFIX/share/…, not PREFIX/bin/../share/… */
        int found = resolved && access(resolved, R_OK) == 0 && snprintf(out, size, "%s", resolved) < (int)size;
        free(resolved);
        if (found) return 0;
    }
    snprintf(source, sizeof source, "%s/examples/manifests/%s.json", CLINIT_SOURCE_DIR, name);
    if (access(source, R_OK) == 0) return snprintf(out, size, "%s", source) < (int)size ? 0 : -1;
    snprintf(out, size, "%s%s%s", installed, *installed ? " nor " : "", source);
    return -1;
}

/* The default manifests, found where bench_default_manifest looks, into o->manifests (strings in lists[3]). */
static int default_manifests(bench_opts *o)
{
    size_t n = sizeof default_models / sizeof default_models[0], each = 4400;
    o->lists[3] = malloc(n * each);
    o->manifests = calloc(n, sizeof *o->manifests);
    if (!o->lists[3] || !o->manifests) return cli_runtime_error("out of host memory");
    for (size_t i = 0; i < n; i++) {
        char *path = o->lists[3] + i * each;
        if (bench_default_manifest(default_models[i], path, each) != 0)
            return cli_usage_error("bench --models: the default manifest %s.json is neither %s (install clinit with "
                                   "cmake --install, or give --manifest FILE)",
                                   default_models[i], path);
        o->manifests[o->n_manifests++] = path;
    }
    return CLI_OK;
}

int bench_sizes_for_device(bench_opts *o, cl_device_id device)
{
    cl_device_type type = 0;
    if (!o->sizes_default) return CLI_OK;
    cl_int err = clGetDeviceInfo(device, CL_DEVICE_TYPE, sizeof type, &type, NULL);
    if (err != CL_SUCCESS)
        return cli_runtime_error("clGetDeviceInfo(CL_DEVICE_TYPE) failed: %s (%d)", clinit_cl_error_name(err), err);
    if (!(type & CL_DEVICE_TYPE_CPU)) return CLI_OK;
    o->sizes_default = 2;
    free(o->sizes);
    free(o->lists[1]);
    o->sizes = NULL;
    o->lists[1] = NULL;
    o->n_sizes = 0;
    return parse_sizes(BENCH_CPU_SIZES, o);
}

int bench_parse(int argc, char **argv, bench_opts *o)
{
    memset(o, 0, sizeof *o);
    raw_args a = {0};
    const cli_opt opts[] = {
        {"--init", CLI_OPT_VALUE, &a.init},
        {"--dtype", CLI_OPT_VALUE, &a.dtype},
        {"--size", CLI_OPT_VALUE, &a.size},
        {"--repeat", CLI_OPT_VALUE, &a.repeat},
        {"--host-repeat", CLI_OPT_VALUE, &a.host_repeat},
        {"--json", CLI_OPT_FLAG, &o->json},
        {"--models", CLI_OPT_FLAG, &o->models},
        {"--manifest", CLI_OPT_LIST, &a.manifests},
        {"--manifest-limit", CLI_OPT_VALUE, &a.manifest_limit},
    };
    size_t npos;
    int rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0, &npos);
    if (rc == CLI_OK && a.manifests.count && !o->models) rc = cli_usage_error("bench: --manifest needs --models");
    if (rc == CLI_OK && a.manifest_limit && !o->models) rc = cli_usage_error("bench: --manifest-limit needs --models");
    if (rc == CLI_OK) rc = cli_manifest_limit_option(a.manifest_limit, &o->manifest_limit);
    if (rc == CLI_OK && o->models && (a.init || a.dtype || a.size || a.host_repeat))
        rc = cli_usage_error("bench --models takes --manifest, --manifest-limit, --repeat and --json only");
    if (rc == CLI_OK) rc = parse_inits(a.init, o);
    if (rc == CLI_OK) rc = parse_dtypes(a.dtype ? a.dtype : "f32,f16,bf16,f64", o);
    o->sizes_default = !a.size;
    if (rc == CLI_OK) rc = parse_sizes(a.size ? a.size : BENCH_GPU_SIZES, o);
    if (rc == CLI_OK) rc = parse_count("--repeat", a.repeat, 5, 1, &o->repeat);
    if (rc == CLI_OK) rc = parse_count("--host-repeat", a.host_repeat, 3, 0, &o->host_repeat);
    if (rc == CLI_OK && a.manifests.count) {
        o->manifests = a.manifests.items;
        o->n_manifests = a.manifests.count;
        a.manifests.items = NULL;
    } else if (rc == CLI_OK && o->models) {
        rc = default_manifests(o);
    }
    free(a.manifests.items);
    return rc;
}

void bench_opts_free(bench_opts *o)
{
    free(o->inits);
    free(o->dtypes);
    free(o->sizes);
    free(o->manifests);
    for (size_t i = 0; i < sizeof o->lists / sizeof o->lists[0]; i++) free(o->lists[i]);
    memset(o, 0, sizeof *o);
}
