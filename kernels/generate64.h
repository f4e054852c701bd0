/*
 * The per-element rules of docs/ALGORITHMS.md for f64 outputs, written once and compiled twice: as OpenCL C
 * (only where the device has cl_khr_fp64) and as C11 in the host reference. As in generate.h, only
 * correctly rounded operations appear — double +, −, ×, floor, conversions, bit reinterpretation — with
 * contraction off; log, sqrt and sin/cos are fdlibm's polynomials (Sun Microsystems' freely distributable
 * libm) and Newton steps, and the one division fdlibm's log needs is a Newton reciprocal.
 */
#ifndef CLINIT_GENERATE64_H
#define CLINIT_GENERATE64_H
#include "generate.h"
#if !defined(__OPENCL_VERSION__) || defined(cl_khr_fp64) /* devices without doubles skip the file */
#ifdef __OPENCL_VERSION__
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#ifdef __OPENCL_VERSION__
#define ci_bits64(d) as_ulong(d)
#define ci_double(u) as_double(u)
#else
static inline ci_u64 ci_bits64(double d)
{
    ci_u64 u;
    memcpy(&u, &d, sizeof u);
    return u;
}
static inline double ci_double(ci_u64 u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}
#endif

#ifdef __OPENCL_VERSION__
/* arith64.h for doubles (the GPU kernels) and 16 lanes (the CPU kernels) */
#define F double
#define U uint
#define UL ulong
#define IL long
#define NAME(x) ci_##x
#define TF(v) convert_double(v)
#define TUL(v) ((ulong)(v))
#define TIL(v) convert_long(v)
#define AUL(f) as_ulong(f)
#define AF(u) as_double(u)
#define AS_IL(u) as_long(u)
#define SEL(a, b, c) ((c) ? (b) : (a))
#define FLOOR(x) floor(x)
#include "arith64.h"
#define F double16
#define U uint16
#define UL ulong16
#define IL long16
#define NAME(x) ci_##x##16
#define TF(v) convert_double16(v)
#define TUL(v) convert_ulong16(v)
#define TIL(v) convert_long16(v)
#define AUL(f) as_ulong16(f)
#define AF(u) as_double16(u)
#define AS_IL(u) as_long16(u)
#define SEL(a, b, c) select((a), (b), (c))
#define FLOOR(x) floor(x)
#include "arith64.h"
#else
/* arith64.h for the host reference */
#define F double
#define U ci_u32
#define UL ci_u64
#define IL int64_t
#define NAME(x) ci_##x
#define TF(v) ((double)(v))
#define TUL(v) ((ci_u64)(v))
#define TIL(v) ((int64_t)(v))
#define AUL(f) ci_bits64(f)
#define AF(u) ci_double(u)
#define AS_IL(u) ((int64_t)(u))
#define SEL(a, b, c) ((c) ? (b) : (a))
#define FLOOR(x) floor(x)
#include "arith64.h"
#endif

/* An element's own draws for the f64 truncated normal: each gives one Box–Muller pair (two candidates) or
 * one (u_a, u_b) try, so twice as many draws as f32 keep the same fallback probability. */
#define CLINIT_TN_DRAWS64 32

/* The standardized truncated-normal value of element i in f64 (ci_truncnorm_z's rules, in double). */
static inline double ci_truncnorm_z64(double z0, ci_u64 i, ci_u32 k0, ci_u32 k1, ci_u32 s0, ci_u32 s1, int method,
                                      double c0, double c1, double c2, double c3)
{
    if (method == CLINIT_TN_NORMAL && z0 >= c0 && z0 <= c1) return z0;
    double last = z0;
    for (ci_u32 d = 1; d <= CLINIT_TN_DRAWS64; d++) {
        ci_u32 x[4];
        ci_philox((ci_u32)i, (d << 24) | (ci_u32)(i >> 32), s0, s1, k0, k1, x);
        if (method == CLINIT_TN_NORMAL) {
            double zc, zs;
            ci_normal_pair64(x[0], x[1], x[2], x[3], &zc, &zs);
            if (zc >= c0 && zc <= c1) return zc;
            if (zs >= c0 && zs <= c1) return zs;
            last = zs;
            continue;
        }
        double ua = ci_u01_64(x[0], x[1]), ub = ci_u01_64(x[2], x[3]);
        if (method == CLINIT_TN_UNIFORM) {
            double v = c0 + (c1 - c0) * ua;
            v = v > c1 ? c1 : v;
            if (ci_log_u01_64(ub) <= (c2 - v * v) * 0.5) return v;
            last = v;
        } else {
            double v = c0 - ci_log_u01_64(ua) * c3;
            double dv = v - c2;
            if (v <= c1 && ci_log_u01_64(ub) <= -0.5 * dv * dv) return method == CLINIT_TN_EXP_LOWER ? -v : v;
            last = method == CLINIT_TN_EXP_LOWER ? -(v > c1 ? c1 : v) : (v > c1 ? c1 : v);
        }
    }
    return method == CLINIT_TN_EXP_LOWER ? last : ci_clamp64(last, c0, c1);
}

#endif /* doubles */
#endif
