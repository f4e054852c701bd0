/* Initializer specifications from names, as `clinit sample --param` and manifests give them, with
 * messages that say what is wrong and what would be right. */
#ifndef CLINIT_CLI_SPEC_H
#define CLINIT_CLI_SPEC_H

#include "clinit.h"

#include <stddef.h>
#include <stdint.h>

/* Sets parameter name = value of spec. 0 on success, else -1 and a reason in why[why_size]. */
int cli_spec_set(clinit_init_spec *spec, const char *name, const char *value, char *why, size_t why_size);

/*
 * Checks everything a fill of (spec, shape, layout) checks without a device (clinit_validate) and gives the
 * element count (< 2^56).
 * 0 on success, else -1, the field at fault ("shape", "params", "layout" or "init") in *field and a reason
 * in why[why_size].
 */
int cli_spec_check(const clinit_init_spec *spec, int rank, const int64_t *shape, clinit_layout layout,
                   uint64_t *numel, const char **field, char *why, size_t why_size);

/* The names of every initializer, ", "-separated, for messages. */
const char *cli_init_names(void);

#endif
