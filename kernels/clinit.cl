/*
 * The clinit OpenCL program: every kernel the library launches (docs/ALGORITHMS.md is what they compute). The build
 * inlines each #include "…" (cmake/embed_kernels.cmake) and embeds the result in the library; host/context.c
 * compiles it with -D options that choose the kernel shape for the device (kernels/geometry.h).
 * Every a·b + c below is two correctly rounded operations unless written fma(): the host reference rounds the same way.
 */
#pragma OPENCL FP_CONTRACT OFF

#include "fill.cl"               /* clinit_fill_*, clinit_fill_runs_*: constant, uniform, normal, truncated normal */
#include "fill64.cl"             /* clinit_fill64_*: the same in f64 */
#include "batch.cl"              /* clinit_fill_batch_*: many element-wise tensors in one launch */
#include "structured.cl"         /* eye, dirac, sparse */
#include "orthogonal_program.cl" /* clinit_orth_*, clinit_orth64_*: orthogonal, delta_orthogonal */

/* Known-answer test: in holds (ctr0..3, key0..1) per case, out receives the four words of ci_philox, the Philox
 * every kernel uses (tests/test_philox_kat.c compares them with Random123's vectors). */
__kernel void clinit_philox_kat(__global const uint *in, __global uint *out, uint n)
{
    uint i = get_global_id(0);
    if (i >= n) return;
    __global const uint *p = in + 6 * i;
    uint x[4];
    ci_philox(p[0], p[1], p[2], p[3], p[4], p[5], x);
    vstore4((uint4)(x[0], x[1], x[2], x[3]), i, out);
}
