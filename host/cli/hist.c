/* The histogram of `clinit sample --hist`. The expected count of a bin is n·(F(hi) − F(lo)) with F the CDF of
 * the resolved distribution (truncated normal: renormalized to its window), so a wrong std or a missing
 * truncation shows as bars that leave their marks. */
#include "hist.h"

#include "dtypes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BINS 24
#define WIDTH 50

static double normal_cdf(double x, double mean, double std) { return 0.5 * erfc(-(x - mean) / (std * sqrt(2.0))); }

/* The CDF at x, or NAN where the distribution has none worth drawing (constants, patterns, orthogonal). */
static double cdf(const clinit_distribution *e, double x)
{
    switch (e->kind) {
    case CLINIT_DIST_UNIFORM: return e->high > e->low ? fmin(1, fmax(0, (x - e->low) / (e->high - e->low))) : NAN;
    case CLINIT_DIST_NORMAL: return e->std > 0 ? normal_cdf(x, e->mean, e->std) : NAN;
    case CLINIT_DIST_TRUNCATED_NORMAL: {
        double lo = normal_cdf(e->low, e->mean, e->std), hi = normal_cdf(e->high, e->mean, e->std);
        double c = normal_cdf(fmin(e->high, fmax(e->low, x)), e->mean, e->std);
        return hi > lo ? (c - lo) / (hi - lo) : NAN;
    }
    default: return NAN;
    }
}

void cli_hist(FILE *to, const cli_tensor_desc *d, const clinit_init_spec *spec, uint64_t numel, const void *values)
{
    if (numel == 0) return;
    double lo = INFINITY, hi = -INFINITY;
    for (uint64_t i = 0; i < numel; i++) {
        double v = cli_dtype_value(values, d->dtype, i);
        lo = fmin(lo, v);
        hi = fmax(hi, v);
    }
    if (!(hi > lo)) {
        fprintf(to, "all %llu values are %.6g\n", (unsigned long long)numel, lo);
        return;
    }
    uint64_t count[BINS];
    memset(count, 0, sizeof count);
    double width = (hi - lo) / BINS;
    for (uint64_t i = 0; i < numel; i++) {
        int b = (int)((cli_dtype_value(values, d->dtype, i) - lo) / width);
        count[b < BINS ? b : BINS - 1]++;
    }
    clinit_tensor t = cli_desc_tensor(d, NULL);
    clinit_distribution e;
    int have = clinit_init_resolve(spec, &t, &e) == CLINIT_SUCCESS && !isnan(cdf(&e, lo));
    double expect[BINS], top = 0;
    for (int b = 0; b < BINS; b++) {
        expect[b] = have ? (double)numel * (cdf(&e, lo + (b + 1) * width) - cdf(&e, lo + b * width)) : 0;
        top = fmax(top, fmax((double)count[b], expect[b]));
    }
    fprintf(to, "histogram: %d bins over [%.6g, %.6g]; '#' the values, '|' the count %s\n", BINS, lo, hi,
            have ? "the distribution predicts" : "(no density to compare: a constant, pattern or matrix)");
    for (int b = 0; b < BINS; b++) {
        char bar[WIDTH + 2];
        int n = (int)lround((double)count[b] / top * WIDTH), m = have ? (int)lround(expect[b] / top * WIDTH) : -1;
        for (int k = 0; k <= WIDTH; k++) bar[k] = k < n ? '#' : ' ';
        if (m >= 0) bar[m > WIDTH ? WIDTH : m] = '|';
        bar[WIDTH + 1] = '\0';
        fprintf(to, "%12.5g %s %10llu", lo + b * width, bar, (unsigned long long)count[b]);
        if (have) fprintf(to, " (expected %.0f)", expect[b]);
        fprintf(to, "\n");
    }
}
