"""Reading and writing safetensors files with numpy only (the format `clinit init` writes).

A file is an 8-byte little-endian header length, a JSON header {name: {"dtype", "shape", "data_offsets"},
"__metadata__": {str: str}}, and the tensors' little-endian bytes. numpy has no bfloat16: BF16 tensors are read
as uint16 arrays of the raw bits (bf16_to_f32 widens them exactly), and written from uint16 arrays whose names
are listed in `bf16=`.
"""
import collections.abc
import json
import math
import os
import stat
import struct
import sys

import numpy as np

from ._atomic import atomic_write

_TO_NUMPY = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
             "I8": "i1", "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?"}
_FROM_NUMPY = {"float64": "F64", "float32": "F32", "float16": "F16", "int64": "I64", "int32": "I32",
               "int16": "I16", "int8": "I8", "uint64": "U64", "uint32": "U32", "uint16": "U16", "uint8": "U8",
               "bool": "BOOL"}


# The element size in bytes of the safetensors dtypes whose data_offsets can be checked against their shape
# (every one of _TO_NUMPY, and the 8-bit floats numpy has no dtype for).
_ITEMSIZE = dict({k: np.dtype(v).itemsize for k, v in _TO_NUMPY.items()}, F8_E5M2=1, F8_E4M3=1, F8_E8M0=1)


# The largest header the safetensors library reads (MAX_HEADER_SIZE in its tensor.rs, bytes after the 8-byte
# length): a larger one is refused there (HeaderTooLarge), so it is refused here too, before anything is read
# or written.
HEADER_LIMIT = 100_000_000
# numpy's limit on an array's bytes (npy_intp): the product of the non-zero dimensions times the item size.
# An empty array of a larger shape, (0, 2**63 - 1), cannot be made either.
ARRAY_BYTES_LIMIT = 2**63 - 1


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs):
    """json.loads keeps the last of two equal keys: the first tensor of a name would be silently dropped."""
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise _Duplicate("the key %r appears twice in one object of the header" % (k,))
        seen.add(k)
    return dict(pairs)


def _header_length(path, raw, size):
    """N, the header's length, from the first 8 bytes of a file of `size` bytes (None: not known, a pipe);
    ValueError past the file or above HEADER_LIMIT, so that no N bytes are allocated for a hostile N."""
    if len(raw) < 8:
        raise ValueError("%s: not a safetensors file (%d bytes)" % (path, len(raw)))
    n = struct.unpack("<Q", raw[:8])[0]
    if n > HEADER_LIMIT:
        raise ValueError("%s: header of %d bytes, above the %d that the safetensors library reads "
                         "(its MAX_HEADER_SIZE)" % (path, n, HEADER_LIMIT))
    if size is not None and 8 + n > size:
        raise ValueError("%s: header of %d bytes runs past the end of the file" % (path, n))
    return n


def _utf8(text, what, path=None):
    """text, refused (ValueError, after "PATH: " when reading) when UTF-8 cannot encode it: json.dumps writes a
    lone surrogate ("\\ud800") as the escape \\ud800, a header the safetensors library and other strict JSON
    readers refuse."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError("%s%s %r is not valid text (UTF-8 cannot encode it: %s)"
                         % ("%s: " % (path,) if path is not None else "", what, text, e.reason)) from None
    return text


def _parse_header(path, raw):
    """The header, a dict, of a file's first 8 + N bytes `raw`."""
    n = _header_length(path, raw, len(raw))
    try:
        header = json.loads(bytes(raw[8:8 + n]).decode("utf-8"), object_pairs_hook=_no_duplicates)
    except _Duplicate as e:
        raise ValueError("%s: %s" % (path, e)) from None
    except ValueError as e:  # UnicodeDecodeError and json.JSONDecodeError
        raise ValueError("%s: the header is not JSON text (UTF-8): %s" % (path, e)) from None
    except RecursionError:
        raise ValueError("%s: the header nests arrays or objects deeper than Python's recursion limit (%d)"
                         % (path, sys.getrecursionlimit())) from None
    if not isinstance(header, dict):
        raise ValueError("%s: the header must be a JSON object {name: {\"dtype\", \"shape\", \"data_offsets\"}}, "
                         "not a JSON %s" % (path, type(header).__name__))
    meta = header.get("__metadata__", {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise ValueError("%s: \"__metadata__\" must be an object of strings, not %r" % (path, meta))
    for k, v in meta.items():
        _utf8(k, "metadata key", path)
        _utf8(v, "metadata value of %r" % (k,), path)
    for name in header:
        _utf8(name, "tensor name", path)
    return header, n


def _read_header(path, f):
    """(header, N) of the open file f, reading only its first 8 + N bytes."""
    raw = f.read(8)
    st = os.fstat(f.fileno())
    if len(raw) == 8:
        raw += f.read(_header_length(path, raw, st.st_size if stat.S_ISREG(st.st_mode) else None))
    return _parse_header(path, raw)


def _array_bytes(shape, itemsize, what):
    """The bytes of an array of shape (elements times itemsize); ValueError, the message starting with `what`,
    when numpy cannot make one."""
    nonzero = itemsize
    for d in shape:
        if d:
            nonzero *= d
            if nonzero > ARRAY_BYTES_LIMIT:
                raise ValueError("%s %r: its non-zero dimensions times %d bytes are above 2^63 - 1, numpy's limit "
                                 "on an array (even an empty one)" % (what, tuple(shape), itemsize))
    return 0 if 0 in shape else nonzero


def _natural(v):
    """A JSON integer (not a bool, not a float) >= 0."""
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _entries(path, header, size):
    """{name: (dtype, shape, (begin, end))} of every tensor of a header, each field checked, and the offsets
    checked against the format's rule: the data is `size` bytes, every byte of it one tensor's (no overlap, no
    hole: the safetensors library refuses both). ValueError naming the tensor and the field."""
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        where = "%s: tensor %r" % (path, name)
        if not isinstance(info, dict):
            raise ValueError("%s: must be an object {\"dtype\", \"shape\", \"data_offsets\"}, not %r"
                             % (where, info))
        for field in ("dtype", "shape", "data_offsets"):
            if field not in info:
                raise ValueError("%s: no \"%s\"" % (where, field))
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if not isinstance(dtype, str):
            raise ValueError("%s: \"dtype\" must be a string, not %r" % (where, dtype))
        if not isinstance(shape, list) or not all(_natural(d) for d in shape):
            raise ValueError("%s: \"shape\" must be a list of integers >= 0, not %r" % (where, shape))
        if not isinstance(offsets, list) or len(offsets) != 2 or not all(_natural(o) for o in offsets):
            raise ValueError("%s: \"data_offsets\" must be [begin, end], two integers >= 0, not %r"
                             % (where, offsets))
        begin, end = offsets
        if not begin <= end <= size:
            raise ValueError("%s: \"data_offsets\" %r are not within the %d bytes of data (begin <= end <= %d)"
                             % (where, offsets, size, size))
        nbytes = _array_bytes(shape, _ITEMSIZE.get(dtype, 1), '%s: "shape"' % where)
        if dtype in _ITEMSIZE and end - begin != nbytes:
            raise ValueError("%s: \"data_offsets\" %r hold %d bytes, not the %d of %s %s"
                             % (where, offsets, end - begin, nbytes, tuple(shape), dtype))
        out[name] = (dtype, tuple(shape), (begin, end))
    at, last = 0, None
    for name, (_, _, (begin, end)) in sorted(out.items(), key=lambda kv: kv[1][2]):
        if begin < at:
            raise ValueError("%s: tensors %r and %r overlap: \"data_offsets\" %r and %r" % (
                path, last, name, list(out[last][2]), [begin, end]))
        if begin > at:
            raise ValueError("%s: bytes [%d, %d) of the data are no tensor's (the format allows no holes)"
                             % (path, at, begin))
        at, last = end, name
    if at != size:
        raise ValueError("%s: bytes [%d, %d) of the data are no tensor's (the format allows no holes)"
                         % (path, at, size))
    return out


def _path(path):
    """open() takes an int as a file descriptor, which it closes afterwards: save_file(d, 1) wrote to stdout and
    closed it. Only file paths are taken."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError("path must be a file path (str, bytes or os.PathLike), not %r" % (path,))
    return path


def read_header(path):
    """The JSON header of a safetensors file, as a dict (with "__metadata__" when present). Only the first 8 + N
    bytes are read, N the header's length, at most HEADER_LIMIT (100,000,000 bytes: the safetensors library's).
    Raises OSError (the file cannot be read), ValueError (no header; a length N above HEADER_LIMIT or past the
    end of the file; a header that is not UTF-8 JSON text, nests deeper than Python's recursion limit, is not
    a JSON object, has duplicate names, or whose "__metadata__" is not an object of strings; a name, metadata
    key or value that is a lone surrogate such as "\\ud800", which UTF-8 cannot encode). Never another
    exception for a hostile file (no RecursionError, OverflowError or MemoryError). The tensors' entries are
    not checked: load_file does.
    path: a file path (str, bytes or os.PathLike); another type (an int file descriptor) is a TypeError."""
    with open(_path(path), "rb") as f:
        return _read_header(path, f)[0]


def load_file(path, names=None):
    """{name: numpy array} of a safetensors file (only the tensors named in `names`, a collection of str, when
    given; names that are not in the file are ignored). BF16 tensors are uint16 arrays of the raw bits.

    The whole header is checked as the safetensors format defines it, the tensors not loaded included: a JSON
    object without duplicate names; "__metadata__", when present, an object of strings; every other entry an
    object with "dtype" (a string), "shape" (a list of integers >= 0) and "data_offsets" ([begin, end],
    integers with begin <= end <= the data's size, end - begin the bytes of the shape in that dtype; a shape
    whose non-zero dimensions times the item size stay within 2^63 - 1 bytes, ARRAY_BYTES_LIMIT, numpy's limit
    on an array, an empty one included); and the tensors' byte ranges, in order, follow each other from 0 to the
    data's end without a gap or an overlap, as the safetensors library requires (two tensors with the same
    non-empty offsets overlap, and so does an empty tensor placed inside another's bytes).
    path: a file path (str, bytes or os.PathLike).
    Raises TypeError (path of another type, an int file descriptor included; names a str, which would match
    its substrings, or not a collection), OSError (the file
    cannot be read), ValueError (not a safetensors file; a header read_header refuses; a header that breaks the
    rules above, the message naming the tensor and the field; a tensor to load whose dtype numpy cannot hold).
    Never another exception for a hostile file (no RecursionError, OverflowError or MemoryError)."""
    if names is not None:
        if isinstance(names, (str, bytes)) or not isinstance(names, collections.abc.Iterable):
            raise TypeError("names must be a collection of tensor names or None, not %r" % (names,))
        names = set(names)
    with open(_path(path), "rb") as f:
        header, n = _read_header(path, f)
        body = memoryview(f.read())
    out = {}
    for name, (dtype, shape, (begin, end)) in _entries(path, header, len(body)).items():
        if names is not None and name not in names:
            continue
        if dtype not in _TO_NUMPY:
            raise ValueError("%s: tensor %r has dtype %s, which numpy cannot hold" % (path, name, dtype))
        out[name] = np.frombuffer(body[begin:end], dtype=np.dtype(_TO_NUMPY[dtype])).reshape(shape).copy()
    return out


def save_file(tensors, path, metadata=None, bf16=()):
    """Writes {name: numpy array} as a safetensors file, in the dict's order. Arrays whose names are in `bf16`
    must be uint16 (raw bfloat16 bits, as clinit returns them) and are stored as BF16. metadata: a dict (or None),
    its keys and values stored as str(key), str(value).
    Names are non-empty strings other than "__metadata__" (the header's key for the metadata); every name in
    `bf16` must be one of the tensors'. Nothing is written when an argument is refused.
    path: a file path (str, bytes or os.PathLike), replaced if it exists, atomically (clinit._atomic: a
    temporary file in the same folder, flushed and fsync'ed, then renamed over it; the replaced file's
    permissions kept): a failure at any point (a full disk, an interrupt) leaves the old file as it was. A
    character device, FIFO or socket is written in place.
    Raises TypeError (tensors not a dict; path of another type, an int file descriptor included (open() would
    write to it and close it); metadata neither a dict nor None; bf16 a str or not a collection; a
    name that is not a str; a bf16 tensor that is not uint16; a dtype safetensors has no name for), ValueError
    (an empty or "__metadata__" name; a name, or a metadata key or value once made a str, that UTF-8 cannot
    encode: a lone surrogate such as "\\ud800"; a bf16 name that is not one of the tensors; a header above
    HEADER_LIMIT, 100,000,000 bytes, which the safetensors library would refuse to read), OSError (writing
    fails)."""
    if not isinstance(tensors, collections.abc.Mapping):
        raise TypeError("tensors must be a dict {name: numpy array}, not %r" % (tensors,))
    _path(path)
    if metadata is not None and not isinstance(metadata, collections.abc.Mapping):
        raise TypeError("metadata must be a dict {str: str} or None, not %r" % (metadata,))
    if isinstance(bf16, (str, bytes)):
        raise TypeError("bf16 must be a collection of tensor names, not the string %r" % (bf16,))
    if not isinstance(bf16, collections.abc.Iterable):
        raise TypeError("bf16 must be a collection of tensor names, not %r" % (bf16,))
    bf16 = set(bf16)
    for name in tensors:
        if not isinstance(name, str):
            raise TypeError("tensor name %r is not a str" % (name,))
        if not name or name == "__metadata__":
            raise ValueError("%r is not a tensor name (empty, or \"__metadata__\": reserved for the metadata)"
                             % (name,))
        _utf8(name, "tensor name")
    missing = sorted(str(n) for n in bf16 if n not in tensors)
    if missing:
        raise ValueError("bf16 names %s, which are not tensors being saved" % ", ".join(map(repr, missing)))
    header = {}
    if metadata:
        header["__metadata__"] = {_utf8(str(k), "metadata key"): _utf8(str(v), "metadata value of %r" % (k,))
                                  for k, v in metadata.items()}
    blobs, offset = [], 0
    for name, array in tensors.items():
        a = np.asarray(array)
        if name in bf16:
            if a.dtype != np.uint16:
                raise TypeError("%s: a bf16 tensor must be a uint16 array of raw bits, not %s" % (name, a.dtype))
            dtype = "BF16"
        elif a.dtype.name in _FROM_NUMPY:
            dtype = _FROM_NUMPY[a.dtype.name]
        else:
            raise TypeError("%s: dtype %s has no safetensors equivalent" % (name, a.dtype))
        raw = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(8 + len(text)) % 8)  # the data starts 8-byte aligned, as `clinit init` writes it
    if len(text) > HEADER_LIMIT:
        raise ValueError("the header would be %d bytes, above the %d that the safetensors library reads (its "
                         "MAX_HEADER_SIZE): save fewer tensors per file" % (len(text), HEADER_LIMIT))
    with atomic_write(path) as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def bf16_to_f32(bits):
    """float32 values (an array of bits' shape) of raw bfloat16 bits: exact. bits: an int or an array-like of
    ints in [0, 2^16) (uint16 as clinit returns bf16 values; any integer dtype whose values fit).
    Raises TypeError (bits not integers: floats, bools, strings; an empty array of any dtype is allowed),
    ValueError (a value outside [0, 2^16), which uint16 would wrap)."""
    raw = np.asarray(bits)
    if raw.dtype == object and raw.size and all(_is_int(v) for v in raw.flat):
        # ints numpy could not fit in int64/uint64 (2**70) are out of range, not of the wrong type
        lo, hi = min(int(v) for v in raw.flat), max(int(v) for v in raw.flat)
        if lo < 0 or hi > 0xFFFF:
            raise ValueError("bits must be in [0, 2^16) (uint16 bfloat16 bit patterns): %d" % (lo if lo < 0 else hi))
        raw = raw.astype(np.int64)
    if raw.size and (raw.dtype.kind not in "ui"):
        raise TypeError("bits must be integers (uint16 bfloat16 bit patterns), not an array of %s" % raw.dtype)
    if raw.size and raw.dtype != np.uint16 and (raw.min() < 0 or raw.max() > 0xFFFF):
        raise ValueError("bits must be in [0, 2^16) (uint16 bfloat16 bit patterns): %d" %
                         (raw.min() if raw.min() < 0 else raw.max()))
    bits = raw.astype(np.uint16)
    wide = bits.reshape(-1).astype(np.uint32) << np.uint32(16)  # 1-D: no 0-d value-based casting (numpy < 2)
    return wide.view(np.float32).reshape(bits.shape)


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _int_to_f32(v):
    """The float32 nearest the int v (ties to even; inf beyond float32's range), as np.float32. Python ints too
    wide for int64/uint64 reach numpy as objects, and float(v) would round twice (to 53 bits, then 24) or
    overflow: the 24-bit significand is rounded here, once."""
    a = abs(v)
    shift = max(a.bit_length() - 24, 0)
    q, r = divmod(a, 1 << shift)
    if shift and (r > 1 << (shift - 1) or (r == 1 << (shift - 1) and q & 1)):
        q += 1
    if q.bit_length() + shift > 128:  # rounded to 2^128 or above: float32's overflow is inf
        return np.float32(-np.inf if v < 0 else np.inf)
    return np.float32(math.ldexp(-q if v < 0 else q, shift))  # exact: q < 2^25, and within float32's range


def f32_to_bf16(values):
    """Raw bfloat16 bits (a uint16 array of values' shape) of float32 values, rounded to nearest even as clinit
    rounds (NaN stays NaN). values: a real number or an array-like of them (ints and floats of any width are
    converted to float32 first, each rounded once to the nearest float32: 2**70 is float32 2^70, bits 0x6280;
    an int beyond float32's range is inf, 0x7F80).
    Raises TypeError (values that are not real numbers: bools, complex numbers, strings, objects; an empty
    array of any dtype is allowed)."""
    raw = np.asarray(values)
    if raw.dtype == object and all(_is_int(v) or isinstance(v, (float, np.floating)) for v in raw.flat):
        values = np.array([_int_to_f32(int(v)) if _is_int(v) else np.float32(v) for v in raw.flat],
                          dtype=np.float32).reshape(raw.shape)
    elif raw.size and raw.dtype.kind not in "uif":
        raise TypeError("values must be real numbers (float32 values), not an array of %s" % raw.dtype)
    else:
        values = raw.astype(np.float32)
    x = values.reshape(-1).view(np.uint32)
    rounded = (x + np.uint32(0x7FFF) + ((x >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)
    nan = (x & np.uint32(0x7FFFFFFF)) > np.uint32(0x7F800000)
    out = np.where(nan, (x >> np.uint32(16)) | np.uint32(0x40), rounded).astype(np.uint16)
    return out.reshape(values.shape)
