/* Constant, uniform, normal and truncated-normal fills of a tensor (or a box of it) in f32, f16 or bf16.
 *
 * NDRange: dimension 0 walks the Philox blocks of a run, CLINIT_ITEM_BLOCKS consecutive blocks per
 * work-item (the kernel shape chosen per device type at build time); dimension 1 walks runs (rows).
 * item0 / row0 let the host split a huge fill into several launches. Each block's four values are computed
 * in f32 together and stored with one vector store when the block lies wholly inside the run, lane by lane
 * otherwise. 16-bit outputs are the round-to-nearest-even of the f32 value (docs/ALGORITHMS.md §4).
 * kernels/structured.cl instantiates CLINIT_FILL_KERNEL too (host/dispatch.c's clinit_enqueue_runs launches
 * both). */

/* p is host/internal.h's clinit_resolved.p; method its truncated-normal plan; q the extra integer parameters of
 * the run kernels that need them (kernels/structured.cl), unused here. */
inline float4 clinit_gen_constant(ulong block, uint4 ks, float8 p, int method, ulong8 q)
{
    return (float4)(p.s0);
}

/* [p0, p1) clamped to [p6, p7] */
inline float4 clinit_gen_uniform(ulong block, uint4 ks, float8 p, int method, ulong8 q)
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
inline float4 clinit_gen_normal(ulong block, uint4 ks, float8 p, int method, ulong8 q)
{
    return p.s0 + p.s1 * clinit_block_normals(block, ks);
}

/* mean p0, std p1, plan (method, p2..p5), clamped to [p6, p7]. The normal plan starts from the element's
 * ordinary normal value, so a far window gives exactly the normal fill's bits. */
inline float4 clinit_gen_truncnorm(ulong block, uint4 ks, float8 p, int method, ulong8 q)
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

/* The 64 values of 16 consecutive blocks, word w of every block in vector v_w (lane l = block0 + l): the
 * same values the scalar generators give for each block, for the CPU path (CLINIT_ITEM_BLOCKS == 16). */
inline void clinit_gen16_constant(ulong block0, uint4 ks, float8 p, int method, ulong8 q, float16 *v)
{
    v[0] = v[1] = v[2] = v[3] = (float16)(p.s0);
}

inline void clinit_gen16_uniform(ulong block0, uint4 ks, float8 p, int method, ulong8 q, float16 *v)
{
    uint16 x[4];
    clinit_philox16(block0, ks, x);
    for (int w = 0; w < 4; w++)
        v[w] = clinit_uniform_of16(x[w], (float16)(p.s0), (float16)(p.s1), (float16)(p.s6), (float16)(p.s7));
}

/* Four standard normals per lane from Philox words x: r·cos θ, r·sin θ of (x0, x1), then of (x2, x3). */
inline void clinit_normals16(const uint16 *x, float16 *z)
{
    clinit_normal_pair16(x[0], x[1], &z[0], &z[1]);
    clinit_normal_pair16(x[2], x[3], &z[2], &z[3]);
}

inline void clinit_block_normals16(ulong block0, uint4 ks, float16 *z)
{
    uint16 x[4];
    clinit_philox16(block0, ks, x);
    clinit_normals16(x, z);
}

inline void clinit_gen16_normal(ulong block0, uint4 ks, float8 p, int method, ulong8 q, float16 *v)
{
    clinit_block_normals16(block0, ks, v);
    for (int w = 0; w < 4; w++) v[w] = p.s0 + p.s1 * v[w];
}

/* The 64 values of 16 blocks in element order (element 4l + w is v[w] lane l): a 4 × 16 transpose in
 * eight shuffles, then four contiguous 16-element stores. */
inline void clinit_interleave64(const float16 *v, float16 *o)
{
    const uint16 lo = (uint16)(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const uint16 hi = lo + (uint16)(8);
    float16 a0 = shuffle2(v[0], v[1], lo), a1 = shuffle2(v[0], v[1], hi);
    float16 b0 = shuffle2(v[2], v[3], lo), b1 = shuffle2(v[2], v[3], hi);
    const uint16 plo = (uint16)(0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    const uint16 phi = plo + (uint16)(8);
    o[0] = shuffle2(a0, b0, plo);
    o[1] = shuffle2(a0, b0, phi);
    o[2] = shuffle2(a1, b1, plo);
    o[3] = shuffle2(a1, b1, phi);
}

/* Under the normal plan most block normals fall inside the window; a lane outside it (and every lane under
 * the other plans) is redone by the scalar clinit_truncnorm_z, lane by lane with constant lane numbers so
 * that the vectors never go through private arrays (slow on PoCL). Same values as the scalar kernels. */
#define CLINIT_TN_LANE(z, m, w, l)                                                                          \
    if (m.s##l)                                                                                             \
        z.s##l = clinit_truncnorm_z(z.s##l, base + 4 * 0x##l + (w), ks.x, ks.y, ks.z, ks.w, method, p.s2, p.s3, \
                                    p.s4, p.s5);
#define CLINIT_TN_LANES(z, m, w)                                                                            \
    CLINIT_TN_LANE(z, m, w, 0) CLINIT_TN_LANE(z, m, w, 1) CLINIT_TN_LANE(z, m, w, 2) CLINIT_TN_LANE(z, m, w, 3) \
    CLINIT_TN_LANE(z, m, w, 4) CLINIT_TN_LANE(z, m, w, 5) CLINIT_TN_LANE(z, m, w, 6) CLINIT_TN_LANE(z, m, w, 7) \
    CLINIT_TN_LANE(z, m, w, 8) CLINIT_TN_LANE(z, m, w, 9) CLINIT_TN_LANE(z, m, w, a) CLINIT_TN_LANE(z, m, w, b) \
    CLINIT_TN_LANE(z, m, w, c) CLINIT_TN_LANE(z, m, w, d) CLINIT_TN_LANE(z, m, w, e) CLINIT_TN_LANE(z, m, w, f)

inline void clinit_gen16_truncnorm(ulong block0, uint4 ks, float8 p, int method, ulong8 q, float16 *v)
{
    ulong base = block0 << 2;
    if (method == CLINIT_TN_NORMAL) clinit_block_normals16(block0, ks, v);
    for (int w = 0; w < 4; w++) {
        float16 z = method == CLINIT_TN_NORMAL ? v[w] : (float16)(0.0f);
        int16 m = method == CLINIT_TN_NORMAL ? !(z >= p.s2 && z <= p.s3) : (int16)(-1);
        if (any(m)) {
            CLINIT_TN_LANES(z, m, w)
        }
        v[w] = clinit_clamp16(p.s0 + p.s1 * z, (float16)(p.s6), (float16)(p.s7));
    }
}

/* clinit_gen16_DIST from the scalar generator, block by block, for generators without a vector form. */
#define CLINIT_GEN16_FROM_SCALAR(DIST)                                                                       \
    inline void clinit_gen16_##DIST(ulong block0, uint4 ks, float8 p, int method, ulong8 q, float16 *v)       \
    {                                                                                                        \
        float w[4][16];                                                                                      \
        for (int l = 0; l < 16; l++) {                                                                       \
            float4 b = clinit_gen_##DIST(block0 + (ulong)l, ks, p, method, q);                               \
            w[0][l] = b.s0, w[1][l] = b.s1, w[2][l] = b.s2, w[3][l] = b.s3;                                  \
        }                                                                                                    \
        for (int k = 0; k < 4; k++) v[k] = vload16(0, w[k]);                                                 \
    }

/* bfloat16 of sixteen floats, as clinit_bf16_of. */
inline ushort16 clinit_bf16_of16(float16 f)
{
    uint16 b = as_uint16(f);
    uint16 r = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
    return convert_ushort16(select(r, (b >> 16) | 0x0040u, (b & 0x7fffffffu) > 0x7f800000u));
}

/* IEEE binary16 bits of sixteen floats, rounded to nearest even exactly as vstore_half_rte and host/dtype.c's
 * clinit_f16_bits: NaN gives a quiet NaN, magnitudes from 65520 up give infinity, and below 2^-14 the
 * subnormal m·2^-24 has m = |f|·2^24 converted to an integer with round to nearest even (an exact product).
 * Written out because PoCL 3.1 compiles vstore_half16_rte, in some kernels, into 32-byte aligned stores,
 * which fault where the 16 halves do not start on a 32-byte boundary; ushort16 stores do not. Aligned
 * destinations keep PoCL's faster conversion (CLINIT_STORE16_f16).
 * test_dtypes compares it with vstore_half_rte over 243 million floats. */
inline ushort16 clinit_f16_of16(float16 f)
{
    uint16 b = as_uint16(f);
    uint16 a = b & 0x7fffffffu;
    uint16 h = (a - 0x38000000u) >> 13; /* rebias 127 → 15, keep 10 bits (meaningful from 2^-14 up) */
    uint16 rem = a & 0x1fffu;
    h += select((uint16)(0), (uint16)(1), rem > 0x1000u || (rem == 0x1000u && (h & 1u) != 0));
    uint16 sub = convert_uint16_rte(as_float16(a) * 0x1p24f);
    h = select(h, sub, a < 0x38800000u);
    h = select(h, (uint16)(0x7c00u), a >= 0x477ff000u);
    h = select(h, (uint16)(0x7e00u), a > 0x7f800000u);
    return convert_ushort16(h | ((b >> 16) & 0x8000u));
}

/* bfloat16 of four floats, as clinit_bf16_of. */
inline ushort4 clinit_bf16_of4(float4 f)
{
    uint4 b = as_uint4(f);
    uint4 r = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
    return convert_ushort4(select(r, (b >> 16) | 0x0040u, (b & 0x7fffffffu) > 0x7f800000u));
}

/* Stores per dtype: four values at out[i..i+3], or one value at out[i]. vstore_half*_rte needs no
 * cl_khr_fp16 (a half pointer may be declared without it). */
#define CLINIT_STORE4_f32(v, out, i) vstore4((v), 0, (out) + (i))
#define CLINIT_STORE1_f32(v, out, i) ((out)[i] = (v))
#define CLINIT_STORE16_f32(v, out, i) vstore16((v), 0, (out) + (i))
/* 16 halves: PoCL's own conversion (F16C) where the address is 32-byte aligned, as vstorea_half16 requires,
 * clinit_f16_of16 elsewhere (see there). */
#define CLINIT_STORE16_f16(v, out, i)                                                                        \
    do {                                                                                                     \
        __global half *p16_ = (out) + (i);                                                                   \
        if (((ulong)p16_ & 31) == 0) vstorea_half16_rte((v), 0, p16_);                                      \
        else vstore16(clinit_f16_of16(v), 0, (__global ushort *)p16_);                                      \
    } while (0)
#define CLINIT_STORE16_bf16(v, out, i) vstore16(clinit_bf16_of16(v), 0, (out) + (i))
#define CLINIT_STORE4_f16(v, out, i) vstore_half4_rte((v), 0, (out) + (i))
#define CLINIT_STORE1_f16(v, out, i) vstore_half_rte((v), 0, (out) + (i))
#define CLINIT_STORE4_bf16(v, out, i) vstore4(clinit_bf16_of4(v), 0, (out) + (i))
#define CLINIT_STORE1_bf16(v, out, i) ((out)[i] = clinit_bf16_of(v))
/* Four values at out[i..i+3] where that address is a multiple of the four values' size: vstore4 may assume
 * only element alignment, and a GPU compiler may then emit four scalar stores where one vector store writes
 * whole memory sectors (the store kernel of `clinit bench` writes float4). */
#define CLINIT_STORE4A_f32(v, out, i) (*(__global float4 *)((out) + (i)) = (v))
#define CLINIT_STORE4A_f16(v, out, i) vstorea_half4_rte((v), 0, (out) + (i))
#define CLINIT_STORE4A_bf16(v, out, i) (*(__global ushort4 *)((out) + (i)) = clinit_bf16_of4(v))


/* The blocks of work-item `item` (counted from the run's first block) of the run [first, last) of logical
 * indices, whose element `first` goes to out[row_offset]: CLINIT_ITEM_BLOCKS consecutive blocks, one 16-block
 * vector step on CPUs when they all lie inside the run; or, when `stride` is not 0 (the grid-stride shape,
 * CLINIT_ITEM_STRIDE), blocks item, item + stride, item + 2·stride, … to the end of the run. Needs ks, p,
 * method and q in scope; returns from the kernel when done. Shared by the run kernels below and the batch
 * kernels (kernels/batch.cl). */
#define CLINIT_FILL_ITEM(DIST, DTYPE, T, out, first, last, row_offset, item, stride)                         \
    {                                                                                                        \
        ulong first_ = (first), last_ = (last), offset_ = (row_offset);                                      \
        ulong block = (first_ >> 2) + (item) * CLINIT_ITEM_BLOCKS;                                           \
        ulong block_end = (last_ + 3) >> 2;                                                                  \
        __global T *row_out = (out) + offset_;                                                               \
        /* cl_mem bases are aligned far beyond 16 bytes, and e below is a multiple of 4 */                   \
        int aligned = ((offset_ - first_) & 3) == 0;                                                         \
        if (CLINIT_ITEM_BLOCKS == 16 && !(stride) && (block << 2) >= first_ && ((block + 16) << 2) <= last_) { \
            float16 v[4];                                                                                    \
            clinit_gen16_##DIST(block, ks, p, method, q, v);                                                 \
            float16 o[4];                                                                                    \
            clinit_interleave64(v, o);                                                                       \
            CLINIT_STORE16_##DTYPE(o[0], row_out, ((block << 2) - first_) + 0);                              \
            CLINIT_STORE16_##DTYPE(o[1], row_out, ((block << 2) - first_) + 16);                             \
            CLINIT_STORE16_##DTYPE(o[2], row_out, ((block << 2) - first_) + 32);                             \
            CLINIT_STORE16_##DTYPE(o[3], row_out, ((block << 2) - first_) + 48);                             \
            return;                                                                                          \
        }                                                                                                    \
        ulong stride_ = (stride);                                                                            \
        if (stride_) block = (first_ >> 2) + (item);                                                         \
        for (int k = 0; stride_ || k < CLINIT_ITEM_BLOCKS; k++, block += stride_ ? stride_ : 1) {            \
            if (block >= block_end) return;                                                                  \
            float4 v = clinit_gen_##DIST(block, ks, p, method, q);                                           \
            ulong e = block << 2;                                                                            \
            if (e >= first_ && e + 4 <= last_) {                                                             \
                if (aligned)                                                                                 \
                    CLINIT_STORE4A_##DTYPE(v, row_out, e - first_);                                          \
                else                                                                                         \
                    CLINIT_STORE4_##DTYPE(v, row_out, e - first_);                                           \
            } else {                                                                                         \
                if (e + 0 >= first_ && e + 0 < last_) CLINIT_STORE1_##DTYPE(v.s0, row_out, e + 0 - first_);  \
                if (e + 1 >= first_ && e + 1 < last_) CLINIT_STORE1_##DTYPE(v.s1, row_out, e + 1 - first_);  \
                if (e + 2 >= first_ && e + 2 < last_) CLINIT_STORE1_##DTYPE(v.s2, row_out, e + 2 - first_);  \
                if (e + 3 >= first_ && e + 3 < last_) CLINIT_STORE1_##DTYPE(v.s3, row_out, e + 3 - first_);  \
            }                                                                                                \
        }                                                                                                    \
    }

#define CLINIT_FILL_KERNEL(DIST, DTYPE, T)                                                                   \
    __kernel void clinit_fill_##DIST##_##DTYPE(__global T *out, ulong out_offset, ulong run_len, ulong rows, \
                                               ulong row0, ulong item0, ulong run_base, ulong8 ostart,       \
                                               ulong8 oext, ulong8 ostride, uint4 ks, float8 p, int method,  \
                                               ulong8 q)                                                     \
    {                                                                                                        \
        ulong row = row0 + get_global_id(1);                                                                 \
        if (row >= rows) return;                                                                             \
        ulong first = clinit_row_start(row, run_base, ostart, oext, ostride);                                \
        ulong last = first + run_len; /* exclusive */                                                        \
        ulong row_offset = out_offset + row * run_len;                                                       \
        CLINIT_FILL_ITEM(DIST, DTYPE, T, out, first, last, row_offset, item0 + get_global_id(0),             \
                         CLINIT_ITEM_STRIDE ? get_global_size(0) : 0)                                        \
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
