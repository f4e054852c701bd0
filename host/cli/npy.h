/* NumPy .npy files, format version 1.0 (numpy/lib/format.py): float32 or float16, little-endian, C order. */
#ifndef CLINIT_CLI_NPY_H
#define CLINIT_CLI_NPY_H

#include "desc.h"
#include "outfile.h"

#include <stddef.h>
#include <stdint.h>

/* Python's tuple syntax for a shape: "(64, 3, 7, 7)", "(5,)", "()". */
void cli_shape_tuple(char *buf, size_t size, int rank, const int64_t *shape);

/* Writes the header and the ∏shape values of d->dtype (one NumPy has: not bf16). CLI_OK, or CLI_RUNTIME after a
 * message. */
int cli_npy_write(cli_outfile *o, const cli_tensor_desc *d, const void *values);

#endif
