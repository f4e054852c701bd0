/* What `clinit-mpi init`'s two outputs share: the rank files of --out-dir (init.c) and Hugging Face's folder
 * of --out DIR/ (folder.c). */
#ifndef CLINIT_MPI_INIT_H
#define CLINIT_MPI_INIT_H

#include "gen.h"
#include "hf.h"
#include "manifest.h"
#include "world.h"

#include <stdint.h>

typedef struct mpi_init_args {
    const char *manifest, *manifest_limit, *seed, *generation, *out_dir, *out, *max_shard_size;
    int force, verify;
    uint64_t max_shard; /* --max-shard-size in bytes; CLI_HF_MAX_SHARD_DEFAULT without it */
} mpi_init_args;

/* The rank's OpenCL device (cli_pick_device: CLINIT_DEVICE and the local rank) opened in gen. CLI_OK, or
 * CLI_RUNTIME after a message. */
int mpi_gen_open(const mpi_world *w, cli_gen *gen);

/*
 * --out DIR/: the folder `clinit init --out DIR/` writes for m, seed and the plan s, byte for byte. Shard k is
 * written by owner[k] (mpi_folder_owners) on its own device, rank 0 writes config.json and the index too; every
 * file goes to a temporary file, and the files are put in place only once every rank has written all of its
 * own, the index last (docs/MPI.md "Hugging Face's folder"). Collective; every rank returns the same status.
 */
int mpi_init_folder(const mpi_world *w, const mpi_init_args *a, const cli_manifest *m, const cli_shards *s,
                    uint64_t seed);

#endif
