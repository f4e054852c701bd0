"""What the in-place tests share: a manifest that uses every feature of the format, `clinit init`'s file of a
manifest (when ctest gives CLINIT_CLI, the clinit tool), and docs/FRAMEWORKS.md's snippets."""
import json
import os
import subprocess
import sys

import pytest

import clinit

# Every per-tensor key and default of the format: a top-level dtype and layout that tensors override, axes,
# fan_from (from an "axes" weight and from an "oi" one), a seed as a hex string, structured and orthogonal
# initializers (one fill each inside a batch) beside element-wise ones, f16, bf16, f64, i32 and i64, scalars.
FEATURES = {
    "model": "features", "seed": "0x2a", "layout": "io", "dtype": "bf16",
    "tensors": [
        {"name": "embed", "shape": [50, 16], "init": "normal", "params": {"std": 0.02}},
        {"name": "conv.weight", "shape": [8, 3, 3, 3], "init": "kaiming_uniform", "layout": "oi", "dtype": "f32",
         "params": {"a": 2.23606797749979}},
        {"name": "conv.bias", "shape": [8], "init": "linear_default_bias", "fan_from": "conv.weight",
         "dtype": "f32"},
        {"name": "attn.qkv", "shape": [16, 4, 8], "init": "glorot_uniform", "layout": "axes", "in_axes": [0],
         "out_axes": [1, 2], "dtype": "f16"},
        {"name": "attn.bias", "shape": [4, 8], "init": "linear_default_bias", "fan_from": "attn.qkv",
         "dtype": "f16"},
        {"name": "dense.kernel", "shape": [16, 10], "init": "he_normal", "split_dim": 1},
        {"name": "rnn.recurrent", "shape": [12, 12], "init": "orthogonal", "params": {"gain": 1.5},
         "dtype": "f32"},
        {"name": "proj", "shape": [6, 5], "init": "trunc_normal", "params": {"std": 0.5, "a": -1, "b": 1},
         "dtype": "f64"},
        {"name": "eye", "shape": [4, 6], "init": "eye", "dtype": "f32"},
        {"name": "sparse", "shape": [10, 7], "init": "sparse", "params": {"sparsity": 0.5}, "dtype": "f32"},
        {"name": "scale", "shape": [], "init": "constant", "params": {"val": 0.125}},
        {"name": "norm.weight", "shape": [16], "init": "ones"},
        {"name": "bn.num_batches_tracked", "shape": [], "init": "zeros", "dtype": "i64"},
        {"name": "offsets", "shape": [3], "init": "constant", "params": {"val": -7}, "dtype": "i32"},
    ]}


def write(tmp_path, manifest, name="m.json"):
    path = tmp_path / name
    path.write_text(manifest if isinstance(manifest, str) else json.dumps(manifest))
    return path


def cli():
    path = os.environ.get("CLINIT_CLI")
    if not path:
        pytest.skip("CLINIT_CLI (the clinit tool) not given")
    return path


def clinit_init(tmp_path, manifest_path, seed=None):
    """{name: array} of the file `clinit init` writes for the manifest (bf16 as uint16 bits)."""
    out = tmp_path / (manifest_path.stem + ".safetensors")
    args = [cli(), "init", "--manifest", str(manifest_path), "--out", str(out), "--force"]
    if seed is not None:
        args += ["--seed", str(seed)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return clinit.load_safetensors(out)


def snippets(section):
    """tools/frameworks/run_snippets.py on docs/FRAMEWORKS.md's section of this title, with this interpreter."""
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    cli()
    return subprocess.run([sys.executable, os.path.join(root, "tools", "frameworks", "run_snippets.py"),
                           os.path.join(root, "docs", "FRAMEWORKS.md"), "--section", section],
                          capture_output=True, text=True)
