/* What context creation chooses per device (host/context.c): on NVIDIA GPUs of compute capability 8.0 and up the
 * program is built with CLINIT_PTX_BF16 (the GPU rows store bf16 through one PTX cvt.rn.bf16x2.f32 per two values,
 * kernels/stores.h), elsewhere without it; CLINIT_PTX=0 turns it off, other values are refused by name; and a
 * compiler that refuses the inline PTX gets the portable program, with the same values. PoCL impersonates the
 * NVIDIA device here through tests/clfault.c (vendor ID and compute capability), which also refuses the builds
 * that carry the option, since PoCL's CPU back end cannot assemble PTX. The PTX stores themselves run only on an
 * NVIDIA GPU: bench/device-check.sh runs this whole suite there, test_bf16_ties_on_device among them. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include "support.h"

#include "clfault.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PTX_OPTION "-DCLINIT_PTX_BF16=1"
#define NVIDIA 0x10deu

/* clinit_ctx_create_default with CLINIT_PTX = ptx (NULL: unset) while clfault impersonates (vendor, cc); the
 * builds it made are left in clfault's record. Returns the status; *out gets the handle (destroy it). */
static clinit_status create(const char *ptx, cl_uint vendor, cl_uint cc, const char *refuse, clinit_ctx **out)
{
    const char *old = getenv("CLINIT_PTX");
    char saved[64] = "";
    int had = old != NULL;
    if (had) snprintf(saved, sizeof saved, "%s", old);
    if (ptx)
        setenv("CLINIT_PTX", ptx, 1);
    else
        unsetenv("CLINIT_PTX");
    clfault_pretend_device(vendor, cc);
    clfault_refuse_build(refuse);
    clfault_builds_reset();
    clinit_status st = clinit_ctx_create_default(out);
    clfault_pretend_device(0, 0);
    clfault_refuse_build(NULL);
    if (had)
        setenv("CLINIT_PTX", saved, 1);
    else
        unsetenv("CLINIT_PTX");
    return st;
}

static int has_ptx_option(unsigned build)
{
    const char *o = clfault_build_options(build);
    if (!o) fail_msg("no build %u was made", build);
    return strstr(o, PTX_OPTION) != NULL;
}

/* One build, with or without the option. */
static void assert_one_build(const char *what, int with_ptx)
{
    if (clfault_build_count() != 1) fail_msg("%s: %u builds, expected 1", what, clfault_build_count());
    if (has_ptx_option(0) != with_ptx)
        fail_msg("%s: options \"%s\" %s " PTX_OPTION, what, clfault_build_options(0), with_ptx ? "lack" : "carry");
}

/* A bf16 uniform and a bf16 normal fill through ctx equal clinit_reference_fill bit for bit. */
static void assert_bf16_fills_exact(clinit_ctx *ctx)
{
    sup_env e = {ctx, clinit_ctx_cl_context(ctx), clinit_ctx_device(ctx), clinit_ctx_queue(ctx)};
    int64_t shape[2] = {37, 129};
    clinit_tensor t = sup_tensor(NULL, 0, 2, shape);
    t.dtype = CLINIT_BF16;
    size_t n = sup_numel(&t);
    clinit_init_spec specs[2] = {clinit_init_spec_default(CLINIT_INIT_XAVIER_UNIFORM),
                                 clinit_init_spec_default(CLINIT_INIT_NORMAL)};
    for (int s = 0; s < 2; s++) {
        uint16_t *dev = sup_device_fill(&e, &t, &specs[s], 0x5eed, 3, 0);
        uint16_t *ref = sup_reference_fill(&t, &specs[s], 0x5eed, 3);
        for (size_t i = 0; i < n; i++)
            if (dev[i] != ref[i]) fail_msg("spec %d: element %zu is 0x%04x, reference 0x%04x", s, i, dev[i], ref[i]);
        free(dev);
        free(ref);
    }
}

/* Compute capability 9 (H100/H200): the first build asks for the PTX stores; refused, the second builds the
 * portable program, whose fills are exact. */
static void test_nvidia_sm90_falls_back_when_refused(void **state)
{
    clinit_ctx *ctx = NULL;
    assert_int_equal(create(NULL, NVIDIA, 9, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_int_equal(clfault_build_count(), 2);
    assert_true(has_ptx_option(0));
    assert_false(has_ptx_option(1));
    assert_bf16_fills_exact(ctx);
    clinit_ctx_destroy(ctx);
    /* "1" and "" are the same choice as unset */
    assert_int_equal(create("", NVIDIA, 9, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_int_equal(clfault_build_count(), 2);
    assert_true(has_ptx_option(0));
    clinit_ctx_destroy(ctx);
    assert_int_equal(create("1", NVIDIA, 8, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_int_equal(clfault_build_count(), 2);
    assert_true(has_ptx_option(0));
    clinit_ctx_destroy(ctx);
    (void)state;
}

/* Below compute capability 8, on another vendor, where the capability query fails, and with CLINIT_PTX=0: one
 * build without the option. */
static void test_no_ptx_elsewhere(void **state)
{
    clinit_ctx *ctx = NULL;
    assert_int_equal(create(NULL, NVIDIA, 7, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_one_build("compute capability 7", 0);
    clinit_ctx_destroy(ctx);
    assert_int_equal(create(NULL, 0x1002u, 9, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_one_build("vendor 0x1002", 0);
    clinit_ctx_destroy(ctx);
    assert_int_equal(create(NULL, NVIDIA, 0, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_one_build("no compute capability", 0);
    clinit_ctx_destroy(ctx);
    assert_int_equal(create("1", 0x1002u, 9, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_one_build("CLINIT_PTX=1, vendor 0x1002", 0);
    clinit_ctx_destroy(ctx);
    assert_int_equal(create("1", NVIDIA, 7, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_one_build("CLINIT_PTX=1, compute capability 7", 0);
    clinit_ctx_destroy(ctx);
    assert_int_equal(create("0", NVIDIA, 9, PTX_OPTION, &ctx), CLINIT_SUCCESS);
    assert_one_build("CLINIT_PTX=0", 0);
    assert_bf16_fills_exact(ctx);
    clinit_ctx_destroy(ctx);
    (void)state;
}

/* The device itself (PoCL in CI; an H100/H200 in bench/device-check.sh): one build, with the option exactly on
 * NVIDIA from compute capability 8, so the driver's compiler took the inline PTX, and bf16 fills equal to the
 * reference. */
static void test_real_device(void **state)
{
    clinit_ctx *ctx = NULL;
    assert_int_equal(create(NULL, 0, 0, NULL, &ctx), CLINIT_SUCCESS);
    cl_uint vendor = 0, major = 0;
    assert_int_equal(clGetDeviceInfo(clinit_ctx_device(ctx), CL_DEVICE_VENDOR_ID, sizeof vendor, &vendor, NULL),
                     CL_SUCCESS);
    int nvidia_sm80 = vendor == NVIDIA &&
                      clGetDeviceInfo(clinit_ctx_device(ctx), 0x4000 /* compute capability */, sizeof major, &major,
                                      NULL) == CL_SUCCESS &&
                      major >= 8;
    assert_one_build("the real device", nvidia_sm80);
    assert_bf16_fills_exact(ctx);
    clinit_ctx_destroy(ctx);
    (void)state;
}

/* A build that fails for another reason still fails, after the portable retry, with the retry's options and
 * the build-failure status. */
static void test_other_build_failures_reported(void **state)
{
    clinit_ctx *ctx = NULL;
    assert_int_equal(create(NULL, NVIDIA, 9, "-cl-std=CL1.2", &ctx), CLINIT_ERROR_BUILD_FAILED);
    assert_int_equal(clfault_build_count(), 2);
    assert_true(has_ptx_option(0));
    assert_false(has_ptx_option(1));
    const char *m = clinit_ctx_message(ctx);
    if (!strstr(m, "clBuildProgram") || !strstr(m, "CL_BUILD_PROGRAM_FAILURE") || strstr(m, PTX_OPTION))
        fail_msg("message \"%s\"", m);
    clinit_ctx_destroy(ctx);
    /* without the option there is nothing to retry */
    assert_int_equal(create("0", NVIDIA, 9, "-cl-std=CL1.2", &ctx), CLINIT_ERROR_BUILD_FAILED);
    assert_int_equal(clfault_build_count(), 1);
    clinit_ctx_destroy(ctx);
    (void)state;
}

static void test_ptx_variable_refused(void **state)
{
    const char *bad[] = {"2", "on", "off", "true", " 0", "0 ", "00", "-1", "x"};
    long programs = clfault_live(CLFAULT_PROGRAM), contexts = clfault_live(CLFAULT_CONTEXT);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        clinit_ctx *ctx = NULL;
        clinit_status st = create(bad[i], NVIDIA, 9, NULL, &ctx);
        const char *m = clinit_ctx_message(ctx);
        if (st != CLINIT_ERROR_INVALID_PARAMETER || !strstr(m, "CLINIT_PTX"))
            fail_msg("CLINIT_PTX=\"%s\": %s, \"%s\"", bad[i], clinit_status_string(st), m);
        if (clfault_build_count() != 0) fail_msg("CLINIT_PTX=\"%s\": a build was made", bad[i]);
        clinit_ctx_destroy(ctx);
    }
    /* the refused handles left no program or context behind */
    assert_int_equal(clfault_live(CLFAULT_PROGRAM), programs);
    assert_int_equal(clfault_live(CLFAULT_CONTEXT), contexts);
    (void)state;
}

int main(void)
{
    sup_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvidia_sm90_falls_back_when_refused),
        cmocka_unit_test(test_no_ptx_elsewhere),
        cmocka_unit_test(test_real_device),
        cmocka_unit_test(test_other_build_failures_reported),
        cmocka_unit_test(test_ptx_variable_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
