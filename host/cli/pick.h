/* Which OpenCL device CLINIT_DEVICE selects: for `clinit devices` (which marks it) and for clinit-mpi's ranks
 * (docs/MPI.md "Devices"). */
#ifndef CLINIT_CLI_PICK_H
#define CLINIT_CLI_PICK_H

#include "clinit.h"

#include <stddef.h>

/*
 * CLINIT_DEVICE as the library's clinit_ctx_create_default reads it, generalized to the k-th choice: "P:D"
 * names the device (whatever k); "gpu" or "cpu" picks the type; unset or empty, GPUs when there are any, else
 * every device. Among the devices of the chosen type, in P:D order, it takes number k mod their count; k = 0
 * is the library's own choice, and clinit-mpi passes the local rank so that a node's ranks spread over its
 * devices. 0, or -1 and a reason in why[why_size] (malformed, names no device, no device at all).
 */
int cli_pick_device(int k, cl_device_id *device, char *why, size_t why_size);

#endif
