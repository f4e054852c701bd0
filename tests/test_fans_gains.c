/* Fans, gains, names and the resolution of initializers to (distribution, parameters): pure host functions.
 * Expected values are PyTorch's (torch/nn/init.py and its test_nn.py gains) written as the decimal literals
 * Python prints for the same double operations in the same order, so every comparison is exact unless noted. */
#include "support.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void fans(int rank, const int64_t *shape, clinit_layout layout, int64_t want_in, int64_t want_out)
{
    int64_t fi = -1, fo = -1;
    assert_int_equal(clinit_compute_fans(rank, shape, layout, &fi, &fo), CLINIT_SUCCESS);
    assert_int_equal(fi, want_in);
    assert_int_equal(fo, want_out);
}

static void test_fans_linear(void **state)
{
    (void)state;
    /* nn.Linear(in=20, out=10): PyTorch stores (out, in) = (10, 20); Keras stores (in, out) = (20, 10). */
    fans(2, (int64_t[]){10, 20}, CLINIT_LAYOUT_OI, 20, 10);
    fans(2, (int64_t[]){20, 10}, CLINIT_LAYOUT_IO, 20, 10);
    /* NULL outputs are allowed individually. */
    int64_t fi = 0;
    assert_int_equal(clinit_compute_fans(2, (int64_t[]){10, 20}, CLINIT_LAYOUT_OI, &fi, NULL), CLINIT_SUCCESS);
    assert_int_equal(fi, 20);
    int64_t fo = 0;
    assert_int_equal(clinit_compute_fans(2, (int64_t[]){10, 20}, CLINIT_LAYOUT_OI, NULL, &fo), CLINIT_SUCCESS);
    assert_int_equal(fo, 10);
}

static void test_fans_conv(void **state)
{
    (void)state;
    /* conv1d (out 8, in 4, k 5); Keras (k 5, in 4, out 8). */
    fans(3, (int64_t[]){8, 4, 5}, CLINIT_LAYOUT_OI, 20, 40);
    fans(3, (int64_t[]){5, 4, 8}, CLINIT_LAYOUT_IO, 20, 40);
    /* conv2d ResNet stem (64, 3, 7, 7): rf 49, fan_in 147, fan_out 3136. */
    fans(4, (int64_t[]){64, 3, 7, 7}, CLINIT_LAYOUT_OI, 147, 3136);
    fans(4, (int64_t[]){7, 7, 3, 64}, CLINIT_LAYOUT_IO, 147, 3136);
    /* conv3d (16, 4, 3, 5, 7): rf 105. */
    fans(5, (int64_t[]){16, 4, 3, 5, 7}, CLINIT_LAYOUT_OI, 420, 1680);
    fans(5, (int64_t[]){3, 5, 7, 4, 16}, CLINIT_LAYOUT_IO, 420, 1680);
    /* Grouped conv2d in 32, out 64, groups 4: weight (64, 32/4 = 8, 3, 3) → fan_in 72, fan_out 576. */
    fans(4, (int64_t[]){64, 8, 3, 3}, CLINIT_LAYOUT_OI, 72, 576);
    /* Depthwise conv (groups = channels = 32): weight (32, 1, 3, 3). */
    fans(4, (int64_t[]){32, 1, 3, 3}, CLINIT_LAYOUT_OI, 9, 288);
    /* ConvTranspose2d(in 16, out 8, k 4) stores (in, out/groups, k, k) = (16, 8, 4, 4); PyTorch computes the
     * fans as for a forward conv: fan_in = shape[1]·rf = 128, fan_out = shape[0]·rf = 256. */
    fans(4, (int64_t[]){16, 8, 4, 4}, CLINIT_LAYOUT_OI, 128, 256);
    /* Rank 8 (the maximum). */
    fans(8, (int64_t[]){2, 3, 2, 2, 2, 2, 2, 2}, CLINIT_LAYOUT_OI, 3 * 64, 2 * 64);
    fans(8, (int64_t[]){2, 2, 2, 2, 2, 2, 3, 5}, CLINIT_LAYOUT_IO, 3 * 64, 5 * 64);
    /* A zero dimension gives zero fans, no error. */
    fans(2, (int64_t[]){0, 5}, CLINIT_LAYOUT_OI, 5, 0);
}

static void test_fans_errors(void **state)
{
    (void)state;
    int64_t fi = 7, fo = 7, shape[9] = {2, 2, 2, 2, 2, 2, 2, 2, 2};
    assert_int_equal(clinit_compute_fans(0, shape, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(clinit_compute_fans(1, shape, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(clinit_compute_fans(-1, shape, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(clinit_compute_fans(9, shape, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(clinit_compute_fans(2, NULL, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_compute_fans(3, (int64_t[]){4, -1, 3}, CLINIT_LAYOUT_OI, &fi, &fo),
                     CLINIT_ERROR_INVALID_SHAPE);
    assert_int_equal(
        clinit_compute_fans(2, (int64_t[]){INT64_C(1) << 31, INT64_C(1) << 31}, CLINIT_LAYOUT_OI, &fi, &fo),
        CLINIT_ERROR_INVALID_SHAPE);
    assert_int_equal(clinit_compute_fans(2, (int64_t[]){4, 4}, (clinit_layout)2, &fi, &fo),
                     CLINIT_ERROR_INVALID_LAYOUT);
    assert_int_equal(clinit_compute_fans(2, (int64_t[]){4, 4}, (clinit_layout)-1, &fi, &fo),
                     CLINIT_ERROR_INVALID_LAYOUT);
    /* Failures leave the outputs alone. */
    assert_int_equal(fi, 7);
    assert_int_equal(fo, 7);
}

static void test_fans_zero_dim_huge_receptive_field(void **state)
{
    (void)state;
    /* (0, 2^31, 2^31, 2^31): zero elements, but the receptive field 2^62 and fan_in 2^93 do not fit int64.
     * The fans cannot be represented: INVALID_SHAPE (never a signed overflow). */
    int64_t fi = 7, fo = 7;
    int64_t shape[4] = {0, INT64_C(1) << 31, INT64_C(1) << 31, INT64_C(1) << 31};
    assert_int_equal(clinit_compute_fans(4, shape, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_ERROR_INVALID_SHAPE);
    assert_int_equal(clinit_compute_fans_axes(4, shape, 0x2, 0x1, 0, &fi, &fo), CLINIT_ERROR_INVALID_SHAPE);
    assert_true(fi == 7 && fo == 7);
    /* Fans that fit int64 are PyTorch's even where the non-zero extents multiply past 2^56 (the element count
     * is 0; these were refused): (2^60, 0, 1) has fan_in 0, fan_out 2^60. */
    int64_t big[3] = {INT64_C(1) << 60, 0, 1};
    assert_int_equal(clinit_compute_fans(3, big, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_SUCCESS);
    assert_true(fi == 0 && fo == INT64_C(1) << 60);
    assert_int_equal(clinit_compute_fans(2, (int64_t[]){INT64_MAX, 0}, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_SUCCESS);
    assert_true(fi == 0 && fo == INT64_MAX);
    assert_int_equal(clinit_compute_fans_axes(3, big, 0x2, 0x1, 0, &fi, &fo), CLINIT_SUCCESS);
    assert_true(fi == 0 && fo == INT64_C(1) << 60);
    /* A non-empty shape keeps the 2^56 element rule. */
    assert_int_equal(
        clinit_compute_fans(3, (int64_t[]){INT64_C(1) << 30, INT64_C(1) << 30, 1}, CLINIT_LAYOUT_OI, &fi, &fo),
        CLINIT_ERROR_INVALID_SHAPE);
}

static void gain(clinit_nonlinearity nl, double param, double want)
{
    double g = -1;
    assert_int_equal(clinit_calculate_gain(nl, param, &g), CLINIT_SUCCESS);
    if (g != want) fail_msg("gain(%s, %.17g) = %.17g, expected %.17g", clinit_nonlinearity_name(nl), param, g, want);
}

static void test_gains(void **state)
{
    (void)state;
    /* PyTorch test_nn.py test_calculate_gain_*: these nonlinearities have gain 1. */
    const clinit_nonlinearity ones[] = {
        CLINIT_NL_LINEAR,           CLINIT_NL_CONV1D,           CLINIT_NL_CONV2D,           CLINIT_NL_CONV3D,
        CLINIT_NL_CONV_TRANSPOSE1D, CLINIT_NL_CONV_TRANSPOSE2D, CLINIT_NL_CONV_TRANSPOSE3D, CLINIT_NL_SIGMOID};
    for (size_t i = 0; i < sizeof ones / sizeof ones[0]; i++) gain(ones[i], 0.0, 1.0);
    gain(CLINIT_NL_TANH, 0.0, 5.0 / 3.0);
    gain(CLINIT_NL_RELU, 0.0, sqrt(2.0));
    gain(CLINIT_NL_RELU, 123.0, sqrt(2.0)); /* param ignored */
    gain(CLINIT_NL_LEAKY_RELU, CLINIT_DEFAULT_NEGATIVE_SLOPE, 1.4141428569978354);
    gain(CLINIT_NL_LEAKY_RELU, 10.0, 0.14071950894605836);
    gain(CLINIT_NL_LEAKY_RELU, 0.0, sqrt(2.0));
    gain(CLINIT_NL_LEAKY_RELU, sqrt(5.0), sqrt(2.0 / 6.0)); /* Linear's default a = √5 → √(1/3) */
    /* 1 + a² overflows: √2 / |a|, not the 0 of PyTorch's formula in doubles; still > 0 up to DBL_MAX. */
    gain(CLINIT_NL_LEAKY_RELU, 1e200, sqrt(2.0) / 1e200);
    gain(CLINIT_NL_LEAKY_RELU, -1e300, sqrt(2.0) / 1e300);
    double big = 0;
    assert_int_equal(clinit_calculate_gain(CLINIT_NL_LEAKY_RELU, DBL_MAX, &big), CLINIT_SUCCESS);
    assert_true(big > 0);
    gain(CLINIT_NL_SELU, 0.0, 0.75);
    gain(CLINIT_NL_SIGMOID, NAN, 1.0); /* param only matters for leaky_relu */

    double g = 42;
    assert_int_equal(clinit_calculate_gain((clinit_nonlinearity)12, 0, &g), CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_int_equal(clinit_calculate_gain((clinit_nonlinearity)-1, 0, &g), CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_int_equal(clinit_calculate_gain(CLINIT_NL_LEAKY_RELU, NAN, &g), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_calculate_gain(CLINIT_NL_LEAKY_RELU, INFINITY, &g), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_calculate_gain(CLINIT_NL_RELU, 0, NULL), CLINIT_ERROR_NULL_ARGUMENT);
    assert_true(g == 42);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const nl[] = {
        "linear",           "conv1d",  "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
        "conv_transpose3d", "sigmoid", "tanh",   "relu",   "leaky_relu",       "selu"};
    for (int i = 0; i < 12; i++) {
        assert_string_equal(clinit_nonlinearity_name((clinit_nonlinearity)i), nl[i]);
        clinit_nonlinearity out = (clinit_nonlinearity)-1;
        assert_int_equal(clinit_nonlinearity_from_name(nl[i], &out), CLINIT_SUCCESS);
        assert_int_equal(out, i);
    }
    assert_null(clinit_nonlinearity_name((clinit_nonlinearity)12));
    assert_null(clinit_nonlinearity_name((clinit_nonlinearity)-1));
    clinit_nonlinearity nlo;
    assert_int_equal(clinit_nonlinearity_from_name("ReLU", &nlo), CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_int_equal(clinit_nonlinearity_from_name("", &nlo), CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_int_equal(clinit_nonlinearity_from_name("relu ", &nlo), CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_int_equal(clinit_nonlinearity_from_name(NULL, &nlo), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_nonlinearity_from_name("relu", NULL), CLINIT_ERROR_NULL_ARGUMENT);

    static const char *const in[] = {"uniform",
                                     "normal",
                                     "constant",
                                     "zeros",
                                     "ones",
                                     "xavier_uniform",
                                     "xavier_normal",
                                     "kaiming_uniform",
                                     "kaiming_normal",
                                     "linear_default_weight",
                                     "linear_default_bias"};
    for (int i = 0; i < 11; i++) {
        assert_string_equal(clinit_init_name((clinit_init_kind)i), in[i]);
        clinit_init_kind out = (clinit_init_kind)-1;
        assert_int_equal(clinit_init_from_name(in[i], &out), CLINIT_SUCCESS);
        assert_int_equal(out, i);
    }
    assert_null(clinit_init_name((clinit_init_kind)99));
    assert_null(clinit_init_name((clinit_init_kind)-1));
    clinit_init_kind ko;
    assert_int_equal(clinit_init_from_name("kaiming_uniform_", &ko), CLINIT_ERROR_INVALID_INIT);
    assert_int_equal(clinit_init_from_name("", &ko), CLINIT_ERROR_INVALID_INIT);
    assert_int_equal(clinit_init_from_name(NULL, &ko), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_init_from_name("zeros", NULL), CLINIT_ERROR_NULL_ARGUMENT);
}

static void test_spec_defaults(void **state)
{
    (void)state;
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    assert_int_equal(s.kind, CLINIT_INIT_KAIMING_NORMAL);
    assert_true(s.a == 0 && s.b == 1 && s.mean == 0 && s.std == 1 && s.val == 0 && s.gain == 1);
    assert_int_equal(s.mode, CLINIT_FAN_IN);
    assert_int_equal(s.nonlinearity, CLINIT_NL_LEAKY_RELU);
    assert_int_equal(s.fan_in, 0);
    /* An unknown kind is kept (and rejected later). */
    assert_int_equal(clinit_init_spec_default((clinit_init_kind)99).kind, 99);
}

/* Below rank 2 each layout follows its framework: IO takes Keras 3's compute_fans (rank 0: 1 and 1; rank 1:
 * shape[0] twice, keras/src/initializers/random_initializers.py), OI (and a layout that is not IO) PyTorch's
 * refusal. */
static void test_fans_keras_low_rank(void **state)
{
    (void)state;
    fans(0, NULL, CLINIT_LAYOUT_IO, 1, 1);
    fans(0, (int64_t[]){99}, CLINIT_LAYOUT_IO, 1, 1); /* rank 0 reads no extent */
    fans(1, (int64_t[]){7}, CLINIT_LAYOUT_IO, 7, 7);
    fans(1, (int64_t[]){0}, CLINIT_LAYOUT_IO, 0, 0);
    int64_t fi = 5, fo = 5;
    assert_int_equal(clinit_compute_fans(1, NULL, CLINIT_LAYOUT_IO, &fi, &fo), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_compute_fans(1, (int64_t[]){-3}, CLINIT_LAYOUT_IO, &fi, &fo), CLINIT_ERROR_INVALID_SHAPE);
    assert_int_equal(clinit_compute_fans(1, (int64_t[]){INT64_C(1) << 56}, CLINIT_LAYOUT_IO, &fi, &fo),
                     CLINIT_ERROR_INVALID_SHAPE);
    assert_int_equal(clinit_compute_fans(-1, NULL, CLINIT_LAYOUT_IO, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(clinit_compute_fans(1, (int64_t[]){7}, CLINIT_LAYOUT_OI, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(clinit_compute_fans(0, NULL, CLINIT_LAYOUT_AXES, &fi, &fo), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(fi, 5); /* refusals write nothing */
    assert_int_equal(fo, 5);
}

/* The (dist, p0, p1) view of clinit_init_resolve these cases were written against: p0, p1 = value/0,
 * low/high, mean/std. */
static clinit_status resolve_compat(const clinit_init_spec *s, int rank, const int64_t *shape, clinit_layout layout,
                                    int *dist, double *p0, double *p1)
{
    clinit_tensor t = {.rank = rank, .layout = layout};
    if (shape && rank > 0 && rank <= CLINIT_MAX_RANK) memcpy(t.shape, shape, (size_t)rank * sizeof *shape);
    clinit_distribution d;
    clinit_status st = clinit_init_resolve(s, &t, dist ? &d : NULL);
    if (st != CLINIT_SUCCESS) return st;
    *dist = (int)d.kind;
    *p0 = d.kind == CLINIT_DIST_CONSTANT ? d.value : d.kind == CLINIT_DIST_UNIFORM ? d.low : d.mean;
    *p1 = d.kind == CLINIT_DIST_CONSTANT ? 0 : d.kind == CLINIT_DIST_UNIFORM ? d.high : d.std;
    return st;
}

/* Resolves spec on shape; asserts the distribution and both parameters exactly. */
static void resolve(const clinit_init_spec *s, int rank, const int64_t *shape, clinit_layout layout, int want_dist,
                    double want_p0, double want_p1)
{
    int dist = -1;
    double p0 = NAN, p1 = NAN;
    clinit_status st = resolve_compat(s, rank, shape, layout, &dist, &p0, &p1);
    if (st != CLINIT_SUCCESS) fail_msg("resolve %s: %s", clinit_init_name(s->kind), clinit_status_string(st));
    assert_int_equal(dist, want_dist);
    if (p0 != want_p0 || p1 != want_p1)
        fail_msg("resolve %s: (%.17g, %.17g), expected (%.17g, %.17g)", clinit_init_name(s->kind), p0, p1, want_p0,
                 want_p1);
}

static void test_resolve_values(void **state)
{
    (void)state;
    const int64_t stem[4] = {64, 3, 7, 7}; /* fan_in 147, fan_out 3136 */
    const int64_t stem_io[4] = {7, 7, 3, 64};
    clinit_init_spec s;

    /* 1. uniform(a, b) passes a and b through. */
    s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = -0.25;
    s.b = 0.75;
    resolve(&s, 1, (int64_t[]){5}, CLINIT_LAYOUT_OI, 1, -0.25, 0.75);
    /* 2. normal(mean, std). */
    s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    s.mean = 3;
    s.std = 0.5;
    resolve(&s, 0, NULL, CLINIT_LAYOUT_OI, 2, 3, 0.5);
    /* 3. constant, zeros, ones. */
    s = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
    s.val = -7.5;
    resolve(&s, 2, stem, CLINIT_LAYOUT_OI, 0, -7.5, 0);
    s = clinit_init_spec_default(CLINIT_INIT_ZEROS);
    resolve(&s, 2, stem, CLINIT_LAYOUT_OI, 0, 0, 0);
    s = clinit_init_spec_default(CLINIT_INIT_ONES);
    resolve(&s, 2, stem, CLINIT_LAYOUT_OI, 0, 1, 0);
    /* 4. xavier_uniform (64,3,7,7), gain 1: B = √3·√(2/3283) — both layouts. */
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    resolve(&s, 4, stem, CLINIT_LAYOUT_OI, 1, -0.04275040011889855, 0.04275040011889855);
    resolve(&s, 4, stem_io, CLINIT_LAYOUT_IO, 1, -0.04275040011889855, 0.04275040011889855);
    /* 5. xavier_normal (100, 200), gain 2: σ = 2·√(2/300). */
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_NORMAL);
    s.gain = 2;
    resolve(&s, 2, (int64_t[]){100, 200}, CLINIT_LAYOUT_OI, 2, 0, 0.16329931618554522);
    /* 6. kaiming_uniform PyTorch defaults (a 0, fan_in, leaky_relu → gain √2) on (64,3,7,7): B = √3·√2/√147. */
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_UNIFORM);
    resolve(&s, 4, stem, CLINIT_LAYOUT_OI, 1, -0.20203050891044216, 0.20203050891044216);
    /* 7. kaiming_normal fan_out relu on (64,3,7,7): σ = √2/√3136 (torchvision ResNet convs). */
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    s.mode = CLINIT_FAN_OUT;
    s.nonlinearity = CLINIT_NL_RELU;
    resolve(&s, 4, stem, CLINIT_LAYOUT_OI, 2, 0, 0.02525381361380527);
    /* 8. kaiming_uniform leaky_relu a = 0.1 on (30, 40): B = √3·√(2/1.01)/√40. */
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_UNIFORM);
    s.a = 0.1;
    resolve(&s, 2, (int64_t[]){30, 40}, CLINIT_LAYOUT_OI, 1, -0.3853762466540309, 0.3853762466540309);
    /* 9. kaiming_normal tanh fan_in on conv1d (16, 8, 3): σ = (5/3)/√24. */
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    s.nonlinearity = CLINIT_NL_TANH;
    resolve(&s, 3, (int64_t[]){16, 8, 3}, CLINIT_LAYOUT_OI, 2, 0, 0.3402069087198859);
    /* 10. kaiming_normal selu fan_out, Keras layout (3, 3, 16, 32): σ = 0.75/√288. */
    s.nonlinearity = CLINIT_NL_SELU;
    s.mode = CLINIT_FAN_OUT;
    resolve(&s, 4, (int64_t[]){3, 3, 16, 32}, CLINIT_LAYOUT_IO, 2, 0, 0.04419417382415922);
    /* 11. linear_default_bias fan_in = 20: ±1/√20; fan_in = 0: [0, 0]. */
    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_BIAS);
    s.fan_in = 20;
    resolve(&s, 1, (int64_t[]){10}, CLINIT_LAYOUT_OI, 1, -0.22360679774997896, 0.22360679774997896);
    s.fan_in = 0;
    resolve(&s, 1, (int64_t[]){10}, CLINIT_LAYOUT_OI, 1, 0, 0);

    /* 12. linear_default_weight (out 10, in 20) = kaiming_uniform(a=√5): √3·√(2/6)/√20, which is 1/√20 up to
     * the rounding of the three steps: within 1 ulp of the double 1/√20. */
    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_WEIGHT);
    int dist = -1;
    double p0 = 0, p1 = 0;
    assert_int_equal(resolve_compat(&s, 2, (int64_t[]){10, 20}, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_SUCCESS);
    assert_int_equal(dist, 1);
    assert_true(p1 == 0.22360679774997894); /* PyTorch's exact value for this operation order */
    assert_true(p0 == -p1);
    double exact = 1 / sqrt(20.0);
    assert_true(fabs(p1 - exact) <= nextafter(exact, 1.0) - exact);
    /* Its spec parameters are ignored: a, mode and nonlinearity are fixed. */
    s.a = 3;
    s.mode = CLINIT_FAN_OUT;
    s.nonlinearity = CLINIT_NL_TANH;
    resolve(&s, 2, (int64_t[]){10, 20}, CLINIT_LAYOUT_OI, 1, -0.22360679774997894, 0.22360679774997894);

    /* 12b. Rank 0 and 1 under IO: Keras's fans, Keras's formulas (values as Python prints them). he_normal on a
     * (7,) bias: fan_in 7, stddev √(2/7) / 0.87962566103423978 truncated at ±2 stddev. */
    s = clinit_init_spec_default(CLINIT_INIT_HE_NORMAL);
    clinit_distribution dd;
    clinit_tensor tv = {.rank = 1, .shape = {7}, .layout = CLINIT_LAYOUT_IO};
    assert_int_equal(clinit_init_resolve(&s, &tv, &dd), CLINIT_SUCCESS);
    assert_int_equal(dd.kind, CLINIT_DIST_TRUNCATED_NORMAL);
    assert_true(dd.std == 0.6076704074280551 && dd.low == -2 * dd.std && dd.high == 2 * dd.std);
    /* glorot_uniform of a scalar: fans 1 and 1, limit √3. */
    s = clinit_init_spec_default(CLINIT_INIT_GLOROT_UNIFORM);
    resolve(&s, 0, NULL, CLINIT_LAYOUT_IO, 1, -1.7320508075688772, 1.7320508075688772);
    /* variance_scaling(1, fan_avg, uniform) of (6,): n = (6 + 6) / 2, limit √(3 / 6). */
    s = clinit_init_spec_default(CLINIT_INIT_VARIANCE_SCALING);
    s.mode = CLINIT_FAN_AVG;
    s.distribution = CLINIT_VS_UNIFORM;
    resolve(&s, 1, (int64_t[]){6}, CLINIT_LAYOUT_IO, 1, -0.7071067811865476, 0.7071067811865476);
    /* PyTorch's formulas on Keras's fans: xavier_uniform of (5,) under IO, √3·√(2 / (5 + 5)). */
    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    resolve(&s, 1, (int64_t[]){5}, CLINIT_LAYOUT_IO, 1, -0.7745966692414833, 0.7745966692414833);
    /* The same shapes under OI are PyTorch's refusal (test_resolve_errors). */
    assert_int_equal(resolve_compat(&s, 1, (int64_t[]){5}, CLINIT_LAYOUT_OI, &(int){0}, &(double){0}, &(double){0}),
                     CLINIT_ERROR_INVALID_RANK);

    /* 13. A tensor with zero elements resolves to constant 0 without a rank or fan check. */
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_UNIFORM);
    resolve(&s, 1, (int64_t[]){0}, CLINIT_LAYOUT_OI, 0, 0, 0);
    resolve(&s, 2, (int64_t[]){0, 5}, CLINIT_LAYOUT_OI, 0, 0, 0);
}

static void test_resolve_errors(void **state)
{
    (void)state;
    int dist;
    double p0, p1;
    const int64_t shp[2] = {4, 6};
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    assert_int_equal(resolve_compat(NULL, 2, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(resolve_compat(&s, 2, shp, CLINIT_LAYOUT_OI, NULL, &p0, &p1), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(resolve_compat(&s, 1, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(resolve_compat(&s, 0, NULL, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(resolve_compat(&s, 9, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_RANK);
    assert_int_equal(resolve_compat(&s, 2, (int64_t[]){4, -6}, CLINIT_LAYOUT_OI, &dist, &p0, &p1),
                     CLINIT_ERROR_INVALID_SHAPE);
    assert_int_equal(resolve_compat(&s, 2, shp, (clinit_layout)5, &dist, &p0, &p1), CLINIT_ERROR_INVALID_LAYOUT);
    s.gain = -1;
    assert_int_equal(resolve_compat(&s, 2, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_PARAMETER);
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    s.mode = (clinit_fan_mode)2;
    assert_int_equal(resolve_compat(&s, 2, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_MODE);
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    s.nonlinearity = (clinit_nonlinearity)40;
    assert_int_equal(resolve_compat(&s, 2, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_NONLINEARITY);
    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    s.a = NAN;
    assert_int_equal(resolve_compat(&s, 2, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_PARAMETER);
    s = clinit_init_spec_default((clinit_init_kind)99);
    assert_int_equal(resolve_compat(&s, 2, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_INIT);
    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_BIAS);
    s.fan_in = -1;
    assert_int_equal(resolve_compat(&s, 1, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_PARAMETER);
    s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    s.a = 2;
    s.b = 1;
    assert_int_equal(resolve_compat(&s, 1, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_PARAMETER);
    s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    s.std = -0.5;
    assert_int_equal(resolve_compat(&s, 1, shp, CLINIT_LAYOUT_OI, &dist, &p0, &p1), CLINIT_ERROR_INVALID_PARAMETER);
}

static void test_spec_set(void **state)
{
    (void)state;
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_UNIFORM);
    assert_int_equal(clinit_init_spec_set(&s, "a", "-1.5"), CLINIT_SUCCESS);
    assert_int_equal(clinit_init_spec_set(&s, "b", "2.5e1"), CLINIT_SUCCESS);
    assert_true(s.a == -1.5 && s.b == 25.0);
    assert_int_equal(clinit_init_spec_set(&s, "b", "1.5x"), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_init_spec_set(&s, "b", ""), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_init_spec_set(&s, "b", "abc"), CLINIT_ERROR_INVALID_PARAMETER);
    assert_true(s.b == 25.0); /* failures change nothing */
    assert_int_equal(clinit_init_spec_set(&s, "std", "1"), CLINIT_ERROR_UNKNOWN_PARAMETER); /* not uniform's */
    assert_int_equal(clinit_init_spec_set(&s, "gain", "1"), CLINIT_ERROR_UNKNOWN_PARAMETER);
    assert_int_equal(clinit_init_spec_set(&s, "A", "1"), CLINIT_ERROR_UNKNOWN_PARAMETER);

    s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    assert_int_equal(clinit_init_spec_set(&s, "mean", "0.25"), CLINIT_SUCCESS);
    assert_int_equal(clinit_init_spec_set(&s, "std", "0.02"), CLINIT_SUCCESS);
    assert_true(s.mean == 0.25 && s.std == 0.02);
    assert_int_equal(clinit_init_spec_set(&s, "a", "0"), CLINIT_ERROR_UNKNOWN_PARAMETER);

    s = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
    assert_int_equal(clinit_init_spec_set(&s, "val", "-3"), CLINIT_SUCCESS);
    assert_true(s.val == -3);
    s = clinit_init_spec_default(CLINIT_INIT_ZEROS);
    assert_int_equal(clinit_init_spec_set(&s, "val", "1"), CLINIT_ERROR_UNKNOWN_PARAMETER);

    s = clinit_init_spec_default(CLINIT_INIT_XAVIER_NORMAL);
    assert_int_equal(clinit_init_spec_set(&s, "gain", "1.4142135623730951"), CLINIT_SUCCESS);
    assert_true(s.gain == sqrt(2.0));
    assert_int_equal(clinit_init_spec_set(&s, "mode", "fan_in"), CLINIT_ERROR_UNKNOWN_PARAMETER);

    s = clinit_init_spec_default(CLINIT_INIT_KAIMING_UNIFORM);
    assert_int_equal(clinit_init_spec_set(&s, "mode", "fan_out"), CLINIT_SUCCESS);
    assert_int_equal(s.mode, CLINIT_FAN_OUT);
    assert_int_equal(clinit_init_spec_set(&s, "mode", "fan_in"), CLINIT_SUCCESS);
    assert_int_equal(s.mode, CLINIT_FAN_IN);
    assert_int_equal(clinit_init_spec_set(&s, "mode", "fan_both"), CLINIT_ERROR_INVALID_MODE);
    assert_int_equal(clinit_init_spec_set(&s, "mode", "FAN_IN"), CLINIT_ERROR_INVALID_MODE);
    assert_int_equal(s.mode, CLINIT_FAN_IN);
    assert_int_equal(clinit_init_spec_set(&s, "nonlinearity", "tanh"), CLINIT_SUCCESS);
    assert_int_equal(s.nonlinearity, CLINIT_NL_TANH);
    assert_int_equal(clinit_init_spec_set(&s, "nonlinearity", "swish"), CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_int_equal(clinit_init_spec_set(&s, "a", "2.2360679774997898"), CLINIT_SUCCESS);
    assert_true(s.a == sqrt(5.0));
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", "3"), CLINIT_ERROR_UNKNOWN_PARAMETER);

    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_BIAS);
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", "147"), CLINIT_SUCCESS);
    assert_int_equal(s.fan_in, 147);
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", "1.5"), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", "-1"), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", "99999999999999999999999"), CLINIT_ERROR_INVALID_PARAMETER);
    assert_int_equal(s.fan_in, 147);
    /* Strict numbers (README): no blanks around them, no '+'; an integer takes no sign at all ("-0" too). */
    static const char *const bad_ints[] = {"+5", " 5", "5 ", "\t5", "5\n", "-0", "+0", "", " ", "0x10", "5e0"};
    for (size_t i = 0; i < sizeof bad_ints / sizeof bad_ints[0]; i++) {
        if (clinit_init_spec_set(&s, "fan_in", bad_ints[i]) != CLINIT_ERROR_INVALID_PARAMETER)
            fail_msg("fan_in \"%s\" accepted", bad_ints[i]);
        assert_int_equal(s.fan_in, 147);
    }
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", "0"), CLINIT_SUCCESS);
    assert_int_equal(s.fan_in, 0);
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", "0064"), CLINIT_SUCCESS); /* leading zeros: decimal */
    assert_int_equal(s.fan_in, 64);
    s = clinit_init_spec_default(CLINIT_INIT_DIRAC);
    for (size_t i = 0; i < sizeof bad_ints / sizeof bad_ints[0]; i++) {
        if (clinit_init_spec_set(&s, "groups", bad_ints[i]) != CLINIT_ERROR_INVALID_PARAMETER)
            fail_msg("groups \"%s\" accepted", bad_ints[i]);
        assert_int_equal(s.groups, 1);
    }
    assert_int_equal(clinit_init_spec_set(&s, "groups", "2"), CLINIT_SUCCESS);
    assert_int_equal(s.groups, 2);
    /* column_axis (JAX's, orthogonal and delta_orthogonal): an int with an optional '-', which also sets
     * has_column_axis; the default is the layout's rule (has_column_axis 0). */
    /* dirac takes no column_axis */
    assert_int_equal(clinit_init_spec_set(&s, "column_axis", "0"), CLINIT_ERROR_UNKNOWN_PARAMETER);
    static const clinit_init_kind takes_axis[] = {CLINIT_INIT_ORTHOGONAL, CLINIT_INIT_DELTA_ORTHOGONAL};
    for (size_t k = 0; k < 2; k++) {
        s = clinit_init_spec_default(takes_axis[k]);
        assert_int_equal(s.has_column_axis, 0);
        static const char *const bad_axes[] = {
            "+1", " 1", "1 ", "", "-", "--1", "1.0", "0x1", "1e0", "2147483648", "-2147483648", "99999999999999999999"};
        for (size_t i = 0; i < sizeof bad_axes / sizeof bad_axes[0]; i++) {
            if (clinit_init_spec_set(&s, "column_axis", bad_axes[i]) != CLINIT_ERROR_INVALID_PARAMETER)
                fail_msg("column_axis \"%s\" accepted", bad_axes[i]);
            assert_int_equal(s.has_column_axis, 0);
        }
        assert_int_equal(clinit_init_spec_set(&s, "column_axis", "-1"), CLINIT_SUCCESS);
        assert_int_equal(s.has_column_axis, 1);
        assert_int_equal(s.column_axis, -1);
        assert_int_equal(clinit_init_spec_set(&s, "column_axis", "2147483647"), CLINIT_SUCCESS); /* range: the fill's */
        assert_int_equal(s.column_axis, 2147483647);
        assert_int_equal(clinit_init_spec_set(&s, "column_axis", "-0"), CLINIT_SUCCESS);
        assert_int_equal(s.column_axis, 0);
    }
    /* Real numbers: a '-' is syntax (the range is clinit_validate's: std < 0 is refused there), a '+' never;
     * an exponent's sign is part of the number. */
    s = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL);
    /* Decimal only: strtod's hexadecimal floats and NaN are not numbers here (README). */
    static const char *const bad_reals[] = {"+1", " 1", "1 ", "\t1", "1\n", "+inf", "+0.5", " -1", "- 1", "+-1",
                                            "0x1p-3", "-0x10", "0X1", "nan", "-nan", "NaN", "nan(1)", "inff", ".",
                                            /* beyond double's range: strtod made them ±inf and 0 */
                                            "1e999", "-1e309", "1e-400", "-2e-324"};
    for (size_t i = 0; i < sizeof bad_reals / sizeof bad_reals[0]; i++) {
        if (clinit_init_spec_set(&s, "std", bad_reals[i]) != CLINIT_ERROR_INVALID_PARAMETER)
            fail_msg("std \"%s\" accepted", bad_reals[i]);
        assert_true(s.std == 1.0);
    }
    assert_int_equal(clinit_init_spec_set(&s, "std", "2.5e+1"), CLINIT_SUCCESS);
    assert_true(s.std == 25.0);
    assert_int_equal(clinit_init_spec_set(&s, "std", ".5"), CLINIT_SUCCESS);
    assert_true(s.std == 0.5);
    assert_int_equal(clinit_init_spec_set(&s, "std", "3."), CLINIT_SUCCESS);
    assert_true(s.std == 3.0);
    assert_int_equal(clinit_init_spec_set(&s, "std", "1E-2"), CLINIT_SUCCESS);
    assert_true(s.std == 1e-2);
    /* within range: the largest double, a subnormal, and zero written with any exponent */
    assert_int_equal(clinit_init_spec_set(&s, "std", "1.7976931348623157e308"), CLINIT_SUCCESS);
    assert_true(s.std == DBL_MAX);
    assert_int_equal(clinit_init_spec_set(&s, "std", "1e-310"), CLINIT_SUCCESS);
    assert_true(s.std > 0 && s.std < DBL_MIN);
    assert_int_equal(clinit_init_spec_set(&s, "std", "0e-999"), CLINIT_SUCCESS);
    assert_true(s.std == 0);
    assert_int_equal(clinit_init_spec_set(&s, "b", "Infinity"), CLINIT_SUCCESS);
    assert_true(isinf(s.b) && s.b > 0);
    s.std = 1.0;
    assert_int_equal(clinit_init_spec_set(&s, "std", "-1"), CLINIT_SUCCESS);
    assert_true(s.std == -1.0);
    assert_int_equal(clinit_init_spec_set(&s, "a", "-inf"), CLINIT_SUCCESS);
    assert_int_equal(clinit_init_spec_set(&s, "b", "inf"), CLINIT_SUCCESS);
    assert_true(isinf(s.a) && s.a < 0 && isinf(s.b) && s.b > 0);
    s = clinit_init_spec_default(CLINIT_INIT_LINEAR_DEFAULT_WEIGHT);
    assert_int_equal(clinit_init_spec_set(&s, "a", "1"), CLINIT_ERROR_UNKNOWN_PARAMETER);

    /* The names each initializer takes, as PyTorch's signatures; every listed name is accepted. */
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_UNIFORM), "a, b");
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_NORMAL), "mean, std");
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_KAIMING_NORMAL), "a, mode, nonlinearity");
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_LINEAR_DEFAULT_BIAS), "fan_in");
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_ZEROS), "");
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_ORTHOGONAL), "gain, column_axis");
    assert_string_equal(clinit_init_param_names(CLINIT_INIT_DELTA_ORTHOGONAL), "scale, column_axis");
    assert_null(clinit_init_param_names((clinit_init_kind)99));
    s = clinit_init_spec_default((clinit_init_kind)99);
    assert_int_equal(clinit_init_spec_set(&s, "a", "1"), CLINIT_ERROR_UNKNOWN_PARAMETER);

    assert_int_equal(clinit_init_spec_set(NULL, "a", "1"), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_init_spec_set(&s, NULL, "1"), CLINIT_ERROR_NULL_ARGUMENT);
    assert_int_equal(clinit_init_spec_set(&s, "fan_in", NULL), CLINIT_ERROR_NULL_ARGUMENT);
}

/* One refused text and the reason clinit_init_spec_set_message gives for it; the spec must not change. */
static void expect_reason(clinit_init_kind kind, const char *name, const char *value, clinit_status status,
                          const char *reason)
{
    clinit_init_spec s = clinit_init_spec_default(kind), before = s;
    char msg[256];
    memset(msg, 'x', sizeof msg);
    assert_int_equal(clinit_init_spec_set_message(&s, name, value, msg, sizeof msg), status);
    assert_string_equal(msg, reason);
    assert_memory_equal(&s, &before, sizeof s);
}

static void test_spec_set_message(void **state)
{
    (void)state;
    expect_reason(CLINIT_INIT_NORMAL, "std", " 1", CLINIT_ERROR_INVALID_PARAMETER,
                  "std = \" 1\": no blanks are allowed around a value");
    expect_reason(CLINIT_INIT_NORMAL, "std", "+1", CLINIT_ERROR_INVALID_PARAMETER,
                  "std = \"+1\": numbers take no '+' sign (write \"1\")");
    expect_reason(CLINIT_INIT_NORMAL, "std", "1e999", CLINIT_ERROR_INVALID_PARAMETER,
                  "std = \"1e999\" is beyond the range of a double (it would be inf)");
    expect_reason(CLINIT_INIT_NORMAL, "mean", "-1e-400", CLINIT_ERROR_INVALID_PARAMETER,
                  "mean = \"-1e-400\" is beyond the range of a double (it would be 0)");
    /* An integer literal is that integer: one a double does not hold is refused (it was rounded, so an i64
     * constant of 2^53 + 1 wrote 2^53); with a decimal point it is a real number, rounded to the nearest double. */
    expect_reason(
        CLINIT_INIT_CONSTANT, "val", "9007199254740993", CLINIT_ERROR_INVALID_PARAMETER,
        "val = \"9007199254740993\" is an integer a double does not hold exactly (the doubles on either side are "
        "9007199254740992 and 9007199254740994): give one of them, or write a decimal point to take the nearest");
    expect_reason(
        CLINIT_INIT_CONSTANT, "val", "-9223372036854775807", CLINIT_ERROR_INVALID_PARAMETER,
        "val = \"-9223372036854775807\" is an integer a double does not hold exactly (the doubles on either side are "
        "-9223372036854774784 and -9223372036854775808): give one of them, or write a decimal point to take the "
        "nearest");
    expect_reason(CLINIT_INIT_UNIFORM, "b", "00000100000000000000000001", CLINIT_ERROR_INVALID_PARAMETER,
                  "b = \"00000100000000000000000001\" is an integer a double does not hold exactly (the doubles on "
                  "either side are 100000000000000000000 and 100000000000000016384): give one of them, or write a "
                  "decimal point to take the nearest");
    /* just above DBL_MAX (rounding to it): the double beyond is none, not "inf" */
    char above[400], expected[1024], got[1024];
    snprintf(above, sizeof above, "-%.0f", DBL_MAX);
    above[strlen(above) - 1]++; /* ...858368 + 1 */
    snprintf(expected, sizeof expected,
             "val = \"%.64s...\" is an integer a double does not hold exactly (it is above the largest double, "
             "-%.0f): give that one, or write a decimal point to take it",
             above, DBL_MAX);
    clinit_init_spec big = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
    assert_int_equal(clinit_init_spec_set_message(&big, "val", above, got, sizeof got), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(got, expected);
    static const struct {
        const char *text;
        double value;
    } exact[] = {{"9007199254740992", 0x1p53},    {"-9223372036854775808", -0x1p63},
                 {"9223372036854775808", 0x1p63}, {"9223372036854774784", 0x1.fffffffffffffp62},
                 {"9007199254740993.0", 0x1p53},  {"9007199254740993e0", 0x1p53},
                 {"0000000000000000000001", 1.0}, {"999999999999999", 999999999999999.0},
                 {"100000000000000000000", 1e20}};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        clinit_init_spec c = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
        assert_int_equal(clinit_init_spec_set(&c, "val", exact[i].text), CLINIT_SUCCESS);
        assert_true(c.val == exact[i].value);
    }
    expect_reason(CLINIT_INIT_NORMAL, "std", "0X1p3", CLINIT_ERROR_INVALID_PARAMETER,
                  "std = \"0X1p3\" is not a number (decimal only: no hexadecimal floats)");
    expect_reason(CLINIT_INIT_NORMAL, "std", "nan", CLINIT_ERROR_INVALID_PARAMETER, "std = \"nan\" is not a number");
    expect_reason(CLINIT_INIT_NORMAL, "stdev", "1", CLINIT_ERROR_UNKNOWN_PARAMETER,
                  "normal takes no parameter \"stdev\": did you mean std?");
    expect_reason(CLINIT_INIT_NORMAL, "gain", "1", CLINIT_ERROR_UNKNOWN_PARAMETER,
                  "normal takes no parameter \"gain\": not one of mean, std");
    expect_reason(CLINIT_INIT_ONES, "val", "1", CLINIT_ERROR_UNKNOWN_PARAMETER,
                  "ones takes no parameters (\"val\" given)");
    expect_reason((clinit_init_kind)99, "a", "1", CLINIT_ERROR_UNKNOWN_PARAMETER, "unknown initializer kind 99");
    expect_reason(CLINIT_INIT_LINEAR_DEFAULT_BIAS, "fan_in", "-0", CLINIT_ERROR_INVALID_PARAMETER,
                  "fan_in = \"-0\" is not a non-negative integer (decimal digits)");
    expect_reason(CLINIT_INIT_LINEAR_DEFAULT_BIAS, "fan_in", "9223372036854775808", CLINIT_ERROR_INVALID_PARAMETER,
                  "fan_in = \"9223372036854775808\" is beyond the range of int64_t (at most 9223372036854775807)");
    expect_reason(CLINIT_INIT_ORTHOGONAL, "column_axis", "1.0", CLINIT_ERROR_INVALID_PARAMETER,
                  "column_axis = \"1.0\" is not an integer (decimal digits, '-' for an axis from the end)");
    expect_reason(CLINIT_INIT_DELTA_ORTHOGONAL, "column_axis", "-2147483648", CLINIT_ERROR_INVALID_PARAMETER,
                  "column_axis = \"-2147483648\" is beyond the range of int");
    expect_reason(CLINIT_INIT_EYE, "column_axis", "0", CLINIT_ERROR_UNKNOWN_PARAMETER,
                  "eye takes no parameter \"column_axis\": not one of gain");
    expect_reason(CLINIT_INIT_KAIMING_NORMAL, "mode", "fan_avg", CLINIT_ERROR_INVALID_MODE,
                  "unknown mode \"fan_avg\" for kaiming_normal: not one of fan_in, fan_out");
    expect_reason(CLINIT_INIT_VARIANCE_SCALING, "mode", "fan_ag", CLINIT_ERROR_INVALID_MODE,
                  "unknown mode \"fan_ag\" for variance_scaling: did you mean fan_avg?");
    expect_reason(CLINIT_INIT_KAIMING_NORMAL, "mode", "fan_in\n", CLINIT_ERROR_INVALID_MODE,
                  "mode = \"fan_in\\n\": no blanks are allowed around a value");
    expect_reason(CLINIT_INIT_KAIMING_NORMAL, "nonlinearity", "rleu", CLINIT_ERROR_INVALID_NONLINEARITY,
                  "unknown nonlinearity \"rleu\": did you mean relu?");
    expect_reason(CLINIT_INIT_VARIANCE_SCALING, "distribution", "normal", CLINIT_ERROR_INVALID_PARAMETER,
                  "distribution \"normal\" is ambiguous (Keras: truncated, JAX: untruncated): give truncated_normal "
                  "or untruncated_normal");
    expect_reason(CLINIT_INIT_VARIANCE_SCALING, "distribution", "unifrom", CLINIT_ERROR_INVALID_PARAMETER,
                  "unknown distribution \"unifrom\": did you mean uniform?");
    /* Quoted values: control bytes and quotes escaped; cut after 64 bytes, never inside a UTF-8 character. */
    expect_reason(CLINIT_INIT_NORMAL, "std", "1\"\x01\\", CLINIT_ERROR_INVALID_PARAMETER,
                  "std = \"1\\\"\\x01\\\\\" is not a number");
    char long_value[400]; /* 399 digits: above DBL_MAX */
    memset(long_value, '7', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    expect_reason(CLINIT_INIT_NORMAL, "std", long_value, CLINIT_ERROR_INVALID_PARAMETER,
                  "std = \"7777777777777777777777777777777777777777777777777777777777777777...\" is beyond the range "
                  "of a double (it would be inf)");
    /* "a" then é (2 bytes) ×40: the 64th byte is the first half of an é, which goes too; é ×40: 32 whole. */
    char utf8[128] = "a", expect[256] = "std = \"a";
    for (int i = 0; i < 40; i++) strcat(utf8, "\xc3\xa9");
    for (int i = 0; i < 31; i++) strcat(expect, "\xc3\xa9");
    strcat(expect, "...\" is not a number");
    expect_reason(CLINIT_INIT_NORMAL, "std", utf8, CLINIT_ERROR_INVALID_PARAMETER, expect);
    strcpy(expect, "std = \"");
    for (int i = 0; i < 32; i++) strcat(expect, "\xc3\xa9");
    strcat(expect, "...\" is not a number");
    expect_reason(CLINIT_INIT_NORMAL, "std", utf8 + 1, CLINIT_ERROR_INVALID_PARAMETER, expect);

    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    char msg[256];
    /* Success clears the message; a NULL message or size 0 writes nothing; a short buffer gets the start. */
    strcpy(msg, "stale");
    assert_int_equal(clinit_init_spec_set_message(&s, "std", "2", msg, sizeof msg), CLINIT_SUCCESS);
    assert_string_equal(msg, "");
    assert_true(s.std == 2.0);
    assert_int_equal(clinit_init_spec_set_message(&s, "std", "x", NULL, 0), CLINIT_ERROR_INVALID_PARAMETER);
    strcpy(msg, "kept");
    assert_int_equal(clinit_init_spec_set_message(&s, "std", "x", msg, 0), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "kept");
    assert_int_equal(clinit_init_spec_set_message(&s, "std", "x", msg, 6), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "std =");
    /* cut inside a quoted é (bytes 8 and 9 of 'std = "é"'): the whole character goes */
    assert_int_equal(clinit_init_spec_set_message(&s, "std", "\xc3\xa9", msg, 9), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "std = \"");
    assert_int_equal(clinit_init_spec_set_message(&s, "std", "\xc3\xa9", msg, 10), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(msg, "std = \"\xc3\xa9");
    assert_int_equal(clinit_init_spec_set_message(NULL, "std", "1", msg, sizeof msg), CLINIT_ERROR_NULL_ARGUMENT);
    assert_string_equal(msg, "spec is NULL");
    assert_int_equal(clinit_init_spec_set_message(&s, "std", NULL, msg, sizeof msg), CLINIT_ERROR_NULL_ARGUMENT);
    assert_string_equal(msg, "value is NULL");
}

/* An unknown initializer name gets the nearest one, as the CLI and Python say it; a known one an empty message. */
static void test_init_from_name_message(void **state)
{
    (void)state;
    clinit_init_kind k = CLINIT_INIT_UNIFORM;
    char msg[2048];
    strcpy(msg, "stale");
    assert_int_equal(clinit_init_from_name_message("kaiming_normal", &k, msg, sizeof msg), CLINIT_SUCCESS);
    assert_int_equal(k, CLINIT_INIT_KAIMING_NORMAL);
    assert_string_equal(msg, "");
    k = CLINIT_INIT_UNIFORM;
    assert_int_equal(clinit_init_from_name_message("kaiming_unifrom", &k, msg, sizeof msg), CLINIT_ERROR_INVALID_INIT);
    assert_string_equal(msg, "unknown initializer \"kaiming_unifrom\": did you mean kaiming_uniform?");
    assert_int_equal(k, CLINIT_INIT_UNIFORM); /* untouched */
    assert_int_equal(clinit_init_from_name_message("NORMAL", &k, msg, sizeof msg), CLINIT_ERROR_INVALID_INIT);
    assert_string_equal(msg, "unknown initializer \"NORMAL\": did you mean normal?");
    /* no name within 2 edits, but the start of some: those, in clinit_init_kind's order */
    assert_int_equal(clinit_init_from_name_message("xavier", &k, msg, sizeof msg), CLINIT_ERROR_INVALID_INIT);
    assert_string_equal(msg, "unknown initializer \"xavier\": did you mean xavier_uniform or xavier_normal?");
    assert_int_equal(clinit_init_from_name_message("kaiming", &k, msg, sizeof msg), CLINIT_ERROR_INVALID_INIT);
    assert_string_equal(msg, "unknown initializer \"kaiming\": did you mean kaiming_uniform or kaiming_normal?");
    assert_int_equal(clinit_init_from_name_message("delta", &k, msg, sizeof msg), CLINIT_ERROR_INVALID_INIT);
    assert_string_equal(msg, "unknown initializer \"delta\": did you mean delta_orthogonal?");
    /* parameter values alike; a name within 2 edits comes first ("conv": conv1d, not its three conv_transpose) */
    clinit_init_spec spec = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    assert_int_equal(clinit_init_spec_set_message(&spec, "nonlinearity", "leaky", msg, sizeof msg),
                     CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_string_equal(msg, "unknown nonlinearity \"leaky\": did you mean leaky_relu?");
    assert_int_equal(clinit_init_spec_set_message(&spec, "nonlinearity", "conv", msg, sizeof msg),
                     CLINIT_ERROR_INVALID_NONLINEARITY);
    assert_string_equal(msg, "unknown nonlinearity \"conv\": did you mean conv1d?");
    /* the start of every name of the list: the list */
    spec = clinit_init_spec_default(CLINIT_INIT_VARIANCE_SCALING);
    assert_int_equal(clinit_init_spec_set_message(&spec, "mode", "fan", msg, sizeof msg), CLINIT_ERROR_INVALID_MODE);
    assert_string_equal(msg,
                        "unknown mode \"fan\" for variance_scaling: not one of fan_in, fan_out, fan_avg, fan_geo_avg");
    spec = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    assert_int_equal(clinit_init_spec_set_message(&spec, "mode", "fan", msg, sizeof msg), CLINIT_ERROR_INVALID_MODE);
    assert_string_equal(msg, "unknown mode \"fan\" for kaiming_normal: not one of fan_in, fan_out");
    /* one byte starts too many names to mean one */
    assert_int_equal(clinit_init_from_name_message("k", &k, msg, sizeof msg), CLINIT_ERROR_INVALID_INIT);
    assert_non_null(strstr(msg, ": not one of uniform, "));
    /* nothing near: every name, in clinit_init_kind's order */
    assert_int_equal(clinit_init_from_name_message("x\n", &k, msg, sizeof msg), CLINIT_ERROR_INVALID_INIT);
    char expect[2048] = "unknown initializer \"x\\n\": not one of ";
    for (int i = 0; clinit_init_name((clinit_init_kind)i); i++) {
        if (i) strcat(expect, ", ");
        strcat(expect, clinit_init_name((clinit_init_kind)i));
    }
    assert_string_equal(msg, expect);
    assert_int_equal(clinit_init_from_name_message(NULL, &k, msg, sizeof msg), CLINIT_ERROR_NULL_ARGUMENT);
    assert_string_equal(msg, "name is NULL");
    assert_int_equal(clinit_init_from_name_message("normal", NULL, msg, sizeof msg), CLINIT_ERROR_NULL_ARGUMENT);
    assert_string_equal(msg, "out is NULL");
    assert_int_equal(clinit_init_from_name_message("normall", &k, NULL, 0), CLINIT_ERROR_INVALID_INIT);
    assert_int_equal(clinit_init_from_name_message("normall", &k, msg, 8), CLINIT_ERROR_INVALID_INIT);
    assert_string_equal(msg, "unknown");
}

static void test_stream_from_name(void **state)
{
    (void)state;
    /* XXH64 with seed 0 of the empty input is the published value 0xEF46DB3751D8E999. */
    assert_true(clinit_stream_from_name("") == UINT64_C(0xEF46DB3751D8E999));
    assert_true(clinit_stream_from_name(NULL) == 0);
    assert_true(clinit_stream_from_name("conv1.weight") != clinit_stream_from_name("conv1.bias"));
    assert_true(clinit_stream_from_name("fc.weight") == clinit_stream_from_name("fc.weight"));
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fans_linear),
        cmocka_unit_test(test_fans_conv),
        cmocka_unit_test(test_fans_errors),
        cmocka_unit_test(test_fans_keras_low_rank),
        cmocka_unit_test(test_fans_zero_dim_huge_receptive_field),
        cmocka_unit_test(test_gains),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_spec_defaults),
        cmocka_unit_test(test_resolve_values),
        cmocka_unit_test(test_resolve_errors),
        cmocka_unit_test(test_spec_set),
        cmocka_unit_test(test_spec_set_message),
        cmocka_unit_test(test_init_from_name_message),
        cmocka_unit_test(test_stream_from_name),
    };
    return cmocka_run_group_tests_name("fans_gains", tests, NULL, NULL);
}
