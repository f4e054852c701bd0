/* Generation on the device for the commands: one clinit context, one device buffer reused for every
 * tensor, and a host buffer the values are read back into. */
#ifndef CLINIT_CLI_GEN_H
#define CLINIT_CLI_GEN_H

#include "clinit.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cli_gen {
    clinit_ctx *ctx;
    cl_command_queue queue;
    cl_mem buffer;
    cl_mem probe; /* 4 bytes that timing commands write around a fill */
    float *host;
    size_t capacity; /* bytes of buffer and host */
} cli_gen;

/* A context on the CLINIT_DEVICE device, buffers for max_bytes. CLI_OK, or CLI_RUNTIME after a message
 * (cli_gen_close is still needed). */
int cli_gen_open(cli_gen *g, size_t max_bytes);

/* Fills the tensor (shape, layout) on the device, reads its numel values back into g->host and adds the
 * fill's device time to *device_ns. CLI_OK, or CLI_RUNTIME after a message. */
int cli_gen_fill(cli_gen *g, int rank, const int64_t *shape, clinit_layout layout, const clinit_init_spec *spec,
                 uint64_t seed, uint64_t stream, size_t numel, uint64_t *device_ns);

void cli_gen_close(cli_gen *g);

#endif
