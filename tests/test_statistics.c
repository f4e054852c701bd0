/* Distribution tests on 2^20 device samples per initializer, fixed seeds (so the outcome is deterministic;
 * each threshold is chosen for the false-alarm rate written next to it, the rate at which a correct
 * generator would fail with a random seed).
 *
 *  - Kolmogorov–Smirnov against the exact CDF (uniform on [lo, hi) with the float bounds; normal via erfc).
 *    √n·D ≤ 2.694: the asymptotic Kolmogorov distribution P(K > x) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²} gives
 *    α = 1.0e-6 at x = 2.694 (computed and asserted below). n = 2^20 is deep in the asymptotic regime
 *    (Stephens' finite-n correction √n + 0.12 + 0.11/√n changes x by 1e-4). The generator's own
 *    discreteness (u01 on a 2^-23 grid, Box–Muller truncated at |z| = 5.77, float rounding of the output)
 *    moves the CDF by < 1e-7, i.e. √n·D by < 1e-4.
 *  - Mean: z = (x̄ − μ)/(σ/√n), |z| < 5.5, two-sided α = 2Φ(−5.5) = 3.8e-8.
 *  - Variance: z = (s² − σ²)/√((μ4 − σ⁴)/n) with μ4 − σ⁴ = w⁴/180 for a uniform of width w, 2σ⁴ for a
 *    normal; |z| < 5.5, α = 3.8e-8 (s² is asymptotically normal; skewness of s² at n = 2^20 is < 3e-3).
 *  - Correlations (Box–Muller pair lanes, lag 1, two streams): r·√m ~ N(0, 1) for m pairs of
 *    uncorrelated variables with finite fourth moments (Var(z0·z1) = E[r⁴cos²θ sin²θ] = 1 for a Box–Muller
 *    pair as for independent normals); |r·√m| < 5.5, α = 3.8e-8.
 *  - Coincidences: the number of equal pairs among 2^20 float normals is not 0 (floats near |z| ≈ 1 are
 *    2^-23 apart): E = C(n, 2)·Σ_v p_v², Σ_v p_v² ≈ ∫ f(x)² g(x) dx with g the spacing of the values the
 *    generator can produce near x, corrected for round-half-to-even (collision_density(); checked against
 *    the reference generator: model 10051, sample 10122 for N(0.5, 2²); 7524 vs 7600 for N(0, 1)). The count is a sum
 *    of many rare pair events (Poisson, variance ≈ E); it must lie within E ± (5.5·√E + 2 % of E), α ≈ 4e-8
 *    plus a 2 % allowance for the continuous approximation of p_v. Feeding one uniform twice into
 *    Box–Muller (e.g. lanes 2, 3 reusing x0, x1) would add ~2^18 pairs. */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N (1u << 20)
static const double KS_CRIT = 2.694;
static const double Z_CRIT = 5.5;
static const uint64_t SEED = UINT64_C(0x5EED5EED00C0FFEE);

static double kolmogorov_tail(double x)
{
    double s = 0;
    for (int k = 1; k <= 100; k++) s += (k % 2 ? 2.0 : -2.0) * exp(-2.0 * k * k * x * x);
    return s;
}

static void test_thresholds(void **state)
{
    (void)state;
    /* The rates quoted in the header, recomputed. */
    double a_ks = kolmogorov_tail(KS_CRIT);
    assert_true(a_ks > 0.95e-6 && a_ks < 1.05e-6);
    double a_z = erfc(Z_CRIT / sqrt(2.0));
    assert_true(a_z > 3.7e-8 && a_z < 3.9e-8);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

typedef struct dist {
    int normal;
    double lo, hi;    /* uniform: float bounds */
    double mu, sigma; /* normal: float parameters */
} dist;

static double cdf(const dist *d, double x)
{
    if (d->normal) return 0.5 * erfc(-(x - d->mu) / (d->sigma * sqrt(2.0)));
    if (x <= d->lo) return 0;
    if (x >= d->hi) return 1;
    return (x - d->lo) / (d->hi - d->lo);
}

static float *sample(const sup_env *e, const clinit_tensor *t, const clinit_init_spec *s, uint64_t stream)
{
    assert_int_equal(sup_numel(t), N);
    return sup_device_fill(e, t, s, SEED, stream, 0);
}

/* KS, mean and variance tests of x (n values) against d. Sorts x. */
static void check_distribution(float *x, size_t n, const dist *d, const char *what)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) fail_msg("%s: value %zu is not finite", what, i);
        if (!d->normal && !(x[i] >= d->lo && x[i] < d->hi))
            fail_msg("%s: value %zu = %.9g outside [%.9g, %.9g)", what, i, (double)x[i], d->lo, d->hi);
        sum += x[i];
    }
    double mean = sum / (double)n, ss = 0;
    for (size_t i = 0; i < n; i++) ss += ((double)x[i] - mean) * ((double)x[i] - mean);
    double var = ss / (double)(n - 1);
    double mu, sigma2, m4_minus;
    if (d->normal) {
        mu = d->mu;
        sigma2 = d->sigma * d->sigma;
        m4_minus = 2 * sigma2 * sigma2;
    } else {
        double w = d->hi - d->lo;
        mu = (d->lo + d->hi) / 2;
        sigma2 = w * w / 12;
        m4_minus = w * w * w * w / 180;
    }
    double z_mean = (mean - mu) / sqrt(sigma2 / (double)n);
    double z_var = (var - sigma2) / sqrt(m4_minus / (double)n);

    qsort(x, n, sizeof *x, cmp_float);
    double dmax = 0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(d, x[i]);
        double a = f - (double)i / (double)n, b = (double)(i + 1) / (double)n - f;
        if (a > dmax) dmax = a;
        if (b > dmax) dmax = b;
    }
    double ks = dmax * sqrt((double)n);
    print_message("%-34s KS sqrt(n)D = %.3f (crit %.3f)  z_mean = %+.2f  z_var = %+.2f\n", what, ks, KS_CRIT, z_mean,
                  z_var);
    if (!(ks <= KS_CRIT)) fail_msg("%s: KS sqrt(n)·D = %.4f > %.3f", what, ks, KS_CRIT);
    if (!(fabs(z_mean) < Z_CRIT)) fail_msg("%s: mean %.9g, expected %.9g (z = %.2f)", what, mean, mu, z_mean);
    if (!(fabs(z_var) < Z_CRIT)) fail_msg("%s: variance %.9g, expected %.9g (z = %.2f)", what, var, sigma2, z_var);
}

static void check_spec(const sup_env *e, const clinit_tensor *t, const clinit_init_spec *s, const char *what)
{
    sup_dist r = sup_resolve(t, s);
    dist d = {r.dist == 2, r.p0, r.p1, r.p0, r.p1};
    static uint64_t stream = 100; /* a fresh stream per sample: the checks see independent samples */
    float *x = sample(e, t, s, stream++);
    check_distribution(x, N, &d, what);
    free(x);
}

static const int64_t SQ[2] = {1024, 1024}; /* 2^20 elements, fan_in = fan_out = 1024 */

static void test_uniform(void **state)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = -2;
    s.b = 3;
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){N});
    check_spec(SUP_ENV(state), &t, &s, "uniform(-2, 3)");
    s.a = 0;
    s.b = 1;
    check_spec(SUP_ENV(state), &t, &s, "uniform(0, 1)");
}

static void test_normal(void **state)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    s.mean = 0.5;
    s.std = 2;
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){N});
    check_spec(SUP_ENV(state), &t, &s, "normal(0.5, 2)");
}

static void test_xavier(void **state)
{
    clinit_tensor t = sup_tensor(NULL, 0, 2, SQ);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    check_spec(SUP_ENV(state), &t, &s, "xavier_uniform (1024,1024)");
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_NORMAL);
    s.gain = 5.0 / 3;
    check_spec(SUP_ENV(state), &t, &s, "xavier_normal gain 5/3");
}

static void test_kaiming(void **state)
{
    clinit_tensor t = sup_tensor(NULL, 0, 4, (int64_t[]){256, 64, 8, 8}); /* fan_in 4096, fan_out 16384 */
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_KAIMING_UNIFORM);
    check_spec(SUP_ENV(state), &t, &s, "kaiming_uniform default");
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    s.mode = CLINIT_FAN_OUT;
    s.nonlinearity = CLINIT_NL_RELU;
    check_spec(SUP_ENV(state), &t, &s, "kaiming_normal fan_out relu");
}

static void test_linear_default(void **state)
{
    clinit_tensor t = sup_tensor(NULL, 0, 2, SQ);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_WEIGHT);
    check_spec(SUP_ENV(state), &t, &s, "linear_default_weight");
    clinit_tensor b = sup_tensor(NULL, 0, 1, (int64_t[]){N});
    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_BIAS);
    s.fan_in = 1000;
    check_spec(SUP_ENV(state), &b, &s, "linear_default_bias fan_in 1000");
}

static double corr(const float *x, size_t xstride, const float *y, size_t ystride, size_t m)
{
    double sx = 0, sy = 0;
    for (size_t i = 0; i < m; i++) {
        sx += x[i * xstride];
        sy += y[i * ystride];
    }
    double mx = sx / (double)m, my = sy / (double)m, cxy = 0, cxx = 0, cyy = 0;
    for (size_t i = 0; i < m; i++) {
        double a = x[i * xstride] - mx, b = y[i * ystride] - my;
        cxy += a * b;
        cxx += a * a;
        cyy += b * b;
    }
    return cxy / sqrt(cxx * cyy);
}

static void assert_uncorrelated(const float *x, size_t xs, const float *y, size_t ys, size_t m, const char *what)
{
    double z = corr(x, xs, y, ys, m) * sqrt((double)m);
    print_message("%-34s r*sqrt(m) = %+.2f\n", what, z);
    if (!(fabs(z) < Z_CRIT)) fail_msg("%s: correlation r·√m = %.2f", what, z);
}

/* ulp of the float nearest x (x treated as a float's value). */
static double float_ulp(double x)
{
    x = fabs(x);
    if (x < 0x1p-126) return 0x1p-149;
    int e;
    frexp(x, &e); /* x = f·2^e, f in [0.5, 1) */
    return ldexp(1.0, e - 24);
}

/* Largest power of two dividing the float m (∞ for 0). */
static double float_lsb(double m)
{
    if (m == 0) return INFINITY;
    double g = 0x1p-149;
    while (fmod(fabs(m), 2 * g) == 0) g *= 2;
    return g;
}

/* Σ_v p_v² per unit length near v, divided by f(v)²: v = fl(mean + s), s = fl(std·z) a float whose values
 * are smoothly spread on its own grid ulp(s). The exact sum mean + s lies on the grid G = min(lsb(mean),
 * ulp(s)), s = v − mean. If G ≥ U = ulp(v) the values are G apart: G. Otherwise rounding maps R = U/G grid
 * points to each v, and round-half-to-even gives the two halfway points to the even neighbour: R + 1 and
 * R − 1 points alternately, i.e. U·(1 + 1/R²). With mean = 0 this is just ulp(v). */
static double collision_density(double v, double mean)
{
    double U = float_ulp(v), G = fmin(float_lsb(mean), float_ulp(v - mean));
    return G >= U ? G : U * (1 + (G / U) * (G / U));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Σ_v p_v² for the floats v of N(mu, sigma²) as generated: ∫ f(x)² collision_density(x) dx, by Simpson's
 * rule between the points where the density changes (±2^e and mu ± 2^e). */
static double collision_sum(double mu, double sigma)
{
    double pts[700];
    int np = 0;
    double lo = mu - 12 * sigma, hi = mu + 12 * sigma;
    pts[np++] = lo;
    pts[np++] = hi;
    for (int e = -80; e < 8; e++)
        for (int sign = -1; sign <= 1; sign += 2) {
            double c[2] = {sign * ldexp(1.0, e), mu + sign * ldexp(1.0, e)};
            for (int k = 0; k < 2; k++)
                if (c[k] > lo && c[k] < hi) pts[np++] = c[k];
        }
    qsort(pts, (size_t)np, sizeof pts[0], cmp_double);
    double total = 0;
    for (int i = 0; i + 1 < np; i++) {
        double a = pts[i], b = pts[i + 1];
        if (!(b > a)) continue;
        double g = collision_density(0.5 * (a + b), mu);
        const int m = 200;
        double h = (b - a) / m, s = 0;
        for (int k = 0; k <= m; k++) {
            double t = (a + k * h - mu) / sigma;
            double f = exp(-0.5 * t * t) / (sigma * 2.5066282746310002); /* √(2π) */
            s += ((k == 0 || k == m) ? 1 : (k % 2 ? 4 : 2)) * f * f;
        }
        total += s * h / 3 * g;
    }
    return total;
}

static void check_coincidences(float *x, size_t n, double mu, double sigma, const char *what)
{
    qsort(x, n, sizeof *x, cmp_float);
    double pairs = 0;
    size_t run = 1;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && sup_bits(x[i]) == sup_bits(x[i - 1])) {
            run++;
        } else {
            pairs += (double)run * (double)(run - 1) / 2;
            run = 1;
        }
    }
    double expect = (double)n * (double)(n - 1) / 2 * collision_sum(mu, sigma);
    double slack = Z_CRIT * sqrt(expect) + 0.02 * expect;
    print_message("%-34s equal pairs %.0f, expected %.1f ± %.1f\n", what, pairs, expect, slack);
    if (!(fabs(pairs - expect) <= slack))
        fail_msg("%s: %.0f pairs of equal values among %zu, expected %.1f ± %.1f", what, pairs, n, expect, slack);
}

static void test_box_muller_pairs(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){N});
    float *x = sample(e, &t, &s, 2);
    size_t m = N / 4; /* blocks */
    assert_uncorrelated(x + 0, 4, x + 1, 4, m, "normal lanes 0,1 (one pair)");
    assert_uncorrelated(x + 2, 4, x + 3, 4, m, "normal lanes 2,3 (one pair)");
    assert_uncorrelated(x + 0, 4, x + 2, 4, m, "normal lanes 0,2");
    assert_uncorrelated(x + 1, 4, x + 3, 4, m, "normal lanes 1,3");
    /* The two members of a pair are never equal (docs/ALGORITHMS.md §4). */
    for (size_t b = 0; b < m; b++) {
        assert_true(sup_bits(x[4 * b]) != sup_bits(x[4 * b + 1]));
        assert_true(sup_bits(x[4 * b + 2]) != sup_bits(x[4 * b + 3]));
    }
    check_coincidences(x, N, 0, 1, "normal(0, 1) coincidences");
    free(x);
    s.mean = 0.5;
    s.std = 2;
    x = sample(e, &t, &s, 3);
    check_coincidences(x, N, 0.5, 2, "normal(0.5, 2) coincidences");
    free(x);
}

static void test_independence(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 0, 1, (int64_t[]){N});
    clinit_init_spec u = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    clinit_init_spec n = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    float *a = sample(e, &t, &u, 10), *b = sample(e, &t, &u, 11);
    float *c = sup_device_fill(e, &t, &u, SEED + 1, 10, 0);
    assert_uncorrelated(a, 1, a + 1, 1, N - 1, "uniform lag 1");
    assert_uncorrelated(a, 1, a + 4, 1, N - 4, "uniform lag 4 (next block)");
    assert_uncorrelated(a, 1, b, 1, N, "uniform streams 10, 11");
    assert_uncorrelated(a, 1, c, 1, N, "uniform seeds S, S+1");
    free(a);
    free(b);
    free(c);
    a = sample(e, &t, &n, 10);
    b = sample(e, &t, &n, 11);
    assert_uncorrelated(a, 1, a + 4, 1, N - 4, "normal lag 4 (next block)");
    assert_uncorrelated(a, 1, b, 1, N, "normal streams 10, 11");
    free(a);
    free(b);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thresholds),       cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_normal),           cmocka_unit_test(test_xavier),
        cmocka_unit_test(test_kaiming),          cmocka_unit_test(test_linear_default),
        cmocka_unit_test(test_box_muller_pairs), cmocka_unit_test(test_independence),
    };
    return cmocka_run_group_tests_name("statistics", tests, sup_group_setup, sup_group_teardown);
}
