"""clinit.tinygrad: tinygrad tensors initialized on tinygrad's own OpenCL device (PoCL in CI), bit for bit
clinit.reference and `clinit init`'s file; ordered on tinygrad's queue; refusals that change nothing.

Skipped without tinygrad, except where CLINIT_REQUIRE_TINYGRAD is set (the ctest test python-tinygrad, which runs
this file in a virtual environment holding the pinned tinygrad)."""
import json
import os

import numpy as np
import pytest

import clinit
from manifests import FEATURES, clinit_init, snippets, write

if os.environ.get("CLINIT_REQUIRE_TINYGRAD"):
    import tinygrad
else:
    tinygrad = pytest.importorskip("tinygrad")
from tinygrad import Tensor, dtypes, nn  # noqa: E402
from tinygrad.helpers import Context, GlobalCounters  # noqa: E402

import clinit.tinygrad as cit  # noqa: E402

CL = "CL"
DTYPES = [(dtypes.float32, "f32"), (dtypes.float16, "f16"), (dtypes.bfloat16, "bf16"), (dtypes.float64, "f64")]
TINYGRAD = dict({k: d for d, k in DTYPES}, i32=dtypes.int32, i64=dtypes.int64)


def bits(t):
    """The tensor's bytes as clinit.reference's dtype holds them (bf16 as uint16 bits)."""
    if t.dtype == dtypes.bfloat16:
        return t.bitcast(dtypes.uint16).numpy().tobytes()
    return t.numpy().tobytes()


@pytest.mark.parametrize("dtype,key", DTYPES, ids=[k for _, k in DTYPES])
@pytest.mark.parametrize("make", ["empty", "realized", "lazy"])
def test_init_tensor_equals_reference(make, dtype, key):
    if make == "empty":
        t = Tensor.empty(6, 5, dtype=dtype, device=CL)
    elif make == "realized":
        t = Tensor.full((6, 5), 7, dtype=dtype, device=CL).contiguous().realize()
    else:
        t = Tensor.full((6, 5), 7, dtype=dtype, device=CL) + 1
    assert cit.init_tensor(t, "kaiming_uniform", seed=9, stream="w", a=0.5, mode="fan_out") is t
    ref = clinit.reference((6, 5), "kaiming_uniform", dtype=key, seed=9, stream="w", a=0.5, mode="fan_out")
    assert bits(t) == ref.tobytes()


def test_in_place_is_seen_through_the_buffer():
    """A realized tensor is filled in its own buffer: a reshape of it made before sees the values."""
    t = Tensor.zeros(4, 6, device=CL).contiguous().realize()
    flat = t.reshape(24)
    cit.init_tensor(t, "normal", seed=3, stream="x", std=0.5)
    np.testing.assert_array_equal(flat.numpy(), clinit.reference(24, "normal", seed=3, stream="x", std=0.5)
                                  .reshape(4, 6).reshape(24))


def test_ordered_on_tinygrad_queue():
    """No host wait anywhere: tinygrad's copy into the buffer is enqueued before the fill, a kernel reading the
    tensor after it; the in-order queue runs them in that order."""
    t = Tensor(np.full((256, 64), 3, np.float32), device=CL).realize()  # a non-blocking copy-in
    cit.init_tensor(t, "xavier_uniform", seed=1, stream="w")
    doubled = (t * 2).numpy()  # a tinygrad kernel, then a read
    np.testing.assert_array_equal(doubled, 2 * clinit.reference((256, 64), "xavier_uniform", seed=1, stream="w"))


def test_pending_assign_runs_first():
    t = Tensor.zeros(5, device=CL).contiguous().realize()
    t.assign(Tensor.ones(5, device=CL))
    assert t.uop.op.name == "AFTER"
    cit.init_tensor(t, "uniform", seed=2, a=-3, b=-2)
    np.testing.assert_array_equal(t.numpy(), clinit.reference(5, "uniform", seed=2, a=-3, b=-2))


@pytest.mark.parametrize("dtype,key", [(dtypes.int32, "i32"), (dtypes.int64, "i64")], ids=["i32", "i64"])
def test_integer_buffers(dtype, key):
    """int32/int64 tensors take constant, zeros and ones (a BatchNorm's num_batches_tracked); a random
    initializer is the library's UNSUPPORTED_DTYPE, the tensor unchanged."""
    t = Tensor.full((5,), 7, dtype=dtype, device=CL).contiguous().realize()
    cit.init_tensor(t, "constant", val=-(2**31))
    assert t.numpy().tobytes() == clinit.reference(5, "constant", dtype=key, val=-(2**31)).tobytes()
    with pytest.raises(clinit.Error) as e:
        cit.init_tensor(t, "normal")
    assert e.value.name == "UNSUPPORTED_DTYPE"
    assert (t.numpy() == -(2**31)).all()


def test_scalar_and_empty():
    s = cit.init_tensor(Tensor.empty(device=CL), "constant", val=0.25)
    assert s.numpy() == np.float32(0.25) and s.shape == ()
    e = Tensor.empty(0, 3, device=CL)
    assert cit.init_tensor(e, "normal") is e and e.shape == (0, 3)


REFUSED = [
    (lambda: 5, TypeError, "t must be a tinygrad.Tensor, not 5"),
    (lambda: Tensor.empty(3, device="CPU"), ValueError,
     "t is on tinygrad device 'CPU', not on tinygrad's OpenCL device: create it with device=\"CL\" (or run with "
     "DEV=CL), or move it with .to(\"CL\")"),
    (lambda: Tensor.empty(3, dtype=dtypes.int8, device=CL), ValueError,
     "t has dtype dtypes.char: clinit writes float32, float16, bfloat16, float64, int32, int64"),
    (lambda: Tensor.empty(3, dtype=dtypes.uint16, device=CL), ValueError,
     "t has dtype dtypes.ushort: clinit writes float32, float16, bfloat16, float64, int32, int64"),
]


@pytest.mark.parametrize("make,error,message", REFUSED, ids=[r[2][:30] for r in REFUSED])
def test_refused(make, error, message):
    with pytest.raises(error) as e:
        cit.init_tensor(make(), "normal")
    assert str(e.value) == message


@pytest.mark.parametrize("view", [lambda t: t.T, lambda t: t[1:3], lambda t: t.expand(2, 4, 6)[0]],
                         ids=["permute", "shrink", "expand"])
def test_views_refused_and_base_unchanged(view):
    base = Tensor.full((4, 6), 7.0, device=CL).contiguous().realize()
    with pytest.raises(ValueError) as e:
        cit.init_tensor(view(base), "normal")
    assert "is a view (" in str(e.value) and "tinygrad's OpenCL device has no buffer views" in str(e.value)
    assert (base.numpy() == 7).all()


def test_library_refusal_changes_nothing():
    t = Tensor.full((4,), 7.0, device=CL).contiguous().realize()
    lazy = Tensor.full((4, 3), 7.0, device=CL) + 0
    with pytest.raises(clinit.Error) as e:
        cit.init_tensor(t, "kaiming_uniform")
    assert e.value.name == "INVALID_RANK"
    with pytest.raises(clinit.Error) as e:
        cit.init_tensor(lazy, "normal", std=-1.0)
    assert e.value.name == "INVALID_PARAMETER" and "std = -1" in e.value.message
    pending = Tensor.zeros(3, device=CL).contiguous().realize()
    pending.assign(Tensor.ones(3, device=CL))
    with pytest.raises(clinit.Error):
        cit.init_tensor(pending, "normal", std=-1.0)
    assert pending.uop.op.name == "AFTER"  # refused before tinygrad's pending write ran
    assert (t.numpy() == 7).all() and (lazy.numpy() == 7).all() and (pending.numpy() == 1).all()


def test_context_is_per_device():
    assert cit.context(CL) is cit.context(CL)
    with pytest.raises(ValueError, match="device 'CPU', not on tinygrad's OpenCL device"):
        cit.context("CPU")


class Net:
    """tinygrad.nn layers of the kinds a manifest names (their own init is a lazy graph until realized)."""

    def __init__(self):
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = nn.BatchNorm(8)
        self.emb = nn.Embedding(50, 16)
        self.ln = nn.LayerNorm(16)
        self.fc = nn.Linear(16, 10)


# Net's parameters and buffers with PyTorch's defaults for these layers, as a manifest names them.
NET = {"seed": 5, "layout": "oi", "tensors": [
    {"name": "conv.weight", "shape": [8, 3, 3, 3], "init": "linear_default_weight"},
    {"name": "conv.bias", "shape": [8], "init": "linear_default_bias", "fan_from": "conv.weight"},
    {"name": "bn.weight", "shape": [8], "init": "ones"},
    {"name": "bn.bias", "shape": [8], "init": "zeros"},
    {"name": "bn.running_mean", "shape": [8], "init": "zeros"},
    {"name": "bn.running_var", "shape": [8], "init": "ones"},
    {"name": "bn.num_batches_tracked", "shape": [], "init": "zeros", "dtype": "i64"},
    {"name": "emb.weight", "shape": [50, 16], "init": "normal"},
    {"name": "ln.weight", "shape": [16], "init": "ones"},
    {"name": "ln.bias", "shape": [16], "init": "zeros"},
    {"name": "fc.weight", "shape": [10, 16], "init": "linear_default_weight"},
    {"name": "fc.bias", "shape": [10], "init": "linear_default_bias", "fan_from": "fc.weight"}]}


def test_model_by_manifest_equals_clinit_init(tmp_path):
    """A tinygrad model's state dict initialized by a manifest equals `clinit init`'s file for the same manifest
    and seed, tensor by tensor, bit for bit; tinygrad's own (lazy) initializers never run: its weights are
    pointed at clinit's buffers without a tinygrad kernel."""
    path = write(tmp_path, NET)
    model = Net()
    sd = nn.state.get_state_dict(model)
    weight = model.fc.weight
    # BatchNorm's and LayerNorm's tensors are Tensor.ones/zeros(...).contiguous(): a buffer with its store pending,
    # realized first (one kernel each); the conv, embedding and linear weights are lazy random graphs (tinygrad
    # runs 30-odd kernels for them) that must not run at all
    pending = [n for n in sd if sd[n].uop.op.name == "AFTER"]
    assert len(pending) == 7
    kernels = GlobalCounters.kernel_count
    result = cit.init_state_dict(sd, path)
    assert GlobalCounters.kernel_count - kernels <= len(pending)
    assert result == cit.InitResult([t["name"] for t in NET["tensors"]], [], [])
    assert model.fc.weight is weight  # the same Tensor object (an optimizer's parameter list holds it)
    f = clinit_init(tmp_path, path)
    for name in result.initialized:
        assert bits(sd[name]) == f[name].tobytes(), name


def test_model_trains_after_init(tmp_path):
    """tinygrad computes with clinit's values: a forward pass equals numpy's on the reference weights, and an
    optimizer step updates the same tensors."""
    model = Net()
    cit.init_state_dict(nn.state.get_state_dict(model), NET)
    w = clinit.reference((10, 16), "linear_default_weight", seed=5, stream="fc.weight")
    b = clinit.reference(10, "linear_default_bias", seed=5, stream="fc.bias", fan_in=16)
    x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(2, 16)
    np.testing.assert_allclose(model.fc(Tensor(x, device=CL)).numpy(), x @ w.T + b, rtol=1e-5, atol=1e-6)
    with Context(TRAINING=1):
        opt = nn.optim.SGD([model.fc.weight, model.fc.bias], lr=0.5)
        loss = model.fc(Tensor(x, device=CL)).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert not np.array_equal(model.fc.weight.numpy(), w)


def test_every_feature_and_dtype_equals_clinit_init(tmp_path):
    """FEATURES (f16, bf16, f64, i32, i64, axes, fan_from, orthogonal, eye, sparse, scalars) into a {name: Tensor}
    state dict of Tensor.empty of each dtype, with a seed given: `clinit init --seed`'s file."""
    path = write(tmp_path, FEATURES)
    m = clinit.manifest.load(path)
    sd = {t.name: Tensor.empty(*t.shape, dtype=TINYGRAD[t.dtype], device=CL) for t in m}
    cit.init_state_dict(sd, m, seed=11)
    f = clinit_init(tmp_path, path, seed=11)
    for name, t in sd.items():
        assert bits(t) == f[name].tobytes(), name


def test_state_dict_checked_whole_before_anything_changes():
    m = clinit.manifest.loads(json.dumps(NET))
    sd = {t.name: Tensor.full(t.shape, 7, dtype=TINYGRAD[t.dtype], device=CL).contiguous().realize() for t in m}
    sd["fc.bias"] = Tensor.full((10,), 7.0, dtype=dtypes.float16, device=CL).contiguous().realize()
    with pytest.raises(ValueError) as e:
        cit.init_state_dict(sd, m)
    assert str(e.value) == ("state_dict['fc.bias']: dtype f16 is not the manifest's f32 (fc.bias); create the "
                            "tensor with the manifest's dtype")
    sd["fc.bias"] = Tensor.full((10,), 7.0, device=CL).contiguous().realize()
    sd["emb.weight"] = Tensor.full((16, 50), 7.0, device=CL).contiguous().realize()
    with pytest.raises(ValueError) as e:
        cit.init_state_dict(sd, m)
    assert str(e.value) == "state_dict['emb.weight']: shape (16, 50) is not the manifest's (50, 16) (emb.weight)"
    sd["emb.weight"] = Tensor.full((50, 16), 7.0, device="CPU").contiguous().realize()
    with pytest.raises(ValueError, match=r"state_dict\['emb.weight'\] is on tinygrad device 'CPU'"):
        cit.init_state_dict(sd, m)
    for t in sd.values():
        assert (t.numpy() == 7).all()
    with pytest.raises(ValueError, match="does not match the tensors"):
        cit.init_state_dict({"x": Tensor.empty(3, device=CL)}, m)


def test_frameworks_page_runs():
    """docs/FRAMEWORKS.md's tinygrad snippets run as written (tools/frameworks/run_snippets.py)."""
    r = snippets("tinygrad, in place")
    assert r.returncode == 0 and "tinygrad, in place           ran" in r.stdout, r.stdout + r.stderr
