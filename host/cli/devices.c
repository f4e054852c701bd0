/* `clinit devices`: every OpenCL platform and device, indexed "P:D" as CLINIT_DEVICE selects them. */
#include "args.h"
#include "cli.h"
#include "pick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string property (device when dev is non-NULL, else platform); "?" when it cannot be read. */
static char *info_string(cl_platform_id plat, cl_device_id dev, cl_uint param)
{
    size_t size = 0;
    cl_int err = dev ? clGetDeviceInfo(dev, param, 0, NULL, &size) : clGetPlatformInfo(plat, param, 0, NULL, &size);
    char *s = err == CL_SUCCESS ? malloc(size + 1) : NULL;
    if (s) {
        err = dev ? clGetDeviceInfo(dev, param, size, s, NULL) : clGetPlatformInfo(plat, param, size, s, NULL);
        s[err == CL_SUCCESS ? size : 0] = '\0';
    }
    return s ? s : strdup("?");
}

static const char *type_name(cl_device_type type)
{
    return (type & CL_DEVICE_TYPE_GPU)           ? "GPU"
           : (type & CL_DEVICE_TYPE_CPU)         ? "CPU"
           : (type & CL_DEVICE_TYPE_ACCELERATOR) ? "ACCELERATOR"
                                                 : "OTHER";
}

/* cl_khr_NAME as a whole word of the space-separated extension list. */
static int has_extension(const char *extensions, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = extensions; (p = strstr(p, name)) != NULL; p += len)
        if ((p == extensions || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0')) return 1;
    return 0;
}

static void print_device(cl_uint p, cl_uint d, cl_device_id dev, cl_device_id chosen)
{
    cl_device_type type = 0;
    cl_uint units = 0;
    cl_ulong mem = 0;
    size_t wg = 0;
    cl_device_fp_config fp64 = 0;
    /* Failed queries leave the zeros above: a listing shows what it can rather than stopping. */
    clGetDeviceInfo(dev, CL_DEVICE_TYPE, sizeof type, &type, NULL);
    clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);
    clGetDeviceInfo(dev, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof mem, &mem, NULL);
    clGetDeviceInfo(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
    clGetDeviceInfo(dev, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL);
    char *name = info_string(NULL, dev, CL_DEVICE_NAME);
    char *clc = info_string(NULL, dev, CL_DEVICE_OPENCL_C_VERSION);
    char *ext = info_string(NULL, dev, CL_DEVICE_EXTENSIONS);
    const char *clc_short = strncmp(clc, "OpenCL C ", 9) == 0 ? clc + 9 : clc;
    printf("%u:%u  %-11s  %5u  %9llu  %6zu  %-10s  %-4s  %-4s  %-4s  %s\n", p, d, type_name(type), units,
           (unsigned long long)(mem >> 20), wg, clc_short, has_extension(ext, "cl_khr_fp16") ? "yes" : "no",
           has_extension(ext, "cl_khr_fp64") || fp64 ? "yes" : "no", dev == chosen ? "*" : "", name);
    free(name);
    free(clc);
    free(ext);
}

/* The ids of an OpenCL list (platforms, or the devices of plat), malloc'd; *n = 0 when there are none. */
static void *list_ids(cl_platform_id plat, cl_uint *n, cl_int *err)
{
    *n = 0;
    *err = plat ? clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, 0, NULL, n) : clGetPlatformIDs(0, NULL, n);
    if (*err != CL_SUCCESS || *n == 0) return NULL;
    void *ids = malloc(*n * sizeof(void *));
    if (ids) *err = plat ? clGetDeviceIDs(plat, CL_DEVICE_TYPE_ALL, *n, ids, NULL) : clGetPlatformIDs(*n, ids, NULL);
    if (!ids || *err != CL_SUCCESS) {
        free(ids);
        *n = 0;
        return NULL;
    }
    return ids;
}

int cli_devices(int argc, char **argv)
{
    size_t npos;
    int rc = cli_parse(argc, argv, NULL, 0, NULL, 0, &npos);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    cl_uint nplat, ndev, total = 0;
    cl_int err;
    cl_platform_id *plats = list_ids(NULL, &nplat, &err);
    /* The device the other commands would use now: clinit_ctx_create_default's choice, without building a
     * program for it. */
    cl_device_id chosen = NULL;
    char why[256];
    int picked = cli_pick_device(0, &chosen, why, sizeof why) == 0;
    printf("P:D  TYPE            CU  MEM (MiB)  MAX WG  OPENCL C    FP16  FP64  USED  NAME\n");
    for (cl_uint p = 0; p < nplat; p++) {
        char *pname = info_string(plats[p], NULL, CL_PLATFORM_NAME);
        cl_device_id *devs = list_ids(plats[p], &ndev, &err);
        printf("# platform %u: %s (%u device%s)\n", p, pname, ndev, ndev == 1 ? "" : "s");
        for (cl_uint d = 0; d < ndev; d++) print_device(p, d, devs[d], chosen);
        total += ndev;
        free(devs);
        free(pname);
    }
    free(plats);
    if (total > 0 && picked)
        puts("USED *: the device CLINIT_DEVICE selects (unset: the first GPU, else the first device)");
    else if (total > 0)
        printf("no device marked: %s\n", why);
    if (total == 0) return cli_runtime_error("no OpenCL device found (%u platform%s)", nplat, nplat == 1 ? "" : "s");
    return CLI_OK;
}
