/* clinit-mpi's commands. */
#ifndef CLINIT_MPI_CLI_H
#define CLINIT_MPI_CLI_H

#include "world.h"

/* `clinit-mpi init`: every rank writes its shards of a manifest's tensors (docs/MPI.md). Collective; every
 * rank returns the same exit status. */
int mpi_cmd_init(const mpi_world *w, int argc, char **argv);

#endif
