/* Which matrix orthogonal and delta_orthogonal make orthogonal, and where each tensor element finds its value
 * in it: each framework's rule (docs/ALGORITHMS.md §4, "orthogonal and delta_orthogonal").
 *   orthogonal, PyTorch (layout OI and AXES; IO in generation 1): R = shape[0], C = the rest;
 *   orthogonal, Keras (layout IO from generation 2 on): R = ∏ shape[0..rank−2], C = shape[rank−1];
 *   orthogonal, JAX (column_axis given, any layout): C = shape[axis], R = the other axes row-major;
 *   delta_orthogonal, JAX: the (in, out) matrix, or with column_axis 0 (in) the transpose of an (out, in) one.
 * A rule that keeps the matrix's elements in the tensor's own row-major order needs nothing more; the others
 * (a column axis before the last) are a strided view: the tensor element at multi-index x holds the matrix
 * element whose index in the view is Σ x_d·vstride[d] — only the host geometry changes, not the kernels. */
#include "internal.h"

#include <string.h>

/* The column axis of an orthogonal fill in [0, rank), or -1 for PyTorch's rule. */
static int orthogonal_column_axis(const clinit_tensor *t, const clinit_init_spec *spec)
{
    if (spec->has_column_axis) return spec->column_axis < 0 ? spec->column_axis + t->rank : spec->column_axis;
    if (t->layout == CLINIT_LAYOUT_IO && ci_spec_generation(spec) >= CLINIT_GENERATION_KERAS_IO) return t->rank - 1;
    return -1;
}

/* The view's strides when the tensor's axis `column` holds the columns (stride 1) and the other axes, in their
 * order, the rows (stride C times the extents of the later ones); whether they differ from the tensor's own
 * row-major strides on an axis of extent above 1. */
static int column_view(const clinit_tensor *t, int column, uint64_t C, uint64_t vstride[CLINIT_MAX_RANK])
{
    uint64_t row = C, own = 1;
    int permuted = 0;
    for (int d = t->rank - 1; d >= 0; d--) {
        uint64_t extent = (uint64_t)t->shape[d];
        vstride[d] = d == column ? 1 : row;
        if (d != column) row *= extent;
        permuted |= extent > 1 && vstride[d] != own;
        own *= extent;
    }
    return permuted;
}

static void orthogonal_plan(const clinit_tensor *t, const clinit_init_spec *spec, ci_orth_plan *p)
{
    int column = orthogonal_column_axis(t, spec);
    uint64_t rest = 1;
    for (int d = 0; d < t->rank; d++)
        if (d != (column < 0 ? 0 : column)) rest *= (uint64_t)t->shape[d];
    p->kernel_outer = 1;
    if (column < 0) { /* PyTorch: the rest flattened row-major, the tensor's own order */
        p->R = (uint64_t)t->shape[0];
        p->C = rest;
        return;
    }
    p->R = rest;
    p->C = (uint64_t)t->shape[column];
    p->permuted = column_view(t, column, p->C, p->vstride);
    if (!p->permuted) memset(p->vstride, 0, sizeof p->vstride); /* unused: equal rules make equal plans */
}

/* JAX: the orthogonal (in, out) matrix at the centre tap (k − 1) // 2 of every kernel dimension, seen as
 * (K, in, out) (IO) or (out, in, K) (OI); column_axis 0 (in) makes it the transpose of the orthogonal
 * (out, in) matrix, a view (K, out, in) whatever the layout. */
static void delta_plan(const clinit_tensor *t, const clinit_init_spec *spec, ci_orth_plan *p)
{
    const int64_t *sh = t->shape;
    int rank = t->rank, oi = t->layout == CLINIT_LAYOUT_OI;
    int k0 = oi ? 2 : 0, k1 = oi ? rank : rank - 2, in_axis = oi ? 1 : rank - 2, out_axis = oi ? 0 : rank - 1;
    for (int d = k0; d < k1; d++) {
        p->centre = p->centre * (uint64_t)sh[d] + (uint64_t)(sh[d] - 1) / 2;
        p->K *= (uint64_t)sh[d];
    }
    uint64_t in = (uint64_t)sh[in_axis], out = (uint64_t)sh[out_axis];
    int in_columns = spec->has_column_axis && (spec->column_axis == 0 || spec->column_axis == -2);
    if (!in_columns) {
        p->R = in;
        p->C = out;
        p->kernel_outer = !oi;
        return;
    }
    p->R = out;
    p->C = in;
    p->kernel_outer = 1;
    uint64_t tap = in * out; /* the view's stride of the last kernel dimension */
    for (int d = k1 - 1; d >= k0; d--) {
        p->vstride[d] = tap;
        tap *= (uint64_t)sh[d];
    }
    p->vstride[in_axis] = 1;
    p->vstride[out_axis] = in;
    p->permuted = 1;
}

void ci_orth_plan_of(const clinit_tensor *t, const clinit_init_spec *spec, ci_orth_plan *p)
{
    memset(p, 0, sizeof *p);
    p->K = 1;
    if (spec->kind == CLINIT_INIT_ORTHOGONAL)
        orthogonal_plan(t, spec, p);
    else
        delta_plan(t, spec, p);
    p->m = p->R >= p->C ? p->R : p->C;
    p->n = p->R >= p->C ? p->C : p->R;
}

void ci_orth_geometry(const clinit_tensor *t, const ci_orth_plan *p, const ci_geometry *g, ci_geometry *out)
{
    if (!p->permuted) {
        *out = *g;
        return;
    }
    /* One element per run, every axis a digit of the run's number with the view's stride. */
    memset(out, 0, sizeof *out);
    out->numel = g->numel;
    out->rows = g->numel;
    out->run_len = 1;
    for (int d = 0; d < CLINIT_MAX_RANK; d++) out->oext[d] = 1;
    for (int d = 0; d < t->rank; d++) {
        uint64_t start = t->has_box ? (uint64_t)t->box_start[d] : 0;
        uint64_t extent = t->has_box ? (uint64_t)t->box_extent[d] : (uint64_t)t->shape[d];
        if (extent == 1) { /* as ci_geometry_from_tensor: the kernels skip axes of extent 1 */
            out->run_base += start * p->vstride[d];
            continue;
        }
        out->ostart[d] = start;
        out->oext[d] = extent;
        out->ostride[d] = p->vstride[d];
    }
}
