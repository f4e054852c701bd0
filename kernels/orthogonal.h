/*
 * Orthogonal and delta-orthogonal (docs/ALGORITHMS.md §4, "orthogonal and delta_orthogonal"): Householder QR
 * of a Gaussian matrix and one compensated correction step, written once and compiled four times: for f32 and
 * for f64, each as OpenCL C in kernels/orthogonal.cl and as C11 in the host reference (host/orthogonal.c),
 * like kernels/generate.h and generate64.h (which come first). Only correctly rounded +, −, × and comparisons
 * of the real type appear, with contraction into FMA off on both sides, and every sum has a fixed order that
 * depends only on its length — never on the work-group size or the number of work-items, since one work-item
 * computes a whole sum. Where the OpenCL side uses vectors (ci_orth_gram_entry, ci_orth_correct) each
 * vector lane is one of the scalar partial sums written out for C, operation for operation. So device and host
 * agree bit for bit.
 *
 * The precision is chosen by a prelude, kernels/orthogonal_f32.h or orthogonal_f64.h, and ended by
 * kernels/orthogonal_end.h (the device program concatenates prelude, this file, orthogonal.cl, end, twice;
 * the host includes prelude, this file, end, twice). The prelude defines
 *   CLINIT_ORTH_T, _T8, _T16        the real type (float, double) and its 8- and 16-lane vectors
 *   CLINIT_ORTH_T8U, _T16U          (OpenCL) those vectors at the real's own alignment (orthogonal_common.h)
 *   CLINIT_ORTH(name)               the instance's name of a function: ci_orth_name for f32, ci_orth64_name
 *                                   for f64
 *   CLINIT_ORTH_KERNEL(name)        (OpenCL) the name of a kernel: clinit_orth_name, clinit_orth64_name
 *   CLINIT_ORTH_LIT(x)              the literal x in the real type (0.5f, 0.5)
 *   CLINIT_ORTH_RSQRT_SEED(w), _STEPS   the bit-level estimate of 1/√w and its number of Newton steps
 *   CLINIT_ORTH_PER_BLOCK           Gaussian elements per Philox block under the dtype's normal rule (4, 2)
 *   CLINIT_ORTH_BLOCK_NORMALS(blk, seed, stream, gen, z)   (OpenCL) those elements of block blk into z[], under
 *                                   generation gen
 *   CLINIT_ORTH_WORD_NORMALS(x, gen, z)  (host) the same from the block's four Philox words x[]
 *   CLINIT_ORTH_STORE_KERNELS       (OpenCL) the store kernels of orthogonal.cl to instantiate
 * and leaves them undefined where the device has no such type (f64 without cl_khr_fp64): then the instance is
 * empty.
 *
 * Buffers: W holds the m × n working matrix M (m ≥ n) column-major (column j at W + j·m), then the n column
 * signs D[j] = sign(R_jj) ∈ {−1, +1} at W + m·n; E (n × n, symmetric) receives QᵀQ − I; Q2 (m × n,
 * column-major) the corrected Q. All three hold reals of the instance's type.
 */
#include "orthogonal_common.h"

#ifdef CLINIT_ORTH_T

/* 8 and 16 reals at element alignment: one unaligned vector access under clang (kernels/orthogonal_common.h) */
#if defined(__OPENCL_VERSION__) && defined(__clang__)
#define CLINIT_ORTH_LOAD8(p) (*(const __global CLINIT_ORTH_T8U *)(p))
#define CLINIT_ORTH_STORE8(v, p) (*(__global CLINIT_ORTH_T8U *)(p) = (v))
#define CLINIT_ORTH_LOAD16(p) (*(const __global CLINIT_ORTH_T16U *)(p))
#define CLINIT_ORTH_STORE16(v, p) (*(__global CLINIT_ORTH_T16U *)(p) = (v))
#else
#define CLINIT_ORTH_LOAD8(p) vload8(0, (p))
#define CLINIT_ORTH_STORE8(v, p) vstore8((v), 0, (p))
#define CLINIT_ORTH_LOAD16(p) vload16(0, (p))
#define CLINIT_ORTH_STORE16(v, p) vstore16((v), 0, (p))
#endif

/* Σ a[i]·b[i] over i < len in a fixed order: eight partial sums s_l, lane l taking the elements i ≡ l (mod 8)
 * in increasing i, then ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)). The OpenCL side runs the full groups
 * of eight as an 8-lane vector (lane l = element l). */
static inline CLINIT_ORTH_T CLINIT_ORTH(dot)(const CLINIT_GLOBAL CLINIT_ORTH_T *a, const CLINIT_GLOBAL CLINIT_ORTH_T *b,
                                             ci_u64 len)
{
    CLINIT_ORTH_T s[8];
    ci_u64 i = 0, full = len & ~(ci_u64)7;
#ifdef __OPENCL_VERSION__
    CLINIT_ORTH_T8 sv = (CLINIT_ORTH_T8)(CLINIT_ORTH_LIT(0.0));
    for (; i < full; i += 8) sv = sv + CLINIT_ORTH_LOAD8(a + i) * CLINIT_ORTH_LOAD8(b + i);
    vstore8(sv, 0, s);
#else
    for (int l = 0; l < 8; l++) s[l] = CLINIT_ORTH_LIT(0.0);
    for (; i < full; i += 8)
        for (int l = 0; l < 8; l++) s[l] = s[l] + a[i + l] * b[i + l];
#endif
    for (int l = 0; i + (ci_u64)l < len; l++) s[l] = s[l] + a[i + l] * b[i + l];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/* 1/√w for a positive normal w: the bit-level estimate (relative error below 3.5 %) and Newton steps
 * y ← y·(1.5 − (0.5w)·y·y), each squaring the error: three reach f32's last bit, four f64's (ci_sqrt_pos,
 * ci_sqrt_pos64); valid over the whole normal range. */
static inline CLINIT_ORTH_T CLINIT_ORTH(rsqrt)(CLINIT_ORTH_T w)
{
    CLINIT_ORTH_T y = CLINIT_ORTH_RSQRT_SEED(w);
    CLINIT_ORTH_T h = CLINIT_ORTH_LIT(0.5) * w;
    for (int k = 0; k < CLINIT_ORTH_RSQRT_STEPS; k++) y = y * (CLINIT_ORTH_LIT(1.5) - h * y * y);
    return y;
}

/* √w for a positive normal w: s = w·y, y = 1/√w (rsqrt above), and one correction s + (0.5y)(w − s·s), the
 * operations of ci_sqrt_pos. */
static inline CLINIT_ORTH_T CLINIT_ORTH(sqrt)(CLINIT_ORTH_T w)
{
    CLINIT_ORTH_T y = CLINIT_ORTH(rsqrt)(w);
    CLINIT_ORTH_T s = w * y;
    return s + (CLINIT_ORTH_LIT(0.5) * y) * (w - s * s);
}

/* x ← H x for H = I − 2uuᵀ, over len entries: w = uᵀx (dot), t = w + w, x[i] = x[i] − t·u[i]. */
static inline void CLINIT_ORTH(reflect)(const CLINIT_GLOBAL CLINIT_ORTH_T *u, CLINIT_GLOBAL CLINIT_ORTH_T *x,
                                        ci_u64 len)
{
    CLINIT_ORTH_T w = CLINIT_ORTH(dot)(u, x, len);
    CLINIT_ORTH_T t = w + w;
    ci_u64 i = 0;
#ifdef __OPENCL_VERSION__
    for (; i + 8 <= len; i += 8) CLINIT_ORTH_STORE8(CLINIT_ORTH_LOAD8(x + i) - t * CLINIT_ORTH_LOAD8(u + i), x + i);
#endif
    for (; i < len; i++) x[i] = x[i] - t * u[i];
}

/* reflect of two columns x and y by the same u, interleaved: each column's operations and their order are
 * reflect's, but the two sums run side by side, where one alone waits on its additions' latency (CPUs). */
static inline void CLINIT_ORTH(reflect2)(const CLINIT_GLOBAL CLINIT_ORTH_T *u, CLINIT_GLOBAL CLINIT_ORTH_T *x,
                                         CLINIT_GLOBAL CLINIT_ORTH_T *y, ci_u64 len)
{
#ifdef __OPENCL_VERSION__
    CLINIT_ORTH_T sx[8], sy[8];
    ci_u64 i = 0, full = len & ~(ci_u64)7;
    CLINIT_ORTH_T8 vx = (CLINIT_ORTH_T8)(CLINIT_ORTH_LIT(0.0)), vy = vx;
    for (; i < full; i += 8) {
        CLINIT_ORTH_T8 ui = CLINIT_ORTH_LOAD8(u + i);
        vx = vx + ui * CLINIT_ORTH_LOAD8(x + i);
        vy = vy + ui * CLINIT_ORTH_LOAD8(y + i);
    }
    vstore8(vx, 0, sx);
    vstore8(vy, 0, sy);
    for (int l = 0; i + (ci_u64)l < len; l++) {
        sx[l] = sx[l] + u[i + l] * x[i + l];
        sy[l] = sy[l] + u[i + l] * y[i + l];
    }
    CLINIT_ORTH_T wx = ((sx[0] + sx[1]) + (sx[2] + sx[3])) + ((sx[4] + sx[5]) + (sx[6] + sx[7]));
    CLINIT_ORTH_T wy = ((sy[0] + sy[1]) + (sy[2] + sy[3])) + ((sy[4] + sy[5]) + (sy[6] + sy[7]));
    CLINIT_ORTH_T tx = wx + wx, ty = wy + wy;
    for (i = 0; i + 8 <= len; i += 8) {
        CLINIT_ORTH_T8 ui = CLINIT_ORTH_LOAD8(u + i);
        CLINIT_ORTH_STORE8(CLINIT_ORTH_LOAD8(x + i) - tx * ui, x + i);
        CLINIT_ORTH_STORE8(CLINIT_ORTH_LOAD8(y + i) - ty * ui, y + i);
    }
    for (; i < len; i++) {
        x[i] = x[i] - tx * u[i];
        y[i] = y[i] - ty * u[i];
    }
#else
    CLINIT_ORTH(reflect)(u, x, len);
    CLINIT_ORTH(reflect)(u, y, len);
#endif
}

/* Column j of W becomes the unit Householder vector u_j of its rows j … m−1 (rows < j keep R's entries), and
 * D[j] = sign(R_jj). With x = those rows: s = Σ_{i>0} x_i², σ = s + x_0², ν = √σ; the reflector maps x to
 * α·e_0 with α = −ν for x_0 ≥ 0 and +ν otherwise; v = x − α·e_0 (v_0 = x_0 ± ν, no cancellation),
 * u = v·(1/√(s + v_0²)), D[j] = sign(α). A column with σ < CLINIT_ORTH_TINY gets u = 0 (H = I), D[j] = +1. */
static inline void CLINIT_ORTH(householder)(CLINIT_GLOBAL CLINIT_ORTH_T *W, ci_u64 m, ci_u64 n, ci_u64 j)
{
    CLINIT_GLOBAL CLINIT_ORTH_T *x = W + j * m + j;
    ci_u64 len = m - j;
    CLINIT_ORTH_T s = CLINIT_ORTH(dot)(x + 1, x + 1, len - 1);
    CLINIT_ORTH_T x0 = x[0];
    CLINIT_ORTH_T sigma = s + x0 * x0;
    if (!(sigma >= CLINIT_ORTH_TINY)) {
        for (ci_u64 i = 0; i < len; i++) x[i] = CLINIT_ORTH_LIT(0.0);
        W[m * n + j] = CLINIT_ORTH_LIT(1.0);
        return;
    }
    CLINIT_ORTH_T nu = CLINIT_ORTH(sqrt)(sigma);
    CLINIT_ORTH_T v0 = x0 >= CLINIT_ORTH_LIT(0.0) ? x0 + nu : x0 - nu;
    CLINIT_ORTH_T rs = CLINIT_ORTH(rsqrt)(s + v0 * v0);
    x[0] = v0 * rs;
    for (ci_u64 i = 1; i < len; i++) x[i] = x[i] * rs;
    W[m * n + j] = x0 >= CLINIT_ORTH_LIT(0.0) ? CLINIT_ORTH_LIT(-1.0) : CLINIT_ORTH_LIT(1.0);
}

/* Column j of W, holding u_j in rows j … m−1, becomes H_j e_j: 0 above row j, 1 − t·u_j[0] at row j and
 * (−t)·u_j[i] below, t = u_j[0] + u_j[0]. */
static inline void CLINIT_ORTH(expand)(CLINIT_GLOBAL CLINIT_ORTH_T *W, ci_u64 m, ci_u64 j)
{
    CLINIT_GLOBAL CLINIT_ORTH_T *x = W + j * m;
    for (ci_u64 i = 0; i < j; i++) x[i] = CLINIT_ORTH_LIT(0.0);
    CLINIT_ORTH_T u0 = x[j];
    CLINIT_ORTH_T t = u0 + u0;
    CLINIT_ORTH_T nt = -t;
    x[j] = CLINIT_ORTH_LIT(1.0) - t * u0;
    for (ci_u64 i = j + 1; i < m; i++) x[i] = nt * x[i];
}

/* The part of step p (0 ≤ p < n) that belongs to column j (p ≤ j < n). Phase 0 (triangularize, p = 0, 1, …,
 * n−1): apply H_{p−1} (stored in column p−1) to rows p−1 … m−1 of column j when p ≥ 1; then, for j = p,
 * compute H_p. Phase 1 (accumulate Q = H_0 ⋯ H_{n−1} [I_n; 0], p = n−1, …, 0): for j = p, expand column p to
 * H_p e_p; then apply H_{p−1} to column j when p ≥ 1. Within a step no column reads another column that the
 * step writes, so the columns may run in any order or in parallel. */
static inline void CLINIT_ORTH(column_step)(CLINIT_GLOBAL CLINIT_ORTH_T *W, ci_u64 m, ci_u64 n, ci_u64 p, ci_u64 j,
                                            int phase)
{
    if (phase == 1 && j == p) CLINIT_ORTH(expand)(W, m, j);
    if (p >= 1) CLINIT_ORTH(reflect)(W + (p - 1) * m + (p - 1), W + j * m + (p - 1), m - (p - 1));
    if (phase == 0 && j == p) CLINIT_ORTH(householder)(W, m, n, j);
}

/* One entry of QᵀQ − I: Σ a[i]·b[i] − diag over i < len (diag = 1 on the diagonal, 0 elsewhere). Each product
 * is rounded, the sum is compensated: eight lanes (i mod 8) each keep a sum s_l, updated by TwoSum, and the sum
 * c_l of its errors; then S = −diag, C = 0 and for l = 0 … 7: (S, e) = TwoSum(S, s_l), C = (C + e) + c_l; the
 * result is S + C. The OpenCL side runs the full groups of eight as 8-lane vectors (lane l = element l). */
static inline CLINIT_ORTH_T CLINIT_ORTH(gram_entry)(const CLINIT_GLOBAL CLINIT_ORTH_T *a,
                                                    const CLINIT_GLOBAL CLINIT_ORTH_T *b, ci_u64 len,
                                                    CLINIT_ORTH_T diag)
{
    CLINIT_ORTH_T s[8], c[8];
    ci_u64 i = 0, full = len & ~(ci_u64)7;
#ifdef __OPENCL_VERSION__
    CLINIT_ORTH_T8 sv = (CLINIT_ORTH_T8)(CLINIT_ORTH_LIT(0.0)), cv = sv;
    for (; i < full; i += 8) {
        CLINIT_ORTH_T8 p = CLINIT_ORTH_LOAD8(a + i) * CLINIT_ORTH_LOAD8(b + i);
        CLINIT_ORTH_T8 t = sv + p;
        CLINIT_ORTH_T8 bp = t - sv;
        cv = cv + ((sv - (t - bp)) + (p - bp));
        sv = t;
    }
    vstore8(sv, 0, s);
    vstore8(cv, 0, c);
#else
    for (int l = 0; l < 8; l++) s[l] = c[l] = CLINIT_ORTH_LIT(0.0);
    for (; i < full; i += 8)
        for (int l = 0; l < 8; l++) {
            CLINIT_ORTH_T e;
            CLINIT_TWO_SUM(s[l], a[i + l] * b[i + l], s[l], e);
            c[l] = c[l] + e;
        }
#endif
    for (int l = 0; i + (ci_u64)l < len; l++) {
        CLINIT_ORTH_T e;
        CLINIT_TWO_SUM(s[l], a[i + l] * b[i + l], s[l], e);
        c[l] = c[l] + e;
    }
    CLINIT_ORTH_T S = -diag, C = CLINIT_ORTH_LIT(0.0);
    for (int l = 0; l < 8; l++) {
        CLINIT_ORTH_T e;
        CLINIT_TWO_SUM(S, s[l], S, e);
        C = (C + e) + c[l];
    }
    return S + C;
}

/* Rows i0 … i0+ni−1 of columns j0 … j0+nj−1 of the corrected Q2 = Q − ½·Q·E (one Newton–Schulz step towards
 * the nearest orthonormal matrix; the identity in exact arithmetic, where E = 0): Q2[i][j] = Q[i][j] − 0.5·c
 * with c = (…((0 + Q[i][0]·E[j][0]) + Q[i][1]·E[j][1]) + …) + Q[i][n−1]·E[j][n−1], Q = W (column-major, m
 * rows). The OpenCL side computes a whole tile of CLINIT_ORTH_CHUNK rows × 4 columns as four 16-lane vectors
 * (lane = row), loading each row chunk of Q once for four columns. */
static inline void CLINIT_ORTH(correct)(const CLINIT_GLOBAL CLINIT_ORTH_T *W, const CLINIT_GLOBAL CLINIT_ORTH_T *E,
                                        CLINIT_GLOBAL CLINIT_ORTH_T *Q2, ci_u64 m, ci_u64 n, ci_u64 j0, ci_u64 nj,
                                        ci_u64 i0, ci_u64 ni)
{
#ifdef __OPENCL_VERSION__
    if (ni == 16 && nj == 4) {
        const CLINIT_GLOBAL CLINIT_ORTH_T *e0 = E + j0 * n, *e1 = e0 + n, *e2 = e1 + n, *e3 = e2 + n;
        CLINIT_ORTH_T16 c0 = (CLINIT_ORTH_T16)(CLINIT_ORTH_LIT(0.0)), c1 = c0, c2 = c0, c3 = c0;
        for (ci_u64 a = 0; a < n; a++) {
            CLINIT_ORTH_T16 w = CLINIT_ORTH_LOAD16(W + a * m + i0);
            c0 = c0 + w * e0[a];
            c1 = c1 + w * e1[a];
            c2 = c2 + w * e2[a];
            c3 = c3 + w * e3[a];
        }
        CLINIT_ORTH_STORE16(CLINIT_ORTH_LOAD16(W + j0 * m + i0) - CLINIT_ORTH_LIT(0.5) * c0, Q2 + j0 * m + i0);
        CLINIT_ORTH_STORE16(CLINIT_ORTH_LOAD16(W + (j0 + 1) * m + i0) - CLINIT_ORTH_LIT(0.5) * c1,
                            Q2 + (j0 + 1) * m + i0);
        CLINIT_ORTH_STORE16(CLINIT_ORTH_LOAD16(W + (j0 + 2) * m + i0) - CLINIT_ORTH_LIT(0.5) * c2,
                            Q2 + (j0 + 2) * m + i0);
        CLINIT_ORTH_STORE16(CLINIT_ORTH_LOAD16(W + (j0 + 3) * m + i0) - CLINIT_ORTH_LIT(0.5) * c3,
                            Q2 + (j0 + 3) * m + i0);
        return;
    }
#endif
    for (ci_u64 j = j0; j < j0 + nj; j++) {
        const CLINIT_GLOBAL CLINIT_ORTH_T *e = E + j * n;
        for (ci_u64 i = i0; i < i0 + ni; i++) {
            CLINIT_ORTH_T c = CLINIT_ORTH_LIT(0.0);
            for (ci_u64 a = 0; a < n; a++) c = c + W[a * m + i] * e[a];
            Q2[j * m + i] = W[j * m + i] - CLINIT_ORTH_LIT(0.5) * c;
        }
    }
}

/* The value of logical element e of the tensor. The tensor is seen as (K, R, C) (kernel_outer: orthogonal, and
 * delta_orthogonal IO (k…, in, out)) or as (C, R, K) (delta_orthogonal OI (out, in, k…)); elements whose
 * kernel position is not `centre` are +0. The others are (g·D[j])·Q2[i][j] with (i, j) = (a, b) when R ≥ C and
 * (b, a) otherwise, a < R and b < C the matrix indices. */
static inline CLINIT_ORTH_T CLINIT_ORTH(value)(const CLINIT_GLOBAL CLINIT_ORTH_T *D,
                                               const CLINIT_GLOBAL CLINIT_ORTH_T *Q2, ci_u64 e, ci_u64 R, ci_u64 C,
                                               ci_u64 K, ci_u64 centre, int kernel_outer, CLINIT_ORTH_T g)
{
    ci_u64 a, b, kpos;
    if (kernel_outer) {
        b = e % C;
        ci_u64 q = e / C;
        a = q % R;
        kpos = q / R;
    } else {
        kpos = e % K;
        ci_u64 q = e / K;
        a = q % R;
        b = q / R;
    }
    if (kpos != centre) return CLINIT_ORTH_LIT(0.0);
    ci_u64 m = R >= C ? R : C;
    ci_u64 i = R >= C ? a : b, j = R >= C ? b : a;
    return (g * D[j]) * Q2[j * m + i];
}

#ifndef __OPENCL_VERSION__
/* The host reference of the whole matrix (host/orthogonal.c), W, E and Q2 as above for the R × C Gaussian of
 * (seed, stream) under generation gen: each Philox block's normals (ci_philox_block, host/reference.c) placed as the gauss
 * kernel places them, the 2n steps with the columns of a step in increasing order, every entry of E, and Q2 as
 * one tile — the device's functions on the device's data, so the same bits. */
static inline void CLINIT_ORTH(reference)(CLINIT_ORTH_T *W, CLINIT_ORTH_T *E, CLINIT_ORTH_T *Q2, ci_u64 R, ci_u64 C,
                                          ci_u64 seed, ci_u64 stream, int gen)
{
    ci_u64 m = R >= C ? R : C, n = R >= C ? C : R, total = R * C;
    for (ci_u64 blk = 0; blk < (total + CLINIT_ORTH_PER_BLOCK - 1) / CLINIT_ORTH_PER_BLOCK; blk++) {
        ci_u32 x[4];
        ci_philox_block(blk, seed, stream, x);
        CLINIT_ORTH_T z[CLINIT_ORTH_PER_BLOCK];
        CLINIT_ORTH_WORD_NORMALS(x, gen, z);
        ci_u64 e = blk * CLINIT_ORTH_PER_BLOCK;
        for (ci_u64 l = 0; l < CLINIT_ORTH_PER_BLOCK && e + l < total; l++) W[ci_orth_gauss_pos(e + l, R, C)] = z[l];
    }
    for (ci_u64 p = 0; p < n; p++)
        for (ci_u64 j = p; j < n; j++) CLINIT_ORTH(column_step)(W, m, n, p, j, 0);
    for (ci_u64 p = n; p-- > 0;)
        for (ci_u64 j = p; j < n; j++) CLINIT_ORTH(column_step)(W, m, n, p, j, 1);
    for (ci_u64 b = 0; b < n; b++)
        for (ci_u64 a = 0; a <= b; a++)
            E[b * n + a] = E[a * n + b] =
                CLINIT_ORTH(gram_entry)(W + a * m, W + b * m, m, a == b ? CLINIT_ORTH_LIT(1.0) : CLINIT_ORTH_LIT(0.0));
    CLINIT_ORTH(correct)(W, E, Q2, m, n, 0, n, 0, m);
}
#endif

#endif /* CLINIT_ORTH_T */
