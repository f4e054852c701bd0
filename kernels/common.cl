/* Shared by every clinit kernel: counter layout and run geometry (docs/ALGORITHMS.md). The per-element
 * arithmetic is in generate.h, which the host reference compiles too. */

#ifndef CLINIT_ITEM_BLOCKS
#define CLINIT_ITEM_BLOCKS 1
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
#define CLINIT_DIGIT(c) idx = rem % oext.c; rem /= oext.c; s += (ostart.c + idx) * ostride.c;
    CLINIT_DIGIT(s7) CLINIT_DIGIT(s6) CLINIT_DIGIT(s5) CLINIT_DIGIT(s4)
    CLINIT_DIGIT(s3) CLINIT_DIGIT(s2) CLINIT_DIGIT(s1) CLINIT_DIGIT(s0)
#undef CLINIT_DIGIT
    return s;
}
