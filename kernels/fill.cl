/* Constant, uniform, normal and truncated-normal fills of a tensor (or a box of it) in f32, f16 or bf16.
 *
 * NDRange: dimension 0 walks the Philox blocks of a run, CLINIT_ITEM_BLOCKS consecutive blocks per
 * work-item (the kernel shape chosen per device type at build time); dimension 1 walks runs (rows).
 * item0 / row0 let the host split a huge fill into several launches. Each block's four values are computed
 * in f32 together and stored with one vector store when the block lies wholly inside the run, lane by lane
 * otherwise. 16-bit outputs are the round-to-nearest-even of the f32 value (docs/ALGORITHMS.md §4). */

/* p is host/internal.h's clinit_resolved.p; method its truncated-normal plan. */
inline float4 clinit_gen_constant(ulong block, uint4 ks, float8 p, int method)
{
    return (float4)(p.s0);
}

/* [p0, p1) clamped to [p6, p7] */
inline float4 clinit_gen_uniform(ulong block, uint4 ks, float8 p, int method)
{
    uint4 x = clinit_philox_block(block, ks);
    return (float4)(clinit_uniform_of(x.s0, p.s0, p.s1, p.s6, p.s7), clinit_uniform_of(x.s1, p.s0, p.s1, p.s6, p.s7),
                    clinit_uniform_of(x.s2, p.s0, p.s1, p.s6, p.s7), clinit_uniform_of(x.s3, p.s0, p.s1, p.s6, p.s7));
}

/* Standard normals of a block: Box–Muller on the pairs (x0, x1) and (x2, x3), lanes 0, 2 take r·cos θ,
 * lanes 1, 3 take r·sin θ. */
inline float4 clinit_block_normals(ulong block, uint4 ks)
{
    uint4 x = clinit_philox_block(block, ks);
    float c0, s0, c1, s1;
    clinit_normal_pair(x.s0, x.s1, &c0, &s0);
    clinit_normal_pair(x.s2, x.s3, &c1, &s1);
    return (float4)(c0, s0, c1, s1);
}

/* mean p0, std p1 */
inline float4 clinit_gen_normal(ulong block, uint4 ks, float8 p, int method)
{
    return p.s0 + p.s1 * clinit_block_normals(block, ks);
}

/* mean p0, std p1, plan (method, p2..p5), clamped to [p6, p7]. The normal plan starts from the element's
 * ordinary normal value, so a far window gives exactly the normal fill's bits. */
inline float4 clinit_gen_truncnorm(ulong block, uint4 ks, float8 p, int method)
{
    float4 z = method == CLINIT_TN_NORMAL ? clinit_block_normals(block, ks) : (float4)(0.0f);
    ulong i = block << 2;
    z.s0 = clinit_truncnorm_z(z.s0, i + 0, ks.x, ks.y, ks.z, ks.w, method, p.s2, p.s3, p.s4, p.s5);
    z.s1 = clinit_truncnorm_z(z.s1, i + 1, ks.x, ks.y, ks.z, ks.w, method, p.s2, p.s3, p.s4, p.s5);
    z.s2 = clinit_truncnorm_z(z.s2, i + 2, ks.x, ks.y, ks.z, ks.w, method, p.s2, p.s3, p.s4, p.s5);
    z.s3 = clinit_truncnorm_z(z.s3, i + 3, ks.x, ks.y, ks.z, ks.w, method, p.s2, p.s3, p.s4, p.s5);
    float4 v = p.s0 + p.s1 * z;
    return (float4)(clinit_clamp(v.s0, p.s6, p.s7), clinit_clamp(v.s1, p.s6, p.s7), clinit_clamp(v.s2, p.s6, p.s7),
                    clinit_clamp(v.s3, p.s6, p.s7));
}

/* Stores per dtype: four values at out[i..i+3], or one value at out[i]. vstore_half*_rte needs no
 * cl_khr_fp16 (a half pointer may be declared without it). */
#define CLINIT_STORE4_f32(v, out, i) vstore4((v), 0, (out) + (i))
#define CLINIT_STORE1_f32(v, out, i) ((out)[i] = (v))
#define CLINIT_STORE4_f16(v, out, i) vstore_half4_rte((v), 0, (out) + (i))
#define CLINIT_STORE1_f16(v, out, i) vstore_half_rte((v), 0, (out) + (i))
#define CLINIT_STORE4_bf16(v, out, i) \
    vstore4((ushort4)(clinit_bf16_of((v).s0), clinit_bf16_of((v).s1), clinit_bf16_of((v).s2), clinit_bf16_of((v).s3)), \
            0, (out) + (i))
#define CLINIT_STORE1_bf16(v, out, i) ((out)[i] = clinit_bf16_of(v))

#define CLINIT_FILL_KERNEL(DIST, DTYPE, T)                                                                   \
    __kernel void clinit_fill_##DIST##_##DTYPE(__global T *out, ulong out_offset, ulong run_len, ulong rows,  \
                                               ulong row0, ulong item0, ulong run_base, ulong8 ostart,       \
                                               ulong8 oext, ulong8 ostride, uint4 ks, float8 p, int method)              \
    {                                                                                                        \
        ulong row = row0 + get_global_id(1);                                                                 \
        if (row >= rows) return;                                                                             \
        ulong first = clinit_row_start(row, run_base, ostart, oext, ostride);                                \
        ulong last = first + run_len; /* exclusive */                                                        \
        ulong block = (first >> 2) + (item0 + get_global_id(0)) * CLINIT_ITEM_BLOCKS;                        \
        ulong block_end = (last + 3) >> 2;                                                                   \
        __global T *row_out = out + out_offset + row * run_len;                                              \
        for (int k = 0; k < CLINIT_ITEM_BLOCKS; k++, block++) {                                              \
            if (block >= block_end) return;                                                                  \
            float4 v = clinit_gen_##DIST(block, ks, p, method);                                                      \
            ulong e = block << 2;                                                                            \
            if (e >= first && e + 4 <= last) {                                                               \
                CLINIT_STORE4_##DTYPE(v, row_out, e - first);                                                \
            } else {                                                                                         \
                if (e + 0 >= first && e + 0 < last) CLINIT_STORE1_##DTYPE(v.s0, row_out, e + 0 - first);     \
                if (e + 1 >= first && e + 1 < last) CLINIT_STORE1_##DTYPE(v.s1, row_out, e + 1 - first);     \
                if (e + 2 >= first && e + 2 < last) CLINIT_STORE1_##DTYPE(v.s2, row_out, e + 2 - first);     \
                if (e + 3 >= first && e + 3 < last) CLINIT_STORE1_##DTYPE(v.s3, row_out, e + 3 - first);     \
            }                                                                                                \
        }                                                                                                    \
    }

#define CLINIT_FILL_KERNELS(DTYPE, T)         \
    CLINIT_FILL_KERNEL(constant, DTYPE, T)    \
    CLINIT_FILL_KERNEL(uniform, DTYPE, T)     \
    CLINIT_FILL_KERNEL(normal, DTYPE, T)      \
    CLINIT_FILL_KERNEL(truncnorm, DTYPE, T)

CLINIT_FILL_KERNELS(f32, float)
CLINIT_FILL_KERNELS(f16, half)
CLINIT_FILL_KERNELS(bf16, ushort)

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
