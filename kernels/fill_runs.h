/*
 * Any box, any alignment (docs/ALGORITHMS.md §5): the described elements as runs of logically consecutive elements,
 * the NDRange's dimension 0 walking the Philox blocks of a run, dimension 1 the runs. On CPU devices
 * (CLINIT_ITEM_BLOCKS 16) each work-item computes GROUPS groups of 16 consecutive blocks in 16-lane vectors and
 * stores each group with four 16-element stores; at the ends of a run, and on GPUs, one block at a time, a whole
 * block with one 4-element store, a partial one element by element. With CLINIT_ITEM_STRIDE (GPUs) at most that many
 * work-items per run each loop over its blocks with the grid's stride. A template, included by fill.cl and
 * structured.cl once per distribution and dtype with these names defined:
 *   T                          the element type (float, half, ushort for bf16)
 *   GEN4, GEN16                ci_gen4_DIST, ci_gen16_DIST (kernels/elementwise.h)
 *   GROUPS, GEN16N             optional: groups of 16 blocks per CPU work-item (host/dispatch.c's ci_launch_items
 *                              agrees) and their generator, GEN16N(block0, groups, v, out) computing group s (from
 *                              block0 + 16s) into out[s] where bit s of `groups` is set; by default 1 and GEN16
 *   STORE1, STORE4, STORE16    ci_store*_DT (kernels/stores.h)
 *   ITEM                       the name of one work-item's share of a run (the batch kernels use it too)
 *   KERNEL                     the name of the kernel
 */

#ifndef GROUPS
#define GROUPS 1
#define GEN16N(block0, groups, v, out) GEN16((block0), (v), (out)[0])
#endif

/* Work-item `item`'s blocks of the run of logical indices [first, last), element `first` at o[0]: blocks item,
 * item + stride, … when stride is not 0, else CLINIT_ITEM_BLOCKS · GROUPS consecutive ones, counted from the run's
 * first. */
inline void ITEM(__global T *o, ulong first, ulong last, ulong item, ulong stride, const ci_values *v)
{
    ulong block = (first >> 2) + (stride ? item : item * CLINIT_ITEM_BLOCKS * GROUPS);
    uint whole = 0; /* bit s: group s lies inside the run (CPU kernels) */
    if (CLINIT_ITEM_BLOCKS == 16 && !stride) {
        for (int s = 0; s < GROUPS; s++) {
            ulong b = block + 16 * s;
            whole |= (uint)((b << 2) >= first && ((b + 16) << 2) <= last) << s;
        }
        if (whole) {
            float16 w[GROUPS][4];
            GEN16N(block, whole, v, w);
            for (int s = 0; s < GROUPS; s++) {
                if (!(whole >> s & 1)) continue;
                float16 e[4];
                ci_interleave64(w[s], e);
                ulong i = ((block + 16 * s) << 2) - first;
                STORE16(o, i, e[0]);
                STORE16(o, i + 16, e[1]);
                STORE16(o, i + 32, e[2]);
                STORE16(o, i + 48, e[3]);
            }
        }
        if (whole == (1u << GROUPS) - 1) return;
    }
    ulong block_end = (last + 3) >> 2;
    for (int k = 0; stride || k < CLINIT_ITEM_BLOCKS * GROUPS; k++, block += stride ? stride : 1) {
        if (block >= block_end) return;
        if (!stride && (whole >> (k >> 4) & 1)) continue; /* a group written above */
        float4 x = GEN4((uint)block, (uint)(block >> 32), v);
        ulong e = block << 2;
        if (e >= first && e + 4 <= last) {
            STORE4(o, e - first, x);
        } else { /* a block the run's ends cut */
            if (e + 0 >= first && e + 0 < last) STORE1(o, e + 0 - first, x.s0);
            if (e + 1 >= first && e + 1 < last) STORE1(o, e + 1 - first, x.s1);
            if (e + 2 >= first && e + 2 < last) STORE1(o, e + 2 - first, x.s2);
            if (e + 3 >= first && e + 3 < last) STORE1(o, e + 3 - first, x.s3);
        }
    }
}

__kernel void KERNEL(__global T *out, ci_runs g, ci_values v, ulong row0, ulong item0)
{
    ulong row = row0 + get_global_id(1);
    if (row >= g.rows) return;
    ulong first = ci_row_start(row, &g);
    ITEM(out + g.out_offset + row * g.run_len, first, first + g.run_len, item0 + get_global_id(0),
         CLINIT_ITEM_STRIDE ? get_global_size(0) : 0, &v);
}

#undef GEN4
#undef GEN16
#undef GEN16N
#undef GROUPS
#undef ITEM
#undef KERNEL
