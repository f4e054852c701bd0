"""Arguments of a wrong type or spelling raise TypeError or ValueError naming the argument (never AttributeError,
ctypes.ArgumentError or numpy's own message); C strings never end early at a NUL; the fill-only arguments given
to reference(), sample(), validate() and resolve() are refused as the arguments of another function, not as
unknown initializer parameters; and the accepted dtype spellings are exactly the documented ones."""
import os

import numpy as np
import pytest

import clinit
from clinit import safetensors


def raises(exc, message, call, *args, **kwargs):
    """call(*args, **kwargs) raises exactly `exc` (not a subclass) with exactly `message`."""
    with pytest.raises(exc) as e:
        call(*args, **kwargs)
    assert type(e.value) is exc, repr(e.value)
    assert str(e.value) == message


NUL = " contains a NUL character (the C string would end there)"


# ---- names: str only, no NUL ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", [b"x", None, 1, 1.5, ["x"]])
def test_stream_from_name_takes_a_str(name):
    raises(TypeError, "name must be a tensor name (str), not %r" % (name,), clinit.stream_from_name, name)


def test_empty_stream_name_is_refused(ctx):
    """stream="" hashed the empty string, where the CLI's --stream "" and a manifest's "name": "" are refused."""
    msg = "stream '': empty: a stream (an int in [0, 2^64)) or a tensor name (a non-empty str)"
    raises(ValueError, msg, clinit.reference, (3,), "normal", stream="")
    raises(ValueError, msg, ctx.sample, (3,), "normal", stream="")


def test_stream_names_never_end_at_a_nul():
    """"a\\0b" was hashed as "a" (the C function stops at the NUL): two names, one stream."""
    raises(ValueError, "name 'a\\x00b'" + NUL, clinit.stream_from_name, "a\0b")
    raises(ValueError, "stream 'a\\x00b'" + NUL, clinit.reference, (3,), "normal", stream="a\0b")
    raises(ValueError, "name '\\ud800' is not valid text (UTF-8 cannot encode it: surrogates not allowed)",
           clinit.stream_from_name, "\ud800")
    assert clinit.stream_from_name("a") != clinit.stream_from_name("ab")


@pytest.mark.parametrize("stream", [b"x", 1.5, True])
def test_stream_type(stream):
    raises(TypeError, "stream must be an int, a tensor name (str) or None, not %r" % (stream,),
           clinit.reference, (3,), "normal", stream=stream)


@pytest.mark.parametrize("nonlinearity", [b"relu", None, 1])
def test_calculate_gain_nonlinearity_type(nonlinearity):
    raises(TypeError, "nonlinearity must be a nonlinearity name (str), not %r" % (nonlinearity,),
           clinit.calculate_gain, nonlinearity)


@pytest.mark.parametrize("param", ["0.2", True, np.bool_(False), [0.2], 1j])
def test_calculate_gain_param_type(param):
    """A str was parsed by float(), a bool taken as 1.0 or 0.0, a list gave float()'s own message."""
    raises(TypeError, "param must be a number (int or float) or None, not %r" % (param,),
           clinit.calculate_gain, "leaky_relu", param)


def test_calculate_gain_param_values():
    raises(ValueError, "param %d is too large for a double" % 10**400, clinit.calculate_gain, "leaky_relu",
           10**400)
    assert clinit.calculate_gain("leaky_relu", np.float32(0.25)) == clinit.calculate_gain("leaky_relu", 0.25)
    assert clinit.calculate_gain("leaky_relu", 0) == clinit.calculate_gain("relu")
    assert clinit.calculate_gain("leaky_relu", np.int64(1)) == 1.0
    with pytest.raises(clinit.Error) as e:
        clinit.calculate_gain("leaky_relu", float("nan"))
    assert e.value.name == "INVALID_PARAMETER"


@pytest.mark.parametrize("init", [b"ones", None, 1.0])
def test_init_type(init):
    msg = "init must be an initializer name (str) or a clinit_init_kind (int), not %r" % (init,)
    raises(TypeError, msg, clinit.param_names, init)
    raises(TypeError, msg, clinit.reference, (3,), init)


@pytest.mark.parametrize("call, message", [
    (lambda: clinit.reference((3,), "ones\0x"), "init 'ones\\x00x'" + NUL),      # was ones
    (lambda: clinit.param_names("normal\0"), "init 'normal\\x00'" + NUL),
    (lambda: clinit.calculate_gain("relu\0x"), "nonlinearity 'relu\\x00x'" + NUL),  # was relu's gain
    (lambda: clinit.reference((3,), "normal", **{"std\0x": 2}), "parameter name 'std\\x00x'" + NUL),  # was std
    (lambda: clinit.reference((3,), "normal", std="2\0x"), "parameter std: '2\\x00x'" + NUL),  # was std=2
    (lambda: clinit.reference((3, 3), "kaiming_normal", mode="fan_out\0"), "parameter mode: 'fan_out\\x00'" + NUL),
    (lambda: clinit.reference((3,), "\udc00"),
     "init '\\udc00' is not valid text (UTF-8 cannot encode it: surrogates not allowed)"),
])
def test_c_strings_never_end_at_a_nul(call, message):
    raises(ValueError, message, call)


@pytest.mark.parametrize("layout", [b"oi", ["oi"], 0])
def test_layout_type(layout):
    """layout=[...] gave "unhashable type: 'list'"."""
    msg = "layout must be a layout name (str: oi, io, axes) or None, not %r" % (layout,)
    raises(TypeError, msg, clinit.reference, (3, 3), "ones", layout=layout)
    raises(TypeError, msg, clinit.compute_fans, (3, 3), layout=layout)
    raises(ValueError, "layout 'OI': one of oi, io, axes", clinit.compute_fans, (3, 3), layout="OI")


@pytest.mark.parametrize("axes", [1.5, "01", object()])
def test_axes_type(axes):
    """in_axes=1.5 gave "'float' object is not iterable"; "01" was taken as the characters "0", "1"."""
    msg = "in_axes must be an int or a sequence of ints (dimension indices), not %r" % (axes,)
    raises(TypeError, msg, clinit.compute_fans, (3, 3), in_axes=axes, out_axes=[1])
    raises(TypeError, msg, clinit.reference, (3, 3), "ones", in_axes=axes, out_axes=[1])


UNORDERED = " (a set or a dict has no order)"


@pytest.mark.parametrize("shape", [{5, 4}, frozenset({5, 4}), {5: 0, 4: 0}, {5: 0}.keys()])
def test_unordered_shapes_are_refused(shape):
    """reference({5, 4}, "normal") returned a (4, 5) array: a set iterates in its own order, not the one
    written. A shape is an int or an ordered sequence; sets and dicts are a TypeError naming shape."""
    msg = "shape must be an int or a sequence of ints, not %r" % (shape,) + UNORDERED
    for call in (clinit.reference, clinit.validate, clinit.scratch_bytes, clinit.resolve):
        raises(TypeError, msg, call, shape, "normal")
    raises(TypeError, msg, clinit.compute_fans, shape)


def test_unordered_boxes_and_axes_are_refused():
    raises(TypeError, "box start must be an int or a sequence of ints, not {0, 1}" + UNORDERED,
           clinit.reference, (5, 4), "normal", box=({0, 1}, (2, 2)))
    raises(TypeError, "box must be (start, extent) or a tuple of slices, not {(0, 0): (2, 2)}" + UNORDERED,
           clinit.reference, (5, 4), "normal", box={(0, 0): (2, 2)})
    for what in ("in_axes", "out_axes", "batch_axes"):
        axes = dict(in_axes=[1], out_axes=[0])
        axes[what] = {0, 1}
        raises(TypeError, "%s must be an int or a sequence of ints (dimension indices), not {0, 1}" % what
               + UNORDERED, clinit.compute_fans, (5, 4, 3), **axes)


def test_ordered_sequences_are_accepted():
    want = clinit.reference((5, 4), "normal", seed=1)
    for shape in ([5, 4], range(5, 3, -1), np.array([5, 4]), np.array([5, 4], np.uint8)):
        np.testing.assert_array_equal(clinit.reference(shape, "normal", seed=1), want)
    np.testing.assert_array_equal(clinit.reference((5, 4), "normal", seed=1, box=np.array([[1, 0], [2, 4]])),
                                  want[1:3])
    assert clinit.compute_fans((5, 4, 3), in_axes=np.array([1]), out_axes=range(1)) == (12, 15)


def test_iterators_are_refused(ctx):
    """sample() reads its arguments twice (to check, then to fill): an iterator shape gave a (4, 5) array of
    which only one element was written, an iterator in_axes the fans of no input axis."""
    it = iter([4, 5])
    raises(TypeError, "shape must be an int or a sequence of ints, not %r" % (it,), ctx.sample, it, "normal")
    it = iter([1])
    raises(TypeError, "in_axes must be an int or a sequence of ints (dimension indices), not %r" % (it,),
           ctx.sample, (4, 5), "normal", in_axes=it, out_axes=[0])
    gen = ((0, 0) for _ in range(2))
    raises(TypeError, "box must be (start, extent) or a tuple of slices, not %r" % (gen,), ctx.sample, (4, 5),
           "normal", box=gen)


def test_parameter_name_type_in_a_batch_item_dict():
    """**params names are always str, but a fill_batch item is a dict: its key 1 gave AttributeError."""
    raises(TypeError, "parameter name must be a str, not 1", clinit._spec, "normal", {1: 2.0})


# ---- fill-only arguments given to the host functions ----------------------------------------------------

HOST_REFUSED = [
    # (function, argument, value, reason, whose argument)
    (clinit.reference, "offset_bytes", 4, "it returns a new array", "Context.fill"),
    (clinit.reference, "buffer", None, "it returns a new array", "Context.fill"),
    (clinit.reference, "queue", None, "it computes on the host", "Context.fill and Context.sample"),
    (clinit.reference, "wait_for", [], "it computes on the host", "Context.fill"),
    (clinit.validate, "seed", 1, "the seed does not change whether a fill is valid",
     "Context.fill, Context.sample and reference"),
    (clinit.validate, "stream", "w", "the stream does not change whether a fill is valid",
     "Context.fill, Context.sample and reference"),
    (clinit.validate, "buffer", 0, "it checks the tensor and parameters without a buffer", "Context.fill"),
    (clinit.validate, "queue", None, "it enqueues nothing", "Context.fill and Context.sample"),
    (clinit.validate, "wait_for", None, "it enqueues nothing", "Context.fill"),
    (clinit.scratch_bytes, "seed", 1, "the seed does not change the scratch a fill allocates",
     "Context.fill, Context.sample and reference"),
    (clinit.scratch_bytes, "stream", "w", "the stream does not change the scratch a fill allocates",
     "Context.fill, Context.sample and reference"),
    (clinit.scratch_bytes, "buffer", 0, "it computes the sizes without a buffer", "Context.fill"),
    (clinit.scratch_bytes, "queue", None, "it enqueues nothing", "Context.fill and Context.sample"),
    (clinit.scratch_bytes, "wait_for", None, "it enqueues nothing", "Context.fill"),
    (clinit.resolve, "dtype", "f16", "the distribution does not depend on it",
     "Context.fill, Context.sample, reference, validate and scratch_bytes"),
    (clinit.resolve, "seed", 1, "the distribution does not depend on it",
     "Context.fill, Context.sample and reference"),
    (clinit.resolve, "stream", 1, "the distribution does not depend on it",
     "Context.fill, Context.sample and reference"),
    (clinit.resolve, "box", ((0, 0), (1, 1)), "the distribution is the whole tensor's",
     "Context.fill, Context.sample, reference, validate and scratch_bytes"),
    (clinit.resolve, "offset_bytes", 4, "it computes on the host", "Context.fill"),
    (clinit.resolve, "buffer", 0, "it computes on the host", "Context.fill"),
    (clinit.resolve, "queue", 0, "it computes on the host", "Context.fill and Context.sample"),
    (clinit.resolve, "wait_for", [], "it computes on the host", "Context.fill"),
]


@pytest.mark.parametrize("function, arg, value, why, of", HOST_REFUSED,
                         ids=["%s-%s" % (f.__name__, a) for f, a, _, _, _ in HOST_REFUSED])
def test_fill_arguments_are_not_parameters(function, arg, value, why, of):
    """reference((4, 4), "normal", offset_bytes=4) said "normal takes mean, std, not 'offset_bytes'"
    (clinit.Error UNKNOWN_PARAMETER), or "parameter wait_for: [] is not a number or a name"."""
    raises(TypeError, "%s() takes no %s: %s; %s is an argument of %s" % (function.__name__, arg, why, arg, of),
           function, (4, 4), "normal", **{arg: value})


def test_call_arguments_are_no_initializer_parameters():
    """The refusal above never hides a real parameter: no initializer takes a parameter named like a call argument
    (fill's or fill_batch's)."""
    for init in clinit.initializers():
        assert not set(clinit.param_names(init)) & (set(clinit._ARG_OF) | set(clinit._BATCH_ARGS)), init


def test_reference_offset_bytes_message():
    raises(TypeError, "reference() takes no offset_bytes: it returns a new array; offset_bytes is an argument "
                      "of Context.fill", clinit.reference, (4, 4), "normal", offset_bytes=4)
    # an unknown name that is no call argument is still the initializer's unknown parameter
    with pytest.raises(clinit.Error) as e:
        clinit.reference((4, 4), "normal", offset=4)
    assert e.value.name == "UNKNOWN_PARAMETER" and e.value.message == 'normal takes no parameter "offset": not one of mean, std'


@pytest.mark.parametrize("arg, value, why", [
    ("offset_bytes", 4, "it returns a new array"),
    ("buffer", None, "it returns a new array"),
    ("wait_for", [], "it fills a buffer of its own and waits for that fill"),
])
def test_sample_refuses_fill_arguments(ctx, arg, value, why):
    before = ctx.launch_count
    raises(TypeError, "sample() takes no %s: %s; %s is an argument of Context.fill" % (arg, why, arg),
           ctx.sample, (4, 4), "normal", **{arg: value})
    assert ctx.launch_count == before


@pytest.mark.parametrize("key, why", [
    ("seed", "one seed for every item"), ("queue", "one queue for every item"),
    ("wait_for", "every launch waits for fill_batch's wait_for"),
])
def test_batch_item_refuses_batch_arguments(ctx, cl_ctx, queue, key, why):
    """An item's seed was taken for an initializer parameter: "normal takes mean, std, not 'seed'"."""
    import pyopencl as cl
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    before = ctx.launch_count
    raises(TypeError, "items[1]: %s is an argument of fill_batch, not of an item (%s)" % (key, why),
           ctx.fill_batch, queue, [dict(shape=(4,), init="ones"), {"shape": (4,), "init": "normal", key: 1,
                                                                    "offset_bytes": 16}], buffer=buf)
    raises(TypeError, "items[0]: parameter name must be a str, not 1", ctx.fill_batch, queue,
           [{"shape": (4,), "init": "normal", 1: 2.0}], buffer=buf)
    assert ctx.launch_count == before


# ---- dtype spellings ------------------------------------------------------------------------------------

ACCEPTED = {"f32": "f32", "float32": "f32", "float": "f32",
            "f16": "f16", "float16": "f16", "half": "f16",
            "bf16": "bf16", "bfloat16": "bf16",
            "f64": "f64", "float64": "f64", "double": "f64",
            "i32": "i32", "int32": "i32", "i64": "i64", "int64": "i64",
            np.float32: "f32", np.float16: "f16", np.float64: "f64", np.int32: "i32", np.int64: "i64",
            np.dtype("float32"): "f32", np.dtype("float16"): "f16", np.dtype("float64"): "f64",
            np.dtype("int32"): "i32", np.dtype("int64"): "i64",
            np.dtype("=f4"): "f32", np.single: "f32", np.half: "f16", np.double: "f64"}
LISTED = ("'f32', 'float32', 'float', 'f16', 'float16', 'half', 'bf16', 'bfloat16', 'f64', 'float64', 'double', "
          "'i32', 'int32', 'i64', 'int64', "
          "or the numpy dtypes np.float32, np.float16, np.float64, np.int32, np.int64 (native byte order)")


def test_accepted_dtype_spellings_are_pinned():
    """Exactly these spellings (documented in Context.fill, the README and python/README.md); each gives the
    values of its clinit dtype."""
    assert clinit.DTYPE_NAMES == {k: v for k, v in ACCEPTED.items() if isinstance(k, str)}
    assert clinit.NUMPY_DTYPES == {"float32": "f32", "float16": "f16", "float64": "f64", "int32": "i32",
                                   "int64": "i64"}
    for spelling, key in ACCEPTED.items():
        init, params = ("constant", {"val": -3}) if key in ("i32", "i64") else ("normal", {})
        want = clinit.reference((3, 4), init, dtype=key, seed=1, **params)
        got = clinit.reference((3, 4), init, dtype=spelling, seed=1, **params)
        assert got.dtype == clinit.DTYPES[key][1], spelling
        np.testing.assert_array_equal(got, want)
        assert clinit.validate((3, 4), init, dtype=spelling, **params) is None


@pytest.mark.parametrize("spelling,key", [("F32", "f32"), ("FLOAT32", "f32"), ("BF16", "bf16"), ("BFloat16", "bf16"),
                                          ("Half", "f16"), ("F64", "f64"), ("I32", "i32"), ("INT64", "i64")])
def test_dtype_names_in_any_ascii_case(spelling, key):
    """As the CLI's --dtype: safetensors headers write BF16 and F32, which users copy (refused before)."""
    init, params = ("constant", {"val": 5}) if key in ("i32", "i64") else ("normal", {})
    got = clinit.reference((2, 3), init, dtype=spelling, seed=4, **params)
    assert got.dtype == clinit.DTYPES[key][1]
    np.testing.assert_array_equal(got, clinit.reference((2, 3), init, dtype=key, seed=4, **params))


@pytest.mark.parametrize("dtype,hint", [("bfloat", "bfloat16"), ("BFLOAT", "bfloat16"), ("flaot32", "float32"),
                                        ("fp32", "f32"), ("int", "int32 or int64"), ("bf", "bf16 or bfloat16"),
                                        ("f8", "f32"), ("<f4", "f64"), ("int8", "int32"), ("float32 ", "float32")])
def test_unknown_dtype_suggests_as_the_cli(dtype, hint):
    """The CLI's --dtype bfloat says "did you mean bfloat16?"; Python listed every name without a suggestion."""
    msg = "dtype %r is not an accepted dtype: did you mean %s? (accepted: %s)" % (dtype, hint, LISTED)
    raises(ValueError, msg, clinit.reference, (3,), "normal", dtype=dtype)
    raises(ValueError, msg, clinit.validate, (3,), "normal", dtype=dtype)


@pytest.mark.parametrize("dtype", ["e", "", "xyz", np.int8, np.uint16, np.complex64, np.longdouble,
                                   np.dtype(">f4"), np.dtype(">f8"), np.dtype("int16"), np.dtype(">i8")])
def test_unknown_dtype_is_a_value_error_listing_the_accepted(dtype):
    """np.dtype(">f4") was taken as f32 (big-endian bytes promised, native ones returned); the others named dtype
    but listed only f32, f16, bf16, f64 (and i32, i64 once added)."""
    msg = "dtype %r is not an accepted dtype: %s" % (dtype, LISTED)
    raises(ValueError, msg, clinit.reference, (3,), "normal", dtype=dtype)
    raises(ValueError, msg, clinit.validate, (3,), "normal", dtype=dtype)


@pytest.mark.parametrize("dtype", [None, b"f32", float, int, object(), ["f32"]])
def test_dtype_of_a_wrong_type_is_a_type_error(dtype):
    """None and Python's float were numpy's float64 (so dtype="float" was f32 and dtype=float f64); b"f32" and
    ["f32"] gave numpy's own messages."""
    msg = "dtype must be a dtype name (str) or a numpy dtype, not %r; accepted: %s" % (dtype, LISTED)
    raises(TypeError, msg, clinit.reference, (3,), "normal", dtype=dtype)
    raises(TypeError, msg, clinit.validate, (3,), "normal", dtype=dtype)


def test_dtype_in_device_calls(ctx, cl_ctx, queue):
    import pyopencl as cl
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    np.testing.assert_array_equal(ctx.sample((2, 3), "normal", dtype="half", seed=3),
                                  clinit.reference((2, 3), "normal", dtype="f16", seed=3))
    np.testing.assert_array_equal(ctx.sample((2, 3), "normal", dtype="F16", seed=3),
                                  clinit.reference((2, 3), "normal", dtype="f16", seed=3))
    raises(ValueError, "dtype 'xyz' is not an accepted dtype: " + LISTED, ctx.sample, (2,), "normal", dtype="xyz")
    raises(ValueError, "dtype 'xyz' is not an accepted dtype: " + LISTED, ctx.fill, queue, buf, (2,), "normal",
           dtype="xyz")
    raises(ValueError, "items[0]: dtype 'xyz' is not an accepted dtype: " + LISTED, ctx.fill_batch, queue,
           [dict(shape=(2,), init="normal", dtype="xyz")], buffer=buf)
    raises(TypeError, "items[0]: dtype must be a dtype name (str) or a numpy dtype, not None; accepted: " + LISTED,
           ctx.fill_batch, queue, [dict(shape=(2,), init="normal", dtype=None)], buffer=buf)


# ---- safetensors and bf16 helpers -----------------------------------------------------------------------

def test_save_safetensors_argument_types(tmp_path):
    path = str(tmp_path / "t.safetensors")
    a = np.zeros(2, np.float32)
    raises(TypeError, "tensors must be a dict {name: numpy array}, not [%r]" % (a,), clinit.save_safetensors, [a],
           path)
    raises(TypeError, "metadata must be a dict {str: str} or None, not [('seed', 1)]", clinit.save_safetensors,
           {"a": a}, path, metadata=[("seed", 1)])  # was AttributeError: 'list' object has no attribute 'items'
    raises(TypeError, "bf16 must be a collection of tensor names, not None", clinit.save_safetensors, {"a": a},
           path, bf16=None)
    raises(TypeError, "bf16 must be a collection of tensor names, not the string b'a'", clinit.save_safetensors,
           {"a": a}, path, bf16=b"a")
    assert not (tmp_path / "t.safetensors").exists()


def test_safetensors_paths_are_file_paths(tmp_path):
    """save_safetensors(d, 1) took 1 for a file descriptor: it wrote the file to stdout and closed fd 1. Only
    str, bytes and os.PathLike paths are taken; the descriptor stays open and untouched."""
    a = {"a": np.zeros(2, np.float32)}
    r, w = os.pipe()
    try:
        for bad in (w, True, None, 1.5):
            msg = "path must be a file path (str, bytes or os.PathLike), not %r" % (bad,)
            raises(TypeError, msg, clinit.save_safetensors, a, bad)
            raises(TypeError, msg, clinit.load_safetensors, bad)
            raises(TypeError, msg, safetensors.read_header, bad)
        os.write(w, b"x")  # still open, and nothing was written before this byte
        assert os.read(r, 100) == b"x"
    finally:
        os.close(r)
        os.close(w)
    for path in (str(tmp_path / "s.safetensors"), os.fsencode(tmp_path / "b.safetensors"),
                 tmp_path / "p.safetensors"):
        clinit.save_safetensors(a, path)
        assert list(clinit.load_safetensors(path)) == ["a"] and "a" in safetensors.read_header(path)


def test_load_safetensors_names(tmp_path):
    path = str(tmp_path / "t.safetensors")
    clinit.save_safetensors({"a": np.zeros(2, np.float32), "b": np.ones(1, np.float32)}, path)
    # names="ab" took every tensor whose name is a substring of "ab"
    raises(TypeError, "names must be a collection of tensor names or None, not 'ab'", clinit.load_safetensors,
           path, names="ab")
    raises(TypeError, "names must be a collection of tensor names or None, not 3", clinit.load_safetensors, path,
           names=3)
    assert list(clinit.load_safetensors(path, names=("b",))) == ["b"]


def test_bf16_helper_argument_types():
    raises(TypeError, "bits must be integers (uint16 bfloat16 bit patterns), not an array of float64",
           clinit.bf16_to_f32, [1.5])  # was truncated to 1
    raises(TypeError, "bits must be integers (uint16 bfloat16 bit patterns), not an array of <U1",
           clinit.bf16_to_f32, "x")
    raises(TypeError, "bits must be integers (uint16 bfloat16 bit patterns), not an array of bool",
           clinit.bf16_to_f32, [True])
    raises(ValueError, "bits must be in [0, 2^16) (uint16 bfloat16 bit patterns): -1", clinit.bf16_to_f32,
           np.array([1, -1]))  # was wrapped to 0xFFFF, a NaN
    raises(ValueError, "bits must be in [0, 2^16) (uint16 bfloat16 bit patterns): 65536", clinit.bf16_to_f32,
           [65536])
    raises(TypeError, "values must be real numbers (float32 values), not an array of <U1", clinit.f32_to_bf16, "x")
    raises(TypeError, "values must be real numbers (float32 values), not an array of complex128",
           clinit.f32_to_bf16, [1j])
    raises(TypeError, "values must be real numbers (float32 values), not an array of bool", clinit.f32_to_bf16,
           [True])
    assert clinit.bf16_to_f32(np.array([0x3F80], np.int64)) == np.float32(1.0)
    assert clinit.bf16_to_f32([]).shape == (0,) and clinit.f32_to_bf16([]).shape == (0,)
    assert clinit.f32_to_bf16([1, 2]).tolist() == [0x3F80, 0x4000]


def test_bf16_to_f32_of_ints_of_any_width():
    """bf16_to_f32(2**70) raised TypeError "not an array of object" where the docstring promises ValueError for
    a value outside [0, 2^16)."""
    raises(ValueError, "bits must be in [0, 2^16) (uint16 bfloat16 bit patterns): 1180591620717411303424",
           clinit.bf16_to_f32, 2**70)
    raises(ValueError, "bits must be in [0, 2^16) (uint16 bfloat16 bit patterns): -1", clinit.bf16_to_f32,
           [2**64, -1])
    assert clinit.bf16_to_f32(np.array([0x3F80, 0x4000], dtype=object)).tolist() == [1.0, 2.0]


def test_f32_to_bf16_of_ints_of_any_width():
    """f32_to_bf16(2**70) raised "TypeError: ... not an array of object": numpy holds a Python int beyond
    uint64 as an object. Such ints are now rounded once to float32, as the docstring says, then to bf16."""
    assert clinit.f32_to_bf16(2**70).dtype == np.uint16 and clinit.f32_to_bf16(2**70).shape == ()
    assert int(clinit.f32_to_bf16(2**70)) == 0x6280 == int(clinit.f32_to_bf16(np.float32(1.1805916e21)))
    assert clinit.f32_to_bf16([[2**70, -2**70], [1.5, 3]]).tolist() == [[0x6280, 0xE280], [0x3FC0, 0x4040]]
    assert clinit.f32_to_bf16([2**128, -2**200, 2**64]).tolist() == [0x7F80, 0xFF80, 0x5F80]  # inf, -inf, 2^64
    # Rounded once: 2^100 + 2^92 + 2^76 + 1 is above the float32 midpoint 2^100 + 2^92 + 2^76 (then above the
    # bf16 midpoint 2^100 + 2^92: 0x7181); through a double it would lose the 1, tie twice to even: 0x7180.
    assert int(clinit.f32_to_bf16(2**100 + 2**92 + 2**76 + 1)) == 0x7181
    assert int(clinit.f32_to_bf16(float(2**100 + 2**92 + 2**76 + 1))) == 0x7180
    raises(TypeError, "values must be real numbers (float32 values), not an array of object", clinit.f32_to_bf16,
           [2**70, True])
    raises(TypeError, "values must be real numbers (float32 values), not an array of object", clinit.f32_to_bf16,
           [2**70, "1"])
