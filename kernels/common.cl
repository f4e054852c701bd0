/* Shared by every clinit kernel: counter layout and run geometry (docs/ALGORITHMS.md). The per-element
 * arithmetic is in generate.h, which the host reference compiles too. */

#ifndef CLINIT_ITEM_BLOCKS
#define CLINIT_ITEM_BLOCKS 1
#endif
/* 1: the run kernels' work-items loop over a run's blocks with the grid's stride (host/context.c). */
#ifndef CLINIT_ITEM_STRIDE
#define CLINIT_ITEM_STRIDE 0
#endif

/* Philox4x32-10 of the block of four elements 4·block … 4·block+3: counter (block_lo, block_hi, stream_lo,
 * stream_hi), key (seed_lo, seed_hi); ks = (seed_lo, seed_hi, stream_lo, stream_hi). */
inline uint4 clinit_philox_block(ulong block, uint4 ks)
{
    philox4x32_ctr_t c = {{(uint)block, (uint)(block >> 32), ks.z, ks.w}};
    philox4x32_key_t k = {{ks.x, ks.y}};
    philox4x32_ctr_t r = philox4x32_R(10, c, k);
    return (uint4)(r.v[0], r.v[1], r.v[2], r.v[3]);
}

/* Logical index of the first element of run `row` (docs/ALGORITHMS.md, "Boxes"). */
inline ulong clinit_row_start(ulong row, ulong run_base, ulong8 ostart, ulong8 oext, ulong8 ostride)
{
    ulong s = run_base;
    ulong rem = row;
    ulong idx;
    /* Dimensions of extent 1 have start and stride 0 (the host folds them into run_base): no 64-bit division
     * or product for them (on GPUs a division costs as much as the rest of the work-item; a whole tensor
     * needs none). */
#define CLINIT_DIGIT(c)                          \
    if (oext.c > 1) {                            \
        idx = rem % oext.c;                      \
        rem /= oext.c;                           \
        s += (ostart.c + idx) * ostride.c;       \
    }
    CLINIT_DIGIT(s7) CLINIT_DIGIT(s6) CLINIT_DIGIT(s5) CLINIT_DIGIT(s4)
    CLINIT_DIGIT(s3) CLINIT_DIGIT(s2) CLINIT_DIGIT(s1) CLINIT_DIGIT(s0)
#undef CLINIT_DIGIT
    return s;
}

/* Lanes of a and b (16 lanes each, b's numbered 16–31) picked by 16 constant indices. Clang's
 * __builtin_shufflevector hands LLVM the constant mask (one vpermt2d/vpermt2ps on AVX-512); PoCL's shuffle2
 * with the same mask became extracts, inserts and a round trip through the stack. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define CLINIT_SHUFFLE16(a, b, ...) __builtin_shufflevector((a), (b), __VA_ARGS__)
#endif
#endif
#ifndef CLINIT_SHUFFLE16
#define CLINIT_SHUFFLE16(a, b, ...) shuffle2((a), (b), (uint16)(__VA_ARGS__))
#endif

/* The 32 × 32 → 64-bit products of the 16 lanes of c with m: their high words in *hi, low words in *lo.
 * The even lanes are the low halves of c seen as ulong8, the odd lanes the high halves; one 32 × 32 → 64
 * multiplication of each (vpmuludq on x86) gives all 16 products, whose words two shuffles sort out.
 * Written out because the compilers, given mul_hi or a product through ulong16, widen and narrow every
 * lane, and given a 32-bit product for the low words use vpmulld (two multiplier uops): Philox is most of
 * the work on CPUs, and the multiplier port its limit. */
inline void clinit_mul_wide16(uint16 c, ulong m, uint16 *hi, uint16 *lo)
{
    ulong8 a = as_ulong8(c);
    uint16 pe = as_uint16((a & (ulong8)(0xffffffffu)) * m); /* lane 2k: low word of product 2k, 2k+1: high */
    uint16 po = as_uint16((a >> 32) * m);                    /* the same for product 2k + 1 */
    *lo = CLINIT_SHUFFLE16(pe, po, 0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
    *hi = CLINIT_SHUFFLE16(pe, po, 1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
}

/* Philox4x32-10 of 16 counters at once (lane l is counter (c0[l], c1[l], c2[l], c3[l]), key (k0, k1)): the
 * rounds of Random123's philox4x32_R on uint16 vectors, for CPU devices, where one work-item running 16
 * counters in vector registers is several times faster than 16 scalar work-items. The known-answer, golden
 * and device-vs-reference tests hold it to Random123's bits. */
inline void clinit_philox16_ctr(uint16 c0, uint16 c1, uint16 c2, uint16 c3, uint k0, uint k1, uint16 *x)
{
    for (int r = 0; r < 10; r++) {
        uint16 h0, l0, h1, l1;
        clinit_mul_wide16(c0, 0xD2511F53u, &h0, &l0);
        clinit_mul_wide16(c2, 0xCD9E8D57u, &h1, &l1);
        c0 = h1 ^ c1 ^ (uint16)(k0);
        c1 = l1;
        c2 = h0 ^ c3 ^ (uint16)(k1);
        c3 = l0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    x[0] = c0;
    x[1] = c1;
    x[2] = c2;
    x[3] = c3;
}

/* The 16 consecutive blocks block0 … block0 + 15 (lane l is block0 + l). */
inline void clinit_philox16(ulong block0, uint4 ks, uint16 *x)
{
    uint lo = (uint)block0;
    uint16 c0 = (uint16)(lo) + (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    uint16 c1 = (uint16)((uint)(block0 >> 32)) - as_uint16(c0 < (uint16)(lo)); /* carry: true is −1 */
    clinit_philox16_ctr(c0, c1, (uint16)(ks.z), (uint16)(ks.w), ks.x, ks.y, x);
}
