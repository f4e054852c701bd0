/* Generating a model's tensors, or one box of each (clinit-mpi's shards), into an output file through one
 * device buffer and one host buffer of bounded size: consecutive small ones several at a time (one
 * clinit_fill_batch per bufferful), each large one in slabs (sub-boxes of its box, whose values are the whole
 * tensor's). `clinit init` and clinit-mpi both write their data this way. */
#ifndef CLINIT_CLI_SLABS_H
#define CLINIT_CLI_SLABS_H

#include "gen.h"
#include "manifest.h"
#include "outfile.h"

#include <stdint.h>

/* [start, start + extent) in every dimension of a tensor. */
typedef struct cli_box {
    int64_t start[CLINIT_MAX_RANK], extent[CLINIT_MAX_RANK];
} cli_box;

/* The bytes cli_slabs_write needs in gen's buffers (cli_gen_reserve) for the tensors of m, or boxes[i] of each
 * tensor i (boxes NULL: the whole tensors): the largest slab (at most 16 MiB, except a tensor that cannot be
 * split: orthogonal and delta_orthogonal compute their whole matrix for any box, so their box stays whole),
 * and room for a group of small ones. */
uint64_t cli_slabs_capacity(const cli_manifest *m, const cli_box *boxes);

/* Generates tensor i of m (or boxes[i] of it; boxes NULL: whole) for every i in order, with its stream
 * clinit_stream_from_name(name) and `seed`, and appends its bytes (little-endian, the box's row-major order) to
 * out: the bytes of one fill of each box, one after another. gen->capacity must be at least
 * cli_slabs_capacity(m, boxes). Adds the device time to *device_ns. `progress`: show "[i/N] name" on stderr
 * (a terminal). CLI_OK, or an exit status after a message. */
int cli_slabs_write(const cli_manifest *m, const cli_box *boxes, uint64_t seed, cli_outfile *out, cli_gen *gen,
                    int progress, uint64_t *device_ns);

#endif
