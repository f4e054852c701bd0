/* Tensor descriptions. Axes lists are checked here, before the library sees them, so that a message can
 * name the list and the axis at fault instead of three bit masks. */
#include "desc.h"

#include "args.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>

static const char *const layouts[] = {
    [CLINIT_LAYOUT_OI] = "oi", [CLINIT_LAYOUT_IO] = "io", [CLINIT_LAYOUT_AXES] = "axes"};
static const char *const axes_names[] = {"in_axes", "out_axes", "batch_axes"};

clinit_tensor cli_desc_tensor(const cli_tensor_desc *d, cl_mem buffer)
{
    clinit_tensor t = {.buffer = buffer,
                       .dtype = d->dtype,
                       .rank = d->rank,
                       .layout = d->layout,
                       .in_axes = d->in_axes,
                       .out_axes = d->out_axes,
                       .batch_axes = d->batch_axes};
    memcpy(t.shape, d->shape, sizeof t.shape);
    return t;
}

uint64_t cli_desc_numel(const cli_tensor_desc *d)
{
    uint64_t n = 1;
    for (int i = 0; i < d->rank; i++) n *= (uint64_t)d->shape[i];
    return n;
}

clinit_status cli_desc_fan_in(const cli_tensor_desc *d, int64_t *fan_in)
{
    if (d->layout == CLINIT_LAYOUT_AXES)
        return clinit_compute_fans_axes(d->rank, d->shape, d->in_axes, d->out_axes, d->batch_axes, fan_in, NULL);
    return clinit_compute_fans(d->rank, d->shape, d->layout, fan_in, NULL);
}

int cli_parse_layout(const char *text, clinit_layout *out, char *why, size_t why_size)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (strcmp(text, layouts[i]) == 0) {
            *out = (clinit_layout)i;
            return 0;
        }
    snprintf(why, why_size, "unknown layout \"%s\": %s", text, cli_suggest(text, "oi, io, axes"));
    return -1;
}

const char *cli_layout_name(clinit_layout layout)
{
    return (size_t)layout < sizeof layouts / sizeof layouts[0] ? layouts[layout] : "?";
}

int cli_axes_add(uint32_t *mask, int64_t axis, int rank, char *why, size_t why_size)
{
    /* As the Python binding (and numpy): [-rank, rank), a negative axis counted from the end. */
    if (axis < -rank || axis >= rank) {
        snprintf(why, why_size, "axis %lld is out of range for rank %d (axes are in [-%d, %d))", (long long)axis, rank,
                 rank, rank);
        return -1;
    }
    int d = (int)(axis < 0 ? axis + rank : axis);
    if (*mask & (1u << d)) {
        if (axis < 0)
            snprintf(why, why_size, "axis %lld is dimension %d, given twice", (long long)axis, d);
        else
            snprintf(why, why_size, "axis %lld given twice", (long long)axis);
        return -1;
    }
    *mask |= 1u << d;
    return 0;
}

int cli_parse_axes(const char *text, int rank, uint32_t *mask, char *why, size_t why_size)
{
    int64_t axes[CLINIT_MAX_RANK];
    int n;
    *mask = 0;
    if (cli_parse_ints(text, "axis", 1, axes, &n, why, why_size) != 0) return -1;
    for (int i = 0; i < n; i++)
        if (cli_axes_add(mask, axes[i], rank, why, why_size) != 0) return -1;
    return 0;
}

int cli_desc_check_axes(const cli_tensor_desc *d, int *which, char *why, size_t why_size)
{
    const uint32_t masks[] = {d->in_axes, d->out_axes, d->batch_axes};
    for (int j = 1; j < 3; j++)
        for (int i = 0; i < j; i++) {
            uint32_t both = masks[i] & masks[j];
            if (!both) continue;
            int axis = 0;
            while (!(both & (1u << axis))) axis++;
            *which = j;
            snprintf(why, why_size, "axis %d is in %s too", axis, axes_names[i]);
            return -1;
        }
    return 0;
}
