/* `clinit sample --hist`: a terminal histogram of the values next to the count the distribution predicts. */
#ifndef CLINIT_CLI_HIST_H
#define CLINIT_CLI_HIST_H

#include "clinit.h"
#include "desc.h"

#include <stdint.h>
#include <stdio.h>

/* Prints on `to` 24 bins over [min, max] of the numel values of d->dtype at `values`: the count as a bar of
 * '#', and where the distribution spec resolves to on d predicts a count (uniform, normal, truncated normal),
 * that count as a '|' on the same scale and in digits. */
void cli_hist(FILE *to, const cli_tensor_desc *d, const clinit_init_spec *spec, uint64_t numel, const void *values);

#endif
