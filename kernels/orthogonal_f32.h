/*
 * Prelude of the f32 instance of kernels/orthogonal.h and kernels/orthogonal.cl (the macros are described in
 * orthogonal.h); kernels/orthogonal_end.h undefines them. Its kernels are clinit_orth_*, the names the f32, f16
 * and bf16 fills have always had; f16 and bf16 are the rounding of these f32 values at the store.
 */
#define CLINIT_ORTH_T float
#define CLINIT_ORTH_T8 float8
#define CLINIT_ORTH_T8U ci_orth_f8u /* the same, element-aligned (kernels/orthogonal_common.h) */
#define CLINIT_ORTH_T16U ci_orth_f16u
#define CLINIT_ORTH_T16 float16
#define CLINIT_ORTH(name) ci_orth_##name
#define CLINIT_ORTH_KERNEL(name) clinit_orth_##name
#define CLINIT_ORTH_LIT(x) x##f
/* 1/√w: the classic estimate and three Newton steps, as ci_sqrt_pos (generate.h). */
#define CLINIT_ORTH_RSQRT_SEED(w) ci_float(0x5f3759dfu - (ci_bits(w) >> 1))
#define CLINIT_ORTH_RSQRT_STEPS 3
/* The normal rule's block: four elements from one Philox block (element i uses block i >> 2). */
#define CLINIT_ORTH_PER_BLOCK 4
#ifdef __OPENCL_VERSION__
/* The normals of generation `gen`, from the counter words (lo, hi) of block blk. */
#define CLINIT_ORTH_BLOCK_NORMALS(blk, seed, stream, gen, z)                                                           \
    {                                                                                                                  \
        ci_values v_ = {.seed = (seed), .stream = (stream), .generation = (gen)};                                      \
        ci_philox_round_keys((uint)(seed), (uint)((seed) >> 32), v_.round_keys);                                       \
        vstore4(ci_block_normals((uint)(blk), (uint)((blk) >> 32), &v_), 0, (z));                                      \
    }
#define CLINIT_ORTH_STORE_KERNELS                                                                                      \
    CLINIT_ORTH_STORE_KERNEL(store_f32, float, ci_store1_f32)                                                          \
    CLINIT_ORTH_STORE_KERNEL(store_f16, half, ci_store1_f16)                                                           \
    CLINIT_ORTH_STORE_KERNEL(store_bf16, ushort, ci_store1_bf16)
#else
#define CLINIT_ORTH_WORD_NORMALS(x, gen, z)                                                                            \
    (ci_normal_pair_gen((gen), (x)[0], (x)[1], &(z)[0], &(z)[1]),                                                      \
     ci_normal_pair_gen((gen), (x)[2], (x)[3], &(z)[2], &(z)[3]))
#endif
