/* The host memory a process can still have (hostmem.h), from Linux's /proc and /sys; elsewhere the rlimits only. */
#include "hostmem.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* /proc/self/statm's fields `index` (0: the whole address space, 5: data and stack) in bytes, or 0. */
static uint64_t statm_bytes(int index)
{
    unsigned long long f[7] = {0};
    FILE *s = fopen("/proc/self/statm", "r");
    int n = s ? fscanf(s, "%llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]) : 0;
    if (s) fclose(s);
    long page = sysconf(_SC_PAGESIZE);
    return n > index && page > 0 ? (uint64_t)f[index] * (uint64_t)page : 0;
}

/* What rlimit `resource` leaves beyond `used` bytes; UINT64_MAX when unlimited. */
static uint64_t rlimit_left(int resource, uint64_t used)
{
    struct rlimit r;
    if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return UINT64_MAX;
    return (uint64_t)r.rlim_cur > used ? (uint64_t)r.rlim_cur - used : 0;
}

/* One "Key: N kB" of /proc/meminfo in bytes, or -1 when missing. */
static long long meminfo(const char *key)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long long kb = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':' && sscanf(line + n + 1, "%lld", &kb) == 1) break;
    if (f) fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

/* What the cgroup v2 memory.max of this process leaves beyond its memory.current; UINT64_MAX without one. */
static uint64_t cgroup_left(void)
{
    char line[4096], path[4200];
    FILE *f = fopen("/proc/self/cgroup", "r");
    int found = 0;
    while (f && !found && fgets(line, sizeof line, f)) found = strncmp(line, "0::", 3) == 0;
    if (f) fclose(f);
    if (!found) return UINT64_MAX;
    line[strcspn(line, "\n")] = '\0';
    unsigned long long max = 0, current = 0;
    snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", line + 3);
    FILE *m = fopen(path, "r");
    int have_max = m && fscanf(m, "%llu", &max) == 1; /* "max": no limit */
    if (m) fclose(m);
    snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.current", line + 3);
    FILE *c = have_max ? fopen(path, "r") : NULL;
    int have_current = c && fscanf(c, "%llu", &current) == 1;
    if (c) fclose(c);
    if (!have_max || !have_current) return UINT64_MAX;
    return max > current ? max - current : 0;
}

uint64_t cli_host_memory_left(const char **which)
{
    uint64_t least = UINT64_MAX, left;
    *which = "";
    if ((left = rlimit_left(RLIMIT_AS, statm_bytes(0))) < least)
        least = left, *which = "the address space ulimit -v (RLIMIT_AS) leaves";
    if ((left = rlimit_left(RLIMIT_DATA, statm_bytes(5))) < least)
        least = left, *which = "the data ulimit -d (RLIMIT_DATA) leaves";
    if ((left = cgroup_left()) < least) least = left, *which = "what the cgroup's memory.max leaves";
    long long available = meminfo("MemAvailable"), swap = meminfo("SwapFree");
    if (available >= 0 && (left = (uint64_t)available + (uint64_t)(swap > 0 ? swap : 0)) < least)
        least = left, *which = "the machine's available memory and free swap (MemAvailable + SwapFree)";
    return least;
}
