/* How much more host memory this process can have: the limits a large allocation meets first. The tools check a
 * tensor's buffers against it before they allocate them, so that a tensor the host cannot hold is an error that
 * names it, not a death by the OOM killer or by the OpenCL runtime (PoCL 3.1 asserts when the host memory of a
 * buffer it allocates lazily is refused, under `ulimit -v`). */
#ifndef CLINIT_CLI_HOSTMEM_H
#define CLINIT_CLI_HOSTMEM_H

#include <stdint.h>

/* The bytes this process may still allocate, the least of: the address space RLIMIT_AS leaves (`ulimit -v`), the
 * data RLIMIT_DATA leaves (`ulimit -d`), what its memory cgroups' limits leave (v2's memory.max, v1's
 * memory.limit_in_bytes, of its own cgroup and of every one above it, where a container's limit may be; their
 * reclaimable file pages counted as free, not their tmpfs or shared memory), and the machine's available memory and
 * free swap (/proc/meminfo's MemAvailable + SwapFree). *which names the limit that gave it, for messages. UINT64_MAX
 * (and *which "") when none of them can be read. */
uint64_t cli_host_memory_left(const char **which);

#endif
