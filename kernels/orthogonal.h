/*
 * Orthogonal and delta-orthogonal (docs/ALGORITHMS.md §4, "orthogonal and delta_orthogonal"): Householder QR
 * of a Gaussian matrix and one compensated correction step, written once and compiled twice, as OpenCL C in
 * kernels/orthogonal.cl and as C11 in the host reference (host/orthogonal.c), like kernels/generate.h (which
 * comes first). Only correctly rounded float +, −, × and comparisons appear, with contraction into FMA off on
 * both sides, and every sum has a fixed order that depends only on its length — never on the work-group size
 * or the number of work-items, since one work-item computes a whole sum. Where the OpenCL side uses vectors
 * (clinit_orth_gram_entry, clinit_orth_correct) each vector lane is one of the scalar partial sums written
 * out for C, operation for operation. So device and host agree bit for bit.
 *
 * Buffers: W holds the m × n working matrix M (m ≥ n) column-major (column j at W + j·m), then the n column
 * signs D[j] = sign(R_jj) ∈ {−1, +1} at W + m·n; E (n × n, symmetric) receives QᵀQ − I; Q2 (m × n,
 * column-major) the corrected Q.
 */
#ifndef CLINIT_ORTHOGONAL_H
#define CLINIT_ORTHOGONAL_H

#ifdef __OPENCL_VERSION__
#define CLINIT_GLOBAL __global
#else
#define CLINIT_GLOBAL
#endif

/* Columns whose squared norm is below this are treated as zero (H = I, D = +1): a Gaussian column gets there
 * with probability far below 2^-200, and it keeps every later quantity a normal float. */
#define CLINIT_ORTH_TINY 0x1p-100f

/* The tile of Q2 one work-item of clinit_orth_refine computes: rows × columns (any values give the same bits). */
#define CLINIT_ORTH_CHUNK 16
#define CLINIT_ORTH_COLS 4

/* Σ a[i]·b[i] over i < len in a fixed order: eight partial sums s_l, lane l taking the elements i ≡ l (mod 8)
 * in increasing i, then ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)). The OpenCL side runs the full groups
 * of eight as float8 (lane l = element l). */
static inline float clinit_orth_dot(const CLINIT_GLOBAL float *a, const CLINIT_GLOBAL float *b, clinit_u64 len)
{
    float s[8];
    clinit_u64 i = 0, full = len & ~(clinit_u64)7;
#ifdef __OPENCL_VERSION__
    float8 sv = (float8)(0.0f);
    for (; i < full; i += 8) sv = sv + vload8(0, a + i) * vload8(0, b + i);
    vstore8(sv, 0, s);
#else
    for (int l = 0; l < 8; l++) s[l] = 0.0f;
    for (; i < full; i += 8)
        for (int l = 0; l < 8; l++) s[l] = s[l] + a[i + l] * b[i + l];
#endif
    for (int l = 0; i + (clinit_u64)l < len; l++) s[l] = s[l] + a[i + l] * b[i + l];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/* 1/√w for a positive normal float w: the bit-level estimate and three Newton steps, as in clinit_sqrt_pos
 * (generate.h); valid over the whole normal range. */
static inline float clinit_orth_rsqrt(float w)
{
    float y = clinit_float(0x5f3759dfu - (clinit_bits(w) >> 1));
    float h = 0.5f * w;
    y = y * (1.5f - h * y * y);
    y = y * (1.5f - h * y * y);
    y = y * (1.5f - h * y * y);
    return y;
}

/* √w for a positive normal float w: s = w·y, y = clinit_orth_rsqrt(w), and one correction s + (0.5y)(w − s·s),
 * the operations of clinit_sqrt_pos. */
static inline float clinit_orth_sqrt(float w)
{
    float y = clinit_orth_rsqrt(w);
    float s = w * y;
    return s + (0.5f * y) * (w - s * s);
}

/* x ← H x for H = I − 2uuᵀ, over len entries: w = uᵀx (clinit_orth_dot), t = w + w, x[i] = x[i] − t·u[i]. */
static inline void clinit_orth_reflect(const CLINIT_GLOBAL float *u, CLINIT_GLOBAL float *x, clinit_u64 len)
{
    float w = clinit_orth_dot(u, x, len);
    float t = w + w;
    clinit_u64 i = 0;
#ifdef __OPENCL_VERSION__
    for (; i + 8 <= len; i += 8) vstore8(vload8(0, x + i) - t * vload8(0, u + i), 0, x + i);
#endif
    for (; i < len; i++) x[i] = x[i] - t * u[i];
}

/* Column j of W becomes the unit Householder vector u_j of its rows j … m−1 (rows < j keep R's entries), and
 * D[j] = sign(R_jj). With x = those rows: s = Σ_{i>0} x_i², σ = s + x_0², ν = √σ; the reflector maps x to
 * α·e_0 with α = −ν for x_0 ≥ 0 and +ν otherwise; v = x − α·e_0 (v_0 = x_0 ± ν, no cancellation),
 * u = v·(1/√(s + v_0²)), D[j] = sign(α). A column with σ < CLINIT_ORTH_TINY gets u = 0 (H = I), D[j] = +1. */
static inline void clinit_orth_householder(CLINIT_GLOBAL float *W, clinit_u64 m, clinit_u64 n, clinit_u64 j)
{
    CLINIT_GLOBAL float *x = W + j * m + j;
    clinit_u64 len = m - j;
    float s = clinit_orth_dot(x + 1, x + 1, len - 1);
    float x0 = x[0];
    float sigma = s + x0 * x0;
    if (!(sigma >= CLINIT_ORTH_TINY)) {
        for (clinit_u64 i = 0; i < len; i++) x[i] = 0.0f;
        W[m * n + j] = 1.0f;
        return;
    }
    float nu = clinit_orth_sqrt(sigma);
    float v0 = x0 >= 0.0f ? x0 + nu : x0 - nu;
    float rs = clinit_orth_rsqrt(s + v0 * v0);
    x[0] = v0 * rs;
    for (clinit_u64 i = 1; i < len; i++) x[i] = x[i] * rs;
    W[m * n + j] = x0 >= 0.0f ? -1.0f : 1.0f;
}

/* Column j of W, holding u_j in rows j … m−1, becomes H_j e_j: 0 above row j, 1 − t·u_j[0] at row j and
 * (−t)·u_j[i] below, t = u_j[0] + u_j[0]. */
static inline void clinit_orth_expand(CLINIT_GLOBAL float *W, clinit_u64 m, clinit_u64 j)
{
    CLINIT_GLOBAL float *x = W + j * m;
    for (clinit_u64 i = 0; i < j; i++) x[i] = 0.0f;
    float u0 = x[j];
    float t = u0 + u0;
    float nt = -t;
    x[j] = 1.0f - t * u0;
    for (clinit_u64 i = j + 1; i < m; i++) x[i] = nt * x[i];
}

/* The part of step p (0 ≤ p < n) that belongs to column j (p ≤ j < n). Phase 0 (triangularize, p = 0, 1, …,
 * n−1): apply H_{p−1} (stored in column p−1) to rows p−1 … m−1 of column j when p ≥ 1; then, for j = p,
 * compute H_p. Phase 1 (accumulate Q = H_0 ⋯ H_{n−1} [I_n; 0], p = n−1, …, 0): for j = p, expand column p to
 * H_p e_p; then apply H_{p−1} to column j when p ≥ 1. Within a step no column reads another column that the
 * step writes, so the columns may run in any order or in parallel. */
static inline void clinit_orth_column_step(CLINIT_GLOBAL float *W, clinit_u64 m, clinit_u64 n, clinit_u64 p,
                                           clinit_u64 j, int phase)
{
    if (phase == 1 && j == p) clinit_orth_expand(W, m, j);
    if (p >= 1) clinit_orth_reflect(W + (p - 1) * m + (p - 1), W + j * m + (p - 1), m - (p - 1));
    if (phase == 0 && j == p) clinit_orth_householder(W, m, n, j);
}

/* Knuth's TwoSum: s + e = a + b exactly with s = fl(a + b) (round to nearest, no FMA, no reassociation). */
#define CLINIT_TWO_SUM(a, b, s, e)                           \
    do {                                                     \
        float ts_t_ = (a) + (b);                             \
        float ts_bp_ = ts_t_ - (a);                          \
        (e) = ((a) - (ts_t_ - ts_bp_)) + ((b) - ts_bp_);     \
        (s) = ts_t_;                                         \
    } while (0)

/* One entry of QᵀQ − I: Σ a[i]·b[i] − diag over i < len (diag = 1 on the diagonal, 0 elsewhere). Each product
 * is rounded, the sum is compensated: eight lanes (i mod 8) each keep a sum s_l, updated by TwoSum, and the sum
 * c_l of its errors; then S = −diag, C = 0 and for l = 0 … 7: (S, e) = TwoSum(S, s_l), C = (C + e) + c_l; the
 * result is S + C. The OpenCL side runs the full groups of eight as float8 (lane l = element l). */
static inline float clinit_orth_gram_entry(const CLINIT_GLOBAL float *a, const CLINIT_GLOBAL float *b,
                                           clinit_u64 len, float diag)
{
    float s[8], c[8];
    clinit_u64 i = 0, full = len & ~(clinit_u64)7;
#ifdef __OPENCL_VERSION__
    float8 sv = (float8)(0.0f), cv = (float8)(0.0f);
    for (; i < full; i += 8) {
        float8 p = vload8(0, a + i) * vload8(0, b + i);
        float8 t = sv + p;
        float8 bp = t - sv;
        cv = cv + ((sv - (t - bp)) + (p - bp));
        sv = t;
    }
    vstore8(sv, 0, s);
    vstore8(cv, 0, c);
#else
    for (int l = 0; l < 8; l++) s[l] = c[l] = 0.0f;
    for (; i < full; i += 8)
        for (int l = 0; l < 8; l++) {
            float e;
            CLINIT_TWO_SUM(s[l], a[i + l] * b[i + l], s[l], e);
            c[l] = c[l] + e;
        }
#endif
    for (int l = 0; i + (clinit_u64)l < len; l++) {
        float e;
        CLINIT_TWO_SUM(s[l], a[i + l] * b[i + l], s[l], e);
        c[l] = c[l] + e;
    }
    float S = -diag, C = 0.0f;
    for (int l = 0; l < 8; l++) {
        float e;
        CLINIT_TWO_SUM(S, s[l], S, e);
        C = (C + e) + c[l];
    }
    return S + C;
}

/* Rows i0 … i0+ni−1 of columns j0 … j0+nj−1 of the corrected Q2 = Q − ½·Q·E (one Newton–Schulz step towards
 * the nearest orthonormal matrix; the identity in exact arithmetic, where E = 0): Q2[i][j] = Q[i][j] − 0.5·c
 * with c = (…((0 + Q[i][0]·E[j][0]) + Q[i][1]·E[j][1]) + …) + Q[i][n−1]·E[j][n−1], Q = W (column-major, m
 * rows). The OpenCL side computes a whole tile of CLINIT_ORTH_CHUNK rows × 4 columns as four float16 (lane =
 * row), loading each row chunk of Q once for four columns. */
static inline void clinit_orth_correct(const CLINIT_GLOBAL float *W, const CLINIT_GLOBAL float *E,
                                       CLINIT_GLOBAL float *Q2, clinit_u64 m, clinit_u64 n, clinit_u64 j0,
                                       clinit_u64 nj, clinit_u64 i0, clinit_u64 ni)
{
#ifdef __OPENCL_VERSION__
    if (ni == 16 && nj == 4) {
        const CLINIT_GLOBAL float *e0 = E + j0 * n, *e1 = e0 + n, *e2 = e1 + n, *e3 = e2 + n;
        float16 c0 = (float16)(0.0f), c1 = c0, c2 = c0, c3 = c0;
        for (clinit_u64 a = 0; a < n; a++) {
            float16 w = vload16(0, W + a * m + i0);
            c0 = c0 + w * e0[a];
            c1 = c1 + w * e1[a];
            c2 = c2 + w * e2[a];
            c3 = c3 + w * e3[a];
        }
        vstore16(vload16(0, W + j0 * m + i0) - 0.5f * c0, 0, Q2 + j0 * m + i0);
        vstore16(vload16(0, W + (j0 + 1) * m + i0) - 0.5f * c1, 0, Q2 + (j0 + 1) * m + i0);
        vstore16(vload16(0, W + (j0 + 2) * m + i0) - 0.5f * c2, 0, Q2 + (j0 + 2) * m + i0);
        vstore16(vload16(0, W + (j0 + 3) * m + i0) - 0.5f * c3, 0, Q2 + (j0 + 3) * m + i0);
        return;
    }
#endif
    for (clinit_u64 j = j0; j < j0 + nj; j++) {
        const CLINIT_GLOBAL float *e = E + j * n;
        for (clinit_u64 i = i0; i < i0 + ni; i++) {
            float c = 0.0f;
            for (clinit_u64 a = 0; a < n; a++) c = c + W[a * m + i] * e[a];
            Q2[j * m + i] = W[j * m + i] - 0.5f * c;
        }
    }
}

/* Where the Gaussian element e of the R × C matrix goes in W: M = A (column-major) when R ≥ C, M = Aᵀ
 * otherwise, whose column-major order is A's row-major order. */
static inline clinit_u64 clinit_orth_gauss_pos(clinit_u64 e, clinit_u64 R, clinit_u64 C)
{
    return R >= C ? (e % C) * R + e / C : e;
}

/* The value of logical element e of the tensor. The tensor is seen as (K, R, C) (kernel_outer: orthogonal, and
 * delta_orthogonal IO (k…, in, out)) or as (C, R, K) (delta_orthogonal OI (out, in, k…)); elements whose
 * kernel position is not `centre` are +0. The others are (g·D[j])·Q2[i][j] with (i, j) = (a, b) when R ≥ C and
 * (b, a) otherwise, a < R and b < C the matrix indices. */
static inline float clinit_orth_value(const CLINIT_GLOBAL float *D, const CLINIT_GLOBAL float *Q2, clinit_u64 e,
                                      clinit_u64 R, clinit_u64 C, clinit_u64 K, clinit_u64 centre, int kernel_outer,
                                      float g)
{
    clinit_u64 a, b, kpos;
    if (kernel_outer) {
        b = e % C;
        clinit_u64 q = e / C;
        a = q % R;
        kpos = q / R;
    } else {
        kpos = e % K;
        clinit_u64 q = e / K;
        a = q % R;
        b = q / R;
    }
    if (kpos != centre) return 0.0f;
    clinit_u64 m = R >= C ? R : C;
    clinit_u64 i = R >= C ? a : b, j = R >= C ? b : a;
    return (g * D[j]) * Q2[j * m + i];
}

#endif
