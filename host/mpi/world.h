/* The MPI job as clinit-mpi sees it: this process's rank, the world size, the rank on its node, and how the
 * ranks agree on one outcome so that every rank exits with the same status. */
#ifndef CLINIT_MPI_WORLD_H
#define CLINIT_MPI_WORLD_H

typedef struct mpi_world {
    int rank, size;
    int local_rank; /* rank among the processes of this node (MPI_COMM_TYPE_SHARED): picks the device */
} mpi_world;

/* Fills w from MPI_COMM_WORLD. 0, or -1 when MPI fails (its error handler aborts first by default). */
int mpi_world_init(mpi_world *w);

/* The outcome every rank agrees on: the largest exit status of all ranks (CLI_USAGE > CLI_RUNTIME > CLI_OK).
 * Collective: every rank must call it at the same point. */
int mpi_agree(int rc);

/* As mpi_agree, and *root_rc receives rank 0's own status: a rank that failed where rank 0 did not knows that
 * its message, silenced as a repetition of rank 0's, is the only one and must be shown. */
int mpi_agree_root(int rc, int *root_rc);

/* As mpi_agree, for a check whose message (rc != CLI_OK: the rank's message, captured with cli_diag_capture)
 * every rank may give alike, or not (it depends on the rank's device and shards): rank 0 gathers them and prints
 * a message that every rank gave once, as "clinit-mpi: " (the same check failing alike on W ranks says one
 * thing, not W), and otherwise each failing rank's own, as "clinit-mpi: rank R: ", in rank order. Collective. */
int mpi_report(const mpi_world *w, int rc, const char *message);

/* As mpi_agree, for a check of what every rank sharing rank 0's file system sees alike (the output folder; the
 * rank's message, when rc != CLI_OK, captured with cli_diag_capture): rank 0 says its failure for all, as
 * "clinit-mpi: ", and the ranks that failed with it are silent; a rank that failed where rank 0 did not says
 * its own, as "clinit-mpi: rank R: ". Collective. */
int mpi_report_shared(const mpi_world *w, int rc, const char *message);

/* Whether the folder `dir` is missing as this rank sees it, asked before any rank may make it: every rank looks,
 * then waits for all (a barrier). One it saw missing and finds made is the run's (made by this rank or by another
 * on the same file system), for a fatal signal to take back; one it saw there already is the user's, even where
 * another rank, on another node's file system, made a folder of that name. Collective. */
int mpi_folder_missing(const char *dir);

/* Who speaks (cli_diag_prefix). shared: checks every rank makes alike (arguments, manifest), so rank 0
 * speaks for all as "clinit-mpi: " and the others are silent; else each rank as "clinit-mpi: rank R: ". */
void mpi_diag(const mpi_world *w, int shared);

#endif
