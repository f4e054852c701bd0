/* The summary line. Statistics are over the values as written (an f16 sample's own values, not the f32 ones
 * they were rounded from), population std, in double precision. */
#include "summary.h"

#include "dtypes.h"
#include "npy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Sums run over the values divided by a power of two near the largest magnitude: squares of values beyond
 * 1e154 (or sums near DBL_MAX) would overflow to inf and those below 1e-154 underflow to 0, though every value
 * is finite. A power of two divides and multiplies back exactly, so ordinary values give the same digits. */
static void print_statistics(FILE *to, const cli_tensor_desc *d, uint64_t numel, const void *values)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < numel; i++) {
        double v = cli_dtype_value(values, d->dtype, i);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    double largest = fmax(fabs(lo), fabs(hi));
    /* inf or NaN among the values (f16 past 65504): no scale makes their statistics finite */
    double scale = isfinite(largest) && largest > 0 ? ldexp(1.0, ilogb(largest)) : 1.0;
    double sum = 0;
    for (size_t i = 0; i < numel; i++) sum += cli_dtype_value(values, d->dtype, i) / scale;
    double mean = sum / (double)numel, ss = 0;
    for (size_t i = 0; i < numel; i++) {
        double dv = cli_dtype_value(values, d->dtype, i) / scale - mean;
        ss += dv * dv;
    }
    fprintf(to, " mean %.6g std %.6g min %.6g max %.6g", mean * scale, sqrt(ss / (double)numel) * scale, lo, hi);
}

/* A value as printed: -0 as 0. linear_default_bias with fan_in 0 resolves to U[-0, 0) (the negated bound 0),
 * which PyTorch writes uniform_(bias, -0, 0) with Python's integer 0: U[0, 0); --param std=-0 is std 0. */
static double shown(double x) { return x == 0 ? 0.0 : x; }

/* Significant digits that print the bounds of an interval apart (6 unless they agree there, up to 17):
 * U[0.1, 0.1000001), not U[0.1, 0.1). */
static int digits(double lo, double hi)
{
    int p = 6;
    char a[32], b[32];
    for (; p < 17 && lo != hi; p++) {
        snprintf(a, sizeof a, "%.*g", p, lo);
        snprintf(b, sizeof b, "%.*g", p, hi);
        if (strcmp(a, b) != 0) break;
    }
    return p;
}

/* What the distribution is, and the mean and std its values have: every kind the library resolves to. */
static void print_expected(FILE *to, const clinit_init_spec *spec, const clinit_distribution *e)
{
    int p = digits(e->low, e->high);
    switch (e->kind) {
    case CLINIT_DIST_CONSTANT: fprintf(to, " expected: constant %.6g\n", shown(e->value)); return;
    case CLINIT_DIST_UNIFORM:
        fprintf(to, " expected: U[%.*g, %.*g) std %.6g\n", p, shown(e->low), p, shown(e->high), shown(e->expected_std));
        return;
    case CLINIT_DIST_NORMAL: fprintf(to, " expected: mean %.6g std %.6g\n", shown(e->mean), shown(e->std)); return;
    case CLINIT_DIST_TRUNCATED_NORMAL:
        fprintf(to, " expected: N(%.6g, %.6g^2) on [%.*g, %.*g]: mean %.6g std %.6g\n", shown(e->mean), e->std, p,
                shown(e->low), p, shown(e->high), shown(e->expected_mean), e->expected_std);
        return;
    case CLINIT_DIST_ORTHOGONAL:
        fprintf(to, " expected: orthogonal x %.6g: mean %.6g std %.6g\n", shown(e->value), shown(e->expected_mean),
                shown(e->expected_std));
        return;
    case CLINIT_DIST_STRUCTURED:
        fprintf(to, " expected: %s pattern of %.6g: mean %.6g std %.6g\n", clinit_init_name(spec->kind),
                shown(e->value), shown(e->expected_mean), shown(e->expected_std));
        return;
    case CLINIT_DIST_SPARSE:
        fprintf(to, " expected: N(0, %.6g^2) with %lld zeros per column: mean %.6g std %.6g\n", shown(e->std),
                (long long)e->count, shown(e->expected_mean), shown(e->expected_std));
        return;
    }
    fprintf(to, " expected: distribution kind %d\n", (int)e->kind); /* a kind newer than this tool */
}

/* The box's shape, then its bounds as half-open intervals, then the whole tensor's shape. */
static void print_box(FILE *to, const cli_tensor_desc *d, const int64_t *start, const int64_t *extent)
{
    char tuple[256];
    cli_shape_tuple(tuple, sizeof tuple, d->rank, extent);
    fprintf(to, " shape %s: box", tuple);
    for (int k = 0; k < d->rank; k++)
        fprintf(to, "%s[%lld, %lld)", k ? " x " : " ", (long long)start[k], (long long)(start[k] + extent[k]));
    cli_shape_tuple(tuple, sizeof tuple, d->rank, d->shape);
    fprintf(to, " of %s", tuple);
}

void cli_summary(FILE *to, const char *init, const cli_tensor_desc *d, const int64_t *box_start,
                 const int64_t *box_extent, const clinit_init_spec *spec, uint64_t numel, const void *values)
{
    char tuple[256];
    fputs(init, to);
    if (box_start && box_extent && d->rank > 0) {
        print_box(to, d, box_start, box_extent);
    } else {
        cli_shape_tuple(tuple, sizeof tuple, d->rank, d->shape);
        fprintf(to, " shape %s", tuple);
    }
    fprintf(to, " %s n=%llu", cli_dtype_name(d->dtype), (unsigned long long)numel);
    /* An empty tensor resolves to "constant 0" (PyTorch's no-op), which would read as a promise of zeros. */
    if (numel == 0) {
        fprintf(to, " (no values) expected: nothing to sample\n");
        return;
    }
    print_statistics(to, d, numel, values);
    clinit_tensor t = cli_desc_tensor(d, NULL);
    clinit_distribution e;
    if (clinit_init_resolve(spec, &t, &e) == CLINIT_SUCCESS)
        print_expected(to, spec, &e);
    else
        fprintf(to, "\n"); /* cannot happen: cli_spec_check resolved the same spec */
}
