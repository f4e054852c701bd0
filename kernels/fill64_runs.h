/*
 * kernels/fill_runs.h for f64 outputs: any box, one or CLINIT_ITEM_BLOCKS blocks of two elements per work-item
 * (or the grid-stride loop of CLINIT_ITEM_STRIDE), a whole block with one double2 store. A template, included by
 * fill64.cl and structured.cl with GEN2 (the two values of a block) and KERNEL defined.
 */
__kernel void KERNEL(__global double *out, clinit_runs g, clinit_values64 v, ulong row0, ulong item0)
{
    ulong row = row0 + get_global_id(1);
    if (row >= g.rows) return;
    ulong first = clinit_row_start(row, &g), last = first + g.run_len;
    __global double *o = out + g.out_offset + row * g.run_len; /* element `first` at o[0] */
    ulong stride = CLINIT_ITEM_STRIDE ? get_global_size(0) : 0, item = item0 + get_global_id(0);
    ulong block = (first >> 1) + (stride ? item : item * CLINIT_ITEM_BLOCKS);
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
#undef KERNEL
