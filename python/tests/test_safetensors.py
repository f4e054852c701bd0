"""safetensors helpers: round trips with every dtype (bf16 as uint16 bits), and the files `clinit init` writes
(when ctest gives CLINIT_CLI) read back equal to clinit.reference with the tensors' named streams."""
import json
import os
import struct
import subprocess

import numpy as np
import pytest

import clinit
from clinit import safetensors


def test_round_trip(tmp_path):
    t = {"w": clinit.reference((4, 3), "normal", seed=1),
         "h": clinit.reference((5,), "uniform", dtype="f16", seed=2),
         "b": clinit.reference((2, 2), "normal", dtype="bf16", seed=3),
         "i": np.arange(6, dtype=np.int64).reshape(2, 3), "u": np.arange(4, dtype=np.uint16),
         "s": np.zeros((), np.float64), "e": np.zeros((0, 3), np.float32)}
    path = tmp_path / "t.safetensors"
    clinit.save_safetensors(t, path, metadata={"seed": 1}, bf16=["b"])
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    assert (8 + n) % 8 == 0
    header = safetensors.read_header(path)
    assert header["__metadata__"] == {"seed": "1"}
    assert header["b"]["dtype"] == "BF16" and header["u"]["dtype"] == "U16" and header["h"]["dtype"] == "F16"
    assert list(header)[1:] == list(t)  # the dict's order
    back = clinit.load_safetensors(path)
    assert set(back) == set(t)
    for k in t:
        assert back[k].dtype == t[k].dtype and back[k].shape == t[k].shape
        np.testing.assert_array_equal(back[k], t[k])
    assert set(clinit.load_safetensors(path, names=["w"])) == {"w"}


def test_bad_files(tmp_path):
    p = tmp_path / "bad.safetensors"
    with pytest.raises(TypeError):
        clinit.save_safetensors({"x": np.zeros(2, np.float32)}, p, bf16=["x"])
    h = json.dumps({"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 12]}}).encode()
    p.write_bytes(struct.pack("<Q", len(h)) + h + bytes(12))
    with pytest.raises(ValueError):
        clinit.load_safetensors(p)


@pytest.mark.skipif(not os.environ.get("CLINIT_CLI"), reason="CLINIT_CLI (the clinit tool) not given")
def test_clinit_init_file(tmp_path):
    manifest = {"seed": 5, "layout": "oi", "tensors": [
        {"name": "conv.weight", "shape": [8, 3, 3, 3], "init": "kaiming_normal",
         "params": {"mode": "fan_out", "nonlinearity": "relu"}},
        {"name": "fc.weight", "shape": [10, 72], "init": "linear_default_weight"},
        {"name": "fc.bias", "shape": [10], "init": "linear_default_bias", "fan_from": "fc.weight"}]}
    m = tmp_path / "m.json"
    m.write_text(json.dumps(manifest))
    out = tmp_path / "m.safetensors"
    subprocess.run([os.environ["CLINIT_CLI"], "init", "--manifest", str(m), "--out", str(out)], check=True,
                   capture_output=True)
    got = clinit.load_safetensors(out)
    np.testing.assert_array_equal(got["conv.weight"], clinit.reference(
        (8, 3, 3, 3), "kaiming_normal", seed=5, stream="conv.weight", mode="fan_out", nonlinearity="relu"))
    np.testing.assert_array_equal(got["fc.weight"], clinit.reference((10, 72), "linear_default_weight", seed=5,
                                                                     stream="fc.weight"))
    np.testing.assert_array_equal(got["fc.bias"], clinit.reference((10,), "linear_default_bias", seed=5,
                                                                   stream="fc.bias", fan_in=72))


def test_refused_names(tmp_path):
    """__metadata__ is the header's key for the metadata, an empty name is none, and bf16 must name tensors
    that are saved: each raises, and no file is written."""
    w = np.zeros(2, np.float32)
    p = tmp_path / "refused.safetensors"
    for tensors, kw, error in (({"__metadata__": w}, {}, ValueError), ({"": w}, {}, ValueError),
                               ({1: w}, {}, TypeError), ({"w": w}, {"bf16": ["zz"]}, ValueError),
                               ({"w": w}, {"bf16": "w"}, TypeError)):
        with pytest.raises(error):
            clinit.save_safetensors(tensors, p, **kw)
        assert not p.exists()
    with pytest.raises(ValueError, match="zz"):
        clinit.save_safetensors({"w": w, "b": np.zeros(2, np.uint16)}, p, bf16=["b", "zz"])
