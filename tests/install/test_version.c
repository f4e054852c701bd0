/*
 * One version everywhere: the CMake project version (passed in as CLINIT_CMAKE_VERSION*), the header's
 * CLINIT_VERSION_* macros, the run-time clinit_version_number()/clinit_version_string() of the shared library,
 * its SOVERSION, and the Python package's clinit/_version.py and pyproject.toml; and one generation contract version: the
 * header's CLINIT_GENERATION_VERSION, the title of docs/ALGORITHMS.md and the Python package's copy.
 */
#include <clinit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        checks++;                                                                                                      \
        if (!(cond)) {                                                                                                 \
            failures++;                                                                                                \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                                       \
            fprintf(stderr, __VA_ARGS__);                                                                              \
            fputc('\n', stderr);                                                                                       \
        }                                                                                                              \
    } while (0)

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

int main(void)
{
    char expect[64];

    /* CMake project version = header macros */
    CHECK(strcmp(CLINIT_VERSION_STRING, CLINIT_CMAKE_VERSION) == 0, "CLINIT_VERSION_STRING %s, project version %s",
          CLINIT_VERSION_STRING, CLINIT_CMAKE_VERSION);
    CHECK(CLINIT_VERSION_MAJOR == CLINIT_CMAKE_VERSION_MAJOR && CLINIT_VERSION_MINOR == CLINIT_CMAKE_VERSION_MINOR &&
              CLINIT_VERSION_PATCH == CLINIT_CMAKE_VERSION_PATCH,
          "CLINIT_VERSION_MAJOR/MINOR/PATCH %d.%d.%d, project version %s", CLINIT_VERSION_MAJOR, CLINIT_VERSION_MINOR,
          CLINIT_VERSION_PATCH, CLINIT_CMAKE_VERSION);
    snprintf(expect, sizeof expect, "%d.%d.%d", CLINIT_VERSION_MAJOR, CLINIT_VERSION_MINOR, CLINIT_VERSION_PATCH);
    CHECK(strcmp(expect, CLINIT_VERSION_STRING) == 0, "CLINIT_VERSION_STRING %s, macros say %s", CLINIT_VERSION_STRING,
          expect);
    CHECK(CLINIT_VERSION_NUMBER == CLINIT_VERSION_MAJOR * 10000 + CLINIT_VERSION_MINOR * 100 + CLINIT_VERSION_PATCH,
          "CLINIT_VERSION_NUMBER %d", CLINIT_VERSION_NUMBER);
    CHECK(CLINIT_VERSION_MINOR < 100 && CLINIT_VERSION_PATCH < 100, "MINOR and PATCH must stay below 100");

    /* header = library (the shared library this test links) */
    CHECK(clinit_version_number() == CLINIT_VERSION_NUMBER, "clinit_version_number() %u, header %d",
          clinit_version_number(), CLINIT_VERSION_NUMBER);
    CHECK(strcmp(clinit_version_string(), CLINIT_VERSION_STRING) == 0, "clinit_version_string() %s, header %s",
          clinit_version_string(), CLINIT_VERSION_STRING);
    CHECK(CLINIT_SOVERSION == CLINIT_VERSION_MAJOR, "SOVERSION %d, CLINIT_VERSION_MAJOR %d", CLINIT_SOVERSION,
          CLINIT_VERSION_MAJOR);

    /* generation contract: header = docs/ALGORITHMS.md title */
    const char *doc = slurp(CLINIT_ALGORITHMS_MD);
    CHECK(doc != NULL, "cannot read %s", CLINIT_ALGORITHMS_MD);
    if (doc) {
        snprintf(expect, sizeof expect, "# clinit generation contract — version %d\n", CLINIT_GENERATION_VERSION);
        CHECK(strncmp(doc, expect, strlen(expect)) == 0, "%s does not start with \"%.*s\"", CLINIT_ALGORITHMS_MD,
              (int)strlen(expect) - 1, expect);
    }

    /* Python package */
    const char *py = slurp(CLINIT_PYTHON_VERSION_PY);
    CHECK(py != NULL, "cannot read %s", CLINIT_PYTHON_VERSION_PY);
    if (py) {
        snprintf(expect, sizeof expect, "\n__version__ = \"%s\"\n", CLINIT_VERSION_STRING);
        CHECK(strstr(py, expect) != NULL, "%s lacks __version__ = \"%s\"", CLINIT_PYTHON_VERSION_PY,
              CLINIT_VERSION_STRING);
        snprintf(expect, sizeof expect, "\nGENERATION_VERSION = %d\n", CLINIT_GENERATION_VERSION);
        CHECK(strstr(py, expect) != NULL, "%s lacks GENERATION_VERSION = %d", CLINIT_PYTHON_VERSION_PY,
              CLINIT_GENERATION_VERSION);
    }

    /* the Python distribution's version, which pip and its wheel's name carry */
    const char *toml = slurp(CLINIT_PYPROJECT_TOML);
    CHECK(toml != NULL, "cannot read %s", CLINIT_PYPROJECT_TOML);
    if (toml) {
        snprintf(expect, sizeof expect, "\nversion = \"%s\"\n", CLINIT_VERSION_STRING);
        CHECK(strstr(toml, expect) != NULL, "%s lacks version = \"%s\"", CLINIT_PYPROJECT_TOML, CLINIT_VERSION_STRING);
    }

    printf("clinit %s (%u), SOVERSION %d, generation contract v%d\n", clinit_version_string(), clinit_version_number(),
           CLINIT_SOVERSION, CLINIT_GENERATION_VERSION);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
