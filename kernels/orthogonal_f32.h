/*
 * Prelude of the f32 instance of kernels/orthogonal.h and kernels/orthogonal.cl (the macros are described in
 * orthogonal.h); kernels/orthogonal_end.h undefines them. It keeps the names clinit_orth_* that the f32, f16
 * and bf16 fills have always had; f16 and bf16 are the rounding of these f32 values at the store.
 */
#define CLINIT_ORTH_T float
#define CLINIT_ORTH_T8 float8
#define CLINIT_ORTH_T16 float16
#define CLINIT_ORTH(name) clinit_orth_##name
#define CLINIT_ORTH_LIT(x) x##f
/* 1/√w: the classic estimate and three Newton steps, as clinit_sqrt_pos (generate.h). */
#define CLINIT_ORTH_RSQRT_SEED(w) clinit_float(0x5f3759dfu - (clinit_bits(w) >> 1))
#define CLINIT_ORTH_RSQRT_STEPS 3
/* The normal rule's block: four elements from one Philox block (element i uses block i >> 2). */
#define CLINIT_ORTH_PER_BLOCK 4
#ifdef __OPENCL_VERSION__
/* The normals of generation `gen`, from the counter words (lo, hi) of block blk. */
#define CLINIT_ORTH_BLOCK_NORMALS(blk, seed, stream, gen, z)                                    \
    {                                                                                           \
        clinit_values v_ = {.seed = (seed), .stream = (stream), .generation = (gen)};           \
        clinit_philox_round_keys((uint)(seed), (uint)((seed) >> 32), v_.round_keys);            \
        vstore4(clinit_block_normals((uint)(blk), (uint)((blk) >> 32), &v_), 0, (z));           \
    }
#define CLINIT_ORTH_STORE_KERNELS                                          \
    CLINIT_ORTH_STORE_KERNEL(store_f32, float, clinit_store1_f32)          \
    CLINIT_ORTH_STORE_KERNEL(store_f16, half, clinit_store1_f16)           \
    CLINIT_ORTH_STORE_KERNEL(store_bf16, ushort, clinit_store1_bf16)
#else
#define CLINIT_ORTH_WORD_NORMALS(x, gen, z)                                  \
    (clinit_normal_pair_gen((gen), (x)[0], (x)[1], &(z)[0], &(z)[1]),        \
     clinit_normal_pair_gen((gen), (x)[2], (x)[3], &(z)[2], &(z)[3]))
#endif
