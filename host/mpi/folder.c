/* `clinit-mpi init --out DIR/`: Hugging Face's folder layout, the very files of `clinit init --out DIR/`, with
 * its shards written by the ranks in parallel. The plan (hf.h) is the single process's, and so are the files'
 * names and bytes; each shard file goes whole to one rank, which generates its tensors on its own device one
 * slab at a time (hf_files.h, slabs.h). Phases, each closed by an agreement of all ranks (mpi_agree):
 *   1. which rank writes which shard, from the plan alone (every rank computes the same);
 *   2. the folder (rank 0 reports what stops it for all), and without --force an earlier checkpoint in it;
 *   3. the device of each rank that has shards, and the model against it (as `clinit init` checks it);
 *   4. every rank writes its shards to temporary files (rank 0 config.json and the index too) and syncs them;
 *   5. every rank puts its files in place, then rank 0 the index; a rank that failed makes every rank take its
 *      files back (those --force was replacing return), and the folder goes if the run made it;
 *   6. with --force, rank 0 removes the weight files of an earlier checkpoint; then the summary. */
#include "cli.h"
#include "hf_files.h"
#include "init.h"
#include "slabs.h"

#include <inttypes.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* What every phase needs; zeroed, so that clean-up is right whichever phase failed. */
typedef struct folder_run {
    const mpi_world *w;
    const mpi_init_args *a;
    const cli_manifest *m;
    const cli_shards *s;
    uint64_t seed;
    int *owner;         /* the rank that writes shard k */
    size_t mine;        /* shards this rank writes */
    uint64_t own_bytes; /* of their tensors */
    int made;           /* this rank made the folder */
    cli_gen gen;
    int gen_open;
    cli_hf_files files;
    uint64_t device_ns, launches;
} folder_run;

typedef struct shard_size {
    uint64_t bytes;
    size_t k;
} shard_size;

static int larger_first(const void *pa, const void *pb)
{
    const shard_size *a = pa, *b = pb;
    if (a->bytes != b->bytes) return a->bytes < b->bytes ? 1 : -1;
    return a->k < b->k ? -1 : a->k > b->k;
}

/* Phase 1: shards to ranks by Graham's longest-processing-time rule: the largest shard first (the lower
 * number of equal ones), each to the rank with the fewest bytes so far (the lowest of equal ones). A rank's
 * time is its bytes, generated and written, and the run ends with its slowest rank. Shards differ in size (the
 * last one is partly filled, a tensor above --max-shard-size has one of its own), so dealing them out in turn
 * could give one rank two large ones while another has a small one; this rule stays within 4/3 of the best
 * balance. */
static int assign(folder_run *r)
{
    const cli_shards *s = r->s;
    int world = r->w->size;
    shard_size *by_size = malloc((s->count ? s->count : 1) * sizeof *by_size);
    uint64_t *load = calloc((size_t)world, sizeof *load);
    r->owner = malloc((s->count ? s->count : 1) * sizeof *r->owner);
    int rc = by_size && load && r->owner ? CLI_OK : cli_runtime_error("out of host memory");
    for (size_t k = 0; k < s->count && rc == CLI_OK; k++) by_size[k] = (shard_size){cli_hf_shard_bytes(r->m, s, k), k};
    if (rc == CLI_OK) qsort(by_size, s->count, sizeof *by_size, larger_first);
    for (size_t i = 0; i < s->count && rc == CLI_OK; i++) {
        int least = 0;
        for (int q = 1; q < world; q++)
            if (load[q] < load[least]) least = q;
        load[least] += by_size[i].bytes;
        r->owner[by_size[i].k] = least;
    }
    for (size_t k = 0; k < s->count && rc == CLI_OK; k++)
        if (r->owner[k] == r->w->rank) {
            r->mine++;
            r->own_bytes += cli_hf_shard_bytes(r->m, s, k);
        }
    free(by_size);
    free(load);
    return rc;
}

/* Phase 2: the folder. Every rank tries it (a rank on another node may see another file system), but what
 * stops rank 0 stops every rank that shares its file system: rank 0 says it for all. */
static int make_folder_all(folder_run *r)
{
    static char why[4200];
    int missing = mpi_folder_missing(r->a->out);
    cli_diag_capture(why, sizeof why);
    int rc = cli_hf_make_folder(r->a->out, &r->made);
    cli_diag_capture(NULL, 0);
    rc = mpi_report_shared(r->w, rc, why);
    /* every rank that saw it missing, as clinit-mpi --out-dir's folder (init.c, make_dir_all) */
    if (missing) cli_outfile_hold_folder(r->a->out);
    return rc;
}

/* Phase 2, without --force: an earlier checkpoint in the folder, said once when every rank sees it alike. */
static int check_clear_all(folder_run *r)
{
    static char why[4200];
    cli_diag_capture(why, sizeof why);
    int rc = r->a->force ? CLI_OK : cli_hf_check_clear(r->a->out, r->s, r->m->config != NULL);
    cli_diag_capture(NULL, 0);
    return mpi_report(r->w, rc, why);
}

/* Phase 3: the checks of `clinit init` on every device that generates, gathered as clinit-mpi gathers the
 * checks of its rank files: a message every rank gives alike is printed once. */
static int check_device_all(folder_run *r, uint64_t *capacity)
{
    static char why[8192];
    *capacity = cli_slabs_capacity(r->m, NULL);
    cli_diag_capture(why, sizeof why);
    int rc = r->gen_open ? cli_manifest_check_fits(r->m, r->gen.max_alloc) : CLI_OK;
    if (rc == CLI_OK && r->gen_open) rc = cli_manifest_check_scratch(r->m, r->gen.ctx, *capacity);
    cli_diag_capture(NULL, 0);
    return mpi_report(r->w, rc, why);
}

static int open_device(folder_run *r)
{
    if (!r->mine) return CLI_OK; /* nothing to generate: no device taken */
    int rc = mpi_gen_open(r->w, &r->gen);
    r->gen_open = rc == CLI_OK;
    return rc;
}

/* Phase 4: the rank's shards, in plan order, then on rank 0 config.json and the index (the last file). */
static int write_files(folder_run *r)
{
    int root = r->w->rank == 0;
    int rc = cli_hf_files_init(&r->files, r->a->out, r->mine + (root ? 2 : 0), r->a->force);
    uint64_t before = r->gen_open ? clinit_ctx_launch_count(r->gen.ctx) : 0;
    for (size_t k = 0; k < r->s->count && rc == CLI_OK; k++)
        if (r->owner[k] == r->w->rank)
            rc = cli_hf_files_shard(&r->files, r->m, r->s, k, r->seed, &r->gen, 0, &r->device_ns);
    r->launches = r->gen_open ? clinit_ctx_launch_count(r->gen.ctx) - before : 0;
    if (rc == CLI_OK && root) rc = cli_hf_files_config(&r->files, r->m);
    if (rc == CLI_OK && root) rc = cli_hf_files_index(&r->files, r->m, r->s);
    return rc;
}

/* Phase 5: files [from, to) of this rank under their names. */
static int publish(folder_run *r, size_t from, size_t to)
{
    int rc = CLI_OK;
    for (size_t i = from; i < to && rc == CLI_OK; i++) rc = cli_outfile_publish(&r->files.out[i]);
    return rc;
}

/* Phase 6: rank 0 prints what all ranks wrote. */
static void summary(const folder_run *r)
{
    uint64_t mine[2] = {r->own_bytes, r->device_ns}, most[2] = {0, 0}, launches = 0;
    MPI_Reduce(mine, most, 2, MPI_UINT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
    MPI_Reduce(&r->launches, &launches, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (r->w->rank != 0) return;
    const cli_manifest *m = r->m;
    size_t n = r->s->count;
    printf("%zu tensors, %" PRIu64 " values, %" PRIu64 " bytes, %d rank%s (at most %" PRIu64
           " bytes of shards on one) in %" PRIu64 " kernel launch%s, slowest rank's device time %.3f ms, wrote %s: "
           "%zu shard%s%s%s\n",
           m->count, m->total_numel, m->total_bytes, r->w->size, r->w->size == 1 ? "" : "s", most[0], launches,
           launches == 1 ? "" : "es", (double)most[1] / 1e6, r->a->out, n, n == 1 ? "" : "s",
           n > 1 ? ", model.safetensors.index.json" : "", m->config ? ", config.json" : "");
}

int mpi_init_folder(const mpi_world *w, const mpi_init_args *a, const cli_manifest *m, const cli_shards *s,
                    uint64_t seed)
{
    folder_run r = {.w = w, .a = a, .m = m, .s = s, .seed = seed};
    uint64_t capacity = 0;
    int rc = mpi_agree(assign(&r));
    if (rc == CLI_OK) rc = make_folder_all(&r);
    if (rc == CLI_OK) rc = check_clear_all(&r);
    if (rc == CLI_OK) rc = mpi_agree(open_device(&r));
    if (rc == CLI_OK) rc = check_device_all(&r, &capacity);
    if (rc == CLI_OK)
        rc = mpi_agree(r.gen_open ? cli_gen_reserve(&r.gen, (size_t)capacity, cli_manifest_scratch(m), m->path)
                                  : CLI_OK);
    if (rc == CLI_OK) rc = mpi_agree(write_files(&r));
    /* the index last, once every shard is in place: a reader that finds it finds them all */
    size_t index = r.files.written - (w->rank == 0 && s->count > 1);
    if (rc == CLI_OK) rc = mpi_agree(publish(&r, 0, index));
    if (rc == CLI_OK) rc = mpi_agree(publish(&r, index, r.files.written));
    if (r.gen_open) cli_gen_close(&r.gen);
    if (rc == CLI_OK) {
        for (size_t i = 0; i < r.files.written; i++) cli_outfile_commit(&r.files.out[i]);
        if (w->rank == 0 && a->force) cli_hf_remove_stale(a->out, s);
        summary(&r);
    } else {
        cli_hf_files_discard(&r.files);
        MPI_Barrier(MPI_COMM_WORLD); /* the folder is empty only once every rank has taken its files back */
        if (r.made) (void)rmdir(a->out);
    }
    cli_outfile_hold_folder(NULL);
    cli_hf_files_free(&r.files);
    free(r.owner);
    return rc;
}
