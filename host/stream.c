/* The stream of a named tensor: a documented hash of its name (docs/ALGORITHMS.md), so that adding,
 * removing or reordering tensors in a model never changes another tensor's values. */
#include "internal.h"

#include <string.h>
#include <xxhash.h>

uint64_t clinit_stream_from_name(const char *name) { return name ? (uint64_t)XXH64(name, strlen(name), 0) : 0; }
