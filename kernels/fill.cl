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
    /* Unrolled by hand: PoCL keeps v in memory through a loop, and the transpose then reads it back. */
#define CLINIT_UNIFORM_W(w) \
    v[w] = clinit_uniform_of16(x[w], (float16)(p.s0), (float16)(p.s1), (float16)(p.s6), (float16)(p.s7))
    CLINIT_UNIFORM_W(0);
    CLINIT_UNIFORM_W(1);
    CLINIT_UNIFORM_W(2);
    CLINIT_UNIFORM_W(3);
#undef CLINIT_UNIFORM_W
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
    v[0] = p.s0 + p.s1 * v[0]; /* unrolled by hand, as in clinit_gen16_uniform */
    v[1] = p.s0 + p.s1 * v[1];
    v[2] = p.s0 + p.s1 * v[2];
    v[3] = p.s0 + p.s1 * v[3];
}

/* The 64 values of 16 blocks in element order (element 4l + w is v[w] lane l): a 4 × 16 transpose in
 * eight two-source shuffles, then four contiguous 16-element stores. */
#define CLINIT_SHUFFLE_LO(a, b) CLINIT_SHUFFLE16(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define CLINIT_SHUFFLE_HI(a, b) CLINIT_SHUFFLE16(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
#define CLINIT_SHUFFLE_PLO(a, b) CLINIT_SHUFFLE16(a, b, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23)
#define CLINIT_SHUFFLE_PHI(a, b) CLINIT_SHUFFLE16(a, b, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31)
inline void clinit_interleave64(const float16 *v, float16 *o)
{
    float16 a0 = CLINIT_SHUFFLE_LO(v[0], v[1]), a1 = CLINIT_SHUFFLE_HI(v[0], v[1]);
    float16 b0 = CLINIT_SHUFFLE_LO(v[2], v[3]), b1 = CLINIT_SHUFFLE_HI(v[2], v[3]);
    o[0] = CLINIT_SHUFFLE_PLO(a0, b0);
    o[1] = CLINIT_SHUFFLE_PHI(a0, b0);
    o[2] = CLINIT_SHUFFLE_PLO(a1, b1);
    o[3] = CLINIT_SHUFFLE_PHI(a1, b1);
}

/* clinit_truncnorm_z for 16 elements at once: lane l is element (ihi[l] << 32) | ilo[l]; only the lanes m
 * (true: −1) are computed, starting from draw 1 with last[l] as the candidate to clamp if no draw is
 * accepted (the block normal under the normal plan, 0 under the others). Each lane takes its first accepted
 * candidate in clinit_truncnorm_z's order, so the values are the scalar function's: a lane's draws do not
 * depend on the other lanes, and the math is the same template. */
inline float16 clinit_truncnorm_z16(uint16 ilo, uint16 ihi, int16 m, float16 last, uint4 ks, int method, float c0,
                                    float c1, float c2, float c3)
{
    float16 z = last;
#define CLINIT_TN_TAKE(cand, ok)                  \
    {                                             \
        int16 take_ = m & (ok);                   \
        z = select(z, (cand), take_);             \
        m &= ~take_;                              \
    }
    for (uint d = 1; d <= CLINIT_TN_DRAWS && any(m); d++) {
        uint16 x[4];
        clinit_philox16_ctr(ilo, (uint16)(d << 24) | ihi, (uint16)(ks.z), (uint16)(ks.w), ks.x, ks.y, x);
        if (method == CLINIT_TN_NORMAL) {
            float16 c[4];
            clinit_normals16(x, c);
            CLINIT_TN_TAKE(c[0], c[0] >= c0 && c[0] <= c1)
            CLINIT_TN_TAKE(c[1], c[1] >= c0 && c[1] <= c1)
            CLINIT_TN_TAKE(c[2], c[2] >= c0 && c[2] <= c1)
            CLINIT_TN_TAKE(c[3], c[3] >= c0 && c[3] <= c1)
            last = c[3];
        } else {
            for (int h = 0; h < 4; h += 2) {
                float16 ua = clinit_u01_of16(x[h]), lb = clinit_log_u0116(clinit_u01_of16(x[h + 1]));
                if (method == CLINIT_TN_UNIFORM) {
                    float16 v = (float16)(c0) + (float16)(c1 - c0) * ua;
                    v = select(v, (float16)(c1), v > c1);
                    CLINIT_TN_TAKE(v, lb <= ((float16)(c2) - v * v) * 0.5f)
                    last = v;
                } else {
                    float16 v = (float16)(c0) - clinit_log_u0116(ua) * c3;
                    float16 dv = v - c2;
                    float16 sign = method == CLINIT_TN_EXP_LOWER ? (float16)(-1.0f) : (float16)(1.0f);
                    CLINIT_TN_TAKE(sign * v, v <= c1 && lb <= -0.5f * dv * dv)
                    last = sign * select(v, (float16)(c1), v > c1);
                }
            }
        }
    }
#undef CLINIT_TN_TAKE
    float16 fallback = method == CLINIT_TN_EXP_LOWER ? last : clinit_clamp16(last, (float16)(c0), (float16)(c1));
    return select(z, fallback, m);
}

/* Bit l set where lane l of m is true. */
inline uint clinit_lane_bits16(int16 m)
{
    uint16 b = as_uint16(m) & (uint16)(1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 512u, 1024u, 2048u, 4096u, 8192u,
                                       16384u, 32768u);
    uint8 a = b.lo | b.hi;
    uint4 c = a.lo | a.hi;
    uint2 e = c.lo | c.hi;
    return e.x | e.y;
}

/* Truncated normal of 16 blocks. Under the normal plan about one block normal in twenty falls outside the
 * window (±2σ: 4.6 %), so nearly every work-item has a few among its 64: those are gathered, 16 at a time,
 * into the lanes of one clinit_truncnorm_z16 (redrawing all 64 lanes of a word for one outlier made the
 * kernel three times slower than the normal one). Under the other plans all 64 elements draw. Element
 * 4l + w is v[w] lane l; bit 16w + l of `pending` stands for it. */
inline void clinit_gen16_truncnorm(ulong block0, uint4 ks, float8 p, int method, ulong8 q, float16 *v)
{
    ulong base = block0 << 2;
    ulong pending = ~0ul;
    if (method == CLINIT_TN_NORMAL) {
        clinit_block_normals16(block0, ks, v);
        pending = 0;
        for (int w = 0; w < 4; w++) pending |= (ulong)clinit_lane_bits16(!(v[w] >= p.s2 && v[w] <= p.s3)) << (16 * w);
    } else {
        v[0] = v[1] = v[2] = v[3] = (float16)(0.0f);
    }
    if (pending) {
        float t[64]; /* v, word-major: t[16w + l] */
        for (int w = 0; w < 4; w++) vstore16(v[w], 0, t + 16 * w);
        while (pending) {
            uint lo[16], hi[16];
            int at[16];
            int n = 0;
            for (; n < 16 && pending; n++) {
                int j = 63 - (int)clz(pending & (0ul - pending)); /* the lowest set bit */
                pending &= pending - 1;
                ulong i = base + 4 * (ulong)(j & 15) + (ulong)(j >> 4);
                lo[n] = (uint)i, hi[n] = (uint)(i >> 32), at[n] = j;
            }
            for (int k = n; k < 16; k++) lo[k] = hi[k] = 0, at[k] = at[0];
            int16 m = (int16)(n) > (int16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            float last[16];
            for (int k = 0; k < 16; k++) last[k] = t[at[k]];
            float r[16];
            vstore16(clinit_truncnorm_z16(vload16(0, lo), vload16(0, hi), m, vload16(0, last), ks, method, p.s2,
                                          p.s3, p.s4, p.s5),
                     0, r);
            for (int k = 0; k < n; k++) t[at[k]] = r[k];
        }
        for (int w = 0; w < 4; w++) v[w] = vload16(0, t + 16 * w);
    }
    for (int w = 0; w < 4; w++) v[w] = clinit_clamp16(p.s0 + p.s1 * v[w], (float16)(p.s6), (float16)(p.s7));
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
/* 16 values: one vector store where the address is aligned to the whole vector (the usual case: a tensor
 * that starts on a 64-element boundary), vstore16 elsewhere, which PoCL 3.1 compiles into 16 scalar stores
 * for 2-byte elements (it made bf16 three times slower than f32). */
#define CLINIT_STORE16_ALIGNED(VT, v, out, i)                                                                \
    do {                                                                                                     \
        __global VT *p16_ = (__global VT *)((out) + (i));                                                    \
        if (((ulong)p16_ & (sizeof(VT) - 1)) == 0) *p16_ = (v);                                              \
        else vstore16((v), 0, (out) + (i));                                                                  \
    } while (0)
#define CLINIT_STORE16_f32(v, out, i) CLINIT_STORE16_ALIGNED(float16, (v), (out), (i))
/* 16 halves: PoCL's own conversion (F16C) where the address is 32-byte aligned, as vstorea_half16 requires,
 * clinit_f16_of16 elsewhere (see there). */
#define CLINIT_STORE16_f16(v, out, i)                                                                        \
    do {                                                                                                     \
        __global half *p16_ = (out) + (i);                                                                   \
        if (((ulong)p16_ & 31) == 0) vstorea_half16_rte((v), 0, p16_);                                      \
        else vstore16(clinit_f16_of16(v), 0, (__global ushort *)p16_);                                      \
    } while (0)
#define CLINIT_STORE16_bf16(v, out, i) CLINIT_STORE16_ALIGNED(ushort16, clinit_bf16_of16(v), (out), (i))
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
