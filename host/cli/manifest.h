/* Model manifests: the JSON list of a model's tensors and how each is initialized (README "Manifests"). */
#ifndef CLINIT_CLI_MANIFEST_H
#define CLINIT_CLI_MANIFEST_H

#include "clinit.h"
#include "desc.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cli_entry {
    char *name;
    cli_tensor_desc desc;
    clinit_init_spec spec; /* fan_from already applied */
    int split_dim;         /* tensor-parallel split dimension (clinit-mpi); -1: replicated on every rank */
    uint64_t numel;
    uint64_t offset; /* bytes from the start of the data, in manifest order */
} cli_entry;

typedef struct cli_manifest {
    const char *path; /* the file, for messages; NULL for a manifest a command made itself */
    uint64_t seed;
    cli_entry *entries;
    size_t count;
    uint64_t total_numel, total_bytes;
    size_t max_bytes; /* of the largest tensor */
    char *config;     /* the top-level "config" object (the model's config.json) as JSON text, or NULL */
    int generation;   /* the generation contract every tensor follows: 0 the newest, or 1 … (the top-level
                         "generation"; cli_manifest_set_generation) */
} cli_manifest;

/* Sets the generation every tensor of m follows (0: the newest; --generation overrides the manifest's). */
void cli_manifest_set_generation(cli_manifest *m, int generation);
/* The generation m's values follow, 1 … CLINIT_GENERATION_VERSION: what the files' metadata records. */
int cli_manifest_generation(const cli_manifest *m);
/* A manifest of other entries (a shard's, a rank's) that keeps what m says of all of them: *view zeroed but for
 * m's path, seed and generation, so that its files record the same seed and generation. */
void cli_manifest_view(const cli_manifest *m, cli_manifest *view);

/* The largest manifest read by default, in bytes (16 MiB: about 250,000 tensors; the example manifests are 1 to
 * 17 KB). Reading one takes memory in proportion to its size: the file, then cJSON's tree of it (a node of 64
 * bytes per JSON value: about 11 bytes of memory per byte of a manifest of tensors, up to 38 for one made of
 * small numbers), then the tensors' entries; docs/FILES.md gives the figures. */
#define CLI_MANIFEST_LIMIT ((uint64_t)16 << 20)

/*
 * Reads and validates the whole manifest at `path`: at most `limit` bytes (a larger regular file is refused
 * before it is read, a stream such as a pipe once limit + 1 bytes have come), then syntax (arrays and objects
 * nested at most CJSON_NESTING_LIMIT deep, 1000), keys, types, unique names, dtypes, axes, fan_from targets,
 * required parameters, every initializer resolved against its shape, and shapes numpy can hold (readers.h).
 * CLI_OK, or CLI_USAGE after one message naming the file, the tensor and the field (a manifest over the limit:
 * its size and the limit, and --manifest-limit). cli_manifest_free is needed in every case.
 */
int cli_manifest_load(const char *path, uint64_t limit, cli_manifest *m);
/* The --manifest-limit option: its text, a number of bytes >= 1 (decimal or 0x hex), or NULL for
 * CLI_MANIFEST_LIMIT. CLI_OK, or CLI_USAGE after a message. */
int cli_manifest_limit_option(const char *text, uint64_t *limit);
/* As cli_manifest_load, from the len bytes at json (no NUL needed); messages name `label` as the file and
 * m->path is label, which must outlive m. */
int cli_manifest_parse(const char *json, size_t len, const char *label, cli_manifest *m);
void cli_manifest_free(cli_manifest *m);

/* Lays the tensors out one after another: each entry's offset from its numel and dtype, and the totals.
 * 0, or -1 when the sizes overflow this host (the index of the tensor at fault in *bad). */
int cli_manifest_place(cli_manifest *m, size_t *bad);

/* Every tensor fits a device buffer of max_alloc bytes. CLI_OK, or CLI_USAGE after a message naming the file,
 * the tensor, the bytes and the device's limit. */
int cli_manifest_check_fits(const cli_manifest *m, uint64_t max_alloc);

/* The scratch of one fill of t with spec (orthogonal, delta_orthogonal) on ctx's device beside `reserved` bytes
 * of the command's own buffers: the library's rule and message (clinit_scratch_fits), checked before anything
 * is reserved so that a tensor that cannot fit is a usage error, not a failure half-way (on PoCL, where the
 * device's memory is the host's, an OOM kill). CLI_OK; CLI_USAGE with *why (the library's message, valid until
 * ctx's next call) for the caller to print after the flag or tensor at fault; CLI_RUNTIME after a message when
 * the device's limits cannot be read. */
int cli_scratch_fits(clinit_ctx *ctx, const clinit_tensor *t, const clinit_init_spec *spec, uint64_t reserved,
                     const char **why);
/* cli_scratch_fits for every tensor of m (the whole matrices', for clinit-mpi's shards too), the first that does
 * not fit named as the manifest's messages name a tensor: CLI_OK, CLI_USAGE or CLI_RUNTIME after a message. */
int cli_manifest_check_scratch(const cli_manifest *m, clinit_ctx *ctx, uint64_t reserved);
/* The most scratch any one fill of m's tensors takes on the device (clinit_scratch_bytes' total; the fills run one
 * after another), in bytes: for cli_gen_reserve's check of host memory. */
uint64_t cli_manifest_scratch(const cli_manifest *m);

#endif
