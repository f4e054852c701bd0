#!/usr/bin/env python3
"""Check clinit's model manifests and outputs against the frameworks themselves.

For each model, the framework's own code is the judge:
  * the committed manifest (examples/manifests/MODEL.json) lists exactly the tensors make_manifests.py derives
    from the framework now (names, shapes, dtypes, inits, params, fan_from, config);
  * `clinit init` writes the model, and the framework's own model takes the file strictly and keeps every
    value, bit for bit:
      resnet50      torchvision resnet50().load_state_dict(strict=True)  (parameters and BatchNorm buffers)
      gpt2          transformers GPT2Model(GPT2Config()).load_state_dict(strict=True)
      keras_cnn,    Keras 3 (torch backend): every model.weights[i] assigned from the tensor of its path, with
      lstm_lm       its shape and dtype, and no tensor left over
      llama3_2_1b,  `clinit init --out DIR/` (Hugging Face's folder layout), then transformers'
      llama3_8b     LlamaForCausalLM.from_pretrained(DIR) with no missing, unexpected or mismatched key
                    (the 8B model only with --full and the memory for it);
  * small Llama models of the two architectures (llama-tiny-tied: Llama-3.2-1B's, tied embeddings;
    llama-tiny: Llama-3-8B's) are written as folders with a small --max-shard-size, so that they have several
    shards: the folder must hold exactly the files, shard contents, weight_map and total_size that
    transformers' own save_pretrained(max_shard_size=...) writes for the same model, and from_pretrained loads
    it with no missing, unexpected or mismatched key, keeping every value and the tie.

usage: check_frameworks.py CLINIT [--only MODEL,...] [--full] [--keep DIR]
  CLINIT   the clinit executable
  --only   a subset of resnet50,gpt2,keras_cnn,lstm_lm,llama-tiny-tied,llama-tiny,llama3_2_1b,llama3_8b
           (default: all but the two real Llamas, which --full adds: 2.5 GB and 16 GB of output)
Needs torch, torchvision, transformers, keras (>= 3) and safetensors; tests/frameworks.sh installs them into a
virtual environment. Prints one line per check and "N passed, N failed"; exit status 1 on a failure.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
os.environ.setdefault("KERAS_BACKEND", "torch")

import make_manifests  # noqa: E402  (next to this script)

counts = {"passed": 0, "failed": 0}


def check(cond, what, detail=""):
    counts["passed" if cond else "failed"] += 1
    print(("ok   " if cond else "FAIL ") + what + ("" if cond or not detail else ": " + str(detail)), flush=True)
    return cond


def manifest_path(model):
    return os.path.join(REPO, "examples", "manifests", model + ".json")


def tensors_of(manifest):
    return [{k: v for k, v in t.items()} for t in manifest["tensors"]]


def check_manifest_current(model, derived):
    """The committed manifest lists what the framework gives now (the "source" text, which names versions, aside)."""
    with open(manifest_path(model)) as f:
        committed = json.load(f)
    same = tensors_of(committed) == tensors_of(derived)
    for key in ("layout", "dtype", "config", "seed"):
        same = same and committed.get(key) == derived.get(key)
    check(same, f"{model}: examples/manifests/{model}.json is what make_manifests.py derives from the framework")


def clinit_init(clinit, manifest, out, *extra):
    p = subprocess.run([clinit, "init", "--manifest", manifest, "--out", out, *extra], capture_output=True, text=True)
    check(p.returncode == 0, f"clinit init {os.path.basename(manifest)} --out {os.path.basename(out.rstrip('/'))}/"
          if out.endswith("/") else f"clinit init {os.path.basename(manifest)}", p.stderr)
    return p.returncode == 0


def same_values(model_sd, file_sd):
    """Every tensor of the file equals (bits, dtype, shape) the model's after loading."""
    import torch
    bad = [k for k, v in file_sd.items()
           if k not in model_sd or model_sd[k].dtype != v.dtype or not torch.equal(model_sd[k], v)]
    return bad


def check_torch_strict(name, model, path):
    from safetensors.torch import load_file
    sd = load_file(path)
    try:
        result = model.load_state_dict(sd, strict=True)
        ok = not result.missing_keys and not result.unexpected_keys
        detail = str(result)
    except RuntimeError as e:
        ok, detail = False, str(e)[:500]
    if check(ok, f"{name}: load_state_dict(strict=True) takes clinit's file", detail):
        bad = same_values(model.state_dict(), sd)
        check(not bad, f"{name}: every value kept bit for bit ({len(sd)} tensors)", bad[:5])


def check_resnet50(clinit, tmp):
    import torchvision
    check_manifest_current("resnet50", make_manifests.resnet50_manifest())
    out = os.path.join(tmp, "resnet50.safetensors")
    if clinit_init(clinit, manifest_path("resnet50"), out):
        check_torch_strict("resnet50", torchvision.models.resnet50(weights=None), out)
    os.remove(out) if os.path.exists(out) else None


def check_gpt2(clinit, tmp):
    from transformers import GPT2Config, GPT2Model
    check_manifest_current("gpt2", make_manifests.gpt2_manifest())
    out = os.path.join(tmp, "gpt2.safetensors")
    if clinit_init(clinit, manifest_path("gpt2"), out):
        check_torch_strict("gpt2", GPT2Model(GPT2Config()), out)
    os.remove(out) if os.path.exists(out) else None


def check_keras(clinit, tmp, model_name, build):
    import numpy as np
    from safetensors.numpy import load_file
    check_manifest_current(model_name, getattr(make_manifests, model_name + "_manifest")())
    out = os.path.join(tmp, model_name + ".safetensors")
    if not clinit_init(clinit, manifest_path(model_name), out):
        return
    sd = load_file(out)
    model = build()
    problems = []
    for v in model.weights:
        t = sd.pop(v.path, None)
        if t is None or tuple(t.shape) != tuple(v.shape) or str(t.dtype) != v.dtype:
            problems.append((v.path, None if t is None else (t.shape, t.dtype), (v.shape, v.dtype)))
            continue
        v.assign(t)
        if not np.array_equal(np.asarray(v.numpy()), t):
            problems.append((v.path, "value changed"))
    check(not problems and not sd, f"{model_name}: Keras takes every variable by its path, nothing left over",
          (problems[:5], list(sd)[:5]))
    os.remove(out)


def hf_split(model, max_shard_size):
    """transformers' save_pretrained file layout for the model: {file: [names]} and the index's weight_map."""
    from huggingface_hub import split_torch_state_dict_into_shards
    from transformers.modeling_utils import remove_tied_weights_from_state_dict
    sd = remove_tied_weights_from_state_dict(model.state_dict(), model)
    split = split_torch_state_dict_into_shards(sd, filename_pattern="model{suffix}.safetensors",
                                               max_shard_size=max_shard_size)
    return split


def check_llama_folder(clinit, tmp, name, manifest, max_shard_size=None, compare_save_pretrained=False):
    """clinit init --out DIR/ of a Llama manifest, loaded by transformers' from_pretrained."""
    import torch
    from safetensors import safe_open
    from transformers import LlamaForCausalLM
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump(manifest, f)
    folder = os.path.join(tmp, name) + "/"
    extra = ["--max-shard-size", max_shard_size] if max_shard_size else []
    if not clinit_init(clinit, path, folder, *extra):
        return
    files = sorted(os.listdir(folder))
    model, info = LlamaForCausalLM.from_pretrained(folder, output_loading_info=True)
    check(not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"]
          and not info["error_msgs"], f"{name}: from_pretrained(DIR): no missing, unexpected or mismatched key", info)
    check(model.dtype == torch.bfloat16, f"{name}: bf16 as config.json says", model.dtype)
    sd = model.state_dict()
    bad = []
    for fname in files:
        if fname.endswith(".safetensors"):
            with safe_open(os.path.join(folder, fname), "pt") as f:
                bad += [k for k in f.keys() if not torch.equal(sd[k], f.get_tensor(k))]
    check(not bad, f"{name}: every value kept bit for bit", bad[:5])
    if manifest["config"].get("tie_word_embeddings"):
        check(model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr(),
              f"{name}: lm_head tied to embed_tokens")
    if compare_save_pretrained:
        # transformers' own folder for the same model, made from the config as a user would, and max_shard_size:
        # the same files, shards and index (the model from_pretrained returned may list its tensors in another
        # order, which moves tensors between shards)
        from transformers import LlamaConfig
        theirs = os.path.join(tmp, name + "-transformers")
        fresh = LlamaForCausalLM(LlamaConfig.from_pretrained(folder)).to(torch.bfloat16)
        fresh.save_pretrained(theirs, max_shard_size=max_shard_size or "50GB")
        their_files = sorted(f for f in os.listdir(theirs) if f != "generation_config.json")
        check(their_files == files, f"{name}: the files save_pretrained writes", (files, their_files))
        for fname in files:
            if not fname.endswith(".safetensors"):
                continue
            with safe_open(os.path.join(folder, fname), "pt") as a, safe_open(os.path.join(theirs, fname), "pt") as b:
                check(sorted(a.keys()) == sorted(b.keys()),
                      f"{name}: {fname} holds the tensors of save_pretrained's", (list(a.keys())[:3], list(b.keys())[:3]))
        index = "model.safetensors.index.json"
        if index in files:
            mine, their = (json.load(open(os.path.join(d, index))) for d in (folder, theirs))
            check(mine["weight_map"] == their["weight_map"], f"{name}: weight_map as save_pretrained's")
            check(mine["metadata"]["total_size"] == their["metadata"]["total_size"],
                  f"{name}: metadata.total_size as save_pretrained's",
                  (mine["metadata"]["total_size"], their["metadata"]["total_size"]))
            check(list(mine) == ["metadata", "weight_map"] and list(mine["weight_map"]) == sorted(mine["weight_map"]),
                  f"{name}: index keys sorted, as json.dumps(sort_keys=True)")
        mine_cfg, their_cfg = (json.load(open(os.path.join(d, "config.json"))) for d in (folder, theirs))
        their_cfg.pop("transformers_version", None)
        mine_cfg.pop("transformers_version", None)
        check(mine_cfg == their_cfg, f"{name}: config.json as save_pretrained's")
    for d in (folder, os.path.join(tmp, name + "-transformers")):
        if os.path.isdir(d):
            for fname in os.listdir(d):
                os.remove(os.path.join(d, fname))
            os.rmdir(d)


# Small models of the two architectures: several shards at 1MB (the tied one's embedding alone is larger).
TINY = {"hidden_size": 64, "intermediate_size": 160, "num_hidden_layers": 3, "num_attention_heads": 4,
        "num_key_value_heads": 2, "head_dim": 16, "vocab_size": 5000}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clinit")
    ap.add_argument("--only", default="")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--keep", help="work in this folder (default: a temporary one)")
    args = ap.parse_args()
    jobs = {
        "resnet50": lambda tmp: check_resnet50(args.clinit, tmp),
        "gpt2": lambda tmp: check_gpt2(args.clinit, tmp),
        "keras_cnn": lambda tmp: check_keras(args.clinit, tmp, "keras_cnn", make_manifests.keras_cnn_model),
        "lstm_lm": lambda tmp: check_keras(args.clinit, tmp, "lstm_lm", make_manifests.lstm_lm_model),
        "llama-tiny-tied": lambda tmp: check_llama_folder(
            args.clinit, tmp, "llama-tiny-tied", make_manifests.llama_manifest("llama3_2_1b", TINY), "300KB", True),
        "llama-tiny": lambda tmp: check_llama_folder(
            args.clinit, tmp, "llama-tiny", make_manifests.llama_manifest("llama3_8b", TINY), "300KB", True),
        "llama3_2_1b": lambda tmp: (check_manifest_current("llama3_2_1b", make_manifests.llama_manifest("llama3_2_1b")),
                                    check_llama_folder(args.clinit, tmp, "llama3_2_1b",
                                                       make_manifests.llama_manifest("llama3_2_1b"))),
        "llama3_8b": lambda tmp: (check_manifest_current("llama3_8b", make_manifests.llama_manifest("llama3_8b")),
                                  check_llama_folder(args.clinit, tmp, "llama3_8b",
                                                     make_manifests.llama_manifest("llama3_8b"), "5GB")),
    }
    only = [x for x in args.only.split(",") if x] or [k for k in jobs if args.full or not k.startswith("llama3")]
    unknown = set(only) - set(jobs)
    if unknown:
        ap.error(f"--only: unknown {sorted(unknown)}")
    # The real Llamas' manifests are checked against transformers in every run; their outputs only with --full.
    for key in ("llama3_2_1b", "llama3_8b"):
        if key not in only:
            check_manifest_current(key, make_manifests.llama_manifest(key))
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clinit-frameworks-", dir=args.keep) as tmp:
        for key in only:
            try:
                jobs[key](tmp)
            except Exception as e:  # a framework's refusal is a failed check, not a crash of the script
                check(False, key, f"{type(e).__name__}: {e}")
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
