/* See help.h. */
#include "help.h"

const char mpi_tagline[] = "tensor-parallel sharded weight initialization with clinit, one OpenCL device per MPI rank";

const char mpi_overview_rest[] =
    "commands:\n"
    "  init       shards of a model manifest   mpirun -np 2 clinit-mpi init --manifest m.json --out-dir out\n"
    "             or Hugging Face's folder     mpirun -np 2 clinit-mpi init --manifest m.json --out out/\n"
    "  help       this text, or a command's    clinit-mpi help init\n"
    "\n"
    "options: --help (also after a command), --version\n";

const char mpi_init_synopsis[] =
    "mpirun -np N clinit-mpi init --manifest MODEL.json --out-dir DIR [--seed N] [--generation G]\n"
    "                              [--force] [--verify] [--manifest-limit BYTES]\n"
    "mpirun -np N clinit-mpi init --manifest MODEL.json --out DIR/ [--max-shard-size SIZE] [--seed N]\n"
    "                              [--generation G] [--force] [--manifest-limit BYTES]\n";

const char mpi_init_description[] =
    "--out-dir: each of the N ranks initializes its tensor-parallel shards of the manifest's tensors on its own\n"
    "OpenCL device and writes DIR/rank-R.safetensors. A tensor's \"split_dim\" in the manifest is the dimension\n"
    "it is split along (rank r of N holds [floor(r*n/N), floor((r+1)*n/N)) of it); without one it is\n"
    "replicated, whole on every rank. The shards of a seed concatenate to the bytes `clinit init` writes for it.\n"
    "--out DIR/: the ranks write the very files of `clinit init --out DIR/` (Hugging Face's layout: shards,\n"
    "model.safetensors.index.json, config.json), each shard file by one rank on its own device (the largest\n"
    "first, to the rank with the fewest bytes so far), rank 0 the index and config.json; split_dim is ignored.\n"
    "Either way the files appear only once every rank has written its own, and a failure takes them all back.\n";

const mpi_opt_help mpi_init_options[] = {
    {"--manifest F", "the model's manifest (as `clinit init`'s, plus split_dim per tensor)"},
    {"--manifest-limit BYTES", "the largest manifest read, in bytes, in [1, 2^64 - 1], decimal or 0x hex\n"
                               "[16777216 = 16 MiB], as `clinit init`'s"},
    {"--seed N", "overrides the manifest's seed: an unsigned 64-bit integer in [0, 2^64 - 1], decimal\n"
                 "or 0x hex [the manifest's seed, else 0]"},
    {"--generation G", "overrides the manifest's \"generation\": the generation contract of docs/ALGORITHMS.md the\n"
                       "values follow, 1 or 2 [the manifest's, else 2, the newest], as `clinit init`'s"},
    {"--out-dir DIR", "the folder of the rank files (created if missing); existing files are replaced only\n"
                      "with --force"},
    {"--out DIR/", "Hugging Face's folder (a trailing /, or an existing folder; made if missing, its parent\n"
                   "must exist); an earlier checkpoint in it is replaced only with --force (its stale\n"
                   "shards removed), as by `clinit init`"},
    {"--max-shard-size SIZE", "with --out DIR/: bytes per shard at most, as transformers' save_pretrained:\n"
                              "5000000000, 500MB, 1.5GB (KB, MB, GB, TB in any case: powers of 1000;\n"
                              "a number without one is whole bytes) in [1, 2^64) [50GB]"},
    {"--force", "replace existing rank files (--out-dir) or an earlier checkpoint (--out DIR/)"},
    {"--verify", "compare every shard with a single-process fill on rank 0 (XXH64); exit 1 if any differs\n"
                 "(--out-dir only)"},
};
const size_t mpi_n_init_options = sizeof mpi_init_options / sizeof mpi_init_options[0];

const char mpi_init_devices[] =
    "Devices: rank r takes device (local rank mod count) of the type CLINIT_DEVICE names (gpu, cpu; unset:\n"
    "GPUs, else any), or every rank the device CLINIT_DEVICE=P:D names (see `clinit devices`).\n";

const char mpi_init_exit_status[] =
    "Exit status: 0 success; 1 device, I/O or --verify failure (a CLINIT_ variable the library refuses too);\n"
    "2 usage error: arguments, manifest, output folder, an existing file without --force, a shard or an\n"
    "orthogonal scratch that does not fit the rank's device, all before anything is generated. Every rank\n"
    "exits with the same status, and a failed run leaves no new file (docs/MPI.md \"Failures\").\n";

const char mpi_init_examples[] =
    "mpirun -np 4 clinit-mpi init --manifest examples/manifests/gpt2.json --out-dir gpt2-tp4 --verify\n"
    "mpirun -np 4 clinit-mpi init --manifest examples/manifests/llama3_2_1b.json --out llama-1b/\n";
