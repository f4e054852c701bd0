/*
 * The per-element arithmetic of docs/ALGORITHMS.md §3–4 for one vector width: a template, included by generate.h
 * once per width with these names defined (and undefined again after it):
 *   F, U, I        the float, unsigned and int types of the width (float/uint/int, or float16/uint16/int16)
 *   NAME(x)        the name of function x at this width (ci_x, or ci_x16)
 *   TF(v), TI(v)   conversion of U or I to F, of F to I;  AU(f), AF(u): bit reinterpretation
 *   SEL(a, b, c)   "c ? b : a", lane by lane;  FMA(a, b, c): a·b + c rounded once;  FLOOR(x)
 *   AS_I(u)        the I of the same bits
 * Only operations that IEEE 754 and OpenCL require to be correctly rounded appear: +, −, ×, fma, floor,
 * conversions, bit reinterpretation (FP_CONTRACT is off on both sides). Every element of a vector is computed
 * exactly as a scalar would be, so the 16-lane CPU kernels, the GPU kernels and the host reference agree bit for
 * bit. Library log/sqrt/sin/cos (3–4 ulp in OpenCL, different on every device) are replaced by Cephes'
 * single-precision polynomials and Newton steps. Constants are hexadecimal float literals.
 * Generation 1 rounds each product and sum apart; generation 2 evaluates the same polynomials with fma and
 * takes its quadrant from the Philox word's top bits (docs/ALGORITHMS.md §4, "Generation 2").
 */

/* (k + ½)·2^-23 for k the top 23 bits of x: 1 + k·2^-23 by bits, minus 1 − 2^-24. Both the bit pattern and the
 * difference are exact, so this is the same value as float(k)·2^-23 + 2^-24: in [2^-24, 1 − 2^-24]. */
static inline F NAME(u01_of)(U x) { return AF((x >> 9) | 0x3f800000u) - 0x1.fffffep-1f; }

/* v kept inside [lo, hi] by comparisons (the same on every device, unlike fmin/fmax on signed zeros). */
static inline F NAME(clamp)(F v, F lo, F hi)
{
    v = SEL(v, lo, v < lo);
    return SEL(v, hi, v > hi);
}

/* U[lo, hi) in a dtype: lo + (hi − lo)·u, clamped to [lo_d, hi_d], the smallest and largest values of the output
 * dtype inside [lo, hi): never hi, never outside after rounding. The same in every generation. */
static inline F NAME(uniform_of)(U x, F lo, F hi, F lo_d, F hi_d)
{
    F span = hi - lo;
    return NAME(clamp)(lo + span * NAME(u01_of)(x), lo_d, hi_d);
}

/* u = 2^e·m with m in [√½, √2) and x = m − 1, by integer steps on the bits: subtracting the bits of √½ moves the
 * mantissas below √½ into the next lower binade (e − 1, m doubled), exactly what comparing m with √½ did. For u
 * in [2^-24, 1) the difference d lies in (−2^28, 2^23), so (d + 2^28) >> 23 is e + 32 in unsigned arithmetic. */
#define CLINIT_SQRT_HALF_BITS 0x3f3504f3u
static inline F NAME(log_reduce)(F u, F *fe)
{
    U d = AU(u) - CLINIT_SQRT_HALF_BITS;
    *fe = TF(AS_I((d + 0x10000000u) >> 23) - 32);
    return AF((d & 0x007fffffu) + CLINIT_SQRT_HALF_BITS) - 1.0f;
}

/* ln u for u in [2^-24, 1): e·ln 2 + ln(1 + x) with Cephes' degree-9 polynomial, ln 2 split into 0.693359375 −
 * 2.12194440e-4 so that e·ln 2 adds no error. Generation 1: every product and sum rounded apart. */
static inline F NAME(log_u01)(F u)
{
    F fe;
    F x = NAME(log_reduce)(u, &fe);
    F z = x * x;
    F y = 0x1.204376p-4f;
    y = y * x + -0x1.d7a370p-4f;
    y = y * x + 0x1.de4a34p-4f;
    y = y * x + -0x1.fcba9ep-4f;
    y = y * x + 0x1.23d37ep-3f;
    y = y * x + -0x1.555ca0p-3f;
    y = y * x + 0x1.999d58p-3f;
    y = y * x + -0x1.fffff8p-3f;
    y = y * x + 0x1.555554p-2f;
    y = y * x * z;
    y = y + -0x1.bd0106p-13f * fe;
    y = y + -0.5f * z;
    F r = x + y;
    return r + 0x1.63p-1f * fe;
}

/* −2·ln u for u in [2^-24, 1), generation 2: the same polynomial and splitting, each Horner step and each e·ln 2
 * part one fma, every coefficient times −2. Scaling by −2 is exact at every step, so this is −2 times the value of
 * the unscaled steps bit for bit, and Box–Muller's −2·ln u costs no multiply (tests/test_math.c). */
static inline F NAME(neg2_log_u01_g2)(F u)
{
    F fe;
    F x = NAME(log_reduce)(u, &fe);
    F z = x * x;
    F y = -2.0f * 0x1.204376p-4f;
    y = FMA(y, x, -2.0f * -0x1.d7a370p-4f);
    y = FMA(y, x, -2.0f * 0x1.de4a34p-4f);
    y = FMA(y, x, -2.0f * -0x1.fcba9ep-4f);
    y = FMA(y, x, -2.0f * 0x1.23d37ep-3f);
    y = FMA(y, x, -2.0f * -0x1.555ca0p-3f);
    y = FMA(y, x, -2.0f * 0x1.999d58p-3f);
    y = FMA(y, x, -2.0f * -0x1.fffff8p-3f);
    y = FMA(y, x, -2.0f * 0x1.555554p-2f);
    y = y * x * z;
    y = FMA(-2.0f * -0x1.bd0106p-13f, fe, y);
    y = z + y; /* −2 · (−½·z) */
    return FMA(-2.0f * 0x1.63p-1f, fe, FMA(-2.0f, x, y));
}

/* ln u, generation 2: the polynomial above, halved back (exact). */
static inline F NAME(log_u01_g2)(F u) { return -0.5f * NAME(neg2_log_u01_g2)(u); }

/* √w for w in [2^-24, 64): three Newton steps for 1/√w from the classic bit-level estimate, then one Newton
 * correction of w·(1/√w). */
static inline F NAME(sqrt_pos)(F w)
{
    F y = AF(0x5f3759dfu - (AU(w) >> 1));
    F h = 0.5f * w;
    y = y * (1.5f - h * y * y);
    y = y * (1.5f - h * y * y);
    y = y * (1.5f - h * y * y);
    F s = w * y;
    return s + (0.5f * y) * (w - s * s);
}

/* Generation 2: two Newton steps (relative error below 5e-6), then the correction with fma, which squares it away:
 * of the 2^23 values w = −2·ln u can take, all but 936 give the correctly rounded √w, the others within 0.5005 ulp
 * (tests/test_math.c). */
static inline F NAME(sqrt_pos_g2)(F w)
{
    F y = AF(0x5f3759dfu - (AU(w) >> 1));
    F h = 0.5f * w;
    y = y * FMA(-h * y, y, 1.5f);
    y = y * FMA(-h * y, y, 1.5f);
    F s = w * y;
    return FMA(0.5f * y, FMA(-s, s, w), s);
}

/* Cephes' sinf and cosf polynomials on x in [−π/4, π/4] (z = x²), generation 1. */
static inline F NAME(sin_poly)(F x, F z)
{
    F s = -0x1.9943f2p-13f;
    s = s * z + 0x1.11073cp-7f;
    s = s * z + -0x1.555546p-3f;
    return s * z * x + x;
}
static inline F NAME(cos_poly)(F z)
{
    F c = 0x1.99eb9cp-16f;
    c = c * z + -0x1.6c0c34p-10f;
    c = c * z + 0x1.55554ap-5f;
    return c * z * z - 0.5f * z + 1.0f;
}

/* sin and cos of 2π·t for a u01 value t (generation 1): t·4 = q + r exactly (q the nearest integer, |r| ≤ ½),
 * x = r·π/2 in [−π/4, π/4], then the quadrant q mod 4. */
static inline void NAME(sincos_turn)(F t, F *s_out, F *c_out)
{
    F t4 = t * 4.0f;
    F qf = FLOOR(t4 + 0.5f);
    I q = TI(qf) & 3;
    F x = (t4 - qf) * 0x1.921fb6p+0f;
    F z = x * x;
    F s = NAME(sin_poly)(x, z), c = NAME(cos_poly)(z);
    *s_out = SEL(SEL(SEL(-c, -s, q == 2), c, q == 1), s, q == 0);
    *c_out = SEL(SEL(SEL(s, -c, q == 2), -s, q == 1), c, q == 0);
}

/* Generation 2: the angle θ = q·π/2 + x of a Philox word xb, q = its top two bits and x = (m − 1.5)·π/2 from its
 * low 23 bits (m = 1 + bits·2^-23, so x in [−π/4, π/4) on a grid of 2^23 points), so that sin θ and cos θ are
 * the polynomials on x, swapped when q is odd, their signs flipped by q's bits: no floor, no conversion. */
static inline void NAME(sincos_g2)(U xb, F *s_out, F *c_out)
{
    F x = FMA(AF((xb & 0x007fffffu) | 0x3f800000u), 0x1.921fb6p+0f, -0x1.2d97c8p+1f);
    F z = x * x;
    F s = -0x1.9943f2p-13f;
    s = FMA(s, z, 0x1.11073cp-7f);
    s = FMA(s, z, -0x1.555546p-3f);
    s = FMA(s * z, x, x);
    F c = 0x1.99eb9cp-16f;
    c = FMA(c, z, -0x1.6c0c34p-10f);
    c = FMA(c, z, 0x1.55554ap-5f);
    c = FMA(c * z, z, FMA(-0.5f, z, 1.0f));
    /* q = 0: (s, c); 1: (c, −s); 2: (−s, −c); 3: (−c, s) */
    I odd = (xb & 0x40000000u) != 0;
    F sin_t = SEL(s, c, odd), cos_t = SEL(c, s, odd);
    *s_out = AF(AU(sin_t) ^ (xb & 0x80000000u));
    *c_out = AF(AU(cos_t) ^ ((xb ^ (xb << 1)) & 0x80000000u));
}

/* Box–Muller: the two standard normals of the pair (xa, xb), r·cos θ and r·sin θ with r = √(−2 ln u_a).
 * u_a ≥ 2^-24 keeps r ≤ 5.7686. Generation 1: θ = 2π·u01(xb). */
static inline void NAME(normal_pair)(U xa, U xb, F *z_cos, F *z_sin)
{
    F r = NAME(sqrt_pos)(-2.0f * NAME(log_u01)(NAME(u01_of)(xa)));
    F s, c;
    NAME(sincos_turn)(NAME(u01_of)(xb), &s, &c);
    *z_cos = r * c;
    *z_sin = r * s;
}

/* Generation 2: the fma forms above, θ from xb's bits. */
static inline void NAME(normal_pair_g2)(U xa, U xb, F *z_cos, F *z_sin)
{
    F r = NAME(sqrt_pos_g2)(NAME(neg2_log_u01_g2)(NAME(u01_of)(xa)));
    F s, c;
    NAME(sincos_g2)(xb, &s, &c);
    *z_cos = r * c;
    *z_sin = r * s;
}

/* ln u and the pair under generation g (1 or 2). */
static inline F NAME(log_gen)(int g, F u) { return g >= 2 ? NAME(log_u01_g2)(u) : NAME(log_u01)(u); }

static inline void NAME(normal_pair_gen)(int g, U xa, U xb, F *z_cos, F *z_sin)
{
    if (g >= 2)
        NAME(normal_pair_g2)(xa, xb, z_cos, z_sin);
    else
        NAME(normal_pair)(xa, xb, z_cos, z_sin);
}
