/* Which OpenCL device a rank uses (docs/MPI.md "Devices"). */
#ifndef CLINIT_MPI_DEVICE_H
#define CLINIT_MPI_DEVICE_H

#include "clinit.h"

/*
 * CLINIT_DEVICE as `clinit` reads it, per rank: "P:D" names the device of every rank; "gpu" or "cpu" picks the
 * type; unset or empty, GPUs when there are any, else every device. Among the devices of the chosen type,
 * in P:D order, the rank takes number local_rank mod their count, so the ranks of a node spread over its
 * devices. CLI_OK, or CLI_RUNTIME after a message (as `clinit` when CLINIT_DEVICE names no device).
 */
int mpi_pick_device(int local_rank, cl_device_id *device);

#endif
