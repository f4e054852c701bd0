/* Reader limits (readers.h). */
#include "readers.h"

#include <inttypes.h>
#include <stdio.h>

int cli_numpy_shape_fits(int rank, const int64_t *shape, size_t esize, char *why, size_t why_size)
{
    uint64_t bytes = esize;
    for (int d = 0; d < rank; d++) {
        uint64_t n = (uint64_t)shape[d];
        if (n == 0) continue;
        if (bytes > (uint64_t)CLI_NUMPY_MAX_BYTES / n) {
            snprintf(why, why_size,
                     "its non-zero dimensions times %zu bytes are above 2^63 - 1, numpy's limit on "
                     "an array (even an empty one): numpy could not load the file",
                     esize);
            return -1;
        }
        bytes *= n;
    }
    return 0;
}

int cli_safetensors_header_fits(uint64_t bytes, char *why, size_t why_size)
{
    if (bytes <= CLI_SAFETENSORS_MAX_HEADER) return 0;
    snprintf(why, why_size,
             "a safetensors header of %" PRIu64 " bytes, above the %u that the safetensors library "
             "reads (its MAX_HEADER_SIZE): write fewer tensors per file",
             bytes, CLI_SAFETENSORS_MAX_HEADER);
    return -1;
}
