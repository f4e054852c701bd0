/* clinit_cli_common leaves cli_usage() (the --help text) to each executable; the fuzzers never print help. */
#include "cli.h"

int cli_usage(const char *command)
{
    (void)command;
    return CLI_OK;
}
