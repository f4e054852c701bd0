/* Rank file headers. The box of every shard is in the file itself, so that a reader reassembles the model
 * from the files alone, without the manifest or the split rule. */
#include "rankfile.h"

#include "safetensors.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define SPLIT_RULE                                                                                                     \
    "rank r of world_size w holds [floor(r*n/w), floor((r+1)*n/w)) of dimension split_dim (size n); "                  \
    "split_dim none: the whole tensor on every rank"

/* A malloc'd formatted string, or NULL. */
static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* "start0:extent0,start1:extent1,..." ("" for a scalar). */
static char *box_text(const mpi_box *b, int rank)
{
    char text[CLINIT_MAX_RANK * 42 + 1] = "";
    size_t used = 0;
    for (int d = 0; d < rank; d++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%" PRId64 ":%" PRId64, d ? "," : "", b->start[d],
                                 b->extent[d]);
    return format("%s", text);
}

unsigned char *mpi_rank_header(const cli_manifest *m, const mpi_plan *p, uint64_t seed, int rank, int world,
                               size_t *size)
{
    size_t n = 3 + 2 * m->count;
    char **keys = calloc(n, sizeof *keys), **values = calloc(n, sizeof *values);
    int bad = !keys || !values;
    if (!bad) {
        keys[0] = format("rank");
        values[0] = format("%d", rank);
        keys[1] = format("world_size");
        values[1] = format("%d", world);
        keys[2] = format("tensor_parallel_split");
        values[2] = format("%s", SPLIT_RULE);
        for (size_t i = 0; i < m->count; i++) {
            const cli_entry *e = &m->entries[i];
            keys[3 + 2 * i] = format("shard.%s", e->name);
            values[3 + 2 * i] = box_text(&p->boxes[i], e->desc.rank);
            keys[4 + 2 * i] = format("split_dim.%s", e->name);
            values[4 + 2 * i] = e->split_dim < 0 ? format("none") : format("%d", e->split_dim);
        }
        for (size_t i = 0; i < n; i++) bad |= !keys[i] || !values[i];
    }
    unsigned char *header = bad ? NULL
                                : cli_safetensors_header_meta(&p->view, seed, (const char *const *)keys,
                                                              (const char *const *)values, n, size);
    for (size_t i = 0; i < n && keys && values; i++) {
        free(keys[i]);
        free(values[i]);
    }
    free(keys);
    free(values);
    return header;
}
