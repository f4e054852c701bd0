/* --verify: the rank files against a single-process fill (docs/MPI.md "Verify"). */
#ifndef CLINIT_MPI_VERIFY_H
#define CLINIT_MPI_VERIFY_H

#include "gen.h"
#include "shard.h"
#include "world.h"

#include <stddef.h>
#include <stdint.h>

/* XXH64 of every shard's bytes as the rank's file at `path` holds them (data from header_size on, in the
 * view's order) into hashes[0..count). CLI_OK, or CLI_RUNTIME after a message. */
int mpi_hash_file(const char *path, size_t header_size, const mpi_plan *p, uint64_t *hashes);

/*
 * Collective. Rank 0 gathers every rank's hashes, fills each whole tensor of m on its own device through gen
 * (one at a time: gen->capacity must hold the largest tensor), hashes each rank's box of it and reports every
 * difference, then a summary line on stdout. Every rank returns the same status: CLI_OK when all shards are
 * identical, else CLI_RUNTIME.
 */
int mpi_verify(const mpi_world *w, const cli_manifest *m, uint64_t seed, cli_gen *gen, const uint64_t *hashes);

#endif
