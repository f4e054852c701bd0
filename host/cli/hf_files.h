/* Writing Hugging Face's folder layout (hf.h) durably: every file goes to a temporary file in the folder
 * (outfile.h), finished and held, and the caller publishes them together once all are written, the index last.
 * `clinit init` writes every file in one process; clinit-mpi's ranks each write their own shards, rank 0
 * config.json and the index too, and publish only once every rank has written its files. */
#ifndef CLINIT_CLI_HF_FILES_H
#define CLINIT_CLI_HF_FILES_H

#include "gen.h"
#include "hf.h"
#include "manifest.h"
#include "outfile.h"

#include <stddef.h>
#include <stdint.h>

/* The folder of --out: an existing one, or one made now (its parent must exist), which *made says; one that
 * another process makes meanwhile (clinit-mpi's ranks all try) counts as existing. CLI_OK, or CLI_USAGE after a
 * message naming --out. */
int cli_hf_make_folder(const char *dir, int *made);

/* Every shard's safetensors header within the safetensors library's limit, before any file or device. CLI_OK,
 * or CLI_USAGE after a message naming the manifest and the shard; CLI_RUNTIME when out of memory. */
int cli_hf_check_headers(const cli_manifest *m, const cli_shards *s, uint64_t seed);

/* Without --force: none of the files of the run (s's shards, the index, config.json when `config`) exists in
 * dir, and no weight file of another layout (a folder of 3 shards written as 2 would mix them). CLI_OK, or
 * CLI_USAGE after a message naming the first such file. */
int cli_hf_check_clear(const char *dir, const cli_shards *s, int config);

/* With --force, once the run's files are in place: removes the weight files of dir (model.safetensors, the
 * index, model-NNNNN-of-NNNNN.safetensors) that s does not name, so that the folder holds one checkpoint, as
 * save_pretrained cleans up, but never a file the run reads (cli_outfile_input: the manifest). Best effort:
 * the new checkpoint is in place whatever fails. */
void cli_hf_remove_stale(const char *dir, const cli_shards *s);

/* The files a process writes into the folder, in the order it wrote them: out[0 .. written), each finished and
 * held (cli_outfile_hold) until the caller publishes and commits, or discards, them. */
typedef struct cli_hf_files {
    const char *dir;
    int force;
    cli_outfile *out;
    char **path; /* DIR/NAME of each */
    size_t count, written;
} cli_hf_files;

/* Room for `count` files in dir (force: they may replace files). CLI_OK, or CLI_RUNTIME after a message;
 * cli_hf_files_free in every case. */
int cli_hf_files_init(cli_hf_files *f, const char *dir, size_t count, int force);
/* Shard k of s (cli_hf_shard_name): its safetensors header, then its tensors through gen (cli_slabs_write: one
 * slab at a time), finished and held. gen->capacity must hold cli_slabs_capacity of m. Adds the device time to
 * *device_ns. CLI_OK, or an exit status after a message (the file discarded). */
int cli_hf_files_shard(cli_hf_files *f, const cli_manifest *m, const cli_shards *s, size_t k, uint64_t seed,
                       cli_gen *gen, int progress, uint64_t *device_ns);
/* config.json, the manifest's "config" and a newline, when it has one; CLI_OK without writing when not. */
int cli_hf_files_config(cli_hf_files *f, const cli_manifest *m);
/* model.safetensors.index.json (cli_hf_index_json) when s has several shards; CLI_OK without writing when one. */
int cli_hf_files_index(cli_hf_files *f, const cli_manifest *m, const cli_shards *s);
/* Takes back every file written so far (cli_outfile_discard: published ones too, the files they replaced
 * return). */
void cli_hf_files_discard(cli_hf_files *f);
void cli_hf_files_free(cli_hf_files *f);

#endif
