/* Tensor-parallel shards: which box of each tensor a rank holds, and where it goes in the rank's file. */
#ifndef CLINIT_MPI_SHARD_H
#define CLINIT_MPI_SHARD_H

#include "manifest.h"
#include "slabs.h"

#include <stdint.h>

/* A shard: a box of the full tensor, as cli_slabs_write takes it. */
typedef cli_box mpi_box;

/* The split rule (docs/MPI.md): rank r of w holds [floor(r·n/w), floor((r+1)·n/w)) of a dimension of size n.
 * Shards differ by at most one element; when n < w some ranks hold none. */
void mpi_split_range(int64_t n, int rank, int world, int64_t *start, int64_t *extent);

/* The box of e that `rank` holds: the split rule on e->split_dim, every other dimension whole; the whole
 * tensor when e is replicated (split_dim -1). */
void mpi_shard_box(const cli_entry *e, int rank, int world, mpi_box *box);

/* A rank's part of a model. `view` lists the rank's tensors as its safetensors file does: the full names in
 * manifest order, the shards' shapes and element counts, offsets in the rank's data; its names point into
 * the model's manifest. boxes[i] is tensor i's box in the full tensor. */
typedef struct mpi_plan {
    cli_manifest view;
    mpi_box *boxes;
} mpi_plan;

/* CLI_OK, or CLI_RUNTIME after a message (out of host memory). mpi_plan_free is needed in every case. */
int mpi_plan_make(const cli_manifest *m, int rank, int world, mpi_plan *p);
void mpi_plan_free(mpi_plan *p);

#endif
