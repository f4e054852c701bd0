#!/usr/bin/env python3
"""Generate clinit's example model manifests from the real reference libraries.

What it does
  Instantiates the reference models and writes, for every parameter in
  named_parameters() order, its exact name, shape and the init scheme the
  reference code applies to it:

    examples/manifests/resnet50.json  torchvision.models.resnet50(weights=None)
                                      161 tensors, 25,557,032 parameters
    examples/manifests/gpt2.json      transformers GPT2Model(GPT2Config())
                                      (= the Hugging Face "gpt2" checkpoint)
                                      148 tensors, 124,439,808 parameters

  The init scheme is assigned per module type, mirroring the library code:
    * torchvision/models/resnet.py, ResNet.__init__: every nn.Conv2d weight
      kaiming_normal_(mode="fan_out", nonlinearity="relu"); BatchNorm2d weight
      1, bias 0 (zero_init_residual=False by default); the nn.Linear "fc" keeps
      PyTorch's default reset_parameters() (kaiming_uniform_(a=sqrt(5)) for
      the weight, U(+-1/sqrt(fan_in)) for the bias).
    * transformers/models/gpt2/modeling_gpt2.py, GPT2PreTrainedModel.
      _init_weights: Linear/Conv1D weight and Embedding weight
      normal(0, initializer_range=0.02), biases 0, LayerNorm weight 1, bias 0,
      and every "c_proj.weight" normal(0, 0.02/sqrt(2*n_layer)).
  It asserts the tensor counts and parameter totals above, and that every
  parameter got exactly one rule.  Output is deterministic: one tensor per
  line, so diffs stay readable.

Requirements
  torch, torchvision and transformers from PyPI
  (pip install torch torchvision transformers).  No weights are downloaded:
  the models are built with random init (weights=None / a fresh config).

Not part of the build
  This is a maintenance tool: the generated JSON files are committed, and
  the build and tests never run this script.  tools/manifests/
  check_manifests.py validates the committed files with the standard
  library only.

Usage
  python3 tools/manifests/make_manifests.py [--out-dir examples/manifests]
"""

import argparse
import json
import math
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

RESNET50_COUNT, RESNET50_TOTAL = 161, 25557032
GPT2_COUNT, GPT2_TOTAL = 148, 124439808


def _entry(name, shape, init, params=None, fan_from=None):
    e = {"name": name, "shape": [int(d) for d in shape], "init": init,
         "params": dict(params or {})}
    if fan_from is not None:
        e["fan_from"] = fan_from
    return e


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
            return ("ones", {}, None) if pname == "weight" else ("zeros", {}, None)
        if isinstance(mod, nn.Linear):
            if pname == "weight":
                return ("linear_default_weight", {}, None)
            return ("linear_default_bias", {}, f"{mname}.weight")
        return None

    tensors = _assign(model, rule)
    return {
        "model": "resnet50",
        "source": (
            "torchvision.models.resnet50(weights=None) "
            f"(torch {torch.__version__}, torchvision {torchvision.__version__}); "
            "names/shapes from named_parameters(). Init scheme from "
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
    args = ap.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    for fname, make, count, total in (
        ("resnet50.json", resnet50_manifest, RESNET50_COUNT, RESNET50_TOTAL),
        ("gpt2.json", gpt2_manifest, GPT2_COUNT, GPT2_TOTAL),
    ):
        m = make()
        n, tot = check(m, count, total)
        path = os.path.join(args.out_dir, fname)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(dumps(m))
        print(f"wrote {path}: {n} tensors, {tot} parameters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
