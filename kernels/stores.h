/*
 * Stores of f32 values into the output dtypes (docs/ALGORITHMS.md §4, "Output dtypes"): f32 as is, f16 the IEEE
 * round-to-nearest-even (vstore_half*_rte, which needs no cl_khr_fp16), bf16 the round-to-nearest-even to the top
 * 16 bits. Per dtype DT: ci_store1_DT (one value at o[i]), ci_store4_DT (four at o[i..i+3], element
 * alignment only), ci_store4a_DT (the four values of block j at o[4j..4j+3], aligned to their size, as the GPU
 * kernels' rows are), ci_store16_DT (16 values at o[i..i+15], the CPU kernels).
 */
#ifndef CLINIT_STORES_H
#define CLINIT_STORES_H

#include "generate.h"

/* bfloat16 of four floats, as ci_bf16_of. */
inline ushort4 ci_bf16_of4(float4 f)
{
    uint4 b = as_uint4(f);
    uint4 r = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
    return convert_ushort4(select(r, (b >> 16) | 0x0040u, (b & 0x7fffffffu) > 0x7f800000u));
}

/* bfloat16 of sixteen floats, as ci_bf16_of. */
inline ushort16 ci_bf16_of16(float16 f)
{
    uint16 b = as_uint16(f);
    uint16 r = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
    return convert_ushort16(select(r, (b >> 16) | 0x0040u, (b & 0x7fffffffu) > 0x7f800000u));
}

/* IEEE binary16 bits of sixteen floats, rounded to nearest even exactly as vstore_half_rte and host/dtype.c's
 * ci_f16_bits: NaN gives a quiet NaN, magnitudes from 65520 up give infinity, and below 2^-14 the subnormal
 * m·2^-24 has m = |f|·2^24 converted to an integer with round to nearest even (an exact product). Written out
 * because PoCL 3.1 compiles vstore_half16_rte, in some kernels, into 32-byte aligned stores, which fault where the
 * 16 halves do not start on a 32-byte boundary; ushort16 stores do not. Aligned destinations keep PoCL's faster
 * conversion (ci_store16_f16). test_dtypes compares it with vstore_half_rte over 243 million floats. */
inline ushort16 ci_f16_of16(float16 f)
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

inline void ci_store1_f32(__global float *o, ulong i, float v) { o[i] = v; }
inline void ci_store1_f16(__global half *o, ulong i, float v) { vstore_half_rte(v, 0, o + i); }
inline void ci_store1_bf16(__global ushort *o, ulong i, float v) { o[i] = ci_bf16_of(v); }

inline void ci_store4_f32(__global float *o, ulong i, float4 v) { vstore4(v, 0, o + i); }
inline void ci_store4_f16(__global half *o, ulong i, float4 v) { vstore_half4_rte(v, 0, o + i); }
inline void ci_store4_bf16(__global ushort *o, ulong i, float4 v) { vstore4(ci_bf16_of4(v), 0, o + i); }

/* The four values of block j at o[4j … 4j + 3], aligned to their size (the GPU kernels' rows): one vector store,
 * which writes whole memory sectors where vstore4 may become four scalar stores. The values are finite (every
 * distribution's are, docs/ALGORITHMS.md §4), so bf16 needs no NaN case; f16 uses the device's own conversion where
 * it has cl_khr_fp16 (one instruction per two values on GPUs), vstorea_half4_rte elsewhere: both round to nearest
 * even. */
inline void ci_store4a_f32(__global float *o, uint j, float4 v) { ((__global float4 *)o)[j] = v; }
#ifdef cl_khr_fp16
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
/* a float → half cast rounds to nearest even, the default rounding of OpenCL's conversions */
inline void ci_store4a_f16(__global half *o, uint j, float4 v)
{
    ((__global half4 *)o)[j] = (half4)((half)v.s0, (half)v.s1, (half)v.s2, (half)v.s3);
}
#pragma OPENCL EXTENSION cl_khr_fp16 : disable
#else
inline void ci_store4a_f16(__global half *o, uint j, float4 v) { vstorea_half4_rte(v, j, o); }
#endif
/* b + 0x7fff + ((b >> 16) & 1) of each b = v's bits: the bf16 rounding in the top 16 bits, bit 16 added as the carry
 * of a 64-bit sum's low word (on sm_90 an LEA with carry-out and an IADD3.X, where a shift and a mask take three). */
inline uint ci_bf16_round_hi(uint b) { return as_uint2(as_ulong((uint2)(b << 15, b)) + 0x7fff80000000ul).s1; }
inline uint4 ci_bf16_round4_hi(float4 v)
{
    uint4 b = as_uint4(v);
    return (uint4)(ci_bf16_round_hi(b.s0), ci_bf16_round_hi(b.s1), ci_bf16_round_hi(b.s2), ci_bf16_round_hi(b.s3));
}
/* On NVIDIA GPUs from sm_80 (the host defines CLINIT_PTX_BF16 there, host/context.c) one PTX cvt.rn.bf16x2.f32 rounds
 * two floats to nearest even and packs them (F2FP.BF16.F32.PACK_AB, half an instruction per value where the rounding
 * above and the packing below take 2.5): the same bits for the finite values stored here. PTX puts its first source
 * in the upper half. */
#ifdef CLINIT_PTX_BF16
inline uint ci_bf16x2_ptx(float low, float high)
{
    uint r;
    __asm__("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(high), "f"(low));
    return r;
}
inline void ci_store4a_bf16(__global ushort *o, uint j, float4 v)
{
    ((__global uint2 *)o)[j] = (uint2)(ci_bf16x2_ptx(v.s0, v.s1), ci_bf16x2_ptx(v.s2, v.s3));
}
#elif defined(cl_khr_fp16)
/* With cl_khr_fp16 the top halves are moved as halves (bits only, no arithmetic): clang's NVPTX back end keeps them as
 * 16-bit moves, which ptxas packs with one PRMT per two values, where it splits 16-bit integer pairs into shifts and
 * masks (two instructions). */
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
inline void ci_store4a_bf16(__global ushort *o, uint j, float4 v)
{
    ((__global half4 *)o)[j] = as_half8(ci_bf16_round4_hi(v)).s1357;
}
#pragma OPENCL EXTENSION cl_khr_fp16 : disable
#else
inline void ci_store4a_bf16(__global ushort *o, uint j, float4 v)
{
    uint4 r = ci_bf16_round4_hi(v);
    ((__global uint2 *)o)[j] = (uint2)((r.s1 & 0xffff0000u) | (r.s0 >> 16), (r.s3 & 0xffff0000u) | (r.s2 >> 16));
}
#endif

/* 16 values: one vector store where the address is aligned to the whole vector (the usual case: a tensor that
 * starts on a 64-element boundary), vstore16 elsewhere, which PoCL 3.1 compiles into 16 scalar stores for 2-byte
 * elements (it made bf16 three times slower than f32). */
inline void ci_store16_f32(__global float *o, ulong i, float16 v)
{
    __global float *p = o + i;
    if (((ulong)p & 63) == 0)
        *(__global float16 *)p = v;
    else
        vstore16(v, 0, p);
}
inline void ci_store16_f16(__global half *o, ulong i, float16 v)
{
    __global half *p = o + i;
    if (((ulong)p & 31) == 0)
        vstorea_half16_rte(v, 0, p);
    else
        vstore16(ci_f16_of16(v), 0, (__global ushort *)p);
}
inline void ci_store16_bf16(__global ushort *o, ulong i, float16 v)
{
    __global ushort *p = o + i;
    ushort16 h = ci_bf16_of16(v);
    if (((ulong)p & 31) == 0)
        *(__global ushort16 *)p = h;
    else
        vstore16(h, 0, p);
}

#endif
