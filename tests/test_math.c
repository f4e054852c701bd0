/* Generation 2's f32 math (docs/ALGORITHMS.md §7) over every value it can take, on the host build of the kernels'
 * own functions (kernels/arith.h), which the golden and device-vs-reference tests tie to every device:
 *  - −2·ln u as the kernels compute it (coefficients scaled by −2) is −2 times the documented steps bit for bit,
 *    for all 2^23 values of u, and within 0.82 ulp of −2·ln u in double;
 *  - √w within 0.5005 ulp of √w in double, the correctly rounded √ on all but 936 of those 2^23 values of w;
 *  - sin θ and cos θ within 7.4e-8 of sin and cos in double of the same angle, for all 2^25 angles.
 * The bounds are the measured figures docs/ALGORITHMS.md states; the arithmetic is exact, so any change of them
 * is a change of bits. */
#include "support.h"
#include "generate.h"

#include <math.h>

/* ln u as docs/ALGORITHMS.md §7 writes it: each Horner step and each e·ln 2 part one fma, unscaled. */
static float documented_log_g2(float u)
{
    float fe;
    float x = ci_log_reduce(u, &fe);
    float z = x * x;
    float y = 0x1.204376p-4f;
    const float c[] = {-0x1.d7a370p-4f, 0x1.de4a34p-4f, -0x1.fcba9ep-4f, 0x1.23d37ep-3f,
                       -0x1.555ca0p-3f, 0x1.999d58p-3f, -0x1.fffff8p-3f, 0x1.555554p-2f};
    for (int i = 0; i < 8; i++) y = fmaf(y, x, c[i]);
    y = y * x * z;
    y = fmaf(-0x1.bd0106p-13f, fe, y);
    y = fmaf(-0.5f, z, y);
    return fmaf(0x1.63p-1f, fe, x + y);
}

static double ulp_of(double v)
{
    float f = fabsf((float)v);
    return (double)nextafterf(f, INFINITY) - (double)f;
}

static void test_log_and_sqrt(void **state)
{
    (void)state;
    long not_scaled = 0, not_rounded = 0;
    double worst_log = 0, worst_sqrt = 0;
    for (uint32_t k = 0; k < (1u << 23); k++) {
        float u = ci_u01_of(k << 9);
        float w = ci_neg2_log_u01_g2(u);
        if (w != -2.0f * documented_log_g2(u)) not_scaled++;
        double exact = -2.0 * log((double)u);
        worst_log = fmax(worst_log, fabs((double)w - exact) / ulp_of(exact));
        float r = ci_sqrt_pos_g2(w);
        double root = sqrt((double)w);
        worst_sqrt = fmax(worst_sqrt, fabs((double)r - root) / ulp_of(root));
        if (r != sqrtf(w)) not_rounded++;
    }
    print_message("ln: worst %.4f ulp; sqrt: worst %.6f ulp, %ld not correctly rounded\n", worst_log, worst_sqrt,
                  not_rounded);
    assert_int_equal(not_scaled, 0);
    assert_true(worst_log <= 0.82);
    assert_true(worst_sqrt <= 0.5005);
    assert_int_equal(not_rounded, 936);
}

static void test_sincos(void **state)
{
    (void)state;
    double worst = 0;
    for (uint32_t q = 0; q < 4; q++) {
        for (uint32_t bits = 0; bits < (1u << 23); bits++) {
            uint32_t xb = q << 30 | bits;
            float s, c;
            ci_sincos_g2(xb, &s, &c);
            float t = fmaf(1.0f + (float)bits * 0x1p-23f, 0x1.921fb6p+0f, -0x1.2d97c8p+1f);
            double theta = q * (2 * atan(1.0)) + (double)t; /* q·π/2 */
            worst = fmax(worst, fmax(fabs((double)s - sin(theta)), fabs((double)c - cos(theta))));
        }
    }
    print_message("sin/cos: worst %.3g\n", worst);
    assert_true(worst <= 7.4e-8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_and_sqrt),
        cmocka_unit_test(test_sincos),
    };
    return cmocka_run_group_tests_name("math", tests, NULL, NULL);
}
