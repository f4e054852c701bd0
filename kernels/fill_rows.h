/*
 * The GPU kernels' common case (docs/ALGORITHMS.md §5): rows of whole Philox blocks, 16-byte aligned, each work-item
 * looping over the blocks of its row with the stride of the grid, so that its set-up is paid once and a warp's
 * stores are contiguous. The block counter is 32-bit (no row crosses a multiple of 2^32 blocks) and the output
 * index too. A template, included by fill.cl once per distribution and dtype with these names defined:
 *   T         the element type (float, half, ushort for bf16)
 *   GEN4      ci_gen4_DIST (kernels/elementwise.h)
 *   STORE1, STORE4A   ci_store1_DT, ci_store4a_DT (kernels/stores.h)
 *   BLOCKS    the name of the loop over blocks j0, j0 + step, … below n of one row (the batch kernels use it too)
 *   TAIL      the name of the store of a row's last, partial block (kernels/fill_tail.h)
 *   KERNEL    the name of the kernel
 */

/* Blocks j = j0, j0 + step, … < n of the row whose block j has counter words (lo + j, hi), block j's four values
 * written to o[4j … 4j + 3]. */
inline void BLOCKS(__global T *o, uint lo, uint hi, uint j0, uint n, uint step, const ci_values *restrict v)
{
    for (uint j = j0; j < n; j += step) STORE4A(o, j, GEN4(lo + j, hi, v));
}

#include "fill_tail.h"

/* NDRange: dimension 0 the work-items of a row (any number; each loops), dimension 1 the rows (a work-group may span
 * several short rows, and the last group rows past the launch's). */
__kernel void KERNEL(__global T *out, ci_rows w, ci_values v)
{
    if (get_global_id(1) >= w.rows) return;
    ulong first = w.first_block + get_global_id(1) * w.row_step;
    __global T *o = out + 4 * (w.out_block + get_global_id(1) * w.row_blocks);
    BLOCKS(o, (uint)first, (uint)(first >> 32), (uint)get_global_id(0), w.row_blocks, (uint)get_global_size(0), &v);
    if (w.tail && get_global_id(0) == 0) /* only with one row */
        TAIL(o, (uint)first, (uint)(first >> 32), w.row_blocks, w.tail, &v);
}

#undef GEN4
#undef BLOCKS
#undef TAIL
#undef KERNEL
