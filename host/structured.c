/* eye, dirac and sparse (docs/ALGORITHMS.md §4, "eye, dirac, sparse"): the pattern's integers from the shape
 * and layout, the device fill (kernels/structured.cl, launched like every run kernel by ci_enqueue_runs)
 * and the host reference, both from kernels/structured.h. */
#include "internal.h"

#include "generate.h"
#include "generate64.h"
#include "structured.h"
#include <assert.h>

const char *const ci_structured_kernel_names[] = {"clinit_fill_runs_structured_f32", "clinit_fill_runs_structured_f16",
                                                  "clinit_fill_runs_structured_bf16", NULL};
const char *const ci_structured64_kernel_names[] = {"clinit_fill64_structured", NULL};

/* The kernel's method and q (kernels/structured.cl) for t, whose rank, layout and groups validation checked. */
static void plan_pattern(const clinit_tensor *t, const clinit_init_spec *spec, const ci_resolved *r, int *method,
                         uint64_t q[8])
{
    const int64_t *sh = t->shape;
    for (int k = 0; k < 8; k++) q[k] = 0;
    if (spec->kind == CLINIT_INIT_SPARSE) {
        *method = CLINIT_STRUCT_SPARSE;
        uint64_t rows = (uint64_t)sh[0];
        int h = 1;
        while ((((uint64_t)1) << (2 * h)) < rows) h++; /* smallest h with 4^h ≥ rows: 3..28 where used (rows > 16) */
        q[0] = rows;
        q[1] = (uint64_t)sh[1];
        q[2] = (uint64_t)r->count;
        q[3] = (uint64_t)h;
        return;
    }
    *method = CLINIT_STRUCT_DIAGONAL;
    if (spec->kind == CLINIT_INIT_EYE) { /* (rows, cols), whatever the layout: OI with no tap */
        q[0] = 1;
        q[1] = (uint64_t)sh[1];
        q[2] = (uint64_t)sh[0];
        return;
    }
    /* dirac: (out, in, k…) or (k…, in, out); the centre tap k//2 of every kernel dimension */
    int rank = t->rank, io = t->layout == CLINIT_LAYOUT_IO;
    assert(t->layout == CLINIT_LAYOUT_OI || io);
    int first_k = io ? 0 : 2, end_k = io ? rank - 2 : rank;
    uint64_t out = (uint64_t)sh[io ? rank - 1 : 0], in = (uint64_t)sh[io ? rank - 2 : 1], groups = (uint64_t)r->count;
    assert(groups >= 1 && out % groups == 0); /* the registry's range and rules.c's dirac rule */
    uint64_t taps = 1, centre = 0;
    for (int d = first_k; d < end_k; d++) {
        centre = centre * (uint64_t)sh[d] + (uint64_t)(sh[d] / 2);
        taps *= (uint64_t)sh[d];
    }
    q[0] = io ? out : taps;
    q[1] = in;
    q[2] = out / groups;
    q[3] = centre;
    q[4] = (uint64_t)io;
}

clinit_status ci_fill_structured(CLINIT_SPECIAL_FILL_ARGS)
{
    assert(plan->g.numel > 0 && (plan->d.kind == CLINIT_DIST_STRUCTURED || plan->d.kind == CLINIT_DIST_SPARSE));
    int kind;
    uint64_t q[8];
    plan_pattern(t, spec, &plan->r, &kind, q);
    if (t->dtype == CLINIT_F64) {
        ci_values64 v;
        ci_values64_of(&plan->r, seed, stream, &v);
        memcpy(v.pattern, q, sizeof v.pattern);
        v.pattern_kind = kind;
        return ci_enqueue_runs(ctx, queue, ctx->structured64[0], t, &plan->g, &v, sizeof v, nwait, wait, event);
    }
    ci_values v;
    ci_values_of(&plan->r, seed, stream, &v);
    memcpy(v.pattern, q, sizeof v.pattern);
    v.pattern_kind = kind;
    return ci_enqueue_runs(ctx, queue, ctx->structured[t->dtype], t, &plan->g, &v, sizeof v, nwait, wait, event);
}

clinit_status ci_reference_structured(CLINIT_SPECIAL_REFERENCE_ARGS)
{
    assert(plan->d.kind == CLINIT_DIST_STRUCTURED || plan->d.kind == CLINIT_DIST_SPARSE);
    const ci_geometry *g = &plan->g;
    const ci_resolved *r = &plan->r;
    int method;
    uint64_t q[8];
    plan_pattern(t, spec, r, &method, q);
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32), s0 = (uint32_t)stream, s1 = (uint32_t)(stream >> 32);
    for (uint64_t row = 0; row < g->rows; row++) {
        uint64_t first = ci_geometry_row_start(g, row);
        uint32_t x[4];
        uint64_t have = UINT64_MAX;
        int shift = t->dtype == CLINIT_F64 ? 1 : 2; /* elements per block: 2 or 4 */
        for (uint64_t i = 0; i < g->run_len; i++) {
            uint64_t e = first + i;
            uint64_t k = row * g->run_len + i;
            int hit = method == CLINIT_STRUCT_DIAGONAL
                          ? ci_diagonal_hit(e, q[0], q[1], q[2], q[3], q[4])
                          : !ci_sparse_zero(e, q[0], q[1], q[2], (int)q[3], k0, k1, s0, s1);
            if (method == CLINIT_STRUCT_SPARSE && (e >> shift) != have) {
                have = e >> shift;
                ci_philox_block(have, seed, stream, x);
            }
            if (t->dtype == CLINIT_F64) {
                /* std times the f64 normal fill's standard normal of e (lane e & 1 of its block) */
                double zc = 0, zs = 0;
                if (method == CLINIT_STRUCT_SPARSE) ci_normal_pair64(x[0], x[1], x[2], x[3], &zc, &zs);
                double v = method == CLINIT_STRUCT_DIAGONAL ? r->p64[0] : r->p64[1] * ((e & 1) ? zs : zc);
                ((double *)dst)[k] = hit ? v : 0.0;
                continue;
            }
            float v = r->p[0];
            if (method == CLINIT_STRUCT_SPARSE) {
                /* std times the normal fill's standard normal of e (lane e & 3 of its block) */
                v = r->p[1] * ci_block_normal(r->generation, x, e);
            }
            ci_store_float(dst, k, t->dtype, hit ? v : 0.0f);
        }
    }
    return CLINIT_SUCCESS;
}
