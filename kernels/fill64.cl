/*
 * f64 fills (docs/ALGORITHMS.md §4, "f64"), built only where the device has cl_khr_fp64: the host creates these
 * kernels only on such devices. A Philox block gives two f64 elements (two words each): element i uses block i >> 1.
 * Per distribution DIST: clinit_fill64_DIST (kernels/fill64_runs.h), any box, the geometry of fill_runs.h.
 */
#ifndef CLINIT_FILL64_CL
#define CLINIT_FILL64_CL

#include "args.h"
#include "elementwise.h"
#include "generate64.h"
#include "geometry.h"

#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable

inline uint4 ci_block_words64(ulong block, const ci_values64 *v)
{
    uint x[4];
    ci_philox((uint)block, (uint)(block >> 32), (uint)v->stream, (uint)(v->stream >> 32), (uint)v->seed,
              (uint)(v->seed >> 32), x);
    return (uint4)(x[0], x[1], x[2], x[3]);
}

inline double2 ci_gen2_constant(ulong block, const ci_values64 *v) { return (double2)(v->value); }

/* [lo, hi) clamped to [lo, clamp_hi], clamp_hi the double below hi */
inline double2 ci_gen2_uniform(ulong block, const ci_values64 *v)
{
    uint4 x = ci_block_words64(block, v);
    return (double2)(ci_uniform_64(x.s0, x.s1, v->lo, v->hi, v->clamp_hi),
                     ci_uniform_64(x.s2, x.s3, v->lo, v->hi, v->clamp_hi));
}

inline double2 ci_block_normals64(ulong block, const ci_values64 *v)
{
    uint4 x = ci_block_words64(block, v);
    double zc, zs;
    ci_normal_pair64(x.s0, x.s1, x.s2, x.s3, &zc, &zs);
    return (double2)(zc, zs);
}

inline double2 ci_gen2_normal(ulong block, const ci_values64 *v)
{
    return v->mean + v->std * ci_block_normals64(block, v);
}

/* mean, std, plan (tn_plan, tn[0..3]), clamped to [clamp_lo, clamp_hi] */
inline double2 ci_gen2_truncnorm(ulong block, const ci_values64 *v)
{
    double2 z = v->tn_plan == CLINIT_TN_NORMAL ? ci_block_normals64(block, v) : (double2)(0.0);
    ulong i = block << 1;
    uint k0 = (uint)v->seed, k1 = (uint)(v->seed >> 32), s0 = (uint)v->stream, s1 = (uint)(v->stream >> 32);
    z.s0 = ci_truncnorm_z64(z.s0, i + 0, k0, k1, s0, s1, v->tn_plan, v->tn[0], v->tn[1], v->tn[2], v->tn[3]);
    z.s1 = ci_truncnorm_z64(z.s1, i + 1, k0, k1, s0, s1, v->tn_plan, v->tn[0], v->tn[1], v->tn[2], v->tn[3]);
    double2 x = v->mean + v->std * z;
    return (double2)(ci_clamp64(x.s0, v->clamp_lo, v->clamp_hi), ci_clamp64(x.s1, v->clamp_lo, v->clamp_hi));
}

/* The 32 values of blocks block0 … block0 + 15 for the CPU kernels: lane l of *even and *odd holds elements
 * 2(block0 + l) and 2(block0 + l) + 1, each the scalar generator's value. */
inline void ci_gen32_constant(ulong block0, const ci_values64 *v, double16 *even, double16 *odd)
{
    *even = *odd = (double16)(v->value);
}

inline void ci_gen32_uniform(ulong block0, const ci_values64 *v, double16 *even, double16 *odd)
{
    uint16 x[4];
    ci_words16(block0, v->seed, v->stream, x);
    double16 lo = (double16)(v->lo), hi = (double16)(v->hi), chi = (double16)(v->clamp_hi);
    *even = ci_uniform_6416(x[0], x[1], lo, hi, chi);
    *odd = ci_uniform_6416(x[2], x[3], lo, hi, chi);
}

inline void ci_gen32_normal(ulong block0, const ci_values64 *v, double16 *even, double16 *odd)
{
    uint16 x[4];
    ci_words16(block0, v->seed, v->stream, x);
    double16 zc, zs;
    ci_normal_pair6416(x[0], x[1], x[2], x[3], &zc, &zs);
    *even = v->mean + v->std * zc;
    *odd = v->mean + v->std * zs;
}

/* ... from the scalar generator, block by block, for generators without a vector form */
#define CLINIT_GEN32_FROM_GEN2(gen2, block0, v, even, odd)                                                             \
    {                                                                                                                  \
        double e_[16], o_[16];                                                                                         \
        for (int l = 0; l < 16; l++) {                                                                                 \
            double2 b_ = gen2((block0) + (ulong)l, (v));                                                               \
            e_[l] = b_.s0, o_[l] = b_.s1;                                                                              \
        }                                                                                                              \
        *(even) = vload16(0, e_);                                                                                      \
        *(odd) = vload16(0, o_);                                                                                       \
    }
/* Under the normal plan the block normals in vectors, and only those outside the window (4.6 % at ±2σ) drawn again,
 * one by one by the scalar rule; under the others, where every element draws, the scalar generator throughout. */
inline void ci_gen32_truncnorm(ulong block0, const ci_values64 *v, double16 *even, double16 *odd)
{
    if (v->tn_plan != CLINIT_TN_NORMAL) {
        CLINIT_GEN32_FROM_GEN2(ci_gen2_truncnorm, block0, v, even, odd)
        return;
    }
    uint16 x[4];
    ci_words16(block0, v->seed, v->stream, x);
    double16 z[2];
    ci_normal_pair6416(x[0], x[1], x[2], x[3], &z[0], &z[1]);
    double lo = v->tn[0], hi = v->tn[1];
    if (any(z[0] < lo || z[0] > hi || z[1] < lo || z[1] > hi)) {
        double e[2][16];
        uint k0 = (uint)v->seed, k1 = (uint)(v->seed >> 32), s0 = (uint)v->stream, s1 = (uint)(v->stream >> 32);
        for (int h = 0; h < 2; h++) {
            vstore16(z[h], 0, e[h]);
            for (int l = 0; l < 16; l++)
                if (e[h][l] < lo || e[h][l] > hi)
                    e[h][l] = ci_truncnorm_z64(e[h][l], ((block0 + (ulong)l) << 1) + (ulong)h, k0, k1, s0, s1,
                                               v->tn_plan, lo, hi, v->tn[2], v->tn[3]);
            z[h] = vload16(0, e[h]);
        }
    }
    double16 clo = (double16)(v->clamp_lo), chi = (double16)(v->clamp_hi);
    *even = ci_clamp6416(v->mean + v->std * z[0], clo, chi);
    *odd = ci_clamp6416(v->mean + v->std * z[1], clo, chi);
}

#define GEN2 ci_gen2_constant
#define GEN32 ci_gen32_constant
#define KERNEL clinit_fill64_constant
#include "fill64_runs.h"
#define GEN2 ci_gen2_uniform
#define GEN32 ci_gen32_uniform
#define KERNEL clinit_fill64_uniform
#include "fill64_runs.h"
#define GEN2 ci_gen2_normal
#define GEN32 ci_gen32_normal
#define KERNEL clinit_fill64_normal
#include "fill64_runs.h"
#define GEN2 ci_gen2_truncnorm
#define GEN32 ci_gen32_truncnorm
#define KERNEL clinit_fill64_truncnorm
#include "fill64_runs.h"

#endif
#endif
