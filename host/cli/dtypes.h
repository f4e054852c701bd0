/* Element types on the command line and in files: their names, their codes in .npy and safetensors
 * headers, and the host-side views of generated values (widened for statistics, little-endian for files). */
#ifndef CLINIT_CLI_DTYPES_H
#define CLINIT_CLI_DTYPES_H

#include "clinit.h"

#include <stddef.h>

/* "f32", "f16", "bf16", "f64", "i32", "i64"; NULL for an unknown value. */
const char *cli_dtype_name(clinit_dtype dtype);
/* safetensors' dtype: "F32", "F16", "BF16", "F64", "I32", "I64". */
const char *cli_dtype_safetensors(clinit_dtype dtype);
/* NumPy's descr: "<f4", "<f2", "<f8", "<i4", "<i8"; NULL for bf16, which NumPy has no type for. */
const char *cli_dtype_npy(clinit_dtype dtype);
/* Every name a dtype is read by, ", "-separated: the canonical f32, f16, bf16, f64, i32, i64, then NumPy's and
 * PyTorch's float32, float16, bfloat16, float64, int32, int64, and float (f32), half (f16), double (f64), as the
 * Python package's DTYPE_NAMES. Files and messages write the canonical ones (cli_dtype_name). */
extern const char cli_dtype_names[];
/* Any dtype of the API by any of cli_dtype_names, ignoring ASCII case (BF16 and F32, as safetensors headers
 * write them, are bf16 and f32; `clinit bench` measures f64 as a skipped note). 0, or -1 when unknown. */
int cli_dtype_from_name(const char *name, clinit_dtype *out);
/* A dtype to generate by any of cli_dtype_names, ignoring ASCII case: f32, f16, bf16, f64, i32 or i64 (the integer ones for constants
 * only). 0, or -1 and a reason in why[why_size] (unknown, with the nearest name). */
int cli_dtype_parse(const char *name, clinit_dtype *out, char *why, size_t why_size);

/* Element i of host data of the dtype (the bytes a device fill wrote, read back) as a double: f16 exactly,
 * bf16 as its bits << 16, an integer rounded to the nearest double (exact up to 2^53). */
double cli_dtype_value(const void *data, clinit_dtype dtype, size_t i);

/*
 * Passes count elements of esize bytes at src to emit(ctx, bytes, n) as little-endian bytes, as files hold
 * them whatever the host's byte order: the data itself on a little-endian host, swapped copies in pieces on a
 * big-endian one. Returns the first non-zero value emit returns, else 0.
 */
int cli_le_each(const void *src, size_t count, size_t esize, int (*emit)(void *ctx, const void *bytes, size_t n),
                void *ctx);

#endif
