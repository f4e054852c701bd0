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
#define clinit_bits64(d) as_ulong(d)
#define clinit_double(u) as_double(u)
#define clinit_floor64(x) floor(x)
#else
static inline clinit_u64 clinit_bits64(double d)
{
    clinit_u64 u;
    memcpy(&u, &d, sizeof u);
    return u;
}
static inline double clinit_double(clinit_u64 u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}
#define clinit_floor64(x) floor(x)
#endif

/* (k + 1/2)·2^-52 with k = the top 32 bits of xa then the top 20 of xb (52 bits): exact, in
 * [2^-53, 1 − 2^-53], never 0 or 1. */
static inline double clinit_u01_64(clinit_u32 xa, clinit_u32 xb)
{
    clinit_u64 k = ((clinit_u64)xa << 20) | (clinit_u64)(xb >> 12);
    return (double)k * 0x1p-52 + 0x1p-53;
}

static inline double clinit_clamp64(double v, double lo, double hi)
{
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

/* U[lo, hi): lo + (hi − lo)·u, clamped to [lo, the double below hi]. */
static inline double clinit_uniform_64(clinit_u32 xa, clinit_u32 xb, double lo, double hi, double hi_d)
{
    double span = hi - lo;
    return clinit_clamp64(lo + span * clinit_u01_64(xa, xb), lo, hi_d);
}

/* 1/x for x in [1, 3] (fdlibm's 2 + f): a linear start (error < 13 %) and five Newton steps y(2 − xy), each
 * squaring the error, ending below the last bit. */
static inline double clinit_recip_1_3(double x)
{
    double y = 1.1547005383792515 - 0.2886751345948129 * x;
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    return y;
}

/* ln u for u in [2^-53, 1): fdlibm's __ieee754_log: u = 2^k·(1 + f), √½ ≤ 1 + f < √2, s = f/(2 + f),
 * ln(1 + f) = 2s + s·R(s²) written as f − (hfsq − s·(hfsq + R)), k·ln 2 in two parts. */
static inline double clinit_log_u01_64(double u)
{
    clinit_u64 b = clinit_bits64(u);
    int k = (int)(b >> 52) - 1023;
    double m = clinit_double((b & 0x000fffffffffffffUL) | 0x3ff0000000000000UL); /* in [1, 2) */
    if (m > 0x1.6a09e667f3bcdp+0) { /* √2: use m/2 */
        m = m * 0.5;
        k += 1;
    }
    double f = m - 1.0;
    double s = f * clinit_recip_1_3(2.0 + f);
    double z = s * s;
    double w = z * z;
    double t1 = w * (0x1.999999997fa04p-2 + w * (0x1.c71c51d8e78afp-3 + w * 0x1.39a09d078c69fp-3));
    double t2 = z * (0x1.5555555555593p-1 + w * (0x1.2492494229359p-2 + w * (0x1.7466496cb03dep-3 + w * 0x1.2f112df3e5244p-3)));
    double r = t2 + t1;
    double hfsq = 0.5 * f * f;
    double dk = (double)k;
    return dk * 0x1.62e42fee00000p-1 - ((hfsq - (s * (hfsq + r) + dk * 0x1.a39ef35793c76p-33)) - f);
}

/* √w for w in [2^-53, 76): four Newton steps for 1/√w from the bit-level estimate, then one correction. */
static inline double clinit_sqrt_pos64(double w)
{
    double y = clinit_double(0x5fe6eb50c7b537a9UL - (clinit_bits64(w) >> 1));
    double h = 0.5 * w;
    y = y * (1.5 - h * y * y);
    y = y * (1.5 - h * y * y);
    y = y * (1.5 - h * y * y);
    y = y * (1.5 - h * y * y);
    double s = w * y;
    return s + (0.5 * y) * (w - s * s);
}

/* sin and cos of 2π·t: t·4 = q + r exactly, x = r·π/2 with π/2 in two parts, fdlibm's __kernel_sin and
 * __kernel_cos on [−π/4, π/4], then the quadrant. */
static inline void clinit_sincos_turn64(double t, double *s_out, double *c_out)
{
    double t4 = t * 4.0;
    double qf = clinit_floor64(t4 + 0.5);
    int q = (int)qf & 3;
    double r = t4 - qf;
    double x = r * 0x1.921fb54400000p+0 + r * 0x1.0b4611a626331p-34;
    double z = x * x;
    double sp = 0x1.5d93a5acfd57cp-33;
    sp = -0x1.ae5e68a2b9cebp-26 + z * sp;
    sp = 0x1.71de357b1fe7dp-19 + z * sp;
    sp = -0x1.a01a019c161d5p-13 + z * sp;
    sp = 0x1.111111110f8a6p-7 + z * sp;
    double s = x + x * z * (-0x1.5555555555549p-3 + z * sp);
    double cp = -0x1.8fae9be8838d4p-37;
    cp = 0x1.1ee9ebdb4b1c4p-29 + z * cp;
    cp = -0x1.27e4f809c52adp-22 + z * cp;
    cp = 0x1.a01a019cb1590p-16 + z * cp;
    cp = -0x1.6c16c16c15177p-10 + z * cp;
    cp = 0x1.555555555554cp-5 + z * cp;
    double rr = z * cp;
    double hz = 0.5 * z;
    double wv = 1.0 - hz;
    double c = wv + (((1.0 - wv) - hz) + z * rr);
    *s_out = q == 0 ? s : q == 1 ? c : q == 2 ? -s : -c;
    *c_out = q == 0 ? c : q == 1 ? -s : q == 2 ? -c : s;
}

/* Box–Muller on the block's four words: u_a from (x0, x1), u_b from (x2, x3). r ≤ √(−2 ln 2^-53) = 8.57. */
static inline void clinit_normal_pair64(clinit_u32 x0, clinit_u32 x1, clinit_u32 x2, clinit_u32 x3, double *z_cos,
                                        double *z_sin)
{
    double r = clinit_sqrt_pos64(-2.0 * clinit_log_u01_64(clinit_u01_64(x0, x1)));
    double s, c;
    clinit_sincos_turn64(clinit_u01_64(x2, x3), &s, &c);
    *z_cos = r * c;
    *z_sin = r * s;
}

/* An element's own draws for the f64 truncated normal: each gives one Box–Muller pair (two candidates) or
 * one (u_a, u_b) try, so twice as many draws as f32 keep the same fallback probability. */
#define CLINIT_TN_DRAWS64 32

/* The standardized truncated-normal value of element i in f64 (clinit_truncnorm_z's rules, in double). */
static inline double clinit_truncnorm_z64(double z0, clinit_u64 i, clinit_u32 k0, clinit_u32 k1, clinit_u32 s0,
                                          clinit_u32 s1, int method, double c0, double c1, double c2, double c3)
{
    if (method == CLINIT_TN_NORMAL && z0 >= c0 && z0 <= c1) return z0;
    double last = z0;
    for (clinit_u32 d = 1; d <= CLINIT_TN_DRAWS64; d++) {
        clinit_u32 x[4];
        clinit_philox((clinit_u32)i, (d << 24) | (clinit_u32)(i >> 32), s0, s1, k0, k1, x);
        if (method == CLINIT_TN_NORMAL) {
            double zc, zs;
            clinit_normal_pair64(x[0], x[1], x[2], x[3], &zc, &zs);
            if (zc >= c0 && zc <= c1) return zc;
            if (zs >= c0 && zs <= c1) return zs;
            last = zs;
            continue;
        }
        double ua = clinit_u01_64(x[0], x[1]), ub = clinit_u01_64(x[2], x[3]);
        if (method == CLINIT_TN_UNIFORM) {
            double v = c0 + (c1 - c0) * ua;
            v = v > c1 ? c1 : v;
            if (clinit_log_u01_64(ub) <= (c2 - v * v) * 0.5) return v;
            last = v;
        } else {
            double v = c0 - clinit_log_u01_64(ua) * c3;
            double dv = v - c2;
            if (v <= c1 && clinit_log_u01_64(ub) <= -0.5 * dv * dv) return method == CLINIT_TN_EXP_LOWER ? -v : v;
            last = method == CLINIT_TN_EXP_LOWER ? -(v > c1 ? c1 : v) : (v > c1 ? c1 : v);
        }
    }
    return method == CLINIT_TN_EXP_LOWER ? last : clinit_clamp64(last, c0, c1);
}

#endif /* doubles */
#endif
