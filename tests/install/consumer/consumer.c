/*
 * A program that uses an *installed* clinit the way a downstream project would: its own OpenCL context,
 * queue and buffer, one clinit_kaiming_normal fill, and a bit-for-bit comparison with clinit_reference_fill.
 * Built by tests/install/test_install.sh with pkg-config and with find_package(clinit), shared and static.
 * Exit status 0 when everything agrees; each failure prints one line on stderr.
 */
#include <clinit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CLINIT_EXPECTED_VERSION
#error "build with -DCLINIT_EXPECTED_VERSION=\"MAJOR.MINOR.PATCH\" (the CMake project version)"
#endif

#define FAIL(...)                                                                                                      \
    do {                                                                                                               \
        fprintf(stderr, "consumer: " __VA_ARGS__);                                                                     \
        fputc('\n', stderr);                                                                                           \
        goto done;                                                                                                     \
    } while (0)

int main(void)
{
    int rc = 1;
    cl_context context = NULL;
    cl_command_queue queue = NULL;
    cl_mem buf = NULL;
    clinit_ctx *ctx = NULL;
    float *got = NULL, *want = NULL;
    enum { N = 64 * 3 * 7 * 7 };

    if (clinit_version_number() != CLINIT_VERSION_NUMBER)
        FAIL("clinit_version_number() = %u, header CLINIT_VERSION_NUMBER = %d", clinit_version_number(),
             CLINIT_VERSION_NUMBER);
    if (strcmp(clinit_version_string(), CLINIT_VERSION_STRING) != 0 ||
        strcmp(CLINIT_VERSION_STRING, CLINIT_EXPECTED_VERSION) != 0)
        FAIL("versions differ: library %s, header %s, project %s", clinit_version_string(), CLINIT_VERSION_STRING,
             CLINIT_EXPECTED_VERSION);

    cl_platform_id platform;
    cl_device_id device;
    cl_uint n = 0;
    cl_int err = clGetPlatformIDs(1, &platform, &n);
    if (err != CL_SUCCESS || n == 0) FAIL("no OpenCL platform (clGetPlatformIDs: %d)", err);
    err = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, &n);
    if (err != CL_SUCCESS || n == 0) FAIL("no OpenCL device (clGetDeviceIDs: %d)", err);
    context = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
    if (!context) FAIL("clCreateContext: %d", err);
    queue = clCreateCommandQueue(context, device, 0, &err);
    if (!queue) FAIL("clCreateCommandQueue: %d", err);
    buf = clCreateBuffer(context, CL_MEM_READ_WRITE, N * sizeof(float), NULL, &err);
    if (!buf) FAIL("clCreateBuffer: %d", err);

    clinit_status st = clinit_ctx_create(&ctx, context, device);
    if (st != CLINIT_SUCCESS) FAIL("clinit_ctx_create: %s: %s", clinit_status_string(st), clinit_ctx_message(ctx));

    clinit_tensor w = {
        .buffer = buf, .dtype = CLINIT_F32, .rank = 4, .shape = {64, 3, 7, 7}, .layout = CLINIT_LAYOUT_OI};
    const uint64_t seed = 1234, stream = clinit_stream_from_name("conv1.weight");
    cl_event done = NULL;
    st = clinit_kaiming_normal(ctx, queue, &w, 0.0, CLINIT_FAN_OUT, CLINIT_NL_RELU, seed, stream, 0, NULL, &done);
    if (st != CLINIT_SUCCESS) FAIL("clinit_kaiming_normal: %s: %s", clinit_status_string(st), clinit_ctx_message(ctx));

    got = malloc(N * sizeof(float));
    want = malloc(N * sizeof(float));
    if (!got || !want) FAIL("out of memory");
    err = clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, N * sizeof(float), got, 1, &done, NULL);
    clReleaseEvent(done);
    if (err != CL_SUCCESS) FAIL("clEnqueueReadBuffer: %d", err);

    clinit_init_spec spec = clinit_init_spec_default(CLINIT_INIT_KAIMING_NORMAL);
    if (clinit_init_spec_set(&spec, "mode", "fan_out") != CLINIT_SUCCESS ||
        clinit_init_spec_set(&spec, "nonlinearity", "relu") != CLINIT_SUCCESS)
        FAIL("clinit_init_spec_set");
    st = clinit_reference_fill(&w, &spec, seed, stream, want, N * sizeof(float));
    if (st != CLINIT_SUCCESS) FAIL("clinit_reference_fill: %s", clinit_status_string(st));
    for (int i = 0; i < N; i++)
        if (memcmp(&got[i], &want[i], sizeof(float)) != 0)
            FAIL("element %d: device %a, reference %a", i, (double)got[i], (double)want[i]);

    double sq = 0;
    for (int i = 0; i < N; i++) sq += (double)got[i] * got[i];
    printf("consumer: clinit %s (generation contract v%d): kaiming_normal (64, 3, 7, 7) on the device equals "
           "the host reference bit for bit (mean square %.3g, 2/fan_out %.3g)\n",
           clinit_version_string(), CLINIT_GENERATION_VERSION, sq / N, 2.0 / (64 * 7 * 7));
    rc = 0;
done:
    free(got);
    free(want);
    clinit_ctx_destroy(ctx);
    if (buf) clReleaseMemObject(buf);
    if (queue) clReleaseCommandQueue(queue);
    if (context) clReleaseContext(context);
    return rc;
}
