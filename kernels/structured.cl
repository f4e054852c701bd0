/* eye, dirac and sparse (docs/ALGORITHMS.md §4, "eye, dirac, sparse"): fill.cl's run kernel with a generator
 * that reads the element's position from its logical index (kernels/structured.h, shared with the host
 * reference). method is CLINIT_STRUCT_DIAGONAL or CLINIT_STRUCT_SPARSE; q holds the integers of the pattern:
 *   diagonal (eye, dirac)  q0 = n0, q1 = n1, q2 = per, q3 = centre, q4 = io; the value p0 on the pattern
 *   sparse                 q0 = rows, q1 = cols, q2 = count, q3 = h; p1 = std
 * f64 outputs (kernels/fill64.cl's run kernel, two elements per Philox block): the same patterns, with the f64
 * normal fill's value of the element for sparse. */

inline float4 clinit_gen_structured(ulong block, uint4 ks, float8 p, int method, ulong8 q)
{
    ulong i = block << 2;
    if (method == CLINIT_STRUCT_DIAGONAL) {
        return (float4)(clinit_diagonal_hit(i + 0, q.s0, q.s1, q.s2, q.s3, q.s4) ? p.s0 : 0.0f,
                        clinit_diagonal_hit(i + 1, q.s0, q.s1, q.s2, q.s3, q.s4) ? p.s0 : 0.0f,
                        clinit_diagonal_hit(i + 2, q.s0, q.s1, q.s2, q.s3, q.s4) ? p.s0 : 0.0f,
                        clinit_diagonal_hit(i + 3, q.s0, q.s1, q.s2, q.s3, q.s4) ? p.s0 : 0.0f);
    }
    /* std times the normal fill's standard normal of the element, or 0 */
    float4 v = p.s1 * clinit_block_normals(block, ks);
    int h = (int)q.s3;
    return (float4)(clinit_sparse_zero(i + 0, q.s0, q.s1, q.s2, h, ks.x, ks.y, ks.z, ks.w) ? 0.0f : v.s0,
                    clinit_sparse_zero(i + 1, q.s0, q.s1, q.s2, h, ks.x, ks.y, ks.z, ks.w) ? 0.0f : v.s1,
                    clinit_sparse_zero(i + 2, q.s0, q.s1, q.s2, h, ks.x, ks.y, ks.z, ks.w) ? 0.0f : v.s2,
                    clinit_sparse_zero(i + 3, q.s0, q.s1, q.s2, h, ks.x, ks.y, ks.z, ks.w) ? 0.0f : v.s3);
}

/* The CPU kernels' 16-block path (kernels/fill.cl) runs the scalar generator block by block. */
CLINIT_GEN16_FROM_SCALAR(structured)

CLINIT_FILL_KERNEL(structured, f32, float)
CLINIT_FILL_KERNEL(structured, f16, half)
CLINIT_FILL_KERNEL(structured, bf16, ushort)

#ifdef cl_khr_fp64
inline double2 clinit_gen64_structured(ulong block, uint4 ks, double8 p, int method, ulong8 q)
{
    ulong i = block << 1;
    if (method == CLINIT_STRUCT_DIAGONAL) {
        return (double2)(clinit_diagonal_hit(i + 0, q.s0, q.s1, q.s2, q.s3, q.s4) ? p.s0 : 0.0,
                         clinit_diagonal_hit(i + 1, q.s0, q.s1, q.s2, q.s3, q.s4) ? p.s0 : 0.0);
    }
    double2 v = p.s1 * clinit_block_normals64(block, ks);
    int h = (int)q.s3;
    return (double2)(clinit_sparse_zero(i + 0, q.s0, q.s1, q.s2, h, ks.x, ks.y, ks.z, ks.w) ? 0.0 : v.s0,
                     clinit_sparse_zero(i + 1, q.s0, q.s1, q.s2, h, ks.x, ks.y, ks.z, ks.w) ? 0.0 : v.s1);
}

CLINIT_FILL64_KERNEL(structured)
#endif
