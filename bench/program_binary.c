/* The device compiler's own build of clinit's program, for the SASS proxy (docs/BENCHMARKS.md): the context
 * clinit_ctx_create_default makes (CLINIT_DEVICE chooses the device) builds the program as every fill uses it,
 * and clGetProgramInfo(CL_PROGRAM_BINARIES) gives its binary: PTX on NVIDIA's driver, which `sass-count.sh`
 * compiles and counts like the PTX clang makes from build/clinit_program.cl.
 *
 *     clinit_program_binary FILE
 *
 * Writes the binary to FILE (replaced) and prints the device and the size; exit status 0, or 1 after a message. */
#include "clinit.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: clinit_program_binary FILE\n");
        return 1;
    }
    clinit_ctx *ctx = NULL;
    clinit_status st = clinit_ctx_create_default(&ctx);
    if (st != CLINIT_SUCCESS) {
        fprintf(stderr, "clinit_program_binary: %s: %s\n", clinit_status_string(st), clinit_ctx_message(ctx));
        clinit_ctx_destroy(ctx);
        return 1;
    }
    int rc = 1;
    size_t size = 0;
    unsigned char *binary = NULL;
    char device[256] = "";
    clGetDeviceInfo(ctx->device, CL_DEVICE_NAME, sizeof device - 1, device, NULL);
    cl_int err = clGetProgramInfo(ctx->program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL);
    if (err == CL_SUCCESS && size) binary = malloc(size);
    if (binary) err = clGetProgramInfo(ctx->program, CL_PROGRAM_BINARIES, sizeof binary, &binary, NULL);
    if (!binary || err != CL_SUCCESS) {
        fprintf(stderr, "clinit_program_binary: clGetProgramInfo: %s (%d), %zu bytes\n", clinit_cl_error_name(err),
                (int)err, size);
    } else {
        FILE *f = fopen(argv[1], "wb");
        if (f && fwrite(binary, 1, size, f) == size && fclose(f) == 0) {
            printf("%s: %zu bytes of the program's binary for %s\n", argv[1], size, device);
            rc = 0;
        } else {
            if (f) fclose(f);
            perror(argv[1]);
        }
    }
    free(binary);
    clinit_ctx_destroy(ctx);
    return rc;
}
