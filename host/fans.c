/* Fans and gains: pure C, no OpenCL (PyTorch torch/nn/init.py, Keras and JAX _compute_fans). */
#include "internal.h"

#include <math.h>

/* The element-count rule of ci_shape_numel (no negative extent; below 2^56 elements unless an extent is 0),
 * which bounds every fan of a non-empty shape. */
static int dims_fit(int rank, const int64_t *shape)
{
    uint64_t n;
    char what[1];
    return ci_shape_numel(rank, shape, &n, what, sizeof what) == CLINIT_SUCCESS;
}

/* a·b into *p unless it leaves int64_t: an empty shape's fans are not bounded by its element count. */
static int mul_fits(int64_t a, int64_t b, int64_t *p) { return !__builtin_mul_overflow(a, b, p); }
/* Keras 3's compute_fans below rank 2: 1 and 1 for a scalar, n and n for a vector of n. */
static clinit_status keras_low_rank_fans(int rank, const int64_t *shape, int64_t *fan_in, int64_t *fan_out)
{
    if (rank == 1 && !shape) return CLINIT_ERROR_NULL_ARGUMENT;
    if (rank == 1 && !dims_fit(rank, shape)) return CLINIT_ERROR_INVALID_SHAPE;
    int64_t n = rank == 0 ? 1 : shape[0];
    if (fan_in) *fan_in = n;
    if (fan_out) *fan_out = n;
    return CLINIT_SUCCESS;
}

clinit_status clinit_compute_fans(int rank, const int64_t *shape, clinit_layout layout, int64_t *fan_in,
                                  int64_t *fan_out)
{
    if (rank < 0 || rank > CLINIT_MAX_RANK) return CLINIT_ERROR_INVALID_RANK;
    /* Each framework's rule below rank 2: Keras's fans under IO, PyTorch's refusal otherwise. */
    if (rank < 2 && layout == CLINIT_LAYOUT_IO) return keras_low_rank_fans(rank, shape, fan_in, fan_out);
    if (rank < 2) return CLINIT_ERROR_INVALID_RANK;
    if (!shape) return CLINIT_ERROR_NULL_ARGUMENT;
    /* Layout AXES needs the masks: clinit_compute_fans_axes. */
    if (layout != CLINIT_LAYOUT_OI && layout != CLINIT_LAYOUT_IO) return CLINIT_ERROR_INVALID_LAYOUT;
    if (!dims_fit(rank, shape)) return CLINIT_ERROR_INVALID_SHAPE;
    /* Both layouts put the receptive field on the axes that are neither in nor out. */
    int in_axis = layout == CLINIT_LAYOUT_OI ? 1 : rank - 2;
    int out_axis = layout == CLINIT_LAYOUT_OI ? 0 : rank - 1;
    int64_t receptive = 1, in, out;
    int fits = 1;
    for (int d = 0; d < rank; d++)
        if (d != in_axis && d != out_axis) fits &= mul_fits(receptive, shape[d], &receptive);
    fits &= mul_fits(shape[in_axis], receptive, &in) & mul_fits(shape[out_axis], receptive, &out);
    if (!fits) return CLINIT_ERROR_INVALID_SHAPE;
    if (fan_in) *fan_in = in;
    if (fan_out) *fan_out = out;
    return CLINIT_SUCCESS;
}

clinit_status clinit_compute_fans_axes(int rank, const int64_t *shape, uint32_t in_axes, uint32_t out_axes,
                                       uint32_t batch_axes, int64_t *fan_in, int64_t *fan_out)
{
    if (rank < 2 || rank > CLINIT_MAX_RANK) return CLINIT_ERROR_INVALID_RANK;
    if (!shape) return CLINIT_ERROR_NULL_ARGUMENT;
    uint32_t all = (1u << rank) - 1;
    if (!in_axes || !out_axes || (in_axes & out_axes) || (in_axes & batch_axes) || (out_axes & batch_axes) ||
        ((in_axes | out_axes | batch_axes) & ~all))
        return CLINIT_ERROR_INVALID_LAYOUT;
    if (!dims_fit(rank, shape)) return CLINIT_ERROR_INVALID_SHAPE;
    int64_t in = 1, out = 1, receptive = 1;
    int fits = 1;
    for (int d = 0; d < rank; d++) {
        uint32_t bit = 1u << d;
        if (in_axes & bit)
            fits &= mul_fits(in, shape[d], &in);
        else if (out_axes & bit)
            fits &= mul_fits(out, shape[d], &out);
        else if (!(batch_axes & bit))
            fits &= mul_fits(receptive, shape[d], &receptive);
    }
    fits &= mul_fits(in, receptive, &in) & mul_fits(out, receptive, &out);
    if (!fits) return CLINIT_ERROR_INVALID_SHAPE;
    if (fan_in) *fan_in = in;
    if (fan_out) *fan_out = out;
    return CLINIT_SUCCESS;
}

clinit_status ci_tensor_fans(const clinit_tensor *t, int64_t *fan_in, int64_t *fan_out)
{
    if (t->layout == CLINIT_LAYOUT_AXES)
        return clinit_compute_fans_axes(t->rank, t->shape, t->in_axes, t->out_axes, t->batch_axes, fan_in, fan_out);
    return clinit_compute_fans(t->rank, t->shape, t->layout, fan_in, fan_out);
}

clinit_status clinit_calculate_gain(clinit_nonlinearity nl, double param, double *gain)
{
    if (!gain) return CLINIT_ERROR_NULL_ARGUMENT;
    switch (nl) {
    case CLINIT_NL_LINEAR:
    case CLINIT_NL_CONV1D:
    case CLINIT_NL_CONV2D:
    case CLINIT_NL_CONV3D:
    case CLINIT_NL_CONV_TRANSPOSE1D:
    case CLINIT_NL_CONV_TRANSPOSE2D:
    case CLINIT_NL_CONV_TRANSPOSE3D:
    case CLINIT_NL_SIGMOID: *gain = 1.0; return CLINIT_SUCCESS;
    case CLINIT_NL_TANH: *gain = 5.0 / 3; return CLINIT_SUCCESS;
    case CLINIT_NL_RELU: *gain = sqrt(2.0); return CLINIT_SUCCESS;
    case CLINIT_NL_LEAKY_RELU:
        if (!isfinite(param)) return CLINIT_ERROR_INVALID_PARAMETER;
        /* Same operation order as PyTorch (math.sqrt(2.0 / (1 + negative_slope ** 2))) for the same bits, except
         * where 1 + param² overflows (|param| > ~1.3e154): there PyTorch's 0 is an artefact of the overflow, and
         * √2 / hypot(1, param) is the formula's value, still > 0. */
        if (isfinite(1 + param * param))
            *gain = sqrt(2.0 / (1 + param * param));
        else
            *gain = sqrt(2.0) / hypot(1.0, param);
        return CLINIT_SUCCESS;
    case CLINIT_NL_SELU: *gain = 3.0 / 4; return CLINIT_SUCCESS;
    }
    return CLINIT_ERROR_INVALID_NONLINEARITY;
}
