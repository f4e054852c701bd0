/* clinit-mpi's help as data, without MPI: `clinit-mpi help` prints it (usage.c) and clinit_gendoc writes the man
 * page clinit-mpi.1 from it (host/cli/gendoc.c), so that the two never disagree. */
#ifndef CLINIT_MPI_HELP_H
#define CLINIT_MPI_HELP_H

#include <stddef.h>

typedef struct mpi_opt_help {
    const char *term; /* "--seed N": the option and its value's name */
    const char *text; /* lines, '\n'-separated, as the help wraps them */
} mpi_opt_help;

/* What clinit-mpi is, a phrase (the overview's first sentence and the man page's NAME). */
extern const char mpi_tagline[];
/* The overview's commands and options, after the tagline. */
extern const char mpi_overview_rest[];
/* `clinit-mpi init`: its ways of running, one per line with its continuation lines indented; what it does,
 * paragraphs of lines separated by blank lines; its options; the devices the ranks take; command lines. */
extern const char mpi_init_synopsis[];
extern const char mpi_init_description[];
extern const mpi_opt_help mpi_init_options[];
extern const size_t mpi_n_init_options;
extern const char mpi_init_devices[];
/* Its exit statuses, lines as mpi_init_devices (after their heading). */
extern const char mpi_init_exit_status[];
extern const char mpi_init_examples[];

#endif
