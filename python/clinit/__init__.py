"""clinit from Python: neural-network weight initialization in OpenCL device memory.

A ctypes binding of libclinit (include/clinit.h). Initializer and parameter names are the C API's and the
CLI's (PyTorch's torch.nn.init names without the trailing underscore, Keras/JAX names for theirs):

    import pyopencl as cl, clinit
    cl_ctx = cl.create_some_context(); queue = cl.CommandQueue(cl_ctx)
    ctx = clinit.Context(cl_ctx, cl_ctx.devices[0])
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64 * 3 * 7 * 7 * 4)
    ev = ctx.fill(queue, buf, (64, 3, 7, 7), "kaiming_normal", seed=1, stream="conv1.weight",
                  mode="fan_out", nonlinearity="relu")          # asynchronous: returns the fill's event
    w = clinit.reference((64, 3, 7, 7), "kaiming_normal", seed=1, stream="conv1.weight",
                         mode="fan_out", nonlinearity="relu")   # the same values, computed on the host

Without PyOpenCL: clinit.Context.default() (CLINIT_DEVICE chooses the device) and ctx.sample(...), which
returns a numpy array. f16 values come back as numpy float16, bf16 values as uint16 arrays of the raw bits
(numpy has no bfloat16; clinit.bf16_to_f32 widens them).

dtype arguments accept the strings of DTYPE_NAMES in any ASCII case ("f32", "float32", "float", "f16", "float16",
"half", "bf16", "bfloat16", "f64", "float64", "double", "i32", "int32", "i64", "int64"; "BF16" is bf16; "float" is
f32, as in C and PyTorch) and the numpy dtypes of NUMPY_DTYPES (np.float32, np.float16, np.float64, np.int32, np.int64 or their
np.dtype, native byte order); see Context.fill. i32 and i64 (a model's integer buffers) take constant, zeros and
ones only.

The library is found at the first call: $CLINIT_LIBRARY, else a libclinit.so* in this package's folder, else
ctypes.util.find_library("clinit"), else build/ of the source checkout this package sits in.
"""
import collections.abc
import ctypes
import math
import os
import sys

import numpy as np

from . import _cl
from ._lib import MAX_RANK, BatchItem, Distribution, LibraryNotFound, Tensor, library_path, load
from ._version import GENERATION_VERSION, __version__
from .safetensors import _array_bytes
from .safetensors import bf16_to_f32, f32_to_bf16, load_file as load_safetensors, save_file as save_safetensors

__all__ = [
    "Context", "Error", "LibraryNotFound", "reference", "validate", "scratch_bytes", "resolve", "calculate_gain",
    "compute_fans",
    "stream_from_name", "initializers", "param_names", "init_info", "InitInfo", "ParamInfo", "version",
    "library_version", "library_path",
    "load_safetensors", "save_safetensors", "bf16_to_f32", "f32_to_bf16", "GENERATION_VERSION", "__version__",
]

# clinit_status values and their enumerator names (CLINIT_ERROR_ without the prefix).
STATUS_NAMES = {
    0: "SUCCESS", 1: "NULL_ARGUMENT", 2: "INVALID_RANK", 3: "INVALID_SHAPE", 4: "INVALID_BOX",
    5: "INVALID_PARAMETER", 6: "INVALID_NONLINEARITY", 7: "INVALID_MODE", 8: "INVALID_LAYOUT", 9: "INVALID_INIT",
    10: "UNSUPPORTED_DTYPE", 11: "MISALIGNED_OFFSET", 12: "BUFFER_TOO_SMALL", 13: "INVALID_QUEUE",
    14: "DEVICE_NOT_FOUND", 15: "BUILD_FAILED", 16: "OPENCL", 17: "OUT_OF_HOST_MEMORY", 18: "UNKNOWN_PARAMETER",
    19: "READ_ONLY_BUFFER",
    20: "DEVICE_MEMORY",
}
_STATUS = {v: k for k, v in STATUS_NAMES.items()}

# dtype name -> (clinit_dtype, numpy dtype of the values handed back)
DTYPES = {"f32": (0, np.dtype(np.float32)), "f16": (1, np.dtype(np.float16)), "bf16": (2, np.dtype(np.uint16)),
          "f64": (3, np.dtype(np.float64)), "i32": (4, np.dtype(np.int32)), "i64": (5, np.dtype(np.int64))}
# Every string a dtype argument accepts (these, in any ASCII case: "BF16" and "F32" as safetensors headers write
# them, as the CLI reads --dtype) and the clinit dtype it names: clinit's own
# names, numpy's and PyTorch's (torch.float32, torch.bfloat16), and C's / PyTorch's short ones (torch.half,
# torch.float, torch.double). "float" is f32 as in C and PyTorch, not numpy's np.dtype("float") (float64).
DTYPE_NAMES = {"f32": "f32", "float32": "f32", "float": "f32",
               "f16": "f16", "float16": "f16", "half": "f16",
               "bf16": "bf16", "bfloat16": "bf16",
               "f64": "f64", "float64": "f64", "double": "f64",
               "i32": "i32", "int32": "i32", "i64": "i64", "int64": "i64"}
# The numpy dtypes a dtype argument accepts (np.float32, np.dtype("float32"), ...; native byte order), by name.
NUMPY_DTYPES = {"float32": "f32", "float16": "f16", "float64": "f64", "int32": "i32", "int64": "i64"}
LAYOUTS = {"oi": 0, "io": 1, "axes": 2}


class Error(Exception):
    """A clinit status other than CLINIT_SUCCESS.

    status: the clinit_status value; name: its enumerator without CLINIT_ERROR_ ("INVALID_RANK");
    status_string: clinit_status_string(status); message: the detail (clinit_ctx_message or clinit_validate's)."""

    def __init__(self, status, message=""):
        self.status = int(status)
        self.name = STATUS_NAMES.get(self.status, "UNKNOWN")
        try:
            self.status_string = load().clinit_status_string(self.status).decode()
        except OSError:
            self.status_string = self.name.lower().replace("_", " ")
        self.message = message or ""
        super().__init__("%s: %s" % (self.status_string, self.message) if self.message else self.status_string)


def _check(status, message=""):
    if status != 0:
        raise Error(status, message() if callable(message) else message)


# ---- names --------------------------------------------------------------------------------------------------

def version():
    """The Python package's version (equal to the C library's it was made for)."""
    return __version__


def library_version():
    """clinit_version_string() of the loaded library."""
    return load().clinit_version_string().decode()


def initializers():
    """Every initializer name, in clinit_init_kind order (clinit_init_count of them)."""
    lib = load()
    return tuple(lib.clinit_init_name(k).decode() for k in range(lib.clinit_init_count()))


def _cstr(value, what, expected):
    """value, a str, as the UTF-8 bytes of a C string. TypeError naming `what` and the `expected` type for any other
    type (bytes included: names are text); ValueError for a str holding a NUL character (C would read only the
    part before it: "relu\\0x" would be relu) or one UTF-8 cannot encode (a lone surrogate such as "\\ud800")."""
    if not isinstance(value, str):
        raise TypeError("%s must be %s, not %r" % (what, expected, value))
    if "\0" in value:
        raise ValueError("%s %r contains a NUL character (the C string would end there)" % (what, value))
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError("%s %r is not valid text (UTF-8 cannot encode it: %s)" % (what, value, e.reason)) from None


def _kind(init):
    if isinstance(init, (int, np.integer)) and not isinstance(init, (bool, np.bool_)):
        return _ranged(init, "init", -2**31, 2**31, "[-2^31, 2^31) (a clinit_init_kind, a C int)")
    name = _cstr(init, "init", "an initializer name (str) or a clinit_init_kind (int)")
    k = ctypes.c_int(0)
    why = ctypes.create_string_buffer(2048)
    # the library's reason, as the CLI gives it: the nearest name ("did you mean normal?"), else the names it
    # starts ("did you mean xavier_uniform or xavier_normal?"), else every name
    st = load().clinit_init_from_name_message(name, ctypes.byref(k), why, ctypes.sizeof(why))
    _check(st, lambda: why.value.decode(errors="replace"))
    return k.value


def param_names(init):
    """The parameter names an initializer takes (clinit_init_param_names), as a tuple of str, e.g. ('a', 'mode',
    'nonlinearity'); () for one without parameters.

    init: an initializer name (str, one of initializers()) or a clinit_init_kind (int in [-2^31, 2^31)).
    Raises TypeError (init neither a str nor an int: bytes, None, a bool, a float), ValueError (an int outside
    [-2^31, 2^31); a name holding a NUL character or a lone surrogate), clinit.Error INVALID_INIT (an unknown name
    or kind)."""
    names = load().clinit_init_param_names(_kind(init))
    if names is None:
        raise Error(_STATUS["INVALID_INIT"], "unknown initializer %r" % (init,))
    return tuple(n.strip() for n in names.decode().split(",") if n.strip())


InitInfo = collections.namedtuple("InitInfo", "name distribution needs_fans min_rank max_rank layouts source doc params")
InitInfo.__doc__ = """One initializer as the library's registry states it (clinit_init_get_info): name (str);
distribution (the kind it samples with its default parameters, one of resolve()'s kinds: 'uniform', ...);
needs_fans (bool: reads fan_in and fan_out from the shape and layout); min_rank, max_rank (ints, both ends
included); layouts (a tuple of the layout names it takes: 'oi', 'io', 'axes'); source (the framework function and
paper it follows); doc (one line: what it samples); params (a tuple of ParamInfo, in param_names order)."""
ParamInfo = collections.namedtuple("ParamInfo", "name type required default min max min_open max_open values doc")
ParamInfo.__doc__ = """One parameter of an initializer (clinit_init_get_param_info): name (str); type ('real',
'integer', 'name' or 'axis': JAX's column_axis, an int, negative from the end); required (bool: PyTorch has no
default, so Context.fill, reference, ... refuse a call without it); default (a float, an int, or for a name the
default name; None when required, and for an axis, unset by default: the layout's rule); min, max (the range a
fill accepts: floats, -inf / inf where unbounded, ints for an integer; for an axis the widest, which a fill narrows
to the tensor's rank; None for a name) with min_open, max_open (bools: that end excluded); values (a name's
accepted names, a tuple of str; None otherwise); doc (one line)."""

_PARAM_TYPES = ("real", "integer", "name", "axis")
_LAYOUT_BITS = ("oi", "io", "axes")


def _param_info(kind, index):
    p = _lib.ParamInfo()
    _check(load().clinit_init_get_param_info(kind, index, ctypes.byref(p)))
    values = tuple(v.strip() for v in p.values.decode().split(",")) if p.values else None
    ptype = _PARAM_TYPES[p.type]
    if ptype == "name":
        default, lo, hi = values[int(p.default_value)], None, None
    elif ptype == "axis":  # unset by default: the layout's rule
        default, lo, hi = None, int(p.min), int(p.max)
    elif ptype == "integer":
        default, lo, hi = int(p.default_value), int(p.min), min(int(p.max), 2 ** 63 - 1)
    else:
        default, lo, hi = p.default_value, p.min, p.max
    return ParamInfo(p.name.decode(), ptype, bool(p.required), None if p.required else default, lo, hi,
                     bool(p.min_open), bool(p.max_open), values, p.doc.decode())


def init_info(init):
    """What the library's registry states about an initializer, as an InitInfo (its params a tuple of ParamInfo).

    init: an initializer name (str, one of initializers()) or a clinit_init_kind (int in [-2^31, 2^31)).
    Raises TypeError (init neither a str nor an int), ValueError (an int outside [-2^31, 2^31); a name holding a
    NUL character or a lone surrogate), clinit.Error INVALID_INIT (an unknown name or kind)."""
    kind = _kind(init)
    info = _lib.InitInfo()
    _check(load().clinit_init_get_info(kind, ctypes.byref(info)),
           lambda: "unknown initializer %r; one of: %s" % (init, ", ".join(initializers())))
    return InitInfo(info.name.decode(), _DIST_KINDS[info.dist], bool(info.needs_fans), info.min_rank,
                    info.max_rank, tuple(n for i, n in enumerate(_LAYOUT_BITS) if info.layouts >> i & 1),
                    info.source.decode(), info.doc.decode(),
                    tuple(_param_info(kind, i) for i in range(info.param_count)))


def _param_text(name, value):
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("parameter %s: %r is not a number or a name" % (name, value))
    if isinstance(value, str):
        _cstr(value, "parameter %s:" % name, "a number or a name")  # NUL, lone surrogates: ValueError
        return value
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))  # round-trips through strtod; "inf", "-inf" and "nan" too
    raise TypeError("parameter %s: %r is not a number or a name" % (name, value))


# The arguments of the fill functions that describe the call (where, which tensor, which numbers), not the
# initializer: in a function's **params they are never initializer parameters (no initializer has a parameter of
# these names), and where the function does not take one, _refuse_call_args says whose argument it is.
_ARG_OF = {
    "buffer": "Context.fill", "offset_bytes": "Context.fill", "wait_for": "Context.fill",
    "queue": "Context.fill and Context.sample",
    "seed": "Context.fill, Context.sample and reference", "stream": "Context.fill, Context.sample and reference",
    "dtype": "Context.fill, Context.sample, reference, validate and scratch_bytes",
    "box": "Context.fill, Context.sample, reference, validate and scratch_bytes",
}


def _refuse_call_args(function, params, why):
    """TypeError when **params of `function` holds a call argument it does not take (a key of why): "reference()
    takes no offset_bytes: it returns a new array; offset_bytes is an argument of Context.fill", rather than the
    library's "unknown parameter" for an initializer parameter of that name. why: {argument: reason}."""
    for name in params:
        if name in why:
            raise TypeError("%s() takes no %s: %s; %s is an argument of %s"
                            % (function, name, why[name], name, _ARG_OF[name]))


def _spec(init, params):
    lib = load()
    kind = _kind(init)
    spec = lib.clinit_init_spec_default(kind)
    # generation: which contract of docs/ALGORITHMS.md the values follow, for every initializer (not one of its
    # parameters): 0 (the default) the newest, GENERATION_VERSION; 1 … to make earlier values again; others are
    # the library's INVALID_PARAMETER
    params = dict(params)
    if "generation" in params:
        spec.generation = _ranged(params.pop("generation"), "generation", -2**31, 2**31, "a C int's range")
    kind_name = lib.clinit_init_name(kind)
    kind_name = kind_name.decode() if kind_name else str(kind)
    # the registry's: which parameters are real numbers, and which PyTorch has no default for (the C library's
    # default, 0, would silently give a constant of zeros, a bias of zeros or a sparse tensor without zeros)
    info = init_info(kind) if kind_name != str(kind) else None
    taken = {p.name: p for p in info.params} if info else {}
    why = ctypes.create_string_buffer(512)
    for name, value in params.items():
        key = _cstr(name, "parameter name", "a str")
        text = _param_text(name, value)
        # A float NaN has no text clinit_init_spec_set reads ("nan" is refused as not a number): the name is set
        # with "0", then the field with NaN, which the library's range check refuses with its own message
        # ("normal: std = nan must be finite and >= 0"), as it refuses NaN in a C caller's spec.
        nan = name in taken and taken[name].type == "real" and isinstance(value, (float, np.floating)) and value != value
        st = lib.clinit_init_spec_set_message(ctypes.byref(spec), key, b"0" if nan else text.encode(), why,
                                              ctypes.sizeof(why))
        _check(st, lambda: why.value.decode(errors="replace"))
        if nan:
            setattr(spec, name, float("nan"))
    for required in (p.name for p in taken.values() if p.required and p.name not in params):
        if kind_name == "linear_default_bias":
            _check(_STATUS["INVALID_PARAMETER"], "linear_default_bias needs fan_in=N, the fan_in of its weight")
        _check(_STATUS["INVALID_PARAMETER"], "%s needs %s=... (it has no default)" % (kind_name, required))
    return spec


def stream_from_name(name):
    """clinit_stream_from_name: the stream of a named tensor, an int in [0, 2^64): XXH64 (seed 0) of the UTF-8
    bytes of `name` ("conv1.weight"), as `clinit init` and manifests name tensors.

    name: a str (text, not bytes); "" is allowed.
    Raises TypeError (name not a str: bytes, None, an int), ValueError (a NUL character in name, which the C
    function would stop at, so that "a\\0b" would be the stream of "a"; a lone surrogate, which has no UTF-8)."""
    return _stream_of_name(name, "name")


def _stream_of_name(name, what):
    return int(load().clinit_stream_from_name(_cstr(name, what, "a tensor name (str)")))


def _int(value, what):
    """value as an int: Python and numpy integers only; a float (2.9), a bool or a string is refused rather than
    truncated or reinterpreted."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError("%s must be an int, not %r" % (what, value))
    return int(value)


def _ranged(value, what, lo, hi, text):
    """_int(value) checked against [lo, hi), the range of the C type it goes into: ctypes would otherwise wrap it
    silently (2^64 + 4 into an int64_t is 4). text names the range in the ValueError."""
    value = _int(value, what)
    if not lo <= value < hi:
        raise ValueError("%s must be in %s: %d" % (what, text, value))
    return value


def _i64(value, what):
    """An int64_t field (dimensions, box starts and extents): in [-2^63, 2^63). Negative values within that range
    are left to the library, which refuses them with its own status and message (INVALID_SHAPE, INVALID_BOX)."""
    return _ranged(value, what, -2**63, 2**63, "[-2^63, 2^63) (int64_t)")


def _sequence(value, message):
    """value as a list when it is an ordered sequence: a list, a tuple, a range, a 1-D or wider numpy array (any
    collections.abc.Sequence but text). Anything else is a TypeError with `message`: text, a set or a dict (whose
    iteration order is not the one written: {5, 4} iterates as 4, 5), an iterator or a generator (read once,
    where sample() reads its arguments twice)."""
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        return list(value)
    if isinstance(value, collections.abc.Sequence) and not isinstance(value, (str, bytes, bytearray)):
        return list(value)
    if isinstance(value, (collections.abc.Set, collections.abc.Mapping)):
        message += " (a set or a dict has no order)"
    raise TypeError(message)


def _dims(shape, what="shape"):
    """A shape (an int or an ordered sequence of ints, see _sequence) as a tuple of ints, each in int64_t's
    range."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, (bool, np.bool_)):
        shape = (shape,)
    dims = _sequence(shape, "%s must be an int or a sequence of ints, not %r" % (what, shape))
    return tuple(_i64(d, "%s[%d]" % (what, i)) for i, d in enumerate(dims))


def _u64(value, what):
    return _ranged(value, what, 0, 2**64, "[0, 2^64)")


def _stream(stream):
    if stream is None:
        return 0
    if isinstance(stream, str):
        if not stream:  # as the CLI's --stream "" and a manifest's "name": "": a name left out, not a name
            raise ValueError("stream '': empty: a stream (an int in [0, 2^64)) or a tensor name (a non-empty str)")
        return _stream_of_name(stream, "stream")
    if isinstance(stream, (bool, np.bool_)) or not isinstance(stream, (int, np.integer)):
        raise TypeError("stream must be an int, a tensor name (str) or None, not %r" % (stream,))
    return _u64(stream, "stream")


# ---- tensors ------------------------------------------------------------------------------------------------

_DTYPES_ACCEPTED = "%s, or the numpy dtypes %s (native byte order)" % (
    ", ".join(map(repr, DTYPE_NAMES)), ", ".join("np." + n for n in NUMPY_DTYPES))


# The CLI's order of the names (host/cli/dtypes.c cli_dtype_names), so that both suggest the same name.
_DTYPE_ORDER = ("f32", "f16", "bf16", "f64", "i32", "i64", "float32", "float16", "bfloat16", "float64", "int32",
                "int64", "float", "half", "double")


def _edits(a, b):
    """Levenshtein distance of a and b."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        diag, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            diag, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diag + (x != y))
    return row[-1]


def _suggest(word, names):
    """The library's "did you mean" (host/suggest.c, which the CLI's messages use) for a word, lower-case, that is
    none of names: the (at most 3, not all) names a word of 2 or more characters starts, else the first nearest
    name at edit distance at most 2; None when there is neither."""
    started = [n for n in names if len(word) >= 2 and len(n) > len(word) and n.startswith(word)]
    if 0 < len(started) <= 3 and len(started) < len(names):
        return "did you mean %s?" % (started[0] if len(started) == 1 else
                                     ", ".join(started[:-1]) + " or " + started[-1])
    near = min(names, key=lambda n: _edits(word, n))
    return "did you mean %s?" % near if _edits(word, near) <= 2 else None


def _ascii_lower(text):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def _dtype(dtype):
    """The clinit dtype name ('f32', 'f16', 'bf16', 'f64', 'i32', 'i64') of a dtype argument: one of the strings of DTYPE_NAMES
    in any ASCII case ("BF16"), or a numpy dtype (np.dtype instance or numpy scalar type) of native byte order named
    in NUMPY_DTYPES. Anything else of those types is a ValueError listing the accepted ones (a str near a name
    suggests it first, as the CLI does: 'bfloat': did you mean bfloat16?); any other type (None, bytes, Python's
    float, whose numpy meaning float64 contradicts "float") a TypeError."""
    if isinstance(dtype, str):
        key = DTYPE_NAMES.get(_ascii_lower(dtype))
        hint = _suggest(_ascii_lower(dtype), _DTYPE_ORDER) if key is None else None
        if hint:
            raise ValueError("dtype %r is not an accepted dtype: %s (accepted: %s)" % (dtype, hint, _DTYPES_ACCEPTED))
    elif isinstance(dtype, np.dtype) or (isinstance(dtype, type) and issubclass(dtype, np.generic)):
        dt = np.dtype(dtype)
        key = NUMPY_DTYPES.get(dt.name) if dt.isnative else None
    else:
        raise TypeError("dtype must be a dtype name (str) or a numpy dtype, not %r; accepted: %s"
                        % (dtype, _DTYPES_ACCEPTED))
    if key is None:
        raise ValueError("dtype %r is not an accepted dtype: %s" % (dtype, _DTYPES_ACCEPTED))
    return key


def _layout(layout, axes_given):
    """The layout name of a layout argument: None ('axes' when axes are given, else 'oi') or one of LAYOUTS."""
    if layout is None:
        return "axes" if axes_given else "oi"
    if not isinstance(layout, str):
        raise TypeError("layout must be a layout name (str: %s) or None, not %r" % (", ".join(LAYOUTS), layout))
    if layout not in LAYOUTS:
        raise ValueError("layout %r: one of %s" % (layout, ", ".join(LAYOUTS)))
    return layout


def _mask(axes, rank, what):
    """The uint32_t bit mask of an axes argument: an int or a sequence of ints, each a dimension index in
    [-rank, rank), negative ones counting from the end as in numpy (-1 is the last dimension). An axis outside
    that range or given twice (1 and -1 of a rank-2 shape) is a ValueError naming the argument; axes that are
    neither an int nor a sequence of ints (1.5, "01", an axis 0.0) a TypeError naming it."""
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, (bool, np.bool_)):
        axes = (axes,)
    axes = _sequence(axes, "%s must be an int or a sequence of ints (dimension indices), not %r" % (what, axes))
    m, given = 0, {}
    for i, a in enumerate(axes):
        a = _int(a, "%s[%d]" % (what, i))
        d = a + rank if a < 0 else a
        if not 0 <= d < rank:
            raise ValueError("%s[%d]: axis %d is out of range for rank %d (axes are in [-%d, %d))"
                             % (what, i, a, rank, rank, rank))
        if d in given:
            raise ValueError("%s[%d]: axis %d repeats %s[%d] (dimension %d)" % (what, i, a, what, given[d], d))
        given[d] = i
        m |= 1 << d
    return m


def _slice_bound(v, n, what, default):
    """A slice's start or stop on a dimension of n: None is the default (0 or n), a negative value counts from
    the end (-1 is n - 1) as in numpy; the result must lie in [0, n], else ValueError (no clipping)."""
    if v is None:
        return default
    v = _int(v, what)
    b = v + n if v < 0 else v
    if not 0 <= b <= n:
        raise ValueError("%s = %d is outside the dimension of %d (a box must lie inside the tensor)" % (what, v, n))
    return b


def _box(box, shape):
    """(start, extent) from box=(start, extent) or box=(slice, …). Slices are the friendly form and are checked
    here: steps of 1 only, starts and stops within each dimension (negative ones from its end, numpy-style),
    stop >= start, dimensions past the last slice whole. (start, extent) is the C form, int64_t values handed to
    the library as given, which refuses a box leaving the tensor (clinit.Error INVALID_BOX)."""
    box = tuple(_sequence(box, "box must be (start, extent) or a tuple of slices, not %r" % (box,)))
    slices = [isinstance(b, slice) for b in box]
    if all(slices):
        if len(box) > len(shape):
            raise ValueError("box has %d slices for rank %d" % (len(box), len(shape)))
        start, extent = [], []
        for d, n in enumerate(shape):
            if n < 0:  # the library refuses the shape itself (INVALID_SHAPE, naming the dimension)
                start.append(0)
                extent.append(0)
                continue
            s = box[d] if d < len(box) else slice(None)
            what = "box[%d]" % d
            if s.step is not None and _int(s.step, what + ".step") != 1:
                raise ValueError("%s: slice %r has a step (only 1 is allowed)" % (what, s))
            b = _slice_bound(s.start, n, what + ".start", 0)
            e = _slice_bound(s.stop, n, what + ".stop", n)
            if e < b:
                raise ValueError("%s: slice %r ends before it starts (stop %d < start %d on a dimension of %d)"
                                 % (what, s, e, b, n))
            start.append(b)
            extent.append(e - b)
        return start, extent
    if any(slices):
        raise TypeError("box: slices and ints mixed; give a slice per dimension or (start, extent)")
    if len(box) != 2:
        raise ValueError("box must be (start, extent) or a tuple of slices")
    start, extent = list(_dims(box[0], "box start")), list(_dims(box[1], "box extent"))
    if len(start) != len(shape) or len(extent) != len(shape):
        raise ValueError("box start and extent need %d entries each" % len(shape))
    return start, extent


def _tensor(shape, dtype="f32", layout=None, offset_bytes=0, box=None, in_axes=None, out_axes=None,
            batch_axes=None, buffer=None):
    """(clinit_tensor, numpy shape of the values written, numpy dtype)"""
    shape = _dims(shape)
    if len(shape) > MAX_RANK:
        raise Error(_STATUS["INVALID_RANK"], "rank %d > %d" % (len(shape), MAX_RANK))
    key = _dtype(dtype)
    code, npdtype = DTYPES[key]
    axes_given = in_axes is not None or out_axes is not None or batch_axes is not None
    layout = _layout(layout, axes_given)
    t = Tensor()
    t.buffer = buffer
    t.offset_bytes = _u64(offset_bytes, "offset_bytes")  # a size_t: ctypes would wrap -4 into a huge one
    t.dtype = code
    t.rank = len(shape)
    for d, n in enumerate(shape):
        t.shape[d] = n
    t.layout = LAYOUTS[layout]
    if layout == "axes":
        t.in_axes = _mask(() if in_axes is None else in_axes, len(shape), "in_axes")
        t.out_axes = _mask(() if out_axes is None else out_axes, len(shape), "out_axes")
        t.batch_axes = _mask(() if batch_axes is None else batch_axes, len(shape), "batch_axes")
    elif axes_given:
        raise ValueError("in_axes/out_axes/batch_axes need layout='axes'")
    out_shape = shape
    if box is not None:
        start, extent = _box(box, shape)
        t.has_box = 1
        for d in range(len(shape)):
            t.box_start[d] = start[d]
            t.box_extent[d] = extent[d]
        out_shape = tuple(extent)
    return t, out_shape, npdtype


def _validate(t, spec):
    """(status, message) of clinit_validate for the tensor and spec."""
    buf = ctypes.create_string_buffer(1024)
    st = load().clinit_validate(ctypes.byref(t), ctypes.byref(spec), buf, len(buf))
    return st, buf.value.decode(errors="replace")


def _validate_message(t, spec):
    return _validate(t, spec)[1]


def _check_tensor(t, spec):
    """clinit.Error when clinit_validate refuses the tensor and spec."""
    _check(*_validate(t, spec))


# Why each of the host functions takes no such argument (see _refuse_call_args).
_NEW_ARRAY = "it returns a new array"
_ON_HOST = "it computes on the host"
_REFERENCE_REFUSES = {"offset_bytes": _NEW_ARRAY, "buffer": _NEW_ARRAY, "queue": _ON_HOST, "wait_for": _ON_HOST}
_SAMPLE_REFUSES = {"offset_bytes": _NEW_ARRAY, "buffer": _NEW_ARRAY,
                   "wait_for": "it fills a buffer of its own and waits for that fill"}
_VALIDATE_REFUSES = {"seed": "the seed does not change whether a fill is valid",
                     "stream": "the stream does not change whether a fill is valid",
                     "buffer": "it checks the tensor and parameters without a buffer",
                     "queue": "it enqueues nothing", "wait_for": "it enqueues nothing"}
_SCRATCH_REFUSES = {"seed": "the seed does not change the scratch a fill allocates",
                    "stream": "the stream does not change the scratch a fill allocates",
                    "buffer": "it computes the sizes without a buffer",
                    "queue": "it enqueues nothing", "wait_for": "it enqueues nothing"}
_RESOLVE_REFUSES = dict({k: "the distribution does not depend on it" for k in ("dtype", "seed", "stream")},
                        offset_bytes=_ON_HOST, buffer=_ON_HOST, queue=_ON_HOST, wait_for=_ON_HOST,
                        box="the distribution is the whole tensor's")


def validate(shape, init, dtype="f32", layout=None, offset_bytes=0, box=None, in_axes=None, out_axes=None,
             batch_axes=None, **params):
    """clinit_validate: returns None if a fill of this tensor would be accepted, else raises clinit.Error with
    the field at fault. The arguments are Context.fill's, with the same types and ranges, without queue, buffer,
    seed, stream and wait_for (a seed or stream does not change whether a fill is valid). Without a buffer,
    BUFFER_TOO_SMALL is not checked; MISALIGNED_OFFSET is.

    Raises:
    TypeError   a dimension, axis, box value or offset_bytes that is not an int (2.9, True); init neither a str
                nor an int; a dtype or layout of a wrong type (bytes, None for dtype, Python's float); a parameter
                value neither a number nor a name; a box mixing slices and ints; seed, stream, buffer, queue or
                wait_for given (the message says whose argument it is).
    ValueError  an int outside its C type's range (dimensions and box values int64_t [-2^63, 2^63),
                offset_bytes [0, 2^64), an int init a C int); an unknown dtype (the message lists the accepted
                ones) or layout; a malformed box or a slice outside its dimension; an axis outside [-rank, rank)
                or repeated; axes without layout 'axes'; a NUL character or a lone surrogate in a name or a
                parameter.
    clinit.Error  what the library refuses: INVALID_RANK, INVALID_SHAPE, INVALID_BOX, INVALID_LAYOUT,
                INVALID_INIT, INVALID_PARAMETER (a value out of range, or a required one missing: val, sparsity,
                fan_in), INVALID_MODE, INVALID_NONLINEARITY, UNKNOWN_PARAMETER (a parameter the initializer
                does not take), MISALIGNED_OFFSET (offset_bytes not a multiple of the dtype's size),
                UNSUPPORTED_DTYPE (an i32 or i64 tensor with an initializer other than constant, zeros and
                ones); a parameter value the library cannot read as text, or NaN, is INVALID_PARAMETER (INVALID_MODE,
                INVALID_NONLINEARITY) with the reason Context.fill gives ('std = " 1": no blanks are
                allowed around a value'; a float NaN: the library's "normal: std = nan must be finite and >= 0")."""
    _refuse_call_args("validate", params, _VALIDATE_REFUSES)
    t, _, _ = _tensor(shape, dtype, layout, offset_bytes, box, in_axes, out_axes, batch_axes)
    _check_tensor(t, _spec(init, params))


def scratch_bytes(shape, init, dtype="f32", layout=None, offset_bytes=0, box=None, in_axes=None, out_axes=None,
                  batch_axes=None, **params):
    """clinit_scratch_bytes: the device memory a fill of this tensor allocates besides the tensor itself (scratch
    buffers, released when the fill's commands complete), as (largest, total) in bytes: the largest single
    buffer and the sum of all of them. The arguments are validate's (Context.fill's, with the same types and
    ranges, without queue, buffer, seed, stream and wait_for: none of them changes the scratch).

    orthogonal and delta_orthogonal allocate three buffers for their m x n matrix (m >= n: the larger and the
    smaller of its two sides; orthogonal's are shape[0] and the product of the other dimensions,
    delta_orthogonal's the in and out channels), of (m*n + n)*s, n*n*s and m*n*s bytes, where s = 8 for an f64
    tensor and 4 otherwise (f16 and bf16 are computed in f32): orthogonal (6, 4) f32 is (112, 272), 112 + 64 +
    96. (0, 0) means the fill allocates no scratch: every other initializer, and a fill of no elements.

    This is clinit's own accounting (the library has no OpenCL call for it and needs no device): compare
    `largest` with the device's CL_DEVICE_MAX_MEM_ALLOC_SIZE (pyopencl: device.max_mem_alloc_size) to know
    before filling whether the fill can run. A fill whose largest scratch buffer is above that limit raises
    clinit.Error DEVICE_MEMORY before it enqueues anything; `total` adds to the device memory in use while the
    fill runs (Context.sample refuses a fill whose tensor and `total` together are above
    CL_DEVICE_GLOBAL_MEM_SIZE before it allocates anything, clinit_scratch_fits).

    Raises exactly what validate raises for the same arguments (TypeError, ValueError, and clinit.Error with
    clinit_validate's status and message: INVALID_RANK for orthogonal below rank 2, INVALID_PARAMETER for
    gain=nan, ...); see validate for the whole list."""
    _refuse_call_args("scratch_bytes", params, _SCRATCH_REFUSES)
    t, _, _ = _tensor(shape, dtype, layout, offset_bytes, box, in_axes, out_axes, batch_axes)
    spec = _spec(init, params)
    largest, total = ctypes.c_uint64(), ctypes.c_uint64()
    st = load().clinit_scratch_bytes(ctypes.byref(t), ctypes.byref(spec), ctypes.byref(largest),
                                     ctypes.byref(total))
    _check(st, lambda: _validate_message(t, spec))
    return int(largest.value), int(total.value)


_DIST_KINDS = ("constant", "uniform", "normal", "truncated_normal", "orthogonal", "structured", "sparse")


def resolve(shape, init, layout=None, in_axes=None, out_axes=None, batch_axes=None, **params):
    """clinit_init_resolve: the distribution an initializer samples on a tensor, as a dict (kind: one of
    'constant', 'uniform', 'normal', 'truncated_normal', 'orthogonal', 'structured', 'sparse'; value, low, high,
    mean, std, expected_mean, expected_std: floats; count: an int). shape, init, layout, the axes and params are
    as for Context.fill; it takes no dtype, seed, stream, box or offset (the distribution does not depend on
    them), nor queue, buffer or wait_for.

    Raises:
    TypeError   a dimension or axis that is not an int (2.9, True); init neither a str nor an int; a layout that
                is not a str; a parameter value neither a number nor a name; dtype, seed, stream, box,
                offset_bytes, buffer, queue or wait_for given (the message says whose argument it is).
    ValueError  a dimension outside int64_t's [-2^63, 2^63), an int init outside a C int's range; an unknown
                layout; an axis outside [-rank, rank) or repeated; axes without layout 'axes'; a NUL character
                or a lone surrogate in a name or a parameter.
    clinit.Error  what the library refuses: INVALID_RANK, INVALID_SHAPE, INVALID_LAYOUT, INVALID_INIT,
                INVALID_PARAMETER (a value out of range, a uniform whose width b - a overflows a double, or a
                required value missing: val, sparsity, fan_in), INVALID_MODE, INVALID_NONLINEARITY,
                UNKNOWN_PARAMETER (a parameter the initializer does not take); a parameter value the library
                cannot read as text, or NaN, is
                INVALID_PARAMETER (INVALID_MODE, INVALID_NONLINEARITY) with the reason Context.fill gives
                ('std = " 1": no blanks are allowed around a value'; a float NaN: the library's
                "normal: std = nan must be finite and >= 0")."""
    _refuse_call_args("resolve", params, _RESOLVE_REFUSES)
    # f64, which holds every double: clinit_init_resolve reads no dtype, and clinit_validate, which gives its
    # message, then refuses what resolve refuses, not an f32 fill's bounds (a = -1e308: outside f32's values)
    t, _, _ = _tensor(shape, "f64", layout, 0, None, in_axes, out_axes, batch_axes)
    spec = _spec(init, params)
    d = Distribution()
    st = load().clinit_init_resolve(ctypes.byref(spec), ctypes.byref(t), ctypes.byref(d))
    _check(st, lambda: _validate_message(t, spec))
    out = {name: getattr(d, name) for name, _ in Distribution._fields_}
    out["kind"] = _DIST_KINDS[d.kind] if 0 <= d.kind < len(_DIST_KINDS) else d.kind
    return out


def reference(shape, init, dtype="f32", layout=None, seed=0, stream=None, box=None, in_axes=None,
              out_axes=None, batch_axes=None, **params):
    """clinit_reference_fill: the values a fill writes, computed on the host, as a new numpy array of the
    tensor's shape (the box's shape when box is given): float32 for dtype 'f32', float16 for 'f16', float64 for
    'f64', uint16 (the raw bits; numpy has no bfloat16) for 'bf16', int32 for 'i32', int64 for 'i64'. The arguments are Context.fill's, with the
    same types and ranges (dtype: see Context.fill for the accepted spellings), without queue, buffer,
    offset_bytes and wait_for: there is no buffer.

    Raises:
    TypeError   a dimension, axis, box value or seed that is not an int (2.9, True); init neither a str nor an
                int; a dtype, layout or stream of a wrong type (bytes, None for dtype, Python's float); a
                parameter value neither a number nor a name; a box mixing slices and ints; offset_bytes, buffer,
                queue or wait_for given, the message saying whose argument it is ("reference() takes no
                offset_bytes: it returns a new array; offset_bytes is an argument of Context.fill").
    ValueError  an int outside its C type's range (dimensions and box values int64_t [-2^63, 2^63), seed and
                stream [0, 2^64), an int init a C int); an unknown dtype (the message suggests the nearest
                name as the CLI does and lists the accepted ones) or layout; a malformed box or a slice outside its dimension; an axis outside [-rank, rank) or
                repeated; axes without layout 'axes'; a NUL character or a lone surrogate in a name (init, a
                stream name) or a parameter; an empty stream name (stream=""); a shape (the box's, with box) numpy cannot make an array of, even an
                empty one: its non-zero dimensions times the item size above 2^63 - 1 ("the values' shape
                (0, 9223372036854775807): its non-zero dimensions times 4 bytes are above 2^63 - 1, numpy's
                limit on an array (even an empty one)"), checked after the library's own checks.
    clinit.Error  what the library refuses: INVALID_RANK, INVALID_SHAPE, INVALID_BOX, INVALID_LAYOUT,
                INVALID_INIT, INVALID_PARAMETER (a value out of range, or a required one missing: val, sparsity,
                fan_in), INVALID_MODE, INVALID_NONLINEARITY, UNKNOWN_PARAMETER (a parameter the initializer
                does not take), UNSUPPORTED_DTYPE (an i32 or i64 tensor with an initializer other than
                constant, zeros and ones); a parameter value the library cannot read as text, or NaN, is
                INVALID_PARAMETER (INVALID_MODE, INVALID_NONLINEARITY) with the reason Context.fill gives
                ('std = " 1": no blanks are allowed around a value'; a float NaN: the library's
                "normal: std = nan must be finite and >= 0"); OUT_OF_HOST_MEMORY when an orthogonal or
                delta_orthogonal matrix does not fit the host's memory (its m x n matrix is computed whole,
                whatever the box: scratch_bytes' total bytes)."""
    _refuse_call_args("reference", params, _REFERENCE_REFUSES)
    t, out_shape, npdtype = _tensor(shape, dtype, layout, 0, box, in_axes, out_axes, batch_axes)
    spec = _spec(init, params)
    _check_tensor(t, spec)  # a negative dimension or extent is the library's INVALID_SHAPE/BOX, not numpy's error
    _array_bytes(out_shape, npdtype.itemsize, "the values' shape")
    out = np.empty(out_shape, dtype=npdtype)
    st = load().clinit_reference_fill(ctypes.byref(t), ctypes.byref(spec), _u64(seed, "seed"), _stream(stream),
                                      out.ctypes.data_as(ctypes.c_void_p), out.nbytes)
    _check(st, lambda: _validate_message(t, spec))
    return out


def calculate_gain(nonlinearity, param=None):
    """PyTorch's torch.nn.init.calculate_gain (clinit_calculate_gain): the recommended gain (a float > 0) of a
    nonlinearity.

    nonlinearity: PyTorch's name (str): linear, conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d,
    conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu.
    param: leaky_relu's negative slope, a finite real number (int or float, numpy's too; not a bool or a str);
    None is PyTorch's default 0.01. Ignored by the other nonlinearities (but its type is still checked).
    Raises TypeError (nonlinearity not a str; param neither None nor a number), ValueError (a NUL character or a
    lone surrogate in nonlinearity; an int param too large for a double), clinit.Error INVALID_NONLINEARITY (an
    unknown name), INVALID_PARAMETER (leaky_relu with a NaN or infinite param)."""
    lib = load()
    name = _cstr(nonlinearity, "nonlinearity", "a nonlinearity name (str)")
    if param is None:
        slope = 0.01
    elif isinstance(param, (bool, np.bool_)) or not isinstance(param, (int, float, np.integer, np.floating)):
        raise TypeError("param must be a number (int or float) or None, not %r" % (param,))
    else:
        try:
            slope = float(param)
        except OverflowError:
            raise ValueError("param %d is too large for a double" % param) from None
    nl = ctypes.c_int(0)
    _check(lib.clinit_nonlinearity_from_name(name, ctypes.byref(nl)), "nonlinearity %r" % (nonlinearity,))
    gain = ctypes.c_double(0)
    _check(lib.clinit_calculate_gain(nl, slope, ctypes.byref(gain)), "%s with param %r" % (nonlinearity, param))
    return gain.value


def compute_fans(shape, layout=None, in_axes=None, out_axes=None, batch_axes=None):
    """(fan_in, fan_out), two ints, of a weight shape (an int or an ordered sequence of ints in int64_t's range,
    as for Context.fill): layout 'oi' (PyTorch, the default), 'io' (Keras 3's compute_fans, also for rank 0:
    (1, 1), and rank 1: (n, n)), or explicit axes (JAX):
    in_axes/out_axes/batch_axes, each an int or a sequence of dimension indices in [-rank, rank) (negative ones
    count from the end, as in numpy), imply layout 'axes' and are a ValueError with any other layout.
    Raises TypeError (a dimension or axis that is not an int; a shape or axes neither an int nor an ordered
    sequence: a set, a dict, an iterator; a layout that is not a str or None), ValueError (a dimension outside
    [-2^63, 2^63); an unknown layout; an axis outside [-rank, rank) or repeated; axes with layout 'oi' or
    'io'), clinit.Error (INVALID_RANK: rank < 2 under 'oi' or with axes, as PyTorch and JAX refuse it, or > 8;
    INVALID_SHAPE; INVALID_LAYOUT: axes that overlap or leave the fans undefined)."""
    shape = _dims(shape)
    if len(shape) > MAX_RANK:
        raise Error(_STATUS["INVALID_RANK"], "rank %d > %d" % (len(shape), MAX_RANK))
    arr = (ctypes.c_int64 * max(len(shape), 1))(*shape)
    fi, fo = ctypes.c_int64(0), ctypes.c_int64(0)
    axes_given = in_axes is not None or out_axes is not None or batch_axes is not None
    layout = _layout(layout, axes_given)
    if layout == "axes":
        r = len(shape)
        masks = [_mask(() if axes is None else axes, r, what)
                 for axes, what in ((in_axes, "in_axes"), (out_axes, "out_axes"), (batch_axes, "batch_axes"))]
        st = load().clinit_compute_fans_axes(r, arr, *masks, ctypes.byref(fi), ctypes.byref(fo))
    else:
        if axes_given:  # as in fill: they would be ignored
            raise ValueError("in_axes/out_axes/batch_axes need layout='axes'")
        st = load().clinit_compute_fans(len(shape), arr, LAYOUTS[layout], ctypes.byref(fi), ctypes.byref(fo))
    _check(st, "shape %s, layout %s" % (shape, layout))
    return fi.value, fo.value


# ---- device -------------------------------------------------------------------------------------------------

_POINTER_BITS = 8 * ctypes.sizeof(ctypes.c_void_p)


# The kinds of OpenCL object a handle argument names: the PyOpenCL class it takes and the C type of a raw handle.
_KINDS = {"buffer": ("Buffer", "cl_mem"), "queue": ("CommandQueue", "cl_command_queue"),
          "event": ("Event", "cl_event"), "context": ("Context", "cl_context"), "device": ("Device", "cl_device_id")}


def _expected(kind):
    cls, ctype = _KINDS[kind]
    return "a pyopencl.%s or an int %s handle" % (cls, ctype)


def _of_kind(obj, kind):
    """False for an object of PyOpenCL (or clinit's own Event) that is not of this kind; True for any other
    object. The library takes every handle as a void pointer: an Event given as a buffer would reach
    clGetMemObjectInfo and come back as a misleading status, a buffer given as an event is undefined behaviour."""
    if isinstance(obj, _cl.Event):
        return kind == "event"
    cl = sys.modules.get("pyopencl")
    if cl is None or not any(k.__module__.split(".")[0] == "pyopencl" for k in type(obj).__mro__):
        return True
    if kind == "buffer":  # pooled buffers are MemoryObjectHolders too; images and pipes are no buffers
        return (isinstance(obj, cl.MemoryObjectHolder)
                and not isinstance(obj, (cl.Image, getattr(cl, "Pipe", cl.Image))))
    return isinstance(obj, getattr(cl, _KINDS[kind][0]))


def _handle(obj, what, kind):
    """The OpenCL handle (an int, or None for NULL) of a PyOpenCL object (its int_ptr), a ctypes.c_void_p or a raw
    int handle. kind: a key of _KINDS; a PyOpenCL object of another kind is a TypeError naming what is needed.
    A raw handle is trusted as in C: only its range is checked (ctypes would turn a negative one into a huge
    pointer and 2^64 into NULL); an int that is no live object of that type crashes the process."""
    if obj is None:
        return None
    if isinstance(obj, (bool, np.bool_)):
        raise TypeError("%s: expected %s, not %r" % (what, _expected(kind), obj))
    if isinstance(obj, (int, np.integer)):
        return _ranged(obj, what, 0, 1 << _POINTER_BITS, "[0, 2^%d) (a raw handle)" % _POINTER_BITS)
    if isinstance(obj, ctypes.c_void_p):
        return obj.value
    ptr = getattr(obj, "int_ptr", None)
    if ptr is None or not _of_kind(obj, kind):
        raise TypeError("%s: expected %s, not %r" % (what, _expected(kind), obj))
    return int(ptr)


def _required_handle(obj, what, kind):
    """_handle of an argument that has no default: None (TypeError) and a NULL handle (ValueError) are refused
    here, where the library's NULL_ARGUMENT would not say which argument it was."""
    if obj is None:
        raise TypeError("%s: expected %s, not None" % (what, _expected(kind)))
    h = _handle(obj, what, kind)
    if not h:
        raise ValueError("%s: %r is a NULL %s" % (what, obj, _KINDS[kind][1]))
    return h


def _wait_list(wait_for):
    """(count, cl_event array or None, events) of a wait_for argument: None, or an iterable of events (PyOpenCL
    events, the events fill returns without PyOpenCL, or raw int handles, trusted as _handle says), read once.
    None (TypeError) and a NULL handle (0, ValueError) are refused: OpenCL has no such event.
    The caller must hold `events` (the objects themselves) until the library call returns: an event object is
    the only owner of its cl_event, and one that a generator made and nothing else refers to would be
    collected, releasing the cl_event, between here and the call that reads its handle."""
    if wait_for is None:
        return 0, None, []
    if isinstance(wait_for, (str, bytes)) or not isinstance(wait_for, collections.abc.Iterable):
        raise TypeError("wait_for must be a sequence of events, not %r" % (wait_for,))
    events = list(wait_for)
    waits = []
    for i, e in enumerate(events):
        if e is None:
            raise TypeError("wait_for[%d]: None is not an event" % i)
        h = _handle(e, "wait_for[%d]" % i, "event")
        if not h:
            raise ValueError("wait_for[%d]: %r is a NULL cl_event" % (i, e))
        waits.append(h)
    return len(waits), ((ctypes.c_void_p * len(waits))(*waits) if waits else None), events


def _in_item(i, e):
    """The TypeError, ValueError or clinit.Error `e` raised for items[i] of a batch, its message prefixed with
    "items[i]: " as the library prefixes its own."""
    if isinstance(e, Error):
        return Error(e.status, "items[%d]: %s" % (i, e.message))
    return type(e)("items[%d]: %s" % (i, e))


# The keys of a fill_batch item that describe the tensor; every other key is an initializer parameter.
_ITEM_KEYS = ("buffer", "shape", "init", "dtype", "layout", "offset_bytes", "box", "in_axes", "out_axes",
              "batch_axes", "stream")


# The arguments of fill_batch itself, one for the whole batch: an item holding one is refused (TypeError), rather
# than its key being taken for an initializer parameter (UNKNOWN_PARAMETER).
_BATCH_ARGS = {"seed": "one seed for every item", "queue": "one queue for every item",
               "wait_for": "every launch waits for fill_batch's wait_for"}


def _batch_item(i, item, default_buffer):
    """(BatchItem, buffer handle) for items[i] of fill_batch; raises as fill does, naming items[i]."""
    if not isinstance(item, collections.abc.Mapping):
        raise TypeError("items[%d]: %r is not a dict of fill's arguments (shape=..., init=..., ...)" % (i, item))
    for key in ("shape", "init"):
        if key not in item:
            raise TypeError("items[%d]: no %r (shape and init are required)" % (i, key))
    for key in _BATCH_ARGS:
        if key in item:
            raise TypeError("items[%d]: %s is an argument of fill_batch, not of an item (%s)"
                            % (i, key, _BATCH_ARGS[key]))
    try:
        buffer = item.get("buffer")
        if buffer is None:
            buffer = default_buffer
        if buffer is None:
            raise TypeError("no 'buffer', and fill_batch's buffer argument is None")
        handle = _handle(buffer, "buffer", "buffer")
        t, _, _ = _tensor(item["shape"], item.get("dtype", "f32"), item.get("layout"), item.get("offset_bytes", 0),
                          item.get("box"),
                          item.get("in_axes"), item.get("out_axes"), item.get("batch_axes"), buffer=handle)
        spec = _spec(item["init"], {k: v for k, v in item.items() if k not in _ITEM_KEYS})
        stream = _stream(item.get("stream"))
    except (TypeError, ValueError, Error) as e:
        raise _in_item(i, e) from None
    return BatchItem(t, spec, stream), handle


def _wrap_event(handle):
    if not handle:
        return None
    cl = sys.modules.get("pyopencl")
    if cl is not None:
        return cl.Event.from_int_ptr(handle, retain=False)  # PyOpenCL owns (and releases) it from here
    return _cl.Event(handle)


# The process whose OpenCL runtime clinit has used (a Context made there), None before: OpenCL runtimes do not survive
# fork() (PoCL's calls never return in the child, whatever the context), so a child refuses every call that
# would reach OpenCL rather than hang.
_opencl_pid = None


def _not_forked(what):
    """RuntimeError when this process is a fork() of the one that used OpenCL through clinit."""
    if _opencl_pid is not None and _opencl_pid != os.getpid():
        raise RuntimeError("%s: this process is a fork() of process %d, which used OpenCL: OpenCL runtimes do not "
                           "survive fork (their calls would never return); use OpenCL in the child only with "
                           "multiprocessing's 'spawn' or 'forkserver' start method, or fork before any Context is "
                           "made" % (what, _opencl_pid))


class Context:
    """A clinit context (clinit_ctx) on an OpenCL context and device: the kernels are built once, here.

    Context(cl_context, cl_device) takes a pyopencl.Context and a pyopencl.Device of it (or raw handles as ints);
    the caller keeps them. Both are required: None or a PyOpenCL object of another kind is a TypeError naming
    the argument ("cl_device: expected a pyopencl.Device or an int cl_device_id handle, not None"), a NULL
    handle (0) a ValueError. The library's refusals are clinit.Error with its message: OPENCL (a device not of
    the context, a context or device that cannot be queried, a program or kernel that cannot be made),
    BUILD_FAILED (the build log), INVALID_PARAMETER (CLINIT_ITEM_BLOCKS, CLINIT_ITEM_STRIDE or CLINIT_PTX
    malformed), OUT_OF_HOST_MEMORY.
    Context.default() lets clinit choose the device (CLINIT_DEVICE) and owns its context and queue.
    fork(): OpenCL runtimes do not survive it (PoCL's calls never return in the child, even on a new context), so in
    a child of a process that made a Context, making one or calling a method of one that reaches the library raises
    RuntimeError saying so; the host functions (reference, validate, ...) still work there."""

    def __init__(self, cl_context, cl_device):
        self._ptr = None
        self._keep = (cl_context, cl_device)  # the Python objects outlive the handle that retains them
        self._own_queue = None
        _not_forked("clinit.Context")
        handles = [_required_handle(obj, what, kind) for obj, what, kind in
                   ((cl_context, "cl_context", "context"), (cl_device, "cl_device", "device"))]
        p = ctypes.c_void_p(None)
        st = load().clinit_ctx_create(ctypes.byref(p), *handles)
        self._finish_create(st, p)

    @classmethod
    def default(cls):
        """clinit_ctx_create_default: clinit's own context and in-order queue on the device CLINIT_DEVICE
        names (gpu, cpu, P:D), else the first GPU, else the first device.

        Raises clinit.Error with the library's message: DEVICE_NOT_FOUND (no OpenCL device, or CLINIT_DEVICE
        malformed or naming none), OPENCL (the context, queue, program or a kernel cannot be made),
        BUILD_FAILED, INVALID_PARAMETER (CLINIT_ITEM_BLOCKS, CLINIT_ITEM_STRIDE or CLINIT_PTX malformed),
        OUT_OF_HOST_MEMORY."""
        self = cls.__new__(cls)
        self._ptr = None
        self._keep = None
        self._own_queue = None
        _not_forked("clinit.Context.default")
        p = ctypes.c_void_p(None)
        st = load().clinit_ctx_create_default(ctypes.byref(p))
        self._finish_create(st, p)
        return self

    def _finish_create(self, st, p):
        global _opencl_pid
        _opencl_pid = os.getpid()
        if st != 0:
            msg = load().clinit_ctx_message(p).decode(errors="replace") if p.value else ""
            load().clinit_ctx_destroy(p)
            raise Error(st, msg)
        self._ptr = p

    def close(self):
        """Releases the handle (and the queue sample() made). Finish the queues of pending fills first. In a
        fork()ed child it only forgets them (the parent still owns them, and OpenCL calls would not return)."""
        if getattr(self, "_ptr", None) is not None and _opencl_pid != os.getpid():
            self._ptr = self._own_queue = None  # a fork()ed child: OpenCL would never return; the parent owns them
        if getattr(self, "_ptr", None) is not None:
            if self._own_queue:
                _cl.lib().clFinish(self._own_queue)
                _cl.lib().clReleaseCommandQueue(self._own_queue)
                self._own_queue = None
            load().clinit_ctx_destroy(self._ptr)
            self._ptr = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules may be gone already
            pass

    def __enter__(self):
        self._p()  # `with` on a closed Context fails at once, not at its first call
        return self

    def __exit__(self, *exc):
        self.close()

    def _p(self):
        if self._ptr is None:
            raise ValueError("clinit.Context is closed")
        _not_forked("clinit.Context")
        return self._ptr

    @property
    def message(self):
        """clinit_ctx_message: the detail of the last failure ("" after a success)."""
        return load().clinit_ctx_message(self._p()).decode(errors="replace")

    @property
    def cl_context(self):
        """The cl_context handle (int)."""
        return load().clinit_ctx_cl_context(self._p())

    @property
    def device(self):
        """The cl_device_id handle (int)."""
        return load().clinit_ctx_device(self._p())

    @property
    def queue(self):
        """The in-order queue of a Context.default() (int handle); None for caller-provided contexts."""
        return load().clinit_ctx_queue(self._p())

    @property
    def launch_count(self):
        """clinit_ctx_launch_count: how many kernel launches (clEnqueueNDRangeKernel calls) the fills on this
        context have enqueued since it was created, an int >= 0 that only grows. A fill of one tensor is one
        launch, except one split across launches (over 2^30 work-items or 65535 runs) and orthogonal /
        delta_orthogonal (2n + 2*ceil(n/16) + 2 for an m x n matrix, m >= n); fill_batch is one launch per
        group (see there); sample() counts as the fill it makes. Markers (an empty tensor, an empty batch) are
        not launches. Enqueued, not completed: it says how many launches were asked for, not that they ran. For
        benchmarks and tests.
        Raises ValueError when the context is closed."""
        return int(load().clinit_ctx_launch_count(self._p()))

    def _check(self, status):
        """clinit.Error with clinit_ctx_message when a call on this handle returned `status` other than success:
        every method that calls a library function taking the handle reports its failures through here."""
        _check(status, lambda: self.message)

    def set_local_size(self, local_size):
        """clinit_ctx_set_local_size: the work-group size (work-items) of later fills, 0 being clinit's choice
        (64 on CPUs, 256 otherwise); generated values never depend on it.

        local_size: an int in [0, 2^64) (a size_t; else ValueError naming it, TypeError for a non-int).
        Raises clinit.Error INVALID_PARAMETER when it is above the device's CL_DEVICE_MAX_WORK_GROUP_SIZE, with
        the library's message ("local_size 5000 exceeds the device's CL_DEVICE_MAX_WORK_GROUP_SIZE 4096"; the
        previous size stays), OPENCL when that limit cannot be read; ValueError when the context is closed. A
        size the device accepts but a kernel does not (above its CL_KERNEL_WORK_GROUP_SIZE) is accepted here
        and makes later fills raise clinit.Error OPENCL."""
        local_size = _u64(local_size, "local_size")
        self._check(load().clinit_ctx_set_local_size(self._p(), local_size))

    def _check_fits(self, t, spec, nbytes):
        """Before anything is allocated: sample's buffer of nbytes within CL_DEVICE_MAX_MEM_ALLOC_SIZE
        (clinit.Error OPENCL: clCreateBuffer would fail with only CL_INVALID_BUFFER_SIZE to say why), and the
        fill's scratch beside it (clinit_scratch_fits: clinit.Error DEVICE_MEMORY with the library's message; on
        PoCL the device's memory is the host's, and an orthogonal fill would run a long time before failing)."""
        max_alloc = _cl.device_ulong(self.device, _cl.CL_DEVICE_MAX_MEM_ALLOC_SIZE, "CL_DEVICE_MAX_MEM_ALLOC_SIZE")
        if nbytes > max_alloc:
            raise Error(_STATUS["OPENCL"], "sample: the tensor's %d bytes are above the device's largest buffer "
                                           "(CL_DEVICE_MAX_MEM_ALLOC_SIZE = %d bytes)" % (nbytes, max_alloc))
        self._check(load().clinit_scratch_fits(self._p(), ctypes.byref(t), ctypes.byref(spec), nbytes))

    def fill(self, queue, buffer, shape, init, dtype="f32", layout=None, seed=0, stream=None, offset_bytes=0,
             box=None, in_axes=None, out_axes=None, batch_axes=None, wait_for=None, **params):
        """clinit_fill: enqueues the initialization of a tensor in `buffer` on `queue` and returns its event
        (a pyopencl.Event when PyOpenCL is imported, else an object with wait()); the fill is asynchronous.

        queue, buffer: a pyopencl.CommandQueue and a pyopencl.Buffer (a sub-buffer or a pool's buffer too; not
        an Image), or raw int handles (queue None: the queue of a Context.default()). A PyOpenCL object of
        another kind (an Event as buffer, a Buffer as queue) is a TypeError naming the argument and the class
        it takes.
        shape: the logical shape, an int or an ordered sequence of ints in int64_t's range (a list, a tuple,
        a range, a numpy array; a set, a dict or an iterator is a TypeError: a set's order is not the one
        written), negative ones being the library's INVALID_SHAPE; box, in_axes, out_axes and batch_axes are
        ordered sequences too. init: an initializer name (str) or a clinit_init_kind (int); params: its
        parameters by name (gain=..., mode="fan_out", nonlinearity="relu", ...), each a number (int, float,
        not a bool) or a name (str), passed to clinit_init_spec_set_message as text: an int as its digits, a
        float as its repr ("0.02", "inf", "-inf"), a str as given, read as strictly as the CLI's --param
        (decimal, or inf/infinity with an optional '-'; no blanks around it, no '+', no hexadecimal floats, no
        "nan"; fan_in and groups decimal digits within int64_t; column_axis, JAX's, of orthogonal and
        delta_orthogonal, an int with an optional '-', negative axes counting from the end, its range checked
        against the shape: INVALID_PARAMETER). generation=G, for every initializer: the generation contract of
        docs/ALGORITHMS.md the values follow, 1 … GENERATION_VERSION (0, the default: the newest; 1 makes again
        the values of clinit before 0.2; others INVALID_PARAMETER). Text the library cannot read is a clinit.Error
        (INVALID_PARAMETER, INVALID_MODE or INVALID_NONLINEARITY; UNKNOWN_PARAMETER for a name the
        initializer does not take) with the library's reason, the CLI's too, naming the parameter and quoting
        the text: 'std = " 1": no blanks are allowed around a value', 'std = "+1": numbers take no '+' sign
        (write "1")', 'std = "1e999" is beyond the range of a double (it would be inf)', 'std = "abc" is not a
        number', 'unknown nonlinearity "rleu": did you mean relu?'. A float NaN
        (float("nan"), np.nan) of a real parameter has no such text: the field is set to NaN and the
        library's range check refuses it with its own message, INVALID_PARAMETER "normal: std = nan must be
        finite and >= 0" (the str "nan" is not a number); float("inf") goes as "inf" and is refused by
        the same check wherever the parameter must be finite (trunc_normal's a and b may be infinite).
        dtype: the element type written, exactly one of these spellings (case-sensitive):
            f32:  "f32", "float32", "float" (C's and PyTorch's float; not numpy's "float", which is float64),
                  np.float32, np.dtype("float32")
            f16:  "f16", "float16", "half", np.float16, np.dtype("float16")
            bf16: "bf16", "bfloat16" (numpy has no bfloat16 dtype; its values are handed back as uint16 bits)
            f64:  "f64", "float64", "double", np.float64, np.dtype("float64")  (needs cl_khr_fp64)
            i32:  "i32", "int32", np.int32, np.dtype("int32")  (constant, zeros and ones only; val an integer
                  in [-2^31, 2^31 - 1], else Error INVALID_PARAMETER; another init is UNSUPPORTED_DTYPE)
            i64:  "i64", "int64", np.int64, np.dtype("int64")  (likewise, val in [-2^63, 2^63))
        (clinit.DTYPE_NAMES and clinit.NUMPY_DTYPES; numpy dtypes of native byte order only). Another str or
        numpy dtype ("F32", "<f4", "int8", np.uint16, np.dtype(">f4")) is a ValueError naming dtype and listing
        these; another type (None, b"f32", Python's float) a TypeError.
        layout 'oi' (default), 'io', or 'axes' (implied by in_axes/out_axes/batch_axes, each an int or
        a sequence of dimension indices in [-rank, rank), negative ones counting from the end as in numpy, none
        repeated; given with layout 'oi' or 'io' they are a ValueError, never ignored). A layout that is not a
        str (or None) is a TypeError.
        stream: an int in [0, 2^64), a tensor name (a non-empty str: clinit_stream_from_name) or None (0); ""
        is a ValueError (as the CLI's --stream ""), another type a TypeError.
        offset_bytes: where element 0 (of the box, with box) goes in buffer, an int in [0, 2^64), a multiple
        of the dtype's size (2, 4 or 8; else MISALIGNED_OFFSET).
        box: (start, extent) or a tuple of slices: only that box is written, contiguously from offset_bytes,
        with the values of the whole tensor. (start, extent) holds int64_t values that the library checks
        (INVALID_BOX when the box leaves the tensor). Slices (at most one per dimension, the dimensions after
        the last one whole) must lie inside the tensor: step 1, start and stop in [-n, n] on a dimension of n
        (negative ones counting from its end, as in numpy), stop >= start; anything else is a ValueError, where
        numpy would clip (slice(0, 10) on a dimension of 4 is refused, not 4 rows).
        wait_for: None or an iterable of events the fill waits for (a list, a tuple, a generator: read once,
        its event objects held until the enqueue returns): pyopencl.Event objects (markers, user events, the
        events fill returns), the events fill returns without PyOpenCL, or raw int cl_event handles; another
        PyOpenCL object (a Buffer, a CommandQueue) is a TypeError. Raw handles (of buffers and queues too) are
        trusted as in C: only their range [0, 2^64) is checked, and an int that is not a live object of that
        type (wait_for=[1]) crashes the process, as it would in C; pass PyOpenCL objects to be safe. None and 0
        in wait_for are refused (TypeError, ValueError).
        Every int is checked against the C type it goes into (ValueError naming the argument, never wrapped):
        dimensions and box values int64_t, offset_bytes, seed and stream [0, 2^64), an int init a C int.
        Raises, nothing being enqueued then: TypeError and ValueError as fill_batch lists them (without the
        "items[i]: " prefix), ValueError also for a NUL character or a lone surrogate in a name (init, stream,
        a parameter); clinit.Error (status, message) when the library refuses the fill (fill_batch lists the
        statuses; OPENCL when the enqueue fails)."""
        if queue is None:
            queue = self.queue
            if queue is None:
                raise ValueError("queue is required for a Context made from a caller's cl_context")
        t, _, _ = _tensor(shape, dtype, layout, offset_bytes, box, in_axes, out_axes, batch_axes,
                          buffer=_handle(buffer, "buffer", "buffer"))
        spec = _spec(init, params)
        nwait, wl, waited = _wait_list(wait_for)
        ev = ctypes.c_void_p(None)
        st = load().clinit_fill(self._p(), _handle(queue, "queue", "queue"), ctypes.byref(t), ctypes.byref(spec),
                                _u64(seed, "seed"), _stream(stream), nwait, wl, ctypes.byref(ev))
        del waited  # held until here: their cl_events stay alive for the call (see _wait_list)
        self._check(st)
        return _wrap_event(ev.value)

    def fill_batch(self, queue, items, seed=0, buffer=None, wait_for=None):
        """clinit_fill_batch: enqueues the initialization of several tensors with one seed, each with its own
        initializer, parameters, stream and place, in few kernel launches, and returns one event that completes
        when every tensor is written (a pyopencl.Event when PyOpenCL is imported, else an object with wait()).
        Each tensor gets exactly the bytes fill(queue, buffer, seed=seed, **item) would write: a model's tensors
        packed in one buffer, as `clinit init` writes them, take one launch instead of one each.

        queue: as for fill (None: the queue of a Context.default()).
        items: a list or tuple of dicts, one per tensor, whose keys are fill's keyword arguments:
            shape         required: the logical shape, an int or a sequence of ints (elements, each >= 0).
            init          required: an initializer name.
            buffer        the destination (PyOpenCL Buffer or int handle); default: fill_batch's `buffer`.
            offset_bytes  where element 0 of the tensor (of its box, with box) goes in buffer, in bytes
                          (default 0): an int >= 0, a multiple of the dtype's size (2, 4 or 8), with
                          offset_bytes + the tensor's bytes <= the buffer's size. The tensor is row-major and
                          contiguous from there; no two items may share a byte of one buffer.
            dtype, layout, in_axes, out_axes, batch_axes, box   as for fill (dtype: the spellings fill
                          lists, default "f32").
            stream        an int in [0, 2^64), a tensor name (a non-empty str: clinit_stream_from_name) or None (0).
            seed, queue, wait_for   not item keys: fill_batch's own arguments (TypeError).
            any other key the initializer's parameter of that name (a=..., mode="fan_out", ...), as fill's
                          **params: a key the initializer does not take raises clinit.Error UNKNOWN_PARAMETER.
        seed: the Philox key of every item, an int in [0, 2^64).
        buffer: the buffer of the items that name none (PyOpenCL Buffer or int handle).
        wait_for: events every launch waits for, as for fill (None or an iterable of events).

        Launches (launch_count tells them): the items whose initializer is element-wise (constant, zeros, ones,
        uniform, normal, trunc_normal and every name resolving to one of them: xavier_*, kaiming_*,
        linear_default_*, variance_scaling, glorot_*, he_*, lecun_*) in f32, f16 or bf16, whole or with a box
        that is one contiguous run, are grouped by (buffer, dtype), one launch per group (a group over 2^30
        work-items is split); every other item (f64, orthogonal, delta_orthogonal, eye, dirac, sparse, boxes
        of several runs) is one fill of its own. Empty tensors launch nothing. An empty `items` is valid: no
        launch, and the returned event (a marker) completes once wait_for has.

        Raises, every item checked before anything is enqueued (nothing is then enqueued), messages naming the
        item as "items[i]: ". Checked in this order: the arguments of each item, in item order (the Python
        side, including initializer names and parameters); then the library's checks of each item and of
        overlaps:
            TypeError   items not a list or tuple; an item not a dict, without shape or init, or without
                        buffer when fill_batch's buffer is None too, or holding seed, queue or wait_for; a
                        dimension, axis, offset_bytes or seed that is not an int (2.9, True); a shape, box or
                        axes neither an int nor an ordered sequence (a set, a dict, an iterator); init neither
                        a str nor an int; a dtype, layout or stream of a wrong type (None or bytes for dtype, a
                        float stream); a parameter name that is not a str, or
                        a value neither a number nor a name; a buffer, queue or wait_for event that is neither a
                        PyOpenCL object of that kind (pyopencl.Buffer, CommandQueue, Event) nor an int handle
                        (None in wait_for); wait_for not an iterable; a box mixing slices and ints.
            ValueError  offset_bytes, seed or stream outside [0, 2^64); a dimension or box start/extent
                        outside int64_t's [-2^63, 2^63); a raw handle outside [0, 2^64) or a NULL (0) event;
                        an unknown dtype (the message lists the accepted spellings) or layout; a malformed box
                        or a slice outside its dimension; an axis outside [-rank, rank) or repeated; axes
                        without layout 'axes'; a NUL character or a lone surrogate in a name (init, stream, a
                        parameter name or value); queue None on a caller's context; the context closed.
            clinit.Error  what clinit_fill_batch refuses, with the status of the first failing item:
                        INVALID_RANK, INVALID_SHAPE, INVALID_BOX, UNSUPPORTED_DTYPE (f64 without
                        cl_khr_fp64; i32 or i64 with an initializer other than constant, zeros and ones),
                        MISALIGNED_OFFSET, BUFFER_TOO_SMALL (offset_bytes + the tensor's bytes past the end of
                        its buffer), READ_ONLY_BUFFER (a buffer made with CL_MEM_READ_ONLY, or a sub-buffer of
                        one), INVALID_QUEUE (a queue, buffer or wait_for event of another context),
                        INVALID_PARAMETER (a value out of range, or a parameter PyTorch requires missing: val,
                        sparsity, fan_in; or two items whose bytes overlap, the message "items[i] and items[j]
                        overlap: bytes [a, b) and [c, d) of one buffer"; sub-buffers are compared in the
                        buffer they were made from), INVALID_MODE, INVALID_NONLINEARITY, INVALID_LAYOUT, INVALID_INIT,
                        UNKNOWN_PARAMETER; DEVICE_MEMORY (an orthogonal item's scratch does not fit the
                        device, scratch_bytes); OUT_OF_HOST_MEMORY; OPENCL (a query of the queue, a buffer or
                        an event failed, or an enqueue did); an enqueue or allocation failing after the first
                        launch may leave earlier groups enqueued (they write only their own tensors)."""
        if queue is None:
            queue = self.queue
            if queue is None:
                raise ValueError("queue is required for a Context made from a caller's cl_context")
        if isinstance(items, (str, bytes)) or not isinstance(items, (list, tuple)):
            raise TypeError("items must be a list or tuple of dicts (shape=..., init=..., ...), not %r" % (items,))
        seed, queue = _u64(seed, "seed"), _handle(queue, "queue", "queue")
        built = [_batch_item(i, item, buffer) for i, item in enumerate(items)]
        arr = (BatchItem * len(built))(*[b for b, _ in built]) if built else None
        nwait, wl, waited = _wait_list(wait_for)
        ev = ctypes.c_void_p(None)
        st = load().clinit_fill_batch(self._p(), queue, arr, len(built), seed, nwait, wl, ctypes.byref(ev))
        del waited  # held until here: their cl_events stay alive for the call (see _wait_list)
        self._check(st)
        return _wrap_event(ev.value)

    def sample(self, shape, init, dtype="f32", layout=None, seed=0, stream=None, box=None, in_axes=None,
               out_axes=None, batch_axes=None, queue=None, **params):
        """Fills a tensor in a temporary device buffer and returns its values as a new numpy array of the
        tensor's shape (the box's shape when box is given): float32 for dtype 'f32', float16 for 'f16', float64
        for 'f64', uint16 (the raw bits) for 'bf16', int32 for 'i32', int64 for 'i64'; bit for bit what reference() returns. The arguments are
        fill's, with the same types and ranges, without buffer, offset_bytes and wait_for (there is no buffer
        of the caller's; sample waits for its own fill). queue: a PyOpenCL queue or int handle of this context,
        or None: the Context.default() queue, or one made for this context.

        Raises what reference() raises (TypeError, ValueError, clinit.Error with the same messages; buffer,
        offset_bytes or wait_for given: TypeError saying whose argument it is, "sample() takes no offset_bytes:
        it returns a new array; offset_bytes is an argument of Context.fill"), and also TypeError/ValueError for
        a queue that is neither a pyopencl.CommandQueue nor an int handle in [0, 2^64), ValueError when the
        context is closed, clinit.Error UNSUPPORTED_DTYPE (f64 without cl_khr_fp64), INVALID_QUEUE, OPENCL, and
        OSError when the temporary buffer cannot be made or read. Nothing is allocated when the arguments are
        refused, nor when the fill cannot be on the device: clinit.Error OPENCL when the tensor's bytes (the
        box's, with box) are above CL_DEVICE_MAX_MEM_ALLOC_SIZE ("sample: the tensor's N bytes are above the
        device's largest buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE = M bytes)"), DEVICE_MEMORY when the fill's
        scratch does not fit beside it (clinit_scratch_fits: 'orthogonal of a 40000 x 40000 matrix needs
        19200160000 bytes of scratch besides 6400000000 bytes of other buffers, above the device's memory
        (CL_DEVICE_GLOBAL_MEM_SIZE = 23129018368 bytes)' for sample((40000, 40000), "orthogonal") on such a
        device)."""
        _refuse_call_args("sample", params, _SAMPLE_REFUSES)
        t, out_shape, npdtype = _tensor(shape, dtype, layout, 0, box, in_axes, out_axes, batch_axes)
        spec = _spec(init, params)
        _check_tensor(t, spec)  # a refused tensor, initializer or parameter costs no buffer
        self._check_fits(t, spec, _array_bytes(out_shape, npdtype.itemsize, "the values' shape"))
        out = np.empty(out_shape, dtype=npdtype)
        q = _handle(queue, "queue", "queue") or self.queue
        if not q:
            if not self._own_queue:
                self._own_queue = _cl.create_queue(self.cl_context, self.device)
            q = self._own_queue
        mem = _cl.create_buffer(self.cl_context, out.nbytes)
        try:
            ev = self.fill(q, mem, shape, init, dtype=dtype, layout=layout, seed=seed, stream=stream, box=box,
                           in_axes=in_axes, out_axes=out_axes, batch_axes=batch_axes, **params)
            _cl.read_buffer(q, mem, out.ctypes.data_as(ctypes.c_void_p), out.nbytes,
                            ev.int_ptr if ev is not None else None)
            if ev is not None:
                ev.wait()
        finally:
            _cl.lib().clReleaseMemObject(mem)
        return out

    def __repr__(self):
        return "<clinit.Context %s>" % ("closed" if self._ptr is None else hex(self._ptr.value or 0))
