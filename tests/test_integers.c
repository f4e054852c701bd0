/* Integer dtypes (i32, i64): constant, zeros and ones only, the value an integer of the dtype (include/clinit.h,
 * "Element types"). The device's values (one clEnqueueFillBuffer) and the host reference's are the integer
 * itself in every described element, the bytes around the tensor untouched; every other initializer, and
 * every value the dtype cannot hold exactly, is refused with its status and a message naming it. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static clinit_init_spec constant(double val)
{
    clinit_init_spec s = clinit_init_spec_default(CLINIT_INIT_CONSTANT);
    s.val = val;
    return s;
}

/* Every one of n values of dtype at v equals want. */
static void assert_all(const void *v, clinit_dtype dtype, size_t n, int64_t want)
{
    for (size_t i = 0; i < n; i++) {
        int64_t got = dtype == CLINIT_I32 ? ((const int32_t *)v)[i] : ((const int64_t *)v)[i];
        if (got != want) fail_msg("element %zu = %lld, want %lld", i, (long long)got, (long long)want);
    }
}

/* The extremes of each dtype, 0, 1 and −1, on the device (at an offset, with guard bands) and on the host. */
static void test_values(void **state)
{
    sup_env *e = SUP_ENV(state);
    const struct {
        clinit_dtype dtype;
        double val;
        int64_t want;
    } cases[] = {
        {CLINIT_I32, 2147483647.0, INT32_MAX},
        {CLINIT_I32, -2147483648.0, INT32_MIN},
        {CLINIT_I32, -1.0, -1},
        {CLINIT_I64, -0x1p63, INT64_MIN},
        {CLINIT_I64, 0x1.fffffffffffffp62, INT64_C(9223372036854774784)}, /* the largest double below 2^63 */
        {CLINIT_I64, 9007199254740993.0, INT64_C(9007199254740992)},      /* the literal rounds to 2^53 in C */
        {CLINIT_I64, -0.0, 0},
    };
    const int64_t shape[] = {3, 5, 7};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        clinit_tensor t = sup_tensor(NULL, 0, 3, shape);
        t.dtype = cases[c].dtype;
        clinit_init_spec s = constant(cases[c].val);
        void *dev = sup_device_fill(e, &t, &s, 1, 2, 24);
        void *ref = sup_reference_fill(&t, &s, 1, 2);
        assert_all(dev, t.dtype, 105, cases[c].want);
        assert_all(ref, t.dtype, 105, cases[c].want);
        free(dev);
        free(ref);
    }
}

/* zeros and ones; a scalar (PyTorch's num_batches_tracked: int64, shape []); a box, whose elements are packed
 * from the offset as for every dtype. */
static void test_zeros_ones_scalar_box(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_init_spec zeros = clinit_init_spec_default(CLINIT_INIT_ZEROS),
                     ones = clinit_init_spec_default(CLINIT_INIT_ONES);
    clinit_tensor scalar = sup_tensor(NULL, 0, 0, NULL);
    scalar.dtype = CLINIT_I64;
    int64_t *v = sup_device_fill(e, &scalar, &zeros, 0, 0, 8);
    assert_int_equal(v[0], 0);
    free(v);
    v = sup_device_fill(e, &scalar, &ones, 0, 0, 0);
    assert_int_equal(v[0], 1);
    free(v);
    clinit_tensor box = sup_tensor(NULL, 0, 2, (int64_t[]){10, 12});
    box.dtype = CLINIT_I32;
    sup_set_box(&box, (int64_t[]){2, 3}, (int64_t[]){4, 5});
    int32_t *w = sup_device_fill(e, &box, &ones, 0, 0, 4);
    assert_all(w, CLINIT_I32, 20, 1);
    free(w);
}

/* The async contract: the fill waits for its wait list and its event completes with the values written. */
static void test_gated(void **state)
{
    sup_env *e = SUP_ENV(state);
    clinit_tensor t = sup_tensor(NULL, 16, 1, (int64_t[]){1000});
    t.dtype = CLINIT_I64;
    clinit_init_spec s = constant(-7);
    sup_gated_fill(e, t, &s, 0, 0);
}

/* One batch of an f32 normal tensor between an i64 and an i32 constant in one buffer: each as its own fill. */
static void test_batch(void **state)
{
    sup_env *e = SUP_ENV(state);
    size_t bytes = 8 * 3 + 4 * 1000 + 4 * 5;
    cl_mem buf = sup_buffer(e, bytes);
    sup_fill_pattern(e, buf, bytes, SUP_SENTINEL);
    clinit_batch_item items[3];
    memset(items, 0, sizeof items);
    items[0].tensor = sup_tensor(buf, 0, 1, (int64_t[]){3});
    items[0].tensor.dtype = CLINIT_I64;
    items[0].spec = constant(42);
    items[1].tensor = sup_tensor(buf, 24, 1, (int64_t[]){1000});
    items[1].spec = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    items[1].stream = 9;
    items[2].tensor = sup_tensor(buf, 4024, 1, (int64_t[]){5});
    items[2].tensor.dtype = CLINIT_I32;
    items[2].spec = clinit_init_spec_default(CLINIT_INIT_ONES);
    SUP_OK(e->ctx, clinit_fill_batch(e->ctx, e->queue, items, 3, 5, 0, NULL, NULL));
    unsigned char *all = malloc(bytes);
    assert_non_null(all);
    sup_read(e, buf, 0, bytes, all);
    clReleaseMemObject(buf);
    assert_all(all, CLINIT_I64, 3, 42);
    float *ref = sup_reference_fill(&items[1].tensor, &items[1].spec, 5, 9);
    assert_memory_equal(all + 24, ref, 4000);
    assert_all(all + 4024, CLINIT_I32, 5, 1);
    free(ref);
    free(all);
}

/* Every other initializer is UNSUPPORTED_DTYPE, naming the dtype and the initializer; a value that is no
 * integer of the dtype is INVALID_PARAMETER, for an empty tensor too; neither writes a byte. */
static void test_refused(void **state)
{
    sup_env *e = SUP_ENV(state);
    char msg[512];
    clinit_tensor t = sup_tensor(NULL, 0, 2, (int64_t[]){4, 4});
    t.dtype = CLINIT_I64;
    clinit_init_spec normal = clinit_init_spec_default(CLINIT_INIT_NORMAL);
    assert_int_equal(clinit_validate(&t, &normal, msg, sizeof msg), CLINIT_ERROR_UNSUPPORTED_DTYPE);
    assert_string_equal(msg, "tensor.dtype i64 with normal: integer tensors take constant, zeros or ones only");
    t.dtype = CLINIT_I32;
    clinit_init_spec xavier = clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM);
    assert_int_equal(clinit_validate(&t, &xavier, msg, sizeof msg), CLINIT_ERROR_UNSUPPORTED_DTYPE);
    assert_string_equal(msg, "tensor.dtype i32 with xavier_uniform: integer tensors take constant, zeros or ones only");

    const struct {
        clinit_dtype dtype;
        double val;
        const char *msg;
    } bad[] = {
        {CLINIT_I32, 2147483648.0, "constant: val = 2147483648 is not an integer of i32, [-2^31, 2^31 - 1]"},
        {CLINIT_I32, -2147483649.0, "constant: val = -2147483649 is not an integer of i32, [-2^31, 2^31 - 1]"},
        {CLINIT_I64, 0x1p63, "constant: val = 9.2233720368547758e+18 is not an integer of i64, [-2^63, 2^63 - 1]"},
        {CLINIT_I64, 0.5, "constant: val = 0.5 is not an integer of i64, [-2^63, 2^63 - 1]"},
        {CLINIT_I32, -1e-300, "constant: val = -1e-300 is not an integer of i32, [-2^31, 2^31 - 1]"},
    };
    for (size_t c = 0; c < sizeof bad / sizeof bad[0]; c++) {
        clinit_init_spec s = constant(bad[c].val);
        t.dtype = bad[c].dtype;
        assert_int_equal(clinit_validate(&t, &s, msg, sizeof msg), CLINIT_ERROR_INVALID_PARAMETER);
        assert_string_equal(msg, bad[c].msg);
        clinit_tensor empty = sup_tensor(NULL, 0, 2, (int64_t[]){0, 4});
        empty.dtype = bad[c].dtype;
        assert_int_equal(clinit_validate(&empty, &s, NULL, 0), CLINIT_ERROR_INVALID_PARAMETER);
    }
    clinit_init_spec nan = constant(NAN);
    assert_int_equal(clinit_validate(&t, &nan, NULL, 0), CLINIT_ERROR_INVALID_PARAMETER);

    /* on the device: the status, and the buffer as it was */
    cl_mem buf = sup_buffer(e, 128);
    sup_fill_pattern(e, buf, 128, SUP_SENTINEL);
    t.buffer = buf;
    t.dtype = CLINIT_I64;
    clinit_init_spec half = constant(0.5);
    cl_event ev = (cl_event)(uintptr_t)1;
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &normal, 1, 2, 0, NULL, &ev), CLINIT_ERROR_UNSUPPORTED_DTYPE);
    assert_null(ev);
    assert_int_equal(clinit_fill(e->ctx, e->queue, &t, &half, 1, 2, 0, NULL, NULL), CLINIT_ERROR_INVALID_PARAMETER);
    assert_string_equal(clinit_ctx_message(e->ctx), "constant: val = 0.5 is not an integer of i64, [-2^63, 2^63 - 1]");
    unsigned char all[128];
    sup_read(e, buf, 0, sizeof all, all);
    sup_assert_pattern(all, 0, sizeof all, SUP_SENTINEL);
    /* and on the host */
    int64_t dst[16];
    assert_int_equal(clinit_reference_fill(&t, &normal, 1, 2, dst, sizeof dst), CLINIT_ERROR_UNSUPPORTED_DTYPE);
    clReleaseMemObject(buf);
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),  cmocka_unit_test(test_zeros_ones_scalar_box),
        cmocka_unit_test(test_gated),   cmocka_unit_test(test_batch),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests_name("integers", tests, sup_group_setup, sup_group_teardown);
}
