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
    for (int d = 0; d < e->desc.rank; d++) {
        box->start[d] = 0;
        box->extent[d] = e->desc.shape[d];
    }
    if (e->split_dim >= 0)
        mpi_split_range(e->desc.shape[e->split_dim], rank, world, &box->start[e->split_dim],
                        &box->extent[e->split_dim]);
}

int mpi_plan_make(const cli_manifest *m, int rank, int world, mpi_plan *p)
{
    memset(p, 0, sizeof *p);
    cli_manifest_view(m, &p->view);
    p->view.entries = calloc(m->count ? m->count : 1, sizeof *p->view.entries);
    p->boxes = calloc(m->count ? m->count : 1, sizeof *p->boxes);
    if (!p->view.entries || !p->boxes) return cli_runtime_error("out of host memory");
    p->view.count = m->count;
    for (size_t i = 0; i < m->count; i++) {
        cli_entry *v = &p->view.entries[i];
        *v = m->entries[i];
        mpi_shard_box(v, rank, world, &p->boxes[i]);
        memcpy(v->desc.shape, p->boxes[i].extent, sizeof v->desc.shape);
        v->numel = cli_desc_numel(&v->desc);
    }
    /* A shard is no larger than its tensor, whose size the manifest already checked: placing cannot fail. */
    size_t bad;
    (void)cli_manifest_place(&p->view, &bad);
    return CLI_OK;
}

void mpi_plan_free(mpi_plan *p)
{
    /* The view's names belong to the model's manifest: only the arrays are ours. */
    free(p->view.entries);
    free(p->boxes);
    memset(p, 0, sizeof *p);
}
