/*
 * kernels/fill_runs.h for f64 outputs: any box, one or CLINIT_ITEM_BLOCKS blocks of two elements per work-item
 * (or the grid-stride loop of CLINIT_ITEM_STRIDE), a whole block with one double2 store; on CPUs 16 blocks in
 * 16-lane vectors where they lie inside the run. A template, included by fill64.cl and structured.cl with GEN2 (the
 * two values of a block), GEN32 (the 32 values of 16 blocks, ci_gen32_*) and KERNEL defined.
 */
__kernel void KERNEL(__global double *out, ci_runs g, ci_values64 v, ulong row0, ulong item0)
{
    ulong row = row0 + get_global_id(1);
    if (row >= g.rows) return;
    ulong first = ci_row_start(row, &g), last = first + g.run_len;
    __global double *o = out + g.out_offset + row * g.run_len; /* element `first` at o[0] */
    ulong stride = CLINIT_ITEM_STRIDE ? get_global_size(0) : 0, item = item0 + get_global_id(0);
    ulong block = (first >> 1) + (stride ? item : item * CLINIT_ITEM_BLOCKS);
    if (CLINIT_ITEM_BLOCKS == 16 && !stride && (block << 1) >= first && ((block + 16) << 1) <= last) {
        double16 even, odd;
        GEN32(block, &v, &even, &odd);
        ulong i = (block << 1) - first;
        vstore16(CLINIT_SHUFFLE16_64(even, odd, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), 0, o + i);
        vstore16(CLINIT_SHUFFLE16_64(even, odd, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), 0,
                 o + i + 16);
        return;
    }
    ulong block_end = (last + 1) >> 1;
    for (int k = 0; stride || k < CLINIT_ITEM_BLOCKS; k++, block += stride ? stride : 1) {
        if (block >= block_end) return;
        double2 x = GEN2(block, &v);
        ulong e = block << 1;
        if (e >= first && e + 2 <= last) {
            vstore2(x, 0, o + (e - first));
        } else {
            if (e + 0 >= first && e + 0 < last) o[e + 0 - first] = x.s0;
            if (e + 1 >= first && e + 1 < last) o[e + 1 - first] = x.s1;
        }
    }
}

#undef GEN2
#undef GEN32
#undef KERNEL
