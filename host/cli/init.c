/* `clinit init`: a whole model from a manifest to a safetensors file. The header goes first, then the
 * tensors in order as slabs.c writes them: small ones several at a time (one clinit_fill_batch per
 * bufferful), each large one in slabs (boxes of the logical tensor, whose values are the whole tensor's),
 * through one device buffer and one host buffer of the largest slab's size: memory stays bounded by the slab,
 * not by the model or its largest tensor. */
#include "args.h"
#include "cli.h"
#include "gen.h"
#include "manifest.h"
#include "outfile.h"
#include "safetensors.h"
#include "slabs.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    /* As `clinit sample` does: the name says the format, unless no file takes it (a device, FIFO or socket). */
    size_t len = strlen(a->out), ext = strlen(".safetensors");
    if ((rc = cli_outfile_check_kind("--out", a->out)) != CLI_OK) return rc; /* a folder, whatever its name */
    if (!(len > ext && strcmp(a->out + len - ext, ".safetensors") == 0) && !cli_outfile_special(a->out))
        return cli_usage_error("--out %s: name a .safetensors file (or a device, FIFO or socket, written in place)",
                               a->out);
    return CLI_OK;
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
    uint64_t capacity = cli_slabs_capacity(m, NULL);
    if (rc == CLI_OK) rc = cli_manifest_check_fits(m, gen.max_alloc);
    if (rc == CLI_OK) rc = cli_manifest_check_scratch(m, gen.ctx, capacity);
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, (size_t)capacity);
    if (rc == CLI_OK) rc = cli_outfile_write(&out, header, header_size);
    if (rc == CLI_OK) rc = cli_slabs_write(m, NULL, seed, &out, &gen, isatty(STDERR_FILENO), &device_ns);
    if (rc == CLI_OK) rc = cli_outfile_finish(&out);
    else cli_outfile_discard(&out);
    cli_gen_close(&gen);
    free(header);
    if (rc != CLI_OK) return rc;
    double ms = (double)device_ns / 1e6;
    /* On stderr when --out is standard output: the data stays the data. */
    fprintf(cli_outfile_report(&out),
            "%zu tensors, %" PRIu64 " parameters, %" PRIu64 " bytes, device time %.3f ms, %.3f GB/s, wrote %s\n",
            m->count, m->total_numel, m->total_bytes, ms, device_ns ? (double)m->total_bytes / (double)device_ns : 0.0,
            a->out);
    return cli_outfile_publish_reported(&out);
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
