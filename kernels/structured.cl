/*
 * eye, dirac and sparse (docs/ALGORITHMS.md §4, "eye, dirac, sparse"): the general kernels of fill_runs.h (and
 * fill64_runs.h) with generators that read the element's position from its logical index (kernels/structured.h,
 * shared with the host reference). v.pattern_kind is CLINIT_STRUCT_DIAGONAL or CLINIT_STRUCT_SPARSE; v.pattern holds
 * the integers of the pattern:
 *   diagonal (eye, dirac)  n0, n1, per, centre, io; v.value on the pattern
 *   sparse                 rows, cols, count, h; v.std times the normal fill's standard normal off the zeros
 * Kernels clinit_fill_runs_structured_{f32,f16,bf16} and clinit_fill64_structured.
 */
#ifndef CLINIT_STRUCTURED_CL
#define CLINIT_STRUCTURED_CL

#include "elementwise.h"
#include "fill64.cl"
#include "geometry.h"
#include "stores.h"
#include "structured.h"

inline int ci_structured_zero(ulong i, const ulong *q, int kind, ulong seed, ulong stream)
{
    if (kind == CLINIT_STRUCT_DIAGONAL) return !ci_diagonal_hit(i, q[0], q[1], q[2], q[3], q[4]);
    return ci_sparse_zero(i, q[0], q[1], q[2], (int)q[3], (uint)seed, (uint)(seed >> 32), (uint)stream,
                          (uint)(stream >> 32));
}

inline float4 ci_gen4_structured(uint lo, uint hi, const ci_values *v)
{
    ulong i = (((ulong)hi << 32) | lo) << 2;
    /* the value on the pattern, or std times the normal fill's standard normal of the element */
    float4 x = v->pattern_kind == CLINIT_STRUCT_DIAGONAL ? (float4)(v->value) : v->std * ci_block_normals(lo, hi, v);
    float e[4] = {x.s0, x.s1, x.s2, x.s3};
    for (int k = 0; k < 4; k++)
        if (ci_structured_zero(i + k, v->pattern, v->pattern_kind, v->seed, v->stream)) e[k] = 0.0f;
    return (float4)(e[0], e[1], e[2], e[3]);
}

/* The CPU kernels' 16-block path runs the scalar generator block by block. */
inline void ci_gen16_structured(ulong block0, const ci_values *v, float16 *out)
{
    float w[4][16];
    for (int l = 0; l < 16; l++) {
        ulong b = block0 + (ulong)l;
        float4 x = ci_gen4_structured((uint)b, (uint)(b >> 32), v);
        w[0][l] = x.s0, w[1][l] = x.s1, w[2][l] = x.s2, w[3][l] = x.s3;
    }
    for (int k = 0; k < 4; k++) out[k] = vload16(0, w[k]);
}

#define GEN4 ci_gen4_structured
#define GEN16 ci_gen16_structured
#define T float
#define STORE1 ci_store1_f32
#define STORE4 ci_store4_f32
#define STORE16 ci_store16_f32
#define ITEM ci_item_structured_f32
#define KERNEL clinit_fill_runs_structured_f32
#include "fill_runs.h"
#undef T
#undef STORE1
#undef STORE4
#undef STORE16
#define GEN4 ci_gen4_structured
#define GEN16 ci_gen16_structured
#define T half
#define STORE1 ci_store1_f16
#define STORE4 ci_store4_f16
#define STORE16 ci_store16_f16
#define ITEM ci_item_structured_f16
#define KERNEL clinit_fill_runs_structured_f16
#include "fill_runs.h"
#undef T
#undef STORE1
#undef STORE4
#undef STORE16
#define GEN4 ci_gen4_structured
#define GEN16 ci_gen16_structured
#define T ushort
#define STORE1 ci_store1_bf16
#define STORE4 ci_store4_bf16
#define STORE16 ci_store16_bf16
#define ITEM ci_item_structured_bf16
#define KERNEL clinit_fill_runs_structured_bf16
#include "fill_runs.h"
#undef T
#undef STORE1
#undef STORE4
#undef STORE16

#ifdef cl_khr_fp64
inline double2 ci_gen2_structured(ulong block, const ci_values64 *v)
{
    ulong i = block << 1;
    double2 x = v->pattern_kind == CLINIT_STRUCT_DIAGONAL ? (double2)(v->value) : v->std * ci_block_normals64(block, v);
    if (ci_structured_zero(i + 0, v->pattern, v->pattern_kind, v->seed, v->stream)) x.s0 = 0.0;
    if (ci_structured_zero(i + 1, v->pattern, v->pattern_kind, v->seed, v->stream)) x.s1 = 0.0;
    return x;
}

inline void ci_gen32_structured(ulong block0, const ci_values64 *v, double16 *even, double16 *odd)
{
    CLINIT_GEN32_FROM_GEN2(ci_gen2_structured, block0, v, even, odd)
}

#define GEN2 ci_gen2_structured
#define GEN32 ci_gen32_structured
#define KERNEL clinit_fill64_structured
#include "fill64_runs.h"
#endif

#endif
