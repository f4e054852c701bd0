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
    if (command) return cli_usage_error("unknown command \"%s\" (devices, sample, init, help)", command);
    fputs(overview, stdout);
    return CLI_OK;
}
