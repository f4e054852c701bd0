"""clinit.scratch_bytes (clinit_scratch_bytes): the device scratch a fill allocates besides the tensor, in bytes,
as (largest buffer, total); errors with clinit_validate's status and message; arguments checked as validate's."""
import numpy as np
import pytest

import clinit


def orth(m, n, s):
    """The three buffers of an m x n orthogonal factorization (m >= n), s bytes a real: (largest, total)."""
    bufs = ((m * n + n) * s, n * n * s, m * n * s)
    return max(bufs), sum(bufs)


@pytest.mark.parametrize("shape, init, kwargs, expected", [
    ((6, 4), "orthogonal", {}, (112, 272)),                       # m=6, n=4: 112 + 64 + 96
    ((4, 6), "orthogonal", {"dtype": "bf16"}, (112, 272)),        # m, n are the larger and smaller sides; bf16 in f32
    ((6, 4), "orthogonal", {"dtype": "f16"}, (112, 272)),
    ((6, 4), "orthogonal", {"dtype": "f64"}, (224, 544)),         # f64: 8 bytes a real
    ((6, 4), "orthogonal", {"dtype": np.float64}, (224, 544)),
    ((2, 3, 5), "orthogonal", {}, (128, 264)),                    # 2 x 15: 128 + 16 + 120
    ((5, 3, 3, 3), "delta_orthogonal", {}, (72, 168)),            # in 3, out 5: 72 + 36 + 60
    ((4, 4), "orthogonal", {"gain": 2.0}, orth(4, 4, 4)),         # parameters do not change it
    ((6, 4), "orthogonal", {"box": (slice(0, 2), slice(1, 3))}, (112, 272)),  # a box still factorizes the whole
    ((6, 4), "orthogonal", {"box": ((0, 0), (0, 4))}, (0, 0)),   # an empty box fills nothing
    ((6, 4), "orthogonal", {"layout": "io"}, (112, 272)),        # orthogonal's matrix ignores the layout
    ((6, 4), "normal", {}, (0, 0)),
    ((6, 4), "uniform", {"dtype": "f64"}, (0, 0)),
    ((3, 3, 3, 3), "dirac", {}, (0, 0)),
    ((6, 4), "sparse", {"sparsity": 0.5}, (0, 0)),
    ((0, 4), "orthogonal", {}, (0, 0)),                           # no elements, no scratch
    ((4, 0), "orthogonal", {"dtype": "f64"}, (0, 0)),
])
def test_values(shape, init, kwargs, expected):
    got = clinit.scratch_bytes(shape, init, **kwargs)
    assert got == expected
    assert type(got) is tuple and all(type(v) is int for v in got)


def test_formula_on_larger_shapes():
    assert clinit.scratch_bytes((1000, 300), "orthogonal") == orth(1000, 300, 4)
    assert clinit.scratch_bytes((300, 1000), "orthogonal", dtype="f64") == orth(1000, 300, 8)
    assert clinit.scratch_bytes((64, 32, 3, 3), "orthogonal") == orth(288, 64, 4)
    # layout 'io': delta_orthogonal's channels are the last two dimensions
    assert clinit.scratch_bytes((3, 3, 3, 5), "delta_orthogonal", layout="io") == (72, 168)


def errors(status, call, *args, **kwargs):
    """call raises clinit.Error `status` with validate's message for the same arguments."""
    with pytest.raises(clinit.Error) as e:
        call(*args, **kwargs)
    assert e.value.name == status and e.value.message
    with pytest.raises(clinit.Error) as v:
        clinit.validate(*args, **kwargs)
    assert (v.value.status, v.value.message) == (e.value.status, e.value.message)
    return e.value


def test_errors():
    errors("INVALID_PARAMETER", clinit.scratch_bytes, (6, 4), "orthogonal", gain=float("nan"))
    e = errors("INVALID_RANK", clinit.scratch_bytes, (6,), "orthogonal")
    assert "rank" in e.message
    errors("INVALID_RANK", clinit.scratch_bytes, (1,) * 9, "normal")
    errors("INVALID_SHAPE", clinit.scratch_bytes, (-1, 4), "orthogonal")
    errors("INVALID_SHAPE", clinit.scratch_bytes, (5, 7, 3, 3), "delta_orthogonal")   # in > out
    errors("UNKNOWN_PARAMETER", clinit.scratch_bytes, (6, 4), "orthogonal", std=1.0)
    errors("INVALID_PARAMETER", clinit.scratch_bytes, (6, 4), "constant")              # val is required
    errors("INVALID_INIT", clinit.scratch_bytes, (6, 4), 999)
    errors("MISALIGNED_OFFSET", clinit.scratch_bytes, (6, 4), "orthogonal", offset_bytes=2)
    errors("INVALID_BOX", clinit.scratch_bytes, (6, 4), "orthogonal", box=((0, 0), (7, 4)))


@pytest.mark.parametrize("kwargs, message", [
    ({"shape": (6.0, 4)}, "shape[0] must be an int, not 6.0"),
    ({"shape": (6, True)}, "shape[1] must be an int, not True"),
    ({"shape": "64"}, "shape must be an int or a sequence of ints, not '64'"),
    ({"init": b"orthogonal"},
     "init must be an initializer name (str) or a clinit_init_kind (int), not b'orthogonal'"),
    ({"init": None}, "init must be an initializer name (str) or a clinit_init_kind (int), not None"),
    ({"dtype": None}, None),
    ({"layout": b"oi"}, "layout must be a layout name (str: oi, io, axes) or None, not b'oi'"),
    ({"offset_bytes": 4.0}, "offset_bytes must be an int, not 4.0"),
    ({"in_axes": 1.5, "out_axes": [0]},
     "in_axes must be an int or a sequence of ints (dimension indices), not 1.5"),
    ({"box": 5}, "box must be (start, extent) or a tuple of slices, not 5"),
    ({"gain": [1.0]}, "parameter gain: [1.0] is not a number or a name"),
    ({"seed": 1}, "scratch_bytes() takes no seed: the seed does not change the scratch a fill allocates; seed is "
                  "an argument of Context.fill, Context.sample and reference"),
])
def test_argument_types(kwargs, message):
    args = {"shape": (6, 4), "init": "orthogonal"}
    args.update(kwargs)
    with pytest.raises(TypeError) as e:
        clinit.scratch_bytes(**args)
    assert type(e.value) is TypeError
    if message is None:
        assert str(e.value).startswith("dtype must be a dtype name (str) or a numpy dtype, not None")
    else:
        assert str(e.value) == message


@pytest.mark.parametrize("kwargs, start", [
    ({"shape": (2 ** 64 + 4, 4)}, "shape[0] must be in [-2^63, 2^63)"),
    ({"offset_bytes": -4}, "offset_bytes must be in [0, 2^64)"),
    ({"dtype": "int8"}, "dtype 'int8' is not an accepted dtype"),
    ({"layout": "OI"}, "layout 'OI': one of oi, io, axes"),
    ({"box": (slice(0, 10),)}, "box[0].stop = 10 is outside the dimension of 6"),
    ({"in_axes": [2], "out_axes": [0]}, "in_axes[0]: axis 2 is out of range for rank 2"),
])
def test_argument_values(kwargs, start):
    args = {"shape": (6, 4), "init": "orthogonal"}
    args.update(kwargs)
    with pytest.raises(ValueError) as e:
        clinit.scratch_bytes(**args)
    assert str(e.value).startswith(start)


def test_in_all():
    assert "scratch_bytes" in clinit.__all__


def test_against_device_limit(device):
    """The documented use: largest against CL_DEVICE_MAX_MEM_ALLOC_SIZE (PoCL's is far above these)."""
    largest, total = clinit.scratch_bytes((64, 32, 3, 3), "orthogonal")
    assert 0 < largest <= total < device.max_mem_alloc_size


def test_sample_refuses_what_cannot_fit_the_device(ctx, device, monkeypatch):
    """sample((2**31 + 4,), "normal") gave a raw OSError from clCreateBuffer (-61), sample((40000, 40000),
    "orthogonal") started a fill whose tensor and scratch cannot be on the device together. Each limit is now
    checked before anything is allocated (clinit.Error OPENCL for the tensor's own buffer, DEVICE_MEMORY for the
    scratch, clinit_scratch_fits):
    create_buffer raising here would fail the test rather than run it."""
    def allocated(*args):
        raise AssertionError("sample allocated a buffer it cannot use: %r" % (args,))
    monkeypatch.setattr(clinit._cl, "create_buffer", allocated)
    max_alloc, global_mem = device.max_mem_alloc_size, device.global_mem_size

    def refused(message, shape, init, status="OPENCL", **kw):
        with pytest.raises(clinit.Error) as e:
            ctx.sample(shape, init, **kw)
        assert (e.value.name, e.value.message) == (status, message)

    n = max_alloc // 4 + 1
    refused("sample: the tensor's %d bytes are above the device's largest buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d "
            "bytes)" % (4 * n, max_alloc), (n,), "normal")
    refused("sample: the tensor's %d bytes are above the device's largest buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d "
            "bytes)" % (2 * (max_alloc // 2 + 1), max_alloc), (2, max_alloc // 2 + 1), "ones", dtype="f16",
            box=(slice(1, 2),))
    # An m x 1 orthogonal matrix: scratch buffers of (m + 1)s, s and ms bytes besides the tensor's ms.
    m = max_alloc // 4
    # the scratch is the library's check and message (clinit_scratch_fits), with its own status
    refused("orthogonal of a %d x 1 matrix needs a scratch buffer of %d bytes, above the device's largest "
            "(CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d bytes)" % (m, 4 * m + 4, max_alloc), (m, 1), "orthogonal",
            status="DEVICE_MEMORY")
    m = global_mem // 12 + 1
    largest, total = clinit.scratch_bytes((m, 1), "orthogonal")
    if largest > max_alloc or total > global_mem:
        pytest.skip("no m x 1 orthogonal fill here whose scratch alone fits but not with the tensor")
    assert (largest, total) == (4 * m + 4, 8 * m + 8)
    refused("orthogonal of a %d x 1 matrix needs %d bytes of scratch besides %d bytes of other buffers, above the "
            "device's memory (CL_DEVICE_GLOBAL_MEM_SIZE = %d bytes)" % (m, 8 * m + 8, 4 * m, global_mem), (m, 1),
            "orthogonal", status="DEVICE_MEMORY")
