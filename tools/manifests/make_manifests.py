#!/usr/bin/env python3
"""Generate clinit's example model manifests from the real reference libraries.

What it does
  Instantiates the reference models and writes, for every tensor of the
  model's own checkpoint (state_dict() order for PyTorch models: parameters
  and persistent buffers, so that the framework loads the file strictly), its
  exact name, shape, dtype and the init scheme the reference code applies to
  it:

    examples/manifests/resnet50.json  torchvision.models.resnet50(weights=None)
                                      161 parameters (25,557,032 values) and
                                      159 BatchNorm buffers: running_mean 0,
                                      running_var 1, num_batches_tracked an
                                      int64 0 of shape [] (320 tensors)
    examples/manifests/gpt2.json      transformers GPT2Model(GPT2Config())
                                      (= the Hugging Face "gpt2" checkpoint)
                                      148 tensors, 124,439,808 parameters
    examples/manifests/llama3_2_1b.json
                                      transformers LlamaForCausalLM of
                                      Llama-3.2-1B's config (tied embeddings:
                                      no lm_head.weight, as save_pretrained
                                      writes it), bf16; 146 tensors,
                                      1,235,814,400 parameters; with "config"
    examples/manifests/llama3_8b.json LlamaForCausalLM of Llama-3-8B's config,
                                      bf16; 291 tensors, 8,030,261,248
                                      parameters; with "config"
    examples/manifests/keras_cnn.json Keras "Simple MNIST convnet" example
                                      (keras.io/examples/vision/mnist_convnet)
                                      6 tensors, 34,826 parameters
    examples/manifests/lstm_lm.json   Keras Embedding + 2 x LSTM + Dense word
                                      LM, Zaremba et al. 2014 "medium" sizes
                                      9 tensors, 19,775,200 parameters

  For the two Keras models the names are the Keras 3 variable paths
  (model.weights[i].path, e.g. "sequential/conv2d/kernel") in model.weights
  order, and each init is read from the initializer object the owning layer
  (or LSTM cell) holds, so the manifest follows Keras 3's own defaults.

  The init scheme is assigned per module type, mirroring the library code:
    * torchvision/models/resnet.py, ResNet.__init__: every nn.Conv2d weight
      kaiming_normal_(mode="fan_out", nonlinearity="relu"); BatchNorm2d weight
      1, bias 0 (zero_init_residual=False by default); the nn.Linear "fc" keeps
      PyTorch's default reset_parameters() (kaiming_uniform_(a=sqrt(5)) for
      the weight, U(+-1/sqrt(fan_in)) for the bias).
    * transformers/modeling_utils.py, PreTrainedModel._init_weights (which
      LlamaPreTrainedModel keeps): Linear and Embedding weights
      normal(0, initializer_range=0.02), LlamaRMSNorm weight 1; no biases
      (attention_bias and mlp_bias are False). The models are built on the
      meta device (names and shapes without memory). "config" is the model's
      config.json as save_pretrained writes it (`clinit init --out DIR/`
      writes it beside the weights).
    * transformers/models/gpt2/modeling_gpt2.py, GPT2PreTrainedModel.
      _init_weights: Linear/Conv1D weight and Embedding weight
      normal(0, initializer_range=0.02), biases 0, LayerNorm weight 1, bias 0,
      and every "c_proj.weight" normal(0, 0.02/sqrt(2*n_layer)).
    * Keras 3 defaults (keras/src/layers/...): Conv2D/Dense kernel
      GlorotUniform, bias Zeros; Embedding RandomUniform(-0.05, 0.05); LSTM
      kernel GlorotUniform, recurrent_kernel Orthogonal(gain=1), bias Zeros.
      LSTM is built with unit_forget_bias=False: Keras's default True puts 1
      in the forget-gate quarter of the bias, which one init per tensor
      cannot express.
  It asserts the tensor counts and parameter totals above, and that every
  parameter got exactly one rule.  Output is deterministic: one tensor per
  line, so diffs stay readable.

Requirements
  torch, torchvision and transformers from PyPI
  (pip install torch torchvision transformers), and keras >= 3 for the two
  Keras models (pip install keras; run with KERAS_BACKEND=torch, the
  default this script sets).  No weights are downloaded: the models are
  built with random init (weights=None / a fresh config / fresh layers).

Not part of the build
  This is a maintenance tool: the generated JSON files are committed, and
  the build and tests never run this script.  tools/manifests/
  check_manifests.py validates the committed files with the standard
  library only.

Usage
  python3 tools/manifests/make_manifests.py [--out-dir examples/manifests]
                                           [--only resnet50,gpt2,keras_cnn,lstm_lm,
                                                   llama3_2_1b,llama3_8b]
"""

import argparse
import json
import math
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

RESNET50_COUNT, RESNET50_TOTAL = 320, 25557032 + 2 * 26560 + 53
LLAMA3_2_1B_COUNT, LLAMA3_2_1B_TOTAL = 146, 1235814400
LLAMA3_8B_COUNT, LLAMA3_8B_TOTAL = 291, 8030261248
GPT2_COUNT, GPT2_TOTAL = 148, 124439808
KERAS_CNN_COUNT, KERAS_CNN_TOTAL = 6, 34826
LSTM_LM_COUNT, LSTM_LM_TOTAL = 9, 19775200


def _entry(name, shape, init, params=None, fan_from=None, dtype=None):
    e = {"name": name, "shape": [int(d) for d in shape], "init": init,
         "params": dict(params or {})}
    if fan_from is not None:
        e["fan_from"] = fan_from
    if dtype is not None:
        e["dtype"] = dtype
    return e


# clinit's dtype of a torch dtype; the manifest names it where it differs from the top level's.
TORCH_DTYPES = {"torch.float32": "f32", "torch.float16": "f16", "torch.bfloat16": "bf16",
                "torch.float64": "f64", "torch.int32": "i32", "torch.int64": "i64"}


def _assign_state(model, rule_for_module, default_dtype="f32", skip=()):
    """Entries for every tensor of model.state_dict() (parameters and persistent buffers) but the names in
    `skip` (tied weights, which save_pretrained leaves out), in that order, each from its owning module:
    rule_for_module(module_name, module, local_name, full_name) -> (init, params, fan_from). A tensor whose
    dtype is not default_dtype gets its own "dtype"."""
    modules = dict(model.named_modules())
    out = []
    for full, t in model.state_dict(keep_vars=True).items():
        if full in skip:
            continue
        mname, _, local = full.rpartition(".")
        r = rule_for_module(mname, modules[mname], local, full)
        if r is None:
            raise SystemExit(f"no init rule for {full} ({type(modules[mname]).__name__})")
        dtype = TORCH_DTYPES[str(t.dtype)]
        out.append(_entry(full, tuple(t.shape), *r, dtype=None if dtype == default_dtype else dtype))
    return out


def _assign(model, rule_for_module):
    """Map every parameter name to its init entry via its owning module.

    Returns the entries in model.named_parameters() order."""
    rules = {}
    for mname, mod in model.named_modules():
        for pname, p in mod.named_parameters(recurse=False):
            full = f"{mname}.{pname}" if mname else pname
            r = rule_for_module(mname, mod, pname, full)
            if r is None:
                raise SystemExit(f"no init rule for {full} ({type(mod).__name__})")
            assert full not in rules, full
            rules[full] = r
    out = []
    for full, p in model.named_parameters():
        init, params, fan_from = rules.pop(full)
        out.append(_entry(full, tuple(p.shape), init, params, fan_from))
    assert not rules, f"parameters not in named_parameters(): {sorted(rules)}"
    return out


def resnet50_manifest():
    import torch
    import torchvision
    from torch import nn

    model = torchvision.models.resnet50(weights=None)

    def rule(mname, mod, pname, full):
        if isinstance(mod, nn.Conv2d) and pname == "weight":
            return ("kaiming_normal", {"mode": "fan_out", "nonlinearity": "relu"}, None)
        if isinstance(mod, (nn.BatchNorm2d, nn.GroupNorm)):
            # parameters weight 1, bias 0; buffers (nn.modules.batchnorm _NormBase.reset_running_stats)
            # running_mean 0, running_var 1, num_batches_tracked 0 (int64, shape [])
            return ("ones", {}, None) if pname in ("weight", "running_var") else ("zeros", {}, None)
        if isinstance(mod, nn.Linear):
            if pname == "weight":
                return ("linear_default_weight", {}, None)
            return ("linear_default_bias", {}, f"{mname}.weight")
        return None

    tensors = _assign_state(model, rule)
    return {
        "model": "resnet50",
        "source": (
            "torchvision.models.resnet50(weights=None) "
            f"(torch {torch.__version__}, torchvision {torchvision.__version__}); "
            "names/shapes/dtypes from state_dict(): the parameters and the BatchNorm buffers "
            "(running_mean 0, running_var 1, num_batches_tracked int64 0 of shape [], as "
            "torch.nn.modules.batchnorm reset_running_stats sets them), so that "
            "resnet50().load_state_dict(strict=True) takes the file. Init scheme from "
            "torchvision/models/resnet.py ResNet.__init__: Conv2d weight "
            "kaiming_normal_(mode='fan_out', nonlinearity='relu'), BatchNorm2d "
            "weight 1 / bias 0 (zero_init_residual=False), fc = nn.Linear default "
            "reset_parameters (kaiming_uniform_(a=sqrt(5)), bias U(+-1/sqrt(fan_in))). "
            "Architecture: He et al. 2015, 'Deep Residual Learning for Image "
            "Recognition', arXiv:1512.03385; init: He et al. 2015, 'Delving Deep "
            "into Rectifiers', arXiv:1502.01852."
        ),
        "seed": 0,
        "layout": "oi",
        "tensors": tensors,
    }


def gpt2_manifest():
    import torch
    import transformers
    from torch import nn
    from transformers import GPT2Config, GPT2Model
    try:
        from transformers.pytorch_utils import Conv1D
    except ImportError:  # older transformers
        from transformers.modeling_utils import Conv1D

    cfg = GPT2Config()
    model = GPT2Model(cfg)
    n_layer = cfg.n_layer
    std = cfg.initializer_range
    proj_std = std / math.sqrt(2 * n_layer)

    def rule(mname, mod, pname, full):
        if isinstance(mod, (nn.Linear, Conv1D)):
            if pname == "weight":
                s = proj_std if full.endswith("c_proj.weight") else std
                return ("normal", {"mean": 0.0, "std": s}, None)
            return ("zeros", {}, None)
        if isinstance(mod, nn.Embedding):
            return ("normal", {"mean": 0.0, "std": std}, None)
        if isinstance(mod, nn.LayerNorm):
            return ("ones", {}, None) if pname == "weight" else ("zeros", {}, None)
        return None

    tensors = _assign(model, rule)
    return {
        "model": "gpt2",
        "source": (
            "Hugging Face 'gpt2' (GPT-2 small, 124M) = transformers "
            f"GPT2Model(GPT2Config()) (transformers {transformers.__version__}, "
            f"torch {torch.__version__}); names/shapes from named_parameters(); "
            "Conv1D weights are stored (in, out). Init scheme from "
            "transformers/models/gpt2/modeling_gpt2.py GPT2PreTrainedModel._init_weights: "
            "Linear/Conv1D and Embedding weights normal(0, initializer_range=0.02), "
            "biases 0, LayerNorm weight 1 / bias 0, every c_proj.weight "
            "normal(0, 0.02/sqrt(2*n_layer)) (residual-projection scaling from "
            "Radford et al. 2019, 'Language Models are Unsupervised Multitask Learners')."
        ),
        "seed": 0,
        "layout": "io",
        "n_layer": n_layer,
        "tensors": tensors,
    }


# ---------------------------------------------------------------- Llama 3 (transformers)

# The configs of Meta's checkpoints (their config.json on the Hugging Face hub), as transformers 5 spells them.
LLAMA_CONFIGS = {
    "llama3_2_1b": dict(hidden_size=2048, intermediate_size=8192, num_hidden_layers=16, num_attention_heads=32,
                        num_key_value_heads=8, head_dim=64, vocab_size=128256, max_position_embeddings=131072,
                        rms_norm_eps=1e-5, tie_word_embeddings=True, bos_token_id=128000, eos_token_id=128001,
                        rope_parameters={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 32.0,
                                         "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                         "original_max_position_embeddings": 8192}),
    "llama3_8b": dict(hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32,
                      num_key_value_heads=8, head_dim=128, vocab_size=128256, max_position_embeddings=8192,
                      rms_norm_eps=1e-5, tie_word_embeddings=False, bos_token_id=128000, eos_token_id=128001,
                      rope_parameters={"rope_type": "default", "rope_theta": 500000.0}),
}
LLAMA_NAMES = {"llama3_2_1b": "Llama-3.2-1B", "llama3_8b": "Meta-Llama-3-8B"}


def llama_manifest(key, config_overrides=None):
    """The manifest of LlamaForCausalLM for LLAMA_CONFIGS[key] (with config_overrides: a small model of the
    same architecture, for tests), in bf16, with its config.json as "config"."""
    import torch
    import transformers
    from torch import nn
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(**dict(LLAMA_CONFIGS[key], **(config_overrides or {})))
    cfg.architectures = ["LlamaForCausalLM"]
    cfg.dtype = "bfloat16"
    with torch.device("meta"):  # names and shapes, no memory
        model = LlamaForCausalLM(cfg).to(torch.bfloat16)  # the checkpoint's dtype, as from_pretrained gives it
    assert model.model.embed_tokens.padding_idx is None  # a zero row would not be one init per tensor
    std = cfg.initializer_range
    # save_pretrained leaves tied weights out (lm_head.weight is embed_tokens.weight when tied)
    tied = set(getattr(model, "all_tied_weights_keys", None) or {}) if cfg.tie_word_embeddings else set()

    def rule(mname, mod, pname, full):
        if isinstance(mod, (nn.Linear, nn.Embedding)) and pname == "weight":
            return ("normal", {"mean": 0.0, "std": std}, None)
        if "RMSNorm" in type(mod).__name__ and pname == "weight":
            return ("ones", {}, None)
        return None

    tensors = _assign_state(model, rule, default_dtype="bf16", skip=tied)
    return {
        "model": key,
        "source": (
            f"{LLAMA_NAMES[key]} (Meta Llama 3) = transformers LlamaForCausalLM(LlamaConfig(...)) with the "
            "checkpoint's config (\"config\" below) (transformers "
            f"{transformers.__version__}, torch {torch.__version__}), built on the meta device; names/shapes from "
            "state_dict()" + (" less the tied lm_head.weight (save_pretrained leaves it out; from_pretrained ties it "
                              "to model.embed_tokens.weight)" if tied else "") + ". dtype bf16, as the checkpoint. "
            "Init scheme from transformers/modeling_utils.py PreTrainedModel._init_weights (LlamaPreTrainedModel "
            "keeps it): Linear and Embedding weights normal(0, initializer_range=0.02), RMSNorm weights 1; no "
            "biases. Architecture: Grattafiori et al. 2024, 'The Llama 3 Herd of Models', arXiv:2407.21783."
        ),
        "seed": 0,
        "layout": "oi",
        "dtype": "bf16",
        "config": json.loads(cfg.to_json_string()),
        "tensors": tensors,
    }


# ---------------------------------------------------------------- Keras 3

# Which initializer attribute of the owning layer (or RNN cell) sets each variable.
_KERAS_INIT_ATTR = {
    "kernel": "kernel_initializer",
    "recurrent_kernel": "recurrent_initializer",
    "bias": "bias_initializer",
    "embeddings": "embeddings_initializer",
}


def _import_keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    if int(keras.__version__.split(".")[0]) < 3:
        raise SystemExit(f"keras {keras.__version__}: need keras >= 3")
    return keras


def _keras_init(init):
    """clinit (init, params) for a Keras 3 initializer object."""
    cls = type(init).__name__
    cfg = init.get_config()
    for k in ("input_axes", "output_axes"):  # newer Keras: None = the default fans
        if cfg.get(k) is not None:
            raise SystemExit(f"{cls} with {k}={cfg[k]!r}: not expressible")
    plain = {"GlorotUniform": "glorot_uniform", "GlorotNormal": "glorot_normal",
             "HeUniform": "he_uniform", "HeNormal": "he_normal",
             "LecunUniform": "lecun_uniform", "LecunNormal": "lecun_normal",
             "Zeros": "zeros", "Ones": "ones"}
    if cls in plain:
        return plain[cls], {}
    if cls == "Orthogonal":
        return "orthogonal", {"gain": float(cfg["gain"])}
    if cls == "RandomUniform":
        return "uniform", {"a": float(cfg["minval"]), "b": float(cfg["maxval"])}
    if cls == "RandomNormal":
        return "normal", {"mean": float(cfg["mean"]), "std": float(cfg["stddev"])}
    if cls == "Constant":
        return "constant", {"val": float(cfg["value"])}
    raise SystemExit(f"no clinit mapping for Keras initializer {cls} {cfg}")


def _keras_entries(model):
    """Entries for model.weights, in that order, named by variable path."""
    out = []
    for layer in model.layers:
        owner = getattr(layer, "cell", layer)  # LSTM/GRU keep initializers on the cell
        if getattr(owner, "unit_forget_bias", False):
            raise SystemExit(f"{layer.name}: unit_forget_bias=True is not one init per tensor")
        for v in layer.weights:
            attr = _KERAS_INIT_ATTR.get(v.name)
            if attr is None or not hasattr(owner, attr):
                raise SystemExit(f"no init rule for {v.path} ({type(layer).__name__})")
            init, params = _keras_init(getattr(owner, attr))
            out.append(_entry(v.path, tuple(v.shape), init, params))
    paths = [v.path for v in model.weights]
    assert [e["name"] for e in out] == paths, (paths, [e["name"] for e in out])
    return out


def keras_cnn_model():
    keras = _import_keras()
    from keras import layers

    keras.backend.clear_session()  # layer names conv2d, conv2d_1, dense
    # keras.io/examples/vision/mnist_convnet.py, "Build the model".
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])


def keras_cnn_manifest():
    keras = _import_keras()
    model = keras_cnn_model()
    return {
        "model": "keras_cnn",
        "source": (
            "Keras 'Simple MNIST convnet' example (F. Chollet, "
            "keras.io/examples/vision/mnist_convnet): Input(28, 28, 1) -> "
            "Conv2D(32, 3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3, relu) -> "
            "MaxPooling2D(2) -> Flatten -> Dropout(0.5) -> Dense(10, softmax), "
            f"built with keras {keras.__version__} (backend {keras.backend.backend()}); "
            "names = model.weights[i].path, shapes in Keras layout (kh, kw, in, out) "
            "and (in, out). Init = Keras 3 defaults read from the layers "
            "(keras/src/layers/convolutional/base_conv.py, keras/src/layers/core/dense.py): "
            "kernel_initializer 'glorot_uniform' (Glorot & Bengio 2010, fans from the "
            "Keras layout: fan_in = kh*kw*in, fan_out = kh*kw*out), bias_initializer 'zeros'."
        ),
        "seed": 0,
        "layout": "io",
        "tensors": _keras_entries(model),
    }


def lstm_lm_model():
    keras = _import_keras()
    from keras import layers

    vocab, dim, n_steps = 10000, 650, 35
    keras.backend.clear_session()  # layer names embedding, lstm, lstm_1, dense
    return keras.Sequential([
        keras.Input(shape=(n_steps,), dtype="int32"),
        layers.Embedding(vocab, dim),
        layers.LSTM(dim, return_sequences=True, unit_forget_bias=False),
        layers.LSTM(dim, return_sequences=True, unit_forget_bias=False),
        layers.Dense(vocab),
    ])


def lstm_lm_manifest():
    keras = _import_keras()
    model = lstm_lm_model()
    return {
        "model": "lstm_lm",
        "source": (
            "Word-level LSTM language model with the 'medium' sizes of Zaremba, "
            "Sutskever & Vinyals 2014, 'Recurrent Neural Network Regularization', "
            "arXiv:1409.2329 (PTB: vocab 10000, 2 layers, 650 units, 35 steps; no weight "
            "tying), written as Keras 3: Embedding(10000, 650) -> LSTM(650) -> LSTM(650) -> "
            f"Dense(10000), built with keras {keras.__version__} (backend "
            f"{keras.backend.backend()}); names = model.weights[i].path, shapes in Keras "
            "layout: kernel (in, 4*units), recurrent_kernel (units, 4*units), gates i, f, c, o. "
            "Init = Keras 3 defaults read from the layers (keras/src/layers/core/embedding.py, "
            "keras/src/layers/rnn/lstm.py, keras/src/layers/core/dense.py): embeddings "
            "'uniform' = RandomUniform(-0.05, 0.05); LSTM kernel 'glorot_uniform' over the "
            "whole (in, 4*units) matrix, recurrent_kernel 'orthogonal' (gain 1; Saxe et al. "
            "2013, arXiv:1312.6120), bias 'zeros'; Dense kernel 'glorot_uniform', bias "
            "'zeros'. The LSTMs are built with unit_forget_bias=False: Keras's default True "
            "sets the forget-gate quarter of the bias (elements units..2*units-1) to 1 "
            "(Jozefowicz et al. 2015), which one init per tensor cannot express; set those "
            "650 elements to 1 afterwards to match a default Keras LSTM. (Zaremba et al. "
            "themselves initialized every parameter U(-0.05, 0.05).)"
        ),
        "seed": 0,
        "layout": "io",
        "tensors": _keras_entries(model),
    }


def dumps(manifest):
    """Deterministic JSON: header keys one per line, one tensor per line."""
    lines = ["{"]
    for k, v in manifest.items():
        if k == "tensors":
            continue
        lines.append(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append(' "tensors": [')
    ts = manifest["tensors"]
    for i, t in enumerate(ts):
        sep = "," if i + 1 < len(ts) else ""
        lines.append("  " + json.dumps(t, separators=(", ", ": ")) + sep)
    lines.append(" ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == manifest
    return text


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def check(manifest, count, total):
    ts = manifest["tensors"]
    got_total = sum(numel(t["shape"]) for t in ts)
    assert len(ts) == count, f"{manifest['model']}: {len(ts)} tensors, want {count}"
    assert got_total == total, f"{manifest['model']}: {got_total} params, want {total}"
    assert len({t["name"] for t in ts}) == len(ts)
    return len(ts), got_total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-dir", default=os.path.join(REPO, "examples", "manifests"))
    ap.add_argument("--only", default="",
                    help="comma-separated subset of resnet50,gpt2,keras_cnn,lstm_lm,llama3_2_1b,llama3_8b")
    args = ap.parse_args(argv)
    jobs = (
        ("resnet50", resnet50_manifest, RESNET50_COUNT, RESNET50_TOTAL),
        ("gpt2", gpt2_manifest, GPT2_COUNT, GPT2_TOTAL),
        ("keras_cnn", keras_cnn_manifest, KERAS_CNN_COUNT, KERAS_CNN_TOTAL),
        ("lstm_lm", lstm_lm_manifest, LSTM_LM_COUNT, LSTM_LM_TOTAL),
        ("llama3_2_1b", lambda: llama_manifest("llama3_2_1b"), LLAMA3_2_1B_COUNT, LLAMA3_2_1B_TOTAL),
        ("llama3_8b", lambda: llama_manifest("llama3_8b"), LLAMA3_8B_COUNT, LLAMA3_8B_TOTAL),
    )
    only = [x for x in args.only.split(",") if x]
    unknown = set(only) - {j[0] for j in jobs}
    if unknown:
        ap.error(f"--only: unknown {sorted(unknown)}")
    os.makedirs(args.out_dir, exist_ok=True)
    for model_name, make, count, total in jobs:
        if only and model_name not in only:
            continue
        fname = model_name + ".json"
        m = make()
        n, tot = check(m, count, total)
        path = os.path.join(args.out_dir, fname)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(dumps(m))
        print(f"wrote {path}: {n} tensors, {tot} parameters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
