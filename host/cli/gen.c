/* Generation on the device. Device time is read from profiling events of the context's in-order queue. */
#include "gen.h"

#include "cli.h"
#include "hostmem.h"
#include "outfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Whether dir is, or can be made, a folder this process can write: an existing folder it may write in, or a
 * missing one whose nearest existing ancestor is such a folder (PoCL makes the missing ones). */
static int usable_folder(const char *dir)
{
    char path[4096];
    struct stat sb;
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) return 0;
    for (;;) {
        if (stat(path, &sb) == 0) return S_ISDIR(sb.st_mode) && access(path, W_OK | X_OK) == 0;
        if (errno != ENOENT) return 0; /* ENOTDIR (a file on the way), EACCES, ELOOP, ... */
        char *slash = strrchr(path, '/');
        while (slash && slash > path && slash[1] == '\0') { /* "a/b/": the parent of b, not of "" */
            *slash = '\0';
            slash = strrchr(path, '/');
        }
        if (!slash) return usable_folder("."); /* a relative name's first part: the working folder */
        if (slash == path) return usable_folder("/");
        *slash = '\0';
    }
}

/* PoCL's compiler writes files of about 1.3 MB while it builds (even with a warm cache) and its kernel cache
 * more: a build that failed where less than this is left to write was most likely stopped by that. */
#define CLI_BUILD_ROOM (16u << 20)

/* Whether writing PoCL's files is short of room: the kernel cache folder `dir` (or its nearest existing ancestor)
 * on a file system with less than CLI_BUILD_ROOM bytes or no inode free, or a file-size limit (ulimit -f) below
 * it. 1 with what is short in note; 0. */
static int short_of_room(const char *dir, char *note, size_t size)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_FSIZE, &r) == 0 && r.rlim_cur != RLIM_INFINITY && r.rlim_cur < CLI_BUILD_ROOM) {
        snprintf(note, size,
                 "ulimit -f allows files of %llu bytes, and PoCL's compiler writes larger ones while it "
                 "builds: raise the limit",
                 (unsigned long long)r.rlim_cur);
        return 1;
    }
    char path[4096];
    struct statvfs fs;
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) return 0;
    for (char *slash; statvfs(path, &fs) != 0; *slash = '\0')
        if (errno != ENOENT || !(slash = strrchr(path, '/')) || slash == path) return 0;
    unsigned long long free_bytes = (unsigned long long)fs.f_bavail * fs.f_frsize;
    if (free_bytes >= CLI_BUILD_ROOM && (fs.f_favail > 0 || fs.f_files == 0)) return 0;
    snprintf(note, size,
             "PoCL's kernel cache folder \"%s\" is on a full file system, %llu bytes and %llu inodes "
             "free: PoCL reports a cache it cannot write as a failed build; free some room or set POCL_CACHE_DIR to "
             "another folder",
             dir, free_bytes, (unsigned long long)fs.f_favail);
    return 1;
}

/* PoCL reports a kernel cache folder it cannot write only as a failed build ("Device … failed to build the
 * program"), or, when the folder cannot even be made, as no device at all: when the folder PoCL 3 takes
 * (POCL_CACHE_DIR, else $XDG_CACHE_HOME/pocl, else $HOME/.cache/pocl, else /tmp/pocl) is not a writable folder
 * and cannot be made one, the message says which it is and what set it. */
static int context_error(const char *doing, clinit_status st, const clinit_ctx *ctx)
{
    const char *env = getenv("POCL_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char dir[4096], origin[64];
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s", env);
        origin[0] = '\0';
    } else if (xdg && *xdg) {
        snprintf(dir, sizeof dir, "%s/pocl", xdg);
        snprintf(origin, sizeof origin, "$XDG_CACHE_HOME/pocl");
    } else if (home && *home) {
        snprintf(dir, sizeof dir, "%s/.cache/pocl", home);
        snprintf(origin, sizeof origin, "$HOME/.cache/pocl");
    } else {
        snprintf(dir, sizeof dir, "/tmp/pocl");
        snprintf(origin, sizeof origin, "/tmp/pocl, HOME being unset");
    }
    if (st != CLINIT_ERROR_BUILD_FAILED && st != CLINIT_ERROR_DEVICE_NOT_FOUND) return cli_clinit_error(doing, st, ctx);
    char room[4800]; /* the folder's name (up to 4095 bytes) and the text around it */
    int usable = usable_folder(dir);
    if (usable && !short_of_room(dir, room, sizeof room)) return cli_clinit_error(doing, st, ctx);
    if (usable)
        return cli_runtime_error("%s: %s: %s (%s)", doing, clinit_status_string(st),
                                 cli_flatten(clinit_ctx_message(ctx)), room);
    const char *why = "PoCL keeps the compiled kernels there, and reports one it cannot write as a failed build or as "
                      "no device";
    if (!origin[0])
        return cli_runtime_error("%s: %s: %s (POCL_CACHE_DIR=\"%s\" is not a writable folder: %s)", doing,
                                 clinit_status_string(st), cli_flatten(clinit_ctx_message(ctx)), dir, why);
    return cli_runtime_error("%s: %s: %s (PoCL's kernel cache folder \"%s\" (POCL_CACHE_DIR unset: %s) is not a "
                             "writable folder: %s; set POCL_CACHE_DIR to a writable folder)",
                             doing, clinit_status_string(st), cli_flatten(clinit_ctx_message(ctx)), dir, origin, why);
}

/* The device's largest buffer and its whole memory (the commands check a model against both before any
 * work: an orthogonal fill's scratch can fit the one and not the other), and the probe every timed fill
 * needs. */
static int finish_open(cli_gen *g)
{
    cl_ulong max_alloc = 0, global_mem = 0;
    cl_device_id device = clinit_ctx_device(g->ctx);
    cl_int err = clGetDeviceInfo(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_alloc, &max_alloc, NULL);
    if (err != CL_SUCCESS)
        return cli_runtime_error("clGetDeviceInfo(CL_DEVICE_MAX_MEM_ALLOC_SIZE) failed: %s (%d)",
                                 clinit_cl_error_name(err), err);
    err = clGetDeviceInfo(device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof global_mem, &global_mem, NULL);
    if (err != CL_SUCCESS)
        return cli_runtime_error("clGetDeviceInfo(CL_DEVICE_GLOBAL_MEM_SIZE) failed: %s (%d)",
                                 clinit_cl_error_name(err), err);
    cl_bool unified = CL_FALSE; /* deprecated by OpenCL 2.0, still answered; an error leaves "not the host's" */
    (void)clGetDeviceInfo(device, CL_DEVICE_HOST_UNIFIED_MEMORY, sizeof unified, &unified, NULL);
    g->max_alloc = max_alloc;
    g->global_mem = global_mem;
    g->host_unified = unified == CL_TRUE;
    g->probe = clCreateBuffer(clinit_ctx_cl_context(g->ctx), CL_MEM_READ_WRITE, sizeof(float), NULL, &err);
    if (!g->probe)
        return cli_runtime_error("clCreateBuffer of %zu bytes failed: %s (%d)", sizeof(float),
                                 clinit_cl_error_name(err), err);
    return CLI_OK;
}

int cli_gen_reserve(cli_gen *g, size_t max_bytes, uint64_t scratch, const char *what)
{
    /* OpenCL has no empty buffers, and a fill of zero elements still wants one. */
    g->capacity = max_bytes ? max_bytes : sizeof(float);
    const char *which;
    uint64_t left = cli_host_memory_left(&which), on_device = g->host_unified ? g->capacity + scratch : 0;
    uint64_t need = g->capacity + on_device;
    if (need < on_device) need = UINT64_MAX; /* past 2^64 - 1: fits nothing */
    if (need > left) {
        char device[128] = "";
        if (on_device)
            snprintf(device, sizeof device, ", %" PRIu64 " for the device's buffers, host memory on this device",
                     on_device);
        return cli_usage_error("%s: needs %" PRIu64 " bytes of host memory (%zu for the values read back%s), above the "
                               "%" PRIu64 " bytes of %s",
                               what, need, g->capacity, device, left, which);
    }
    cl_int err;
    g->buffer = clCreateBuffer(clinit_ctx_cl_context(g->ctx), CL_MEM_WRITE_ONLY, g->capacity, NULL, &err);
    if (!g->buffer)
        return cli_runtime_error("clCreateBuffer of %zu bytes failed: %s (%d)", g->capacity, clinit_cl_error_name(err),
                                 err);
    g->host = malloc(g->capacity);
    if (!g->host) return cli_runtime_error("out of host memory for %zu bytes", g->capacity);
    return CLI_OK;
}

int cli_gen_open(cli_gen *g)
{
    memset(g, 0, sizeof *g);
    sigset_t saved;
    cli_outfile_signals_hold(&saved); /* the runtime starts here, with signal handlers of its own */
    clinit_status st = clinit_ctx_create_default(&g->ctx);
    cli_outfile_signals_release(&saved);
    if (st != CLINIT_SUCCESS) return context_error("creating the OpenCL context", st, g->ctx);
    g->queue = clinit_ctx_queue(g->ctx);
    return finish_open(g);
}

int cli_gen_open_device(cli_gen *g, cl_device_id device)
{
    memset(g, 0, sizeof *g);
    cl_platform_id platform;
    cl_int err = clGetDeviceInfo(device, CL_DEVICE_PLATFORM, sizeof platform, &platform, NULL);
    if (err != CL_SUCCESS) return cli_runtime_error("clGetDeviceInfo failed: %s (%d)", clinit_cl_error_name(err), err);
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)platform, 0};
    sigset_t saved;
    cli_outfile_signals_hold(&saved); /* as in cli_gen_open */
    cl_context context = clCreateContext(props, 1, &device, NULL, NULL, &err);
    /* Profiling, as the default context's queue has: fill times come from its events. */
    g->queue = context ? clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, &err) : NULL;
    g->owns_queue = g->queue != NULL;
    clinit_status st = g->queue ? clinit_ctx_create(&g->ctx, context, device) : CLINIT_SUCCESS;
    cli_outfile_signals_release(&saved);
    if (!context) return cli_runtime_error("clCreateContext failed: %s (%d)", clinit_cl_error_name(err), err);
    /* The queue and the clinit handle hold their own references to the context. */
    clReleaseContext(context);
    if (!g->queue) return cli_runtime_error("clCreateCommandQueue failed: %s (%d)", clinit_cl_error_name(err), err);
    if (st != CLINIT_SUCCESS) return context_error("creating the clinit context", st, g->ctx);
    return finish_open(g);
}

static int profile(cl_event ev, cl_profiling_info what, cl_ulong *ns)
{
    return clGetEventProfilingInfo(ev, what, sizeof *ns, ns, NULL) == CL_SUCCESS ? 0 : -1;
}

cl_int cli_gen_probe(const cli_gen *g, cl_event *ev)
{
    static const float zero = 0;
    return clEnqueueFillBuffer(g->queue, g->probe, &zero, sizeof zero, 0, sizeof zero, 0, NULL, ev);
}

/* A fill of one launch returns that kernel's event. A fill of several returns a marker, whose times are not
 * usable on every platform (NVIDIA's span nothing), or its last kernel's event (orthogonal), whose times
 * cover that kernel alone: then the probes ev[0] and ev[2], enqueued just before and after the fill on the
 * in-order queue, bound it. Other commands (clEnqueueFillBuffer, a kernel of `clinit bench`) carry their
 * own times. */
static int bounded_by_probes(const cl_event ev[3], uint64_t launches)
{
    cl_command_type type;
    if (clGetEventInfo(ev[1], CL_EVENT_COMMAND_TYPE, sizeof type, &type, NULL) != CL_SUCCESS) return -1;
    return launches > 1 || type == CL_COMMAND_MARKER || type == CL_COMMAND_BARRIER;
}

int cli_gen_command_ns(const cl_event ev[3], uint64_t launches, uint64_t *ns)
{
    cl_ulong start, end;
    int bounded = bounded_by_probes(ev, launches);
    if (bounded < 0) return -1;
    int own = !bounded;
    if (profile(own ? ev[1] : ev[0], own ? CL_PROFILING_COMMAND_START : CL_PROFILING_COMMAND_END, &start) ||
        profile(own ? ev[1] : ev[2], own ? CL_PROFILING_COMMAND_END : CL_PROFILING_COMMAND_START, &end))
        return -1;
    *ns = end > start ? end - start : 0;
    return 0;
}

/* Whom a failure names: tensors [first, first + count) of the manifest m as its own messages do (FILE:
 * tensors[i] "NAME", the first and last of several) and ": ", or nothing without a manifest. */
static void name_tensors(char *who, size_t size, const cli_manifest *m, size_t first, size_t count)
{
    *who = 0;
    if (!m) return;
    int n = snprintf(who, size, "%s%stensors[%zu] \"%s\"", m->path ? m->path : "", m->path ? ": " : "", first,
                     m->entries[first].name);
    if (n >= 0 && (size_t)n < size && count > 1)
        n += snprintf(who + n, size - (size_t)n, " to tensors[%zu] \"%s\"", first + count - 1,
                      m->entries[first + count - 1].name);
    if (n >= 0 && (size_t)n < size) snprintf(who + n, size - (size_t)n, ": ");
}

/* Enqueues a probe, the fill (clinit_fill of one tensor, or clinit_fill_batch), another probe and the
 * blocking read of `bytes` into g->host; sets *device_ns to the fill's device time and *bounded to whether
 * the probes bound it (several launches). */
static int timed_fill(cli_gen *g, const clinit_tensor *t, const clinit_init_spec *spec, uint64_t stream,
                      const clinit_batch_item *items, size_t count, uint64_t seed, size_t bytes, const cli_manifest *m,
                      size_t first, uint64_t *device_ns, int *bounded)
{
    cl_event ev[3] = {NULL, NULL, NULL}; /* probe, fill, probe */
    const char *failed = "clEnqueueFillBuffer";
    cl_int err = cli_gen_probe(g, &ev[0]);
    clinit_status st = CLINIT_SUCCESS;
    uint64_t launches = clinit_ctx_launch_count(g->ctx);
    if (err == CL_SUCCESS)
        st = items ? clinit_fill_batch(g->ctx, g->queue, items, count, seed, 0, NULL, &ev[1])
                   : clinit_fill(g->ctx, g->queue, t, spec, seed, stream, 0, NULL, &ev[1]);
    launches = clinit_ctx_launch_count(g->ctx) - launches;
    if (err == CL_SUCCESS && st == CLINIT_SUCCESS) err = cli_gen_probe(g, &ev[2]);
    if (err == CL_SUCCESS && st == CLINIT_SUCCESS) {
        failed = "clEnqueueReadBuffer";
        err = clEnqueueReadBuffer(g->queue, g->buffer, CL_TRUE, 0, bytes, g->host, 0, NULL, NULL);
    }
    int rc = CLI_OK;
    uint64_t ns = 0;
    if (st != CLINIT_SUCCESS || err != CL_SUCCESS || cli_gen_command_ns(ev, launches, &ns) != 0) {
        const char *detail = st != CLINIT_SUCCESS ? cli_flatten(clinit_ctx_message(g->ctx)) : "";
        size_t item = 0;
        int used = 0;
        /* The library names the item of a batch that failed by its index ("items[i]: "), which the user never
         * saw: the tensor's name replaces it. A failure of no one item (one launch or table for several, the
         * marker, the read-back) names the batch's first and last tensor. */
        if (items && sscanf(detail, "items[%zu]: %n", &item, &used) == 1 && used > 0 && item < count) {
            detail += used;
            first += item;
            count = 1;
        }
        char who[8192];
        name_tensors(who, sizeof who, m, first, items ? count : 1);
        if (st != CLINIT_SUCCESS)
            rc = cli_runtime_error("%sfilling on the device: %s%s%s", who, clinit_status_string(st),
                                   *detail ? ": " : "", detail);
        else if (err != CL_SUCCESS)
            rc = cli_runtime_error("%s%s failed: %s (%d)", who, failed, clinit_cl_error_name(err), err);
        else
            rc = cli_runtime_error("%sreading the fill's profiling times failed", who);
    }
    *device_ns = ns;
    *bounded = rc == CLI_OK && bounded_by_probes(ev, launches) == 1;
    for (int i = 0; i < 3; i++)
        if (ev[i]) clReleaseEvent(ev[i]);
    return rc;
}

/* Marks (kind, dtype) as filled once, in a batch or alone; 1 when it was not yet. */
static int first_use(cli_gen *g, int batch, clinit_init_kind kind, clinit_dtype dtype)
{
    if ((unsigned)kind >= 64 || (unsigned)dtype >= 4) return 0;
    uint64_t bit = (uint64_t)1 << (unsigned)kind, *seen = &g->filled[batch != 0][dtype];
    int first = !(*seen & bit);
    *seen |= bit;
    return first;
}

/* The fill, timed. A runtime may compile a kernel when it is first enqueued (PoCL does, seconds on a cold
 * kernel cache), which is no device time: a fill of one launch is timed by its own event, which starts after
 * that, but the probes around a fill of several launches also bound the compilations between them. So the
 * first such fill of each initializer and dtype (in a batch or alone) runs twice, the second one timed: the
 * same call writes the same bytes. */
static int fill_once_warm(cli_gen *g, const clinit_tensor *t, const clinit_init_spec *spec, uint64_t stream,
                          clinit_batch_item *items, size_t count, uint64_t seed, size_t bytes, const cli_manifest *m,
                          size_t first, uint64_t *device_ns)
{
    uint64_t ns = 0;
    int bounded = 0;
    int rc = timed_fill(g, t, spec, stream, items, count, seed, bytes, m, first, &ns, &bounded);
    int again = 0;
    for (size_t i = 0; rc == CLI_OK && bounded && i < (items ? count : 1); i++)
        again |=
            items ? first_use(g, 1, items[i].spec.kind, items[i].tensor.dtype) : first_use(g, 0, spec->kind, t->dtype);
    if (again) rc = timed_fill(g, t, spec, stream, items, count, seed, bytes, m, first, &ns, &bounded);
    if (rc == CLI_OK) *device_ns += ns;
    return rc;
}

int cli_gen_fill(cli_gen *g, const cli_tensor_desc *d, const int64_t *box_start, const int64_t *box_extent,
                 const clinit_init_spec *spec, uint64_t seed, uint64_t stream, const cli_manifest *m, size_t index,
                 uint64_t *device_ns)
{
    clinit_tensor t = cli_desc_tensor(d, g->buffer);
    if (box_start) {
        t.has_box = 1;
        memcpy(t.box_start, box_start, (size_t)d->rank * sizeof *box_start);
        memcpy(t.box_extent, box_extent, (size_t)d->rank * sizeof *box_extent);
    }
    int64_t numel = 0;
    clinit_tensor_numel(&t, &numel); /* the caller validated the tensor and the box */
    if (numel == 0) return CLI_OK;
    return fill_once_warm(g, &t, spec, stream, NULL, 0, seed, (size_t)numel * clinit_dtype_size(d->dtype), m, index,
                          device_ns);
}

int cli_gen_fill_batch(cli_gen *g, clinit_batch_item *items, size_t count, size_t bytes, uint64_t seed,
                       const cli_manifest *m, size_t first, uint64_t *device_ns)
{
    if (bytes == 0) return CLI_OK;
    for (size_t i = 0; i < count; i++) items[i].tensor.buffer = g->buffer;
    return fill_once_warm(g, NULL, NULL, 0, items, count, seed, bytes, m, first, device_ns);
}

void cli_gen_close(cli_gen *g)
{
    /* The library does not wait for enqueued work; after a failed read a fill may still be running.
     * Its result no longer matters, only that it ends before the buffer goes. */
    if (g->queue) (void)clFinish(g->queue);
    free(g->host);
    if (g->buffer) clReleaseMemObject(g->buffer);
    if (g->probe) clReleaseMemObject(g->probe);
    if (g->owns_queue) clReleaseCommandQueue(g->queue);
    clinit_ctx_destroy(g->ctx);
    memset(g, 0, sizeof *g);
}
