/* The library's nearest-name suggestions, kept in one buffer for messages built with a single snprintf. */
#include "suggest.h"

const char *cli_suggest(const char *word, const char *list)
{
    static char text[1024];
    ci_suggest(word, list, text, sizeof text);
    return text;
}
