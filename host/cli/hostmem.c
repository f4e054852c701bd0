/* The host memory a process can still have (hostmem.h), from Linux's /proc and /sys; elsewhere the rlimits only. */
#include "hostmem.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

/* What rlimit `resource` leaves beyond `used` bytes; UINT64_MAX when unlimited. */
static uint64_t rlimit_left(int resource, uint64_t used)
{
    struct rlimit r;
    if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return UINT64_MAX;
    return (uint64_t)r.rlim_cur > used ? (uint64_t)r.rlim_cur - used : 0;
}

/* One "Key: N kB" line of `file` (/proc/meminfo, /proc/self/status) in bytes, or -1 when missing. */
static long long kb_line(const char *file, const char *key)
{
    FILE *f = fopen(file, "r");
    char line[256];
    long long kb = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':' && sscanf(line + n + 1, "%lld", &kb) == 1) break;
    if (f) fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

/* What this process uses of what `ulimit` limits: /proc/self/status's `key` (VmSize, the address space RLIMIT_AS
 * counts; VmData, the private writable mappings RLIMIT_DATA counts: not the stack, which statm's data field adds),
 * 0 when missing. */
static uint64_t used_bytes(const char *key)
{
    long long b = kb_line("/proc/self/status", key);
    return b > 0 ? (uint64_t)b : 0;
}

/* The first number in the file `folder`/`name` (for memory.stat, `key`'s); -1 when missing or not a number ("max"). */
static long long read_number(const char *folder, const char *name, const char *key)
{
    char path[4200], line[256];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "r");
    long long value = -1;
    size_t n = key ? strlen(key) : 0;
    while (f && fgets(line, sizeof line, f))
        if (!key || (strncmp(line, key, n) == 0 && line[n] == ' ')) {
            if (sscanf(line + n, "%lld", &value) != 1) value = -1;
            break;
        }
    if (f) fclose(f);
    return value;
}

/* What the memory cgroup at `folder` leaves under its limit (`limit`, the usage `usage`): its usage does not count
 * the file pages on the LRU lists (memory.stat's `prefix`active_file and `prefix`inactive_file), which the kernel
 * reclaims before it refuses memory. Not the whole page cache (v1's cache, v2's file): that holds tmpfs and shared
 * memory too, which stay without swap (counted free, a cgroup full of /dev/shm files let the OOM killer end the run).
 * UINT64_MAX without a limit to read. */
static uint64_t cgroup_folder_left(const char *folder, const char *limit, const char *usage, const char *prefix)
{
    long long max = read_number(folder, limit, NULL), used = read_number(folder, usage, NULL);
    char active[32], inactive[32];
    snprintf(active, sizeof active, "%sactive_file", prefix);
    snprintf(inactive, sizeof inactive, "%sinactive_file", prefix);
    long long a = read_number(folder, "memory.stat", active), i = read_number(folder, "memory.stat", inactive);
    long long reclaimable = (a > 0 ? a : 0) + (i > 0 ? i : 0);
    if (max < 0 || used < 0) return UINT64_MAX;
    used = reclaimable < used ? used - reclaimable : 0; /* v1's per-CPU statistics lag: never below 0 */
    return max > used ? (uint64_t)(max - used) : 0;
}

/* What the memory cgroup at `mount``path` and every cgroup above it up to the hierarchy's root leave, the least:
 * a limit set on an enclosing cgroup (a container's, with the process in a cgroup of its own below it; a systemd
 * slice's) binds as hard as the process's own, and siblings' usage counts against it. Not above a v1 cgroup whose
 * memory.use_hierarchy is 0 (kernels before 5.11): its children are not charged to it. */
static uint64_t cgroup_chain_left(const char *mount, const char *path, const char *limit, const char *usage,
                                  const char *prefix)
{
    char folder[4200];
    size_t root = strlen(mount);
    uint64_t least = UINT64_MAX, left;
    if (snprintf(folder, sizeof folder, "%s%s", mount, path) >= (int)sizeof folder) return UINT64_MAX;
    for (;;) {
        if ((left = cgroup_folder_left(folder, limit, usage, prefix)) < least) least = left;
        char *slash = strrchr(folder + root, '/');
        if (!slash) break;
        *slash = '\0';                                                                /* the parent */
        if (*prefix && read_number(folder, "memory.use_hierarchy", NULL) == 0) break; /* v1's only: v2 has none */
    }
    return least;
}

/* What this process's memory cgroups leave: cgroup v2's memory.max, or v1's memory.limit_in_bytes (a container's
 * limit), on its cgroup and the ones above it. UINT64_MAX without one. */
static uint64_t cgroup_left(void)
{
    char line[4096];
    uint64_t least = UINT64_MAX, left;
    FILE *f = fopen("/proc/self/cgroup", "r");
    while (f && fgets(line, sizeof line, f)) { /* ID:CONTROLLERS:PATH */
        line[strcspn(line, "\n")] = '\0';
        char *controllers = strchr(line, ':'), *path = controllers ? strchr(controllers + 1, ':') : NULL;
        if (!path) continue;
        *path++ = '\0';
        controllers++;
        if (!*controllers) /* v2's unified hierarchy */
            left = cgroup_chain_left("/sys/fs/cgroup", path, "memory.max", "memory.current", "");
        else if (strcmp(controllers, "memory") == 0)
            left = cgroup_chain_left("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes", "memory.usage_in_bytes",
                                     "total_");
        else
            continue;
        least = left < least ? left : least;
    }
    if (f) fclose(f);
    return least;
}

uint64_t cli_host_memory_left(const char **which)
{
    uint64_t least = UINT64_MAX, left;
    *which = "";
    if ((left = rlimit_left(RLIMIT_AS, used_bytes("VmSize"))) < least)
        least = left, *which = "the address space ulimit -v (RLIMIT_AS) leaves";
    if ((left = rlimit_left(RLIMIT_DATA, used_bytes("VmData"))) < least)
        least = left, *which = "the data ulimit -d (RLIMIT_DATA) leaves";
    if ((left = cgroup_left()) < least) least = left, *which = "what the memory cgroup's limit leaves";
    long long available = kb_line("/proc/meminfo", "MemAvailable"), swap = kb_line("/proc/meminfo", "SwapFree");
    if (available >= 0 && (left = (uint64_t)available + (uint64_t)(swap > 0 ? swap : 0)) < least)
        least = left, *which = "the machine's available memory and free swap (MemAvailable + SwapFree)";
    return least;
}
