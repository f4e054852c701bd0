/* Tensor-parallel shards. Boxes are computed from the manifest alone, so every rank (and the verifying
 * rank 0, for all of them) derives the same boxes without exchanging any. */
#include "shard.h"

#include "cli.h"

#include <stdlib.h>
#include <string.h>

void mpi_split_range(int64_t n, int rank, int world, int64_t *start, int64_t *extent)
{
    /* floor(r·n/w) without forming r·n, which overflows int64 for n near 2^62:
     * r·n = r·(n/w)·w + r·(n%w), and r·(n%w) < w² fits. */
    int64_t q = n / world, rem = n % world;
    int64_t lo = rank * q + rank * rem / world;
    int64_t hi = (rank + 1) * q + (rank + 1) * rem / world;
    *start = lo;
    *extent = hi - lo;
}

void mpi_shard_box(const cli_entry *e, int rank, int world, mpi_box *box)
{
    for (int d = 0; d < e->rank; d++) {
        box->start[d] = 0;
        box->extent[d] = e->shape[d];
    }
    if (e->split_dim >= 0)
        mpi_split_range(e->shape[e->split_dim], rank, world, &box->start[e->split_dim], &box->extent[e->split_dim]);
}

int mpi_plan_make(const cli_manifest *m, int rank, int world, mpi_plan *p)
{
    memset(p, 0, sizeof *p);
    p->view.seed = m->seed;
    p->view.entries = calloc(m->count ? m->count : 1, sizeof *p->view.entries);
    p->boxes = calloc(m->count ? m->count : 1, sizeof *p->boxes);
    if (!p->view.entries || !p->boxes) return cli_runtime_error("out of host memory");
    p->view.count = m->count;
    for (size_t i = 0; i < m->count; i++) {
        cli_entry *v = &p->view.entries[i];
        *v = m->entries[i];
        mpi_shard_box(v, rank, world, &p->boxes[i]);
        /* A shard is no larger than its tensor, whose size the manifest already checked. */
        v->numel = 1;
        for (int d = 0; d < v->rank; d++) {
            v->shape[d] = p->boxes[i].extent[d];
            v->numel *= (uint64_t)v->shape[d];
        }
        uint64_t bytes = v->numel * sizeof(float);
        v->offset = p->view.total_bytes;
        p->view.total_bytes += bytes;
        p->view.total_numel += v->numel;
        if (bytes > p->view.max_bytes) p->view.max_bytes = (size_t)bytes;
    }
    return CLI_OK;
}

void mpi_plan_free(mpi_plan *p)
{
    /* The view's names belong to the model's manifest: only the arrays are ours. */
    free(p->view.entries);
    free(p->boxes);
    memset(p, 0, sizeof *p);
}
