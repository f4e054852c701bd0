/* Model manifests: the JSON list of a model's tensors and how each is initialized (README "Manifests"). */
#ifndef CLINIT_CLI_MANIFEST_H
#define CLINIT_CLI_MANIFEST_H

#include "clinit.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cli_entry {
    char *name;
    int rank;
    int64_t shape[CLINIT_MAX_RANK];
    clinit_layout layout;
    clinit_init_spec spec; /* fan_from already applied */
    int split_dim;         /* tensor-parallel split dimension (clinit-mpi); -1: replicated on every rank */
    uint64_t numel;
    uint64_t offset; /* bytes from the start of the data, in manifest order */
} cli_entry;

typedef struct cli_manifest {
    uint64_t seed;
    cli_entry *entries;
    size_t count;
    uint64_t total_numel, total_bytes;
    size_t max_bytes; /* of the largest tensor */
} cli_manifest;

/*
 * Reads and validates the whole manifest at `path`: syntax, keys, types, unique names, fan_from targets,
 * and every initializer resolved against its shape. CLI_OK, or CLI_USAGE after one message naming the
 * file, the tensor and the field. cli_manifest_free is needed in every case.
 */
int cli_manifest_load(const char *path, cli_manifest *m);
void cli_manifest_free(cli_manifest *m);

#endif
