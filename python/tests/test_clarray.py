"""clinit.clarray: pyopencl.array.Array objects initialized in place, bit for bit clinit.reference and
`clinit init`'s file; PyOpenCL's event protocol kept; refusals that write nothing."""
import json

import numpy as np
import pytest

import clinit
from manifests import FEATURES, clinit_init, snippets, write

cl = pytest.importorskip("pyopencl")
cla = pytest.importorskip("pyopencl.array")
cca = pytest.importorskip("clinit.clarray")

SENTINEL = 7


def sentinel(queue, shape, dtype):
    return cla.to_device(queue, np.full(shape, SENTINEL, dtype))


@pytest.mark.parametrize("dtype,key", [(np.float32, "f32"), (np.float16, "f16"), (np.float64, "f64"),
                                       (np.uint16, "bf16")])
def test_init_array_equals_reference(queue, dtype, key):
    a = sentinel(queue, (6, 5), dtype)
    out = cca.init_array(a, "kaiming_uniform", seed=9, stream="w", dtype="bf16" if key == "bf16" else None,
                         a=0.5, mode="fan_out")
    assert out is a
    ref = clinit.reference((6, 5), "kaiming_uniform", dtype=key, seed=9, stream="w", a=0.5, mode="fan_out")
    assert a.get().tobytes() == ref.tobytes()


@pytest.mark.parametrize("dtype,key", [(np.int32, "i32"), (np.int64, "i64")])
def test_integer_arrays(queue, dtype, key):
    a = sentinel(queue, (3, 2), dtype)
    cca.init_array(a, "constant", val=-3)
    assert a.get().tobytes() == clinit.reference((3, 2), "constant", dtype=key, val=-3).tobytes()
    with pytest.raises(clinit.Error) as e:
        cca.init_array(a, "uniform")
    assert e.value.name == "UNSUPPORTED_DTYPE" and (a.get() == -3).all()


def test_rows_of_a_larger_array_keep_the_rest(queue):
    """A slice of rows is C-contiguous at an offset: only its bytes change."""
    a = sentinel(queue, (8, 5), np.float32)
    cca.init_array(a[2:6], "xavier_normal", seed=1, stream=3)
    got = a.get()
    np.testing.assert_array_equal(got[2:6], clinit.reference((4, 5), "xavier_normal", seed=1, stream=3))
    assert (got[:2] == SENTINEL).all() and (got[6:] == SENTINEL).all()


def test_orders_after_the_arrays_events(cl_ctx, queue):
    """The fill waits for the array's events (a user event here: nothing runs before it is set) and joins
    them, so that a.get() waits for the fill."""
    a = sentinel(queue, (64,), np.float32)
    gate = cl.UserEvent(cl_ctx)
    a.add_event(gate)
    cca.init_array(a, "normal", seed=2)
    assert len(a.events) >= 1 and a.events[-1] is not gate
    assert a.events[-1].command_execution_status != cl.command_execution_status.COMPLETE
    gate.set_status(cl.command_execution_status.COMPLETE)
    np.testing.assert_array_equal(a.get(), clinit.reference(64, "normal", seed=2))


@pytest.mark.parametrize("make,kwargs,error,message", [
    (lambda q: np.zeros(3, np.float32), {}, TypeError, "array must be a pyopencl.array.Array, not "),
    (lambda q: sentinel(q, (4, 5), np.float32).T, {}, ValueError,
     "array is not C-contiguous (strides (4, 20)): clinit writes whole row-major tensors"),
    (lambda q: sentinel(q, (4, 5), np.float32)[:, 1:3], {}, ValueError, "array is not C-contiguous (strides (20, 4))"),
    (lambda q: sentinel(q, (4,), np.int8), {}, ValueError,
     'array has dtype int8: clinit writes float32, float16, float64, int32, int64, or bfloat16 into uint16 with '
     'dtype="bf16"'),
    (lambda q: sentinel(q, (4,), np.uint16), {}, ValueError, '(bfloat16 bits? pass dtype="bf16")'),
    (lambda q: sentinel(q, (4,), np.float32), {"dtype": "bf16"}, ValueError,
     'array: dtype="bf16" needs a uint16 array (the bfloat16 bits), not float32'),
    (lambda q: sentinel(q, (4,), np.float32), {"dtype": "f16"}, ValueError, "array: dtype='f16': only \"bf16\""),
    (lambda q: sentinel(q, (4,), np.float32), {"std": -1.0}, clinit.Error, "std = -1"),
    (lambda q: sentinel(q, (4,), np.float32), {"sdt": 1.0}, clinit.Error, "sdt"),
])
def test_refusals_write_nothing(queue, make, kwargs, error, message):
    a = make(queue)
    with pytest.raises(error) as e:
        cca.init_array(a, "normal", **kwargs)
    assert message in str(e.value)
    if isinstance(a, cla.Array):  # the whole buffer, a view's base's too
        whole = np.empty(a.base_data.size // a.dtype.itemsize, a.dtype)
        cl.enqueue_copy(queue, whole, a.base_data)
        assert (whole == SENTINEL).all()


def test_kaiming_of_a_vector_is_the_library_refusal(queue):
    a = sentinel(queue, (4,), np.float32)
    with pytest.raises(clinit.Error) as e:
        cca.init_array(a, "kaiming_uniform")
    assert e.value.name == "INVALID_RANK"
    assert (a.get() == SENTINEL).all()


def arrays_of(queue, manifest):
    dt = {"f32": np.float32, "f16": np.float16, "f64": np.float64, "bf16": np.uint16, "i32": np.int32,
          "i64": np.int64}
    return ({t.name: sentinel(queue, t.shape, dt[t.dtype]) for t in manifest},
            [t.name for t in manifest if t.dtype == "bf16"])


@pytest.mark.parametrize("seed", [None, 7])
def test_manifest_equals_clinit_init(tmp_path, queue, seed):
    """Every tensor of a manifest using every feature of the format, filled in place, equals `clinit init`'s
    file for the same manifest and seed, byte for byte."""
    path = write(tmp_path, FEATURES)
    m = clinit.manifest.load(path)
    arrays, bf16 = arrays_of(queue, m)
    result = cca.init_arrays(arrays, path, seed=seed, bf16=bf16)
    assert result == cca.InitResult([t.name for t in m], [], [])
    f = clinit_init(tmp_path, path, seed=seed)
    assert set(f) == set(arrays)
    for name, a in arrays.items():
        assert a.get().tobytes() == f[name].tobytes(), name
        args = m.by_name[name].fill_args()
        ref = clinit.reference(seed=m.seed if seed is None else seed, **args)
        assert a.get().tobytes() == ref.tobytes(), name


def test_manifest_checked_whole_before_anything_is_written(tmp_path, queue):
    m = clinit.manifest.loads(json.dumps(FEATURES))
    arrays, bf16 = arrays_of(queue, m)
    arrays["proj"] = sentinel(queue, (5, 6), np.float64)          # the last tensor's shape transposed
    with pytest.raises(ValueError) as e:
        cca.init_arrays(arrays, m, bf16=bf16)
    assert str(e.value) == "arrays['proj']: shape (5, 6) is not the manifest's (6, 5) (proj)"
    arrays["proj"] = sentinel(queue, (6, 5), np.float32)
    with pytest.raises(ValueError) as e:
        cca.init_arrays(arrays, m, bf16=bf16)
    assert str(e.value) == ("arrays['proj']: dtype f32 is not the manifest's f64 (proj); create the tensor with the "
                            "manifest's dtype")
    for a in arrays.values():
        assert (a.get() == SENTINEL).all()


def test_overlapping_arrays_are_named(queue):
    """Two arrays over the same bytes: the library's overlap refusal names them, nothing is written."""
    base = sentinel(queue, (4, 4), np.float32)
    m = {"tensors": [{"name": "a", "shape": [2, 4], "init": "ones"}, {"name": "b", "shape": [2, 4], "init": "ones"}]}
    with pytest.raises(clinit.Error) as e:
        cca.init_arrays({"a": base[0:2], "b": base[1:3]}, m)
    assert e.value.name == "INVALID_PARAMETER"
    assert "arrays['a'] and arrays['b'] overlap" in e.value.message
    assert (base.get() == SENTINEL).all()


def test_strict_and_partial(queue):
    m = {"tensors": [{"name": "a", "shape": [3], "init": "ones"}, {"name": "b", "shape": [3], "init": "zeros"}]}
    arrays = {"a": sentinel(queue, 3, np.float32), "c": sentinel(queue, 3, np.float32)}
    with pytest.raises(ValueError) as e:
        cca.init_arrays(arrays, m)
    assert str(e.value) == ("<manifest dict> does not match the tensors (strict=True): given tensors the manifest "
                            "does not name: 'c'; manifest tensors not given: 'b'; pass strict=False to fill only "
                            "the names in both")
    assert (arrays["a"].get() == SENTINEL).all()
    with pytest.raises(ValueError, match="bf16 names arrays that are not given: 'b'"):
        cca.init_arrays(arrays, m, strict=False, bf16=["b"])
    assert cca.init_arrays(arrays, m, strict=False) == (["a"], ["c"], ["b"])
    assert (arrays["a"].get() == 1).all() and (arrays["c"].get() == SENTINEL).all()


def test_frameworks_page_runs():
    """docs/FRAMEWORKS.md's PyOpenCL snippet runs as written (tools/frameworks/run_snippets.py)."""
    r = snippets("PyOpenCL arrays, in place")
    assert r.returncode == 0 and "PyOpenCL arrays, in place    ran" in r.stdout, r.stdout + r.stderr
