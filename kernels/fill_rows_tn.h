/*
 * fill_rows.h for the truncated normal: the same rows and loop, and the elements whose own draws decide their value
 * — under the normal plan the block normals outside the window (4.6 % at ±2σ), under the others every element — are
 * gathered in a queue in local memory and drawn together by every work-item of the group, instead of each in its own
 * lane's loop (one lane of 32 outside the window held its whole warp there). Each element's value is the scalar
 * rule's (clinit_truncnorm_z), whatever lane draws it and in whatever order. A template, included by fill.cl once
 * per dtype with T, STORE1, STORE4A (as fill_rows.h), and BLOCKS, REDRAW and KERNEL naming its functions.
 */

/* The queued elements' values, every work-item of the group taking every L-th (L the group size); then the queue is
 * empty. o[e] is logical element first + e. Called by every work-item of the group. */
inline void REDRAW(__global T *o, ulong first, __local uint *queue, __local uint *queued, const clinit_values *v)
{
    /* the queue complete, and the block stores ordered before the stores below, which replace some of them */
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
    uint n = *queued;
    for (uint k = get_local_id(0); k < n; k += get_local_size(0)) {
        uint e = queue[k];
        ulong i = first + e;
        float z = clinit_truncnorm_redraw(v->generation, (uint)i, (uint)(i >> 32), 1, 0.0f, (uint)v->seed,
                                          (uint)(v->seed >> 32), (uint)v->stream, (uint)(v->stream >> 32), v->tn_plan,
                                          v->tn[0], v->tn[1], v->tn[2], v->tn[3]);
        STORE1(o, e, clinit_truncnorm_value4((float4)(z), v).s0);
    }
    barrier(CLK_LOCAL_MEM_FENCE); /* every work-item has read *queued */
    if (get_local_id(0) == 0) *queued = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
}

/* Blocks j = j0 + t·step for t < rounds, those below nblocks written (o[4j …], elements below nelem only: the last
 * block may be partial), block j with counter words (lo + j, hi); o[e] is logical element first + e. `rounds` is
 * the same for every work-item of the group (the barriers need it). */
inline void BLOCKS(__global T *o, uint lo, uint hi, ulong first, uint j0, uint nblocks, uint nelem, uint step,
                   uint rounds, __local uint *queue, __local uint *queued, const clinit_values *v)
{
    uint limit = CLINIT_TN_QUEUE - 4 * (uint)get_local_size(0);
    int normal_plan = v->tn_plan == CLINIT_TN_NORMAL;
    for (uint t = 0; t < rounds; t++) {
        uint j = j0 + t * step;
        if (j < nblocks) {
            float4 z = normal_plan ? clinit_block_normals(lo + j, hi, v) : (float4)(0.0f);
            int4 redraw = normal_plan ? !(z >= v->tn[0] && z <= v->tn[1]) : (int4)(-1);
            uint e = 4 * j;
            if (redraw.s0 && e + 0 < nelem) queue[atomic_inc(queued)] = e + 0;
            if (redraw.s1 && e + 1 < nelem) queue[atomic_inc(queued)] = e + 1;
            if (redraw.s2 && e + 2 < nelem) queue[atomic_inc(queued)] = e + 2;
            if (redraw.s3 && e + 3 < nelem) queue[atomic_inc(queued)] = e + 3;
            float4 x = clinit_truncnorm_value4(z, v); /* the redrawn elements' are replaced */
            if (e + 4 <= nelem) {
                STORE4A(o, j, x);
            } else {
                float p[4] = {x.s0, x.s1, x.s2, x.s3};
                for (uint k = 0; e + k < nelem; k++) STORE1(o, e + k, p[k]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (*queued > limit) REDRAW(o, first, queue, queued, v);
    }
    REDRAW(o, first, queue, queued, v);
}

/* As fill_rows.h's kernel; the work-group size at most CLINIT_TN_QUEUE / 4. */
__kernel void KERNEL(__global T *out, clinit_rows w, clinit_values v)
{
    __local uint queue[CLINIT_TN_QUEUE];
    __local uint queued;
    if (get_local_id(0) == 0) queued = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    ulong first = w.first_block + get_global_id(1) * w.row_step;
    __global T *o = out + 4 * (w.out_block + get_global_id(1) * w.row_blocks);
    uint nblocks = w.row_blocks + (w.tail != 0), step = (uint)get_global_size(0);
    BLOCKS(o, (uint)first, (uint)(first >> 32), first << 2, (uint)get_global_id(0), nblocks, 4 * w.row_blocks + w.tail,
           step, (nblocks + step - 1) / step, queue, &queued, &v);
}

#undef BLOCKS
#undef REDRAW
#undef KERNEL
