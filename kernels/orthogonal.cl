/* Orthogonal and delta-orthogonal fills (host/orthogonal.c enqueues them; the arithmetic is in orthogonal.h,
 * shared with the host reference). Every kernel is 1-D, one work-item per unit of work, and checks its range:
 * the work-group size only rounds the global size up, it never changes a value.
 *
 *   clinit_orth_gauss   one Philox block of the R × C Gaussian matrix per work-item, into W (column-major M)
 *   clinit_orth_step    one column j ∈ [p, n) of step p of phase 0 (Householder R) or 1 (accumulate Q)
 *   clinit_orth_gram    one entry (a, b), a ≤ b, of E = QᵀQ − I, written to E[a][b] and E[b][a]
 *   clinit_orth_refine  a tile of CLINIT_ORTH_CHUNK rows × CLINIT_ORTH_COLS columns of Q2 = Q − ½·Q·E
 *   clinit_orth_store_* one element of the (box of the) tensor: signed, scaled, in the dtype
 * W holds M and then the signs D (orthogonal.h); E and Q2 are separate buffers. */

/* ks = (seed_lo, seed_hi, stream_lo, stream_hi); blocks = ⌈R·C / 4⌉. */
__kernel void clinit_orth_gauss(__global float *W, ulong R, ulong C, ulong blocks, ulong base, uint4 ks)
{
    ulong blk = base + get_global_id(0);
    if (blk >= blocks) return;
    float4 z = clinit_block_normals(blk, ks);
    ulong e = blk << 2, total = R * C;
    W[clinit_orth_gauss_pos(e, R, C)] = z.s0;
    if (e + 1 < total) W[clinit_orth_gauss_pos(e + 1, R, C)] = z.s1;
    if (e + 2 < total) W[clinit_orth_gauss_pos(e + 2, R, C)] = z.s2;
    if (e + 3 < total) W[clinit_orth_gauss_pos(e + 3, R, C)] = z.s3;
}

__kernel void clinit_orth_step(__global float *W, ulong m, ulong n, ulong p, int phase)
{
    ulong j = p + get_global_id(0);
    if (j >= n) return;
    clinit_orth_column_step(W, m, n, p, j, phase);
}

/* Entries t ∈ [base, base + global size) of the n × n square, t = b·n + a. */
__kernel void clinit_orth_gram(__global const float *W, __global float *E, ulong m, ulong n, ulong base)
{
    ulong t = base + get_global_id(0);
    if (t >= n * n) return;
    ulong a = t % n, b = t / n;
    if (a > b) return;
    float v = clinit_orth_gram_entry(W + a * m, W + b * m, m, a == b ? 1.0f : 0.0f);
    E[b * n + a] = v;
    E[a * n + b] = v;
}

/* Item t ∈ [base, base + global size): the tile of CLINIT_ORTH_COLS columns from (t % ctiles)·CLINIT_ORTH_COLS and
 * CLINIT_ORTH_CHUNK rows from (t / ctiles)·CLINIT_ORTH_CHUNK (neighbouring work-items share their rows of Q);
 * tiles = ctiles · ⌈m / CLINIT_ORTH_CHUNK⌉. */
__kernel void clinit_orth_refine(__global const float *W, __global const float *E, __global float *Q2, ulong m,
                                 ulong n, ulong ctiles, ulong tiles, ulong base)
{
    ulong t = base + get_global_id(0);
    if (t >= tiles) return;
    ulong j0 = (t % ctiles) * CLINIT_ORTH_COLS, i0 = (t / ctiles) * CLINIT_ORTH_CHUNK;
    ulong nj = n - j0 < CLINIT_ORTH_COLS ? n - j0 : CLINIT_ORTH_COLS;
    ulong ni = m - i0 < CLINIT_ORTH_CHUNK ? m - i0 : CLINIT_ORTH_CHUNK;
    clinit_orth_correct(W, E, Q2, m, n, j0, nj, i0, ni);
}

/* Element k ∈ [base, base + global size) of the `count` described elements (the box's, row-major): run
 * k / run_len, position k % run_len (docs/ALGORITHMS.md §5). */
#define CLINIT_ORTH_STORE_KERNEL(DTYPE, T)                                                                   \
    __kernel void clinit_orth_store_##DTYPE(__global T *out, ulong out_offset, ulong count, ulong base,        \
                                            ulong run_len, ulong run_base, ulong8 ostart, ulong8 oext,        \
                                            ulong8 ostride, __global const float *W, __global const float *Q2, \
                                            ulong R, ulong C, ulong K, ulong centre, int kernel_outer, float g)  \
    {                                                                                                        \
        ulong k = base + get_global_id(0);                                                                   \
        if (k >= count) return;                                                                              \
        ulong row = k / run_len;                                                                             \
        ulong e = clinit_row_start(row, run_base, ostart, oext, ostride) + (k - row * run_len);              \
        __global const float *D = W + R * C; /* the signs follow the m × n matrix */                        \
        float v = clinit_orth_value(D, Q2, e, R, C, K, centre, kernel_outer, g);                             \
        CLINIT_STORE1_##DTYPE(v, out + out_offset, k);                                                       \
    }

CLINIT_ORTH_STORE_KERNEL(f32, float)
CLINIT_ORTH_STORE_KERNEL(f16, half)
CLINIT_ORTH_STORE_KERNEL(bf16, ushort)
