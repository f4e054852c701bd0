/* clinit_cli_common leaves cli_usage() (the --help text) and cli_command_doc_find() (the tables it is made
 * from) to each executable; the fuzzers never print help nor parse a command line. */
#include "args.h"
#include "cli.h"

int cli_usage(const char *command)
{
    (void)command;
    return CLI_OK;
}

const cli_command_doc *cli_command_doc_find(const char *command)
{
    (void)command;
    return NULL;
}
