/* Generation on the device for the commands: one clinit context, one device buffer reused for every
 * tensor, and a host buffer the values are read back into. */
#ifndef CLINIT_CLI_GEN_H
#define CLINIT_CLI_GEN_H

#include "clinit.h"
#include "desc.h"
#include "manifest.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cli_gen {
    clinit_ctx *ctx;
    cl_command_queue queue;
    cl_mem buffer;
    cl_mem probe;          /* 4 bytes that timing commands write around a fill */
    unsigned char *host;   /* the last fill's values, as the device wrote them (any dtype) */
    size_t capacity;       /* bytes of buffer and host */
    uint64_t max_alloc;    /* CL_DEVICE_MAX_MEM_ALLOC_SIZE: the largest buffer the device creates */
    uint64_t global_mem;   /* CL_DEVICE_GLOBAL_MEM_SIZE: what all its buffers together may hold */
    int host_unified;      /* CL_DEVICE_HOST_UNIFIED_MEMORY: the device's buffers are host memory */
    int owns_queue;        /* cli_gen_open_device made the queue: release it */
    uint64_t filled[2][4]; /* [in a batch][dtype]: bit k set once a fill of several launches of init kind k ran */
} cli_gen;

/* A context on the CLINIT_DEVICE device, no buffers yet (cli_gen_reserve). CLI_OK, or CLI_RUNTIME after a
 * message (cli_gen_close is still needed). */
int cli_gen_open(cli_gen *g);
/* As cli_gen_open, on the device the caller chose (clinit-mpi: one device per rank), with an OpenCL context
 * and in-order profiling queue of its own. */
int cli_gen_open_device(cli_gen *g, cl_device_id device);
/* The device and host buffers, max_bytes each; the caller has checked max_bytes against g->max_alloc, so
 * that the message can name the tensor. First they, and `scratch` bytes of the library's scratch the fills will
 * add on the device (clinit_scratch_bytes' total, 0 for most initializers), are checked against the host memory
 * left (cli_host_memory_left): the host buffer always, the device's too where the device's memory is the host's
 * (CL_DEVICE_HOST_UNIFIED_MEMORY: a CPU device, PoCL). CLI_OK; CLI_USAGE after "WHAT: needs N bytes of host
 * memory …" when they do not fit; CLI_RUNTIME after a message when an allocation fails. */
int cli_gen_reserve(cli_gen *g, size_t max_bytes, uint64_t scratch, const char *what);

/* Fills the tensor d on the device, or only the box [box_start, box_start + box_extent) of it (a
 * tensor-parallel shard; box_start NULL: the whole tensor; values and fans are the whole tensor's either way),
 * reads the values back into g->host and adds the fill's device time to *device_ns (never the time a runtime
 * spends compiling a kernel at its first enqueue: see fill_once_warm in gen.c). d is tensor `index` of
 * the manifest m, which a failed fill's message names as the manifest's own messages do (FILE: tensors[i]
 * "NAME"); m NULL: a tensor of the command line, which needs no name. CLI_OK, or CLI_RUNTIME after a message. */
int cli_gen_fill(cli_gen *g, const cli_tensor_desc *d, const int64_t *box_start, const int64_t *box_extent,
                 const clinit_init_spec *spec, uint64_t seed, uint64_t stream, const cli_manifest *m, size_t index,
                 uint64_t *device_ns);

/* As cli_gen_fill, for `count` tensors in one clinit_fill_batch: their buffer is set to g->buffer, their
 * offsets are the caller's; `bytes` from the buffer's start are read back into g->host. Item i is tensor
 * first + i of m: a failure the library pins on item i names that tensor, any other the batch's first and
 * last. */
int cli_gen_fill_batch(cli_gen *g, clinit_batch_item *items, size_t count, size_t bytes, uint64_t seed,
                       const cli_manifest *m, size_t first, uint64_t *device_ns);

/* Timing any command on g->queue: enqueue a probe (a 4-byte fill of g->probe, a command with trustworthy
 * profiling times), the command, another probe; once all three are complete, cli_gen_command_ns gives the
 * command's device nanoseconds, `launches` being the kernel launches the command made (the change of
 * clinit_ctx_launch_count; 0 for a command that is not a clinit fill). 0 on success, -1 when the profiling
 * times cannot be read. */
cl_int cli_gen_probe(const cli_gen *g, cl_event *ev);
int cli_gen_command_ns(const cl_event ev[3], uint64_t launches, uint64_t *ns);

void cli_gen_close(cli_gen *g);

#endif
