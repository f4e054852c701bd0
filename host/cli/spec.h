/* Initializer specifications from names, as `clinit sample --param` and manifests give them, with
 * messages that say what is wrong and what would be right. */
#ifndef CLINIT_CLI_SPEC_H
#define CLINIT_CLI_SPEC_H

#include "clinit.h"
#include "desc.h"

#include <stddef.h>
#include <stdint.h>

/* The parameter PyTorch makes the caller give for `kind` (the library's registry marks it required), which
 * therefore has no default here either: "val" (constant), "sparsity" (sparse), "fan_in" (linear_default_bias:
 * the weight's); NULL for the others. */
const char *cli_spec_required(clinit_init_kind kind);

/* The parameter `name` of `kind` into *info (clinit_init_get_param_info): 0, or -1 when kind takes none such. */
int cli_spec_param(clinit_init_kind kind, const char *name, clinit_param_info *info);

/*
 * Checks everything a fill of spec on d checks without a device (clinit_validate) and gives the element
 * count (< 2^56).
 * 0 on success, else -1, the field at fault ("shape", "params.NAME" for the parameter the reason names, "params"
 * when it names none, "layout", "in_axes", "out_axes", "dtype" or "init"; valid until the next call) in *field
 * and a reason in why[why_size]; for "dtype" it starts with the dtype, without the C API's "tensor.dtype "
 * ("i32 with normal: integer tensors take …").
 */
int cli_spec_check(const clinit_init_spec *spec, const cli_tensor_desc *d, uint64_t *numel, const char **field,
                   char *why, size_t why_size);

/* The names of every initializer, ", "-separated, for messages. */
const char *cli_init_names(void);
/* "val (constant), fan_in (linear_default_bias), sparsity (sparse)": the parameters without a default, each with its
 * initializer, from the library's registry (the help's "@required"). */
const char *cli_required_names(void);

#endif
