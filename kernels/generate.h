/*
 * The per-element rules of docs/ALGORITHMS.md, written once and compiled twice: as OpenCL C inside the
 * kernels and as C11 in the host reference (host/reference.c). Only operations that OpenCL requires to be
 * correctly rounded appear here — float +, −, ×, floor, conversions between integers and floats, bit
 * reinterpretation — with contraction into FMA switched off on both sides, so every device and the host
 * produce the same bits. Library log/sqrt/sin/cos (3–4 ulp in OpenCL, and different on every device) are
 * replaced by fixed polynomials (Cephes' single-precision logf, sinf, cosf coefficients) and Newton steps.
 * Constants are hexadecimal float literals so that no decimal-to-binary conversion can differ.
 */
#ifndef CLINIT_GENERATE_H
#define CLINIT_GENERATE_H

#ifdef __OPENCL_VERSION__
typedef uint clinit_u32;
typedef ulong clinit_u64;
#define clinit_bits(f) as_uint(f)
#define clinit_float(u) as_float(u)
#else
#include <Random123/philox.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
typedef uint32_t clinit_u32;
typedef uint64_t clinit_u64;
static inline clinit_u32 clinit_bits(float f)
{
    clinit_u32 u;
    memcpy(&u, &f, sizeof u);
    return u;
}
static inline float clinit_float(clinit_u32 u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
#endif

/*
 * The math below is written once as templates over the types, so that the CPU kernels can run it on
 * 16-lane vectors (float16/uint16/int16) and everything else on scalars: element-wise IEEE operations give
 * the same bits either way. Branches are selects; CLINIT_SEL(a, b, c) is "c ? b : a".
 */
#ifdef __OPENCL_VERSION__
#define CLINIT_SEL(a, b, c) select((a), (b), (c))
#else
#define CLINIT_SEL(a, b, c) ((c) ? (b) : (a))
#endif

/* SFX: name suffix; F, U, I: float, unsigned, int types; TF/TI: conversions to F/I; AU/AF: bit casts. */
#define CLINIT_DEFINE_MATH(SFX, F, U, I, TF, TI, AU, AF)                                                     \
    /* (k + 1/2)·2^-23 with k the top 23 bits of x: exact, in [2^-24, 1 − 2^-24], never 0 or 1. */          \
    static inline F clinit_u01_of##SFX(U x) { return TF(x >> 9) * 0x1p-23f + 0x1p-24f; }                     \
                                                                                                             \
    /* v kept inside [lo, hi] by comparisons (the same on every device, unlike fmin/fmax on signed zeros). */ \
    static inline F clinit_clamp##SFX(F v, F lo, F hi)                                                       \
    {                                                                                                        \
        v = CLINIT_SEL(v, lo, v < lo);                                                                       \
        return CLINIT_SEL(v, hi, v > hi);                                                                    \
    }                                                                                                        \
                                                                                                             \
    /* U[lo, hi) in a dtype: lo + (hi − lo)·u, clamped to [lo_d, hi_d], the smallest and largest values of   \
     * the output dtype inside [lo, hi) (docs/ALGORITHMS.md §4): never hi, never outside after rounding. */   \
    static inline F clinit_uniform_of##SFX(U x, F lo, F hi, F lo_d, F hi_d)                                  \
    {                                                                                                        \
        F span = hi - lo;                                                                                    \
        return clinit_clamp##SFX(lo + span * clinit_u01_of##SFX(x), lo_d, hi_d);                             \
    }                                                                                                        \
                                                                                                             \
    /* ln u for u in [2^-24, 1): u = 2^e·m, m in [√½, √2), ln u = e·ln 2 + ln m with Cephes' degree-9        \
     * polynomial for ln(1 + x), and ln 2 split into 0.693359375 − 2.12194440e-4 so e·ln 2 adds no error. */ \
    static inline F clinit_log_u01##SFX(F u)                                                                 \
    {                                                                                                        \
        U b = AU(u);                                                                                         \
        I e = TI(b >> 23) - 126;                                                                             \
        F m = AF((b & 0x007fffffu) | 0x3f000000u); /* in [0.5, 1) */                                         \
        e = CLINIT_SEL(e, e - 1, m < 0x1.6a09e6p-1f); /* below √½: use 2m */                                 \
        F x = CLINIT_SEL(m - 1.0f, m + m - 1.0f, m < 0x1.6a09e6p-1f);                                        \
        F z = x * x;                                                                                         \
        F y = 0x1.204376p-4f;                                                                                \
        y = y * x + -0x1.d7a370p-4f;                                                                         \
        y = y * x + 0x1.de4a34p-4f;                                                                          \
        y = y * x + -0x1.fcba9ep-4f;                                                                         \
        y = y * x + 0x1.23d37ep-3f;                                                                          \
        y = y * x + -0x1.555ca0p-3f;                                                                         \
        y = y * x + 0x1.999d58p-3f;                                                                          \
        y = y * x + -0x1.fffff8p-3f;                                                                         \
        y = y * x + 0x1.555554p-2f;                                                                          \
        y = y * x * z;                                                                                       \
        F fe = TF(e);                                                                                        \
        y = y + -0x1.bd0106p-13f * fe;                                                                       \
        y = y + -0.5f * z;                                                                                   \
        F r = x + y;                                                                                         \
        return r + 0x1.63p-1f * fe;                                                                          \
    }                                                                                                        \
                                                                                                             \
    /* √w for w in [2^-24, 64): three Newton steps for 1/√w from the classic bit-level estimate, then one    \
     * Newton correction of w·(1/√w). */                                                                     \
    static inline F clinit_sqrt_pos##SFX(F w)                                                                \
    {                                                                                                        \
        F y = AF(0x5f3759dfu - (AU(w) >> 1));                                                                \
        F h = 0.5f * w;                                                                                      \
        y = y * (1.5f - h * y * y);                                                                          \
        y = y * (1.5f - h * y * y);                                                                          \
        y = y * (1.5f - h * y * y);                                                                          \
        F s = w * y;                                                                                         \
        return s + (0.5f * y) * (w - s * s);                                                                 \
    }                                                                                                        \
                                                                                                             \
    /* sin and cos of 2π·t for a u01 value t: t·4 = q + r exactly (q the nearest integer, |r| ≤ ½),           \
     * x = r·π/2 in [−π/4, π/4], Cephes' sinf/cosf polynomials, then the quadrant q mod 4. */                \
    static inline void clinit_sincos_turn##SFX(F t, F *s_out, F *c_out)                                      \
    {                                                                                                        \
        F t4 = t * 4.0f;                                                                                     \
        F qf = floor(t4 + 0.5f);                                                                             \
        I q = TI(qf) & 3;                                                                                    \
        F x = (t4 - qf) * 0x1.921fb6p+0f;                                                                    \
        F z = x * x;                                                                                         \
        F s = -0x1.9943f2p-13f;                                                                              \
        s = s * z + 0x1.11073cp-7f;                                                                          \
        s = s * z + -0x1.555546p-3f;                                                                         \
        s = s * z * x + x;                                                                                   \
        F c = 0x1.99eb9cp-16f;                                                                               \
        c = c * z + -0x1.6c0c34p-10f;                                                                        \
        c = c * z + 0x1.55554ap-5f;                                                                          \
        c = c * z * z - 0.5f * z + 1.0f;                                                                     \
        *s_out = CLINIT_SEL(CLINIT_SEL(CLINIT_SEL(-c, -s, q == 2), c, q == 1), s, q == 0);                   \
        *c_out = CLINIT_SEL(CLINIT_SEL(CLINIT_SEL(s, -c, q == 2), -s, q == 1), c, q == 0);                   \
    }                                                                                                        \
                                                                                                             \
    /* Box–Muller: the two standard normals of the pair (xa, xb): r·cos θ and r·sin θ, r = √(−2 ln u_a),     \
     * θ = 2π·u_b. u_a ≥ 2^-24 keeps r ≤ 5.7686. */                                                         \
    static inline void clinit_normal_pair##SFX(U xa, U xb, F *z_cos, F *z_sin)                               \
    {                                                                                                        \
        F r = clinit_sqrt_pos##SFX(-2.0f * clinit_log_u01##SFX(clinit_u01_of##SFX(xa)));                     \
        F s, c;                                                                                              \
        clinit_sincos_turn##SFX(clinit_u01_of##SFX(xb), &s, &c);                                             \
        *z_cos = r * c;                                                                                      \
        *z_sin = r * s;                                                                                      \
    }

#ifdef __OPENCL_VERSION__
CLINIT_DEFINE_MATH(, float, uint, int, (float), (int), as_uint, as_float)
CLINIT_DEFINE_MATH(16, float16, uint16, int16, convert_float16, convert_int16, as_uint16, as_float16)
#else
#define clinit_to_float(x) ((float)(x))
#define clinit_to_int(x) ((int)(x))
#define floor floorf
CLINIT_DEFINE_MATH(, float, clinit_u32, int, clinit_to_float, clinit_to_int, clinit_bits, clinit_float)
#undef floor
#endif

/* bfloat16 bits of f: round to nearest, ties to even, on the top 16 bits; a NaN stays a quiet NaN. */
static inline unsigned short clinit_bf16_of(float f)
{
    clinit_u32 b = clinit_bits(f);
    if ((b & 0x7fffffffu) > 0x7f800000u) return (unsigned short)((b >> 16) | 0x0040u);
    return (unsigned short)((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
}

/* Truncated-normal plans (host/truncnorm.c chooses one per tensor) and the number of an element's own
 * Philox draws a plan may use (docs/ALGORITHMS.md §4). */
#define CLINIT_TN_NORMAL 0
#define CLINIT_TN_UNIFORM 1
#define CLINIT_TN_EXP_UPPER 2
#define CLINIT_TN_EXP_LOWER 3
#define CLINIT_TN_DRAWS 16

/* The standardized value of element i of a truncated normal on [c0, c1] (c = the plan's constants), key
 * (k0, k1), stream (s0, s1). z0 is the element's value from its block draw (used by the normal plan only).
 * Candidates are tried in a fixed order and the first accepted wins, so the value is a pure function of the
 * element; after CLINIT_TN_DRAWS draws the last candidate is clamped into the window. */
static inline float clinit_truncnorm_z(float z0, clinit_u64 i, clinit_u32 k0, clinit_u32 k1, clinit_u32 s0,
                                       clinit_u32 s1, int method, float c0, float c1, float c2, float c3)
{
    if (method == CLINIT_TN_NORMAL && z0 >= c0 && z0 <= c1) return z0;
    float last = z0;
    for (clinit_u32 d = 1; d <= CLINIT_TN_DRAWS; d++) {
        philox4x32_ctr_t ctr = {{(clinit_u32)i, (d << 24) | (clinit_u32)(i >> 32), s0, s1}};
        philox4x32_key_t key = {{k0, k1}};
        philox4x32_ctr_t x = philox4x32_R(10, ctr, key);
        for (int h = 0; h < 4; h += 2) {
            clinit_u32 xa = x.v[h], xb = x.v[h + 1];
            if (method == CLINIT_TN_NORMAL) {
                float zc, zs;
                clinit_normal_pair(xa, xb, &zc, &zs);
                if (zc >= c0 && zc <= c1) return zc;
                if (zs >= c0 && zs <= c1) return zs;
                last = zs;
            } else if (method == CLINIT_TN_UNIFORM) {
                /* x ~ U[c0, c1], accepted with exp((m² − x²)/2), c2 = m² */
                float v = c0 + (c1 - c0) * clinit_u01_of(xa);
                v = v > c1 ? c1 : v;
                if (clinit_log_u01(clinit_u01_of(xb)) <= (c2 - v * v) * 0.5f) return v;
                last = v;
            } else {
                /* x = c0 + Exp(λ), c2 = λ, c3 = 1/λ, accepted with exp(−(x − λ)²/2) if x ≤ c1; the lower
                 * plan samples the mirrored window and negates */
                float v = c0 - clinit_log_u01(clinit_u01_of(xa)) * c3;
                float dv = v - c2;
                if (v <= c1 && clinit_log_u01(clinit_u01_of(xb)) <= -0.5f * dv * dv)
                    return method == CLINIT_TN_EXP_LOWER ? -v : v;
                last = method == CLINIT_TN_EXP_LOWER ? -(v > c1 ? c1 : v) : (v > c1 ? c1 : v);
            }
        }
    }
    return method == CLINIT_TN_EXP_LOWER ? last : clinit_clamp(last, c0, c1);
}

#endif
