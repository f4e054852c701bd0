/* Help texts: every command with an example that can be pasted as it is. */
#include "cli.h"
#include "spec.h"

#include <stdio.h>
#include <string.h>

/* Texts in which @INITS@ stands for the initializer names and @REQUIRED@ for the parameters they require, both
 * from the library's registry (never stale). */
static const struct {
    const char *command;
    const char *text;
} usages[] = {
    {"devices",
     "usage: clinit devices\n"
     "\n"
     "Lists every OpenCL platform and device. The P:D index selects a device for the other commands:\n"
     "  CLINIT_DEVICE=0:1 clinit sample ...   (also CLINIT_DEVICE=gpu or cpu; default: first GPU, else first device)\n"
     "\n"
     "A * in the USED column marks the device CLINIT_DEVICE selects now.\n"
     "\n"
     "example:\n"
     "  clinit devices\n"},
    {"sample",
     "usage: clinit sample INIT --shape D0,D1,... --out FILE [--dtype f32|f16|bf16|f64|i32|i64]\n"
     "                     [--layout oi|io|axes] [--in-axes LIST --out-axes LIST [--batch-axes LIST]]\n"
     "                     [--seed N] [--stream N] [--param NAME=VALUE ...] [--box S:E,S:E,...] [--hist]\n"
     "                     [--name NAME] [--force]\n"
     "\n"
     "Generates one tensor with the initializer INIT on the device, writes it to a .npy or .safetensors file\n"
     "and prints its mean, std, min and max next to the distribution INIT resolves to.\n"
     "  INIT           @INITS@\n"
     "  --shape        dimensions, comma-separated (\"\" for a scalar); rank <= 8\n"
     "  --dtype        f32 [default], f16, bf16 (the f32 values rounded to nearest even) or f64 (generated\n"
     "                 in double; needs a device with cl_khr_fp64), i32 or i64 (integers: constant, zeros\n"
     "                 and ones only, val an integer of the dtype)\n"
     "  --layout       each framework's rule for fans and orthogonal's flattening: oi = PyTorch (out, in,\n"
     "                 k...) [default], io = Keras/TF (k..., in, out; rank 0 and 1 take Keras's fans),\n"
     "                 axes = JAX's explicit axes (below)\n"
     "  --in-axes L    with --layout axes: the dimensions contracted with the input (fan_in), e.g. 0;\n"
     "                 negative ones count from the end, as in Python (-1 is the last)\n"
     "  --out-axes L   with --layout axes: the dimensions that index outputs (fan_out), e.g. 1,2 or -2,-1\n"
     "  --batch-axes L with --layout axes: dimensions of independent kernels, in no fan [default none]\n"
     "  --seed N       Philox key, decimal or 0x hex [default 0]\n"
     "  --stream N     stream of the tensor, decimal or 0x hex [default 0]\n"
     "  --param N=V    a parameter of INIT by PyTorch's name (JAX's column_axis), each at most once; clinit inits\n"
     "                 INIT lists them with their defaults and ranges. Required: @REQUIRED@\n"
     "  --out FILE     FILE.npy (f32, f16, f64, i32, i64) or FILE.safetensors (any dtype; bf16 needs it, NumPy has no\n"
     "                 bf16); symbolic links are followed, and an existing file at their end is replaced only\n"
     "                 with --force (the link stays); a device, FIFO or socket (/dev/null, /dev/stdout on a\n"
     "                 pipe) is written in place as .npy, without --force; a folder is an error. When FILE\n"
     "                 is standard output, the summary (and --hist) goes to stderr: stdout is the file only\n"
     "  --name NAME    the tensor's name in a .safetensors file [default weight]\n"
     "  --box S:E,...  write only the box [S, S+E) of every dimension (a shard): the values and fans of the\n"
     "                 whole tensor; the file's shape is the extents\n"
     "  --hist         also print a histogram of the values next to the counts the distribution predicts\n"
     "\n"
     "examples:\n"
     "  clinit sample kaiming_normal --shape 64,3,7,7 --param mode=fan_out --param nonlinearity=relu --out w.npy\n"
     "  clinit sample normal --shape 1024,1024 --dtype bf16 --out w.safetensors --name fc.weight\n"
     "  clinit sample xavier_normal --shape 4096,1024 --box 1024:1024,0:1024 --out shard1.npy --hist\n"
     "  clinit sample glorot_uniform --shape 768,12,64 --layout axes --in-axes 0 --out-axes 1,2 --out q.npy\n"
     "                               (an attention projection: fan_in = fan_out = 768, U[-0.0625, 0.0625))\n"},
    {"init",
     "usage: clinit init --manifest MODEL.json --out MODEL.safetensors [--seed N] [--force]\n"
     "                   [--manifest-limit BYTES]\n"
     "       clinit init --manifest MODEL.json --out DIR/ [--max-shard-size SIZE] [--seed N] [--force]\n"
     "                   [--manifest-limit BYTES]\n"
     "\n"
     "Initializes every tensor of a model manifest on the device and writes them to a safetensors file, or to a\n"
     "folder in Hugging Face's layout (docs/CHECKPOINTS.md).\n"
     "Each tensor's stream is the XXH64 of its name, so adding, removing or reordering tensors never\n"
     "changes another tensor's values.\n"
     "  --manifest F   the model's manifest, JSON: top level seed, layout, dtype, tensors; per tensor name,\n"
     "                 shape, init, params, fan_from, layout, dtype, in_axes, out_axes, batch_axes, split_dim\n"
     "                 (README \"Manifests\")\n"
     "  --manifest-limit BYTES\n"
     "                 the largest manifest read, in bytes [16777216 = 16 MiB]: reading one takes about 11\n"
     "                 bytes of memory per byte of it (up to 38; docs/FILES.md)\n"
     "  --seed N       overrides the manifest's seed, decimal or 0x hex\n"
     "  --out FILE     the .safetensors file (or a device, FIFO or socket, written in place); symbolic links are\n"
     "                 followed, and an existing file at their end is replaced only with --force (the link stays)\n"
     "  --out DIR/     a folder (a trailing '/' or an existing folder; made if missing): DIR/model.safetensors,\n"
     "                 or DIR/model-0000k-of-0000n.safetensors and DIR/model.safetensors.index.json when the\n"
     "                 tensors need several shards, and DIR/config.json when the manifest has a \"config\";\n"
     "                 transformers' from_pretrained(DIR) loads it. An existing checkpoint there is replaced\n"
     "                 only with --force (its other weight files removed). The files appear together at the end\n"
     "  --max-shard-size SIZE  bytes per shard at most, as transformers' save_pretrained: 5000000000, 500MB,\n"
     "                 1.5GB (KB, MB, GB, TB: powers of 1000) [50GB]; a larger tensor gets a shard of its own\n"
     "\n"
     "It ends with one line, once the output is in place: tensors, parameters, bytes, device time, GB/s, on\n"
     "stdout (on stderr when FILE is standard output: stdout is the file only).\n"
     "\n"
     "examples:\n"
     "  clinit init --manifest examples/manifests/resnet50.json --out resnet50.safetensors\n"
     "  clinit init --manifest examples/manifests/gpt2.json --seed 7 --out gpt2.safetensors --force\n"
     "  clinit init --manifest examples/manifests/llama3_2_1b.json --out llama-1b/\n"},
    {"inits",
     "usage: clinit inits [INIT] [--json]\n"
     "\n"
     "Lists the initializers, or only INIT: what each samples, the framework and paper it follows, the tensors it\n"
     "takes, and its parameters (for --param and manifests' params) with their type, default and accepted range,\n"
     "as the library states them (clinit_init_get_info, clinit_init_get_param_info).\n"
     "  INIT           @INITS@\n"
     "  --json         one JSON object {\"initializers\": [...]} instead of the text, for tools: per initializer\n"
     "                 name, doc, source, distribution, needs_fans, min_rank, max_rank, layouts, params; per\n"
     "                 parameter name, type (real, integer, name, axis), required, default, min, max, min_open,\n"
     "                 max_open (a real's, integer's or axis's range; \"inf\" and \"-inf\" where unbounded; an\n"
     "                 axis's default null: unset) or values (a name's), doc\n"
     "\n"
     "examples:\n"
     "  clinit inits kaiming_normal\n"
     "  clinit inits --json\n"},
    {"bench",
     "usage: clinit bench [--init LIST] [--dtype LIST] [--size LIST] [--repeat N] [--host-repeat N] [--json]\n"
     "       clinit bench --models [--manifest FILE ...] [--manifest-limit BYTES] [--repeat N] [--json]\n"
     "\n"
     "Measures fills on the device (CLINIT_DEVICE): device time (OpenCL profiling, median of N runs after a\n"
     "warm-up), GB/s and Gsamples/s, next to clEnqueueFillBuffer and a float4 store kernel on the same buffer\n"
     "(the bandwidth ceiling) and to the path without clinit: clinit_reference_fill on the host, then\n"
     "clEnqueueWriteBuffer (wall clock). Dtypes the library does not generate are skipped with a note.\n"
     "  --init LIST        initializers that fill a rank-2 tensor with their defaults: not constant, sparse,\n"
     "                     linear_default_bias (a required --param) nor dirac, delta_orthogonal (rank 3-5)\n"
     "                     [uniform,normal,xavier_uniform,kaiming_normal,trunc_normal]\n"
     "  --dtype LIST       f32, f16, bf16, f64 [all]\n"
     "  --size LIST        bytes of output, K/M/G/T binary multiples of 16 bytes [1M,16M,256M,1G]; capped at\n"
     "                     CL_DEVICE_MAX_MEM_ALLOC_SIZE and half the global memory\n"
     "  --repeat N         timed device runs [5]\n"
     "  --host-repeat N    timed host-path runs, 0 to skip the host path [3]\n"
     "  --json             one JSON object per line per measurement instead of the table\n"
     "  --models           whole models instead: device time of every tensor's fill, fills and launches, and\n"
     "                     the start-up cost of a context (cold: empty PoCL kernel cache; warm)\n"
     "  --manifest FILE    with --models, instead of examples/manifests/{resnet50,gpt2}.json, which are read\n"
     "                     relative to the current folder: the source tree's root (repeatable)\n"
     "  --manifest-limit BYTES  with --models, the largest manifest read [16777216 = 16 MiB]\n"
     "\n"
     "example:\n"
     "  clinit bench --size 16M,256M --repeat 5\n"},
};

static const char overview[] =
    "usage: clinit COMMAND [ARGS]\n"
    "\n"
    "Neural-network weight initialization (PyTorch torch.nn.init semantics) on OpenCL devices.\n"
    "\n"
    "commands:\n"
    "  devices    list the OpenCL devices          clinit devices\n"
    "  sample     one tensor to .npy/.safetensors  clinit sample uniform --shape 1000 --param a=-1 --out u.npy\n"
    "  init       a model manifest to safetensors  clinit init --manifest model.json --out model.safetensors\n"
    "  bench      throughput of the fills          clinit bench --size 16M,256M\n"
    "  inits      the initializers and parameters  clinit inits kaiming_normal\n"
    "  help       this text, or a command's        clinit help sample\n"
    "\n"
    "options: --help (also after a command), --version\n"
    "\n"
    "exit status: 0 success; 1 runtime failure (OpenCL, device, I/O); 2 usage error (flags, manifest,\n"
    "parameters, an existing --out without --force, an --out named neither .npy (sample) nor .safetensors,\n"
    "a tensor larger than the device's largest buffer); 128+N killed by signal N. A failed or interrupted\n"
    "run leaves no output and no temporary file (only SIGKILL, which cannot be caught, can leave a temporary\n"
    ".NAME.XXXXXX next to the output).\n";

#define WIDTH 105

/* The column of an option's description, where a generated list continues on its next line. */
#define DESCRIPTION 17

/* A ", "-separated list printed from `column` on, wrapped at WIDTH under DESCRIPTION, never inside an item;
 * returns the column it ends in. */
static int print_list(const char *list, int column)
{
    int indent = DESCRIPTION;
    for (const char *p = list; *p;) {
        const char *comma = strstr(p, ", ");
        int len = comma ? (int)(comma - p) : (int)strlen(p), last = !comma;
        if (p != list && column + 1 + len + 1 > WIDTH) {
            printf("\n%*s", indent, "");
            column = indent;
        } else if (p != list) {
            putchar(' ');
            column++;
        }
        printf("%.*s%s", len, p, last ? "" : ",");
        column += len + !last;
        p += last ? len : len + 2; /* past ", " */
    }
    return column;
}

/* "val (constant), sparsity (sparse), …": the parameters without a default, each with its initializer. */
static const char *required_list(void)
{
    static char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (int k = 0; k < clinit_init_count() && used < sizeof list; k++) {
        const char *required = cli_spec_required((clinit_init_kind)k);
        if (required)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s (%s)", used ? ", " : "", required,
                                     clinit_init_name((clinit_init_kind)k));
    }
    return list;
}

static void print_usage(const char *text)
{
    int column = 0;
    while (*text) {
        size_t n = strcspn(text, "@\n");
        printf("%.*s", (int)n, text);
        column += (int)n;
        text += n;
        if (*text == '\n') {
            putchar('\n');
            column = 0;
            text++;
        } else if (strncmp(text, "@INITS@", 7) == 0) {
            column = print_list(cli_init_names(), column);
            text += 7;
        } else if (strncmp(text, "@REQUIRED@", 10) == 0) {
            column = print_list(required_list(), column);
            text += 10;
        } else if (*text) {
            putchar(*text++);
            column++;
        }
    }
}

int cli_usage(const char *command)
{
    for (size_t i = 0; command && i < sizeof usages / sizeof usages[0]; i++)
        if (strcmp(command, usages[i].command) == 0) {
            print_usage(usages[i].text);
            return CLI_OK;
        }
    if (command) return cli_usage_error("unknown command \"%s\" (devices, sample, init, bench, inits, help)", command);
    fputs(overview, stdout);
    return CLI_OK;
}
