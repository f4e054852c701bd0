/*
 * fill_rows.h for the truncated normal: the same rows and loop, and the elements whose own draws decide their value
 * — under the normal plan the block normals the window rejects (4.6 % at ±2σ), under the others every element — are
 * gathered in a queue in local memory and drawn together by every work-item of the group, instead of each in its own
 * lane's loop (one lane of 32 outside the window held its whole warp there). Each element's value is the scalar
 * rule's (ci_truncnorm_z), whatever lane draws it and in whatever order. A template, included by fill.cl once
 * per dtype and generation with T, STORE1, STORE4A (as fill_rows.h), GENERATION (1 or 2, so that the kernel's loop has
 * no branch on it; or v->generation, for the batch kernels), TAIL (fill_tail.h's partial-block store over
 * ci_gen4_truncnorm, which draws per element), and BLOCKS, REDRAW and KERNEL naming its functions (no KERNEL:
 * the functions only).
 */

/* The queued elements' values, every work-item of the group taking every L-th (L the group size); then the queue is
 * empty. o[e] is logical element first + e. Called by every work-item of the group. */
inline void REDRAW(__global T *o, ulong first, __local uint *queue, __local uint *queued, const ci_values *v)
{
    /* the queue complete, and the block stores ordered before the stores below, which replace some of them */
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
    uint n = *queued;
    for (uint k = get_local_id(0); k < n; k += get_local_size(0)) {
        uint e = queue[k];
        float z = ci_truncnorm_redraw_at(GENERATION, first + e, v);
        STORE1(o, e, ci_truncnorm_value4_gen((float4)(z), v, GENERATION).s0);
    }
    barrier(CLK_LOCAL_MEM_FENCE); /* every work-item has read *queued */
    if (get_local_id(0) == 0) *queued = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
}

/* Blocks j = j0 + t·step for t < rounds, those below nblocks written (o[4j …]), block j with counter words (lo + j,
 * hi); o[e] is logical element first + e. `rounds` is the same for every work-item of the group (the barriers need
 * it). A work-item marks the elements to draw again in `pending`, four bits per block, and queues them every
 * CLINIT_TN_GATHER rounds with one atomic; the queue holds CLINIT_TN_GATHER · 4 entries per work-item before it must
 * be drawn. Under the normal plan an accepted value is final: generation 1 accepts z in the standardized window and
 * clamps the value to the dtype's values inside [a, b]; generation 2 accepts the value itself where it rounds to one
 * of them, and stores it as it is. */
inline void BLOCKS(__global T *o, uint lo, uint hi, ulong first, uint j0, uint nblocks, uint step, uint rounds,
                   __local uint *queue, __local uint *queued, const ci_values *v)
{
    uint limit = CLINIT_TN_QUEUE - 4 * CLINIT_TN_GATHER * (uint)get_local_size(0);
    int normal_plan = v->tn_plan == CLINIT_TN_NORMAL;
    for (uint t0 = 0; t0 < rounds; t0 += CLINIT_TN_GATHER) {
        uint pending = 0;
        for (uint u = 0; u < CLINIT_TN_GATHER && t0 + u < rounds; u++) {
            uint j = j0 + (t0 + u) * step;
            if (j >= nblocks) continue;
            float4 z = normal_plan ? ci_block_normals_gen(lo + j, hi, v, GENERATION) : (float4)(0.0f);
            float4 x;
            int4 in;
            if (GENERATION >= 2) {
                x = fma((float4)(v->std), z, (float4)(v->mean));
                in = x >= v->accept_lo && x <= v->accept_hi;
            } else {
                x = ci_truncnorm_value4_gen(z, v, 1);
                in = z >= v->tn[0] && z <= v->tn[1];
            }
            in = normal_plan ? in : (int4)(0);
            pending |= (uint)((in.s0 ? 0 : 1) | (in.s1 ? 0 : 2) | (in.s2 ? 0 : 4) | (in.s3 ? 0 : 8)) << (4 * u);
            STORE4A(o, j, x); /* the values of the elements marked are replaced */
        }
        if (pending) {
            uint at = atomic_add(queued, popcount(pending));
            do {
                uint b = 31 - clz(pending & (0u - pending)); /* the lowest mark */
                pending &= pending - 1;
                queue[at++] = 4 * (j0 + (t0 + b / 4) * step) + b % 4;
            } while (pending);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (*queued > limit) REDRAW(o, first, queue, queued, v);
    }
    REDRAW(o, first, queue, queued, v);
}

#ifdef KERNEL
/* As fill_rows.h's kernel, a work-group within one row; the work-group size at most CLINIT_TN_QUEUE / (4 ·
 * CLINIT_TN_GATHER). A row's partial last block (one row only) is one work-item's, element by element. */
__kernel void KERNEL(__global T *out, ci_rows w, ci_values v)
{
    __local uint queue[CLINIT_TN_QUEUE];
    __local uint queued;
    if (get_local_id(0) == 0) queued = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    ulong first = w.first_block + get_global_id(1) * w.row_step;
    __global T *o = out + 4 * (w.out_block + get_global_id(1) * w.row_blocks);
    uint step = (uint)get_global_size(0);
    BLOCKS(o, (uint)first, (uint)(first >> 32), first << 2, (uint)get_global_id(0), w.row_blocks, step,
           (w.row_blocks + step - 1) / step, queue, &queued, &v);
    if (w.tail && get_global_id(0) == 0) TAIL(o, (uint)first, (uint)(first >> 32), w.row_blocks, w.tail, &v);
}
#endif

#undef GENERATION
#undef BLOCKS
#undef REDRAW
#undef TAIL
#undef KERNEL
