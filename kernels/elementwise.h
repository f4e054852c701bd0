/*
 * The element-wise distributions (docs/ALGORITHMS.md §4): the values of one Philox block, whose counter words 0
 * and 1 are (lo, hi), in f32, for the kernels of fill.cl and batch.cl:
 *   ci_gen4_DIST(lo, hi, v)         the four values of block (hi << 32) | lo
 *   ci_gen16_DIST(block0, v, out)   the 64 values of blocks block0 … block0 + 15, word w of block block0 + l
 *                                       in lane l of out[w] (the CPU kernels; the same bits as gen4 per block)
 * for DIST = constant, uniform, normal, truncnorm; v holds the parameters (kernels/args.h).
 */
#ifndef CLINIT_ELEMENTWISE_H
#define CLINIT_ELEMENTWISE_H

#include "args.h"
#include "generate.h"

inline uint4 ci_block_words(uint lo, uint hi, const ci_values *v)
{
    uint x[4];
    ci_philox_rk(lo, hi, (uint)v->stream, (uint)(v->stream >> 32), v->round_keys, x);
    return (uint4)(x[0], x[1], x[2], x[3]);
}

/* The words of the 16 blocks block0 … block0 + 15 (lane l is block0 + l) of a seed and stream. */
inline void ci_words16(ulong block0, ulong seed, ulong stream, uint16 *x)
{
    uint lo = (uint)block0;
    uint16 c0 = (uint16)(lo) + (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    uint16 c1 = (uint16)((uint)(block0 >> 32)) - as_uint16(c0 < (uint16)(lo)); /* carry: true is −1 */
    ci_philox16(c0, c1, (uint16)((uint)stream), (uint16)((uint)(stream >> 32)), (uint)seed, (uint)(seed >> 32), x);
}
inline void ci_block_words16(ulong block0, const ci_values *v, uint16 *x) { ci_words16(block0, v->seed, v->stream, x); }

inline float4 ci_gen4_constant(uint lo, uint hi, const ci_values *v) { return (float4)(v->value); }

inline void ci_gen16_constant(ulong block0, const ci_values *v, float16 *out)
{
    out[0] = out[1] = out[2] = out[3] = (float16)(v->value);
}

/* [lo, hi) clamped to [clamp_lo, clamp_hi] */
inline float4 ci_gen4_uniform(uint lo, uint hi, const ci_values *v)
{
    uint4 x = ci_block_words(lo, hi, v);
    return (float4)(ci_uniform_of(x.s0, v->lo, v->hi, v->clamp_lo, v->clamp_hi),
                    ci_uniform_of(x.s1, v->lo, v->hi, v->clamp_lo, v->clamp_hi),
                    ci_uniform_of(x.s2, v->lo, v->hi, v->clamp_lo, v->clamp_hi),
                    ci_uniform_of(x.s3, v->lo, v->hi, v->clamp_lo, v->clamp_hi));
}

/* The same values with fewer operations, for the GPU kernels' rows: the clamp by fmax and fmin, which equal the
 * comparisons' choices here because no value is a NaN and no tie of +0 with −0 can occur: v = lo + span·u is never
 * −0 (a rounding's zero is +0), hi_d is never −0, and the host passes +0 bounds for an interval [−0, −0] (whose
 * value is +0 either way) and −2^-149 for a 16-bit dtype's lo_d = −0 (which rounds to the same −0). In f32 the lower
 * clamp is left out: lo_d = lo there, and lo + span·u ≥ lo since rounding is monotonic. */
inline float ci_uniform_fast(uint x, float lo, float span, float lo_d, float hi_d, int f32)
{
    float v = lo + span * ci_u01_of(x);
    return fmin(f32 ? v : fmax(v, lo_d), hi_d);
}
inline float4 ci_gen4_uniform_rows(uint lo, uint hi, const ci_values *v, int f32)
{
    uint4 x = ci_block_words(lo, hi, v);
    float span = v->hi - v->lo;
    return (float4)(ci_uniform_fast(x.s0, v->lo, span, v->clamp_lo, v->clamp_hi, f32),
                    ci_uniform_fast(x.s1, v->lo, span, v->clamp_lo, v->clamp_hi, f32),
                    ci_uniform_fast(x.s2, v->lo, span, v->clamp_lo, v->clamp_hi, f32),
                    ci_uniform_fast(x.s3, v->lo, span, v->clamp_lo, v->clamp_hi, f32));
}
inline float4 ci_gen4_uniform_f32(uint lo, uint hi, const ci_values *v) { return ci_gen4_uniform_rows(lo, hi, v, 1); }
inline float4 ci_gen4_uniform_f16(uint lo, uint hi, const ci_values *v) { return ci_gen4_uniform_rows(lo, hi, v, 0); }

inline void ci_gen16_uniform(ulong block0, const ci_values *v, float16 *out)
{
    uint16 x[4];
    ci_block_words16(block0, v, x);
    float16 lo = (float16)(v->lo), hi = (float16)(v->hi), clo = (float16)(v->clamp_lo), chi = (float16)(v->clamp_hi);
    /* unrolled by hand: PoCL keeps out[] in memory through a loop, and the transpose then reads it back */
    out[0] = ci_uniform_of16(x[0], lo, hi, clo, chi);
    out[1] = ci_uniform_of16(x[1], lo, hi, clo, chi);
    out[2] = ci_uniform_of16(x[2], lo, hi, clo, chi);
    out[3] = ci_uniform_of16(x[3], lo, hi, clo, chi);
}

/* Standard normals of a block under generation g: Box–Muller on the pairs (x0, x1) and (x2, x3); lanes 0, 2 take
 * r·cos θ, lanes 1, 3 r·sin θ. The GPU kernels' rows pass g as a constant, so that their loop has no branch on it. */
inline float4 ci_block_normals_gen(uint lo, uint hi, const ci_values *v, int g)
{
    uint4 x = ci_block_words(lo, hi, v);
    float c0, s0, c1, s1;
    if (g >= 2) {
        ci_normal_pair_g2(x.s0, x.s1, &c0, &s0);
        ci_normal_pair_g2(x.s2, x.s3, &c1, &s1);
    } else {
        ci_normal_pair(x.s0, x.s1, &c0, &s0);
        ci_normal_pair(x.s2, x.s3, &c1, &s1);
    }
    return (float4)(c0, s0, c1, s1);
}
inline float4 ci_block_normals(uint lo, uint hi, const ci_values *v)
{
    return ci_block_normals_gen(lo, hi, v, v->generation);
}

inline void ci_block_normals16(ulong block0, const ci_values *v, float16 *z)
{
    uint16 x[4];
    ci_block_words16(block0, v, x);
    ci_normal_pair_gen16(v->generation, x[0], x[1], &z[0], &z[1]);
    ci_normal_pair_gen16(v->generation, x[2], x[3], &z[2], &z[3]);
}

/* mean + std·z: generation 1 rounds the product and the sum, generation 2 is one fma. */
inline float4 ci_scale4_gen(float4 z, const ci_values *v, int g)
{
    return g >= 2 ? fma((float4)(v->std), z, (float4)(v->mean)) : v->mean + v->std * z;
}
inline float4 ci_scale4(float4 z, const ci_values *v) { return ci_scale4_gen(z, v, v->generation); }
inline float16 ci_scale16(float16 z, const ci_values *v)
{
    return v->generation >= 2 ? fma((float16)(v->std), z, (float16)(v->mean)) : v->mean + v->std * z;
}

inline float4 ci_gen4_normal(uint lo, uint hi, const ci_values *v) { return ci_scale4(ci_block_normals(lo, hi, v), v); }

/* The same for one generation, for the GPU kernels' rows (no branch on v->generation in their loop). */
inline float4 ci_gen4_normal_g1(uint lo, uint hi, const ci_values *v)
{
    return ci_scale4_gen(ci_block_normals_gen(lo, hi, v, 1), v, 1);
}
inline float4 ci_gen4_normal_g2(uint lo, uint hi, const ci_values *v)
{
    return ci_scale4_gen(ci_block_normals_gen(lo, hi, v, 2), v, 2);
}

inline void ci_gen16_normal(ulong block0, const ci_values *v, float16 *out)
{
    ci_block_normals16(block0, v, out);
    out[0] = ci_scale16(out[0], v); /* unrolled by hand, as in ci_gen16_uniform */
    out[1] = ci_scale16(out[1], v);
    out[2] = ci_scale16(out[2], v);
    out[3] = ci_scale16(out[3], v);
}

/* The standardized truncated-normal value of logical element i whose block value is z0 (used by the normal plan
 * only), one element at a time: the general kernels' form (the GPU rows kernel gathers the redraws instead). */
inline float ci_truncnorm_at(float z0, ulong i, const ci_values *v)
{
    return ci_truncnorm_z(v->generation, z0, i, (uint)v->seed, (uint)(v->seed >> 32), (uint)v->stream,
                          (uint)(v->stream >> 32), v->tn_plan, v->tn[0], v->tn[1], v->tn[2], v->tn[3], v->mean, v->std,
                          v->accept_lo, v->accept_hi);
}

/* The element's own draws for lane l of m (ci_truncnorm_redraw), generation g. */
inline float ci_truncnorm_redraw_at(int g, ulong i, const ci_values *v)
{
    return ci_truncnorm_redraw(g, (uint)i, (uint)(i >> 32), 1, (uint)v->seed, (uint)(v->seed >> 32), (uint)v->stream,
                               (uint)(v->stream >> 32), v->tn_plan, v->tn[0], v->tn[1], v->tn[2], v->tn[3], v->mean,
                               v->std, v->accept_lo, v->accept_hi);
}

/* mean + std·z clamped to [clamp_lo, clamp_hi]: a truncated normal's value from its standardized one. The normal
 * plan starts from the element's ordinary normal value, so a far window gives exactly the normal fill's bits. */
inline float4 ci_truncnorm_value4_gen(float4 z, const ci_values *v, int g)
{
    float4 s = ci_scale4_gen(z, v, g);
    return (float4)(ci_clamp(s.s0, v->clamp_lo, v->clamp_hi), ci_clamp(s.s1, v->clamp_lo, v->clamp_hi),
                    ci_clamp(s.s2, v->clamp_lo, v->clamp_hi), ci_clamp(s.s3, v->clamp_lo, v->clamp_hi));
}

inline float4 ci_truncnorm_value4(float4 z, const ci_values *v) { return ci_truncnorm_value4_gen(z, v, v->generation); }

inline float4 ci_gen4_truncnorm(uint lo, uint hi, const ci_values *v)
{
    float4 z = v->tn_plan == CLINIT_TN_NORMAL ? ci_block_normals(lo, hi, v) : (float4)(0.0f);
    ulong i = (((ulong)hi << 32) | lo) << 2;
    z = (float4)(ci_truncnorm_at(z.s0, i + 0, v), ci_truncnorm_at(z.s1, i + 1, v), ci_truncnorm_at(z.s2, i + 2, v),
                 ci_truncnorm_at(z.s3, i + 3, v));
    return ci_truncnorm_value4(z, v);
}

/* Bit l set where lane l of m is true. */
inline uint ci_lane_bits16(int16 m)
{
    uint16 b = as_uint16(m) &
               (uint16)(1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 512u, 1024u, 2048u, 4096u, 8192u, 16384u, 32768u);
    uint8 a = b.lo | b.hi;
    uint4 c = a.lo | a.hi;
    uint2 e = c.lo | c.hi;
    return e.x | e.y;
}

/* Truncated normal of up to CLINIT_TN_ITEM_GROUPS groups of 16 blocks, group s from block block0 + 16s, those with bit
 * s of `groups` set (the others' out[s] left as they are). Under the normal plan about one block normal in twenty
 * falls outside the window (±2σ: 4.6 %): those of all the groups are gathered, 16 at a time, into the lanes of one
 * ci_truncnorm_redraw16 (redrawing all 64 lanes of a word for one outlier made the kernel three times slower than
 * the normal one). Under the other plans every element draws. Element 4l + w of group s is out[s][w] lane l; bit
 * 16w + l of pending[s] stands for it. */
inline void ci_gen16n_truncnorm(ulong block0, uint groups, const ci_values *v, float16 (*out)[4])
{
    ulong pending[CLINIT_TN_ITEM_GROUPS];
    uint redrawn = 0; /* bit s: group s has elements to draw again */
    for (int s = 0; s < CLINIT_TN_ITEM_GROUPS; s++) {
        pending[s] = 0;
        if (!(groups >> s & 1)) continue;
        if (v->tn_plan == CLINIT_TN_NORMAL) {
            ci_block_normals16(block0 + 16 * s, v, out[s]);
            for (int w = 0; w < 4; w++) {
                int16 in = out[s][w] >= v->tn[0] && out[s][w] <= v->tn[1];
                if (v->generation >= 2) {
                    float16 x = fma((float16)(v->std), out[s][w], (float16)(v->mean));
                    in = x >= v->accept_lo && x <= v->accept_hi;
                }
                pending[s] |= (ulong)ci_lane_bits16(!in) << (16 * w);
            }
        } else {
            out[s][0] = out[s][1] = out[s][2] = out[s][3] = (float16)(0.0f);
            pending[s] = ~0ul;
        }
        redrawn |= (uint)(pending[s] != 0) << s;
    }
    if (redrawn) {
        float t[CLINIT_TN_ITEM_GROUPS][64]; /* out, word-major: t[s][16w + l] */
        for (int s = 0; s < CLINIT_TN_ITEM_GROUPS; s++)
            if (redrawn >> s & 1)
                for (int w = 0; w < 4; w++) vstore16(out[s][w], 0, t[s] + 16 * w);
        int s = 0;
        while (s < CLINIT_TN_ITEM_GROUPS) {
            uint lo[16], hi[16];
            int at[16];
            int n = 0;
            for (; n < 16 && s < CLINIT_TN_ITEM_GROUPS; n++) {
                while (s < CLINIT_TN_ITEM_GROUPS && !pending[s]) s++;
                if (s == CLINIT_TN_ITEM_GROUPS) break;
                int j = 63 - (int)clz(pending[s] & (0ul - pending[s])); /* the lowest set bit */
                pending[s] &= pending[s] - 1;
                ulong i = ((block0 + 16 * (ulong)s) << 2) + 4 * (ulong)(j & 15) + (ulong)(j >> 4);
                lo[n] = (uint)i, hi[n] = (uint)(i >> 32), at[n] = 64 * s + j;
            }
            if (!n) break;
            for (int k = n; k < 16; k++) lo[k] = hi[k] = 0; /* lanes outside m: any counter */
            int16 m = (int16)(n) > (int16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            float r[16];
            vstore16(ci_truncnorm_redraw16(v->generation, vload16(0, lo), vload16(0, hi), m, (uint)v->seed,
                                           (uint)(v->seed >> 32), (uint)v->stream, (uint)(v->stream >> 32), v->tn_plan,
                                           v->tn[0], v->tn[1], v->tn[2], v->tn[3], v->mean, v->std, v->accept_lo,
                                           v->accept_hi),
                     0, r);
            for (int k = 0; k < n; k++) t[at[k] >> 6][at[k] & 63] = r[k];
        }
        for (s = 0; s < CLINIT_TN_ITEM_GROUPS; s++)
            if (redrawn >> s & 1)
                for (int w = 0; w < 4; w++) out[s][w] = vload16(0, t[s] + 16 * w);
    }
    for (int s = 0; s < CLINIT_TN_ITEM_GROUPS; s++)
        if (groups >> s & 1)
            for (int w = 0; w < 4; w++)
                out[s][w] = ci_clamp16(ci_scale16(out[s][w], v), (float16)(v->clamp_lo), (float16)(v->clamp_hi));
}

#endif
