/* Tensor validation and the row/run geometry shared by the device dispatch and the host reference. */
#include "internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

size_t clinit_dtype_size(clinit_dtype dtype)
{
    switch (dtype) {
    case CLINIT_F32: return 4;
    case CLINIT_F16:
    case CLINIT_BF16: return 2;
    case CLINIT_F64: return 8;
    case CLINIT_I32: return 4;
    case CLINIT_I64: return 8;
    }
    return 0;
}

clinit_status ci_shape_numel(int rank, const int64_t *shape, uint64_t *numel, char *what, size_t what_size)
{
    if (rank < 0 || rank > CLINIT_MAX_RANK)
        return ci_explain(what, what_size, CLINIT_ERROR_INVALID_RANK, "tensor rank %d is outside 0..%d", rank,
                          CLINIT_MAX_RANK);
    int empty = 0;
    for (int d = 0; d < rank; d++) {
        if (shape[d] < 0)
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_SHAPE, "tensor shape[%d] = %lld is negative", d,
                              (long long)shape[d]);
        empty |= shape[d] == 0;
    }
    /* An extent 0 makes the count 0 whatever the others are, as in PyTorch. */
    uint64_t n = empty ? 0 : 1;
    for (int d = 0; d < rank && n; d++) {
        if (n > (CLINIT_MAX_ELEMENTS - 1) / (uint64_t)shape[d]) {
            /* the first extents whose product reaches 2^56, with their values */
            if (d == 0)
                return ci_explain(what, what_size, CLINIT_ERROR_INVALID_SHAPE,
                                  "tensor shape has 2^56 or more elements: shape[0] = %lld alone", (long long)shape[0]);
            if (d == 1)
                return ci_explain(what, what_size, CLINIT_ERROR_INVALID_SHAPE,
                                  "tensor shape has 2^56 or more elements: shape[0] * shape[1] = %llu * %lld",
                                  (unsigned long long)n, (long long)shape[1]);
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_SHAPE,
                              "tensor shape has 2^56 or more elements: shape[0] * ... * shape[%d] = %llu * %lld", d,
                              (unsigned long long)n, (long long)shape[d]);
        }
        n *= (uint64_t)shape[d];
    }
    *numel = n;
    return CLINIT_SUCCESS;
}

clinit_status ci_geometry_from_tensor(const clinit_tensor *t, ci_geometry *g, char *what, size_t what_size)
{
    memset(g, 0, sizeof *g);
    uint64_t logical;
    clinit_status st = ci_shape_numel(t->rank, t->shape, &logical, what, what_size);
    if (st != CLINIT_SUCCESS) return st;
    int rank = t->rank;
    /* Row-major strides; with logical = 0 they are never used (and could overflow). */
    uint64_t stride[CLINIT_MAX_RANK + 1];
    stride[rank] = 1;
    for (int d = rank - 1; d >= 0; d--) stride[d] = logical ? stride[d + 1] * (uint64_t)t->shape[d] : 0;
    int64_t start[CLINIT_MAX_RANK], ext[CLINIT_MAX_RANK];
    for (int d = 0; d < rank; d++) {
        start[d] = t->has_box ? t->box_start[d] : 0;
        ext[d] = t->has_box ? t->box_extent[d] : t->shape[d];
        if (start[d] < 0 || ext[d] < 0 || start[d] > t->shape[d] || ext[d] > t->shape[d] - start[d])
            return ci_explain(what, what_size, CLINIT_ERROR_INVALID_BOX,
                              "box [%lld, %lld + %lld) of dimension %d leaves the shape's 0..%lld", (long long)start[d],
                              (long long)start[d], (long long)ext[d], d, (long long)t->shape[d]);
    }
    uint64_t numel = 1;
    for (int d = 0; d < rank; d++) numel *= (uint64_t)ext[d];
    g->numel = numel;
    for (int d = 0; d < CLINIT_MAX_RANK; d++) g->oext[d] = 1;
    if (numel == 0 || rank == 0) {
        g->run_len = numel;
        g->rows = numel ? 1 : 0;
        return CLINIT_SUCCESS;
    }
    /* The run is dimension j and every dimension after it, which the box covers whole: each row of the box
     * is then one stretch of consecutive logical indices, and the kernels need no per-element division. */
    int j = rank - 1;
    while (j > 0 && start[j] == 0 && ext[j] == t->shape[j]) j--;
    g->run_len = (uint64_t)ext[j] * stride[j + 1];
    g->run_base = (uint64_t)start[j] * stride[j + 1];
    g->rows = numel / g->run_len;
    for (int d = 0; d < j; d++) {
        /* A dimension the box takes one index of moves every run by the same amount: that goes into run_base,
         * so the kernels skip the dimension (a whole tensor has none left). */
        if (ext[d] == 1) {
            g->run_base += (uint64_t)start[d] * stride[d + 1];
            continue;
        }
        g->ostart[d] = (uint64_t)start[d];
        g->oext[d] = (uint64_t)ext[d];
        g->ostride[d] = stride[d + 1];
    }
    return CLINIT_SUCCESS;
}

uint64_t ci_geometry_row_start(const ci_geometry *g, uint64_t row)
{
    assert(row < g->rows);
    uint64_t start = g->run_base;
    for (int d = CLINIT_MAX_RANK - 1; d >= 0; d--) {
        start += (g->ostart[d] + row % g->oext[d]) * g->ostride[d];
        row /= g->oext[d];
    }
    return start;
}

clinit_status clinit_tensor_numel(const clinit_tensor *t, int64_t *count)
{
    if (!t || !count) return CLINIT_ERROR_NULL_ARGUMENT;
    ci_geometry g;
    char what[256];
    clinit_status st = ci_geometry_from_tensor(t, &g, what, sizeof what);
    if (st == CLINIT_SUCCESS) *count = (int64_t)g.numel;
    return st;
}

clinit_status ci_plan_make(const clinit_tensor *t, const clinit_init_spec *spec, ci_plan *p, char *what,
                           size_t what_size)
{
    assert(t && spec && p);
    memset(p, 0, sizeof *p);
    clinit_status st = ci_geometry_from_tensor(t, &p->g, what, what_size);
    if (st != CLINIT_SUCCESS) return st;
    p->esize = clinit_dtype_size(t->dtype);
    if (p->esize == 0)
        return ci_explain(what, what_size, CLINIT_ERROR_UNSUPPORTED_DTYPE, "tensor.dtype %d is unknown", (int)t->dtype);
    if (t->offset_bytes % p->esize != 0)
        return ci_explain(what, what_size, CLINIT_ERROR_MISALIGNED_OFFSET,
                          "tensor.offset_bytes %zu is not a multiple of the dtype size %zu", t->offset_bytes, p->esize);
    if (ci_dtype_is_integer(t->dtype)) return ci_resolve_integer(spec, t, &p->d, &p->r, what, what_size);
    st = ci_resolve_for_dtype(spec, t, &p->d, &p->r, what, what_size);
    if (st == CLINIT_SUCCESS && p->g.numel && p->d.kind == CLINIT_DIST_ORTHOGONAL) ci_plan_orthogonal(t, spec, p);
    return st;
}

clinit_status clinit_validate(const clinit_tensor *t, const clinit_init_spec *spec, char *message, size_t message_size)
{
    char what[512] = "";
    ci_plan plan;
    clinit_status st = !t      ? (ci_c_snprintf(what, sizeof what, "tensor is NULL"), CLINIT_ERROR_NULL_ARGUMENT)
                       : !spec ? (ci_c_snprintf(what, sizeof what, "spec is NULL"), CLINIT_ERROR_NULL_ARGUMENT)
                               : ci_plan_make(t, spec, &plan, what, sizeof what);
    if (message && message_size) ci_c_snprintf(message, message_size, "%s", st == CLINIT_SUCCESS ? "" : what);
    return st;
}
