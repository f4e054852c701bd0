/* safetensors files (huggingface/safetensors): an 8-byte little-endian header length, a JSON header,
 * then the raw little-endian data of every tensor. */
#ifndef CLINIT_CLI_SAFETENSORS_H
#define CLINIT_CLI_SAFETENSORS_H

#include "manifest.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The header for the manifest's tensors, in manifest order (each with its dtype "F32", "F16" or "BF16"), with
 * __metadata__ {format "pt", generator "clinit <version>", seed, clinit_generation (CLINIT_GENERATION_VERSION)}:
 * the 8 length bytes, then the JSON padded with spaces so that the data starts at a multiple of 8. *size
 * receives its length. NULL when out of host memory.
 */
unsigned char *cli_safetensors_header(const cli_manifest *m, uint64_t seed, size_t *size);
/* As cli_safetensors_header, with n more string entries keys[i]: values[i] in __metadata__ (safetensors
 * allows only strings there). */
unsigned char *cli_safetensors_header_meta(const cli_manifest *m, uint64_t seed, const char *const *keys,
                                           const char *const *values, size_t n, size_t *size);

#endif
