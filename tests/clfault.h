/* Fault injection and reference accounting for OpenCL, linked into a test executable (tests/clfault.c).
 *
 * The executable's own definitions of clCreateBuffer, clEnqueueNDRangeKernel, … take precedence over the ICD
 * loader's for every call the executable makes, libclinit's included (the tests link clinit_static); each
 * forwards to the loader's function (dlsym(RTLD_NEXT)) unless a fault is armed for it. Every created,
 * retained and released OpenCL object of the kinds below is counted, so a test can check that a failure path
 * leaves no reference behind.
 *
 * Arming: clfault_arm("clEnqueueNDRangeKernel", 3, CL_OUT_OF_RESOURCES) makes the third call from now to that
 * function fail with that error (errcode_ret set, NULL returned, or the error returned) without calling the
 * real one; then the fault is spent. The environment variable CLFAULT="NAME:NTH:ERR" (ERR a decimal cl_int)
 * arms one at start-up, for a whole process such as the command-line tool. */
#ifndef CLINIT_TEST_CLFAULT_H
#define CLINIT_TEST_CLFAULT_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

typedef enum clfault_kind {
    CLFAULT_MEM,
    CLFAULT_EVENT,
    CLFAULT_KERNEL,
    CLFAULT_PROGRAM,
    CLFAULT_QUEUE,
    CLFAULT_CONTEXT,
    CLFAULT_KINDS
} clfault_kind;

/* Arms a fault (replacing any armed one): call number nth ≥ 1 from now to the OpenCL function `name` fails
 * with err. */
void clfault_arm(const char *name, unsigned nth, cl_int err);
/* Disarms; returns 1 when the armed fault fired since clfault_arm, else 0. */
int clfault_disarm(void);
/* References of objects of kind k created or retained minus those released, through the calls above, since
 * the process started. */
long clfault_live(clfault_kind k);

/* Device impersonation, for what clinit chooses per vendor (host/context.c): while vendor_id ≠ 0,
 * clGetDeviceInfo answers CL_DEVICE_VENDOR_ID with vendor_id and CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV (0x4000,
 * cl_nv_device_attribute_query) with cc_major (0: that query fails with CL_INVALID_VALUE, as on other vendors);
 * every other query goes to the real device. clfault_pretend_device(0, 0) ends it. */
void clfault_pretend_device(cl_uint vendor_id, cl_uint cc_major);
/* While substring is not NULL, clBuildProgram fails with CL_BUILD_PROGRAM_FAILURE, without building, when its
 * options contain substring: a compiler that refuses what the option turns on. */
void clfault_refuse_build(const char *substring);
/* The options of the clBuildProgram calls since the last clfault_builds_reset (at most 8 kept): how many calls,
 * and the k-th call's options (k from 0; NULL past the end). */
void clfault_builds_reset(void);
unsigned clfault_build_count(void);
const char *clfault_build_options(unsigned k);

#endif
