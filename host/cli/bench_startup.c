/* Start-up cost of clinit: clinit_ctx_create_default (platform, context, queue, kernel program build), timed
 * in child processes, because an OpenCL implementation initializes once per process and keeps what it
 * compiled: only a fresh process shows what a user's first call costs. The first child gets an empty PoCL
 * kernel cache (cold), the second the cache the first filled (warm). */
#define _XOPEN_SOURCE 700 /* nftw, on top of the POSIX.1-2008 the CLI is built with */
#include "bench.h"
#include "cli.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* PoCL names itself in its platform name or version ("OpenCL 3.0 PoCL 3.1 ..."). */
static int is_pocl(cl_device_id device)
{
    cl_platform_id platform;
    char name[256] = "", version[256] = "";
    if (clGetDeviceInfo(device, CL_DEVICE_PLATFORM, sizeof platform, &platform, NULL) != CL_SUCCESS) return 0;
    clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof name - 1, name, NULL);
    clGetPlatformInfo(platform, CL_PLATFORM_VERSION, sizeof version - 1, version, NULL);
    return strstr(name, "Portable Computing Language") || strstr(version, "PoCL") || strstr(version, "pocl");
}

/* The child: one context, timed, reported as "NANOSECONDS IS_POCL" on fd. Never returns. */
static void child(int fd, const char *cache_dir)
{
    setenv("POCL_CACHE_DIR", cache_dir, 1);
    clinit_ctx *ctx = NULL;
    uint64_t t0 = bench_now_ns();
    clinit_status st = clinit_ctx_create_default(&ctx);
    uint64_t t1 = bench_now_ns();
    int rc = 1;
    if (st != CLINIT_SUCCESS) {
        cli_clinit_error("start-up measurement: creating the context", st, ctx);
    } else {
        char line[64];
        int n =
            snprintf(line, sizeof line, "%llu %d\n", (unsigned long long)(t1 - t0), is_pocl(clinit_ctx_device(ctx)));
        rc = write(fd, line, (size_t)n) == n ? 0 : 1;
    }
    clinit_ctx_destroy(ctx);
    _exit(rc); /* not exit(): the parent's stdio buffers are not the child's to flush */
}

/* Runs one child; its milliseconds, or -1. */
static double measure(const char *cache_dir, int *pocl)
{
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], cache_dir);
    }
    close(fds[1]);
    char line[64] = "";
    ssize_t n = pid > 0 ? read(fds[0], line, sizeof line - 1) : -1;
    close(fds[0]);
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    unsigned long long ns;
    if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || sscanf(line, "%llu %d", &ns, pocl) != 2) return -1;
    return (double)ns / 1e6;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)remove(path);
    return 0;
}

void bench_startup(double *cold_ms, double *warm_ms)
{
    *cold_ms = *warm_ms = -1;
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/clinit-bench-cache-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        cli_runtime_error("start-up measurement: cannot create a temporary folder in %s", tmp && *tmp ? tmp : "/tmp");
        return;
    }
    int pocl = 0;
    double cold = measure(dir, &pocl);
    if (cold >= 0) *warm_ms = measure(dir, &pocl);
    /* Elsewhere the driver keeps its own cache, which may be warm already: the first child's time is not cold. */
    if (cold >= 0 && pocl) *cold_ms = cold;
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
