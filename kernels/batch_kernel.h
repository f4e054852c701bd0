/*
 * The batched fill of one dtype (host/batch.c): many element-wise tensors of one buffer in one launch, each a run of
 * logically consecutive elements (ci_batch_entry). Every unit of the launch belongs to the entry whose range of
 * units holds it, found by bisection over the entries' starts, and runs that entry's share exactly as the single
 * fill's kernels do (the same blocks with the same loops), so every value is the one clinit_fill gives.
 *   GPUs: a unit is a work-group. An entry of whole aligned blocks (entry.rows) gives each group
 *         CLINIT_BATCH_ROUNDS · L consecutive blocks (L the group size), walked as fill_rows.h walks a row: the
 *         group's work-items take every L-th block, and a truncated normal's redraws are gathered per group; another
 *         entry gives each group L blocks, one per work-item, as fill_runs.h.
 *   CPU devices: a unit is a work-item that runs CLINIT_BATCH_ITEMS consecutive items of fill_runs.h (of
 *         CLINIT_ITEM_BLOCKS blocks, or groups of them); items past the entry's end write nothing.
 * A template, included by batch.cl once per dtype with T and the per-distribution function names of fill.cl:
 * BLOCKS_C, BLOCKS_U, BLOCKS_N1, BLOCKS_N2, TAIL_C, TAIL_U, TAIL_N1, TAIL_N2 (constant, uniform, normal of
 * generation 1 and 2), BLOCKS_TN, TAIL_TN (truncated normal, either generation), ITEM_C, ITEM_U, ITEM_N, ITEM_TN,
 * TAIL (the name of an entry's partial last block) and KERNEL.
 */

#if CLINIT_GPU_SHAPES
/* An entry's partial last block, with a copy of its values of its own: the tail functions are not always inlined,
 * and passing them the kernel's copy would put that copy on the stack, read from there in every round of Philox. */
inline void TAIL(__global T *o, uint lo, uint hi, uint j, uint tail, __global const ci_batch_entry *e)
{
    ci_values v = ci_values_load(&e->v);
    switch (e->dist) {
    case CLINIT_DIST_CONSTANT: TAIL_C(o, lo, hi, j, tail, &v); break;
    case CLINIT_DIST_UNIFORM: TAIL_U(o, lo, hi, j, tail, &v); break;
    case CLINIT_DIST_NORMAL:
        if (v.generation >= 2)
            TAIL_N2(o, lo, hi, j, tail, &v);
        else
            TAIL_N1(o, lo, hi, j, tail, &v);
        break;
    case CLINIT_DIST_TRUNCATED_NORMAL: TAIL_TN(o, lo, hi, j, tail, &v); break;
    }
}
#endif

__kernel void KERNEL(__global T *out, __global const ci_batch_entry *table, uint entries, ulong unit0)
{
#if CLINIT_GPU_SHAPES
    __local uint queue[CLINIT_TN_QUEUE];
    __local uint queued;
    ulong unit = unit0 + get_group_id(0);
#else
    ulong unit = unit0 + get_global_id(0);
#endif
    uint lo = 0, hi = entries;
    while (hi - lo > 1) {
        uint mid = lo + (hi - lo) / 2;
        if (table[mid].start <= unit)
            lo = mid;
        else
            hi = mid;
    }
    if (unit >= table[entries].start) return; /* past the sentinel's start: the launch's padding */
    __global const ci_batch_entry *e = table + lo;
    ci_values v = ci_values_load(&e->v);
    __global T *o = out + e->out_offset;
    ulong k = unit - e->start, first = e->first, last = e->first + e->len;
#if CLINIT_GPU_SHAPES
    uint L = (uint)get_local_size(0), lid = (uint)get_local_id(0);
    if (e->rows) {
        ulong b0 = first >> 2;
        uint blo = (uint)b0, bhi = (uint)(b0 >> 32);
        uint whole = (uint)(e->len >> 2), tail = (uint)(e->len & 3);
        uint j0 = (uint)k * CLINIT_BATCH_ROUNDS * L, j1 = j0 + CLINIT_BATCH_ROUNDS * L;
        uint n = whole < j1 ? whole : j1;
        switch (e->dist) {
        case CLINIT_DIST_CONSTANT: BLOCKS_C(o, blo, bhi, j0 + lid, n, L, &v); break;
        case CLINIT_DIST_UNIFORM: BLOCKS_U(o, blo, bhi, j0 + lid, n, L, &v); break;
        case CLINIT_DIST_NORMAL:
            if (v.generation >= 2)
                BLOCKS_N2(o, blo, bhi, j0 + lid, n, L, &v);
            else
                BLOCKS_N1(o, blo, bhi, j0 + lid, n, L, &v);
            break;
        case CLINIT_DIST_TRUNCATED_NORMAL:
            if (lid == 0) queued = 0;
            barrier(CLK_LOCAL_MEM_FENCE);
            BLOCKS_TN(o, blo, bhi, first, j0 + lid, n, L, CLINIT_BATCH_ROUNDS, queue, &queued, &v);
            break;
        }
        if (tail && whole >= j0 && whole < j1 && lid == 0) TAIL(o, blo, bhi, whole, tail, e);
        return;
    }
    ulong item = k * L + lid, end = item + 1;
#else
    ulong item = k * CLINIT_BATCH_ITEMS, end = item + CLINIT_BATCH_ITEMS;
#endif
    for (; item < end; item++) {
        switch (e->dist) {
        case CLINIT_DIST_CONSTANT: ITEM_C(o, first, last, item, 0, &v); break;
        case CLINIT_DIST_UNIFORM: ITEM_U(o, first, last, item, 0, &v); break;
        case CLINIT_DIST_NORMAL: ITEM_N(o, first, last, item, 0, &v); break;
        case CLINIT_DIST_TRUNCATED_NORMAL: ITEM_TN(o, first, last, item, 0, &v); break;
        }
    }
}

/* the template's parameters, so that batch.cl defines the next dtype's afresh */
#undef T
#undef BLOCKS_C
#undef BLOCKS_U
#undef BLOCKS_N1
#undef BLOCKS_N2
#undef TAIL_C
#undef TAIL_U
#undef TAIL_N1
#undef TAIL_N2
#undef BLOCKS_TN
#undef TAIL_TN
#undef ITEM_C
#undef ITEM_U
#undef ITEM_N
#undef ITEM_TN
#undef TAIL
#undef KERNEL
