/*
 * The per-element arithmetic of f64 outputs (docs/ALGORITHMS.md §4, "f64") for one vector width: a template, included
 * by generate64.h once per width with these names defined (it undefines them at its end):
 *   F, U, UL, IL    the double, 32-bit unsigned, 64-bit unsigned and 64-bit signed types of the width (double, uint,
 *                   ulong, long, or their 16-lane vectors: a comparison of doubles gives an IL mask)
 *   NAME(x)         the function's name at the width (ci_x, ci_x16)
 *   TF(v), TUL(v), TIL(v)   conversions to F, UL, IL;  AUL(f), AF(u), AS_IL(u): bit reinterpretation
 *   SEL(a, b, c)    "c ? b : a", lane by lane;  FLOOR(x)
 * As in arith.h, only correctly rounded operations appear (double +, −, ×, floor, conversions, bit reinterpretation)
 * with contraction off, and branches are selects, so every lane is the scalar's value: the host reference, the GPU
 * kernels (scalars) and the CPU kernels (16 lanes) agree bit for bit. log, sqrt and sin/cos are fdlibm's polynomials
 * (Sun Microsystems' freely distributable libm) and Newton steps; the one division fdlibm's log needs is a Newton
 * reciprocal. The values are the same in every generation.
 */

/* (k + 1/2)·2^-52 with k = the top 32 bits of xa then the top 20 of xb (52 bits): exact, in
 * [2^-53, 1 − 2^-53], never 0 or 1. */
static inline F NAME(u01_64)(U xa, U xb)
{
    UL k = (TUL(xa) << 20) | TUL(xb >> 12);
    return TF(k) * 0x1p-52 + 0x1p-53;
}

static inline F NAME(clamp64)(F v, F lo, F hi)
{
    v = SEL(v, lo, v < lo);
    return SEL(v, hi, v > hi);
}

/* U[lo, hi): lo + (hi − lo)·u, clamped to [lo, the double below hi]. */
static inline F NAME(uniform_64)(U xa, U xb, F lo, F hi, F hi_d)
{
    F span = hi - lo;
    return NAME(clamp64)(lo + span * NAME(u01_64)(xa, xb), lo, hi_d);
}

/* 1/x for x in [1, 3] (fdlibm's 2 + f): a linear start (error < 13 %) and five Newton steps y(2 − xy), each
 * squaring the error, ending below the last bit. */
static inline F NAME(recip_1_3)(F x)
{
    F y = 1.1547005383792515 - 0.2886751345948129 * x;
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    y = y * (2.0 - x * y);
    return y;
}

/* ln u for u in [2^-53, 1): fdlibm's __ieee754_log: u = 2^k·(1 + f), √½ ≤ 1 + f < √2, s = f/(2 + f),
 * ln(1 + f) = 2s + s·R(s²) written as f − (hfsq − s·(hfsq + R)), k·ln 2 in two parts. */
static inline F NAME(log_u01_64)(F u)
{
    UL b = AUL(u);
    IL k = AS_IL(b >> 52) - 1023;
    F m = AF(((b & 0x000fffffffffffffUL) | 0x3ff0000000000000UL)); /* in [1, 2) */
    IL above = m > 0x1.6a09e667f3bcdp+0;                           /* √2: use m/2 */
    m = SEL(m, m * 0.5, above);
    k = SEL(k, k + 1, above);
    F f = m - 1.0;
    F s = f * NAME(recip_1_3)(2.0 + f);
    F z = s * s;
    F w = z * z;
    F t1 = w * (0x1.999999997fa04p-2 + w * (0x1.c71c51d8e78afp-3 + w * 0x1.39a09d078c69fp-3));
    F t2 =
        z * (0x1.5555555555593p-1 + w * (0x1.2492494229359p-2 + w * (0x1.7466496cb03dep-3 + w * 0x1.2f112df3e5244p-3)));
    F r = t2 + t1;
    F hfsq = 0.5 * f * f;
    F dk = TF(k);
    return dk * 0x1.62e42fee00000p-1 - ((hfsq - (s * (hfsq + r) + dk * 0x1.a39ef35793c76p-33)) - f);
}

/* √w for w in [2^-53, 76): four Newton steps for 1/√w from the bit-level estimate, then one correction. */
static inline F NAME(sqrt_pos64)(F w)
{
    F y = AF(0x5fe6eb50c7b537a9UL - (AUL(w) >> 1));
    F h = 0.5 * w;
    y = y * (1.5 - h * y * y);
    y = y * (1.5 - h * y * y);
    y = y * (1.5 - h * y * y);
    y = y * (1.5 - h * y * y);
    F s = w * y;
    return s + (0.5 * y) * (w - s * s);
}

/* sin and cos of 2π·t: t·4 = q + r exactly, x = r·π/2 with π/2 in two parts, fdlibm's __kernel_sin and
 * __kernel_cos on [−π/4, π/4], then the quadrant. */
static inline void NAME(sincos_turn64)(F t, F *s_out, F *c_out)
{
    F t4 = t * 4.0;
    F qf = FLOOR(t4 + 0.5);
    IL q = TIL(qf) & 3;
    F r = t4 - qf;
    F x = r * 0x1.921fb54400000p+0 + r * 0x1.0b4611a626331p-34;
    F z = x * x;
    F sp = 0x1.5d93a5acfd57cp-33;
    sp = -0x1.ae5e68a2b9cebp-26 + z * sp;
    sp = 0x1.71de357b1fe7dp-19 + z * sp;
    sp = -0x1.a01a019c161d5p-13 + z * sp;
    sp = 0x1.111111110f8a6p-7 + z * sp;
    F s = x + x * z * (-0x1.5555555555549p-3 + z * sp);
    F cp = -0x1.8fae9be8838d4p-37;
    cp = 0x1.1ee9ebdb4b1c4p-29 + z * cp;
    cp = -0x1.27e4f809c52adp-22 + z * cp;
    cp = 0x1.a01a019cb1590p-16 + z * cp;
    cp = -0x1.6c16c16c15177p-10 + z * cp;
    cp = 0x1.555555555554cp-5 + z * cp;
    F rr = z * cp;
    F hz = 0.5 * z;
    F wv = 1.0 - hz;
    F c = wv + (((1.0 - wv) - hz) + z * rr);
    *s_out = SEL(SEL(SEL(-c, -s, q == 2), c, q == 1), s, q == 0);
    *c_out = SEL(SEL(SEL(s, -c, q == 2), -s, q == 1), c, q == 0);
}

/* Box–Muller on the block's four words: u_a from (x0, x1), u_b from (x2, x3). r ≤ √(−2 ln 2^-53) = 8.57. */
static inline void NAME(normal_pair64)(U x0, U x1, U x2, U x3, F *z_cos, F *z_sin)
{
    F r = NAME(sqrt_pos64)(-2.0 * NAME(log_u01_64)(NAME(u01_64)(x0, x1)));
    F s, c;
    NAME(sincos_turn64)(NAME(u01_64)(x2, x3), &s, &c);
    *z_cos = r * c;
    *z_sin = r * s;
}

/* the names of this width, undefined for the next one */
#undef F
#undef U
#undef UL
#undef IL
#undef NAME
#undef TF
#undef TUL
#undef TIL
#undef AUL
#undef AF
#undef AS_IL
#undef SEL
#undef FLOOR
