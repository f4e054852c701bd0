/* Hugging Face's folder layout of a checkpoint (transformers' save_pretrained): the tensors in safetensors
 * shards of at most a given size, DIR/model-0000k-of-0000n.safetensors with DIR/model.safetensors.index.json
 * (metadata.total_size, weight_map), or DIR/model.safetensors when one shard holds them all, and DIR/config.json
 * when the manifest carries the model's config. `clinit init` and clinit-mpi both write it. */
#ifndef CLINIT_CLI_HF_H
#define CLINIT_CLI_HF_H

#include "manifest.h"

#include <stddef.h>
#include <stdint.h>

/* transformers' default max_shard_size of save_pretrained ("50GB", decimal units as huggingface_hub parses
 * them: 50 * 10^9 bytes). */
#define CLI_HF_MAX_SHARD_DEFAULT ((uint64_t)50000000000)

/* The tensors of a manifest split into shards: shard k holds the tensors order[begin[k] .. begin[k + 1]), in that
 * order. */
typedef struct cli_shards {
    size_t count;
    size_t *order;
    size_t *begin; /* count + 1 entries */
} cli_shards;

/* Whether `target` names a folder for --out: it ends with '/' or is an existing folder (links followed). */
int cli_hf_is_folder(const char *target);

/* --max-shard-size: bytes as an integer ("5000000000") or a decimal number with one of huggingface_hub's units
 * KB, MB, GB, TB (any case; powers of 1000: "50GB", "1.5GB", "500MB"), as save_pretrained's max_shard_size
 * takes it; at least 1 byte. CLI_OK, or CLI_USAGE after a message naming flag. */
int cli_hf_parse_size(const char *flag, const char *text, uint64_t *bytes);

/* Splits m's tensors as huggingface_hub's split_state_dict_into_shards does for save_pretrained: in manifest
 * order, a tensor that would take the current shard above max_bytes starts a new one; a tensor larger than
 * max_bytes on its own gets a shard of its own, placed before the one being filled. CLI_OK, or CLI_RUNTIME
 * after a message (out of memory). cli_hf_shards_free in every case. */
int cli_hf_plan(const cli_manifest *m, uint64_t max_bytes, cli_shards *s);
void cli_hf_shards_free(cli_shards *s);

/* The bytes of shard k's tensors (its data, without the header). */
uint64_t cli_hf_shard_bytes(const cli_manifest *m, const cli_shards *s, size_t k);

/* The file name of shard k: "model.safetensors" when there is one, else "model-%05d-of-%05d.safetensors" (k + 1
 * and the count), as transformers names them. */
void cli_hf_shard_name(const cli_shards *s, size_t k, char *buf, size_t size);

/* The manifest of shard k: m's path, seed and entries (shallow copies: names stay m's) in shard order, laid
 * out one after another (cli_manifest_place). Free it with cli_hf_shard_manifest_free, not cli_manifest_free.
 * CLI_OK, or CLI_RUNTIME after a message. */
int cli_hf_shard_manifest(const cli_manifest *m, const cli_shards *s, size_t k, cli_manifest *sub);
void cli_hf_shard_manifest_free(cli_manifest *sub);

/* model.safetensors.index.json as transformers writes it (json.dumps(indent=2, sort_keys=True) + "\n"):
 * {"metadata": {"total_size": BYTES}, "weight_map": {NAME: FILE, …}} with the names sorted. NULL when out of
 * memory. */
char *cli_hf_index_json(const cli_manifest *m, const cli_shards *s);

#endif
