/* A driver for the fuzz harnesses without libFuzzer: every file named on the command line, or every file of a
 * folder named there, goes once through LLVMFuzzerTestOneInput. The ordinary build compiles each harness with it
 * and replays the seed corpus (ctest fuzz_*_replay), so that a harness that no longer compiles against the code it
 * fuzzes, or a seed that now fails, shows in every build and not only in scripts/fuzz.sh's clang build. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *data = malloc(cap);
    for (size_t got; data && (got = fread(data + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            uint8_t *bigger = realloc(data, cap *= 2);
            if (!bigger) free(data);
            data = bigger;
        }
    }
    int bad = ferror(f) || !data;
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read it\n", path);
        free(data);
        return 1;
    }
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    return 0;
}

static int replay(const char *path, int *files)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ++*files;
        return replay_file(path);
    }
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return 1;
    }
    int failed = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(len);
        if (!child) {
            failed = 1;
            break;
        }
        snprintf(child, len, "%s/%s", path, e->d_name);
        failed |= replay(child, files);
        free(child);
    }
    closedir(d);
    return failed;
}

int main(int argc, char **argv)
{
    int failed = 0, files = 0;
    for (int i = 1; i < argc; i++) failed |= replay(argv[i], &files);
    printf("%d inputs replayed\n", files);
    return failed || files == 0;
}
