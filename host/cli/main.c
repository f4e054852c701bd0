/* clinit: the command-line tool of libclinit. Dispatches to a command and turns a failed write to stdout
 * (a full disk, a closed pipe) into a failed run instead of a silently truncated listing. */
#include "cli.h"
#include "usage.h"

#include <stdio.h>
#include <string.h>

static int dispatch(int argc, char **argv)
{
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
        printf("clinit %s\n", clinit_version_string());
        return CLI_OK;
    }
    const cli_command_doc *c = cli_command_doc_find(cmd);
    return c ? c->run(argc - 1, argv + 1) : cli_usage(cmd);
}

int main(int argc, char **argv)
{
    int rc = dispatch(argc, argv);
    /* A command that failed has said why, maybe that very write (its summary): a second line about stdout
     * would make two errors of one. */
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == CLI_OK) {
        perror("clinit: writing to stdout");
        rc = CLI_RUNTIME;
    }
    return rc;
}
