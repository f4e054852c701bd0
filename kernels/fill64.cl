/* f64 fills (docs/ALGORITHMS.md §4, "f64"), built only where the device has cl_khr_fp64: the host creates
 * these kernels only on such devices. A Philox block gives two f64 elements (two words each): element i
 * uses block i >> 1. Geometry and launch shape as kernels/fill.cl, with blocks of two elements. */
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable

/* p is host/internal.h's clinit_resolved.p64; q the extra integer parameters of the run kernels that need them
 * (kernels/structured.cl), unused here. */
inline double2 clinit_gen64_constant(ulong block, uint4 ks, double8 p, int method, ulong8 q)
{
    return (double2)(p.s0);
}

/* [p0, p1) clamped to [p0, p7], p7 the double below p1 */
inline double2 clinit_gen64_uniform(ulong block, uint4 ks, double8 p, int method, ulong8 q)
{
    uint4 x = clinit_philox_block(block, ks);
    return (double2)(clinit_uniform_64(x.s0, x.s1, p.s0, p.s1, p.s7), clinit_uniform_64(x.s2, x.s3, p.s0, p.s1, p.s7));
}

inline double2 clinit_block_normals64(ulong block, uint4 ks)
{
    uint4 x = clinit_philox_block(block, ks);
    double zc, zs;
    clinit_normal_pair64(x.s0, x.s1, x.s2, x.s3, &zc, &zs);
    return (double2)(zc, zs);
}

inline double2 clinit_gen64_normal(ulong block, uint4 ks, double8 p, int method, ulong8 q)
{
    return p.s0 + p.s1 * clinit_block_normals64(block, ks);
}

/* mean p0, std p1, plan (method, p2..p5), clamped to [p6, p7] */
inline double2 clinit_gen64_truncnorm(ulong block, uint4 ks, double8 p, int method, ulong8 q)
{
    double2 z = method == CLINIT_TN_NORMAL ? clinit_block_normals64(block, ks) : (double2)(0.0);
    ulong i = block << 1;
    z.s0 = clinit_truncnorm_z64(z.s0, i + 0, ks.x, ks.y, ks.z, ks.w, method, p.s2, p.s3, p.s4, p.s5);
    z.s1 = clinit_truncnorm_z64(z.s1, i + 1, ks.x, ks.y, ks.z, ks.w, method, p.s2, p.s3, p.s4, p.s5);
    double2 v = p.s0 + p.s1 * z;
    return (double2)(clinit_clamp64(v.s0, p.s6, p.s7), clinit_clamp64(v.s1, p.s6, p.s7));
}

#define CLINIT_FILL64_KERNEL(DIST)                                                                          \
    __kernel void clinit_fill64_##DIST(__global double *out, ulong out_offset, ulong run_len, ulong rows,   \
                                       ulong row0, ulong item0, ulong run_base, ulong8 ostart, ulong8 oext, \
                                       ulong8 ostride, uint4 ks, double8 p, int method, ulong8 q)           \
    {                                                                                                       \
        ulong row = row0 + get_global_id(1);                                                                \
        if (row >= rows) return;                                                                            \
        ulong first = clinit_row_start(row, run_base, ostart, oext, ostride);                               \
        ulong last = first + run_len; /* exclusive */                                                       \
        ulong block = (first >> 1) + (item0 + get_global_id(0)) * CLINIT_ITEM_BLOCKS;                       \
        ulong block_end = (last + 1) >> 1;                                                                  \
        ulong row_offset = out_offset + row * run_len;                                                      \
        __global double *row_out = out + row_offset;                                                        \
        int aligned = ((row_offset - first) & 1) == 0; /* e below is even */                                \
        ulong step = CLINIT_ITEM_STRIDE ? get_global_size(0) : 1; /* the grid-stride shape: common.cl */     \
        for (int k = 0; CLINIT_ITEM_STRIDE || k < CLINIT_ITEM_BLOCKS; k++, block += step) {                 \
            if (block >= block_end) return;                                                                 \
            double2 v = clinit_gen64_##DIST(block, ks, p, method, q);                                       \
            ulong e = block << 1;                                                                           \
            if (e >= first && e + 2 <= last) {                                                              \
                if (aligned)                                                                                \
                    *(__global double2 *)(row_out + (e - first)) = v;                                       \
                else                                                                                        \
                    vstore2(v, 0, row_out + (e - first));                                                   \
            } else {                                                                                        \
                if (e + 0 >= first && e + 0 < last) row_out[e + 0 - first] = v.s0;                          \
                if (e + 1 >= first && e + 1 < last) row_out[e + 1 - first] = v.s1;                          \
            }                                                                                               \
        }                                                                                                   \
    }

CLINIT_FILL64_KERNEL(constant)
CLINIT_FILL64_KERNEL(uniform)
CLINIT_FILL64_KERNEL(normal)
CLINIT_FILL64_KERNEL(truncnorm)

#endif /* the macro stays defined for kernels/structured.cl */
