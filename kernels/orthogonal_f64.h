/*
 * Prelude of the f64 instance of kernels/orthogonal.h and kernels/orthogonal.cl (the macros are described in
 * orthogonal.h; kernels/orthogonal_end.h undefines them): everything in double, from the f64 normal fill's
 * Gaussian (generate64.h, fill64.cl) on. On an OpenCL device without cl_khr_fp64 nothing is defined, so both
 * files compile to nothing and the host creates no clinit_orth64_* kernel there (host/context.c).
 */
#if !defined(__OPENCL_VERSION__) || defined(cl_khr_fp64)
#ifdef __OPENCL_VERSION__
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif
#define CLINIT_ORTH_T double
#define CLINIT_ORTH_T8 double8
#define CLINIT_ORTH_T8U ci_orth_d8u /* the same, element-aligned (kernels/orthogonal_common.h) */
#define CLINIT_ORTH_T16U ci_orth_d16u
#define CLINIT_ORTH_T16 double16
#define CLINIT_ORTH(name) ci_orth64_##name
#define CLINIT_ORTH_KERNEL(name) clinit_orth64_##name
#define CLINIT_ORTH_LIT(x) x
/* 1/√w: the double estimate and four Newton steps, as ci_sqrt_pos64 (generate64.h). */
#define CLINIT_ORTH_RSQRT_SEED(w) ci_double(0x5fe6eb50c7b537a9UL - (ci_bits64(w) >> 1))
#define CLINIT_ORTH_RSQRT_STEPS 4
/* The f64 normal rule's block: two elements from one Philox block (element i uses block i >> 1, cos for even
 * i, sin for odd). */
#define CLINIT_ORTH_PER_BLOCK 2
#ifdef __OPENCL_VERSION__
/* f64 normals are the same in every generation */
#define CLINIT_ORTH_BLOCK_NORMALS(blk, seed, stream, gen, z)                                                           \
    {                                                                                                                  \
        ci_values64 v_ = {.seed = (seed), .stream = (stream)};                                                         \
        vstore2(ci_block_normals64((blk), &v_), 0, (z));                                                               \
    }
#define CLINIT_ORTH_STORE1_f64(out, i, v) ((out)[i] = (v))
#define CLINIT_ORTH_STORE_KERNELS CLINIT_ORTH_STORE_KERNEL(store, double, CLINIT_ORTH_STORE1_f64)
#else
#define CLINIT_ORTH_WORD_NORMALS(x, gen, z) ci_normal_pair64((x)[0], (x)[1], (x)[2], (x)[3], &(z)[0], &(z)[1])
#endif
#endif
