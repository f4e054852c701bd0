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
} cli_manifest;

/*
 * Reads and validates the whole manifest at `path`: syntax, keys, types, unique names, dtypes, axes, fan_from
 * targets, required parameters, and every initializer resolved against its shape. CLI_OK, or CLI_USAGE after
 * one message naming the file, the tensor and the field. cli_manifest_free is needed in every case.
 */
int cli_manifest_load(const char *path, cli_manifest *m);
/* As cli_manifest_load, from the len bytes at json (no NUL needed); messages name `label` as the file and
 * m->path is label, which must outlive m. */
int cli_manifest_parse(const char *json, size_t len, const char *label, cli_manifest *m);
void cli_manifest_free(cli_manifest *m);

/* Lays the tensors out one after another: each entry's offset from its numel and dtype, and the totals.
 * 0, or -1 when the sizes overflow this host (the index of the tensor at fault in *bad). */
int cli_manifest_place(cli_manifest *m, size_t *bad);

/* Every tensor, and every scratch buffer its fill allocates (cli_manifest_check_scratch), fits a device buffer
 * of max_alloc bytes. CLI_OK, or CLI_USAGE after a message naming the file, the tensor, the bytes and the
 * device's limit. */
int cli_manifest_check_fits(const cli_manifest *m, uint64_t max_alloc);
/* The scratch part alone (orthogonal, delta_orthogonal: clinit_scratch_bytes), for clinit-mpi, whose shards
 * are boxes of the tensors of m but whose orthogonal fills need the whole matrix's scratch. */
int cli_manifest_check_scratch(const cli_manifest *m, uint64_t max_alloc);
/* The device's whole memory (global_mem, CL_DEVICE_GLOBAL_MEM_SIZE) holds the `reserved` bytes of buffers the
 * command keeps for its run and, beside them, all the scratch of any one tensor's fill: a scratch that fits
 * the largest buffer can still not fit beside a large data buffer (PoCL: host memory, OOM-killed instead of
 * an error). CLI_OK, or CLI_USAGE after a message naming the file, the tensor and the bytes. */
int cli_manifest_check_memory(const cli_manifest *m, uint64_t reserved, uint64_t global_mem);

/* The scratch test of one fill of t with spec, for the commands without a manifest (`clinit sample`), in the
 * manifest's words: its largest buffer within max_alloc, and all of it within global_mem beside `reserved`
 * bytes (global_mem 0: not checked). 0, or -1 with why ("orthogonal needs …") for the caller to prefix with
 * the flag or tensor at fault. */
int cli_scratch_fits(const clinit_tensor *t, const clinit_init_spec *spec, uint64_t reserved, uint64_t max_alloc,
                     uint64_t global_mem, char *why, size_t size);

#endif
