/* The one line `clinit sample` prints: the sample's statistics next to what the initializer resolves to. */
#ifndef CLINIT_CLI_SUMMARY_H
#define CLINIT_CLI_SUMMARY_H

#include "clinit.h"
#include "desc.h"

#include <stdint.h>
#include <stdio.h>

/* Prints "INIT shape (…) DTYPE n=N mean … std … min … max … expected: …" on `to` for the numel values of
 * d->dtype at `values` (16-bit values widened exactly), generated with spec. */
void cli_summary(FILE *to, const char *init, const cli_tensor_desc *d, const clinit_init_spec *spec,
                 uint64_t numel, const void *values);

#endif
