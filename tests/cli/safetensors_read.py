"""Reading safetensors files with the Python standard library (no numpy, no safetensors package in CI).

Shared by tests/cli/test_cli.py and tests/mpi/test_mpi.py.
"""
import json
import math
import struct

DTYPE_SIZE = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I32": 4, "I64": 8}
INTEGER_CODE = {"I32": "i", "I64": "q"}


def decode(dtype, raw):
    """Values of little-endian raw bytes as Python numbers: F32, F16 and F64 with struct ('f', 'e', 'd'), BF16 as
    the top half of a float32 (bits << 16), I32 and I64 as ints."""
    n = len(raw) // DTYPE_SIZE[dtype]
    if dtype in INTEGER_CODE:
        return list(struct.unpack("<%d%s" % (n, INTEGER_CODE[dtype]), raw))
    if dtype == "F32":
        return list(struct.unpack("<%df" % n, raw))
    if dtype == "F16":
        return list(struct.unpack("<%de" % n, raw))
    if dtype == "F64":
        return list(struct.unpack("<%dd" % n, raw))
    return [struct.unpack("<f", struct.pack("<I", h << 16))[0] for h in struct.unpack("<%dH" % n, raw)]


def read_safetensors(path):
    """(header dict, data bytes) of a safetensors file, checking offsets are contiguous and cover the data."""
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    assert (8 + n) % 8 == 0, "data not 8-aligned"
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    end = 0
    for name, t in header.items():
        if name == "__metadata__":
            continue
        assert t["dtype"] in DTYPE_SIZE, t
        b, e = t["data_offsets"]
        assert b == end, "%s: begins at %d, previous ended at %d" % (name, b, end)
        assert e - b == DTYPE_SIZE[t["dtype"]] * math.prod(t["shape"]), "%s: size" % name
        end = e
    assert end == len(body), "offsets end at %d, data has %d bytes" % (end, len(body))
    return header, body


def tensor(header, body, name):
    """(list of floats, raw little-endian bytes) of one tensor, whatever its dtype."""
    b, e = header[name]["data_offsets"]
    raw = body[b:e]
    return decode(header[name]["dtype"], raw), raw


def raw_tensor(path, name):
    """The little-endian bytes of one tensor of a safetensors file, read alone (for files of hundreds of MB,
    which read_safetensors would hold whole and tensor() would decode to Python floats)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        b, e = json.loads(f.read(n))[name]["data_offsets"]
        f.seek(8 + n + b)
        raw = f.read(e - b)
    assert len(raw) == e - b, "%s: %s is cut short" % (path, name)
    return raw
