#!/usr/bin/env python3
"""Validate clinit's example model manifests with the Python standard library only.

Checks examples/manifests/{resnet50,gpt2,keras_cnn,lstm_lm,llama3_2_1b,llama3_8b}.json
(or the files given on the command line, matched by their "model" field):

  * the manifest format: top-level keys, layout "oi"/"io", seed an integer,
    every tensor has name/shape/init/params (optional fan_from, a
    per-tensor layout "oi"/"io" and dtype), shapes are positive integers
    ([] for a scalar), integer dtypes (i32, i64) only with constant, zeros or
    ones; "config", where present, an object with model_type;
  * every init name is one the library knows, and its params are the ones
    that init takes, with the right types and, for names (mode,
    distribution, nonlinearity), accepted values, as the library's registry
    states them (`clinit inits --json`; nothing is listed here);
  * tensor names are unique, and every "fan_from" names an existing tensor
    (linear_default_bias must have one; nothing else may);
  * tensor counts and element totals: resnet50 320 / 25,610,205 (161
    parameters, 25,557,032 values, and 159 BatchNorm buffers), gpt2 148 /
    124,439,808, keras_cnn 6 / 34,826, lstm_lm 9 / 19,775,200, llama3_2_1b
    146 / 1,235,814,400, llama3_8b 291 / 8,030,261,248;
  * an independent cross-check: the full list of names, shapes and init
    schemes (and dtypes) is re-derived by hand from the architectures
    (ResNet-50: bottleneck blocks [3, 4, 6, 3], expansion 4, downsample.0/.1
    in the first block of each stage, each BatchNorm with its buffers
    running_mean 0, running_var 1, num_batches_tracked i64 0 of shape [];
    Llama 3: embed_tokens, per layer q/k/v/o_proj (GQA: k and v of
    kv_heads * head_dim rows), gate/up/down_proj and two RMSNorms, a final
    norm, lm_head unless tied, bf16; GPT-2 small: 12 layers, d=768, vocab 50257,
    n_positions 1024, Conv1D weights stored (in, out); Keras MNIST convnet:
    Conv2D(32, 3) / Conv2D(64, 3) on 28x28x1 with two 2x2 pools, Dense(10) on
    the 5*5*64 = 1600 flattened features, kernels (kh, kw, in, out) /
    (in, out); LSTM LM: Embedding(10000, 650), 2 x LSTM(650) with kernel
    (in, 4*650) and recurrent_kernel (650, 4*650), Dense(10000)) and
    compared entry by entry, in order.

The manifests themselves are produced by tools/manifests/make_manifests.py
from torchvision/transformers/keras; this script needs none of them.
tools/manifests/check_frameworks.py checks them against the frameworks
themselves: each framework's own model loads clinit's output strictly.

Usage: python3 tools/manifests/check_manifests.py [--clinit PATH/TO/clinit] [manifest.json ...]
(the clinit tool: --clinit, else $CLINIT, else build/host/cli/clinit of this checkout).
Exit status 0 when every check passes.
"""

import json
import math
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_FILES = [os.path.join(REPO, "examples", "manifests", f)
                 for f in ("resnet50.json", "gpt2.json", "keras_cnn.json", "lstm_lm.json", "llama3_2_1b.json",
                           "llama3_8b.json")]



def load_registry(clinit):
    """init name -> {param name: its description} from `clinit inits --json`: the library's registry (type,
    required, default, min and max for real and integer parameters, values for names)."""
    out = subprocess.run([clinit, "inits", "--json"], capture_output=True, text=True, check=True).stdout
    return {i["name"]: {p["name"]: p for p in i["params"]} for i in json.loads(out)["initializers"]}


REGISTRY = {}  # load_registry's, set by main()

EXPECTED = {"resnet50": (320, 25610205, "oi"), "gpt2": (148, 124439808, "io"),
            "keras_cnn": (6, 34826, "io"), "lstm_lm": (9, 19775200, "io"),
            "llama3_2_1b": (146, 1235814400, "oi"), "llama3_8b": (291, 8030261248, "oi")}
DTYPES = ("f32", "f16", "bf16", "f64", "i32", "i64")
CONSTANT_INITS = ("constant", "zeros", "ones")


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def normalized(init, params):
    """Params with defaults filled in (None for a required one); ones/zeros folded into constant."""
    full = {name: None if p["required"] else p["default"] for name, p in REGISTRY[init].items()}
    full.update(params)
    if init in ("ones", "zeros"):
        return ("constant", {"val": 1.0 if init == "ones" else 0.0})
    return (init, full)


# ---------------------------------------------------------------- hand-derived

def resnet50_expected():
    """(name, shape, init, params, fan_from) of torchvision resnet50()."""
    kn = ("kaiming_normal", {"mode": "fan_out", "nonlinearity": "relu"})
    out = []

    def conv(name, o, i, k):
        out.append((name + ".weight", [o, i, k, k]) + kn + (None,))

    def bn(name, c):
        out.append((name + ".weight", [c], "ones", {}, None))
        out.append((name + ".bias", [c], "zeros", {}, None))
        out.append((name + ".running_mean", [c], "zeros", {}, None))
        out.append((name + ".running_var", [c], "ones", {}, None))
        out.append((name + ".num_batches_tracked", [], "zeros", {}, None, "i64"))

    conv("conv1", 64, 3, 7)
    bn("bn1", 64)
    inplanes = 64
    for li, (planes, blocks) in enumerate(zip((64, 128, 256, 512), (3, 4, 6, 3)), 1):
        for b in range(blocks):
            p = f"layer{li}.{b}"
            conv(p + ".conv1", planes, inplanes, 1)
            bn(p + ".bn1", planes)
            conv(p + ".conv2", planes, planes, 3)
            bn(p + ".bn2", planes)
            conv(p + ".conv3", planes * 4, planes, 1)
            bn(p + ".bn3", planes * 4)
            if b == 0:  # stride 2 or inplanes != planes*4 in every stage's first block
                conv(p + ".downsample.0", planes * 4, inplanes, 1)
                bn(p + ".downsample.1", planes * 4)
            inplanes = planes * 4
    out.append(("fc.weight", [1000, 2048], "linear_default_weight", {}, None))
    out.append(("fc.bias", [1000], "linear_default_bias", {}, "fc.weight"))
    return out


def gpt2_expected():
    """(name, shape, init, params, fan_from) of transformers GPT2Model(GPT2Config())."""
    d, vocab, npos, n_layer = 768, 50257, 1024, 12
    std = 0.02
    proj_std = 0.02 / math.sqrt(2 * n_layer)
    out = [("wte.weight", [vocab, d], "normal", {"mean": 0.0, "std": std}, None),
           ("wpe.weight", [npos, d], "normal", {"mean": 0.0, "std": std}, None)]

    def ln(name):
        out.append((name + ".weight", [d], "ones", {}, None))
        out.append((name + ".bias", [d], "zeros", {}, None))

    def conv1d(name, nin, nout, s):
        out.append((name + ".weight", [nin, nout], "normal", {"mean": 0.0, "std": s}, None))
        out.append((name + ".bias", [nout], "zeros", {}, None))

    for i in range(n_layer):
        p = f"h.{i}"
        ln(p + ".ln_1")
        conv1d(p + ".attn.c_attn", d, 3 * d, std)
        conv1d(p + ".attn.c_proj", d, d, proj_std)
        ln(p + ".ln_2")
        conv1d(p + ".mlp.c_fc", d, 4 * d, std)
        conv1d(p + ".mlp.c_proj", 4 * d, d, proj_std)
    ln("ln_f")
    return out


def keras_cnn_expected():
    """(name, shape, init, params, fan_from) of the Keras "Simple MNIST convnet".

    Keras 3 paths of a Sequential built in a fresh session; Keras 3 defaults
    kernel glorot_uniform, bias zeros; kernels (kh, kw, in, out) / (in, out)."""
    out = []
    side, cin = 28, 1
    for name, cout in (("conv2d", 32), ("conv2d_1", 64)):
        out.append((f"sequential/{name}/kernel", [3, 3, cin, cout], "glorot_uniform", {}, None))
        out.append((f"sequential/{name}/bias", [cout], "zeros", {}, None))
        side = (side - 2) // 2  # 3x3 "valid" conv, then 2x2 max-pool
        cin = cout
    flat = side * side * cin  # 5 * 5 * 64 = 1600
    out.append(("sequential/dense/kernel", [flat, 10], "glorot_uniform", {}, None))
    out.append(("sequential/dense/bias", [10], "zeros", {}, None))
    return out


def lstm_lm_expected():
    """(name, shape, init, params, fan_from) of the Keras 3 LSTM LM.

    Embedding(10000, 650) uniform(-0.05, 0.05); 2 x LSTM(650), kernel
    glorot_uniform (in, 4*units), recurrent_kernel orthogonal(gain 1)
    (units, 4*units), bias zeros (unit_forget_bias=False); Dense(10000)."""
    vocab, units = 10000, 650
    out = [("sequential/embedding/embeddings", [vocab, units], "uniform",
            {"a": -0.05, "b": 0.05}, None)]
    nin = units
    for name in ("lstm", "lstm_1"):
        p = f"sequential/{name}/lstm_cell/"
        out.append((p + "kernel", [nin, 4 * units], "glorot_uniform", {}, None))
        out.append((p + "recurrent_kernel", [units, 4 * units], "orthogonal", {"gain": 1.0}, None))
        out.append((p + "bias", [4 * units], "zeros", {}, None))
        nin = units
    out.append(("sequential/dense/kernel", [units, vocab], "glorot_uniform", {}, None))
    out.append(("sequential/dense/bias", [vocab], "zeros", {}, None))
    return out


def llama_expected(d, inter, layers, heads, kv_heads, head_dim, vocab, tied):
    """(name, shape, init, params, fan_from) of transformers LlamaForCausalLM as save_pretrained writes it."""
    w = ("normal", {"mean": 0.0, "std": 0.02}, None)
    out = [("model.embed_tokens.weight", [vocab, d]) + w]
    for i in range(layers):
        p = f"model.layers.{i}."
        out += [(p + "self_attn.q_proj.weight", [heads * head_dim, d]) + w,
                (p + "self_attn.k_proj.weight", [kv_heads * head_dim, d]) + w,
                (p + "self_attn.v_proj.weight", [kv_heads * head_dim, d]) + w,
                (p + "self_attn.o_proj.weight", [d, heads * head_dim]) + w,
                (p + "mlp.gate_proj.weight", [inter, d]) + w,
                (p + "mlp.up_proj.weight", [inter, d]) + w,
                (p + "mlp.down_proj.weight", [d, inter]) + w,
                (p + "input_layernorm.weight", [d], "ones", {}, None),
                (p + "post_attention_layernorm.weight", [d], "ones", {}, None)]
    out.append(("model.norm.weight", [d], "ones", {}, None))
    if not tied:
        out.append(("lm_head.weight", [vocab, d]) + w)
    return out


HAND = {"resnet50": resnet50_expected, "gpt2": gpt2_expected,
        "keras_cnn": keras_cnn_expected, "lstm_lm": lstm_lm_expected,
        "llama3_2_1b": lambda: llama_expected(2048, 8192, 16, 32, 8, 64, 128256, True),
        "llama3_8b": lambda: llama_expected(4096, 14336, 32, 32, 8, 128, 128256, False)}
# The top-level dtype each model's tensors have unless they name their own.
DEFAULT_DTYPE = {"llama3_2_1b": "bf16", "llama3_8b": "bf16"}


# ---------------------------------------------------------------- checks

def check_file(path):
    errors = []

    def err(msg):
        errors.append(f"{os.path.basename(path)}: {msg}")

    with open(path, encoding="utf-8") as f:
        m = json.load(f)

    for k, typ in (("model", str), ("source", str), ("seed", int),
                   ("layout", str), ("tensors", list)):
        if not isinstance(m.get(k), typ) or isinstance(m.get(k), bool):
            err(f"top-level {k!r} missing or not {typ.__name__}")
    if errors:
        return m.get("model"), errors
    if m["layout"] not in ("oi", "io"):
        err(f"layout {m['layout']!r} not 'oi' or 'io'")
    top_dtype = m.get("dtype", "f32")
    if top_dtype not in DTYPES:
        err(f"top-level dtype {top_dtype!r} not one of {DTYPES}")
    if "config" in m and not (isinstance(m["config"], dict) and isinstance(m["config"].get("model_type"), str)):
        err("config is not an object with a model_type")

    ts = m["tensors"]
    names = [t.get("name") for t in ts]
    seen = set()
    for n in names:
        if n in seen:
            err(f"duplicate tensor name {n!r}")
        seen.add(n)

    total = 0
    for t in ts:
        n = t.get("name")
        if not isinstance(n, str) or not n:
            err(f"tensor without a name: {t}")
            continue
        extra = set(t) - {"name", "shape", "init", "params", "fan_from", "layout", "dtype"}
        if extra:
            err(f"{n}: unknown keys {sorted(extra)}")
        if "layout" in t and t["layout"] not in ("oi", "io"):
            err(f"{n}: layout {t['layout']!r} not 'oi' or 'io'")
        shape = t.get("shape")
        dtype = t.get("dtype", top_dtype)
        if dtype not in DTYPES:
            err(f"{n}: dtype {dtype!r} not one of {DTYPES}")
        elif dtype in ("i32", "i64") and t.get("init") not in CONSTANT_INITS:
            err(f"{n}: {dtype} takes constant, zeros or ones, not {t.get('init')!r}")
        if (not isinstance(shape, list) or
                not all(isinstance(x, int) and not isinstance(x, bool) and x > 0 for x in shape)):
            err(f"{n}: bad shape {shape!r}")
        else:
            total += numel(shape)
        init = t.get("init")
        if init not in REGISTRY:
            err(f"{n}: init {init!r} not allowed")
            continue
        params = t.get("params", {})
        if not isinstance(params, dict):
            err(f"{n}: params not an object")
            continue
        allowed = REGISTRY[init]
        for pk, pv in params.items():
            p = allowed.get(pk)
            number = isinstance(pv, (int, float)) and not isinstance(pv, bool)
            if p is None:
                err(f"{n}: param {pk!r} not valid for {init}")
            elif p["type"] == "name":
                if not isinstance(pv, str):
                    err(f"{n}: param {pk} must be a string")
                elif pv not in p["values"]:
                    err(f"{n}: {init} {pk} {pv!r} not one of {p['values']}")
            elif p["type"] == "integer":
                if not number or not isinstance(pv, int) or pv < p["min"]:
                    err(f"{n}: param {pk} must be an integer >= {p['min']}")
            elif p["type"] == "axis":
                if not number or not isinstance(pv, int) or not p["min"] <= pv <= p["max"]:
                    err(f"{n}: param {pk} must be an axis, an integer in [{p['min']}, {p['max']}]")
            elif not number:
                err(f"{n}: param {pk} must be a number")
        for pk, p in allowed.items():
            # fan_from gives a bias its weight's fan_in
            if p["required"] and pk not in params and not (pk == "fan_in" and "fan_from" in t):
                err(f"{n}: {init} needs param {pk!r}")
        ff = t.get("fan_from")
        if init == "linear_default_bias":
            if ff is None:
                err(f"{n}: linear_default_bias without fan_from")
            elif ff not in seen:
                err(f"{n}: fan_from {ff!r} names no tensor")
        elif ff is not None:
            err(f"{n}: fan_from only applies to linear_default_bias")

    model = m["model"]
    if model in EXPECTED:
        count, want_total, layout = EXPECTED[model]
        if len(ts) != count:
            err(f"{len(ts)} tensors, want {count}")
        if total != want_total:
            err(f"{total} parameters, want {want_total}")
        if m["layout"] != layout:
            err(f"layout {m['layout']!r}, want {layout!r}")
        if model == "gpt2" and m.get("n_layer") != 12:
            err("gpt2: n_layer must be 12")
        hand = HAND[model]()
        if len(hand) != len(ts):
            err(f"hand-derived architecture has {len(hand)} tensors, manifest {len(ts)}")
        for i, (h, t) in enumerate(zip(hand, ts)):
            hn, hs, hi, hp, hf = h[:5]
            hd = h[5] if len(h) > 5 else DEFAULT_DTYPE.get(model, "f32")
            if t.get("dtype", top_dtype) != hd:
                err(f"{hn}: dtype {t.get('dtype', top_dtype)!r} != expected {hd!r}")
            if t.get("name") != hn or t.get("shape") != hs:
                err(f"#{i}: {t.get('name')} {t.get('shape')} != hand-derived {hn} {hs}")
                continue
            if t.get("init") in REGISTRY and \
                    normalized(t["init"], t.get("params", {})) != normalized(hi, hp):
                err(f"{hn}: init {t['init']} {t.get('params')} != expected {hi} {hp}")
            if t.get("fan_from") != hf:
                err(f"{hn}: fan_from {t.get('fan_from')!r} != expected {hf!r}")
    else:
        err(f"unknown model {model!r} (expected one of {sorted(EXPECTED)})")

    if not errors:
        print(f"ok {os.path.relpath(path)}: model {model}, {len(ts)} tensors, "
              f"{total} parameters, layout {m['layout']}")
    return model, errors


def main(argv):
    args = argv[1:]
    clinit = os.environ.get("CLINIT") or os.path.join(REPO, "build", "host", "cli", "clinit")
    if args[:1] == ["--clinit"] and len(args) >= 2:
        clinit, args = args[1], args[2:]
    if not os.access(clinit, os.X_OK):
        print(f"FAIL no clinit tool at {clinit} (build it, or give --clinit PATH or $CLINIT)", file=sys.stderr)
        return 1
    REGISTRY.update(load_registry(clinit))
    files = args or DEFAULT_FILES
    all_errors = []
    models = []
    failed = 0
    for p in files:
        model, errs = check_file(p)
        models.append(model)
        failed += bool(errs)
        all_errors.extend(errs)
    if not args:
        for want in EXPECTED:
            if want not in models:
                all_errors.append(f"no manifest for {want}")
                failed += 1
    for e in all_errors:
        print("FAIL", e, file=sys.stderr)
    print(f"{len(files) - min(failed, len(files))} passed, {failed} failed")
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
