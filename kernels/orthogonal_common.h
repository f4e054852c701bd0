/*
 * What kernels/orthogonal.h's instances share, whatever their precision (included by it; the include guard keeps
 * one copy): the global address space of both compilations, the constants of the QR and of the refinement's tiles,
 * TwoSum, where each Gaussian element goes, and the unaligned vector types of the OpenCL side.
 */
#ifndef CLINIT_ORTHOGONAL_COMMON_H
#define CLINIT_ORTHOGONAL_COMMON_H

#ifdef __OPENCL_VERSION__
#define CLINIT_GLOBAL __global
#else
#define CLINIT_GLOBAL
#endif

/* Columns whose squared norm is below this are treated as zero (H = I, D = +1): a Gaussian column gets there
 * with probability far below 2^-200, and it keeps every later quantity a normal number in f32 as in f64. */
#define CLINIT_ORTH_TINY CLINIT_ORTH_LIT(0x1p-100)

/* The tile of Q2 one work-item of clinit_orth_refine computes: rows × columns (any values give the same bits). */
#define CLINIT_ORTH_CHUNK 16
#define CLINIT_ORTH_COLS 4

/* Knuth's TwoSum: s + e = a + b exactly with s = fl(a + b) (round to nearest, no FMA, no reassociation), in
 * the real type of the instance where it is used. */
#define CLINIT_TWO_SUM(a, b, s, e)                                                                                     \
    do {                                                                                                               \
        CLINIT_ORTH_T ts_t_ = (a) + (b);                                                                               \
        CLINIT_ORTH_T ts_bp_ = ts_t_ - (a);                                                                            \
        (e) = ((a) - (ts_t_ - ts_bp_)) + ((b)-ts_bp_);                                                                 \
        (s) = ts_t_;                                                                                                   \
    } while (0)

/* Where the Gaussian element e of the R × C matrix goes in W: M = A (column-major) when R ≥ C, M = Aᵀ
 * otherwise, whose column-major order is A's row-major order. */
static inline ci_u64 ci_orth_gauss_pos(ci_u64 e, ci_u64 R, ci_u64 C) { return R >= C ? (e % C) * R + e / C : e; }

/* Loads and stores of 8 and 16 reals at element alignment (columns start anywhere): clang, which PoCL uses, takes
 * an under-aligned vector type as one unaligned vector access, where its vload8 became 2-element pieces. */
#if defined(__OPENCL_VERSION__) && defined(__clang__)
typedef float ci_orth_f8u __attribute__((ext_vector_type(8), aligned(4)));
typedef double ci_orth_d8u __attribute__((ext_vector_type(8), aligned(8)));
typedef float ci_orth_f16u __attribute__((ext_vector_type(16), aligned(4)));
typedef double ci_orth_d16u __attribute__((ext_vector_type(16), aligned(8)));
#endif

#endif
