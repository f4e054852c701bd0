/* Device choice. The library's clinit_ctx_create_default always takes the first device of the type, which
 * would put every rank of a node on one GPU; ranks choose here and hand the device to cli_gen_open_device. */
#include "pick.h"

#include "args.h"
#include "outfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLATFORMS 32
#define MAX_DEVICES 256

/* "P:D": strict unsigned decimals (or 0x hex) on both sides. 0 on success. */
static int parse_pair(const char *s, uint64_t *p, uint64_t *d)
{
    const char *colon = strchr(s, ':');
    char left[32];
    size_t n = colon ? (size_t)(colon - s) : sizeof left;
    if (n >= sizeof left) return -1;
    memcpy(left, s, n);
    left[n] = '\0';
    return cli_parse_u64(left, p) == 0 && cli_parse_u64(colon + 1, d) == 0 ? 0 : -1;
}

/* The devices of `type` of one platform, in the order `clinit devices` numbers them, into ids[0..room). */
static cl_uint devices_of(cl_platform_id plat, cl_device_type type, cl_device_id *ids, cl_uint room)
{
    cl_uint n = 0;
    if (room == 0 || clGetDeviceIDs(plat, type, room, ids, &n) != CL_SUCCESS) return 0; /* none of the type */
    return n < room ? n : room;
}

/* Device number k mod their count among the devices of `type` of every platform; 0, or -1 when none. */
static int pick(const cl_platform_id *plats, cl_uint nplat, cl_device_type type, int k, cl_device_id *out)
{
    cl_device_id ids[MAX_DEVICES];
    cl_uint n = 0;
    for (cl_uint p = 0; p < nplat; p++) n += devices_of(plats[p], type, ids + n, MAX_DEVICES - n);
    if (n == 0) return -1;
    *out = ids[(cl_uint)k % n];
    return 0;
}

static int pick_device(int k, cl_device_id *device, char *why, size_t why_size)
{
    const char *want = getenv("CLINIT_DEVICE");
    if (want && !*want) want = NULL;
    uint64_t p = 0, d = 0;
    int by_index = 0;
    cl_device_type type = CL_DEVICE_TYPE_GPU;
    if (want && strcmp(want, "cpu") == 0)
        type = CL_DEVICE_TYPE_CPU;
    else if (want && strcmp(want, "gpu") != 0) {
        if (parse_pair(want, &p, &d) != 0) {
            snprintf(why, why_size, "CLINIT_DEVICE=\"%s\" is not \"gpu\", \"cpu\" or \"PLATFORM:DEVICE\"", want);
            return -1;
        }
        by_index = 1;
    }
    cl_platform_id plats[MAX_PLATFORMS];
    cl_uint nplat = 0;
    if (clGetPlatformIDs(MAX_PLATFORMS, plats, &nplat) != CL_SUCCESS || nplat == 0) {
        snprintf(why, why_size, "no OpenCL platform found");
        return -1;
    }
    if (nplat > MAX_PLATFORMS) nplat = MAX_PLATFORMS;
    int found;
    if (by_index) {
        cl_device_id ids[MAX_DEVICES];
        found = p < nplat && d < devices_of(plats[p], CL_DEVICE_TYPE_ALL, ids, MAX_DEVICES);
        if (found) *device = ids[d];
    } else {
        found = pick(plats, nplat, type, k, device) == 0;
        /* Unset: GPUs when there are any, else every device, as clinit_ctx_create_default chooses. */
        if (!found && !want) found = pick(plats, nplat, CL_DEVICE_TYPE_ALL, k, device) == 0;
    }
    if (found) return 0;
    if (want)
        snprintf(why, why_size, "CLINIT_DEVICE=\"%s\" names no OpenCL device", want);
    else
        snprintf(why, why_size, "no OpenCL device found");
    return -1;
}

int cli_pick_device(int k, cl_device_id *device, char *why, size_t why_size)
{
    sigset_t saved;
    cli_outfile_signals_hold(&saved); /* listing devices starts the runtime, with signal handlers of its own */
    int rc = pick_device(k, device, why, why_size);
    cli_outfile_signals_release(&saved);
    return rc;
}
