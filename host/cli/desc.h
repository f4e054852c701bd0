/* The description of one tensor as the commands and manifests give it: rank, shape, how fans are read from
 * it (layout, and the axes of layout "axes") and the element type. Every command builds one and hands it on;
 * the library's clinit_tensor is made from it where a fill or a check needs one. */
#ifndef CLINIT_CLI_DESC_H
#define CLINIT_CLI_DESC_H

#include "clinit.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cli_tensor_desc {
    int rank;
    int64_t shape[CLINIT_MAX_RANK];
    clinit_layout layout;
    uint32_t in_axes, out_axes, batch_axes; /* layout CLINIT_LAYOUT_AXES: bit d = dimension d */
    clinit_dtype dtype;
} cli_tensor_desc;

/* The names of the three axes lists, in the order cli_desc_check_axes counts them. */
enum { CLI_IN_AXES, CLI_OUT_AXES, CLI_BATCH_AXES };

/* The tensor of d, whole, at offset 0 of buffer (NULL for checks that need no buffer). */
clinit_tensor cli_desc_tensor(const cli_tensor_desc *d, cl_mem buffer);
/* Elements (∏ shape; the caller has validated the shape). */
uint64_t cli_desc_numel(const cli_tensor_desc *d);
/* fan_in of d's layout (and axes). CLINIT_SUCCESS, or the status of clinit_compute_fans(_axes). */
clinit_status cli_desc_fan_in(const cli_tensor_desc *d, int64_t *fan_in);

/* "oi", "io" or "axes". 0 on success, else -1 and a reason (with the nearest name) in why[why_size]. */
int cli_parse_layout(const char *text, clinit_layout *out, char *why, size_t why_size);
/* The name of a layout ("oi", …). */
const char *cli_layout_name(clinit_layout layout);

/* Adds dimension `axis` to *mask: axis in [-rank, rank), a negative one counted from the end (-1 the last), as
 * in the Python binding. 0, or -1 and a reason in why ("axis 5 is out of range for rank 3 (axes are in [-3,
 * 3))", "axis 1 given twice", "axis -2 is dimension 1, given twice"). */
int cli_axes_add(uint32_t *mask, int64_t axis, int rank, char *why, size_t why_size);
/* "0", "1,2", "-1" or "" (none): strict decimals with an optional '-', each an axis of the rank; as
 * cli_axes_add. */
int cli_parse_axes(const char *text, int rank, uint32_t *mask, char *why, size_t why_size);
/* The three lists share no dimension. 0, or -1, the list (CLI_*_AXES) that repeats an axis of an earlier one
 * in *which and a reason in why. */
int cli_desc_check_axes(const cli_tensor_desc *d, int *which, char *why, size_t why_size);

#endif
