/* clinit-mpi: tensor-parallel sharded initialization, one MPI rank per OpenCL device (docs/MPI.md).
 * Every rank parses the same command line and reaches the same decision, so all exit with one status and
 * MPI_Abort is never needed. */
#include "cli.h"
#include "mpi_cli.h"
#include "world.h"

#include <mpi.h>
#include <stdio.h>
#include <string.h>

static int dispatch(const mpi_world *w, int argc, char **argv)
{
    mpi_diag(w, 1); /* usage errors are the same on every rank */
    /* an error, not the overview on stdout: a script that lost its arguments should fail loudly, and a
     * person gets the way to the overview in one line */
    if (argc < 2) return cli_usage_error("no command given; %s help lists the commands", cli_program());
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 3) return cli_usage_error("help takes at most one command");
        return cli_usage(argc == 3 ? argv[2] : NULL);
    }
    if (strcmp(cmd, "--version") == 0) {
        if (argc > 2) return cli_usage_error("--version takes no arguments: \"%s\"", argv[2]);
        if (w->rank == 0) printf("clinit-mpi %s\n", clinit_version_string());
        return CLI_OK;
    }
    if (strcmp(cmd, "init") == 0) return mpi_cmd_init(w, argc - 1, argv + 1);
    return cli_usage(cmd);
}

int main(int argc, char **argv)
{
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
        fputs("clinit-mpi: MPI_Init failed\n", stderr);
        return CLI_RUNTIME;
    }
    cli_diag_program("clinit-mpi");
    mpi_world w;
    int rc = mpi_world_init(&w) == 0 ? dispatch(&w, argc, argv) : CLI_RUNTIME;
    /* A command that failed has said why, maybe that very write (its summary): a second line about stdout
     * would make two errors of one. */
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == CLI_OK) {
        perror("clinit-mpi: writing to stdout");
        rc = CLI_RUNTIME;
    }
    MPI_Finalize();
    return rc;
}
