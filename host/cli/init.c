/* `clinit init`: a whole model from a manifest to a safetensors file, or to a folder in Hugging Face's layout
 * (hf.h: safetensors shards, their index and config.json), each file written as below. The header goes first, then the
 * tensors in order as slabs.c writes them: small ones several at a time (one clinit_fill_batch per
 * bufferful), each large one in slabs (boxes of the logical tensor, whose values are the whole tensor's),
 * through one device buffer and one host buffer of the largest slab's size: memory stays bounded by the slab,
 * not by the model or its largest tensor. */
#include "args.h"
#include "cli.h"
#include "gen.h"
#include "hf.h"
#include "hf_files.h"
#include "manifest.h"
#include "outfile.h"
#include "readers.h"
#include "safetensors.h"
#include "slabs.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct init_args {
    const char *manifest, *manifest_limit, *seed, *generation, *out, *max_shard_size;
    int force, folder;
    uint64_t max_shard;
} init_args;

static int parse_args(int argc, char **argv, init_args *a)
{
    const cli_opt opts[] = {
        {"--manifest", CLI_OPT_VALUE, &a->manifest},
        {"--manifest-limit", CLI_OPT_VALUE, &a->manifest_limit},
        {"--seed", CLI_OPT_VALUE, &a->seed},
        {"--generation", CLI_OPT_VALUE, &a->generation},
        {"--out", CLI_OPT_VALUE, &a->out},
        {"--force", CLI_OPT_FLAG, &a->force},
        {"--max-shard-size", CLI_OPT_VALUE, &a->max_shard_size},
    };
    size_t npos;
    int rc = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0, &npos);
    if (rc != CLI_OK) return rc;
    if (!a->manifest) return cli_usage_error("init: missing --manifest");
    if (!a->out) return cli_usage_error("init: missing --out");
    a->max_shard = CLI_HF_MAX_SHARD_DEFAULT;
    if ((a->folder = *a->out && cli_hf_is_folder(a->out)))
        return a->max_shard_size ? cli_hf_parse_size("--max-shard-size", a->max_shard_size, &a->max_shard) : CLI_OK;
    if (a->max_shard_size)
        return cli_usage_error("--max-shard-size: only with a folder --out (DIR/, Hugging Face's sharded layout); %s "
                               "is one file",
                               a->out);
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
    char why[512];
    if (cli_safetensors_header_fits(header_size - 8, why, sizeof why) != 0) {
        free(header);
        return cli_usage_error("%s: %s", a->manifest, why);
    }
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
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, (size_t)capacity, cli_manifest_scratch(m), a->manifest);
    if (rc == CLI_OK) rc = cli_outfile_write(&out, header, header_size);
    if (rc == CLI_OK) rc = cli_slabs_write(m, NULL, seed, &out, &gen, isatty(STDERR_FILENO), &device_ns);
    if (rc == CLI_OK)
        rc = cli_outfile_finish(&out);
    else
        cli_outfile_discard(&out);
    cli_gen_close(&gen);
    free(header);
    if (rc != CLI_OK) return rc;
    double ms = (double)device_ns / 1e6;
    /* On stderr when --out is standard output: the data stays the data. */
    fprintf(cli_outfile_report(&out),
            "%zu tensors, %" PRIu64 " values, %" PRIu64 " bytes, device time %.3f ms, %.3f GB/s, wrote %s\n", m->count,
            m->total_numel, m->total_bytes, ms, device_ns ? (double)m->total_bytes / (double)device_ns : 0.0, a->out);
    return cli_outfile_publish_reported(&out);
}

/* The files of a folder run are written one after another to temporary files in the folder and published
 * together at the end (the index last), so that an interrupted or failed run leaves none of them under its
 * name (hf_files.h). */
static int run_folder(const init_args *a, const cli_manifest *m, uint64_t seed)
{
    cli_shards s;
    cli_hf_files f = {0};
    int rc = cli_hf_plan(m, a->max_shard, &s), made = 0;
    if (rc == CLI_OK) rc = cli_hf_files_init(&f, a->out, s.count + 2, a->force);
    if (rc == CLI_OK) rc = cli_hf_check_headers(m, &s, seed);
    if (rc == CLI_OK) rc = cli_hf_make_folder(a->out, &made);
    if (made)
        cli_outfile_hold_folder(a->out);
    else if (rc == CLI_OK && !a->force)
        rc = cli_hf_check_clear(a->out, &s, m->config != NULL);
    cli_gen gen;
    int gen_open = 0;
    uint64_t device_ns = 0;
    if (rc == CLI_OK) gen_open = (rc = cli_gen_open(&gen)) == CLI_OK;
    uint64_t capacity = cli_slabs_capacity(m, NULL);
    if (rc == CLI_OK) rc = cli_manifest_check_fits(m, gen.max_alloc);
    if (rc == CLI_OK) rc = cli_manifest_check_scratch(m, gen.ctx, capacity);
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, (size_t)capacity, cli_manifest_scratch(m), a->manifest);
    for (size_t k = 0; k < s.count && rc == CLI_OK; k++)
        rc = cli_hf_files_shard(&f, m, &s, k, seed, &gen, isatty(STDERR_FILENO), &device_ns);
    if (rc == CLI_OK) rc = cli_hf_files_config(&f, m);
    if (rc == CLI_OK) rc = cli_hf_files_index(&f, m, &s);
    if (gen_open) cli_gen_close(&gen);
    if (rc == CLI_OK) {
        double ms = (double)device_ns / 1e6;
        fprintf(cli_outfile_report(&f.out[f.written - 1]),
                "%zu tensors, %" PRIu64 " values, %" PRIu64 " bytes, device time %.3f ms, %.3f GB/s, wrote %s: "
                "%zu shard%s%s%s\n",
                m->count, m->total_numel, m->total_bytes, ms,
                device_ns ? (double)m->total_bytes / (double)device_ns : 0.0, a->out, s.count, s.count == 1 ? "" : "s",
                s.count > 1 ? ", model.safetensors.index.json" : "", m->config ? ", config.json" : "");
        /* the index last: a reader that finds it finds every shard; the summary only once all are in place; a
         * failure at any step takes back what was published (the files --force replaced return) */
        rc = cli_outfile_publish_all_reported(f.out, f.written);
    } else {
        cli_hf_files_discard(&f);
    }
    if (rc == CLI_OK && a->force) cli_hf_remove_stale(a->out, &s);
    if (rc != CLI_OK && made) rmdir(a->out);
    cli_outfile_hold_folder(NULL);
    cli_hf_files_free(&f);
    cli_hf_shards_free(&s);
    return rc;
}

int cli_init(int argc, char **argv)
{
    init_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    uint64_t seed = 0, limit;
    if ((rc = cli_u64_option("--seed", a.seed, &seed)) != CLI_OK) return rc;
    if ((rc = cli_manifest_limit_option(a.manifest_limit, &limit)) != CLI_OK) return rc;
    int generation;
    if ((rc = cli_generation_option(a.generation, &generation)) != CLI_OK) return rc;
    cli_manifest m;
    rc = cli_manifest_load(a.manifest, limit, &m);
    if (rc == CLI_OK && generation) cli_manifest_set_generation(&m, generation); /* --generation overrides */
    if (rc == CLI_OK && a.folder)
        rc = run_folder(&a, &m, a.seed ? seed : m.seed);
    else if (rc == CLI_OK)
        rc = run(&a, &m, a.seed ? seed : m.seed); /* --seed overrides the manifest's */
    cli_manifest_free(&m);
    return rc;
}
