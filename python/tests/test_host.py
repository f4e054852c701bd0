"""Host-side functions (no OpenCL): names, gains, fans, streams, resolve, versions, bf16 helpers."""
import math

import numpy as np
import pytest

import clinit


def test_versions():
    assert clinit.library_version() == clinit.__version__ == clinit.version()
    assert clinit.GENERATION_VERSION == 2


def test_initializers_and_params():
    names = clinit.initializers()
    for n in ("uniform", "normal", "trunc_normal", "xavier_uniform", "kaiming_normal", "glorot_normal",
              "linear_default_weight", "linear_default_bias", "variance_scaling", "orthogonal"):
        assert n in names
    assert clinit.param_names("kaiming_normal") == ("a", "mode", "nonlinearity")
    assert clinit.param_names("trunc_normal") == ("mean", "std", "a", "b")
    assert clinit.param_names("zeros") == ()


def test_init_info():
    """The registry's facts (PyTorch's and Keras's signatures, written out here) through init_info."""
    kn = clinit.init_info("kaiming_normal")
    assert (kn.name, kn.distribution, kn.needs_fans, kn.min_rank, kn.max_rank, kn.layouts) == \
        ("kaiming_normal", "normal", True, 0, 8, ("oi", "io", "axes"))  # ranks 0 and 1 under io: Keras's fans
    assert "kaiming_normal_" in kn.source and [p.name for p in kn.params] == list(clinit.param_names("kaiming_normal"))
    a, mode, nl = kn.params
    assert (a.type, a.default, a.min, a.max, a.min_open, a.max_open, a.required) == \
        ("real", 0.0, -math.inf, math.inf, True, True, False)
    assert (mode.type, mode.default, mode.values) == ("name", "fan_in", ("fan_in", "fan_out"))
    assert nl.default == "leaky_relu" and nl.values == (  # PyTorch's calculate_gain names
        "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid",
        "tanh", "relu", "leaky_relu", "selu")
    assert clinit.init_info(4).name == "ones" and clinit.init_info("ones").params == ()
    (groups,) = clinit.init_info("dirac").params
    assert (groups.type, groups.default, groups.min, groups.max) == ("integer", 1, 1, 2 ** 63 - 1)
    assert clinit.init_info("dirac").layouts == ("oi", "io")
    sparsity, std = clinit.init_info("sparse").params
    assert sparsity.required and sparsity.default is None and (sparsity.min, sparsity.max) == (0.0, 1.0)
    assert std.default == 0.01 and not std.required
    assert clinit.init_info("trunc_normal").params[1].min_open  # std > 0
    assert clinit.init_info("glorot_normal").distribution == "truncated_normal"
    gain, axis = clinit.init_info("orthogonal").params
    assert (axis.name, axis.type, axis.default, axis.min, axis.max, axis.required) == \
        ("column_axis", "axis", None, -8, 7, False)
    assert clinit.init_info("delta_orthogonal").params[1][4:6] == (-2, 1)  # an axis of its (in, out) matrix
    required = {(i, p.name) for i in clinit.initializers() for p in clinit.init_info(i).params if p.required}
    assert required == {("constant", "val"), ("sparse", "sparsity"), ("linear_default_bias", "fan_in")}
    with pytest.raises(clinit.Error) as e:
        clinit.init_info("kaiming")
    assert e.value.name == "INVALID_INIT"
    with pytest.raises(clinit.Error) as e:
        clinit.init_info(len(clinit.initializers()))
    assert e.value.name == "INVALID_INIT"
    with pytest.raises(TypeError):
        clinit.init_info(b"normal")


@pytest.mark.parametrize("nl, param, gain", [
    ("linear", None, 1.0), ("conv2d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5.0 / 3),
    ("relu", None, math.sqrt(2.0)), ("leaky_relu", None, math.sqrt(2.0 / (1 + 0.01 ** 2))),
    ("leaky_relu", 0.2, math.sqrt(2.0 / (1 + 0.04))), ("selu", None, 0.75)])
def test_calculate_gain(nl, param, gain):
    assert clinit.calculate_gain(nl, param) == pytest.approx(gain, rel=1e-15)


def test_compute_fans():
    assert clinit.compute_fans((64, 3, 7, 7)) == (3 * 49, 64 * 49)
    assert clinit.compute_fans((7, 7, 3, 64), layout="io") == (3 * 49, 64 * 49)
    assert clinit.compute_fans((1000, 2048)) == (2048, 1000)
    assert clinit.compute_fans((768, 12, 64), in_axes=[0], out_axes=[1, 2]) == (768, 768)
    assert clinit.compute_fans((768, 12, 64), in_axes=0, out_axes=(-2, -1)) == (768, 768)


def test_keras_fans_below_rank_2():
    """Under 'io' Keras 3's compute_fans: rank 0 (1, 1), rank 1 (n, n); under 'oi' PyTorch's refusal."""
    assert clinit.compute_fans((), layout="io") == (1, 1)
    assert clinit.compute_fans((7,), layout="io") == (7, 7)
    assert clinit.compute_fans(5, layout="io") == (5, 5)
    for shape in ((), (7,)):
        with pytest.raises(clinit.Error) as e:
            clinit.compute_fans(shape)
        assert e.value.name == "INVALID_RANK"
    # he_normal of a Keras bias (7,): stddev sqrt(2/7) / 0.87962566103423978, as Keras computes it
    d = clinit.resolve((7,), "he_normal", layout="io")
    assert d["kind"] == "truncated_normal" and d["std"] == math.sqrt(2 / 7) / 0.87962566103423978


def test_column_axis():
    """JAX's column_axis: the (R, C) matrix's orthogonal fill with the column axis moved back, any axis, negative
    ones from the end, whatever the layout; without it each layout's rule (rank 2: one matrix for all)."""
    assert clinit.param_names("orthogonal") == ("gain", "column_axis")
    assert clinit.param_names("delta_orthogonal") == ("scale", "column_axis")
    shape = (3, 4, 5)
    for axis in range(-3, 3):
        a = axis % 3
        rest = tuple(d for k, d in enumerate(shape) if k != a)
        m = clinit.reference((math.prod(rest), shape[a]), "orthogonal", seed=3, stream=4, gain=0.5)
        want = np.moveaxis(m.reshape(rest + (shape[a],)), -1, a)
        for layout in ("oi", "io"):
            got = clinit.reference(shape, "orthogonal", layout=layout, seed=3, stream=4, gain=0.5, column_axis=axis)
            assert got.tobytes() == np.ascontiguousarray(want).tobytes(), (axis, layout)
    k = clinit.reference((3, 3, 4, 8), "orthogonal", layout="io", seed=3, column_axis=-1).reshape(36, 8)
    assert np.abs(k.T.astype(np.float64) @ k - np.eye(8)).max() < 1e-6  # Keras's sense: columns orthonormal
    w = clinit.reference((3, 3, 4, 8), "delta_orthogonal", layout="io", seed=3, column_axis=0)
    q = clinit.reference((8, 4), "orthogonal", seed=3)
    assert w[1, 1].tobytes() == np.ascontiguousarray(q.T).tobytes() and not w[0].any() and not w[2].any()
    for init, axis, why in (("orthogonal", 3, "orthogonal: column_axis = 3 is not an axis of a rank-3 tensor"),
                            ("orthogonal", -4, "orthogonal: column_axis = -4 is not an axis of a rank-3 tensor"),
                            ("delta_orthogonal", 2, "delta_orthogonal: column_axis = 2 is not an axis of its")):
        with pytest.raises(clinit.Error) as e:
            clinit.reference((3, 4, 5), init, layout="io", column_axis=axis)
        assert e.value.name == "INVALID_PARAMETER" and why in str(e.value)
    with pytest.raises(clinit.Error) as e:
        clinit.reference((3, 4), "orthogonal", column_axis=1.0)
    assert 'column_axis = "1.0" is not an integer' in str(e.value)


def test_trunc_normal_equal_bounds():
    """a == b gives a, as torch.nn.init.trunc_normal_ does (its clamp to [a, a])."""
    for dtype, npdt in (("f32", np.float32), ("f16", np.float16), ("f64", np.float64)):
        v = clinit.reference((4, 5), "trunc_normal", dtype=dtype, mean=1, std=2, a=0.3, b=0.3)
        assert v.dtype == npdt and (v == npdt(0.3)).all()
    assert clinit.resolve((4,), "trunc_normal", a=-1.5, b=-1.5)["kind"] == "constant"


def test_stream_from_name():
    s = clinit.stream_from_name("conv1.weight")
    assert 0 <= s < 2 ** 64 and s == clinit.stream_from_name("conv1.weight")
    assert s != clinit.stream_from_name("conv1.bias")
    assert clinit.stream_from_name("") == 0xEF46DB3751D8E999  # XXH64 of no bytes, seed 0


def test_resolve():
    d = clinit.resolve((64, 3, 7, 7), "kaiming_normal", mode="fan_out", nonlinearity="relu")
    assert d["kind"] == "normal" and d["std"] == pytest.approx(math.sqrt(2.0 / (64 * 49)))
    d = clinit.resolve((300, 100), "xavier_uniform")
    assert d["kind"] == "uniform" and d["high"] == pytest.approx(math.sqrt(6.0 / 400)) and d["low"] == -d["high"]
    d = clinit.resolve((300, 100), "glorot_normal")
    assert d["kind"] == "truncated_normal" and d["expected_std"] == pytest.approx(math.sqrt(2.0 / 400))


def test_reference_shapes_and_dtypes():
    a = clinit.reference((3, 4), "normal", seed=1)
    assert a.shape == (3, 4) and a.dtype == np.float32
    h = clinit.reference((3, 4), "normal", dtype="f16", seed=1)
    np.testing.assert_array_equal(h, a.astype(np.float16))  # f16 = round-to-nearest-even of the f32 value
    b = clinit.reference((3, 4), "normal", dtype="bf16", seed=1)
    assert b.dtype == np.uint16
    np.testing.assert_array_equal(b, clinit.f32_to_bf16(a))
    assert clinit.reference((), "constant", val=2.5) == np.float32(2.5)
    assert clinit.reference((0, 5), "kaiming_normal").shape == (0, 5)
    np.testing.assert_array_equal(clinit.reference(5, "ones"), np.ones(5, np.float32))
    for alias in ("float32", np.float32):
        np.testing.assert_array_equal(clinit.reference((3, 4), "normal", dtype=alias, seed=1), a)


def test_integer_dtypes():
    """i32 and i64 (integer buffers) hold constants: the extremes exactly; other inits and values refused."""
    a = clinit.reference((), "zeros", dtype="i64")
    assert a.dtype == np.int64 and a.shape == () and a == 0
    np.testing.assert_array_equal(clinit.reference((2, 3), "constant", dtype=np.int64, val=-2.0 ** 63),
                                  np.full((2, 3), np.iinfo(np.int64).min))
    np.testing.assert_array_equal(clinit.reference(4, "ones", dtype="int32"), np.ones(4, np.int32))
    with pytest.raises(clinit.Error) as e:
        clinit.reference(4, "normal", dtype="i32")
    assert e.value.name == "UNSUPPORTED_DTYPE"
    assert e.value.message == "tensor.dtype i32 with normal: integer tensors take constant, zeros or ones only"
    with pytest.raises(clinit.Error) as e:
        clinit.reference(4, "constant", dtype="i32", val=2 ** 31)
    assert e.value.name == "INVALID_PARAMETER"
    assert e.value.message == "constant: val = 2147483648 is not an integer of i32, [-2^31, 2^31 - 1]"


def test_bf16_helpers():
    x = np.array([1.0, -2.5, 1e-40, np.inf, -np.inf, 3.0000002, 65504.0], dtype=np.float32)
    r = clinit.bf16_to_f32(clinit.f32_to_bf16(x))
    assert r[0] == 1 and r[1] == -2.5 and r[3] == np.inf and r[4] == -np.inf
    assert np.isnan(clinit.bf16_to_f32(clinit.f32_to_bf16(np.array([np.nan], np.float32))))[0]
    # round to nearest even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7 -> 1
    assert clinit.bf16_to_f32(clinit.f32_to_bf16(np.float32(1 + 2 ** -8))) == 1.0
    assert clinit.bf16_to_f32(clinit.f32_to_bf16(np.float32(1 + 3 * 2 ** -8))) == np.float32(1 + 2 ** -6)


def test_loader_errors(monkeypatch):
    from clinit import _lib
    monkeypatch.setattr(_lib, "_lib", None)  # restored after the test
    monkeypatch.setenv("CLINIT_LIBRARY", "/nonexistent/libclinit.so.0")
    with pytest.raises(clinit.LibraryNotFound, match="nonexistent"):
        _lib.load()


@pytest.mark.parametrize("init, params, needed", [
    ("constant", {}, "val"), ("sparse", {}, "sparsity"), ("sparse", {"std": 0.1}, "sparsity"),
    ("linear_default_bias", {}, "fan_in")])
def test_required_parameters(init, params, needed):
    """PyTorch has no default for these; as the CLI does, a missing one is an error, not a silent 0."""
    shape = (5,) if init == "constant" else (4, 3)
    for call in (lambda: clinit.reference(shape, init, **params), lambda: clinit.validate(shape, init, **params),
                 lambda: clinit.resolve(shape, init, **params)):
        with pytest.raises(clinit.Error) as e:
            call()
        assert e.value.name == "INVALID_PARAMETER" and init in e.value.message and needed in e.value.message
    # given, even as 0, it is used
    zero = {"val": 0.0, "sparsity": 0.0, "fan_in": 3}[needed]
    assert clinit.reference(shape, init, **dict(params, **{needed: zero})).shape == shape


@pytest.mark.parametrize("bad", [(2.9,), (True, 3), (3, np.float64(2.0)), (np.bool_(True),), ("3",), 2.0])
def test_dimensions_are_integers(bad):
    """A float, a bool or a string is not a dimension: refused, never truncated (2.9 -> 2, True -> 1)."""
    for call in (lambda: clinit.reference(bad, "ones"), lambda: clinit.validate(bad, "ones"),
                 lambda: clinit.compute_fans(bad)):
        with pytest.raises(TypeError, match="shape"):
            call()


def test_integer_arguments():
    assert clinit.reference((np.int64(2), np.uint8(3)), "ones").shape == (2, 3)
    assert clinit.reference(np.array([2, 3]), "ones").shape == (2, 3)
    assert clinit.compute_fans(np.array([768, 12, 64]), in_axes=[np.int32(0)], out_axes=[1, 2]) == (768, 768)
    with pytest.raises(TypeError, match="in_axes"):
        clinit.compute_fans((768, 12, 64), in_axes=[0.0], out_axes=[1, 2])
    with pytest.raises(TypeError, match="box"):
        clinit.reference((4, 4), "ones", box=((0, 1.5), (2, 2)))
    with pytest.raises(TypeError, match="seed"):
        clinit.reference((4,), "normal", seed=1.0)


def _golden_bits(generation, case, count):
    """The first `count` f32 bits tests/data/golden_v<generation>.txt freezes for `case`."""
    import pathlib
    lines = (pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" /
             ("golden_v%d.txt" % generation)).read_text().split("\n")
    at = lines.index(case)
    return [int(line.split()[2], 16) for line in lines[at + 1:at + 1 + count]]


def test_generation():
    """generation= selects the contract of docs/ALGORITHMS.md: each generation's golden vectors, the newest by
    default; others refused by the library, a non-int by Python."""
    case = "case normal 4096x4096 oi 0xdeadbeefcafef00d 0x8000000000000001 mean=0.5 std=2"
    args = dict(seed=0xDEADBEEFCAFEF00D, stream=0x8000000000000001, box=(slice(0, 1), slice(0, 8)), mean=0.5, std=2)
    got = {g: clinit.reference((4096, 4096), "normal", generation=g, **args).view(np.uint32).ravel().tolist()
           for g in (1, 2)}
    for g in (1, 2):
        assert got[g] == _golden_bits(g, case, 8)
    assert clinit.reference((4096, 4096), "normal", **args).view(np.uint32).ravel().tolist() == \
        got[clinit.GENERATION_VERSION]
    with pytest.raises(clinit.Error, match="generation = 3: this library knows generations 1 to 2"):
        clinit.reference((4,), "normal", generation=3)
    with pytest.raises(TypeError, match="generation must be an int"):
        clinit.reference((4,), "normal", generation="1")
    # a manifest's top-level "generation" reaches every tensor
    from clinit import manifest
    m = manifest.loads('{"generation": 1, "seed": 9, "tensors": [{"name": "w", "shape": [64], "init": "normal"}]}')
    assert m.generation == 1 and m.tensors[0].fill_args()["generation"] == 1
    np.testing.assert_array_equal(clinit.reference(**m.tensors[0].fill_args(), seed=9),
                                  clinit.reference((64,), "normal", seed=9, stream="w", generation=1))
    with pytest.raises(manifest.ManifestError, match="generation"):
        manifest.loads('{"generation": 3, "tensors": [{"name": "w", "shape": [4], "init": "normal"}]}')
