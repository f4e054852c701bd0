"""Every refused call raises clinit.Error with the status, its string and the library's message."""
import numpy as np
import pyopencl as cl
import pytest

import clinit


def test_error_fields(ctx, cl_ctx, queue):
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        ctx.fill(queue, buf, (16,), "kaiming_normal")
    err = e.value
    assert err.status == 2 and err.name == "INVALID_RANK" and err.status_string == "invalid rank"
    assert "rank" in err.message and str(err).startswith("invalid rank: ")
    assert ctx.message == err.message


@pytest.mark.parametrize("call, name, words", [
    (lambda c, b, q: c.fill(q, b, (100,), "uniform"), "BUFFER_TOO_SMALL", "bytes"),
    (lambda c, b, q: c.fill(q, b, (4,), "uniform", offset_bytes=2), "MISALIGNED_OFFSET", "offset"),
    (lambda c, b, q: c.fill(q, b, (4,), "uniform", a=1, b=0), "INVALID_PARAMETER", ""),
    (lambda c, b, q: c.fill(q, b, (4, -1), "uniform"), "INVALID_SHAPE", ""),
    (lambda c, b, q: c.fill(q, b, (4, 4), "uniform", box=((0, 2), (4, 3))), "INVALID_BOX", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "kaiming_normal", mode="fan_avg"), "INVALID_MODE", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "kaiming_normal", nonlinearity="gelu"), "INVALID_NONLINEARITY", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "kaiming_normal", gain=2), "UNKNOWN_PARAMETER", "a, mode, nonlinearity"),
    (lambda c, b, q: c.fill(q, b, (2, 2), "he_glorot"), "INVALID_INIT", "xavier_uniform"),
    (lambda c, b, q: c.fill(q, b, (2, 2), "normal", std=float("nan")), "INVALID_PARAMETER", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "normal", std="wide"), "INVALID_PARAMETER", "std=wide"),
    (lambda c, b, q: c.fill(q, b, (2, 3), "xavier_uniform", in_axes=[0], out_axes=[0]),
     "INVALID_LAYOUT", ""),
])
def test_fill_errors(ctx, cl_ctx, queue, call, name, words):
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        call(ctx, buf, queue)
    assert e.value.name == name, str(e.value)
    assert words in str(e.value)


def test_read_only_buffer(ctx, cl_ctx, queue):
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_ONLY, 64)
    with pytest.raises(clinit.Error) as e:
        ctx.fill(queue, buf, (4,), "ones")
    assert e.value.name == "READ_ONLY_BUFFER"
    assert e.value.message == "tensor.buffer: created with CL_MEM_READ_ONLY, which kernels must not write"


def test_status_names_are_the_headers():
    """STATUS_NAMES holds every clinit_status of include/clinit.h, by value, and nothing else."""
    import os
    import re
    header = os.path.join(os.path.dirname(__file__), "..", "..", "include", "clinit.h")
    if not os.path.exists(header):
        pytest.skip("no source tree beside the package")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    enum = text[text.index("typedef enum clinit_status {"):text.index("} clinit_status;")]
    names = {int(v): ("SUCCESS" if n == "SUCCESS" else n[len("ERROR_"):])
             for n, v in re.findall(r"CLINIT_(\w+) = (\d+)", enum)}
    assert names == clinit.STATUS_NAMES


def test_other_context_queue(ctx, cl_ctx, device):
    other = cl.Context([device])
    q = cl.CommandQueue(other)
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        ctx.fill(q, buf, (4,), "ones")
    assert e.value.name == "INVALID_QUEUE"


def test_host_errors():
    with pytest.raises(clinit.Error) as e:
        clinit.reference((4,), "xavier_uniform")
    assert e.value.name == "INVALID_RANK" and "rank" in e.value.message
    with pytest.raises(clinit.Error) as e:
        clinit.reference(tuple([1] * 9), "ones")
    assert e.value.name == "INVALID_RANK"
    with pytest.raises(clinit.Error) as e:
        clinit.calculate_gain("swish")
    assert e.value.name == "INVALID_NONLINEARITY"
    with pytest.raises(clinit.Error) as e:
        clinit.compute_fans((5,))
    assert e.value.name == "INVALID_RANK"
    with pytest.raises(clinit.Error) as e:
        clinit.validate((3, 3), "uniform", a=2.0, b=1.0)
    assert e.value.name == "INVALID_PARAMETER" and e.value.message
    with pytest.raises(TypeError):
        clinit.reference((3,), "uniform", a=True)
    with pytest.raises(ValueError):
        clinit.reference((3,), "uniform", seed=-1)
    with pytest.raises(ValueError):
        clinit.reference((3,), "uniform", dtype="int8")
    assert clinit.validate((3, 3), "uniform", a=1.0, b=2.0) is None
    assert np.isfinite(clinit.reference((3, 3), "trunc_normal", a=float("-inf"), b=0.0)).all()
