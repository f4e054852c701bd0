"""Integers are checked against the C type they go into (ctypes would wrap them silently), boxes given as slices
must lie inside the tensor, axes are numpy-style indices in [-rank, rank), and raw handles are range-checked."""
import numpy as np
import pyopencl as cl
import pytest

import clinit

SENTINEL = 7.0


def sentinel_buffer(cl_ctx, n=64):
    return cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE | cl.mem_flags.COPY_HOST_PTR,
                     hostbuf=np.full(n, SENTINEL, np.float32))


def contents(queue, buf, n=64):
    got = np.empty(n, np.float32)
    cl.enqueue_copy(queue, got, buf)
    return got


INT64 = r"must be in \[-2\^63, 2\^63\) \(int64_t\)"


# ---- int64_t dimensions and boxes ------------------------------------------------------------------------

@pytest.mark.parametrize("shape, what", [
    ((2**64 + 4,), r"shape\[0\]"),       # ctypes made it 4: four elements written
    ((2**70,), r"shape\[0\]"),           # ctypes made it 0: a no-op success
    ((2, 2**63), r"shape\[1\]"),         # ctypes made it -2^63
    ((-2**64 + 4, 1), r"shape\[0\]"),    # ctypes made it 4
])
def test_dimension_outside_int64_is_a_value_error(ctx, cl_ctx, queue, shape, what):
    buf = sentinel_buffer(cl_ctx)
    with pytest.raises(ValueError, match=what + " " + INT64):
        ctx.fill(queue, buf, shape, "normal")
    with pytest.raises(ValueError, match=what + " " + INT64):
        ctx.fill_batch(queue, [dict(shape=shape, init="normal")], buffer=buf)
    for call in (clinit.reference, clinit.validate):
        with pytest.raises(ValueError, match=what + " " + INT64):
            call(shape, "normal")
    with pytest.raises(ValueError, match=what + " " + INT64):
        clinit.compute_fans(shape + (3,))
    np.testing.assert_array_equal(contents(queue, buf), np.full(64, SENTINEL, np.float32))


def test_dimension_in_int64_is_left_to_the_library(ctx, cl_ctx, queue):
    """Within int64_t, the library's own checks and messages stay: negative is INVALID_SHAPE naming the dimension
    (reference and sample too, which used to fail in numpy's np.empty first), 2^63 - 1 is INVALID_SHAPE (2^56
    elements or more)."""
    buf = sentinel_buffer(cl_ctx)
    for call in (lambda s: ctx.fill(queue, buf, s, "ones"), lambda s: clinit.reference(s, "ones"),
                 lambda s: ctx.sample(s, "ones"), lambda s: clinit.validate(s, "ones")):
        with pytest.raises(clinit.Error) as e:
            call((4, -1))
        assert e.value.name == "INVALID_SHAPE" and "shape[1] = -1 is negative" in e.value.message
        with pytest.raises(clinit.Error) as e:
            call((2**63 - 1,))
        assert e.value.name == "INVALID_SHAPE" and "2^56" in e.value.message
    np.testing.assert_array_equal(contents(queue, buf), np.full(64, SENTINEL, np.float32))
    assert clinit.compute_fans((2**20, 3)) == (3, 2**20)


@pytest.mark.parametrize("box, what", [
    (((2**64, 0), (1, 4)), r"box start\[0\]"),     # ctypes made the start 0: a valid box
    (((0, 0), (2, 2**64 + 4)), r"box extent\[1\]"),  # ctypes made the extent 4
    (((0, -2**63 - 1), (2, 1)), r"box start\[1\]"),
])
def test_box_outside_int64_is_a_value_error(ctx, cl_ctx, queue, box, what):
    buf = sentinel_buffer(cl_ctx)
    with pytest.raises(ValueError, match=what + " " + INT64):
        ctx.fill(queue, buf, (4, 4), "ones", box=box)
    with pytest.raises(ValueError, match=r"items\[0\]: " + what + " " + INT64):
        ctx.fill_batch(queue, [dict(shape=(4, 4), init="ones", box=box)], buffer=buf)
    with pytest.raises(ValueError, match=what + " " + INT64):
        clinit.reference((4, 4), "ones", box=box)
    np.testing.assert_array_equal(contents(queue, buf), np.full(64, SENTINEL, np.float32))


def test_box_start_extent_in_int64_is_left_to_the_library():
    """The (start, extent) form is the C form: the library refuses a box that leaves the tensor (reference used
    to fail in numpy's np.empty on a negative extent)."""
    for box in (((0, 0), (4, 5)), ((0, -1), (4, 1)), ((0, 0), (4, -1))):
        with pytest.raises(clinit.Error) as e:
            clinit.reference((4, 4), "ones", box=box)
        assert e.value.name == "INVALID_BOX", box


# ---- other integers --------------------------------------------------------------------------------------

def test_init_kind_outside_int_is_a_value_error():
    """An int init is a clinit_init_kind (a C int): 2^32 + 4 used to wrap to 4 (ones)."""
    ones = clinit.initializers().index("ones")
    np.testing.assert_array_equal(clinit.reference((3,), ones), np.ones(3, np.float32))
    for kind in (2**32 + ones, -2**31 - 1):
        with pytest.raises(ValueError, match=r"init must be in \[-2\^31, 2\^31\)"):
            clinit.reference((3,), kind)
        with pytest.raises(ValueError, match=r"init must be in \[-2\^31, 2\^31\)"):
            clinit.param_names(kind)
    with pytest.raises(clinit.Error) as e:  # in range but no initializer: the library's status
        clinit.reference((3,), 2**31 - 1)
    assert e.value.name == "INVALID_INIT"


def test_local_size_outside_size_t_is_a_value_error(ctx, cl_ctx, queue):
    for size in (-1, 2**64):  # -1 used to become SIZE_MAX, and the next fills failed in OpenCL
        with pytest.raises(ValueError, match=r"local_size must be in \[0, 2\^64\)"):
            ctx.set_local_size(size)
    buf = sentinel_buffer(cl_ctx)
    ctx.fill(queue, buf, (4,), "ones").wait()  # the context kept its work-group size
    np.testing.assert_array_equal(contents(queue, buf)[:5], [1, 1, 1, 1, SENTINEL])


def test_integer_parameters_are_checked_by_the_library():
    """fan_in and groups go to clinit_init_spec_set as text, which refuses what int64_t cannot hold."""
    for params in (dict(fan_in=2**63), dict(fan_in=2**70), dict(fan_in=-1)):
        with pytest.raises(clinit.Error) as e:
            clinit.reference((3,), "linear_default_bias", **params)
        assert e.value.name == "INVALID_PARAMETER"
    with pytest.raises(clinit.Error) as e:
        clinit.reference((2, 2, 3), "dirac", groups=2**64 + 1)
    assert e.value.name == "INVALID_PARAMETER"


# ---- handles and wait lists ------------------------------------------------------------------------------

def test_raw_handles_outside_the_pointer_range_are_value_errors(ctx, cl_ctx, queue):
    """2^64 used to become NULL in ctypes (a misleading NULL_ARGUMENT for a buffer, an ignored event), -1 a
    huge pointer."""
    buf = sentinel_buffer(cl_ctx)
    for h in (2**64, -1):
        with pytest.raises(ValueError, match=r"buffer must be in \[0, 2\^64\) \(a raw handle\)"):
            ctx.fill(queue, h, (4,), "ones")
        with pytest.raises(ValueError, match=r"queue must be in \[0, 2\^64\) \(a raw handle\)"):
            ctx.fill(h, buf, (4,), "ones")
        with pytest.raises(ValueError, match=r"wait_for\[1\] must be in \[0, 2\^64\) \(a raw handle\)"):
            ctx.fill(queue, buf, (4,), "ones", wait_for=[cl.enqueue_marker(queue), h])
        with pytest.raises(ValueError, match=r"wait_for\[0\] must be in \[0, 2\^64\)"):
            ctx.fill_batch(queue, [dict(shape=(4,), init="ones")], buffer=buf, wait_for=[h])
    with pytest.raises(TypeError, match=r"wait_for\[0\]: None is not an event"):
        ctx.fill(queue, buf, (4,), "ones", wait_for=[None])
    with pytest.raises(ValueError, match=r"wait_for\[0\]: 0 is a NULL cl_event"):
        ctx.fill(queue, buf, (4,), "ones", wait_for=[0])
    with pytest.raises(TypeError, match="wait_for must be a sequence of events"):
        ctx.fill(queue, buf, (4,), "ones", wait_for=cl.enqueue_marker(queue))
    with pytest.raises(TypeError, match=r"buffer: expected a pyopencl.Buffer or an int cl_mem handle, not True"):
        ctx.fill(queue, True, (4,), "ones")
    np.testing.assert_array_equal(contents(queue, buf), np.full(64, SENTINEL, np.float32))


def test_pyopencl_objects_of_another_kind(ctx, cl_ctx, device, queue):
    """Every handle reaches the library as a void pointer: a buffer or queue in wait_for was taken for a cl_event
    (undefined behaviour), an Event as buffer gave "read-only buffer", a queue as buffer "buffer too small: 0
    bytes". A PyOpenCL object of another kind is a TypeError naming the argument and the class it takes; nothing
    is enqueued."""
    buf = sentinel_buffer(cl_ctx)
    marker = cl.enqueue_marker(queue)
    user = cl.UserEvent(cl_ctx)
    image = cl.Image(cl_ctx, cl.mem_flags.READ_WRITE, cl.ImageFormat(cl.channel_order.R, cl.channel_type.FLOAT),
                     shape=(4,))

    def refused(what, expected, wrong, call, *args, **kwargs):
        message = "%s: expected %s, not %r" % (what, expected, wrong)
        with pytest.raises(TypeError) as e:
            call(*args, **kwargs)
        assert type(e.value) is TypeError and str(e.value) == message

    event, mem = "a pyopencl.Event or an int cl_event handle", "a pyopencl.Buffer or an int cl_mem handle"
    q = "a pyopencl.CommandQueue or an int cl_command_queue handle"
    for wrong in (buf, queue, cl_ctx):
        refused("wait_for[1]", event, wrong, ctx.fill, queue, buf, (4,), "ones", wait_for=[marker, wrong])
        refused("wait_for[0]", event, wrong, ctx.fill_batch, queue, [dict(shape=(4,), init="ones")], buffer=buf,
                wait_for=[wrong])
    for wrong in (marker, queue, image, cl_ctx):
        refused("buffer", mem, wrong, ctx.fill, queue, wrong, (4,), "ones")
        refused("items[0]: buffer", mem, wrong, ctx.fill_batch, queue, [dict(shape=(4,), init="ones")],
                buffer=wrong)
        refused("items[0]: buffer", mem, wrong, ctx.fill_batch, queue, [dict(shape=(4,), init="ones",
                                                                            buffer=wrong)])
    for wrong in (buf, marker, cl_ctx):
        refused("queue", q, wrong, ctx.fill, wrong, buf, (4,), "ones")
        refused("queue", q, wrong, ctx.fill_batch, wrong, [dict(shape=(4,), init="ones")], buffer=buf)
        refused("queue", q, wrong, ctx.sample, (4,), "ones", queue=wrong)
    refused("cl_context", "a pyopencl.Context or an int cl_context handle", queue, clinit.Context, queue, device)
    refused("cl_device", "a pyopencl.Device or an int cl_device_id handle", cl_ctx, clinit.Context, cl_ctx, cl_ctx)
    # Event subclasses are events: a user event, a marker, and the events fill returns.
    ev = ctx.fill(queue, buf, (2,), "ones", wait_for=[marker, user])
    user.set_status(cl.command_execution_status.COMPLETE)
    ev = ctx.fill_batch(queue, [dict(shape=(2,), init="zeros", offset_bytes=8)], buffer=buf.get_sub_region(0, 16),
                        wait_for=[ev])
    ev.wait()
    np.testing.assert_array_equal(contents(queue, buf)[:5], [1, 1, 0, 0, SENTINEL])


def test_raw_handles_still_work(ctx, cl_ctx, queue):
    """The documented raw-handle form stays: int handles of a live buffer, queue and event (trusted, as in C)."""
    buf = sentinel_buffer(cl_ctx)
    marker = cl.enqueue_marker(queue)
    ev = ctx.fill(queue.int_ptr, buf.int_ptr, (4,), "ones", wait_for=[marker.int_ptr, marker])
    ev2 = ctx.fill_batch(queue, [dict(shape=(2,), init="zeros", offset_bytes=16)], buffer=buf.int_ptr,
                         wait_for=[ev.int_ptr])
    ev2.wait()
    np.testing.assert_array_equal(contents(queue, buf)[:7], [1, 1, 1, 1, 0, 0, SENTINEL])


# ---- boxes as slices -------------------------------------------------------------------------------------

def test_slice_box_values():
    """Slices select what numpy's would, inside the tensor: negative starts and stops count from the end,
    missing trailing slices take the whole dimension, an empty slice an empty box."""
    full = clinit.reference((4, 6), "normal", seed=3)
    for box, want in [((slice(1, 3),), full[1:3]),
                      ((slice(-2, None), slice(1, -1)), full[-2:, 1:-1]),
                      ((slice(None), slice(-6, 2)), full[:, :2]),
                      ((slice(2, 2),), full[2:2]),
                      ((slice(0, 4, 1), slice(5, 6)), full[:, 5:6]),
                      ((), full)]:
        got = clinit.reference((4, 6), "normal", seed=3, box=box)
        assert got.shape == want.shape, box
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("box, words", [
    ((slice(0, 10),), r"box\[0\].stop = 10 is outside the dimension of 4"),  # numpy clips it to 4
    ((slice(None), slice(0, 7)), r"box\[1\].stop = 7 is outside the dimension of 6"),
    ((slice(5, None),), r"box\[0\].start = 5 is outside the dimension of 4"),
    ((slice(-5, None),), r"box\[0\].start = -5 is outside the dimension of 4"),
    ((slice(0, 2**64 + 2),), r"box\[0\].stop = 18446744073709551618 is outside"),
    ((slice(3, 1),), r"box\[0\]: slice slice\(3, 1, None\) ends before it starts"),
    ((slice(0, 4, 2),), r"box\[0\]: slice .* has a step"),
    ((slice(None), slice(None), slice(None)), "box has 3 slices for rank 2"),
])
def test_slice_box_outside_the_tensor_is_a_value_error(ctx, cl_ctx, queue, box, words):
    buf = sentinel_buffer(cl_ctx)
    with pytest.raises(ValueError, match=words):
        ctx.fill(queue, buf, (4, 6), "ones", box=box)
    with pytest.raises(ValueError, match=r"items\[0\]: " + words):
        ctx.fill_batch(queue, [dict(shape=(4, 6), init="ones", box=box)], buffer=buf)
    with pytest.raises(ValueError, match=words):
        clinit.reference((4, 6), "ones", box=box)
    np.testing.assert_array_equal(contents(queue, buf), np.full(64, SENTINEL, np.float32))


def test_slice_box_type_errors():
    for box in ((slice(0, 2), 3), (slice(0, 2.5),), (slice(True, 2),), 5):
        with pytest.raises(TypeError):
            clinit.reference((4, 6), "ones", box=box)


# ---- axes ------------------------------------------------------------------------------------------------

def test_negative_axes_count_from_the_end():
    shape = (768, 12, 64)
    assert clinit.compute_fans(shape, in_axes=[-3], out_axes=[-2, -1]) == (768, 768)
    assert clinit.compute_fans((5, 3, 7), in_axes=-1, out_axes=0) == (7 * 3, 5 * 3)
    np.testing.assert_array_equal(
        clinit.reference((5, 3, 7), "xavier_uniform", seed=1, in_axes=[-1], out_axes=[0], batch_axes=[-2]),
        clinit.reference((5, 3, 7), "xavier_uniform", seed=1, in_axes=[2], out_axes=[0], batch_axes=[1]))


def test_axes_imply_layout_axes():
    """Axes with layout None mean layout 'axes'; with 'oi' or 'io' they are a ValueError, never ignored
    (compute_fans used to ignore them)."""
    np.testing.assert_array_equal(
        clinit.reference((5, 7), "xavier_uniform", seed=1, in_axes=[0], out_axes=[1]),
        clinit.reference((5, 7), "xavier_uniform", seed=1, layout="axes", in_axes=[0], out_axes=[1]))
    assert clinit.compute_fans((5, 7), in_axes=[0], out_axes=[1]) == (5, 7)
    assert clinit.compute_fans((5, 7), layout="oi") == (7, 5)
    for layout in ("oi", "io"):
        with pytest.raises(ValueError, match="need layout='axes'"):
            clinit.compute_fans((5, 7), layout=layout, in_axes=[0], out_axes=[1])
        with pytest.raises(ValueError, match="need layout='axes'"):
            clinit.reference((5, 7), "xavier_uniform", layout=layout, in_axes=[0], out_axes=[1])


@pytest.mark.parametrize("kw, words", [
    (dict(in_axes=[2], out_axes=[0]), r"in_axes\[0\]: axis 2 is out of range for rank 2"),
    (dict(in_axes=[0], out_axes=[-3]), r"out_axes\[0\]: axis -3 is out of range for rank 2"),
    (dict(in_axes=[0], out_axes=[1], batch_axes=[31]), r"batch_axes\[0\]: axis 31 is out of range"),
    (dict(in_axes=[0, 2**64], out_axes=[1]), r"in_axes\[1\]: axis 18446744073709551616 is out of range"),
    (dict(in_axes=[1, -1], out_axes=[0]), r"in_axes\[1\]: axis -1 repeats in_axes\[0\] \(dimension 1\)"),
])
def test_axes_outside_the_rank_are_value_errors(ctx, cl_ctx, queue, kw, words):
    buf = sentinel_buffer(cl_ctx)
    with pytest.raises(ValueError, match=words):
        clinit.compute_fans((5, 7), **kw)
    with pytest.raises(ValueError, match=words):
        ctx.fill(queue, buf, (5, 7), "xavier_uniform", **kw)
    with pytest.raises(ValueError, match=r"items\[0\]: " + words):
        ctx.fill_batch(queue, [dict(shape=(5, 7), init="xavier_uniform", **kw)], buffer=buf)
    np.testing.assert_array_equal(contents(queue, buf), np.full(64, SENTINEL, np.float32))
