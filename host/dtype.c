/* The 16-bit output dtypes on the host: IEEE binary16 and bfloat16 conversions (round to nearest even), and
 * the representable values nearest to an interval's ends, which the uniform family clamps to. */
#include "internal.h"

#include "generate.h"

#include <float.h>
#include <math.h>

uint16_t ci_f16_bits(float f)
{
    uint32_t b = ci_bits(f);
    uint32_t sign = (b >> 16) & 0x8000u;
    uint32_t abs = b & 0x7fffffffu;
    if (abs > 0x7f800000u) return (uint16_t)(sign | 0x7e00u);  /* NaN */
    if (abs >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u); /* rounds to ≥ 65520: infinity */
    if (abs < 0x38800000u) {
        /* Below 2^-14: a subnormal half, m·2^-24; the float's 24-bit significand shifted into place with
         * round to nearest even. Below 2^-25 (and exactly 2^-25, a tie to even 0) it becomes ±0. */
        if (abs <= 0x33000000u) return (uint16_t)sign;
        uint32_t e = abs >> 23;
        uint32_t mant = (abs & 0x7fffffu) | 0x800000u;
        uint32_t shift = 126u - e; /* 14..24: bits to drop */
        uint32_t half = mant >> shift;
        uint32_t rem = mant & ((1u << shift) - 1u), mid = 1u << (shift - 1u);
        if (rem > mid || (rem == mid && (half & 1u))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t h = ((abs - 0x38000000u) >> 13); /* rebias exponent 127 → 15, keep 10 mantissa bits */
    uint32_t rem = abs & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;
    return (uint16_t)(sign | h);
}

float ci_f16_value(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0) return (h & 0x8000u ? -1.0f : 1.0f) * (float)m * 0x1p-24f;
    if (e == 31) return ci_float(sign | 0x7f800000u | (m << 13));
    return ci_float(sign | ((e + 112u) << 23) | (m << 13));
}

float ci_dtype_round(clinit_dtype dtype, float f)
{
    if (dtype == CLINIT_F16) return ci_f16_value(ci_f16_bits(f));
    if (dtype == CLINIT_BF16) return ci_float((uint32_t)ci_bf16_of(f) << 16);
    return f;
}

void ci_store_float(void *dst, size_t k, clinit_dtype dtype, float v)
{
    if (dtype == CLINIT_F16)
        ((uint16_t *)dst)[k] = ci_f16_bits(v);
    else if (dtype == CLINIT_BF16)
        ((uint16_t *)dst)[k] = ci_bf16_of(v);
    else
        ((float *)dst)[k] = v;
}

float ci_dtype_max(clinit_dtype dtype)
{
    return dtype == CLINIT_F16 ? 65504.0f : dtype == CLINIT_BF16 ? 0x1.fep+127f : FLT_MAX;
}

/* The next value of the dtype after v (itself a value of the dtype) towards +inf (up) or −inf: one step of
 * the sign-magnitude bit pattern, as nextafter does for floats. */
static float dtype_step(clinit_dtype dtype, float v, int up)
{
    if (dtype != CLINIT_F16 && dtype != CLINIT_BF16) return nextafterf(v, up ? INFINITY : -INFINITY);
    uint32_t h = dtype == CLINIT_F16 ? ci_f16_bits(v) : ci_bf16_of(v);
    int negative = (h & 0x8000u) != 0, zero = (h & 0x7fffu) == 0;
    if (up)
        h = zero ? 0x0001u : negative ? h - 1 : h + 1;
    else
        h = zero ? 0x8001u : negative ? h + 1 : h - 1;
    return dtype == CLINIT_F16 ? ci_f16_value((uint16_t)h) : ci_float(h << 16);
}

float ci_dtype_ceil(clinit_dtype dtype, float x)
{
    float r = ci_dtype_round(dtype, x);
    return r < x ? dtype_step(dtype, r, 1) : r;
}

float ci_dtype_below(clinit_dtype dtype, float x)
{
    float r = ci_dtype_round(dtype, x);
    return r >= x ? dtype_step(dtype, r, 0) : r;
}

float ci_dtype_floor(clinit_dtype dtype, float x)
{
    float r = ci_dtype_round(dtype, x);
    return r > x ? dtype_step(dtype, r, 0) : r;
}

/* The smallest float that rounds (to nearest even) to v or above, v a value of the dtype: the midpoint below v, or
 * the float after it where the tie goes down. v itself for f32. */
float ci_dtype_bucket_low(clinit_dtype dtype, float v)
{
    if (dtype != CLINIT_F16 && dtype != CLINIT_BF16) return v;
    float below = dtype_step(dtype, v, 0);
    if (!isfinite(below)) return -INFINITY;
    float m = below + (v - below) * 0.5f; /* exact: one bit more than the dtype's */
    return ci_dtype_round(dtype, m) >= v ? m : nextafterf(m, INFINITY);
}

/* The largest float that rounds to v or below. */
float ci_dtype_bucket_high(clinit_dtype dtype, float v)
{
    if (dtype != CLINIT_F16 && dtype != CLINIT_BF16) return v;
    float above = dtype_step(dtype, v, 1);
    if (!isfinite(above)) return INFINITY;
    float m = v + (above - v) * 0.5f;
    return ci_dtype_round(dtype, m) <= v ? m : nextafterf(m, -INFINITY);
}
