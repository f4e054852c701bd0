/* Help texts: every command with an example that can be pasted as it is. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

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
     "example:\n"
     "  clinit devices\n"},
    {"sample",
     "usage: clinit sample INIT --shape D0,D1,... --out FILE.npy [--layout oi|io] [--seed N] [--stream N]\n"
     "                     [--param NAME=VALUE ...] [--force]\n"
     "\n"
     "Generates one tensor with the initializer INIT on the device, writes it as a float32 .npy file and\n"
     "prints its mean, std, min and max next to the distribution INIT resolves to.\n"
     "  INIT           uniform, normal, constant, zeros, ones, xavier_uniform, xavier_normal,\n"
     "                 kaiming_uniform, kaiming_normal, linear_default_weight, linear_default_bias\n"
     "  --shape        dimensions, comma-separated (\"\" for a scalar); rank <= 8\n"
     "  --layout       how fans are read from the shape: oi = PyTorch (out, in, k...) [default],\n"
     "                 io = Keras/TF (k..., in, out)\n"
     "  --seed N       Philox key, decimal or 0x hex [default 0]\n"
     "  --stream N     stream of the tensor, decimal or 0x hex [default 0]\n"
     "  --param N=V    PyTorch's parameter names: a, b, mean, std, val, gain, mode (fan_in|fan_out),\n"
     "                 nonlinearity (relu, leaky_relu, tanh, ...), fan_in\n"
     "  --out FILE     the .npy file; an existing file is replaced only with --force\n"
     "\n"
     "example:\n"
     "  clinit sample kaiming_normal --shape 64,3,7,7 --param mode=fan_out --param nonlinearity=relu --out w.npy\n"},
    {"init",
     "usage: clinit init --manifest MODEL.json --out MODEL.safetensors [--seed N] [--force]\n"
     "\n"
     "Initializes every tensor of a model manifest on the device and writes them to a safetensors file.\n"
     "Each tensor's stream is the XXH64 of its name, so adding, removing or reordering tensors never\n"
     "changes another tensor's values.\n"
     "  --manifest F   the model's manifest (JSON: seed, layout, tensors[] of name, shape, init, params,\n"
     "                 fan_from, layout, dtype)\n"
     "  --seed N       overrides the manifest's seed, decimal or 0x hex\n"
     "  --out FILE     the .safetensors file; an existing file is replaced only with --force\n"
     "\n"
     "example:\n"
     "  clinit init --manifest examples/manifests/resnet50.json --out resnet50.safetensors\n"},
    {"bench",
     "usage: clinit bench [--init LIST] [--dtype LIST] [--size LIST] [--repeat N] [--host-repeat N] [--json]\n"
     "       clinit bench --models [--manifest FILE ...] [--repeat N] [--json]\n"
     "\n"
     "Measures fills on the device (CLINIT_DEVICE): device time (OpenCL profiling, median of N runs after a\n"
     "warm-up), GB/s and Gsamples/s, next to clEnqueueFillBuffer and a float4 store kernel on the same buffer\n"
     "(the bandwidth ceiling) and to the path without clinit: clinit_reference_fill on the host, then\n"
     "clEnqueueWriteBuffer (wall clock). Dtypes the library does not generate are skipped with a note.\n"
     "  --init LIST        initializers [uniform,normal,xavier_uniform,kaiming_normal,trunc_normal]\n"
     "  --dtype LIST       f32, f16, bf16, f64 [all]\n"
     "  --size LIST        bytes of output, K/M/G/T binary multiples of 16 bytes [1M,16M,256M,1G]; capped at\n"
     "                     CL_DEVICE_MAX_MEM_ALLOC_SIZE and half the global memory\n"
     "  --repeat N         timed device runs [5]\n"
     "  --host-repeat N    timed host-path runs [3]\n"
     "  --json             one JSON object per line per measurement instead of the table\n"
     "  --models           whole models instead: device time of every tensor's fill, fills and launches, and\n"
     "                     the start-up cost of a context (cold: empty PoCL kernel cache; warm)\n"
     "  --manifest FILE    with --models, instead of examples/manifests/{resnet50,gpt2}.json (repeatable)\n"
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
    "  sample     one tensor to a .npy file        clinit sample uniform --shape 1000 --param a=-1 --out u.npy\n"
    "  init       a model manifest to safetensors  clinit init --manifest model.json --out model.safetensors\n"
    "  bench      throughput of the fills          clinit bench --size 16M,256M\n"
    "  help       this text, or a command's        clinit help sample\n"
    "\n"
    "options: --help (also after a command), --version\n";

int cli_usage(const char *command)
{
    for (size_t i = 0; command && i < sizeof usages / sizeof usages[0]; i++)
        if (strcmp(command, usages[i].command) == 0) {
            fputs(usages[i].text, stdout);
            return CLI_OK;
        }
    if (command) return cli_usage_error("unknown command \"%s\" (devices, sample, init, bench, help)", command);
    fputs(overview, stdout);
    return CLI_OK;
}
