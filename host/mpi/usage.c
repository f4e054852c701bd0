/* clinit-mpi's help texts. cli_parse calls cli_usage for --help on every rank; rank 0 alone prints. */
#include "args.h"
#include "cli.h"
#include "help.h"
#include "suggest.h"

#include <ctype.h>
#include <mpi.h>
#include <stdio.h>
#include <string.h>

/* Lines of `text` each after `prefix` (the first after `first`, when not NULL). */
static void lines(const char *text, const char *first, const char *prefix)
{
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        printf("%s%.*s\n", p == text && first ? first : prefix, (int)len, p);
        p += len + (end ? 1 : 0);
    }
}

static void init_usage(void)
{
    lines(mpi_init_synopsis, "usage: ", "       ");
    putchar('\n');
    fputs(mpi_init_description, stdout);
    for (size_t i = 0; i < mpi_n_init_options; i++) {
        const mpi_opt_help *o = &mpi_init_options[i];
        char term[64];
        /* the texts start in column 17, after two blanks where a term is longer */
        snprintf(term, sizeof term, strlen(o->term) < 15 ? "  %-15s" : "  %s  ", o->term);
        lines(o->text, term, "                 ");
    }
    fputs(mpi_init_devices, stdout);
    fputs(mpi_init_exit_status, stdout);
    fputs("\nexample:\n", stdout);
    lines(mpi_init_examples, NULL, "  ");
}

static void overview(void)
{
    printf("usage: mpirun -np N clinit-mpi COMMAND [ARGS]\n\n%c%s.\n\n%s", toupper((unsigned char)mpi_tagline[0]),
           mpi_tagline + 1, mpi_overview_rest);
}

/* clinit-mpi's one command is documented by help.c's texts, not by a table of cli_command_doc. */
const cli_command_doc *cli_command_doc_find(const char *command)
{
    (void)command;
    return NULL;
}

int cli_usage(const char *command)
{
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (command && strcmp(command, "init") != 0)
        return cli_usage_error("unknown command \"%s\": %s", command, cli_suggest(command, "init, help"));
    if (rank == 0) {
        if (command)
            init_usage();
        else
            overview();
    }
    return CLI_OK;
}
