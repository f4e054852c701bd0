/*
 * The truncated normal's own draws (docs/ALGORITHMS.md §4, "truncated normal") for one vector width: a template,
 * included by generate.h after arith.h with the same names (F, U, I, NAME, SEL, FMA …) and
 *   PHILOX(c0, c1, c2, c3, k0, k1, x)   Philox4x32-10 of counters (c0 … c3) and key (k0, k1) into x[0..3], per lane
 *   ANY(m)                               whether any lane of the mask m is set
 * Lane l is logical element (ihi[l] << 32) | ilo[l]; only the lanes of the mask m (true) are computed, each from its
 * own draws d = 1, 2, … (counter (i_lo, (d << 24) | i_hi, stream_lo, stream_hi), key = seed), candidates taken
 * in a fixed order and the first accepted one kept. A lane's draws do not depend on the others, so any number of
 * lanes gives each element the scalar value: the scalar instance serves the host reference and the GPU kernels,
 * the 16-lane one the CPU kernels. After CLINIT_TN_DRAWS draws without an accepted candidate, a lane's last
 * candidate is clamped into the window; lanes outside m return 0. c0 … c3 are the plan's constants
 * (host/truncnorm.c); g the generation. Generation 1 accepts a normal candidate z in the standardized window
 * [c0, c1]; generation 2 accepts it where its value fma(std, z, mean) lies in [vlo, vhi], the floats that round
 * to the output dtype's values inside [a, b], so that an accepted value needs no clamp and every such dtype value
 * keeps its whole rounding interval.
 */
static inline F NAME(truncnorm_redraw)(int g, U ilo, U ihi, I m, ci_u32 k0, ci_u32 k1, ci_u32 s0, ci_u32 s1, int method,
                                       float c0, float c1, float c2, float c3, float mean, float std, float vlo,
                                       float vhi)
{
    F z = 0.0f, last = 0.0f; /* every lane of m draws at least once, which sets last */
    /* lanes of m where ok holds take cand and leave m */
#define CLINIT_TN_TAKE(cand, ok)                                                                                       \
    {                                                                                                                  \
        I take_ = m & (ok);                                                                                            \
        z = SEL(z, (cand), take_);                                                                                     \
        m &= ~take_;                                                                                                   \
    }
    for (ci_u32 d = 1; d <= CLINIT_TN_DRAWS && ANY(m); d++) {
        U x[4];
        PHILOX(ilo, (d << 24) | ihi, s0, s1, k0, k1, x);
        if (method == CLINIT_TN_NORMAL) {
            /* the second pair only where the first gave nothing (0.2 % at ±2σ) */
            for (int h = 0; h < 4 && ANY(m); h += 2) {
                F zc, zs;
                NAME(normal_pair_gen)(g, x[h], x[h + 1], &zc, &zs);
                if (g >= 2) {
                    F vc = FMA((F)(std), zc, (F)(mean)), vs = FMA((F)(std), zs, (F)(mean));
                    CLINIT_TN_TAKE(zc, vc >= vlo && vc <= vhi)
                    CLINIT_TN_TAKE(zs, vs >= vlo && vs <= vhi)
                } else {
                    CLINIT_TN_TAKE(zc, zc >= c0 && zc <= c1)
                    CLINIT_TN_TAKE(zs, zs >= c0 && zs <= c1)
                }
                last = zs;
            }
        } else {
            for (int h = 0; h < 4 && ANY(m); h += 2) {
                F ua = NAME(u01_of)(x[h]), lb = NAME(log_gen)(g, NAME(u01_of)(x[h + 1]));
                if (method == CLINIT_TN_UNIFORM) {
                    /* x ~ U[c0, c1], accepted with exp((m² − x²)/2), c2 = m² */
                    F v = c0 + (c1 - c0) * ua;
                    v = SEL(v, (F)(c1), v > c1);
                    CLINIT_TN_TAKE(v, lb <= (c2 - v * v) * 0.5f)
                    last = v;
                } else {
                    /* x = c0 + Exp(λ), c2 = λ, c3 = 1/λ, accepted with exp(−(x − λ)²/2) if x ≤ c1; the lower plan
                     * samples the mirrored window and negates */
                    F v = c0 - NAME(log_gen)(g, ua) * c3;
                    F dv = v - c2;
                    F sign = method == CLINIT_TN_EXP_LOWER ? -1.0f : 1.0f;
                    CLINIT_TN_TAKE(sign * v, v <= c1 && lb <= -0.5f * dv * dv)
                    last = sign * SEL(v, (F)(c1), v > c1);
                }
            }
        }
    }
#undef CLINIT_TN_TAKE
    F fallback = method == CLINIT_TN_EXP_LOWER ? last : NAME(clamp)(last, (F)(c0), (F)(c1));
    return SEL(z, fallback, m);
}
