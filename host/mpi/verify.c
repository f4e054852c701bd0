/* --verify. Each rank hashes what its file holds, read back from disk, so that the check covers the bytes a
 * reader will see; rank 0 hashes the same boxes cut out of whole-tensor fills, the single-process path of
 * `clinit init`. 8 bytes per shard cross the network, never the weights. */
#include "verify.h"

#include "cli.h"
#include "dtypes.h"

#include <errno.h>
#include <inttypes.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define READ_CHUNK (1u << 20)
#define MAX_REPORTED 20 /* differences listed one by one; the summary line counts them all */

int mpi_hash_file(const char *path, size_t header_size, const mpi_plan *p, uint64_t *hashes)
{
    unsigned char *buf = malloc(READ_CHUNK);
    XXH64_state_t *st = XXH64_createState();
    if (!buf || !st) {
        free(buf);
        XXH64_freeState(st);
        return cli_runtime_error("out of host memory");
    }
    FILE *f = fopen(path, "rb");
    int ok = f && fseek(f, (long)header_size, SEEK_SET) == 0;
    for (size_t i = 0; i < p->view.count && ok; i++) {
        XXH64_reset(st, 0);
        const cli_entry *e = &p->view.entries[i];
        for (uint64_t left = e->numel * clinit_dtype_size(e->desc.dtype); left > 0 && ok;) {
            size_t n = left < READ_CHUNK ? (size_t)left : READ_CHUNK;
            ok = fread(buf, 1, n, f) == n;
            XXH64_update(st, buf, n);
            left -= n;
        }
        hashes[i] = XXH64_digest(st);
    }
    int err = errno;
    int rc = ok ? CLI_OK
                : cli_runtime_error("verify: reading %s back: %s", path, f && !ferror(f) ? "too short" : strerror(err));
    XXH64_freeState(st);
    free(buf);
    if (f) fclose(f);
    return rc;
}

static int hash_update(void *st, const void *bytes, size_t n) { return XXH64_update(st, bytes, n) == XXH_OK ? 0 : -1; }

/* XXH64 of box b of the row-major tensor `full` (elements of esize bytes) of the given shape, in the box's own
 * row-major order, as little-endian bytes: what a fill of that box writes to a file. Trailing dimensions the box
 * spans whole are one contiguous run. */
static uint64_t box_hash(XXH64_state_t *st, const unsigned char *full, size_t esize, int rank, const int64_t *shape,
                         const mpi_box *b)
{
    XXH64_reset(st, 0);
    int64_t stride[CLINIT_MAX_RANK], numel = 1;
    for (int d = rank - 1; d >= 0; d--) {
        stride[d] = numel;
        numel *= shape[d];
    }
    int64_t boxel = 1;
    for (int d = 0; d < rank; d++) boxel *= b->extent[d];
    if (boxel == 0) return XXH64_digest(st);
    int k = rank - 1; /* the innermost dimension the box does not span whole */
    while (k >= 0 && b->start[k] == 0 && b->extent[k] == shape[k]) k--;
    size_t run = (size_t)(k >= 0 ? b->extent[k] * stride[k] : numel);
    int64_t idx[CLINIT_MAX_RANK];
    for (int d = 0; d < k; d++) idx[d] = b->start[d];
    for (;;) {
        int64_t at = k >= 0 ? b->start[k] * stride[k] : 0;
        for (int d = 0; d < k; d++) at += idx[d] * stride[d];
        (void)cli_le_each(full + (size_t)at * esize, run, esize, hash_update, st);
        int d = k - 1; /* odometer over the dimensions before k */
        while (d >= 0 && ++idx[d] == b->start[d] + b->extent[d]) {
            idx[d] = b->start[d];
            d--;
        }
        if (d < 0) return XXH64_digest(st);
    }
}

/* Rank 0: the number of shards that differ from the single-process fill, or -1 after a message. */
static long compare(const mpi_world *w, const cli_manifest *m, uint64_t seed, cli_gen *gen, const uint64_t *all)
{
    XXH64_state_t *st = XXH64_createState();
    if (!st) {
        cli_runtime_error("out of host memory");
        return -1;
    }
    long differ = 0;
    uint64_t device_ns = 0;
    for (size_t i = 0; i < m->count; i++) {
        const cli_entry *e = &m->entries[i];
        if (cli_gen_fill(gen, &e->desc, NULL, NULL, &e->spec, seed, clinit_stream_from_name(e->name), m, i,
                         &device_ns) != CLI_OK) {
            differ = -1;
            break;
        }
        for (int r = 0; r < w->size; r++) {
            mpi_box b;
            mpi_shard_box(e, r, w->size, &b);
            uint64_t want = box_hash(st, gen->host, clinit_dtype_size(e->desc.dtype), e->desc.rank, e->desc.shape, &b);
            uint64_t got = all[(size_t)r * m->count + i];
            if (got == want || ++differ > MAX_REPORTED) continue;
            cli_runtime_error("verify: tensor \"%s\": rank %d's shard has XXH64 %016" PRIx64
                              ", the single-process fill %016" PRIx64,
                              e->name, r, got, want);
        }
    }
    XXH64_freeState(st);
    return differ;
}

int mpi_verify(const mpi_world *w, const cli_manifest *m, uint64_t seed, cli_gen *gen, const uint64_t *hashes)
{
    uint64_t *all = w->rank == 0 ? malloc(m->count * (size_t)w->size * sizeof *all) : NULL;
    int rc = w->rank == 0 && !all ? cli_runtime_error("out of host memory") : CLI_OK;
    if (mpi_agree(rc) != CLI_OK) return CLI_RUNTIME;
    MPI_Gather(hashes, (int)m->count, MPI_UINT64_T, all, (int)m->count, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (w->rank == 0) {
        long differ = compare(w, m, seed, gen, all);
        if (differ > 0)
            printf("verified %zu tensors across %d rank%s: %ld shard%s differ\n", m->count, w->size,
                   w->size == 1 ? "" : "s", differ, differ == 1 ? "" : "s");
        else if (differ == 0)
            printf("verified %zu tensors across %d rank%s: identical\n", m->count, w->size, w->size == 1 ? "" : "s");
        rc = differ == 0 ? CLI_OK : CLI_RUNTIME;
        free(all);
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return rc;
}
