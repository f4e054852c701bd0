/* Hugging Face's folder layout on disk: the folder, what an earlier checkpoint left in it, and the files of a
 * run, each written to a temporary file and held for a publish together. */
#include "hf_files.h"
#include "outfile.h"

#include "cli.h"
#include "readers.h"
#include "safetensors.h"
#include "slabs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_hf_make_folder(const char *dir, int *made)
{
    *made = 0;
    /* mkdir first, then a look: a folder another process makes in between is still a folder */
    if (mkdir(dir, 0777) == 0) {
        *made = 1;
        return CLI_OK;
    }
    int err = errno;
    struct stat st;
    if (stat(dir, &st) == 0) return S_ISDIR(st.st_mode) ? CLI_OK : cli_usage_error("--out %s: not a folder", dir);
    int rc = cli_outfile_check_path("--out", dir); /* "plain/": plain is a file */
    if (rc != CLI_OK) return rc;
    return cli_errno_error(err, "--out %s: cannot create the folder: %s", dir, strerror(err));
}

int cli_hf_check_headers(const cli_manifest *m, const cli_shards *s, uint64_t seed)
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
            rc = cli_usage_error("%s: %s: %s", m->path, name, why);
        free(header);
        cli_hf_shard_manifest_free(&sub);
    }
    return rc;
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

int cli_hf_check_clear(const char *dir, const cli_shards *s, int config)
{
    DIR *d = opendir(dir);
    if (!d) return cli_errno_error(errno, "--out %s: %s", dir, strerror(errno));
    int rc = CLI_OK;
    for (struct dirent *e; rc == CLI_OK && (e = readdir(d)) != NULL;)
        if (is_weight_file(e->d_name) || (config && strcmp(e->d_name, "config.json") == 0))
            rc = cli_usage_error("--out %s: holds %s already (use --force to replace that checkpoint with this "
                                 "run's %zu shard%s)",
                                 dir, e->d_name, s->count, s->count == 1 ? "" : "s");
    closedir(d);
    return rc;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    char *p = malloc(n + strlen(name) + 2);
    if (p) sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return p;
}

/* Whether the run of plan s writes `name`: one of its shards, or its index. */
static int is_ours(const cli_shards *s, const char *name)
{
    if (s->count > 1 && strcmp(name, "model.safetensors.index.json") == 0) return 1;
    char shard[64];
    for (size_t k = 0; k < s->count; k++) {
        cli_hf_shard_name(s, k, shard, sizeof shard);
        if (strcmp(shard, name) == 0) return 1;
    }
    return 0;
}

void cli_hf_remove_stale(const char *dir, const cli_shards *s)
{
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char *path = is_weight_file(e->d_name) && !is_ours(s, e->d_name) ? join(dir, e->d_name) : NULL;
        struct stat st;
        if (path && !(stat(path, &st) == 0 && cli_outfile_is_input(&st))) unlink(path); /* never the manifest */
        free(path);
    }
    closedir(d);
}

int cli_hf_files_init(cli_hf_files *f, const char *dir, size_t count, int force)
{
    memset(f, 0, sizeof *f);
    f->dir = dir;
    f->force = force;
    f->count = count;
    f->out = calloc(count ? count : 1, sizeof *f->out);
    f->path = calloc(count ? count : 1, sizeof *f->path);
    return f->out && f->path ? CLI_OK : cli_runtime_error("out of host memory");
}

/* Opens the next file, name in the folder. */
static int open_next(cli_hf_files *f, const char *name)
{
    char *path = join(f->dir, name);
    if (!path) return cli_runtime_error("out of host memory");
    f->path[f->written] = path;
    int rc = cli_outfile_open(&f->out[f->written], "--out", path, f->force);
    if (rc == CLI_OK)
        f->written++;
    else
        free(path);
    return rc;
}

/* Finishes the file being written and holds it for the publish. */
static int close_current(cli_hf_files *f)
{
    cli_outfile *o = &f->out[f->written - 1];
    int rc = cli_outfile_finish(o);
    if (rc == CLI_OK) rc = cli_outfile_hold(o);
    return rc;
}

static int write_text_file(cli_hf_files *f, const char *name, const char *text)
{
    int rc = open_next(f, name);
    if (rc == CLI_OK) rc = cli_outfile_write(&f->out[f->written - 1], text, strlen(text));
    return rc == CLI_OK ? close_current(f) : rc;
}

int cli_hf_files_shard(cli_hf_files *f, const cli_manifest *m, const cli_shards *s, size_t k, uint64_t seed,
                       cli_gen *gen, int progress, uint64_t *device_ns)
{
    char name[64];
    cli_hf_shard_name(s, k, name, sizeof name);
    cli_manifest sub;
    size_t header_size = 0;
    unsigned char *header = NULL;
    int rc = cli_hf_shard_manifest(m, s, k, &sub);
    if (rc == CLI_OK && !(header = cli_safetensors_header(&sub, seed, &header_size)))
        rc = cli_runtime_error("out of host memory building the safetensors header");
    if (rc == CLI_OK) rc = open_next(f, name);
    if (rc == CLI_OK) rc = cli_outfile_write(&f->out[f->written - 1], header, header_size);
    if (rc == CLI_OK) rc = cli_slabs_write(&sub, NULL, seed, &f->out[f->written - 1], gen, progress, device_ns);
    if (rc == CLI_OK) rc = close_current(f);
    free(header);
    cli_hf_shard_manifest_free(&sub);
    return rc;
}

int cli_hf_files_config(cli_hf_files *f, const cli_manifest *m)
{
    if (!m->config) return CLI_OK;
    size_t n = strlen(m->config);
    char *text = malloc(n + 2);
    if (!text) return cli_runtime_error("out of host memory");
    memcpy(text, m->config, n);
    memcpy(text + n, "\n", 2);
    int rc = write_text_file(f, "config.json", text);
    free(text);
    return rc;
}

int cli_hf_files_index(cli_hf_files *f, const cli_manifest *m, const cli_shards *s)
{
    if (s->count < 2) return CLI_OK;
    char *index = cli_hf_index_json(m, s);
    if (!index) return cli_runtime_error("out of host memory building the index");
    int rc = write_text_file(f, "model.safetensors.index.json", index);
    free(index);
    return rc;
}

void cli_hf_files_discard(cli_hf_files *f)
{
    for (size_t i = 0; i < f->written; i++) cli_outfile_discard(&f->out[i]);
}

void cli_hf_files_free(cli_hf_files *f)
{
    for (size_t i = 0; i < f->written; i++) free(f->path[i]);
    free(f->path);
    free(f->out);
    memset(f, 0, sizeof *f);
}
