/* The safetensors header of a rank's file (docs/MPI.md "Output"). */
#ifndef CLINIT_MPI_RANKFILE_H
#define CLINIT_MPI_RANKFILE_H

#include "shard.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The header of the plan's shards, as cli_safetensors_header writes it (full names, the shards' shapes), with
 * more __metadata__: "rank", "world_size", "tensor_parallel_split" (the split rule), and per tensor
 * "shard.<name>" = "start0:extent0,start1:extent1,..." (its box in the full tensor) and "split_dim.<name>" =
 * "<d>" or "none" (replicated). *size receives its length. NULL when out of host memory.
 */
unsigned char *mpi_rank_header(const cli_manifest *m, const mpi_plan *p, uint64_t seed, int rank, int world,
                               size_t *size);

#endif
