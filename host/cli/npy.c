/* NumPy .npy v1.0: magic, version, a little-endian uint16 header length, then a Python dict literal
 * padded with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes (NumPy's
 * ARRAY_ALIGN, which lets readers memory-map the data aligned). */
#include "npy.h"

#include "cli.h"
#include "dtypes.h"

#include <stdio.h>
#include <string.h>

#define NPY_ALIGN 64
#define NPY_PREAMBLE 10 /* magic (6) + version (2) + header length (2) */

void cli_shape_tuple(char *buf, size_t size, int rank, const int64_t *shape)
{
    size_t used = (size_t)snprintf(buf, size, "(");
    for (int d = 0; d < rank && used < size; d++)
        used += (size_t)snprintf(buf + used, size - used, "%s%lld", d ? ", " : "", (long long)shape[d]);
    if (used < size) snprintf(buf + used, size - used, rank == 1 ? ",)" : ")");
}

int cli_npy_write(cli_outfile *o, const cli_tensor_desc *d, const void *values)
{
    /* Rank ≤ 8 dimensions of ≤ 19 digits keep the header far below v1.0's 65535-byte limit. */
    char tuple[256], header[NPY_PREAMBLE + 512];
    cli_shape_tuple(tuple, sizeof tuple, d->rank, d->shape);
    int dict_len = snprintf(header + NPY_PREAMBLE, sizeof header - NPY_PREAMBLE,
                            "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", cli_dtype_npy(d->dtype), tuple);
    size_t total = NPY_PREAMBLE + (size_t)dict_len + 1; /* + '\n' */
    total = (total + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
    size_t header_len = total - NPY_PREAMBLE;
    memcpy(header, "\x93NUMPY\x01\x00", 8);
    header[8] = (char)(header_len & 0xff);
    header[9] = (char)(header_len >> 8);
    memset(header + NPY_PREAMBLE + dict_len, ' ', total - 1 - NPY_PREAMBLE - (size_t)dict_len);
    header[total - 1] = '\n';
    int rc = cli_outfile_write(o, header, total);
    return rc == CLI_OK ? cli_outfile_write_le(o, values, (size_t)cli_desc_numel(d), clinit_dtype_size(d->dtype)) : rc;
}
