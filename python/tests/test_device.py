"""Fills into PyOpenCL buffers equal the C library's host reference bit for bit (same seed and stream), for
several initializers and every dtype; boxes, offsets, named streams, events and Context.default()."""
import os

import numpy as np
import pyopencl as cl
import pytest

import clinit

CASES = [
    ("uniform", (1000,), dict(a=-0.5, b=0.25)),
    ("normal", (33, 17), dict(mean=1.0, std=0.5)),
    ("constant", (5, 7), dict(val=0.1)),
    ("xavier_uniform", (64, 32), dict(gain=1.5)),
    ("kaiming_normal", (64, 3, 7, 7), dict(mode="fan_out", nonlinearity="relu")),
    ("kaiming_uniform", (16, 8, 3, 3), dict(a=5 ** 0.5)),
    ("linear_default_bias", (100,), dict(fan_in=2048)),
    ("trunc_normal", (50, 40), dict(mean=0.0, std=0.02, a=-0.04, b=0.04)),
    ("glorot_normal", (128, 64), {}),
    ("variance_scaling", (3, 3, 16, 32), dict(scale=2.0, mode="fan_avg", distribution="uniform")),
    ("he_normal", (3, 3, 8, 16), {}),
]


def bits(a):
    a = np.ascontiguousarray(a)
    return a.view(np.dtype("u%d" % a.dtype.itemsize))


def device_values(ctx, cl_ctx, queue, shape, init, dtype, **kw):
    ref = clinit.reference(shape, init, dtype=dtype, **kw)
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, max(ref.nbytes, 1))
    ev = ctx.fill(queue, buf, shape, init, dtype=dtype, **kw)
    assert isinstance(ev, cl.Event)
    out = np.empty_like(ref)
    cl.enqueue_copy(queue, out, buf, wait_for=[ev])
    return out, ref


@pytest.mark.parametrize("dtype", ["f32", "f16", "bf16", "f64"])
@pytest.mark.parametrize("init, shape, params", CASES, ids=[c[0] for c in CASES])
def test_fill_equals_reference(ctx, cl_ctx, device, queue, init, shape, params, dtype):
    if dtype == "f64" and "cl_khr_fp64" not in device.extensions:
        pytest.skip("f64 needs cl_khr_fp64")
    out, ref = device_values(ctx, cl_ctx, queue, shape, init, dtype, seed=1234, stream="layer.weight",
                             layout="io" if init in ("variance_scaling", "he_normal") else None, **params)
    assert out.shape == shape and out.dtype == clinit.DTYPES[dtype][1]
    np.testing.assert_array_equal(bits(out), bits(ref))
    assert np.isfinite(clinit.bf16_to_f32(ref) if dtype == "bf16" else ref).all()


def test_values_depend_on_seed_and_stream(ctx):
    a = ctx.sample((256,), "normal", seed=1, stream=0)
    assert not np.array_equal(a, ctx.sample((256,), "normal", seed=2, stream=0))
    assert not np.array_equal(a, ctx.sample((256,), "normal", seed=1, stream=1))
    named = ctx.sample((256,), "normal", seed=1, stream="fc.weight")
    np.testing.assert_array_equal(named, ctx.sample((256,), "normal", seed=1,
                                                    stream=clinit.stream_from_name("fc.weight")))
    np.testing.assert_array_equal(a, ctx.sample((256,), "normal", seed=1))  # stream None = 0


def test_box_is_the_slice_of_the_whole(ctx, cl_ctx, queue):
    shape = (12, 10, 3)
    whole = clinit.reference(shape, "kaiming_uniform", seed=7, stream=3)
    box = (slice(4, 9), slice(2, 10))
    part, ref = device_values(ctx, cl_ctx, queue, shape, "kaiming_uniform", "f32", seed=7, stream=3, box=box)
    np.testing.assert_array_equal(part, whole[4:9, 2:10, :])
    np.testing.assert_array_equal(ref, whole[4:9, 2:10, :])
    np.testing.assert_array_equal(
        clinit.reference(shape, "kaiming_uniform", seed=7, stream=3, box=((4, 2, 0), (5, 8, 3))), part)


def test_offset_and_wait_for(ctx, cl_ctx, queue):
    n, off = 300, 64
    host = np.full(off // 4 + n + 16, 7.0, dtype=np.float32)
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE | cl.mem_flags.COPY_HOST_PTR, hostbuf=host)
    marker = cl.enqueue_marker(queue)
    ev = ctx.fill(queue, buf, (n,), "uniform", offset_bytes=off, seed=5, wait_for=[marker], a=-1, b=1)
    out = np.empty_like(host)
    cl.enqueue_copy(queue, out, buf, wait_for=[ev])
    np.testing.assert_array_equal(out[:off // 4], 7.0)  # untouched before the offset …
    np.testing.assert_array_equal(out[off // 4 + n:], 7.0)  # … and after the tensor
    np.testing.assert_array_equal(out[off // 4:off // 4 + n], clinit.reference((n,), "uniform", seed=5, a=-1, b=1))


def test_wait_for_events_a_generator_makes(ctx, cl_ctx, queue):
    """wait_for may be a generator whose events nothing else refers to: each was collected, releasing its
    cl_event, before clinit_fill read the handle (a segmentation fault); the events are now held for the call."""
    ref = clinit.reference((10,), "normal", seed=4)
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, ref.nbytes)
    ev = ctx.fill(queue, buf, (10,), "normal", seed=4, wait_for=(cl.enqueue_marker(queue) for _ in range(3)))
    out = np.empty_like(ref)
    cl.enqueue_copy(queue, out, buf, wait_for=[ev])
    np.testing.assert_array_equal(bits(out), bits(ref))
    ev = ctx.fill_batch(queue, [dict(shape=(10,), init="normal")], seed=4, buffer=buf,
                        wait_for=(cl.enqueue_marker(queue) for _ in range(3)))
    out = np.zeros_like(ref)
    cl.enqueue_copy(queue, out, buf, wait_for=[ev])
    np.testing.assert_array_equal(bits(out), bits(ref))


def test_raw_handles(ctx, cl_ctx, queue):
    ref = clinit.reference((8, 8), "xavier_normal", seed=9)
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, ref.nbytes)
    ev = ctx.fill(queue.int_ptr, buf.int_ptr, (8, 8), "xavier_normal", seed=9)
    out = np.empty_like(ref)
    cl.enqueue_copy(queue, out, buf, wait_for=[ev])
    np.testing.assert_array_equal(bits(out), bits(ref))


def test_sample_on_caller_context(ctx, queue):
    for dtype in ("f32", "f16", "bf16"):
        np.testing.assert_array_equal(bits(ctx.sample((20, 30), "lecun_normal", dtype=dtype, seed=2)),
                                      bits(clinit.reference((20, 30), "lecun_normal", dtype=dtype, seed=2)))
    np.testing.assert_array_equal(ctx.sample((4, 5), "ones", queue=queue), np.ones((4, 5), dtype=np.float32))
    # integer buffers: one clEnqueueFillBuffer on the device, the host reference's integers exactly
    got = ctx.sample((3, 7), "constant", dtype="i64", val=-2.0 ** 63, queue=queue)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, np.full((3, 7), np.iinfo(np.int64).min))
    np.testing.assert_array_equal(ctx.sample((), "ones", dtype="i32"), clinit.reference((), "ones", dtype="i32"))
    # an int val is written exactly or refused: 2^53 + 1 wrote 2^53 (the library's text parser rounded it)
    for val in (2**53, -(2**62), 2**62 + 2**10):
        for call in (ctx.sample, clinit.reference):
            assert call((2,), "constant", dtype="i64", val=val).tolist() == [val, val]
    for call in (ctx.sample, clinit.reference):
        with pytest.raises(clinit.Error) as e:
            call((2,), "constant", dtype="i64", val=2**53 + 1)
        assert e.value.name == "INVALID_PARAMETER"
        assert e.value.message.startswith('val = "9007199254740993" is an integer a double does not hold exactly')


def test_fork_child_refuses_opencl(ctx, cl_ctx, device):
    """A fork()ed child that used a Context (or made a new one) hung forever inside PoCL: it now gets RuntimeError
    at once, and the host functions still work there."""
    import select
    import signal
    a = ctx.sample((4,), "normal", seed=1)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report each call's outcome, then leave without running the parent's finalizers
        out = []
        for call in (lambda: ctx.sample((4,), "normal", seed=1), lambda: ctx.message, clinit.Context.default,
                     lambda: clinit.Context(cl_ctx, device)):
            try:
                call()
                out.append("returned")
            except RuntimeError as e:
                out.append("RuntimeError" if "is a fork() of process %d" % os.getppid() in str(e) else str(e))
        out.append("reference ok" if (clinit.reference((4,), "normal", seed=1) == a).all() else "reference differs")
        ctx.close()
        os.write(write, "|".join(out).encode())
        os._exit(0)
    os.close(write)
    ready, _, _ = select.select([read], [], [], 60)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    got = os.read(read, 4096).decode() if ready else "the child hung"
    os.close(read)
    os.waitpid(pid, 0)
    assert got == "RuntimeError|RuntimeError|RuntimeError|RuntimeError|reference ok"
    np.testing.assert_array_equal(ctx.sample((4,), "normal", seed=1), a)  # the parent's context still works


def test_default_context(monkeypatch):
    monkeypatch.setenv("CLINIT_DEVICE", "0:0")
    with clinit.Context.default() as c:
        assert c.queue
        a = c.sample((64, 3, 3, 3), "kaiming_normal", seed=11, stream="conv.weight", nonlinearity="relu")
        np.testing.assert_array_equal(a, clinit.reference((64, 3, 3, 3), "kaiming_normal", seed=11,
                                                          stream="conv.weight", nonlinearity="relu"))
        c.set_local_size(16)  # generated values never depend on the work-group size
        np.testing.assert_array_equal(a, c.sample((64, 3, 3, 3), "kaiming_normal", seed=11, stream="conv.weight",
                                                  nonlinearity="relu"))
    assert "closed" in repr(c)
    with pytest.raises(ValueError, match="clinit.Context is closed"):
        with c:
            pass
    with pytest.raises(ValueError):
        c.sample((2, 2), "ones")


def test_statistics(ctx):
    # Loose moments of a large sample against clinit_init_resolve: a wiring check, not a statistical test.
    shape = (512, 256)
    for init, params in [("kaiming_normal", dict(mode="fan_in")), ("xavier_uniform", {}), ("he_normal", {}),
                         ("trunc_normal", dict(std=0.5, a=-1.0, b=0.5))]:
        d = clinit.resolve(shape, init, **params)
        a = ctx.sample(shape, init, seed=3, **params).astype(np.float64)
        assert abs(a.mean() - d["expected_mean"]) < 0.02 * d["expected_std"] + 1e-3, init
        assert abs(a.std() / d["expected_std"] - 1) < 0.02, init


def test_sample_refuses_what_the_cli_refuses(ctx, cl_ctx, queue):
    """sample() and fill() raise where the CLI exits 2: a parameter PyTorch requires, a dimension that is not an
    integer."""
    for shape, init, needed in (((5,), "constant", "val"), ((4, 3), "linear_default_bias", "fan_in"),
                                ((4, 3), "sparse", "sparsity")):
        with pytest.raises(clinit.Error) as e:
            ctx.sample(shape, init)
        assert e.value.name == "INVALID_PARAMETER" and needed in e.value.message
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error):
        ctx.fill(queue, buf, (5,), "constant")
    for shape in ((2.9,), (True, 3)):
        with pytest.raises(TypeError):
            ctx.sample(shape, "ones")
        with pytest.raises(TypeError):
            ctx.fill(queue, buf, shape, "ones")
    np.testing.assert_array_equal(ctx.sample((5,), "constant", val=0.5), np.full(5, 0.5, np.float32))


def test_offset_bytes_out_of_range(ctx, cl_ctx, queue):
    """A negative offset_bytes or one of 2^64 and up is a ValueError naming it, in fill and validate alike;
    ctypes would otherwise wrap it into a huge size_t and the library would report a misleading
    BUFFER_TOO_SMALL. Nothing is enqueued: the buffer keeps its bytes."""
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE | cl.mem_flags.COPY_HOST_PTR, hostbuf=np.full(16, 7, np.uint8))
    for offset in (-4, -1, 2**64, 2**64 + 4):
        with pytest.raises(ValueError, match=r"offset_bytes must be in \[0, 2\^64\)"):
            ctx.fill(queue, buf, (2,), "ones", offset_bytes=offset)
        with pytest.raises(ValueError, match=r"offset_bytes must be in \[0, 2\^64\)"):
            clinit.validate((2,), "ones", offset_bytes=offset)
    got = np.empty(16, np.uint8)
    cl.enqueue_copy(queue, got, buf)
    np.testing.assert_array_equal(got, np.full(16, 7, np.uint8))
    with pytest.raises(clinit.Error) as e:  # in range but past the end: the library's own status
        ctx.fill(queue, buf, (2,), "ones", offset_bytes=16)
    assert e.value.name == "BUFFER_TOO_SMALL"
