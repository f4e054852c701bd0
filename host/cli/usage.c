/* The tool's documentation (usage.h) and `--help`: every command with its options and an example that can be
 * pasted as it is. The man page and the bash completion are made from the same tables (gendoc.c). */
#include "usage.h"

#include "bench.h"
#include "cli.h"
#include "spec.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>

const char cli_tagline[] = "neural-network weight initialization (PyTorch torch.nn.init, Keras and JAX semantics) "
                           "in OpenCL device memory";

static const cli_opt_doc sample_opts[] = {
    {"--shape", CLI_OPT_VALUE, "D0,D1,...",
     "dimensions, comma-separated decimal integers in [0, 2^63) (\"\": a scalar, rank 0, one element, shape ()); "
     "rank <= 8, fewer than 2^56 elements in all, and no more bytes than the device's largest buffer",
     NULL, 1},
    {"--out", CLI_OPT_VALUE, "FILE",
     "FILE.npy (f32, f16, f64, i32, i64) or FILE.safetensors (any dtype; bf16 needs it, NumPy has no bf16); "
     "symbolic links "
     "are followed, and an existing file at their end is replaced only with --force (the link stays); a device, "
     "FIFO or socket (/dev/null, /dev/stdout on a pipe) is written in place as .npy, without --force; a folder is "
     "an error. When FILE is standard output, the summary (and --hist) goes to stderr: stdout is the file only",
     "@file", 1},
    {"--dtype", CLI_OPT_VALUE, "DTYPE",
     "f32 [default], f16, bf16 (the f32 values rounded to nearest even), f64 (generated in double; needs a "
     "device with cl_khr_fp64), i32 or i64 (integers: constant, zeros and ones only, val an integer of the dtype); "
     "NumPy's and PyTorch's names are read as these (float32, float16, bfloat16, float64, int32, int64; float, half, "
     "double), each in any ASCII case, as in manifests and the Python package",
     "f32 f16 bf16 f64 i32 i64", 0},
    {"--layout", CLI_OPT_VALUE, "LAYOUT",
     "each framework's rule for fans and orthogonal's flattening: oi = PyTorch (out, in, k...) [default], io = "
     "Keras/TF (k..., in, out; rank 0 and 1 take Keras's fans), axes = JAX's explicit axes (--in-axes, --out-axes, "
     "--batch-axes)",
     "oi io axes", 0},
    {"--in-axes", CLI_OPT_VALUE, "L",
     "with --layout axes: the dimensions contracted with the input (fan_in), e.g. 0; negative ones count from the "
     "end, as in Python (-1 is the last)",
     NULL, 0},
    {"--out-axes", CLI_OPT_VALUE, "L",
     "with --layout axes: the dimensions that index outputs (fan_out), e.g. 1,2 or -2,-1", NULL, 0},
    {"--batch-axes", CLI_OPT_VALUE, "L",
     "with --layout axes: dimensions of independent kernels, in no fan [default "
     "none]",
     NULL, 0},
    {"--seed", CLI_OPT_VALUE, "N",
     "Philox key, an unsigned 64-bit integer in [0, 2^64 - 1]: decimal (leading zeros too: 010 is 10) or 0x hex, "
     "no sign or blank [default 0]",
     NULL, 0},
    {"--stream", CLI_OPT_VALUE, "N|NAME",
     "stream of the tensor: an unsigned 64-bit integer in [0, 2^64 - 1], decimal or 0x hex, or a tensor name, whose "
     "stream is the XXH64 "
     "of its bytes as clinit init and Python's stream_from_name take it (--stream conv1.weight: the values init "
     "gives a tensor so named) [default 0]; \"\" and a number gone wrong (-1, \" 7\", 0x, 2^64) are refused. --name "
     "does not change the stream",
     NULL, 0},
    {"--generation", CLI_OPT_VALUE, "G",
     "the generation contract of docs/ALGORITHMS.md the values follow: 1 or 2 [default 2, the newest]; 1 makes "
     "again, bit for bit, values made before clinit 0.2",
     "1 2", 0},
    {"--param", CLI_OPT_LIST, "NAME=VALUE",
     "PyTorch's parameter names, each at most once: a, b, mean, std, val, gain, mode, nonlinearity, fan_in, scale, "
     "distribution, groups, sparsity; and JAX's column_axis (orthogonal, delta_orthogonal; -1 the last axis); "
     "clinit inits INIT lists an initializer's with their defaults and ranges. Required: @required",
     "a= b= mean= std= val= gain= mode= nonlinearity= fan_in= scale= distribution= groups= sparsity= column_axis=", 0},
    {"--name", CLI_OPT_VALUE, "NAME",
     "the tensor's name in a .safetensors file, valid UTF-8, neither empty nor __metadata__ [default weight]; "
     "refused with an .npy --out",
     NULL, 0},
    {"--box", CLI_OPT_VALUE, "S:E,...",
     "write only the box [S, S+E) of every dimension, a start S and an extent E (a shard: 2:3 is rows 2, 3 and 4, "
     "not Python's 2:3): the values and fans of the whole tensor; the file's shape is the extents. One pair per "
     "dimension (none for rank 0), decimal digits, 0 <= S <= D and 0 <= E <= D - S for a dimension of size D",
     NULL, 0},
    {"--hist", CLI_OPT_FLAG, NULL,
     "also print a histogram of the values next to the counts the distribution "
     "predicts",
     NULL, 0},
    {"--force", CLI_OPT_FLAG, NULL, "replace an existing --out", NULL, 0},
};

static const cli_opt_doc init_opts[] = {
    {"--manifest", CLI_OPT_VALUE, "FILE",
     "the model's manifest, JSON: top level seed, layout, dtype, tensors; per tensor name, shape, init, params, "
     "fan_from, layout, dtype, in_axes, out_axes, batch_axes, split_dim (docs/FORMATS.md); - reads it from standard "
     "input (the same size limit)",
     "@file", 1},
    {"--out", CLI_OPT_VALUE, "FILE|DIR/",
     "the .safetensors file (or a device, FIFO or socket, written in place); symbolic links are followed, and an "
     "existing file at their end is replaced only with --force (the link stays). Or a folder (a trailing '/' or an "
     "existing folder; made if missing): DIR/model.safetensors, or DIR/model-0000k-of-0000n.safetensors and "
     "DIR/model.safetensors.index.json when the tensors need several shards, and DIR/config.json when the "
     "manifest has a \"config\"; transformers' from_pretrained(DIR) loads it. An existing checkpoint there is "
     "replaced only with --force (its other weight files removed). The files appear together at the end",
     "@file", 1},
    {"--seed", CLI_OPT_VALUE, "N",
     "overrides the manifest's seed: an unsigned 64-bit integer in [0, 2^64 - 1], decimal or 0x hex [the "
     "manifest's seed, else 0]",
     NULL, 0},
    {"--generation", CLI_OPT_VALUE, "G",
     "overrides the manifest's \"generation\": the generation contract of docs/ALGORITHMS.md every tensor follows, 1 "
     "or 2 [the manifest's, else 2, the newest]; the files' metadata records it (clinit_generation)",
     "1 2", 0},
    {"--force", CLI_OPT_FLAG, NULL, "replace an existing --out (never the --manifest, which is refused as --out)", NULL,
     0},
    {"--max-shard-size", CLI_OPT_VALUE, "SIZE",
     "with --out DIR/: bytes per shard at most, as transformers' save_pretrained: 5000000000, 500MB, 1.5GB (KB, MB, "
     "GB, TB in any case: powers of 1000; a number without one is whole bytes; no 1GiB, no blanks) in [1, 2^64) "
     "[50GB]; a larger tensor gets a shard of its own",
     NULL, 0},
    {"--manifest-limit", CLI_OPT_VALUE, "BYTES",
     "the largest manifest read, in bytes, in [1, 2^64 - 1], decimal or 0x hex, no suffix [16777216 = 16 MiB]: "
     "reading one takes about 11 bytes of memory per byte of it (up to 38; docs/FILES.md)",
     NULL, 0},
};

static const cli_opt_doc bench_opts_doc[] = {
    {"--init", CLI_OPT_VALUE, "LIST",
     "initializers that fill a rank-2 tensor with their defaults: not constant, sparse, linear_default_bias (a "
     "required --param) nor dirac, delta_orthogonal (rank 3-5) [uniform,normal,xavier_uniform,kaiming_normal,"
     "trunc_normal]",
     "@init", 0},
    {"--dtype", CLI_OPT_VALUE, "LIST",
     "f32, f16, bf16, f64, i32, i64 (or their NumPy and PyTorch names, in any case, as sample's) [f32,f16,bf16,f64]; "
     "an integer dtype only with zeros or ones: another initializer's row says skipped",
     "f32 f16 bf16 f64 i32 i64", 0},
    {"--size", CLI_OPT_VALUE, "LIST",
     "bytes of output, each a positive multiple of 16 below 2^64: decimal digits, then K, M, G or T (upper case; "
     "2^10, 2^20, 2^30, 2^40 bytes) or nothing [" BENCH_GPU_SIZES " on a GPU, " BENCH_CPU_SIZES
     " on a CPU device, where each size costs seconds]; capped at "
     "CL_DEVICE_MAX_MEM_ALLOC_SIZE and half the global memory",
     NULL, 0},
    {"--repeat", CLI_OPT_VALUE, "N", "timed device runs, 1 to 1000 [5]", NULL, 0},
    {"--host-repeat", CLI_OPT_VALUE, "N", "timed host-path runs, 0 to 1000; 0 skips the host path [3]", NULL, 0},
    {"--json", CLI_OPT_FLAG, NULL, "one JSON object per line per measurement instead of the table", NULL, 0},
    {"--models", CLI_OPT_FLAG, NULL,
     "whole models instead: device time of every tensor's fill, fills and launches, and the start-up cost of a "
     "context (cold: empty PoCL kernel cache; warm); takes --manifest, --manifest-limit, --repeat and --json only",
     NULL, 0},
    {"--manifest", CLI_OPT_LIST, "FILE",
     "with --models, instead of resnet50.json and gpt2.json, found in share/clinit/manifests of the installation "
     "(beside the executable's bin/), else in the examples/manifests of the source tree it was built from "
     "(repeatable)",
     "@file", 0},
    {"--manifest-limit", CLI_OPT_VALUE, "BYTES",
     "with --models, the largest manifest read, in bytes, as init's [16777216 = 16 MiB]", NULL, 0},
};

static const cli_opt_doc inits_opts[] = {
    {"--json", CLI_OPT_FLAG, NULL,
     "one JSON object {\"initializers\": [...]} instead of the text, for tools: per initializer name, doc, source, "
     "distribution, needs_fans, min_rank, max_rank, layouts, params; per parameter name, type (real, integer, name, "
     "axis), required, default, min, max, min_open, max_open (a real's, integer's or axis's range; \"inf\" and "
     "\"-inf\" where unbounded; an axis's default null: unset) or values (a name's), doc",
     NULL, 0},
};

const cli_command_doc cli_commands[] = {
    {"devices", cli_devices, "list the OpenCL devices", "clinit devices", NULL, NULL, NULL,
     "Lists every OpenCL platform and device. The P:D index selects a device for the other commands: "
     "CLINIT_DEVICE=0:1 clinit sample ... (also CLINIT_DEVICE=gpu or cpu; default: first GPU, else first device). "
     "A * in the USED column marks the device CLINIT_DEVICE selects now.",
     NULL, 0, NULL, "clinit devices\n"},
    {"sample", cli_sample, "one tensor to .npy or .safetensors",
     "clinit sample uniform --shape 1000 --param a=-1 --out u.npy", "INIT", "the initializer, one of: @init", "@init",
     "Generates one tensor with the initializer INIT on the device, writes it to a .npy or .safetensors file and "
     "prints its mean, std, min and max next to the distribution INIT resolves to.",
     sample_opts, sizeof sample_opts / sizeof sample_opts[0], NULL,
     "clinit sample kaiming_normal --shape 64,3,7,7 --param mode=fan_out --param nonlinearity=relu --out w.npy\n"
     "clinit sample normal --shape 1024,1024 --dtype bf16 --out w.safetensors --name fc.weight\n"
     "clinit sample xavier_normal --shape 4096,1024 --box 1024:1024,0:1024 --out shard1.npy --hist\n"
     "clinit sample glorot_uniform --shape 768,12,64 --layout axes --in-axes 0 --out-axes 1,2 --out q.npy\n"
     "    (an attention projection: fan_in = fan_out = 768, U[-0.0625, 0.0625))\n"},
    {"init", cli_init, "a model manifest to a safetensors file",
     "clinit init --manifest model.json --out model.safetensors", NULL, NULL, NULL,
     "Initializes every tensor of a model manifest on the device and writes them to a safetensors file, or to a "
     "folder in Hugging Face's layout (docs/CHECKPOINTS.md). Each tensor's stream is the XXH64 of its name, so adding, "
     "removing or reordering tensors never changes another "
     "tensor's values.",
     init_opts, sizeof init_opts / sizeof init_opts[0],
     "It ends with one line: tensors, values (elements, buffers included), bytes, device time, GB/s, on stdout (on "
     "stderr when FILE is "
     "standard output: stdout is the file only). The example manifests are installed in share/clinit/manifests.",
     "clinit init --manifest examples/manifests/resnet50.json --out resnet50.safetensors\n"
     "clinit init --manifest examples/manifests/gpt2.json --seed 7 --out gpt2.safetensors --force\n"
     "clinit init --manifest examples/manifests/llama3_2_1b.json --out llama-1b/\n"},
    {"bench", cli_bench, "throughput of the fills", "clinit bench --size 16M,256M", NULL, NULL, NULL,
     "Measures fills on the device (CLINIT_DEVICE): device time (OpenCL profiling, median of N runs after a "
     "warm-up), GB/s and Gsamples/s, next to clEnqueueFillBuffer and a float4 store kernel on the same buffer (the "
     "bandwidth ceiling) and to the path without clinit: clinit_reference_fill on the host, then "
     "clEnqueueWriteBuffer (wall clock). Dtypes the library does not generate are skipped with a note. With "
     "--models, whole models instead (docs/BENCHMARKS.md).",
     bench_opts_doc, sizeof bench_opts_doc / sizeof bench_opts_doc[0], NULL,
     "clinit bench\n"
     "clinit bench --size 16M,256M --repeat 5\n"
     "clinit bench --models --json\n"},
    {"inits", cli_inits, "the initializers and their parameters", "clinit inits kaiming_normal", "INIT",
     "only this initializer, one of: @init", "@init",
     "Lists the initializers, or only INIT: what each samples, the framework and paper it follows, the tensors it "
     "takes, and its parameters (for --param and manifests' params) with their type, default and accepted range, as "
     "the library states them (clinit_init_get_info, clinit_init_get_param_info).",
     inits_opts, sizeof inits_opts / sizeof inits_opts[0], NULL,
     "clinit inits kaiming_normal\n"
     "clinit inits --json\n"},
};
const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

const cli_env_doc cli_environment[] = {
    {"CLINIT_DEVICE",
     "the device: gpu, cpu (lower case), or P:D as clinit devices lists it (decimal); unset or empty, the first GPU, "
     "else the first device. Another value, or one that names no device, fails sample, init and bench (exit 1); "
     "devices says so"},
    {"POCL_CACHE_DIR",
     "where PoCL keeps compiled kernels (unset: $XDG_CACHE_HOME/pocl, else $HOME/.cache/pocl, else /tmp/pocl); it "
     "must be a writable folder or one that can be made: PoCL reports one it cannot write or make as a failed build "
     "or as no device, and clinit's message then names the folder and the variable that set it"},
    {"CLINIT_ITEM_BLOCKS",
     "1 or 16: overrides the kernel shape chosen per device type (one Philox block per work-item on GPUs, 16 in "
     "vector registers on CPUs; unset or empty: that choice); the values are the same either way. Any other value "
     "makes context creation fail (exit 1)"},
    {"CLINIT_ITEM_STRIDE",
     "N, decimal in [0, 2^30]: caps the work-items per run at N, each looping over the run's blocks with the grid's "
     "stride (an experiment for GPUs; unset, empty or 0: off); the values are the same. It needs one block per "
     "work-item (a GPU, or CLINIT_ITEM_BLOCKS=1); otherwise, or another value, context creation fails (exit 1)"},
    {"CLINIT_PTX",
     "0: the portable kernels on every device; unset, empty or 1: NVIDIA GPUs of compute capability 8.0 and up store "
     "bf16 "
     "through inline PTX (one instruction per two values); the values are the same. Any other value makes context "
     "creation fail (exit 1)"},
};
const size_t cli_n_environment = sizeof cli_environment / sizeof cli_environment[0];

const char cli_exit_status[] =
    "0 success; 1 runtime failure (OpenCL, device, I/O: a full disk, no descriptor or memory left; a CLINIT_ variable "
    "above refused); 2 usage error (flags, manifest, parameters, an existing --out without --force, an --out that is "
    "the --manifest, or named neither .npy (sample) nor .safetensors, a tensor larger than the device's largest "
    "buffer or than the host memory left); 128+N killed by signal N. A failed or interrupted run leaves no output and "
    "no temporary file (only SIGKILL, which cannot be caught, can leave a temporary .NAME.XXXXXX next to the "
    "output).";

const cli_command_doc *cli_command_doc_find(const char *command)
{
    for (size_t i = 0; command && i < cli_n_commands; i++)
        if (strcmp(cli_commands[i].name, command) == 0) return &cli_commands[i];
    return NULL;
}

void cli_synopsis(const cli_command_doc *c, char *out, size_t size)
{
    size_t used =
        (size_t)snprintf(out, size, "clinit %s%s%s", c->name, c->operand ? " " : "", c->operand ? c->operand : "");
    for (int required = 1; required >= 0; required--)
        for (size_t i = 0; i < c->nopts && used < size; i++) {
            const cli_opt_doc *o = &c->opts[i];
            if (o->required != required) continue;
            used += (size_t)snprintf(out + used, size - used, " %s%s%s%s%s%s", required ? "" : "[", o->name,
                                     o->metavar ? " " : "", o->metavar ? o->metavar : "",
                                     o->kind == CLI_OPT_LIST ? " ..." : "", required ? "" : "]");
        }
}

#define WIDTH 105

/* Words of text from column `column` on, a blank before the first one when `blank`, lines broken before WIDTH
 * and continued at `indent`; "@init" is the initializer names and "@required" the parameters they require (the
 * library's lists, never stale). Returns the
 * column it ends in. */
static int wrap(const char *text, int column, int indent, int blank)
{
    const char *inits = cli_init_names();
    for (const char *p = text; *p;) {
        p += strspn(p, " ");
        if (!*p) break;
        int len = (int)strcspn(p, " ");
        const char *word = p;
        p += len;
        if (len == 5 && strncmp(word, "@init", 5) == 0) {
            column = wrap(inits, column, indent, blank);
            blank = 1;
            continue;
        }
        if (len == 9 && strncmp(word, "@required", 9) == 0) {
            column = wrap(cli_required_names(), column, indent, blank);
            blank = 1;
            continue;
        }
        if (column > indent && column + blank + len > WIDTH) {
            printf("\n%*s", indent, "");
            column = indent;
        } else if (blank) {
            putchar(' ');
            column++;
        }
        printf("%.*s", len, word);
        column += len;
        blank = 1;
    }
    return column;
}

/* A paragraph at the left margin; "\n\n" separates paragraphs. */
static void paragraphs(const char *text)
{
    char buf[4096];
    for (const char *p = text; *p;) {
        const char *end = strstr(p, "\n\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s", (int)len, p);
        wrap(buf, 0, 0, 0);
        putchar('\n');
        p += len;
        if (*p) {
            putchar('\n');
            p += 2;
        }
    }
}

static void command_usage(const cli_command_doc *c)
{
    char synopsis[1024];
    cli_synopsis(c, synopsis, sizeof synopsis);
    fputs("usage: ", stdout);
    wrap(synopsis, 7, 7 + (int)strlen(c->name) + 8, 0);
    printf("\n\n");
    paragraphs(c->description);
    /* the help column: after the longest "--name METAVAR", within reason */
    int col = c->operand ? (int)strlen(c->operand) : 0;
    for (size_t i = 0; i < c->nopts; i++) {
        int w = (int)strlen(c->opts[i].name) + (c->opts[i].metavar ? 1 + (int)strlen(c->opts[i].metavar) : 0);
        col = w > col ? w : col;
    }
    col = 2 + (col < 18 ? col : 18) + 2;
    if (c->operand) {
        printf("  %-*s", col - 2, c->operand);
        wrap(c->operand_help, col, col, 0);
        putchar('\n');
    }
    for (size_t i = 0; i < c->nopts; i++) {
        const cli_opt_doc *o = &c->opts[i];
        char head[64];
        snprintf(head, sizeof head, "%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        int w = printf("  %s", head);
        if (w + 1 > col) {
            printf("\n%*s", col, "");
        } else {
            printf("%*s", col - w, "");
        }
        wrap(o->help, col, col, 0);
        putchar('\n');
    }
    if (c->notes) {
        putchar('\n');
        paragraphs(c->notes);
    }
    printf("\nexample%s:\n", strchr(c->examples, '\n') != strrchr(c->examples, '\n') ? "s" : "");
    for (const char *p = c->examples; *p;) {
        size_t len = strcspn(p, "\n");
        printf("  %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
}

static void overview(void)
{
    printf("usage: clinit COMMAND [ARGS]\n\nclinit:");
    wrap(cli_tagline, 7, 0, 1);
    printf(".\n\ncommands:\n");
    for (size_t i = 0; i < cli_n_commands; i++)
        printf("  %-9s %-39s %s\n", cli_commands[i].name, cli_commands[i].summary, cli_commands[i].example);
    printf("  %-9s %-39s %s\n", "help", "this text, or a command's", "clinit help sample");
    printf("\noptions: --help (also after a command), --version\n\nenvironment:\n");
    for (size_t i = 0; i < cli_n_environment; i++) {
        int w = printf("  %-19s", cli_environment[i].name);
        wrap(cli_environment[i].help, w, w, 0);
        putchar('\n');
    }
    printf("\nexit status:");
    wrap(cli_exit_status, 12, 0, 1);
    printf("\n\nman clinit, and docs/CLI.md (installed in " CLINIT_DOCDIR "), say more.\n");
}

int cli_usage(const char *command)
{
    if (command && strcmp(command, "help") == 0) command = NULL; /* clinit help help: the overview, help's text */
    const cli_command_doc *c = cli_command_doc_find(command);
    if (c) {
        command_usage(c);
        return CLI_OK;
    }
    if (command) {
        char names[256] = "";
        for (size_t i = 0; i < cli_n_commands; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s, ", cli_commands[i].name);
        snprintf(names + strlen(names), sizeof names - strlen(names), "help");
        return cli_usage_error("unknown command \"%s\": %s", command, cli_suggest(command, names));
    }
    overview();
    return CLI_OK;
}
