/* Orthogonal and delta-orthogonal fills (host/orthogonal.c enqueues them; the arithmetic is in orthogonal.h,
 * shared with the host reference). Like orthogonal.h this file is one instance per precision, between a
 * prelude (orthogonal_f32.h: clinit_orth_*; orthogonal_f64.h: clinit_orth64_*, only where the device has
 * cl_khr_fp64) and orthogonal_end.h; below, clinit_orth_X stands for the instance's kernel CLINIT_ORTH_KERNEL(X),
 * ci_orth_X for its function CLINIT_ORTH(X), and "real" for its type. Every kernel is 1-D, one work-item per unit of work, and checks its range: the work-group size
 * only rounds the global size up, it never changes a value.
 *
 *   clinit_orth_gauss   one Philox block of the R × C Gaussian matrix per work-item (the dtype's normal rule:
 *                       four f32 or two f64 elements), into W (column-major M)
 *   clinit_orth_step    one column j ∈ [p, j1) of step p of phase 0 (Householder R) or 1 (accumulate Q)
 *   clinit_orth_apply   two columns past a panel of steps through all of its steps (their reflections)
 *   clinit_orth_gram    one entry (a, b), a ≤ b, of E = QᵀQ − I, written to E[a][b] and E[b][a]
 *   clinit_orth_refine  a tile of CLINIT_ORTH_CHUNK rows × CLINIT_ORTH_COLS columns of Q2 = Q − ½·Q·E
 *   clinit_orth_store_* one element of the (box of the) tensor: signed, scaled, in the dtype (f32: store_f32,
 *                       store_f16, store_bf16, all from the f32 values; f64: clinit_orth64_store)
 * W holds M and then the signs D (orthogonal.h); E and Q2 are separate buffers. */
#ifdef CLINIT_ORTH_T

/* blocks = ⌈R·C / CLINIT_ORTH_PER_BLOCK⌉; the normals of generation `generation`. */
__kernel void CLINIT_ORTH_KERNEL(gauss)(__global CLINIT_ORTH_T *W, ulong R, ulong C, ulong blocks, ulong base,
                                        ulong seed, ulong stream, int generation)
{
    ulong blk = base + get_global_id(0);
    if (blk >= blocks) return;
    CLINIT_ORTH_T z[CLINIT_ORTH_PER_BLOCK];
    CLINIT_ORTH_BLOCK_NORMALS(blk, seed, stream, generation, z);
    ulong e = blk * CLINIT_ORTH_PER_BLOCK, total = R * C;
    for (int l = 0; l < CLINIT_ORTH_PER_BLOCK && e + l < total; l++) W[ci_orth_gauss_pos(e + l, R, C)] = z[l];
}

/* Column j = p + global id < j1: its part of step p. */
__kernel void CLINIT_ORTH_KERNEL(step)(__global CLINIT_ORTH_T *W, ulong m, ulong n, ulong p, ulong j1, int phase)
{
    ulong j = p + get_global_id(0);
    if (j >= j1) return;
    CLINIT_ORTH(column_step)(W, m, n, p, j, phase);
}

/* Columns j = j0 + 2·global id and j + 1 (those < j1) through `steps` consecutive steps of their phase from p0
 * (phase 0: p0, p0 + 1, …; phase 1: p0, p0 − 1, …), every step p < j: their reflections by H_{p−1}, which is all of
 * column_step there, in the steps' order (n, unused, keeps the arguments clinit_orth_step's). */
__kernel void CLINIT_ORTH_KERNEL(apply)(__global CLINIT_ORTH_T *W, ulong m, ulong n, ulong p0, ulong steps, ulong j0,
                                        ulong j1, int phase)
{
    ulong j = j0 + 2 * get_global_id(0);
    if (j >= j1) return;
    for (ulong s = 0; s < steps; s++) {
        ulong p = phase == 0 ? p0 + s : p0 - s;
        if (p < 1) continue;
        __global const CLINIT_ORTH_T *u = W + (p - 1) * m + (p - 1);
        if (j + 1 < j1)
            CLINIT_ORTH(reflect2)(u, W + j * m + (p - 1), W + (j + 1) * m + (p - 1), m - (p - 1));
        else
            CLINIT_ORTH(reflect)(u, W + j * m + (p - 1), m - (p - 1));
    }
}

/* Entries t ∈ [base, base + global size) of the n × n square, t = b·n + a. */
__kernel void CLINIT_ORTH_KERNEL(gram)(__global const CLINIT_ORTH_T *W, __global CLINIT_ORTH_T *E, ulong m, ulong n,
                                       ulong base)
{
    ulong t = base + get_global_id(0);
    if (t >= n * n) return;
    ulong a = t % n, b = t / n;
    if (a > b) return;
    CLINIT_ORTH_T diag = a == b ? CLINIT_ORTH_LIT(1.0) : CLINIT_ORTH_LIT(0.0);
    CLINIT_ORTH_T v = CLINIT_ORTH(gram_entry)(W + a * m, W + b * m, m, diag);
    E[b * n + a] = v;
    E[a * n + b] = v;
}

/* Item t ∈ [base, base + global size): the tile of CLINIT_ORTH_COLS columns from (t % ctiles)·CLINIT_ORTH_COLS and
 * CLINIT_ORTH_CHUNK rows from (t / ctiles)·CLINIT_ORTH_CHUNK (neighbouring work-items share their rows of Q);
 * tiles = ctiles · ⌈m / CLINIT_ORTH_CHUNK⌉. */
__kernel void CLINIT_ORTH_KERNEL(refine)(__global const CLINIT_ORTH_T *W, __global const CLINIT_ORTH_T *E,
                                         __global CLINIT_ORTH_T *Q2, ulong m, ulong n, ulong ctiles, ulong tiles,
                                         ulong base)
{
    ulong t = base + get_global_id(0);
    if (t >= tiles) return;
    ulong j0 = (t % ctiles) * CLINIT_ORTH_COLS, i0 = (t / ctiles) * CLINIT_ORTH_CHUNK;
    ulong nj = n - j0 < CLINIT_ORTH_COLS ? n - j0 : CLINIT_ORTH_COLS;
    ulong ni = m - i0 < CLINIT_ORTH_CHUNK ? m - i0 : CLINIT_ORTH_CHUNK;
    CLINIT_ORTH(correct)(W, E, Q2, m, n, j0, nj, i0, ni);
}

/* Element k ∈ [base, base + global size) of the `count` described elements (the box's, row-major): run
 * k / run_len, position k % run_len of the geometry gm (docs/ALGORITHMS.md §5). STORE1(out, i, v) writes the
 * real v as out[i]. */
#define CLINIT_ORTH_STORE_KERNEL(NAME, T, STORE1)                                                                      \
    __kernel void CLINIT_ORTH_KERNEL(NAME)(__global T * out, ci_runs gm, ulong count, ulong base,                      \
                                           __global const CLINIT_ORTH_T *W, __global const CLINIT_ORTH_T *Q2, ulong R, \
                                           ulong C, ulong K, ulong centre, int kernel_outer, CLINIT_ORTH_T g)          \
    {                                                                                                                  \
        ulong k = base + get_global_id(0);                                                                             \
        if (k >= count) return;                                                                                        \
        ulong row = k / gm.run_len;                                                                                    \
        ulong e = ci_row_start(row, &gm) + (k - row * gm.run_len);                                                     \
        __global const CLINIT_ORTH_T *D = W + R * C; /* the signs follow the m × n matrix */                          \
        CLINIT_ORTH_T v = CLINIT_ORTH(value)(D, Q2, e, R, C, K, centre, kernel_outer, g);                              \
        STORE1(out + gm.out_offset, k, v);                                                                             \
    }

CLINIT_ORTH_STORE_KERNELS

#undef CLINIT_ORTH_STORE_KERNEL

#endif /* CLINIT_ORTH_T */
