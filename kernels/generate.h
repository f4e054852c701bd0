/*
 * The per-element rules of docs/ALGORITHMS.md, written once and compiled twice: as OpenCL C inside the kernels
 * and as C11 in the host reference (host/reference.c). Philox4x32-10 here, the float arithmetic in arith.h and the
 * truncated normal's redraws in truncnorm.h, both templates instantiated below for scalars (host and GPU kernels)
 * and, in OpenCL, for 16-lane vectors (the CPU kernels). The bits are the same on every device and the host.
 */
#ifndef CLINIT_GENERATE_H
#define CLINIT_GENERATE_H

#ifdef __OPENCL_VERSION__
typedef uint ci_u32;
typedef ulong ci_u64;
#define ci_bits(f) as_uint(f)
#define ci_float(u) as_float(u)
#else
#include <math.h>
#include <stdint.h>
#include <string.h>
typedef uint32_t ci_u32;
typedef uint64_t ci_u64;
static inline ci_u32 ci_bits(float f)
{
    ci_u32 u;
    memcpy(&u, &f, sizeof u);
    return u;
}
static inline float ci_float(ci_u32 u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
#endif

/* Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC'11): Random123's philox4x32_R(10, ctr, key) round for round, each
 * 32 × 32 → 64-bit product written as its high word (mul_hi) and its low word (a 32-bit product), which GPU
 * compilers turn into one wide multiply (Random123's own mulhilo32 became two). Random123's known-answer vectors
 * hold it to those bits on the host and on every device (tests/test_philox_kat.c). */
#ifdef __OPENCL_VERSION__
#define CLINIT_MUL_HI(a, b) mul_hi((a), (b))
#else
#define CLINIT_MUL_HI(a, b) ((ci_u32)(((ci_u64)(a) * (b)) >> 32))
#endif
static inline void ci_philox(ci_u32 c0, ci_u32 c1, ci_u32 c2, ci_u32 c3, ci_u32 k0, ci_u32 k1, ci_u32 x[4])
{
    for (int r = 0; r < 10; r++) {
        ci_u32 hi0 = CLINIT_MUL_HI(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        ci_u32 hi1 = CLINIT_MUL_HI(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    x[0] = c0;
    x[1] = c1;
    x[2] = c2;
    x[3] = c3;
}

/* The ten round keys of key (k0, k1) as ci_philox computes them: rk[2r], rk[2r + 1] for round r. */
static inline void ci_philox_round_keys(ci_u32 k0, ci_u32 k1, ci_u32 rk[20])
{
    for (int r = 0; r < 10; r++) {
        rk[2 * r] = k0 + (ci_u32)r * 0x9E3779B9u;
        rk[2 * r + 1] = k1 + (ci_u32)r * 0xBB67AE85u;
    }
}

#ifdef __OPENCL_VERSION__
/* ci_philox with the round keys given (ci_philox_round_keys): the kernels get them computed by the host, as
 * arguments, which GPUs read as constant operands instead of recomputing or holding twenty registers. */
inline void ci_philox_rk(uint c0, uint c1, uint c2, uint c3, const uint *rk, uint x[4])
{
#pragma unroll /* every rk[] index a constant: keys read in place, never from a stack copy */
    for (int r = 0; r < 10; r++) {
        uint hi0 = mul_hi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint hi1 = mul_hi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        c0 = hi1 ^ c1 ^ rk[2 * r];
        c1 = lo1;
        c2 = hi0 ^ c3 ^ rk[2 * r + 1];
        c3 = lo0;
    }
    x[0] = c0;
    x[1] = c1;
    x[2] = c2;
    x[3] = c3;
}

/* Lanes of a and b (16 lanes each, b's numbered 16–31) picked by 16 constant indices. Clang's
 * __builtin_shufflevector hands LLVM the constant mask (one vpermt2d/vpermt2ps on AVX-512); PoCL's shuffle2
 * with the same mask became extracts, inserts and a round trip through the stack. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define CLINIT_SHUFFLE16(a, b, ...) __builtin_shufflevector((a), (b), __VA_ARGS__)
#endif
#endif
#ifndef CLINIT_SHUFFLE16
#define CLINIT_SHUFFLE16(a, b, ...) shuffle2((a), (b), (uint16)(__VA_ARGS__))
#endif
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define CLINIT_SHUFFLE16_64(a, b, ...) __builtin_shufflevector((a), (b), __VA_ARGS__)
#endif
#endif
#ifndef CLINIT_SHUFFLE16_64 /* the same for 64-bit lanes */
#define CLINIT_SHUFFLE16_64(a, b, ...) shuffle2((a), (b), (ulong16)(__VA_ARGS__))
#endif

/* The 32 × 32 → 64-bit products of the 16 lanes of c with m: their high words in *hi, low words in *lo.
 * The even lanes are the low halves of c seen as ulong8, the odd lanes the high halves; one 32 × 32 → 64
 * multiplication of each (vpmuludq on x86) gives all 16 products, whose words two shuffles sort out.
 * Written out because the compilers, given mul_hi or a product through ulong16, widen and narrow every
 * lane, and given a 32-bit product for the low words use vpmulld (two multiplier uops): Philox is most of
 * the work on CPUs, and the multiplier port its limit. */
inline void ci_mul_wide16(uint16 c, ulong m, uint16 *hi, uint16 *lo)
{
    ulong8 a = as_ulong8(c);
    uint16 pe = as_uint16((a & (ulong8)(0xffffffffu)) * m); /* lane 2k: low word of product 2k, 2k+1: high */
    uint16 po = as_uint16((a >> 32) * m);                   /* the same for product 2k + 1 */
    *lo = CLINIT_SHUFFLE16(pe, po, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
    *hi = CLINIT_SHUFFLE16(pe, po, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
}

/* ci_philox of 16 counters at once (lane l is counter (c0[l], c1[l], c2[l], c3[l]), key (k0, k1)), for CPU
 * devices, where one work-item running 16 counters in vector registers is several times faster than 16 scalar
 * work-items. */
inline void ci_philox16(uint16 c0, uint16 c1, uint16 c2, uint16 c3, uint k0, uint k1, uint16 *x)
{
    for (int r = 0; r < 10; r++) {
        uint16 h0, l0, h1, l1;
        ci_mul_wide16(c0, 0xD2511F53u, &h0, &l0);
        ci_mul_wide16(c2, 0xCD9E8D57u, &h1, &l1);
        c0 = h1 ^ c1 ^ (uint16)(k0);
        c1 = l1;
        c2 = h0 ^ c3 ^ (uint16)(k1);
        c3 = l0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    x[0] = c0;
    x[1] = c1;
    x[2] = c2;
    x[3] = c3;
}
#endif

/* Truncated-normal plans (host/truncnorm.c chooses one per tensor) and the number of an element's own
 * Philox draws a plan may use (docs/ALGORITHMS.md §4). */
#define CLINIT_TN_NORMAL 0
#define CLINIT_TN_UNIFORM 1
#define CLINIT_TN_EXP_UPPER 2
#define CLINIT_TN_EXP_LOWER 3
#define CLINIT_TN_DRAWS 16

/* arith.h and truncnorm.h for scalars: float, uint, int (the host's and the GPU kernels' width). */
#define F float
#define U ci_u32
#define NAME(x) ci_##x
#define PHILOX ci_philox
#ifdef __OPENCL_VERSION__
#define I int
#define TF(v) ((float)(v))
#define TI(v) ((int)(v))
#define AS_I(v) as_int(v)
#define AU(f) as_uint(f)
#define AF(u) as_float(u)
#define SEL(a, b, c) select((a), (b), (c))
#define FMA(a, b, c) fma((a), (b), (c))
#define FLOOR(x) floor(x)
#else
#define I int32_t
#define TF(v) ((float)(v))
#define TI(v) ((int32_t)(v))
#define AS_I(v) ((int32_t)(v))
#define AU(f) ci_bits(f)
#define AF(u) ci_float(u)
#define SEL(a, b, c) ((c) ? (b) : (a))
#define FMA(a, b, c) fmaf((a), (b), (c))
#define FLOOR(x) floorf(x)
#endif
#define ANY(m) ((m) != 0)
#include "arith.h"
#include "truncnorm.h"
#include "width_end.h"

#ifdef __OPENCL_VERSION__
/* ... and for 16 lanes: float16, uint16, int16 (the CPU kernels, kernels/fill_runs.h). */
#define F float16
#define U uint16
#define I int16
#define NAME(x) ci_##x##16
#define PHILOX(c0, c1, c2, c3, k0, k1, x) ci_philox16((c0), (c1), (uint16)(c2), (uint16)(c3), (k0), (k1), (x))
#define TF(v) convert_float16(v)
#define TI(v) convert_int16(v)
#define AS_I(v) as_int16(v)
#define AU(f) as_uint16(f)
#define AF(u) as_float16(u)
#define SEL(a, b, c) select((a), (b), (c))
#define FMA(a, b, c) fma((a), (b), (c))
#define FLOOR(x) floor(x)
#define ANY(m) any(m)
#include "arith.h"
#include "truncnorm.h"
#include "width_end.h"
#endif

#ifdef __OPENCL_VERSION__
#define FMA_SCALAR(a, b, c) fma((a), (b), (c))
#else
#define FMA_SCALAR(a, b, c) fmaf((a), (b), (c))
#endif

/* bfloat16 bits of f: round to nearest, ties to even, on the top 16 bits; a NaN stays a quiet NaN. */
static inline unsigned short ci_bf16_of(float f)
{
    ci_u32 b = ci_bits(f);
    if ((b & 0x7fffffffu) > 0x7f800000u) return (unsigned short)((b >> 16) | 0x0040u);
    return (unsigned short)((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
}

/* Whether the normal plan accepts the standard normal z (ci_truncnorm_redraw's rule for generation g). */
static inline int ci_truncnorm_accepts(int g, float z, float c0, float c1, float mean, float std, float vlo, float vhi)
{
    float v = g >= 2 ? FMA_SCALAR(std, z, mean) : z;
    return g >= 2 ? v >= vlo && v <= vhi : z >= c0 && z <= c1;
}

/* The standardized value of element i of a truncated normal (generation g, plan `method` with constants c0 … c3,
 * key (k0, k1), stream (s0, s1); mean, std, vlo, vhi as ci_truncnorm_redraw takes them): z0, the element's value
 * from its block draw, when the normal plan accepts it, else ci_truncnorm_redraw's. */
static inline float ci_truncnorm_z(int g, float z0, ci_u64 i, ci_u32 k0, ci_u32 k1, ci_u32 s0, ci_u32 s1, int method,
                                   float c0, float c1, float c2, float c3, float mean, float std, float vlo, float vhi)
{
    if (method == CLINIT_TN_NORMAL && ci_truncnorm_accepts(g, z0, c0, c1, mean, std, vlo, vhi)) return z0;
    return ci_truncnorm_redraw(g, (ci_u32)i, (ci_u32)(i >> 32), 1, k0, k1, s0, s1, method, c0, c1, c2, c3, mean, std,
                               vlo, vhi);
}

#endif
