/* Status strings, version, and the per-handle detail message. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

unsigned clinit_version_number(void) { return CLINIT_VERSION_NUMBER; }
const char *clinit_version_string(void) { return CLINIT_VERSION_STRING; }

const char *clinit_status_string(clinit_status status)
{
    switch (status) {
    case CLINIT_SUCCESS: return "success";
    case CLINIT_ERROR_NULL_ARGUMENT: return "null argument";
    case CLINIT_ERROR_INVALID_RANK: return "invalid rank";
    case CLINIT_ERROR_INVALID_SHAPE: return "invalid shape";
    case CLINIT_ERROR_INVALID_BOX: return "invalid box";
    case CLINIT_ERROR_INVALID_PARAMETER: return "invalid parameter";
    case CLINIT_ERROR_INVALID_NONLINEARITY: return "invalid nonlinearity";
    case CLINIT_ERROR_INVALID_MODE: return "invalid fan mode";
    case CLINIT_ERROR_INVALID_LAYOUT: return "invalid layout";
    case CLINIT_ERROR_INVALID_INIT: return "invalid initializer";
    case CLINIT_ERROR_UNSUPPORTED_DTYPE: return "unsupported dtype";
    case CLINIT_ERROR_MISALIGNED_OFFSET: return "misaligned byte offset";
    case CLINIT_ERROR_BUFFER_TOO_SMALL: return "buffer too small";
    case CLINIT_ERROR_INVALID_QUEUE: return "queue, buffer or wait-list event of another context or device";
    case CLINIT_ERROR_DEVICE_NOT_FOUND: return "device not found";
    case CLINIT_ERROR_BUILD_FAILED: return "program build failed";
    case CLINIT_ERROR_OPENCL: return "OpenCL error";
    case CLINIT_ERROR_OUT_OF_HOST_MEMORY: return "out of host memory";
    case CLINIT_ERROR_UNKNOWN_PARAMETER: return "unknown parameter for this initializer";
    case CLINIT_ERROR_READ_ONLY_BUFFER: return "buffer is read-only for kernels";
    case CLINIT_ERROR_DEVICE_MEMORY: return "scratch does not fit the device's memory";
    }
    return "unknown status";
}

clinit_status ci_explain(char *what, size_t what_size, clinit_status status, const char *fmt, ...)
{
    if (what && what_size) {
        va_list ap;
        va_start(ap, fmt);
        ci_c_vsnprintf(what, what_size, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* Messages are per thread: the calling thread's message of its latest call (on handle own_id) is its own,
 * so a thread that shares a handle reads its own failure, not another thread's, and nobody reads a buffer
 * that another thread is writing. ctx->message (under message_lock) keeps the latest of any thread, for a
 * thread whose latest call was on another handle. */
static _Thread_local uint64_t own_id;
static _Thread_local char own[CLINIT_MESSAGE_BYTES];
static _Thread_local char shared_copy[CLINIT_MESSAGE_BYTES];

static void publish(clinit_ctx *ctx)
{
    own_id = ctx->id;
    pthread_mutex_lock(&ctx->message_lock);
    memcpy(ctx->message, own, strlen(own) + 1);
    pthread_mutex_unlock(&ctx->message_lock);
}

void ci_message_clear(clinit_ctx *ctx)
{
    own[0] = '\0';
    publish(ctx);
}

clinit_status ci_fail(clinit_ctx *ctx, clinit_status status, const char *fmt, ...)
{
    if (ctx) {
        va_list ap;
        va_start(ap, fmt);
        ci_c_vsnprintf(own, sizeof own, fmt, ap);
        va_end(ap);
        publish(ctx);
    }
    return status;
}

const char *clinit_ctx_message(const clinit_ctx *ctx)
{
    if (!ctx) return "(null context)";
    if (own_id == ctx->id) return own;
    pthread_mutex_lock((pthread_mutex_t *)&ctx->message_lock);
    memcpy(shared_copy, ctx->message, strlen(ctx->message) + 1);
    pthread_mutex_unlock((pthread_mutex_t *)&ctx->message_lock);
    return shared_copy;
}

const char *clinit_cl_error_name(cl_int err)
{
    switch (err) {
        /* clang-format off */
#define E(x) case x: return #x;
        /* every error code of OpenCL 1.2's CL/cl.h, in its order */
        E(CL_SUCCESS) E(CL_DEVICE_NOT_FOUND) E(CL_DEVICE_NOT_AVAILABLE) E(CL_COMPILER_NOT_AVAILABLE)
        E(CL_MEM_OBJECT_ALLOCATION_FAILURE) E(CL_OUT_OF_RESOURCES) E(CL_OUT_OF_HOST_MEMORY)
        E(CL_PROFILING_INFO_NOT_AVAILABLE) E(CL_MEM_COPY_OVERLAP) E(CL_IMAGE_FORMAT_MISMATCH)
        E(CL_IMAGE_FORMAT_NOT_SUPPORTED) E(CL_BUILD_PROGRAM_FAILURE) E(CL_MAP_FAILURE)
        E(CL_MISALIGNED_SUB_BUFFER_OFFSET) E(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST)
        E(CL_COMPILE_PROGRAM_FAILURE) E(CL_LINKER_NOT_AVAILABLE) E(CL_LINK_PROGRAM_FAILURE)
        E(CL_DEVICE_PARTITION_FAILED) E(CL_KERNEL_ARG_INFO_NOT_AVAILABLE)
        E(CL_INVALID_VALUE) E(CL_INVALID_DEVICE_TYPE) E(CL_INVALID_PLATFORM) E(CL_INVALID_DEVICE)
        E(CL_INVALID_CONTEXT) E(CL_INVALID_QUEUE_PROPERTIES) E(CL_INVALID_COMMAND_QUEUE)
        E(CL_INVALID_HOST_PTR) E(CL_INVALID_MEM_OBJECT) E(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR)
        E(CL_INVALID_IMAGE_SIZE) E(CL_INVALID_SAMPLER) E(CL_INVALID_BINARY) E(CL_INVALID_BUILD_OPTIONS)
        E(CL_INVALID_PROGRAM) E(CL_INVALID_PROGRAM_EXECUTABLE) E(CL_INVALID_KERNEL_NAME)
        E(CL_INVALID_KERNEL_DEFINITION) E(CL_INVALID_KERNEL) E(CL_INVALID_ARG_INDEX) E(CL_INVALID_ARG_VALUE)
        E(CL_INVALID_ARG_SIZE) E(CL_INVALID_KERNEL_ARGS) E(CL_INVALID_WORK_DIMENSION)
        E(CL_INVALID_WORK_GROUP_SIZE) E(CL_INVALID_WORK_ITEM_SIZE) E(CL_INVALID_GLOBAL_OFFSET)
        E(CL_INVALID_EVENT_WAIT_LIST) E(CL_INVALID_EVENT) E(CL_INVALID_OPERATION) E(CL_INVALID_GL_OBJECT)
        E(CL_INVALID_BUFFER_SIZE) E(CL_INVALID_MIP_LEVEL) E(CL_INVALID_GLOBAL_WORK_SIZE) E(CL_INVALID_PROPERTY)
        E(CL_INVALID_IMAGE_DESCRIPTOR) E(CL_INVALID_COMPILER_OPTIONS) E(CL_INVALID_LINKER_OPTIONS)
        E(CL_INVALID_DEVICE_PARTITION_COUNT)
#undef E
        /* clang-format on */
    }
    return "unknown OpenCL error";
}
