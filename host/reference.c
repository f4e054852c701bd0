/* Host reference generator: the rules of docs/ALGORITHMS.md in plain C, with the kernels' own per-element code
 * (kernels/generate.h, Philox included; the tests hold it to Random123's vectors). Built with -ffp-contract=off, as
 * the kernels run with FP_CONTRACT OFF, so that a*b+c is two roundings on both sides, and fma() one on both. */
#include "internal.h"

#include "generate.h"
#include "generate64.h"
#include <assert.h>
#include <math.h>
#include <string.h>

void ci_philox_block(uint64_t block, uint64_t seed, uint64_t stream, uint32_t out[4])
{
    ci_philox((uint32_t)block, (uint32_t)(block >> 32), (uint32_t)stream, (uint32_t)(stream >> 32), (uint32_t)seed,
              (uint32_t)(seed >> 32), out);
}

float ci_u01(uint32_t x) { return ci_u01_of(x); }

float ci_block_normal(int generation, const uint32_t x[4], uint64_t e)
{
    int lane = (int)(e & 3), pair = lane >> 1;
    float zc, zs;
    ci_normal_pair_gen(generation, x[2 * pair], x[2 * pair + 1], &zc, &zs);
    return (lane & 1) ? zs : zc;
}

/* mean + std·z: two roundings in generation 1, one fma from generation 2 on (kernels/elementwise.h). */
static float scale(int generation, float mean, float std, float z)
{
    return generation >= 2 ? fmaf(std, z, mean) : mean + std * z;
}

/* Element e of an element-wise distribution (r->dist one of the four, checked by the caller). */
static float value(const ci_resolved *r, const uint32_t x[4], uint64_t e, uint64_t seed, uint64_t stream)
{
    const float *p = r->p;
    int g = r->generation;
    switch (r->dist) {
    case CLINIT_DIST_CONSTANT: return p[0];
    case CLINIT_DIST_UNIFORM: return ci_uniform_of(x[e & 3], p[0], p[1], p[6], p[7]);
    case CLINIT_DIST_NORMAL: return scale(g, p[0], p[1], ci_block_normal(g, x, e));
    case CLINIT_DIST_TRUNCATED_NORMAL: {
        float z0 = r->method == CLINIT_TN_NORMAL ? ci_block_normal(g, x, e) : 0.0f;
        float z =
            ci_truncnorm_z(g, z0, e, (uint32_t)seed, (uint32_t)(seed >> 32), (uint32_t)stream, (uint32_t)(stream >> 32),
                           r->method, p[2], p[3], p[4], p[5], p[0], p[1], r->accept[0], r->accept[1]);
        return ci_clamp(scale(g, p[0], p[1], z), p[6], p[7]);
    }
    }
    assert(!"an element-wise distribution");
    return NAN;
}

/* f64: element e of block e >> 1, words (2(e & 1), 2(e & 1) + 1) (docs/ALGORITHMS.md §4, "f64"). */
static double value64(const ci_resolved *r, const uint32_t x[4], uint64_t e, uint64_t seed, uint64_t stream)
{
    const double *p = r->p64;
    int lane = (int)(e & 1);
    double zc = 0, zs = 0;
    if (r->dist == CLINIT_DIST_NORMAL || (r->dist == CLINIT_DIST_TRUNCATED_NORMAL && r->method == CLINIT_TN_NORMAL))
        ci_normal_pair64(x[0], x[1], x[2], x[3], &zc, &zs);
    double z = lane ? zs : zc;
    switch (r->dist) {
    case CLINIT_DIST_CONSTANT: return p[0];
    case CLINIT_DIST_UNIFORM: return ci_uniform_64(x[2 * lane], x[2 * lane + 1], p[0], p[1], p[7]);
    case CLINIT_DIST_NORMAL: return p[0] + p[1] * z;
    case CLINIT_DIST_TRUNCATED_NORMAL:
        z = ci_truncnorm_z64(r->method == CLINIT_TN_NORMAL ? z : 0.0, e, (uint32_t)seed, (uint32_t)(seed >> 32),
                             (uint32_t)stream, (uint32_t)(stream >> 32), r->method, p[2], p[3], p[4], p[5]);
        return ci_clamp64(p[0] + p[1] * z, p[6], p[7]);
    }
    assert(!"an element-wise distribution");
    return NAN;
}

clinit_status clinit_reference_fill(const clinit_tensor *t, const clinit_init_spec *spec, uint64_t seed,
                                    uint64_t stream, void *dst, size_t dst_bytes)
{
    if (!t || !spec || !dst) return CLINIT_ERROR_NULL_ARGUMENT;
    /* t->buffer and t->offset_bytes describe device memory, which a host fill has none of (an f32 tensor at
     * byte 3 of its buffer was refused as misaligned here). */
    clinit_tensor host = *t;
    host.buffer = NULL;
    host.offset_bytes = 0;
    t = &host;
    ci_plan plan;
    char what[512];
    clinit_status st = ci_plan_make(t, spec, &plan, what, sizeof what);
    if (st != CLINIT_SUCCESS) return st;
    const ci_geometry g = plan.g;
    const ci_resolved r = plan.r;
    if (g.numel > dst_bytes / plan.esize) return CLINIT_ERROR_BUFFER_TOO_SMALL;
    if (ci_dtype_is_integer(t->dtype)) {
        ci_reference_integer(t->dtype, &g, &r, dst);
        return CLINIT_SUCCESS;
    }
    if (r.dist == CLINIT_DIST_ORTHOGONAL) return ci_reference_orthogonal(t, spec, &plan, seed, stream, dst);
    if (r.dist == CLINIT_DIST_STRUCTURED || r.dist == CLINIT_DIST_SPARSE)
        return ci_reference_structured(t, spec, &plan, seed, stream, dst);
    if (r.dist != CLINIT_DIST_CONSTANT && r.dist != CLINIT_DIST_UNIFORM && r.dist != CLINIT_DIST_NORMAL &&
        r.dist != CLINIT_DIST_TRUNCATED_NORMAL)
        return CLINIT_ERROR_INVALID_INIT; /* a distribution this file does not know is never another one */
    for (uint64_t row = 0; row < g.rows; row++) {
        uint64_t first = ci_geometry_row_start(&g, row);
        uint32_t x[4];
        uint64_t have = UINT64_MAX;
        for (uint64_t i = 0; i < g.run_len; i++) {
            uint64_t e = first + i;
            int shift = t->dtype == CLINIT_F64 ? 1 : 2; /* elements per block: 2 or 4 */
            if (r.dist != CLINIT_DIST_CONSTANT && (e >> shift) != have) {
                have = e >> shift;
                ci_philox_block(have, seed, stream, x);
            }
            uint64_t k = row * g.run_len + i;
            if (t->dtype == CLINIT_F64) {
                ((double *)dst)[k] = value64(&r, x, e, seed, stream);
                continue;
            }
            ci_store_float(dst, k, t->dtype, value(&r, x, e, seed, stream));
        }
    }
    return CLINIT_SUCCESS;
}
