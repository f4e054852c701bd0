/* Truncated normal on the host: the sampling plan the kernels follow for a standardized window [α, β]
 * (docs/ALGORITHMS.md §4), and the moments of the truncated distribution. All in double precision, the same
 * on every host, rounded to float once at the end. */
#include "internal.h"

#include "generate.h"

#include <math.h>

#define SQRT2 1.41421356237309504880
#define SQRT_2PI 2.50662827463100050242

/* Φ(b) − Φ(a) without cancellation: from the tail the window lies in. */
static double mass(double a, double b)
{
    if (a > 0) return 0.5 * (erfc(a / SQRT2) - erfc(b / SQRT2));
    if (b < 0) return 0.5 * (erfc(-b / SQRT2) - erfc(-a / SQRT2));
    return 1 - 0.5 * erfc(b / SQRT2) - 0.5 * erfc(-a / SQRT2);
}

static double phi(double x) { return isinf(x) ? 0 : exp(-x * x / 2) / SQRT_2PI; }

/* Moments of a window too narrow for the closed form below, where Φ(β) − Φ(α) and the variance formula
 * cancel (the std of [1, 1.000001] came out 0, of [0.999999, 1] 50 times too large). Across such a window
 * the density changes by at most a factor e, so Simpson's rule on 1024 intervals is exact to about 1e-13;
 * offsets u from the window's middle keep the sums free of cancellation. */
static void narrow_moments(double a, double b, double *mean, double *std)
{
    enum { N = 1024 };
    double mid = 0.5 * (a + b), h = (b - a) / N, c = a > 0 ? a : b < 0 ? b : 0;
    double s0 = 0, s1 = 0, s2 = 0;
    for (int i = 0; i <= N; i++) {
        double u = (i - N / 2) * h, x = mid + u;
        double w = exp(-(x * x - c * c) / 2) * (i == 0 || i == N ? 1 : i % 2 ? 4 : 2);
        s0 += w;
        s1 += w * u;
        s2 += w * u * u;
    }
    double m = s1 / s0;
    *mean = mid + m;
    *std = sqrt(fmax(0, s2 / s0 - m * m));
}

void ci_truncnorm_moments(double a, double b, double *mean, double *std)
{
    if (isfinite(a) && isfinite(b) && (b - a) * (1 + fmax(fabs(a), fabs(b))) <= 1) {
        narrow_moments(a, b, mean, std);
        return;
    }
    double z = mass(a, b);
    double pa = phi(a), pb = phi(b);
    double apa = isinf(a) ? 0 : a * pa, bpb = isinf(b) ? 0 : b * pb;
    double m = (pa - pb) / z;
    *mean = m;
    *std = sqrt(fmax(0, 1 + (apa - bpb) / z - m * m));
}

/* Acceptance probabilities of the three proposals (Robert 1995, "Simulation of truncated normal variables"):
 *  normal:      a candidate N(0,1) lands in the window: Z = Φ(β) − Φ(α);
 *  uniform:     x ~ U[α, β], accepted with exp((m² − x²)/2), m the window's point nearest 0: Z / ((β−α)·φ(m));
 *  exponential: x = α + Exp(λ), λ = (α + √(α² + 4))/2, accepted with exp(−(x − λ)²/2) if x ≤ β:
 *               λ·exp(λα − λ²/2)·√(2π)·Z (the integrand collapses to a multiple of φ). Windows below 0 use
 *               the mirror image. */
clinit_status ci_truncnorm_plan(double alpha, double beta, int f64, int *method, double c[4], double *zmax)
{
    double z = mass(alpha, beta);
    if (!(z > 0) || !(alpha < beta)) return CLINIT_ERROR_INVALID_PARAMETER;
    int mirror = beta <= 0; /* the exponential proposal runs on the upper side */
    double lo = mirror ? -beta : alpha, hi = mirror ? -alpha : beta;
    double best = z;
    *method = CLINIT_TN_NORMAL;
    if (isfinite(alpha) && isfinite(beta)) {
        double m = alpha > 0 ? alpha : beta < 0 ? beta : 0;
        double acc = z / ((beta - alpha) * phi(m));
        if (acc > best) best = acc, *method = CLINIT_TN_UNIFORM;
    }
    double lambda = (lo + sqrt(lo * lo + 4)) / 2;
    if (lo >= 0) {
        double acc = lambda * exp(lambda * lo - lambda * lambda / 2) * SQRT_2PI * z;
        if (acc > best) best = acc, *method = mirror ? CLINIT_TN_EXP_LOWER : CLINIT_TN_EXP_UPPER;
    }
    /* Per element the plan has CLINIT_TN_DRAWS Philox calls in f32 (4 candidates each for the normal
     * proposal, plus the element's own block value; 2 tries each otherwise) and CLINIT_TN_DRAWS64 in f64
     * (2 candidates or 1 try each): the same counts. Robert's choice keeps the acceptance above ~0.5 for
     * every window; refuse a window where the last candidate would be needed often. */
    int tries = *method == CLINIT_TN_NORMAL ? 4 * CLINIT_TN_DRAWS + 1 : 2 * CLINIT_TN_DRAWS;
    if (pow(1 - best, tries) > 1e-9) return CLINIT_ERROR_INVALID_PARAMETER;
    int exp_method = *method == CLINIT_TN_EXP_UPPER || *method == CLINIT_TN_EXP_LOWER;
    /* Rounded to the precision the kernels compute in, so that c[2] = m² is the square of the rounded m. */
    double m = *method == CLINIT_TN_UNIFORM ? (alpha > 0 ? alpha : beta < 0 ? beta : 0) : lambda;
    c[0] = exp_method ? lo : alpha;
    c[1] = exp_method ? hi : beta;
    c[2] = m;
    c[3] = 1 / lambda;
    if (!f64)
        for (int k = 0; k < 4; k++) c[k] = (double)(float)c[k];
    if (*method == CLINIT_TN_UNIFORM) c[2] = f64 ? c[2] * c[2] : (double)((float)c[2] * (float)c[2]);
    /* The largest |z| a plan can return: Box–Muller's √(−2 ln u_min) (5.7686 in f32, 8.5704 in f64), or the
     * window, or the exponential's reach (−ln u ≤ 16.64 for u ≥ 2^-24, 36.74 for u ≥ 2^-53). */
    double reach = *method == CLINIT_TN_NORMAL ? (f64 ? 8.5705 : 5.7687)
                   : exp_method                ? lo + (f64 ? 36.74 : 16.64) / lambda
                                               : 0;
    *zmax = fmax(fmin(reach, fmax(fabs(alpha), fabs(beta))),
                 *method == CLINIT_TN_UNIFORM ? fmax(fabs(alpha), fabs(beta)) : 0);
    return CLINIT_SUCCESS;
}
