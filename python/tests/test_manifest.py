"""clinit.manifest: manifests read as `clinit init` reads them. The values of a manifest filled in place equal
`clinit init`'s file (test_clarray, test_tinygrad); here, what is read and what is refused, each refusal at
the place (file, tensor, field) the CLI names."""
import copy
import glob
import json
import os
import subprocess

import pytest

import clinit
from clinit import manifest as M
from manifests import FEATURES, cli, write

EXAMPLES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "manifests", "*.json")))


def test_dtype_names_as_the_cli_reads_them():
    """Any name of clinit.DTYPE_NAMES in any ASCII case, as `clinit init` reads a manifest's dtype ("BF16" was
    refused), written as the canonical one."""
    m = M.loads(json.dumps({"dtype": "F16", "tensors": [
        {"name": "a", "shape": [2], "init": "normal", "dtype": "BF16"}, {"name": "b", "shape": [2], "init": "normal"},
        {"name": "c", "shape": [], "init": "zeros", "dtype": "Int64"},
        {"name": "d", "shape": [2], "init": "ones", "dtype": "float64"}]}))
    assert [t.dtype for t in m.tensors] == ["bf16", "f16", "i64", "f64"]


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_examples_load(path):
    m = M.load(path)
    assert len(m) > 0 and m.path == path and m.seed == 0
    for t in m:
        assert m.by_name[t.name] is t and t.stream == t.name
        clinit.validate(**{k: v for k, v in t.fill_args().items() if k != "stream"})


def test_defaults_and_fan_from():
    m = M.load([p for p in EXAMPLES if p.endswith("resnet50.json")][0])
    fc = m.by_name["fc.bias"]
    assert (fc.init, fc.params, fc.layout, fc.dtype) == ("linear_default_bias", {"fan_in": 2048}, "oi", "f32")
    f = M.loads(json.dumps(FEATURES))
    assert f.seed == 42
    t = f.by_name["attn.qkv"]
    assert (t.layout, t.dtype, t.in_axes, t.out_axes, t.batch_axes) == ("axes", "f16", (0,), (1, 2), None)
    assert f.by_name["attn.bias"].params == {"fan_in": 16}          # in_axes [0] of a (16, 4, 8) weight
    neg = M.loads(json.dumps({"tensors": [{"name": "q", "shape": [16, 4, 8], "init": "glorot_uniform",
                                           "layout": "axes", "in_axes": [-3], "out_axes": [-2, -1]}]}))
    assert (neg.by_name["q"].in_axes, neg.by_name["q"].out_axes) == ((0,), (1, 2))
    assert f.by_name["conv.bias"].params == {"fan_in": 27}          # 3 * 3 * 3, "oi"
    assert (f.by_name["embed"].dtype, f.by_name["embed"].layout) == ("bf16", "io")
    assert f.by_name["dense.kernel"].split_dim == 1 and f.by_name["embed"].split_dim is None
    args = f.by_name["proj"].fill_args()
    assert args == dict(shape=(6, 5), init="trunc_normal", dtype="f64", layout="io", stream="proj", std=0.5, a=-1,
                        b=1)


def test_integer_params_as_digits():
    """fan_in 27.0 in JSON goes to the library as "27", as the CLI writes it (repr would give "27.0", refused)."""
    m = M.loads('{"tensors": [{"name": "b", "shape": [4], "init": "linear_default_bias", '
                '"params": {"fan_in": 27.0}}]}')
    assert m.by_name["b"].params == {"fan_in": 27} and isinstance(m.by_name["b"].params["fan_in"], int)
    # which parameters are integers is the library's registry's: dirac's groups, orthogonal's column_axis (an
    # axis, negative from the end); a real one stays a float
    m = M.loads('{"tensors": [{"name": "d", "shape": [4, 2, 3], "init": "dirac", "params": {"groups": 2.0}}, '
                '{"name": "q", "shape": [4, 3], "init": "orthogonal", "params": {"column_axis": -1.0, "gain": 2.0}}]}')
    assert m.by_name["d"].params == {"groups": 2} and isinstance(m.by_name["d"].params["groups"], int)
    q = m.by_name["q"].params
    assert isinstance(q["column_axis"], int) and q["column_axis"] == -1 and isinstance(q["gain"], float)


def tensors(*extra, **top):
    m = {"tensors": [{"name": "w", "shape": [4, 3], "init": "normal"}] + list(extra)}
    m.update(top)
    return m


def bad_tensor(**fields):
    t = {"name": "w", "shape": [4, 3], "init": "normal"}
    t.update(fields)
    return {"tensors": [{k: v for k, v in t.items() if v is not DROP}]}


DROP = object()

# (manifest (a dict or the JSON text), the place the message names after "PATH: ", the message's end)
BAD = [
    ("[1, 2]", "", "not a JSON object"),
    ('{"tensors": [', "", "invalid JSON near line 1, column 14"),
    ('{"seed": 1, "seed": 2, "tensors": []}', "", "the key 'seed' is given twice in one object"),
    ('{"tensors": [{"name": "w", "shape": [4], "init": "normal", "params": {"std": 1e999}}]}', "",
     "the number 1e999 is beyond the range of a double (it would be inf)"),
    # a JSON integer beyond a double's range, as the CLI reads every number (it raised OverflowError, or a
    # ValueError past 4300 digits)
    ('{"tensors": [{"name": "w", "shape": [4], "init": "normal", "params": {"std": 1%s}}]}' % ("0" * 400), "",
     "the number 1%s... is beyond the range of a double (it would be inf)" % ("0" * 63)),
    ('{"tensors": [{"name": "w", "shape": [4], "dtype": "i64", "init": "constant", "params": {"val": -%s}}]}'
     % ("9" * 5000), "", "the number -%s... is beyond the range of a double (it would be -inf)" % ("9" * 63)),
    ('{"tensors": [{"name": "w", "shape": [1%s], "init": "normal"}]}' % ("0" * 400), "",
     "the number 1%s... is beyond the range of a double (it would be inf)" % ("0" * 63)),
    ('{"tensors": [{"name": "w", "shape": [4], "init": "normal", "params": {"std": NaN}}]}', "",
     "NaN is not JSON (a number must be finite)"),
    ('{"model": "a\\u0000b", "tensors": [{"name": "w", "shape": [4], "init": "zeros"}]}', "",
     "\\u0000 (NUL) in a string: names and values cannot hold it"),
    ({"seed": -1, "tensors": []}, "seed: ", 'not an unsigned integer (a number below 2^53, or a string "123" / '
                                           '"0x7b" up to 2^64-1)'),
    ({"seed": "0x1ffffffffffffffff", "tensors": []}, "seed: ", "not an unsigned integer"),
    ({"seed": 2**53, "tensors": []}, "seed: ", "not an unsigned integer"),
    ({"layout": "OI", "tensors": []}, "layout: ", 'unknown layout "OI": one of oi, io, axes'),
    ({"dtype": 16, "tensors": []}, "dtype: ", 'not a string ("f32", "f16", "bf16", "f64", "i32" or "i64")'),
    ({"layout": 1, "tensors": []}, "layout: ", 'not a string ("oi", "io" or "axes")'),
    ({"config": [], "tensors": []}, "config: ", "not an object (the model's config.json)"),
    ({"tensors": []}, "tensors: ", "not a non-empty array"),
    ({"seed": 1}, "tensors: ", "missing"),
    ({"shape": [1], "tensors": []}, "shape: ", "belongs to each tensor, not to the top level"),
    ({"tensors": [[]]}, "tensors[0]: ", "not an object"),
    (bad_tensor(name=DROP), "tensors[0]: name: ", "missing"),
    (bad_tensor(name=""), "tensors[0]: name: ", "not a non-empty string"),
    (bad_tensor(name="__metadata__"), "tensors[0]: name: ", '"__metadata__" is reserved'),
    (bad_tensor(lyout="oi"), 'tensors[0] "w": lyout: ', "unknown key: one of name, shape, init, params, fan_from, "
                                                        "layout, dtype, in_axes, out_axes, batch_axes, split_dim"),
    (bad_tensor(shape=DROP), 'tensors[0] "w": shape: ', "missing"),
    (bad_tensor(shape=[4, -3]), 'tensors[0] "w": shape: ', "dimension 1 is not a non-negative integer"),
    (bad_tensor(shape=[4, 2.5]), 'tensors[0] "w": shape: ', "dimension 1 is not a non-negative integer"),
    (bad_tensor(shape=[2**53]), 'tensors[0] "w": shape: ',
     "dimension 0 is 2^53 or more: JSON numbers are exact only below 2^53"),
    (bad_tensor(shape=[1] * 9), 'tensors[0] "w": shape: ', "rank 9 is more than 8"),
    (bad_tensor(split_dim=2), 'tensors[0] "w": split_dim: ', "2 is not a dimension of the rank-2 shape: give 0..1, "
                                                             "or null"),
    (bad_tensor(shape=[], split_dim=0), 'tensors[0] "w": split_dim: ', "a scalar cannot be split: give null"),
    (bad_tensor(dtype="f8"), 'tensors[0] "w": dtype: ', 'unknown dtype "f8": one of f32, f16, bf16, f64, i32, i64'),
    (bad_tensor(in_axes=[0]), 'tensors[0] "w": in_axes: ', 'only with layout "axes" (this tensor\'s layout is "oi")'),
    (bad_tensor(layout="axes", in_axes=[2]), 'tensors[0] "w": in_axes: ',
     "axis 2 is out of range for rank 2 (axes are in [-2, 2))"),
    (bad_tensor(layout="axes", in_axes=[-3]), 'tensors[0] "w": in_axes: ',
     "axis -3 is out of range for rank 2 (axes are in [-2, 2))"),
    (bad_tensor(layout="axes", in_axes=[0.5]), 'tensors[0] "w": in_axes: ',
     "not an array of integers (axes, negative ones from the end)"),
    (bad_tensor(layout="axes", in_axes=[0, 0]), 'tensors[0] "w": in_axes: ', "axis 0 given twice"),
    (bad_tensor(layout="axes", in_axes=[1, -1]), 'tensors[0] "w": in_axes: ', "axis -1 is dimension 1, given twice"),
    (bad_tensor(layout="axes", in_axes=[0], out_axes=[-2]), 'tensors[0] "w": out_axes: ',
     "axis 0 is in in_axes too"),
    (bad_tensor(dtype="i64", init="normal"), 'tensors[0] "w": ', "i64"),
    (bad_tensor(init=3), 'tensors[0] "w": init: ', "not a string (an initializer name)"),
    (bad_tensor(params=[]), 'tensors[0] "w": params: ', "not an object"),
    (bad_tensor(params={"std": True}), 'tensors[0] "w": params.std: ', "not a number or a string"),
    # an integer tensor's constant must be exact: the CLI's JSON reader rounds 2^53 + 1 to 2^53 before anything
    # can tell, so both readers refuse a number there from 2^53 on (a string is read exactly)
    (bad_tensor(init="constant", dtype="i64", params={"val": 2**53 + 1}), 'tensors[0] "w": params.val: ',
     "9007199254740992: JSON numbers are exact only below 2^53 in magnitude, and the constant of an integer dtype "
     "must be exact (give it as a string)"),
    (bad_tensor(init="constant", dtype="i64", params={"val": "9007199254740993"}), 'tensors[0] "w": ',
     'val = "9007199254740993" is an integer a double does not hold exactly (the doubles on either side are '
     '9007199254740992 and 9007199254740994): give one of them, or write a decimal point to take the nearest'),
    (bad_tensor(init="linear_default_bias", shape=[3], fan_from=1), 'tensors[0] "w": fan_from: ', "not a string"),
    (tensors({"name": "w", "shape": [3], "init": "zeros"}), 'tensors[1] "w": name: ', "duplicate of tensors[0]"),
    (tensors({"name": "b", "shape": [4], "init": "linear_default_bias", "fan_from": "x"}),
     'tensors[1] "b": fan_from: ', 'no tensor named "x"'),
    (tensors({"name": "b", "shape": [4], "init": "linear_default_bias", "fan_from": "w", "params": {"fan_in": 3}}),
     'tensors[1] "b": fan_from: ', "conflicts with params.fan_in: give one of them"),
    (tensors({"name": "v", "shape": [4], "init": "zeros"},
             {"name": "b", "shape": [4], "init": "linear_default_bias", "fan_from": "v"}),
     'tensors[2] "b": fan_from: ', 'tensor "v" has rank 1; fans need rank >= 2'),
    # the library's refusals, at the tensor (the CLI adds the field it knows)
    (bad_tensor(init="normall"), 'tensors[0] "w": ', 'unknown initializer "normall": did you mean normal?'),
    (bad_tensor(params={"std": -1}), 'tensors[0] "w": ', "std = -1 must be finite and >= 0"),
    (bad_tensor(params={"sdt": 1}), 'tensors[0] "w": ', "sdt"),
    (bad_tensor(init="constant"), 'tensors[0] "w": ', "constant needs val=... (it has no default)"),
    (bad_tensor(shape=[4], init="xavier_uniform"), 'tensors[0] "w": ', "rank"),
]


def _text(manifest):
    return manifest if isinstance(manifest, str) else json.dumps(manifest)


@pytest.mark.parametrize("manifest,place,why", BAD, ids=[b[2][:40] for b in BAD])
def test_refused(tmp_path, manifest, place, why):
    path = write(tmp_path, _text(manifest))
    with pytest.raises(M.ManifestError) as e:
        M.load(path)
    msg = str(e.value)
    assert msg.startswith("%s: %s" % (path, place)), msg
    assert why in msg[len("%s: %s" % (path, place)):], msg


@pytest.mark.parametrize("manifest,place,why", BAD, ids=[b[2][:40] for b in BAD])
def test_refused_where_the_cli_refuses(tmp_path, manifest, place, why):
    """`clinit init` refuses the same manifest (exit status 2) naming the same file, tensor and field."""
    path = write(tmp_path, _text(manifest))
    r = subprocess.run([cli(), "init", "--manifest", str(path), "--out", str(tmp_path / "o.safetensors")],
                       capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("clinit: %s: %s" % (path, place)), r.stderr
    assert not (tmp_path / "o.safetensors").exists()


def test_load_from_bytes_and_errors():
    with pytest.raises(M.ManifestError, match="contains a NUL byte"):
        M.loads(b'{"tensors": []}\0')
    with pytest.raises(M.ManifestError, match="not valid UTF-8"):
        M.loads(b'{"model": "\xff", "tensors": []}')
    with pytest.raises(TypeError):
        M.loads(None)
    with pytest.raises(FileNotFoundError):
        M.load("/nonexistent/m.json")
    assert M.loads(b'{"tensors": [{"name": "w", "shape": [2], "init": "ones"}]}').by_name["w"].shape == (2,)


def test_manifest_unchanged_by_reading():
    m = copy.deepcopy(FEATURES)
    M.loads(json.dumps(m))
    assert m == FEATURES
