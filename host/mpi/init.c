/* `clinit-mpi init`. The run goes in phases, each closed by an agreement of all ranks (mpi_agree), so that
 * every rank takes the same path and exits with the same status:
 *   1. arguments and manifest, checked alike by every rank: rank 0 reports for all;
 *   2. output folder: rank 0 reports for all what stops it; rank files of an earlier run: rank 0 names them
 *      all; then rank file (temporary) and device: each rank reports its own failures; then the model
 *      against each rank's device: a message every rank gives alike once, by rank 0, others each rank's;
 *   3. header and shards written and synced, still under temporary names;
 *   4. every rank puts its file in place; a rank that failed makes the others take theirs back (outfile.h);
 *   5. summary, and with --verify the check against a single-process fill.
 * A failed run leaves no new rank file (those --force was replacing return), and no output folder it created
 * itself. With --out DIR/ instead of --out-dir, phase 1 plans Hugging Face's shards and folder.c writes them. */
#include "args.h"
#include "cli.h"
#include "gen.h"
#include "hf.h"
#include "help.h"
#include "hf_files.h"
#include "init.h"
#include "manifest.h"
#include "mpi_cli.h"
#include "outfile.h"
#include "pick.h"
#include "readers.h"
#include "rankfile.h"
#include "shard.h"
#include "verify.h"

#include <errno.h>
#include <inttypes.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What every phase needs; zeroed, so that clean-up is right whichever phase failed. */
typedef struct run_state {
    const mpi_world *w;
    mpi_init_args a;
    cli_manifest m;
    uint64_t seed;
    cli_shards shards; /* --out DIR/: Hugging Face's plan */
    mpi_plan plan;
    char *path; /* DIR/rank-R.safetensors */
    int created_dir;
    cli_outfile out;
    cli_gen gen;
    unsigned char *header; /* the rank file's safetensors header */
    size_t header_size;
    uint64_t device_ns, launches; /* of writing the shards */
} run_state;

static int parse_args(int argc, char **argv, mpi_init_args *a)
{
    const cli_opt opts[] = {
        {"--manifest", CLI_OPT_VALUE, &a->manifest},
        {"--manifest-limit", CLI_OPT_VALUE, &a->manifest_limit},
        {"--seed", CLI_OPT_VALUE, &a->seed},
        {"--generation", CLI_OPT_VALUE, &a->generation},
        {"--out-dir", CLI_OPT_VALUE, &a->out_dir},
        {"--out", CLI_OPT_VALUE, &a->out},
        {"--max-shard-size", CLI_OPT_VALUE, &a->max_shard_size},
        {"--force", CLI_OPT_FLAG, &a->force},
        {"--verify", CLI_OPT_FLAG, &a->verify},
    };
    /* the table must be exactly the documented options (help.c), in the same order, so that none goes
     * undocumented in the help and the man page; a drifted table fails every run */
    size_t nopts = sizeof opts / sizeof opts[0];
    for (size_t i = 0; i < nopts || i < mpi_n_init_options; i++) {
        const char *doc = i < mpi_n_init_options ? mpi_init_options[i].term : "";
        size_t len = strcspn(doc, " ");
        if (i >= nopts || strlen(opts[i].name) != len || strncmp(opts[i].name, doc, len) != 0)
            return cli_runtime_error("init: the option table's entry %zu, %s, is not help.c's (%s)", i + 1,
                                     i < nopts ? opts[i].name : "none", *doc ? doc : "none");
    }
    size_t npos;
    int rc = cli_parse(argc, argv, opts, nopts, NULL, 0, &npos);
    if (rc != CLI_OK) return rc;
    if (!a->manifest) return cli_usage_error("init: missing --manifest");
    if (a->out && a->out_dir)
        return cli_usage_error("init: --out and --out-dir exclude each other (--out DIR/: Hugging Face's folder; "
                               "--out-dir DIR: one file per rank)");
    if (!a->out && !a->out_dir)
        return cli_usage_error("init: missing --out DIR/ (Hugging Face's folder) or --out-dir DIR (one file per rank)");
    a->max_shard = CLI_HF_MAX_SHARD_DEFAULT;
    if (a->out_dir) {
        if (!*a->out_dir) return cli_usage_error("--out-dir: empty folder name");
        if (a->max_shard_size)
            return cli_usage_error("--max-shard-size: only with --out DIR/ (Hugging Face's sharded layout); --out-dir "
                                   "writes one file per rank");
        return CLI_OK;
    }
    /* as `clinit init` tells a folder from a file; clinit-mpi writes no single file */
    if (!*a->out || !cli_hf_is_folder(a->out))
        return cli_usage_error("--out %s: clinit-mpi writes a folder: end its name with / (DIR/, Hugging Face's "
                               "layout) or name an existing folder; --out-dir DIR writes one file per rank",
                               a->out);
    if (a->verify)
        return cli_usage_error("--verify: only with --out-dir (the rank files); --out DIR/ writes the very files of "
                               "`clinit init --out DIR/`: compare them with cmp");
    return a->max_shard_size ? cli_hf_parse_size("--max-shard-size", a->max_shard_size, &a->max_shard) : CLI_OK;
}

/* Phase 1 for one rank: -1 for --help, else an exit status. */
static int load(run_state *s, int argc, char **argv)
{
    memset(&s->a, 0, sizeof s->a);
    uint64_t limit = 0;
    int generation = 0;
    int rc = parse_args(argc, argv, &s->a);
    if (rc == CLI_OK) rc = cli_u64_option("--seed", s->a.seed, &s->seed);
    if (rc == CLI_OK) rc = cli_generation_option(s->a.generation, &generation);
    if (rc == CLI_OK) rc = cli_manifest_limit_option(s->a.manifest_limit, &limit);
    /* every rank reads the manifest, and mpiexec hands standard input to one rank at most */
    if (rc == CLI_OK && s->a.manifest && strcmp(s->a.manifest, "-") == 0)
        rc = cli_usage_error("--manifest -: every rank reads the manifest, and only one rank has standard input: give "
                             "a file");
    if (rc == CLI_OK) rc = cli_manifest_load(s->a.manifest, limit, &s->m);
    if (rc == CLI_OK && !s->a.seed) s->seed = s->m.seed; /* --seed overrides the manifest's */
    if (rc == CLI_OK && generation) cli_manifest_set_generation(&s->m, generation); /* and --generation its */
    if (rc == CLI_OK && s->a.out) rc = cli_hf_plan(&s->m, s->a.max_shard, &s->shards);
    if (rc == CLI_OK && s->a.out) rc = cli_hf_check_headers(&s->m, &s->shards, s->seed);
    return rc;
}

/* Phase 1 for all ranks. A rank that fails where rank 0 did not (its own copy of the manifest is missing
 * or differs) loads once more to show the message that rank 0 could not give. */
static int load_all(run_state *s, int argc, char **argv)
{
    mpi_diag(s->w, 1);
    int root_rc, rc = load(s, argc, argv);
    int all = mpi_agree_root(rc, &root_rc);
    if (rc > 0 && root_rc == CLI_OK) {
        mpi_diag(s->w, 0);
        cli_manifest_free(&s->m);
        cli_hf_shards_free(&s->shards);
        (void)load(s, argc, argv);
    }
    mpi_diag(s->w, 0);
    return all;
}

/* Creates the output folder unless it exists; s->created_dir remembers that this rank made it. CLI_OK, or
 * CLI_USAGE (CLI_RUNTIME for a full disk and the like: cli_errno_status) with the message in why. */
static int make_dir(run_state *s, char *why, size_t size)
{
    const char *dir = s->a.out_dir;
    if (mkdir(dir, 0777) == 0) {
        s->created_dir = 1;
        return CLI_OK;
    }
    int err = errno;
    struct stat st;
    if (err == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return CLI_OK; /* another rank's, or old */
    if (err == EEXIST) {
        snprintf(why, size, "--out-dir %s: not a folder", dir);
        return CLI_USAGE;
    }
    snprintf(why, size, "--out-dir %s: cannot create it: %s", dir, strerror(err));
    return cli_errno_status(err);
}

/* Phase 2a: the output folder. Every rank tries it (ranks on other nodes may see other file systems), but what
 * stops rank 0 (a file of that name, no parent folder) is an argument error that every rank sharing its file
 * system repeats: rank 0 reports it for all. A rank that fails where rank 0 did not reports its own. */
static int make_dir_all(run_state *s)
{
    char why[4200];
    int missing = mpi_folder_missing(s->a.out_dir);
    int rc = mpi_report_shared(s->w, make_dir(s, why, sizeof why), why);
    /* A fatal signal takes the folder back with the files, on every rank that saw it missing: the last rank to
     * remove its file is the one whose rmdir finds it empty, and it need not be the rank that made it; a rank
     * whose file system had the folder already (another node's) leaves it. */
    if (missing) cli_outfile_hold_folder(s->a.out_dir);
    return rc;
}

/* Phase 2b: the rank's plan, file name and header. */
static int plan(run_state *s)
{
    const mpi_world *w = s->w;
    int rc = mpi_plan_make(&s->m, w->rank, w->size, &s->plan);
    size_t len = strlen(s->a.out_dir) + 40;
    if (rc == CLI_OK && !(s->path = malloc(len))) rc = cli_runtime_error("out of host memory");
    if (rc == CLI_OK) snprintf(s->path, len, "%s/rank-%d.safetensors", s->a.out_dir, w->rank);
    if (rc == CLI_OK && !(s->header = mpi_rank_header(&s->m, &s->plan, s->seed, w->rank, w->size, &s->header_size)))
        rc = cli_runtime_error("out of host memory building the safetensors header");
    return rc;
}

/* Phase 2b': a header the safetensors library would refuse, before any file or device (said once when every
 * rank's is alike). */
static int check_header_all(run_state *s)
{
    char why[512] = "", message[1024] = "";
    int rc = cli_safetensors_header_fits(s->header_size - 8, why, sizeof why) == 0 ? CLI_OK : CLI_USAGE;
    if (rc != CLI_OK) snprintf(message, sizeof message, "%s: %s", s->m.path, why);
    return mpi_report(s->w, rc, message);
}

/* Phase 2c: rank files of an earlier run, without --force. Each rank looks at its own (ranks on other nodes may
 * see other file systems), and rank 0 names them all in one message: every rank refusing its own file would
 * say one thing W times. (cli_outfile_open still refuses a file that appears after this look.) */
static int check_existing(run_state *s)
{
    const mpi_world *w = s->w;
    struct stat st;
    /* what cli_outfile_open refuses without --force: a regular file, at the end of any links */
    int mine = !s->a.force && stat(s->path, &st) == 0 && S_ISREG(st.st_mode);
    int *all = w->rank == 0 ? calloc((size_t)w->size, sizeof *all) : NULL;
    int ok = w->rank != 0 || all;
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ok) return mpi_agree(cli_runtime_error("out of host memory"));
    MPI_Gather(&mine, 1, MPI_INT, all, 1, MPI_INT, 0, MPI_COMM_WORLD);
    int rc = CLI_OK;
    if (w->rank == 0) {
        int count = 0, listed = 0;
        char names[512] = "";
        size_t used = 0;
        for (int r = 0; r < w->size; r++) {
            if (!all[r]) continue;
            count++;
            if (listed++ < 8 && used < sizeof names)
                used +=
                    (size_t)snprintf(names + used, sizeof names - used, "%srank-%d.safetensors", used ? ", " : "", r);
        }
        mpi_diag(w, 1);
        if (count == 1)
            rc = cli_usage_error("--out-dir %s: %s exists (use --force to replace it)", s->a.out_dir, names);
        else if (count > 8)
            rc = cli_usage_error("--out-dir %s: %d rank files exist: %s and %d more (use --force to replace them)",
                                 s->a.out_dir, count, names, count - 8);
        else if (count)
            rc = cli_usage_error("--out-dir %s: %d rank files exist: %s (use --force to replace them)", s->a.out_dir,
                                 count, names);
        mpi_diag(w, 0);
    }
    free(all);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return rc;
}

int mpi_gen_open(const mpi_world *w, cli_gen *gen)
{
    cl_device_id device;
    char why[256];
    if (cli_pick_device(w->local_rank, &device, why, sizeof why) != 0) return cli_runtime_error("%s", why);
    return cli_gen_open_device(gen, device);
}

/* Phase 2d: the rank's temporary file and device. */
static int open_all(run_state *s)
{
    int rc = cli_outfile_open(&s->out, "--out-dir", s->path, s->a.force);
    return rc == CLI_OK ? mpi_gen_open(s->w, &s->gen) : rc;
}

/* Phase 2e: the model against the rank's device, before anything is reserved: its shards, the scratch of its
 * orthogonal fills (of the whole matrix, whatever the shard), and that scratch beside the buffers. *capacity:
 * the bytes of those buffers. */
static int check_device(run_state *s, uint64_t *capacity)
{
    /* The whole matrices' scratch first (an orthogonal shard's fill computes the whole matrix), then the shards'
     * buffers, then that scratch beside the buffers the rank keeps. */
    int rc = cli_manifest_check_scratch(&s->m, s->gen.ctx, 0);
    if (rc == CLI_OK) rc = cli_manifest_check_fits(&s->plan.view, s->gen.max_alloc);
    /* The shards go in slabs and groups (cli_slabs_write): the buffers hold the largest slab, not the largest
     * shard. Rank 0 verifies by filling whole tensors, so with --verify its buffers hold the largest tensor. */
    int whole = s->w->rank == 0 && s->a.verify;
    if (rc == CLI_OK && whole) rc = cli_manifest_check_fits(&s->m, s->gen.max_alloc);
    *capacity = rc == CLI_OK ? cli_slabs_capacity(&s->m, s->plan.boxes) : 0;
    if (whole && s->m.max_bytes > *capacity) *capacity = s->m.max_bytes;
    if (rc == CLI_OK) rc = cli_manifest_check_scratch(&s->m, s->gen.ctx, *capacity);
    return rc;
}

/* Phase 2e for all ranks: the checks are the manifest's against a device, alike on every rank with alike
 * devices and shards, so the messages are gathered and one that every rank gives is printed once. */
static int check_device_all(run_state *s, uint64_t *capacity)
{
    static char why[8192];
    cli_diag_capture(why, sizeof why);
    int rc = check_device(s, capacity);
    cli_diag_capture(NULL, 0);
    return mpi_report(s->w, rc, why);
}

/* Phase 3: header, then the shards through the device buffer (small ones together, large ones in slabs, as
 * `clinit init` writes whole tensors), then sync. */
static int write_shards(run_state *s)
{
    int rc = cli_outfile_write(&s->out, s->header, s->header_size);
    uint64_t before = clinit_ctx_launch_count(s->gen.ctx);
    if (rc == CLI_OK) rc = cli_slabs_write(&s->m, s->plan.boxes, s->seed, &s->out, &s->gen, 0, &s->device_ns);
    s->launches = clinit_ctx_launch_count(s->gen.ctx) - before;
    return rc == CLI_OK ? cli_outfile_finish(&s->out) : rc;
}

/* Phase 5: rank 0 prints what all ranks wrote. */
static void summary(const run_state *s)
{
    uint64_t sum[2] = {s->plan.view.total_bytes, s->launches}, all[2] = {0, 0}, ns = s->device_ns, max_ns = 0;
    MPI_Reduce(sum, all, 2, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&ns, &max_ns, 1, MPI_UINT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
    if (s->w->rank != 0) return;
    size_t split = 0;
    for (size_t i = 0; i < s->m.count; i++) split += s->m.entries[i].split_dim >= 0;
    printf("%zu tensors (%zu split, %zu replicated), %" PRIu64 " values, %d rank%s wrote %" PRIu64
           " bytes of shards in %" PRIu64 " kernel launch%s, slowest rank's device time %.3f ms, wrote "
           "%s/rank-*.safetensors\n",
           s->m.count, split, s->m.count - split, s->m.total_numel, s->w->size, s->w->size == 1 ? "" : "s", all[0],
           all[1], all[1] == 1 ? "" : "es", (double)max_ns / 1e6, s->a.out_dir);
}

/* After a failed phase: every rank takes back what it made (a published rank file goes, the one it replaced
 * returns), then the folder goes if this run made it. */
static void clean_up(run_state *s)
{
    cli_outfile_discard(&s->out);
    MPI_Barrier(MPI_COMM_WORLD); /* the folder is empty only once every rank has removed its files */
    if (s->created_dir) (void)rmdir(s->a.out_dir);
}

static int verify(run_state *s)
{
    uint64_t *hashes = malloc((s->m.count ? s->m.count : 1) * sizeof *hashes);
    int rc =
        hashes ? mpi_hash_file(s->path, s->header_size, &s->plan, hashes) : cli_runtime_error("out of host memory");
    if (mpi_agree(rc) == CLI_OK)
        rc = mpi_verify(s->w, &s->m, s->seed, &s->gen, hashes);
    else
        rc = CLI_RUNTIME;
    free(hashes);
    return rc;
}

int mpi_cmd_init(const mpi_world *w, int argc, char **argv)
{
    run_state s;
    memset(&s, 0, sizeof s);
    s.w = w;
    int rc = load_all(&s, argc, argv);
    if (rc == CLI_OK && s.a.out)
        rc = mpi_init_folder(w, &s.a, &s.m, &s.shards, s.seed);
    else if (rc == CLI_OK) {
        uint64_t capacity = 0;
        rc = make_dir_all(&s);
        if (rc == CLI_OK) rc = mpi_agree(plan(&s));
        if (rc == CLI_OK) rc = check_header_all(&s);
        if (rc == CLI_OK) rc = check_existing(&s);
        if (rc == CLI_OK) rc = mpi_agree(open_all(&s));
        if (rc == CLI_OK) rc = check_device_all(&s, &capacity);
        if (rc == CLI_OK)
            rc = mpi_agree(cli_gen_reserve(&s.gen, (size_t)capacity, cli_manifest_scratch(&s.m), s.m.path));
        if (rc == CLI_OK) rc = mpi_agree(write_shards(&s));
        if (rc == CLI_OK) rc = mpi_agree(cli_outfile_publish(&s.out));
        if (rc != CLI_OK)
            clean_up(&s);
        else {
            cli_outfile_commit(&s.out);
            summary(&s);
        }
        /* The files stay whatever --verify finds: they are what the run wrote, and the report says why not to
         * trust them. */
        if (rc == CLI_OK && s.a.verify) rc = verify(&s);
        cli_outfile_hold_folder(NULL);
        cli_gen_close(&s.gen);
        mpi_plan_free(&s.plan);
        free(s.header);
        free(s.path);
    }
    cli_hf_shards_free(&s.shards);
    cli_manifest_free(&s.m);
    return rc < 0 ? CLI_OK : rc;
}
