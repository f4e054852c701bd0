/* The library under a caller's decimal-comma locale (setlocale(LC_ALL, "de_DE.UTF-8"), as a program or
 * Python's locale.setlocale sets it): parameters as text are read with a decimal point ("0.02" was refused as
 * not a number), every message writes its numbers with one ("-0,5" was written), and the caller's locale is
 * left as it was. scripts/setup.sh generates de_DE.UTF-8; any installed locale whose decimal point is a comma
 * will do. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"
#include "internal.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *comma_locale;

/* The first installed locale whose decimal point is a comma, set for the whole process. */
static int find_comma_locale(void)
{
    static const char *const candidates[] = {"de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8", "fr_FR.utf8",  "es_ES.UTF-8",
                                             "it_IT.UTF-8", "nl_NL.UTF-8", "ru_RU.UTF-8", "pt_BR.UTF-8", "de_DE"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
        if (setlocale(LC_ALL, candidates[i]) && strcmp(localeconv()->decimal_point, ",") == 0) {
            comma_locale = candidates[i];
            return 0;
        }
    print_error("no locale with a decimal comma is installed: scripts/setup.sh generates de_DE.UTF-8 "
                "(apt-get install locales; localedef -i de_DE -f UTF-8 de_DE.UTF-8)\n");
    return -1;
}

/* The context is made under the comma locale too: its build options are formatted text. */
static int setup(void **state) { return find_comma_locale() == 0 ? sup_group_setup(state) : -1; }

/* The caller's locale is still in force: printf writes its comma. */
static void assert_caller_locale(void)
{
    char text[32];
    snprintf(text, sizeof text, "%g", 0.5);
    assert_string_equal(text, "0,5");
    assert_string_equal(localeconv()->decimal_point, ",");
}

static void test_parameters_read_with_a_point(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double value;
    } cases[] = {{"0.02", 0.02},     {"-0.5", -0.5},    {"1e-3", 1e-3},           {"2.5E+2", 250.0}, {".5", 0.5},
                 {"1e-310", 1e-310}, {"inf", INFINITY}, {"-Infinity", -INFINITY}, {"INF", INFINITY}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clinit_init_spec spec = clinit_init_spec_default(CLINIT_INIT_NORMAL);
        char message[256] = "unset";
        assert_int_equal(clinit_init_spec_set_message(&spec, "std", cases[i].text, message, sizeof message),
                         CLINIT_SUCCESS);
        assert_true(spec.std == cases[i].value);
        assert_string_equal(message, "");
    }
    /* The comma is not C's decimal point: refused as anywhere else. */
    clinit_init_spec spec = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    char message[256];
    assert_int_equal(clinit_init_spec_set_message(&spec, "std", "0,5", message, sizeof message),
                     CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(message, "std = \"0,5\" is not a number");
    assert_int_equal(clinit_init_spec_set_message(&spec, "mean", "1e999", message, sizeof message),
                     CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(message, "mean = \"1e999\" is beyond the range of a double (it would be inf)");
    assert_caller_locale();
}

/* clinit_validate's and clinit_init_resolve's messages (resolve.c), the handle's (status.c). */
static void test_messages_written_with_a_point(void **state)
{
    sup_env *e = SUP_ENV(state);
    int64_t shape[2] = {4, 3};
    clinit_tensor t = sup_tensor(NULL, 0, 2, shape);
    static const struct {
        clinit_init_kind kind;
        const char *name, *value, *name2, *value2, *message;
    } cases[] = {
        {CLINIT_INIT_NORMAL, "std", "-0.5", NULL, NULL, "normal: std = -0.5 must be finite and >= 0"},
        {CLINIT_INIT_UNIFORM, "a", "0.5", "b", "0.25", "uniform: a = 0.5 is greater than b = 0.25"},
        {CLINIT_INIT_TRUNC_NORMAL, "a", "2.5", "b", "1.5", "trunc_normal: need a <= b, got a = 2.5, b = 1.5"},
        {CLINIT_INIT_SPARSE, "sparsity", "1.5", NULL, NULL, "sparse: sparsity = 1.5 must be in [0, 1]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clinit_init_spec spec = clinit_init_spec_default(cases[i].kind);
        assert_int_equal(clinit_init_spec_set(&spec, cases[i].name, cases[i].value), CLINIT_SUCCESS);
        if (cases[i].name2)
            assert_int_equal(clinit_init_spec_set(&spec, cases[i].name2, cases[i].value2), CLINIT_SUCCESS);
        char message[512];
        assert_int_equal(clinit_validate(&t, &spec, message, sizeof message), CLINIT_ERROR_INVALID_PARAMETER);
        assert_string_equal(message, cases[i].message);
        clinit_distribution d;
        assert_int_equal(clinit_init_resolve(&spec, &t, &d), CLINIT_ERROR_INVALID_PARAMETER);
        /* a fill's refusal goes to the handle's message */
        cl_mem buf = sup_buffer(e, 64);
        clinit_tensor ft = sup_tensor(buf, 0, 2, shape);
        cl_event ev = NULL;
        assert_int_equal(clinit_fill(e->ctx, e->queue, &ft, &spec, 1, 0, 0, NULL, &ev), CLINIT_ERROR_INVALID_PARAMETER);
        assert_null(ev);
        assert_string_equal(clinit_ctx_message(e->ctx), cases[i].message);
        clReleaseMemObject(buf);
    }
    /* a value derived from another and where it came from; a window of a truncated normal */
    clinit_tensor h = t;
    h.dtype = CLINIT_F16;
    clinit_init_spec spec = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    assert_int_equal(clinit_init_spec_set(&spec, "gain", "1.5e6"), CLINIT_SUCCESS);
    char message[512];
    assert_int_equal(clinit_validate(&h, &spec, message, sizeof message), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(message, "xavier_uniform: the lower bound -1.38873e+06 (from gain = 1.5e+06) is outside "
                                 "the finite values of f16, [-65504, 65504]");
    spec = clinit_init_spec_default(CLINIT_INIT_TRUNC_NORMAL);
    assert_int_equal(clinit_init_spec_set(&spec, "mean", "0.5"), CLINIT_SUCCESS);
    assert_int_equal(clinit_init_spec_set(&spec, "a", "70000.5"), CLINIT_SUCCESS);
    assert_int_equal(clinit_init_spec_set(&spec, "b", "80000.25"), CLINIT_SUCCESS);
    assert_int_not_equal(clinit_validate(&h, &spec, message, sizeof message), CLINIT_SUCCESS);
    assert_string_equal(message, "trunc_normal: the window [70000.5, 80000.2] has no usable probability under "
                                 "N(0.5, 1^2): it starts 7e+04 stds from the mean; move a and b toward the mean, or "
                                 "widen std");
    assert_caller_locale();
}

/* Values: a parameter read under the comma locale gives the bits of the same double set directly. */
static void test_values_unchanged(void **state)
{
    sup_env *e = SUP_ENV(state);
    int64_t shape[2] = {16, 8};
    clinit_tensor t = sup_tensor(NULL, 0, 2, shape);
    clinit_init_spec parsed = clinit_init_spec_default(CLINIT_INIT_UNIFORM), direct = parsed;
    assert_int_equal(clinit_init_spec_set(&parsed, "a", "-0.25"), CLINIT_SUCCESS);
    assert_int_equal(clinit_init_spec_set(&parsed, "b", "0.75"), CLINIT_SUCCESS);
    direct.a = -0.25;
    direct.b = 0.75;
    float *x = sup_device_fill(e, &t, &parsed, 7, 3, 0);
    float *y = sup_device_fill(e, &t, &direct, 7, 3, 0);
    assert_memory_equal(x, y, 16 * 8 * sizeof(float));
    free(x);
    free(y);
    assert_caller_locale();
}

/* Two threads, one in the comma locale and one in its own "C" locale (uselocale): each keeps its own. */
static void *parse_in_thread(void *arg)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = arg ? uselocale(c) : (locale_t)0;
    long bad = 0;
    for (int i = 0; i < 2000; i++) {
        clinit_init_spec spec = clinit_init_spec_default(CLINIT_INIT_NORMAL);
        char text[32], message[128];
        snprintf(text, sizeof text, "%s", "0.125");
        bad += clinit_init_spec_set(&spec, "std", text) != CLINIT_SUCCESS || spec.std != 0.125;
        spec.std = -0.5;
        clinit_tensor t = {.rank = 1, .shape = {4}, .dtype = CLINIT_F32};
        bad += clinit_validate(&t, &spec, message, sizeof message) != CLINIT_ERROR_INVALID_PARAMETER ||
               strcmp(message, "normal: std = -0.5 must be finite and >= 0") != 0;
        snprintf(text, sizeof text, "%g", 0.5);
        bad += strcmp(text, arg ? "0.5" : "0,5") != 0; /* each thread's own locale, unchanged */
    }
    if (arg) uselocale(old);
    freelocale(c);
    return (void *)bad;
}

static void test_threads_keep_their_locales(void **state)
{
    (void)state;
    pthread_t a, b;
    void *bad_a, *bad_b;
    assert_int_equal(pthread_create(&a, NULL, parse_in_thread, NULL), 0);
    assert_int_equal(pthread_create(&b, NULL, parse_in_thread, (void *)1), 0);
    pthread_join(a, &bad_a);
    pthread_join(b, &bad_b);
    assert_int_equal((long)bad_a, 0);
    assert_int_equal((long)bad_b, 0);
    assert_caller_locale();
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parameters_read_with_a_point),
        cmocka_unit_test(test_messages_written_with_a_point),
        cmocka_unit_test(test_values_unchanged),
        cmocka_unit_test(test_threads_keep_their_locales),
    };
    return cmocka_run_group_tests(tests, setup, sup_group_teardown);
}
