/*
 * What every fill kernel shares: the kernel shape chosen per device type at build time (host/context.c), the run
 * geometry of a box (docs/ALGORITHMS.md §5) and the CPU shape's transpose.
 */
#ifndef CLINIT_GEOMETRY_H
#define CLINIT_GEOMETRY_H

#include "args.h"

/* Philox blocks per work-item of the general kernels: 16 on CPU devices (16-lane vectors), 1 elsewhere. */
#ifndef CLINIT_ITEM_BLOCKS
#define CLINIT_ITEM_BLOCKS 1
#endif
/* Not 0: the general kernels' work-items loop over a run's blocks with the grid's stride (host/context.c). */
#ifndef CLINIT_ITEM_STRIDE
#define CLINIT_ITEM_STRIDE 0
#endif
/* The GPU kernels' rows (kernels/fill_rows.h) exist where blocks are computed one at a time. */
#define CLINIT_GPU_SHAPES (CLINIT_ITEM_BLOCKS == 1)

/* Logical index of the first element of run `row`. Dimensions of extent 1 have start and stride 0 (the host folds
 * them into run_base): no 64-bit division or product for them (on GPUs a division costs as much as the rest of the
 * work-item; a whole tensor needs none). */
inline ulong ci_row_start(ulong row, const ci_runs *g)
{
    ulong s = g->run_base;
    for (int d = 7; d >= 0; d--) {
        if (g->oext[d] > 1) {
            s += (g->ostart[d] + row % g->oext[d]) * g->ostride[d];
            row /= g->oext[d];
        }
    }
    return s;
}

/* Lanes of a and b (16 lanes each, b's numbered 16–31) picked by 16 constant indices (see generate.h). */
#define CLINIT_SHUFFLE_LO(a, b) CLINIT_SHUFFLE16(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define CLINIT_SHUFFLE_HI(a, b) CLINIT_SHUFFLE16(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
#define CLINIT_SHUFFLE_PLO(a, b) CLINIT_SHUFFLE16(a, b, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23)
#define CLINIT_SHUFFLE_PHI(a, b) CLINIT_SHUFFLE16(a, b, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31)

/* The 64 values of 16 blocks in element order (element 4l + w is v[w] lane l): a 4 × 16 transpose in eight
 * two-source shuffles, then four contiguous 16-element stores. */
inline void ci_interleave64(const float16 *v, float16 *o)
{
    float16 a0 = CLINIT_SHUFFLE_LO(v[0], v[1]), a1 = CLINIT_SHUFFLE_HI(v[0], v[1]);
    float16 b0 = CLINIT_SHUFFLE_LO(v[2], v[3]), b1 = CLINIT_SHUFFLE_HI(v[2], v[3]);
    o[0] = CLINIT_SHUFFLE_PLO(a0, b0);
    o[1] = CLINIT_SHUFFLE_PHI(a0, b0);
    o[2] = CLINIT_SHUFFLE_PLO(a1, b1);
    o[3] = CLINIT_SHUFFLE_PHI(a1, b1);
}

#endif
