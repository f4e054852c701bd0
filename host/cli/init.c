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
#include "manifest.h"
#include "outfile.h"
#include "readers.h"
#include "safetensors.h"
#include "slabs.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
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
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, (size_t)capacity);
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
            "%zu tensors, %" PRIu64 " parameters, %" PRIu64 " bytes, device time %.3f ms, %.3f GB/s, wrote %s\n",
            m->count, m->total_numel, m->total_bytes, ms, device_ns ? (double)m->total_bytes / (double)device_ns : 0.0,
            a->out);
    return cli_outfile_publish_reported(&out);
}

/* The files of a folder run, written one after another to temporary files in the folder and published together
 * at the end (the index last), so that an interrupted or failed run leaves none of them under its name. */
typedef struct folder_files {
    cli_outfile *out;
    char **path;
    size_t count, written; /* written: opened so far (to discard on failure) */
} folder_files;

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    char *p = malloc(n + strlen(name) + 2);
    if (p) sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return p;
}

/* Opens the next file of f, name in dir. */
static int open_next(folder_files *f, const char *dir, const char *name, int force)
{
    char *path = join(dir, name);
    if (!path) return cli_runtime_error("out of host memory");
    f->path[f->written] = path;
    int rc = cli_outfile_open(&f->out[f->written], "--out", path, force);
    if (rc == CLI_OK)
        f->written++;
    else
        free(path);
    return rc;
}

/* Finishes the file being written and holds it for the publish. */
static int close_current(folder_files *f)
{
    cli_outfile *o = &f->out[f->written - 1];
    int rc = cli_outfile_finish(o);
    if (rc == CLI_OK) rc = cli_outfile_hold(o);
    return rc;
}

static int write_text_file(folder_files *f, const char *dir, const char *name, const char *text, int force)
{
    int rc = open_next(f, dir, name, force);
    if (rc == CLI_OK) rc = cli_outfile_write(&f->out[f->written - 1], text, strlen(text));
    return rc == CLI_OK ? close_current(f) : rc;
}

/* A weight file of Hugging Face's layout: model.safetensors, model.safetensors.index.json or
 * model-NNNNN-of-NNNNN.safetensors (what transformers' save_pretrained writes and cleans up). */
static int is_weight_file(const char *name)
{
    unsigned k, n;
    char tail[32];
    if (strcmp(name, "model.safetensors") == 0 || strcmp(name, "model.safetensors.index.json") == 0) return 1;
    return strlen(name) == strlen("model-00001-of-00002.safetensors") &&
           sscanf(name, "model-%5u-of-%5u%31s", &k, &n, tail) == 3 && strcmp(tail, ".safetensors") == 0;
}

/* Without --force: none of the files the run would write exists, and no weight file of another layout (a
 * folder of 3 shards written as 2 would mix them). */
static int check_clear(const char *dir, const cli_shards *s, int config)
{
    DIR *d = opendir(dir);
    if (!d) return cli_usage_error("--out %s: %s", dir, strerror(errno));
    int rc = CLI_OK;
    for (struct dirent *e; rc == CLI_OK && (e = readdir(d)) != NULL;)
        if (is_weight_file(e->d_name) || (config && strcmp(e->d_name, "config.json") == 0))
            rc = cli_usage_error("--out %s: holds %s already (use --force to replace that checkpoint with this "
                                 "run's %zu shard%s)",
                                 dir, e->d_name, s->count, s->count == 1 ? "" : "s");
    closedir(d);
    return rc;
}

/* With --force, after the publish: the weight files of an earlier layout that this run did not write, so that
 * the folder holds one checkpoint (as save_pretrained cleans up). Best effort: the new checkpoint is in place. */
static void remove_stale(const char *dir, const folder_files *f)
{
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!is_weight_file(e->d_name)) continue;
        int ours = 0;
        for (size_t i = 0; i < f->written && !ours; i++) {
            const char *slash = strrchr(f->path[i], '/');
            ours = strcmp(slash ? slash + 1 : f->path[i], e->d_name) == 0;
        }
        char *path = ours ? NULL : join(dir, e->d_name);
        if (path) unlink(path);
        free(path);
    }
    closedir(d);
}

/* The folder: an existing one, or one made now (its parent must exist), which *made says. */
static int make_folder(const char *dir, int *made)
{
    *made = 0;
    struct stat st;
    if (stat(dir, &st) == 0) return S_ISDIR(st.st_mode) ? CLI_OK : cli_usage_error("--out %s: not a folder", dir);
    if (mkdir(dir, 0777) == 0) {
        *made = 1;
        return CLI_OK;
    }
    return cli_usage_error("--out %s: cannot create the folder: %s", dir, strerror(errno));
}

/* Shards with a safetensors header each, then config.json (when the manifest has one) and the index (when there
 * are several shards), published together. */
static int write_folder(const init_args *a, const cli_manifest *m, const cli_shards *s, uint64_t seed, cli_gen *gen,
                        folder_files *f, uint64_t *device_ns)
{
    int rc = CLI_OK;
    for (size_t k = 0; k < s->count && rc == CLI_OK; k++) {
        char name[64];
        cli_hf_shard_name(s, k, name, sizeof name);
        cli_manifest sub;
        size_t header_size = 0;
        unsigned char *header = NULL;
        rc = cli_hf_shard_manifest(m, s, k, &sub);
        if (rc == CLI_OK && !(header = cli_safetensors_header(&sub, seed, &header_size)))
            rc = cli_runtime_error("out of host memory building the safetensors header");
        if (rc == CLI_OK) rc = open_next(f, a->out, name, a->force);
        if (rc == CLI_OK) rc = cli_outfile_write(&f->out[f->written - 1], header, header_size);
        if (rc == CLI_OK)
            rc = cli_slabs_write(&sub, NULL, seed, &f->out[f->written - 1], gen, isatty(STDERR_FILENO), device_ns);
        if (rc == CLI_OK) rc = close_current(f);
        free(header);
        cli_hf_shard_manifest_free(&sub);
    }
    if (rc == CLI_OK && m->config) {
        size_t n = strlen(m->config);
        char *text = malloc(n + 2);
        if (!text) return cli_runtime_error("out of host memory");
        memcpy(text, m->config, n);
        memcpy(text + n, "\n", 2);
        rc = write_text_file(f, a->out, "config.json", text, a->force);
        free(text);
    }
    if (rc == CLI_OK && s->count > 1) {
        char *index = cli_hf_index_json(m, s);
        if (!index) return cli_runtime_error("out of host memory building the index");
        rc = write_text_file(f, a->out, "model.safetensors.index.json", index, a->force);
        free(index);
    }
    return rc;
}

/* Every shard's header within the safetensors library's limit, before any file or device. */
static int check_shard_headers(const init_args *a, const cli_manifest *m, const cli_shards *s, uint64_t seed)
{
    int rc = CLI_OK;
    for (size_t k = 0; k < s->count && rc == CLI_OK; k++) {
        cli_manifest sub;
        size_t header_size = 0;
        unsigned char *header = NULL;
        char name[64], why[512];
        rc = cli_hf_shard_manifest(m, s, k, &sub);
        if (rc == CLI_OK && !(header = cli_safetensors_header(&sub, seed, &header_size)))
            rc = cli_runtime_error("out of host memory building the safetensors header");
        cli_hf_shard_name(s, k, name, sizeof name);
        if (rc == CLI_OK && cli_safetensors_header_fits(header_size - 8, why, sizeof why) != 0)
            rc = cli_usage_error("%s: %s: %s", a->manifest, name, why);
        free(header);
        cli_hf_shard_manifest_free(&sub);
    }
    return rc;
}

static int run_folder(const init_args *a, const cli_manifest *m, uint64_t seed)
{
    cli_shards s;
    int rc = cli_hf_plan(m, a->max_shard, &s), made = 0;
    folder_files f = {0};
    f.count = s.count + 2;
    if (rc == CLI_OK && (!(f.out = calloc(f.count, sizeof *f.out)) || !(f.path = calloc(f.count, sizeof *f.path))))
        rc = cli_runtime_error("out of host memory");
    if (rc == CLI_OK) rc = check_shard_headers(a, m, &s, seed);
    if (rc == CLI_OK) rc = make_folder(a->out, &made);
    if (made)
        cli_outfile_hold_folder(a->out);
    else if (rc == CLI_OK && !a->force)
        rc = check_clear(a->out, &s, m->config != NULL);
    cli_gen gen;
    int gen_open = 0;
    uint64_t device_ns = 0;
    if (rc == CLI_OK) gen_open = (rc = cli_gen_open(&gen)) == CLI_OK;
    uint64_t capacity = cli_slabs_capacity(m, NULL);
    if (rc == CLI_OK) rc = cli_manifest_check_fits(m, gen.max_alloc);
    if (rc == CLI_OK) rc = cli_manifest_check_scratch(m, gen.ctx, capacity);
    if (rc == CLI_OK) rc = cli_gen_reserve(&gen, (size_t)capacity);
    if (rc == CLI_OK) rc = write_folder(a, m, &s, seed, &gen, &f, &device_ns);
    if (gen_open) cli_gen_close(&gen);
    if (rc == CLI_OK) {
        double ms = (double)device_ns / 1e6;
        fprintf(cli_outfile_report(&f.out[f.written - 1]),
                "%zu tensors, %" PRIu64 " parameters, %" PRIu64 " bytes, device time %.3f ms, %.3f GB/s, wrote %s: "
                "%zu shard%s%s%s\n",
                m->count, m->total_numel, m->total_bytes, ms,
                device_ns ? (double)m->total_bytes / (double)device_ns : 0.0, a->out, s.count, s.count == 1 ? "" : "s",
                s.count > 1 ? ", model.safetensors.index.json" : "", m->config ? ", config.json" : "");
        /* the index last: a reader that finds it finds every shard; the summary only once all are in place; a
         * failure at any step takes back what was published (the files --force replaced return) */
        rc = cli_outfile_publish_all_reported(f.out, f.written);
    } else {
        for (size_t i = 0; i < f.written; i++) cli_outfile_discard(&f.out[i]);
    }
    if (rc == CLI_OK && a->force) remove_stale(a->out, &f);
    if (rc != CLI_OK && made) rmdir(a->out);
    cli_outfile_hold_folder(NULL);
    for (size_t i = 0; i < f.written; i++) free(f.path[i]);
    free(f.path);
    free(f.out);
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
