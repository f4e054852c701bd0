/* The one line `clinit sample` prints: the sample's statistics next to what the initializer resolves to. */
#ifndef CLINIT_CLI_SUMMARY_H
#define CLINIT_CLI_SUMMARY_H

#include "clinit.h"
#include "desc.h"

#include <stdint.h>
#include <stdio.h>

/* Prints "INIT shape (…) DTYPE n=N mean … std … min … max … expected: …" on `to` for the numel values of
 * d->dtype at `values` (16-bit values widened exactly), generated with spec on the tensor d. With a box
 * (box_start and box_extent, rank d->rank; NULL for none), the values are that box's, and the line shows the
 * box's shape and bounds before the whole tensor's shape, whose fans the expected distribution has:
 * "INIT shape (3, 10): box [2, 5) x [0, 10) of (10, 10) DTYPE n=30 …". */
void cli_summary(FILE *to, const char *init, const cli_tensor_desc *d, const int64_t *box_start,
                 const int64_t *box_extent, const clinit_init_spec *spec, uint64_t numel, const void *values);

#endif
