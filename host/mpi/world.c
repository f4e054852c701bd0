/* The MPI job. Agreement is an MPI_Allreduce of exit statuses: cheap, and it keeps every rank on the same
 * path, so no rank waits forever in a collective that a failed rank skipped. */
#include "world.h"

#include "cli.h"

#include <mpi.h>
#include <stdio.h>

int mpi_world_init(mpi_world *w)
{
    MPI_Comm node;
    if (MPI_Comm_rank(MPI_COMM_WORLD, &w->rank) != MPI_SUCCESS ||
        MPI_Comm_size(MPI_COMM_WORLD, &w->size) != MPI_SUCCESS)
        return -1;
    /* The MPI-3 way to find the node's ranks, whatever launcher started us (OMPI_COMM_WORLD_LOCAL_RANK is
     * Open MPI's alone). */
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) != MPI_SUCCESS) return -1;
    int rc = MPI_Comm_rank(node, &w->local_rank) == MPI_SUCCESS ? 0 : -1;
    MPI_Comm_free(&node);
    return rc;
}

int mpi_agree(int rc)
{
    int all = rc;
    MPI_Allreduce(&rc, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

int mpi_agree_root(int rc, int *root_rc)
{
    *root_rc = rc;
    MPI_Bcast(root_rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return mpi_agree(rc);
}

void mpi_diag(const mpi_world *w, int shared)
{
    static char own[48];
    snprintf(own, sizeof own, "clinit-mpi: rank %d: ", w->rank);
    cli_diag_prefix(!shared ? own : w->rank == 0 ? "clinit-mpi: " : NULL);
}
