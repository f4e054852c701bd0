/* `clinit init`: a whole model from a manifest to a safetensors file. The header goes first, then the
 * tensors one at a time through one device buffer and one host buffer of the largest tensor's size, so
 * memory stays bounded by that tensor, not by the model. */
#include "args.h"
#include "cli.h"
#include "gen.h"
#include "manifest.h"
#include "outfile.h"
#include "safetensors.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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
    return CLI_OK;
}

/* "[i/N] name" rewritten in place, only for a person watching a terminal: logs get the summary alone. */
static void progress(int on, size_t i, size_t n, const char *name)
{
    if (on) fprintf(stderr, "\r[%zu/%zu] %s\033[K", i + 1, n, name);
}

static int write_tensors(const cli_manifest *m, uint64_t seed, cli_outfile *out, cli_gen *gen, uint64_t *device_ns)
{
    int tty = isatty(STDERR_FILENO);
    int rc = CLI_OK;
    for (size_t i = 0; i < m->count && rc == CLI_OK; i++) {
        const cli_entry *e = &m->entries[i];
        progress(tty, i, m->count, e->name);
        rc = cli_gen_fill(gen, &e->desc, NULL, NULL, &e->spec, seed, clinit_stream_from_name(e->name), device_ns);
        if (rc == CLI_OK) rc = cli_outfile_write_le(out, gen->host, (size_t)e->numel, clinit_dtype_size(e->desc.dtype));
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
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, m->max_bytes);
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
