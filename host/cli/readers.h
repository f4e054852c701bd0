/* The limits of the readers that load clinit's files, checked before anything is written: a file that numpy or
 * the safetensors library would refuse is never produced (the command fails first, naming the limit). */
#ifndef CLINIT_CLI_READERS_H
#define CLINIT_CLI_READERS_H

#include <stddef.h>
#include <stdint.h>

/* numpy's limit on an array: the product of its non-zero dimensions times the element size fits npy_intp,
 * 2^63 - 1 bytes. An empty array of a larger shape, (0, 2^63 - 1), cannot be made either, so numpy (and
 * safetensors.numpy) cannot load such a file. */
#define CLI_NUMPY_MAX_BYTES INT64_MAX
/* The safetensors library's MAX_HEADER_SIZE: the largest header (the JSON and its padding, after the 8 length
 * bytes) it reads; a larger one is HeaderTooLarge. */
#define CLI_SAFETENSORS_MAX_HEADER 100000000u

/* Whether numpy can hold an array of shape[0..rank) of esize-byte elements: 0, or -1 and the reason in why
 * ("its non-zero dimensions times 4 bytes are above 2^63 - 1, numpy's limit on an array (even an empty one)"). */
int cli_numpy_shape_fits(int rank, const int64_t *shape, size_t esize, char *why, size_t why_size);
/* Whether the safetensors library reads a header whose JSON and padding take `bytes`: 0, or -1 and the reason in
 * why ("a safetensors header of N bytes, above the 100000000 the safetensors library reads (MAX_HEADER_SIZE)"). */
int cli_safetensors_header_fits(uint64_t bytes, char *why, size_t why_size);

#endif
