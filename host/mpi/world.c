/* The MPI job. Agreement is an MPI_Allreduce of exit statuses: cheap, and it keeps every rank on the same
 * path, so no rank waits forever in a collective that a failed rank skipped. */
#include "world.h"

#include "cli.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int mpi_folder_missing(const char *dir)
{
    struct stat st;
    int missing = stat(dir, &st) != 0;
    MPI_Barrier(MPI_COMM_WORLD);
    return missing;
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

/* Prints one rank's message as that rank would, through cli_diag so that it is one write. */
static void say(const char *prefix, const char *message)
{
    cli_diag_prefix(prefix);
    (void)cli_usage_error("%s", message);
}

int mpi_report_shared(const mpi_world *w, int rc, const char *message)
{
    int root_rc, all = mpi_agree_root(rc, &root_rc);
    if (rc != CLI_OK) {
        mpi_diag(w, root_rc != CLI_OK);
        (void)cli_usage_error("%s", message);
        mpi_diag(w, 0);
    }
    return all;
}

int mpi_report(const mpi_world *w, int rc, const char *message)
{
    int root = w->rank == 0, len = rc != CLI_OK ? (int)strlen(message) + 1 : 0;
    /* rank 0's: every rank's status, message length and where its message starts in `all` */
    int *rcs = root ? calloc((size_t)w->size, sizeof *rcs) : NULL;
    int *lens = root ? calloc((size_t)w->size, sizeof *lens) : NULL;
    int *at = root ? calloc((size_t)w->size, sizeof *at) : NULL;
    int ok = !root || (rcs && lens && at);
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    char *all = NULL;
    if (ok) {
        MPI_Gather(&rc, 1, MPI_INT, rcs, 1, MPI_INT, 0, MPI_COMM_WORLD);
        MPI_Gather(&len, 1, MPI_INT, lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
        long total = 0;
        for (int r = 0; root && r < w->size; r++) {
            at[r] = (int)total;
            total += lens[r];
        }
        if (root && !(all = malloc(total ? (size_t)total : 1))) ok = 0;
        MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
        if (ok) MPI_Gatherv(message, len, MPI_CHAR, all, lens, at, MPI_CHAR, 0, MPI_COMM_WORLD);
    }
    if (!ok && rc != CLI_OK) { /* rank 0 had no memory to gather them: each rank says its own */
        mpi_diag(w, 0);
        (void)cli_usage_error("%s", message);
    } else if (ok && root) {
        int alike = 1;
        for (int r = 0; r < w->size && alike; r++) alike = rcs[r] != CLI_OK && strcmp(all + at[r], all) == 0;
        static char prefix[48];
        for (int r = 0; r < w->size; r++) {
            if (rcs[r] == CLI_OK) continue;
            snprintf(prefix, sizeof prefix, "clinit-mpi: rank %d: ", r);
            say(alike ? "clinit-mpi: " : prefix, all + at[r]);
            if (alike) break;
        }
    }
    mpi_diag(w, 0);
    free(all);
    free(rcs);
    free(lens);
    free(at);
    return mpi_agree(rc);
}
