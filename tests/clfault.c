/* See clfault.h. Only the OpenCL functions that clinit and its tests call are wrapped. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "clfault.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char armed_name[64];
static unsigned armed_left; /* calls to armed_name until the fault; 0 = none armed */
static cl_int armed_err;
static int fired;
static long live[CLFAULT_KINDS];

void clfault_arm(const char *name, unsigned nth, cl_int err)
{
    pthread_mutex_lock(&lock);
    snprintf(armed_name, sizeof armed_name, "%s", name);
    armed_left = nth;
    armed_err = err;
    fired = 0;
    pthread_mutex_unlock(&lock);
}

int clfault_disarm(void)
{
    pthread_mutex_lock(&lock);
    int f = fired;
    armed_left = 0;
    fired = 0;
    pthread_mutex_unlock(&lock);
    return f;
}

long clfault_live(clfault_kind k)
{
    pthread_mutex_lock(&lock);
    long n = live[k];
    pthread_mutex_unlock(&lock);
    return n;
}

/* CLFAULT="NAME:NTH:ERR" */
__attribute__((constructor)) static void arm_from_environment(void)
{
    const char *s = getenv("CLFAULT");
    char name[64];
    unsigned nth;
    int err;
    if (s && sscanf(s, "%63[^:]:%u:%d", name, &nth, &err) == 3 && nth > 0) clfault_arm(name, nth, err);
}

/* Whether this call to `name` is the armed fault (then *err is its error). */
static int faulted(const char *name, cl_int *err)
{
    pthread_mutex_lock(&lock);
    int hit = armed_left > 0 && strcmp(name, armed_name) == 0 && --armed_left == 0;
    if (hit) {
        fired = 1;
        *err = armed_err;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

static void count(clfault_kind k, long delta)
{
    pthread_mutex_lock(&lock);
    live[k] += delta;
    pthread_mutex_unlock(&lock);
}

/* The ICD loader's function of the same name. */
static void *real(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f) {
        fprintf(stderr, "clfault: %s not found after the executable\n", name);
        abort(); /* test scaffolding, not library code */
    }
    return f;
}
#define REAL(name) ((__typeof__(&name))real(#name))

/* A fault: errcode_ret gets the error and the function returns NULL. */
#define FAIL_CREATE(name)                                                                                              \
    do {                                                                                                               \
        cl_int fault_err_;                                                                                             \
        if (faulted(#name, &fault_err_)) {                                                                             \
            if (errcode_ret) *errcode_ret = fault_err_;                                                                \
            return NULL;                                                                                               \
        }                                                                                                              \
    } while (0)
/* A fault: the function returns the error. */
#define FAIL_CALL(name)                                                                                                \
    do {                                                                                                               \
        cl_int fault_err_;                                                                                             \
        if (faulted(#name, &fault_err_)) return fault_err_;                                                            \
    } while (0)

/* Retain and release of one kind: counted when the real call succeeds. */
#define REFCOUNT(kind, type, retain, release)                                                                          \
    CL_API_ENTRY cl_int CL_API_CALL retain(type obj)                                                                   \
    {                                                                                                                  \
        cl_int err = REAL(retain)(obj);                                                                                \
        if (err == CL_SUCCESS) count(kind, 1);                                                                         \
        return err;                                                                                                    \
    }                                                                                                                  \
    CL_API_ENTRY cl_int CL_API_CALL release(type obj)                                                                  \
    {                                                                                                                  \
        cl_int err = REAL(release)(obj);                                                                               \
        if (err == CL_SUCCESS) count(kind, -1);                                                                        \
        return err;                                                                                                    \
    }
REFCOUNT(CLFAULT_MEM, cl_mem, clRetainMemObject, clReleaseMemObject)
REFCOUNT(CLFAULT_EVENT, cl_event, clRetainEvent, clReleaseEvent)
REFCOUNT(CLFAULT_KERNEL, cl_kernel, clRetainKernel, clReleaseKernel)
REFCOUNT(CLFAULT_PROGRAM, cl_program, clRetainProgram, clReleaseProgram)
REFCOUNT(CLFAULT_QUEUE, cl_command_queue, clRetainCommandQueue, clReleaseCommandQueue)
REFCOUNT(CLFAULT_CONTEXT, cl_context, clRetainContext, clReleaseContext)

/* An enqueue that succeeded created *event when event is not NULL. */
static cl_int enqueued(cl_int err, const cl_event *event)
{
    if (err == CL_SUCCESS && event) count(CLFAULT_EVENT, 1);
    return err;
}

CL_API_ENTRY cl_context CL_API_CALL clCreateContext(
    const cl_context_properties *properties, cl_uint num_devices, const cl_device_id *devices,
    void(CL_CALLBACK *pfn_notify)(const char *, const void *, size_t, void *), void *user_data, cl_int *errcode_ret)
{
    FAIL_CREATE(clCreateContext);
    cl_context c = REAL(clCreateContext)(properties, num_devices, devices, pfn_notify, user_data, errcode_ret);
    if (c) count(CLFAULT_CONTEXT, 1);
    return c;
}

CL_API_ENTRY cl_command_queue CL_API_CALL clCreateCommandQueue(cl_context context, cl_device_id device,
                                                               cl_command_queue_properties properties,
                                                               cl_int *errcode_ret)
{
    FAIL_CREATE(clCreateCommandQueue);
    cl_command_queue q = REAL(clCreateCommandQueue)(context, device, properties, errcode_ret);
    if (q) count(CLFAULT_QUEUE, 1);
    return q;
}

CL_API_ENTRY cl_mem CL_API_CALL clCreateBuffer(cl_context context, cl_mem_flags flags, size_t size, void *host_ptr,
                                               cl_int *errcode_ret)
{
    FAIL_CREATE(clCreateBuffer);
    cl_mem m = REAL(clCreateBuffer)(context, flags, size, host_ptr, errcode_ret);
    if (m) count(CLFAULT_MEM, 1);
    return m;
}

CL_API_ENTRY cl_program CL_API_CALL clCreateProgramWithSource(cl_context context, cl_uint count_, const char **strings,
                                                              const size_t *lengths, cl_int *errcode_ret)
{
    FAIL_CREATE(clCreateProgramWithSource);
    cl_program p = REAL(clCreateProgramWithSource)(context, count_, strings, lengths, errcode_ret);
    if (p) count(CLFAULT_PROGRAM, 1);
    return p;
}

static cl_uint pretend_vendor, pretend_cc;
static char refused[128]; /* "": none */
static char build_options[8][256];
static unsigned builds;

void clfault_pretend_device(cl_uint vendor_id, cl_uint cc_major)
{
    pthread_mutex_lock(&lock);
    pretend_vendor = vendor_id;
    pretend_cc = cc_major;
    pthread_mutex_unlock(&lock);
}

void clfault_refuse_build(const char *substring)
{
    pthread_mutex_lock(&lock);
    snprintf(refused, sizeof refused, "%s", substring ? substring : "");
    pthread_mutex_unlock(&lock);
}

void clfault_builds_reset(void)
{
    pthread_mutex_lock(&lock);
    builds = 0;
    pthread_mutex_unlock(&lock);
}

unsigned clfault_build_count(void)
{
    pthread_mutex_lock(&lock);
    unsigned n = builds;
    pthread_mutex_unlock(&lock);
    return n;
}

const char *clfault_build_options(unsigned k)
{
    pthread_mutex_lock(&lock);
    const char *o = k < builds && k < 8 ? build_options[k] : NULL;
    pthread_mutex_unlock(&lock);
    return o;
}

#define CLFAULT_CC_MAJOR_NV 0x4000 /* CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV */

CL_API_ENTRY cl_int CL_API_CALL clGetDeviceInfo(cl_device_id device, cl_device_info param_name, size_t param_value_size,
                                                void *param_value, size_t *param_value_size_ret)
{
    FAIL_CALL(clGetDeviceInfo);
    pthread_mutex_lock(&lock);
    cl_uint vendor = pretend_vendor, cc = pretend_cc;
    pthread_mutex_unlock(&lock);
    if (vendor && (param_name == CL_DEVICE_VENDOR_ID || param_name == CLFAULT_CC_MAJOR_NV)) {
        cl_uint v = param_name == CL_DEVICE_VENDOR_ID ? vendor : cc;
        if (!v || (param_value && param_value_size < sizeof v)) return CL_INVALID_VALUE;
        if (param_value) memcpy(param_value, &v, sizeof v);
        if (param_value_size_ret) *param_value_size_ret = sizeof v;
        return CL_SUCCESS;
    }
    return REAL(clGetDeviceInfo)(device, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetPlatformIDs(cl_uint num_entries, cl_platform_id *platforms, cl_uint *num_platforms)
{
    FAIL_CALL(clGetPlatformIDs);
    return REAL(clGetPlatformIDs)(num_entries, platforms, num_platforms);
}

CL_API_ENTRY cl_int CL_API_CALL clGetContextInfo(cl_context context, cl_context_info param_name,
                                                 size_t param_value_size, void *param_value,
                                                 size_t *param_value_size_ret)
{
    FAIL_CALL(clGetContextInfo);
    return REAL(clGetContextInfo)(context, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetMemObjectInfo(cl_mem memobj, cl_mem_info param_name, size_t param_value_size,
                                                   void *param_value, size_t *param_value_size_ret)
{
    FAIL_CALL(clGetMemObjectInfo);
    return REAL(clGetMemObjectInfo)(memobj, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetEventInfo(cl_event event, cl_event_info param_name, size_t param_value_size,
                                               void *param_value, size_t *param_value_size_ret)
{
    FAIL_CALL(clGetEventInfo);
    return REAL(clGetEventInfo)(event, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clBuildProgram(cl_program program, cl_uint num_devices, const cl_device_id *device_list,
                                               const char *options, void(CL_CALLBACK *pfn_notify)(cl_program, void *),
                                               void *user_data)
{
    FAIL_CALL(clBuildProgram);
    pthread_mutex_lock(&lock);
    if (builds < 8) snprintf(build_options[builds], sizeof build_options[builds], "%s", options ? options : "");
    builds++;
    int refuse = refused[0] && options && strstr(options, refused);
    pthread_mutex_unlock(&lock);
    if (refuse) return CL_BUILD_PROGRAM_FAILURE;
    return REAL(clBuildProgram)(program, num_devices, device_list, options, pfn_notify, user_data);
}

CL_API_ENTRY cl_kernel CL_API_CALL clCreateKernel(cl_program program, const char *kernel_name, cl_int *errcode_ret)
{
    FAIL_CREATE(clCreateKernel);
    cl_kernel k = REAL(clCreateKernel)(program, kernel_name, errcode_ret);
    if (k) count(CLFAULT_KERNEL, 1);
    return k;
}

CL_API_ENTRY cl_event CL_API_CALL clCreateUserEvent(cl_context context, cl_int *errcode_ret)
{
    FAIL_CREATE(clCreateUserEvent);
    cl_event e = REAL(clCreateUserEvent)(context, errcode_ret);
    if (e) count(CLFAULT_EVENT, 1);
    return e;
}

CL_API_ENTRY cl_int CL_API_CALL clSetKernelArg(cl_kernel kernel, cl_uint arg_index, size_t arg_size,
                                               const void *arg_value)
{
    FAIL_CALL(clSetKernelArg);
    return REAL(clSetKernelArg)(kernel, arg_index, arg_size, arg_value);
}

CL_API_ENTRY cl_int CL_API_CALL clGetCommandQueueInfo(cl_command_queue command_queue, cl_command_queue_info param_name,
                                                      size_t param_value_size, void *param_value,
                                                      size_t *param_value_size_ret)
{
    FAIL_CALL(clGetCommandQueueInfo);
    return REAL(clGetCommandQueueInfo)(command_queue, param_name, param_value_size, param_value, param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clGetKernelWorkGroupInfo(cl_kernel kernel, cl_device_id device,
                                                         cl_kernel_work_group_info param_name, size_t param_value_size,
                                                         void *param_value, size_t *param_value_size_ret)
{
    FAIL_CALL(clGetKernelWorkGroupInfo);
    return REAL(clGetKernelWorkGroupInfo)(kernel, device, param_name, param_value_size, param_value,
                                          param_value_size_ret);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueNDRangeKernel(cl_command_queue command_queue, cl_kernel kernel,
                                                       cl_uint work_dim, const size_t *global_work_offset,
                                                       const size_t *global_work_size, const size_t *local_work_size,
                                                       cl_uint num_events_in_wait_list, const cl_event *event_wait_list,
                                                       cl_event *event)
{
    FAIL_CALL(clEnqueueNDRangeKernel);
    return enqueued(REAL(clEnqueueNDRangeKernel)(command_queue, kernel, work_dim, global_work_offset, global_work_size,
                                                 local_work_size, num_events_in_wait_list, event_wait_list, event),
                    event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueMarkerWithWaitList(cl_command_queue command_queue,
                                                            cl_uint num_events_in_wait_list,
                                                            const cl_event *event_wait_list, cl_event *event)
{
    FAIL_CALL(clEnqueueMarkerWithWaitList);
    return enqueued(REAL(clEnqueueMarkerWithWaitList)(command_queue, num_events_in_wait_list, event_wait_list, event),
                    event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueReadBuffer(cl_command_queue command_queue, cl_mem buffer,
                                                    cl_bool blocking_read, size_t offset, size_t size, void *ptr,
                                                    cl_uint num_events_in_wait_list, const cl_event *event_wait_list,
                                                    cl_event *event)
{
    FAIL_CALL(clEnqueueReadBuffer);
    return enqueued(REAL(clEnqueueReadBuffer)(command_queue, buffer, blocking_read, offset, size, ptr,
                                              num_events_in_wait_list, event_wait_list, event),
                    event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueWriteBuffer(cl_command_queue command_queue, cl_mem buffer,
                                                     cl_bool blocking_write, size_t offset, size_t size,
                                                     const void *ptr, cl_uint num_events_in_wait_list,
                                                     const cl_event *event_wait_list, cl_event *event)
{
    FAIL_CALL(clEnqueueWriteBuffer);
    return enqueued(REAL(clEnqueueWriteBuffer)(command_queue, buffer, blocking_write, offset, size, ptr,
                                               num_events_in_wait_list, event_wait_list, event),
                    event);
}

CL_API_ENTRY cl_int CL_API_CALL clEnqueueFillBuffer(cl_command_queue command_queue, cl_mem buffer, const void *pattern,
                                                    size_t pattern_size, size_t offset, size_t size,
                                                    cl_uint num_events_in_wait_list, const cl_event *event_wait_list,
                                                    cl_event *event)
{
    FAIL_CALL(clEnqueueFillBuffer);
    return enqueued(REAL(clEnqueueFillBuffer)(command_queue, buffer, pattern, pattern_size, offset, size,
                                              num_events_in_wait_list, event_wait_list, event),
                    event);
}
