/* Element types. The conversions are the exact widenings: every f16 and bf16 value is a float, so the
 * summary's statistics of a 16-bit sample are those of the values in the file. */
#include "dtypes.h"

#include "suggest.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* name: the canonical one, which every file and message writes; long, other: the names read as it too, NumPy's
 * and PyTorch's (torch.bfloat16) and C's / PyTorch's short ones (torch.half; "float" is f32 as in C and PyTorch),
 * the very set of the Python package's DTYPE_NAMES. */
static const struct {
    clinit_dtype dtype;
    const char *name, *long_name, *other, *safetensors, *npy;
} dtypes[] = {
    {CLINIT_F32, "f32", "float32", "float", "F32", "<f4"}, {CLINIT_F16, "f16", "float16", "half", "F16", "<f2"},
    {CLINIT_BF16, "bf16", "bfloat16", NULL, "BF16", NULL}, {CLINIT_F64, "f64", "float64", "double", "F64", "<f8"},
    {CLINIT_I32, "i32", "int32", NULL, "I32", "<i4"},      {CLINIT_I64, "i64", "int64", NULL, "I64", "<i8"},
};
#define NDTYPES (sizeof dtypes / sizeof dtypes[0])

const char cli_dtype_names[] = "f32, f16, bf16, f64, i32, i64, float32, float16, bfloat16, float64, int32, int64, "
                               "float, half, double";

static size_t find(clinit_dtype dtype)
{
    size_t i = 0;
    while (i < NDTYPES && dtypes[i].dtype != dtype) i++;
    return i;
}

const char *cli_dtype_name(clinit_dtype dtype)
{
    size_t i = find(dtype);
    return i < NDTYPES ? dtypes[i].name : NULL;
}

const char *cli_dtype_safetensors(clinit_dtype dtype)
{
    size_t i = find(dtype);
    return i < NDTYPES ? dtypes[i].safetensors : NULL;
}

const char *cli_dtype_npy(clinit_dtype dtype)
{
    size_t i = find(dtype);
    return i < NDTYPES ? dtypes[i].npy : NULL;
}

/* ASCII case aside: safetensors headers write BF16 and F32, which users copy. */
static int same(const char *word, const char *name) { return ci_ascii_same(word, name, strlen(name)); }

int cli_dtype_from_name(const char *name, clinit_dtype *out)
{
    for (size_t i = 0; i < NDTYPES; i++)
        if (same(name, dtypes[i].name) || same(name, dtypes[i].long_name) ||
            (dtypes[i].other && same(name, dtypes[i].other))) {
            *out = dtypes[i].dtype;
            return 0;
        }
    return -1;
}

int cli_dtype_parse(const char *name, clinit_dtype *out, char *why, size_t why_size)
{
    if (cli_dtype_from_name(name, out) != 0) {
        /* the nearest name in lower case, as any case is read: BFLOAT starts bfloat16 as bfloat does */
        char lower[64];
        size_t i = 0;
        for (; name[i] && i + 1 < sizeof lower; i++)
            lower[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
        lower[i] = '\0';
        snprintf(why, why_size, "unknown dtype \"%s\": %s", name, cli_suggest(lower, cli_dtype_names));
        return -1;
    }
    return 0;
}

static float float_of_bits(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* IEEE binary16 → float: every half is a float (subnormals included), so this is exact. */
static float f16_value(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0) return (h & 0x8000u ? -1.0f : 1.0f) * (float)m * 0x1p-24f; /* zero or subnormal: m·2^-24 */
    if (e == 31) return float_of_bits(sign | 0x7f800000u | (m << 13));     /* inf, NaN */
    return float_of_bits(sign | ((e + 112u) << 23) | (m << 13));           /* rebias 15 → 127 */
}

double cli_dtype_value(const void *data, clinit_dtype dtype, size_t i)
{
    const unsigned char *p = (const unsigned char *)data + i * clinit_dtype_size(dtype);
    if (dtype == CLINIT_F16 || dtype == CLINIT_BF16) {
        uint16_t h;
        memcpy(&h, p, sizeof h);
        return dtype == CLINIT_F16 ? f16_value(h) : float_of_bits((uint32_t)h << 16);
    }
    if (dtype == CLINIT_I32 || dtype == CLINIT_I64) {
        int32_t i32;
        int64_t i64;
        if (dtype == CLINIT_I32)
            memcpy(&i32, p, sizeof i32);
        else
            memcpy(&i64, p, sizeof i64);
        return dtype == CLINIT_I32 ? (double)i32 : (double)i64; /* nearest, for the summary's statistics */
    }
    if (dtype == CLINIT_F64) {
        double d;
        memcpy(&d, p, sizeof d);
        return d;
    }
    float f;
    memcpy(&f, p, sizeof f);
    return f;
}

static int host_is_little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

int cli_le_each(const void *src, size_t count, size_t esize, int (*emit)(void *ctx, const void *bytes, size_t n),
                void *ctx)
{
    if (host_is_little_endian()) return count ? emit(ctx, src, count * esize) : 0;
    const unsigned char *s = src;
    unsigned char chunk[4096]; /* a multiple of every element size */
    for (size_t i = 0; i < count;) {
        size_t k = 0;
        for (; i < count && k + esize <= sizeof chunk; i++, k += esize)
            for (size_t b = 0; b < esize; b++) chunk[k + b] = s[i * esize + esize - 1 - b];
        int rc = emit(ctx, chunk, k);
        if (rc) return rc;
    }
    return 0;
}
