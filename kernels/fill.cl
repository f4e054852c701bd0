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

/* U[lo, hi): lo + (hi − lo)·u in two correctly rounded steps; a result rounded up onto hi is moved to the
 * float just below hi, so hi is never produced (PyTorch's half-open interval). */
inline float4 clinit_gen_uniform(ulong block, uint4 ks, float lo, float hi)
{
    float4 u = clinit_u01(clinit_philox_block(block, ks));
    float span = hi - lo;
    float4 v = lo + span * u;
    if (lo < hi) {
        float below = nextafter(hi, lo);
        v = select(v, (float4)(below), isgreaterequal(v, (float4)(hi)));
    }
    return v;
}

/* Box–Muller on the pairs (x0, x1) and (x2, x3): lanes 0, 2 take r·cos θ, lanes 1, 3 take r·sin θ,
 * r = √(−2 ln u_even), θ = 2π·u_odd. u is never 0, so r is finite (≤ 5.77). */
inline float4 clinit_gen_normal(ulong block, uint4 ks, float mean, float std)
{
    float4 u = clinit_u01(clinit_philox_block(block, ks));
    float2 r = sqrt(-2.0f * log(u.even));
    float2 t = 6.2831855f * u.odd;
    float4 z = (float4)(r.x * cos(t.x), r.x * sin(t.x), r.y * cos(t.y), r.y * sin(t.y));
    return mean + std * z;
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
