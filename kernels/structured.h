/*
 * The per-element rules of eye, dirac and sparse (docs/ALGORITHMS.md §4, "eye, dirac, sparse"), written once
 * and compiled twice (with generate.h's integer types and Philox): as OpenCL C in
 * kernels/structured.cl and as C11 in the host reference (host/structured.c). Integer operations only; the
 * sparse fill's normal values are generate.h's.
 */
#ifndef CLINIT_STRUCTURED_H
#define CLINIT_STRUCTURED_H

#include "generate.h"

/* The `method` of the structured kernels. */
#define CLINIT_STRUCT_DIAGONAL 0 /* eye, dirac */
#define CLINIT_STRUCT_SPARSE 1   /* sparse */

/* The sparse fill's zero rows: selection sampling up to CLINIT_SPARSE_SMALL rows, above that a Feistel
 * permutation of CLINIT_SPARSE_ROUNDS rounds, one round key per word of the column's draws 1 … 4. */
#define CLINIT_SPARSE_SMALL 16
#define CLINIT_SPARSE_ROUNDS 16

/* Whether logical element e lies on the diagonal pattern. The index is read in the mixed radix
 * (x2, x1, x0) of digits x0 < n0, x1 < n1: e = (x2·n1 + x1)·n0 + x0. For layout OI (out, in, k…) x2 is the
 * output channel o and x0 the linear kernel tap s; for layout IO (k…, in, out), io = 1, x2 is s and x0 is o.
 * x1 is always the input channel i. The element is on the pattern when s is the centre tap and
 * i = o mod per (per = output channels per group): PyTorch's dirac_ puts its 1 at [g·per + d, d, centre] for
 * d < min(per, in), and i < in, o mod per < per make that the same set. eye(rows, cols) is the OI case with
 * n0 = 1 (no tap), n1 = cols, per = rows: i = o. */
static inline int ci_diagonal_hit(ci_u64 e, ci_u64 n0, ci_u64 n1, ci_u64 per, ci_u64 centre, ci_u64 io)
{
    ci_u64 x0 = e % n0, t = e / n0;
    ci_u64 x1 = t % n1, x2 = t / n1;
    ci_u64 o = io ? x0 : x2, s = io ? x2 : x0;
    return s == centre && x1 == o % per;
}

/* Chris Wellons' "lowbias32" integer hash (hash-prospector, public domain): a bijection of 32-bit words with
 * full avalanche. */
static inline ci_u32 ci_hash32(ci_u32 x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

/* Draw d ≥ 1 of element col, the first element (row 0) of column col: counter (col bits 0–31,
 * (d << 24) | col bits 32–55, stream), key = seed (docs/ALGORITHMS.md §2). The sparse fill's column draws. */
static inline void ci_column_draw(ci_u64 col, ci_u32 d, ci_u32 k0, ci_u32 k1, ci_u32 s0, ci_u32 s1, ci_u32 x[4])
{
    ci_philox((ci_u32)col, (d << 24) | (ci_u32)(col >> 32), s0, s1, k0, k1, x);
}

/* The balanced Feistel network on 2h-bit values v = L·2^h + R (3 ≤ h ≤ 28): round k maps (L, R) to
 * (R, L xor F_k(R)), F_k(R) = the top h bits of ci_hash32(R xor rk[k]). A bijection of [0, 4^h) for any
 * keys. */
static inline ci_u64 ci_feistel(ci_u64 v, const ci_u32 rk[CLINIT_SPARSE_ROUNDS], int h)
{
    ci_u32 mask = (((ci_u32)1) << h) - 1u;
    ci_u32 l = (ci_u32)(v >> h), r = (ci_u32)v & mask;
    for (int k = 0; k < CLINIT_SPARSE_ROUNDS; k++) {
        ci_u32 f = ci_hash32(r ^ rk[k]) >> (32 - h);
        ci_u32 n = l ^ f;
        l = r;
        r = n;
    }
    return ((ci_u64)l << h) | r;
}

/* Whether element e of a (rows, cols) sparse fill with `count` zeros per column is one of them
 * (row = e / cols, col = e mod cols), from column col's draws only:
 *  - rows ≤ CLINIT_SPARSE_SMALL: selection sampling (Knuth's Algorithm S). Rows t = 0, 1, … are taken in
 *    order, row t when ⌊u_t·(rows − t) / 2^32⌋ < need (need = count minus the rows taken before t), u_t =
 *    word t mod 4 of draw 1 + t/4. Row `row` replays the rows before it.
 *  - larger: π = the Feistel network of the round keys rk[0..15] = the words of draws 1 … 4, restricted to
 *    [0, rows) by cycle walking (applied until the value falls below rows); the element is zero when
 *    π(row) < count. h is the smallest value with 4^h ≥ rows (h ≥ 3 here). Cycle walking ends on a
 *    permutation — the walk from row follows row's cycle, which comes back to row < rows — within
 *    4^h − rows + 1 steps; the cap of 4^h steps is never reached.
 * Elements past the last row (the unused lanes of a block) are never zero. */
static inline int ci_sparse_zero(ci_u64 e, ci_u64 rows, ci_u64 cols, ci_u64 count, int h, ci_u32 k0, ci_u32 k1,
                                 ci_u32 s0, ci_u32 s1)
{
    if (count == 0) return 0;
    ci_u64 row = e / cols, col = e - row * cols;
    if (row >= rows) return 0;
    if (count >= rows) return 1;
    if (rows <= CLINIT_SPARSE_SMALL) {
        ci_u32 x[4];
        ci_column_draw(col, 1, k0, k1, s0, s1, x);
        ci_u64 need = count;
        for (ci_u32 t = 0;; t++) {
            if (t > 0 && (t & 3) == 0) ci_column_draw(col, 1 + (t >> 2), k0, k1, s0, s1, x);
            int take = (((ci_u64)x[t & 3] * (rows - t)) >> 32) < need;
            if (t == row) return take;
            need -= (ci_u64)take;
        }
    }
    ci_u32 rk[CLINIT_SPARSE_ROUNDS];
    for (ci_u32 d = 1; d <= CLINIT_SPARSE_ROUNDS / 4; d++) {
        ci_column_draw(col, d, k0, k1, s0, s1, &rk[4 * (d - 1)]);
    }
    ci_u64 y = row, domain = ((ci_u64)1) << (2 * h);
    for (ci_u64 step = 0; step < domain; step++) {
        y = ci_feistel(y, rk, h);
        if (y < rows) break;
    }
    return y < count;
}

#endif
