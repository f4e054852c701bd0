/* Constant, uniform and normal fills of an f32 tensor (or a box of it).
 *
 * NDRange: dimension 0 walks the Philox blocks of a run, CLINIT_ITEM_BLOCKS consecutive blocks per
 * work-item (the kernel shape chosen per device type at build time); dimension 1 walks runs (rows).
 * item0 / row0 let the host split a huge fill into several launches. Each block's four values are computed
 * together and stored with one vstore4 when the block lies wholly inside the run, lane by lane otherwise. */

inline float4 clinit_gen_constant(ulong block, uint4 ks, float p0, float p1)
{
    return (float4)(p0);
}

inline float4 clinit_gen_uniform(ulong block, uint4 ks, float lo, float hi)
{
    uint4 x = clinit_philox_block(block, ks);
    return (float4)(clinit_uniform_of(x.s0, lo, hi), clinit_uniform_of(x.s1, lo, hi),
                    clinit_uniform_of(x.s2, lo, hi), clinit_uniform_of(x.s3, lo, hi));
}

/* Box–Muller on the pairs (x0, x1) and (x2, x3): lanes 0, 2 take r·cos θ, lanes 1, 3 take r·sin θ. */
inline float4 clinit_gen_normal(ulong block, uint4 ks, float mean, float std)
{
    uint4 x = clinit_philox_block(block, ks);
    float c0, s0, c1, s1;
    clinit_normal_pair(x.s0, x.s1, &c0, &s0);
    clinit_normal_pair(x.s2, x.s3, &c1, &s1);
    return mean + std * (float4)(c0, s0, c1, s1);
}

#define CLINIT_FILL_KERNEL(NAME, GEN)                                                                      \
    __kernel void NAME(__global float *out, ulong out_offset, ulong run_len, ulong rows, ulong row0,        \
                       ulong item0, ulong run_base, ulong8 ostart, ulong8 oext, ulong8 ostride, uint4 ks,    \
                       float p0, float p1)                                                                   \
    {                                                                                                        \
        ulong row = row0 + get_global_id(1);                                                                 \
        if (row >= rows) return;                                                                             \
        ulong first = clinit_row_start(row, run_base, ostart, oext, ostride);                                \
        ulong last = first + run_len; /* exclusive */                                                        \
        ulong block = (first >> 2) + (item0 + get_global_id(0)) * CLINIT_ITEM_BLOCKS;                        \
        ulong block_end = (last + 3) >> 2;                                                                   \
        __global float *row_out = out + out_offset + row * run_len;                                          \
        for (int k = 0; k < CLINIT_ITEM_BLOCKS; k++, block++) {                                              \
            if (block >= block_end) return;                                                                  \
            float4 v = GEN(block, ks, p0, p1);                                                               \
            ulong e = block << 2;                                                                            \
            if (e >= first && e + 4 <= last) {                                                               \
                vstore4(v, 0, row_out + (e - first));                                                        \
            } else {                                                                                         \
                if (e + 0 >= first && e + 0 < last) row_out[e + 0 - first] = v.s0;                          \
                if (e + 1 >= first && e + 1 < last) row_out[e + 1 - first] = v.s1;                          \
                if (e + 2 >= first && e + 2 < last) row_out[e + 2 - first] = v.s2;                          \
                if (e + 3 >= first && e + 3 < last) row_out[e + 3 - first] = v.s3;                          \
            }                                                                                                \
        }                                                                                                    \
    }

CLINIT_FILL_KERNEL(clinit_fill_constant_f32, clinit_gen_constant)
CLINIT_FILL_KERNEL(clinit_fill_uniform_f32, clinit_gen_uniform)
CLINIT_FILL_KERNEL(clinit_fill_normal_f32, clinit_gen_normal)

/* Known-answer test: in holds (ctr0..3, key0..1) per case, out receives Philox4x32-10's four words. */
__kernel void clinit_philox_kat(__global const uint *in, __global uint *out, uint n)
{
    uint i = get_global_id(0);
    if (i >= n) return;
    __global const uint *p = in + 6 * i;
    philox4x32_ctr_t c = {{p[0], p[1], p[2], p[3]}};
    philox4x32_key_t k = {{p[4], p[5]}};
    philox4x32_ctr_t r = philox4x32_R(10, c, k);
    vstore4((uint4)(r.v[0], r.v[1], r.v[2], r.v[3]), i, out);
}
