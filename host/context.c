/* Context handles: device choice, program build (once per context and device), kernel objects. */
#include "internal.h"

#include <CL/cl_ext.h> /* CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV */
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The general kernels, indexed [dtype][dist] as clinit_dtype and clinit_dist_kind, and the GPU rows kernels, indexed
 * [dtype][ci_rows_slot(dist, generation)]. */
static const char *const fill_kernel_names[CLINIT_DTYPE_COUNT][CLINIT_DIST_COUNT] = {
    {"clinit_fill_runs_constant_f32", "clinit_fill_runs_uniform_f32", "clinit_fill_runs_normal_f32",
     "clinit_fill_runs_truncnorm_f32"},
    {"clinit_fill_runs_constant_f16", "clinit_fill_runs_uniform_f16", "clinit_fill_runs_normal_f16",
     "clinit_fill_runs_truncnorm_f16"},
    {"clinit_fill_runs_constant_bf16", "clinit_fill_runs_uniform_bf16", "clinit_fill_runs_normal_bf16",
     "clinit_fill_runs_truncnorm_bf16"},
};
static const char *const rows_kernel_names[CLINIT_DTYPE_COUNT][CLINIT_ROWS_KERNELS] = {
    {"clinit_fill_constant_f32", "clinit_fill_uniform_f32", "clinit_fill_normal_g1_f32", "clinit_fill_normal_g2_f32",
     "clinit_fill_truncnorm_g1_f32", "clinit_fill_truncnorm_g2_f32"},
    {"clinit_fill_constant_f16", "clinit_fill_uniform_f16", "clinit_fill_normal_g1_f16", "clinit_fill_normal_g2_f16",
     "clinit_fill_truncnorm_g1_f16", "clinit_fill_truncnorm_g2_f16"},
    {"clinit_fill_constant_bf16", "clinit_fill_uniform_bf16", "clinit_fill_normal_g1_bf16",
     "clinit_fill_normal_g2_bf16", "clinit_fill_truncnorm_g1_bf16", "clinit_fill_truncnorm_g2_bf16"},
};

/* clCreateKernel, and the work-group size limit it brings into *local (the smallest over the kernels made). */
static clinit_status make_kernel(clinit_ctx *ctx, const char *name, cl_kernel *k, size_t *local)
{
    cl_int err;
    *k = clCreateKernel(ctx->program, name, &err);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateKernel(%s) failed: %s (%d)", name, clinit_cl_error_name(err),
                       err);
    if (!local) return CLINIT_SUCCESS;
    size_t wg = 0;
    err = clGetKernelWorkGroupInfo(*k, ctx->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clGetKernelWorkGroupInfo(%s) failed: %s (%d)", name,
                       clinit_cl_error_name(err), err);
    if (wg < *local) *local = wg;
    return CLINIT_SUCCESS;
}

/* NVIDIA GPUs from compute capability 8.0 round two floats to bf16 and pack them in one instruction (PTX
 * cvt.rn.bf16x2.f32), which kernels/stores.h uses under CLINIT_PTX_BF16 for the GPU rows' bf16 stores: the same
 * bits as the portable rounding, half an instruction per value instead of 2.5. CLINIT_PTX=0 keeps the portable
 * stores (to compare them, or should a driver mistranslate the inline PTX). */
#define CI_VENDOR_NVIDIA 0x10deu /* CL_DEVICE_VENDOR_ID: the PCI vendor ID */

static clinit_status want_ptx_bf16(clinit_ctx *ctx, int *want)
{
    *want = 0;
    const char *env = getenv("CLINIT_PTX");
    if (env && *env) {
        if (strcmp(env, "0") == 0) return CLINIT_SUCCESS;
        if (strcmp(env, "1") != 0)
            return ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                           "CLINIT_PTX=\"%s\" is not 0 (portable kernels) or 1 (inline PTX where the device has it)",
                           env);
    }
    cl_uint vendor = 0, major = 0;
    if (clGetDeviceInfo(ctx->device, CL_DEVICE_VENDOR_ID, sizeof vendor, &vendor, NULL) != CL_SUCCESS ||
        vendor != CI_VENDOR_NVIDIA)
        return CLINIT_SUCCESS;
    if (clGetDeviceInfo(ctx->device, CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV, sizeof major, &major, NULL) != CL_SUCCESS)
        return CLINIT_SUCCESS;
    *want = major >= 8;
    return CLINIT_SUCCESS;
}

static clinit_status build(clinit_ctx *ctx)
{
    cl_int err = clGetDeviceInfo(ctx->device, CL_DEVICE_TYPE, sizeof ctx->device_type, &ctx->device_type, NULL);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clGetDeviceInfo(CL_DEVICE_TYPE) failed: %s (%d)",
                       clinit_cl_error_name(err), err);
    /* PoCL runs a work-group's items one after another on a core, so launch overhead per item dominates
     * unless each item does several blocks; GPUs want one block per item for coalesced stores. The
     * environment may choose either shape on any device — the values are the same — so that the tests run
     * the GPUs' kernel shape on PoCL too. */
    ctx->item_blocks = (ctx->device_type & CL_DEVICE_TYPE_CPU) ? 16 : 1;
    const char *shape = getenv("CLINIT_ITEM_BLOCKS");
    if (shape && *shape) {
        if (strcmp(shape, "1") != 0 && strcmp(shape, "16") != 0)
            return ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER, "CLINIT_ITEM_BLOCKS=\"%s\" is not 1 or 16", shape);
        ctx->item_blocks = (cl_uint)atoi(shape);
    }
    /* An experiment for GPUs, off by default: at most N work-items per run, each looping over the run's
     * blocks with the grid's stride (coalesced like one block per item, with the per-item set-up paid once
     * per loop instead of once per block). Small N make the tests run the loops on PoCL. */
    const char *stride = getenv("CLINIT_ITEM_STRIDE");
    if (stride && *stride) {
        char *end;
        unsigned long long n = strtoull(stride, &end, 10);
        if (!isdigit((unsigned char)stride[0]) || *end || n > (1ull << 30))
            return ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                           "CLINIT_ITEM_STRIDE=\"%s\" is not a number of work-items from 0 (off) to 2^30", stride);
        if (n && ctx->item_blocks != 1)
            return ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                           "CLINIT_ITEM_STRIDE needs one block per work-item (CLINIT_ITEM_BLOCKS=1, or a GPU)");
        ctx->stride_items = n;
    }

    const char *src = ci_kernel_source;
    size_t len = ci_kernel_source_len;
    ctx->program = clCreateProgramWithSource(ctx->context, 1, &src, &len, &err);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateProgramWithSource failed: %s (%d)", clinit_cl_error_name(err),
                       err);
    int ptx;
    clinit_status st = want_ptx_bf16(ctx, &ptx);
    if (st != CLINIT_SUCCESS) return st;
    char options[128];
    for (;;) {
        ci_c_snprintf(options, sizeof options, "-cl-std=CL1.2 -DCLINIT_ITEM_BLOCKS=%u -DCLINIT_ITEM_STRIDE=%d%s",
                      ctx->item_blocks, ctx->stride_items != 0, ptx ? " -DCLINIT_PTX_BF16=1" : "");
        err = clBuildProgram(ctx->program, 1, &ctx->device, options, NULL, NULL);
        /* a compiler that refuses the inline PTX still gets the portable program */
        if (err != CL_BUILD_PROGRAM_FAILURE || !ptx) break;
        ptx = 0;
    }
    if (err != CL_SUCCESS) {
        /* The log's head: the message holds CLINIT_MESSAGE_BYTES in all. */
        char log[CLINIT_MESSAGE_BYTES];
        log[0] = '\0';
        clGetProgramBuildInfo(ctx->program, ctx->device, CL_PROGRAM_BUILD_LOG, sizeof log - 1, log, NULL);
        log[sizeof log - 1] = '\0';
        return ci_fail(ctx, err == CL_BUILD_PROGRAM_FAILURE ? CLINIT_ERROR_BUILD_FAILED : CLINIT_ERROR_OPENCL,
                       "clBuildProgram(\"%s\") failed: %s (%d); log:\n%s", options, clinit_cl_error_name(err), err,
                       log);
    }
    /* A fixed work-group size: PoCL compiles a kernel anew for every work-group size it picks itself, which
     * costs ~0.25 s per distinct tensor shape. */
    ctx->default_local_size = (ctx->device_type & CL_DEVICE_TYPE_CPU) ? 64 : 256;
    for (int t = 0; t < CLINIT_DTYPE_COUNT && st == CLINIT_SUCCESS; t++) {
        for (int d = 0; d < CLINIT_DIST_COUNT && st == CLINIT_SUCCESS; d++)
            st = make_kernel(ctx, fill_kernel_names[t][d], &ctx->fill[t][d], &ctx->default_local_size);
        /* the rows kernels exist in the GPU shapes only (kernels/geometry.h) */
        for (int k = 0; k < CLINIT_ROWS_KERNELS && st == CLINIT_SUCCESS && ctx->item_blocks == 1; k++)
            st = make_kernel(ctx, rows_kernel_names[t][k], &ctx->fill_rows[t][k], &ctx->default_local_size);
    }
    if (st != CLINIT_SUCCESS) return st;
    /* The rows kernels' grid: the work-items a device keeps resident, about 2048 per compute unit on GPUs. */
    cl_uint units = 1;
    clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);
    ctx->row_items = (uint64_t)(units ? units : 1) * 2048;
    /* f64 kernels exist in the program only where the device compiler defines cl_khr_fp64. */
    cl_device_fp_config fp64 = 0;
    clGetDeviceInfo(ctx->device, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL);
    const char *const *special[4] = {ci_orthogonal_kernel_names, ci_structured_kernel_names,
                                     ci_orthogonal64_kernel_names, ci_structured64_kernel_names};
    cl_kernel *slots[4] = {ctx->orthogonal, ctx->structured, ctx->orthogonal64, ctx->structured64};
    for (int f = 0; f < (fp64 ? 4 : 2); f++)
        for (int k = 0; k < CLINIT_SPECIAL_KERNELS && special[f][k]; k++) {
            slots[f][k] = clCreateKernel(ctx->program, special[f][k], &err);
            if (err != CL_SUCCESS)
                return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateKernel(%s) failed: %s (%d)", special[f][k],
                               clinit_cl_error_name(err), err);
        }
    static const char *const fill64_names[CLINIT_DIST_COUNT] = {"clinit_fill64_constant", "clinit_fill64_uniform",
                                                                "clinit_fill64_normal", "clinit_fill64_truncnorm"};
    for (int d = 0; fp64 && d < CLINIT_DIST_COUNT; d++) {
        ctx->fill64[d] = clCreateKernel(ctx->program, fill64_names[d], &err);
        if (err != CL_SUCCESS)
            return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateKernel(%s) failed: %s (%d)", fill64_names[d],
                           clinit_cl_error_name(err), err);
    }
    static const char *const batch_names[CLINIT_DTYPE_COUNT] = {"clinit_fill_batch_f32", "clinit_fill_batch_f16",
                                                                "clinit_fill_batch_bf16"};
    for (int t = 0; t < CLINIT_DTYPE_COUNT; t++) {
        ctx->batch[t] = clCreateKernel(ctx->program, batch_names[t], &err);
        if (err != CL_SUCCESS)
            return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateKernel(%s) failed: %s (%d)", batch_names[t],
                           clinit_cl_error_name(err), err);
    }
    ctx->kat = clCreateKernel(ctx->program, "clinit_philox_kat", &err);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateKernel(clinit_philox_kat) failed: %s (%d)",
                       clinit_cl_error_name(err), err);
    return CLINIT_SUCCESS;
}

static clinit_ctx *alloc_ctx(void)
{
    static atomic_uint_fast64_t handles_made;
    clinit_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    if (pthread_mutex_init(&ctx->lock, NULL) != 0) {
        free(ctx);
        return NULL;
    }
    if (pthread_mutex_init(&ctx->message_lock, NULL) != 0) {
        pthread_mutex_destroy(&ctx->lock);
        free(ctx);
        return NULL;
    }
    /* From 1: a thread that has made no call holds id 0. A new handle at a freed one's address gets a new id,
     * so no thread takes the old handle's message for it. */
    ctx->id = atomic_fetch_add(&handles_made, 1) + 1;
    ci_message_clear(ctx);
    return ctx;
}

clinit_status clinit_ctx_create(clinit_ctx **out, cl_context context, cl_device_id device)
{
    if (!out) return CLINIT_ERROR_NULL_ARGUMENT;
    *out = NULL;
    if (!context || !device) return CLINIT_ERROR_NULL_ARGUMENT;
    clinit_ctx *ctx = alloc_ctx();
    if (!ctx) return CLINIT_ERROR_OUT_OF_HOST_MEMORY;
    *out = ctx;

    cl_uint ndev = 0;
    cl_int err = clGetContextInfo(context, CL_CONTEXT_NUM_DEVICES, sizeof ndev, &ndev, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "context: clGetContextInfo(CL_CONTEXT_NUM_DEVICES)");
    cl_device_id *devs = calloc(ndev ? ndev : 1, sizeof *devs);
    if (!devs) return ci_fail(ctx, CLINIT_ERROR_OUT_OF_HOST_MEMORY, "out of host memory");
    err = clGetContextInfo(context, CL_CONTEXT_DEVICES, ndev * sizeof *devs, devs, NULL);
    int found = 0;
    for (cl_uint i = 0; err == CL_SUCCESS && i < ndev; i++) found |= devs[i] == device;
    free(devs);
    /* a failed query is not a device outside the context: the message names the call and its error */
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "context: clGetContextInfo(CL_CONTEXT_DEVICES)");
    if (!found) return ci_fail(ctx, CLINIT_ERROR_OPENCL, "device: the device is not one of the context's devices");

    clRetainContext(context);
    ctx->context = context;
    clRetainDevice(device);
    ctx->device = device;
    return build(ctx);
}

/* Parses CLINIT_DEVICE's "P:D" form; 1 on success. */
static int parse_pair(const char *s, unsigned *p, unsigned *d)
{
    /* Digits only: strtoul alone would also take " 0", "+0" and "-0", which `clinit devices` does not. */
    char *end;
    if (!isdigit((unsigned char)s[0])) return 0;
    unsigned long a = strtoul(s, &end, 10);
    if (end == s || *end != ':') return 0;
    const char *s2 = end + 1;
    if (!isdigit((unsigned char)s2[0])) return 0;
    unsigned long b = strtoul(s2, &end, 10);
    if (end == s2 || *end != '\0' || a > 0xffffffffUL || b > 0xffffffffUL) return 0;
    *p = (unsigned)a;
    *d = (unsigned)b;
    return 1;
}

static clinit_status choose_device(clinit_ctx *ctx, cl_platform_id *platform, cl_device_id *device)
{
    const char *want = getenv("CLINIT_DEVICE");
    if (want && !*want) want = NULL;
    unsigned want_p = 0, want_d = 0;
    cl_device_type want_type = CL_DEVICE_TYPE_ALL;
    int by_index = 0;
    if (want) {
        if (strcmp(want, "gpu") == 0)
            want_type = CL_DEVICE_TYPE_GPU;
        else if (strcmp(want, "cpu") == 0)
            want_type = CL_DEVICE_TYPE_CPU;
        else if (parse_pair(want, &want_p, &want_d))
            by_index = 1;
        else
            return ci_fail(ctx, CLINIT_ERROR_DEVICE_NOT_FOUND,
                           "CLINIT_DEVICE=\"%s\" is not \"gpu\", \"cpu\" or \"PLATFORM:DEVICE\"", want);
    }
    cl_platform_id plats[32];
    cl_uint nplat = 0;
    cl_int err = clGetPlatformIDs(32, plats, &nplat);
    /* No platform (the ICD loader's CL_PLATFORM_NOT_FOUND_KHR, -1001) is no device; another failure is OpenCL's */
    if (err == CL_SUCCESS ? nplat == 0 : err == -1001)
        return ci_fail(ctx, CLINIT_ERROR_DEVICE_NOT_FOUND, "no OpenCL platform found (clGetPlatformIDs: %s)",
                       err ? "CL_PLATFORM_NOT_FOUND_KHR (-1001): the ICD loader found no platform" : "none listed");
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clGetPlatformIDs");
    if (nplat > 32) nplat = 32;
    /* Two passes without an explicit choice: first a GPU, then any device. */
    for (int pass = 0; pass < 2; pass++) {
        cl_device_type type = want ? want_type : (pass == 0 ? CL_DEVICE_TYPE_GPU : CL_DEVICE_TYPE_ALL);
        for (cl_uint p = 0; p < nplat; p++) {
            if (by_index && p != want_p) continue;
            cl_device_id devs[64];
            cl_uint ndev = 0;
            if (clGetDeviceIDs(plats[p], by_index ? CL_DEVICE_TYPE_ALL : type, 64, devs, &ndev) != CL_SUCCESS) continue;
            if (ndev > 64) ndev = 64;
            if (by_index) {
                if (want_d >= ndev) break;
                *platform = plats[p];
                *device = devs[want_d];
                return CLINIT_SUCCESS;
            }
            if (ndev > 0) {
                *platform = plats[p];
                *device = devs[0];
                return CLINIT_SUCCESS;
            }
        }
        if (want) break;
    }
    if (want) return ci_fail(ctx, CLINIT_ERROR_DEVICE_NOT_FOUND, "CLINIT_DEVICE=\"%s\" names no OpenCL device", want);
    return ci_fail(ctx, CLINIT_ERROR_DEVICE_NOT_FOUND, "no OpenCL device found");
}

clinit_status clinit_ctx_create_default(clinit_ctx **out)
{
    if (!out) return CLINIT_ERROR_NULL_ARGUMENT;
    clinit_ctx *ctx = alloc_ctx();
    *out = ctx;
    if (!ctx) return CLINIT_ERROR_OUT_OF_HOST_MEMORY;
    cl_platform_id platform;
    cl_device_id device;
    clinit_status st = choose_device(ctx, &platform, &device);
    if (st != CLINIT_SUCCESS) return st;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)platform, 0};
    cl_int err;
    ctx->context = clCreateContext(props, 1, &device, NULL, NULL, &err);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateContext failed: %s (%d)", clinit_cl_error_name(err), err);
    clRetainDevice(device);
    ctx->device = device;
    ctx->own_queue = clCreateCommandQueue(ctx->context, device, CL_QUEUE_PROFILING_ENABLE, &err);
    if (err != CL_SUCCESS)
        return ci_fail(ctx, CLINIT_ERROR_OPENCL, "clCreateCommandQueue failed: %s (%d)", clinit_cl_error_name(err),
                       err);
    return build(ctx);
}

void clinit_ctx_destroy(clinit_ctx *ctx)
{
    if (!ctx) return;
    for (int t = 0; t < CLINIT_DTYPE_COUNT; t++)
        for (int d = 0; d < CLINIT_DIST_COUNT; d++)
            if (ctx->fill[t][d]) clReleaseKernel(ctx->fill[t][d]);
    for (int t = 0; t < CLINIT_DTYPE_COUNT; t++)
        for (int k = 0; k < CLINIT_ROWS_KERNELS; k++)
            if (ctx->fill_rows[t][k]) clReleaseKernel(ctx->fill_rows[t][k]);
    for (int d = 0; d < CLINIT_DIST_COUNT; d++)
        if (ctx->fill64[d]) clReleaseKernel(ctx->fill64[d]);
    for (int t = 0; t < CLINIT_DTYPE_COUNT; t++)
        if (ctx->batch[t]) clReleaseKernel(ctx->batch[t]);
    if (ctx->kat) clReleaseKernel(ctx->kat);
    for (int k = 0; k < CLINIT_SPECIAL_KERNELS; k++) {
        if (ctx->orthogonal[k]) clReleaseKernel(ctx->orthogonal[k]);
        if (ctx->structured[k]) clReleaseKernel(ctx->structured[k]);
        if (ctx->orthogonal64[k]) clReleaseKernel(ctx->orthogonal64[k]);
        if (ctx->structured64[k]) clReleaseKernel(ctx->structured64[k]);
    }
    if (ctx->program) clReleaseProgram(ctx->program);
    if (ctx->own_queue) clReleaseCommandQueue(ctx->own_queue);
    if (ctx->context) clReleaseContext(ctx->context);
    if (ctx->device) clReleaseDevice(ctx->device);
    pthread_mutex_destroy(&ctx->lock);
    pthread_mutex_destroy(&ctx->message_lock);
    free(ctx);
}

cl_context clinit_ctx_cl_context(const clinit_ctx *ctx) { return ctx ? ctx->context : NULL; }
cl_device_id clinit_ctx_device(const clinit_ctx *ctx) { return ctx ? ctx->device : NULL; }
cl_command_queue clinit_ctx_queue(const clinit_ctx *ctx) { return ctx ? ctx->own_queue : NULL; }

uint64_t clinit_ctx_launch_count(clinit_ctx *ctx)
{
    if (!ctx) return 0;
    pthread_mutex_lock(&ctx->lock);
    uint64_t n = ctx->launches;
    pthread_mutex_unlock(&ctx->lock);
    return n;
}

clinit_status clinit_ctx_set_local_size(clinit_ctx *ctx, size_t local_size)
{
    if (!ctx) return CLINIT_ERROR_NULL_ARGUMENT;
    ci_message_clear(ctx);
    /* Beyond the device's limit every launch would fail, and rounding the launch up to a multiple of it
     * could overflow size_t. */
    size_t max_wg = 0;
    cl_int err = clGetDeviceInfo(ctx->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_wg, &max_wg, NULL);
    if (err != CL_SUCCESS) return CLINIT_CLFAIL(ctx, err, "clGetDeviceInfo(CL_DEVICE_MAX_WORK_GROUP_SIZE)");
    if (local_size > max_wg)
        return ci_fail(ctx, CLINIT_ERROR_INVALID_PARAMETER,
                       "local_size %zu exceeds the device's CL_DEVICE_MAX_WORK_GROUP_SIZE %zu", local_size, max_wg);
    ctx->local_size = local_size;
    return CLINIT_SUCCESS;
}
