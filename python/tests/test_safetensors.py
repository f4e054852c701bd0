"""safetensors helpers: round trips with every dtype (bf16 as uint16 bits), and the files `clinit init` writes
(when ctest gives CLINIT_CLI) read back equal to clinit.reference with the tensors' named streams."""
import json
import os
import stat
import struct
import subprocess

import numpy as np
import pytest

import clinit
from clinit import safetensors


def test_round_trip(tmp_path):
    t = {"w": clinit.reference((4, 3), "normal", seed=1),
         "h": clinit.reference((5,), "uniform", dtype="f16", seed=2),
         "b": clinit.reference((2, 2), "normal", dtype="bf16", seed=3),
         "i": np.arange(6, dtype=np.int64).reshape(2, 3), "u": np.arange(4, dtype=np.uint16),
         "s": np.zeros((), np.float64), "e": np.zeros((0, 3), np.float32)}
    path = tmp_path / "t.safetensors"
    clinit.save_safetensors(t, path, metadata={"seed": 1}, bf16=["b"])
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    assert (8 + n) % 8 == 0
    header = safetensors.read_header(path)
    assert header["__metadata__"] == {"seed": "1"}
    assert header["b"]["dtype"] == "BF16" and header["u"]["dtype"] == "U16" and header["h"]["dtype"] == "F16"
    assert list(header)[1:] == list(t)  # the dict's order
    back = clinit.load_safetensors(path)
    assert set(back) == set(t)
    for k in t:
        assert back[k].dtype == t[k].dtype and back[k].shape == t[k].shape
        np.testing.assert_array_equal(back[k], t[k])
    assert set(clinit.load_safetensors(path, names=["w"])) == {"w"}


def test_bad_files(tmp_path):
    p = tmp_path / "bad.safetensors"
    with pytest.raises(TypeError):
        clinit.save_safetensors({"x": np.zeros(2, np.float32)}, p, bf16=["x"])
    h = json.dumps({"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 12]}}).encode()
    p.write_bytes(struct.pack("<Q", len(h)) + h + bytes(12))
    with pytest.raises(ValueError):
        clinit.load_safetensors(p)


def write_raw(path, header, data=b""):
    """A safetensors file of a header (bytes as given, else its JSON) and data bytes."""
    h = header if isinstance(header, bytes) else json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(h)) + h + data)
    return path


def f32(shape, begin, end):
    return {"dtype": "F32", "shape": shape, "data_offsets": [begin, end]}


OBJECT = 'an object {"dtype", "shape", "data_offsets"}'
# (header, data bytes, message after "PATH: "): what load_safetensors refuses, every case a ValueError (they
# were AttributeError, TypeError, KeyError or OverflowError, or were read: overlapping or identical offsets).
MALFORMED = [
    ([1, 2], b"", 'the header must be a JSON object {name: {"dtype", "shape", "data_offsets"}}, not a JSON list'),
    (b"{\"a\": ", b"", "the header is not JSON text (UTF-8): Expecting value: line 1 column 7 (char 6)"),
    (b"\xff", b"", "the header is not JSON text (UTF-8): 'utf-8' codec can't decode byte 0xff in position 0: "
                   "invalid start byte"),
    ({"a": 5}, b"", "tensor 'a': must be %s, not 5" % OBJECT),
    ({"a": {"shape": [1], "data_offsets": [0, 4]}}, bytes(4), "tensor 'a': no \"dtype\""),
    ({"a": {"dtype": "F32", "data_offsets": [0, 4]}}, bytes(4), "tensor 'a': no \"shape\""),
    ({"a": {"dtype": "F32", "shape": [1]}}, bytes(4), "tensor 'a': no \"data_offsets\""),
    ({"a": {"dtype": 5, "shape": [1], "data_offsets": [0, 4]}}, bytes(4),
     "tensor 'a': \"dtype\" must be a string, not 5"),
    ({"a": f32(None, 0, 4)}, bytes(4), "tensor 'a': \"shape\" must be a list of integers >= 0, not None"),
    ({"a": f32([1.5], 0, 4)}, bytes(4), "tensor 'a': \"shape\" must be a list of integers >= 0, not [1.5]"),
    ({"a": f32([True], 0, 4)}, bytes(4), "tensor 'a': \"shape\" must be a list of integers >= 0, not [True]"),
    ({"a": f32([-1], 0, 4)}, bytes(4), "tensor 'a': \"shape\" must be a list of integers >= 0, not [-1]"),
    ({"a": f32([2**70], 0, 4)}, bytes(4), "tensor 'a': \"shape\" (1180591620717411303424,): its non-zero "
                                          "dimensions times 4 bytes are above 2^63 - 1, numpy's limit on an array "
                                          "(even an empty one)"),
    ({"a": {"dtype": "F32", "shape": [1], "data_offsets": "ab"}}, bytes(4),
     "tensor 'a': \"data_offsets\" must be [begin, end], two integers >= 0, not 'ab'"),
    ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 2, 4]}}, bytes(4),
     "tensor 'a': \"data_offsets\" must be [begin, end], two integers >= 0, not [0, 2, 4]"),
    ({"a": f32([1], 4, 0)}, bytes(4),
     "tensor 'a': \"data_offsets\" [4, 0] are not within the 4 bytes of data (begin <= end <= 4)"),
    ({"a": f32([4], 0, 16)}, bytes(12),
     "tensor 'a': \"data_offsets\" [0, 16] are not within the 12 bytes of data (begin <= end <= 12)"),
    ({"a": f32([4], 0, 12)}, bytes(12), "tensor 'a': \"data_offsets\" [0, 12] hold 12 bytes, not the 16 of (4,) F32"),
    ({"a": f32([1], 0, 4), "b": f32([1], 0, 4)}, bytes(4),
     "tensors 'a' and 'b' overlap: \"data_offsets\" [0, 4] and [0, 4]"),
    ({"a": f32([2], 0, 8), "b": f32([2], 4, 12)}, bytes(12),
     "tensors 'a' and 'b' overlap: \"data_offsets\" [0, 8] and [4, 12]"),
    ({"a": f32([2], 0, 8), "e": f32([0], 4, 4)}, bytes(8),
     "tensors 'a' and 'e' overlap: \"data_offsets\" [0, 8] and [4, 4]"),
    ({"a": f32([1], 4, 8)}, bytes(8), "bytes [0, 4) of the data are no tensor's (the format allows no holes)"),
    ({"a": f32([1], 0, 4)}, bytes(8), "bytes [4, 8) of the data are no tensor's (the format allows no holes)"),
    (b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F32", "shape": [1], '
     b'"data_offsets": [4, 8]}}', bytes(8), "the key 'a' appears twice in one object of the header"),
    ({"__metadata__": {"seed": 1}}, b"", "\"__metadata__\" must be an object of strings, not {'seed': 1}"),
    ({"__metadata__": [1]}, b"", "\"__metadata__\" must be an object of strings, not [1]"),
]


@pytest.mark.parametrize("header, data, message", MALFORMED)
def test_malformed_headers_are_value_errors(tmp_path, header, data, message):
    p = write_raw(tmp_path / "bad.safetensors", header, data)
    for names in (None, ["zz"]):  # the tensors that are not loaded are checked too
        with pytest.raises(ValueError) as e:
            clinit.load_safetensors(p, names=names)
        assert type(e.value) is ValueError and str(e.value) == "%s: %s" % (p, message)


def test_offsets_the_format_allows(tmp_path):
    """Empty tensors at a boundary (several at one offset), tensors in any order in the header, and a dtype
    numpy cannot hold when it is not loaded."""
    header = {"b": f32([1], 4, 8), "e1": f32([0], 4, 4), "e2": f32([2, 0], 4, 4), "a": f32([1], 0, 4),
              "e3": f32([0], 8, 8), "f8": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [8, 10]}}
    p = write_raw(tmp_path / "ok.safetensors", header, np.array([1, 2], np.float32).tobytes() + bytes(2))
    got = clinit.load_safetensors(p, names=["a", "b", "e1", "e2", "e3"])
    assert {k: v.tolist() for k, v in got.items()} == {"a": [1.0], "b": [2.0], "e1": [], "e2": [[], []], "e3": []}
    with pytest.raises(ValueError) as e:
        clinit.load_safetensors(p)
    assert str(e.value) == "%s: tensor 'f8' has dtype F8_E4M3, which numpy cannot hold" % p


@pytest.mark.skipif(not os.environ.get("CLINIT_CLI"), reason="CLINIT_CLI (the clinit tool) not given")
def test_clinit_init_file(tmp_path):
    manifest = {"seed": 5, "layout": "oi", "tensors": [
        {"name": "conv.weight", "shape": [8, 3, 3, 3], "init": "kaiming_normal",
         "params": {"mode": "fan_out", "nonlinearity": "relu"}},
        {"name": "fc.weight", "shape": [10, 72], "init": "linear_default_weight"},
        {"name": "fc.bias", "shape": [10], "init": "linear_default_bias", "fan_from": "fc.weight"}]}
    m = tmp_path / "m.json"
    m.write_text(json.dumps(manifest))
    out = tmp_path / "m.safetensors"
    subprocess.run([os.environ["CLINIT_CLI"], "init", "--manifest", str(m), "--out", str(out)], check=True,
                   capture_output=True)
    got = clinit.load_safetensors(out)
    np.testing.assert_array_equal(got["conv.weight"], clinit.reference(
        (8, 3, 3, 3), "kaiming_normal", seed=5, stream="conv.weight", mode="fan_out", nonlinearity="relu"))
    np.testing.assert_array_equal(got["fc.weight"], clinit.reference((10, 72), "linear_default_weight", seed=5,
                                                                     stream="fc.weight"))
    np.testing.assert_array_equal(got["fc.bias"], clinit.reference((10,), "linear_default_bias", seed=5,
                                                                   stream="fc.bias", fan_in=72))


def test_refused_names(tmp_path):
    """__metadata__ is the header's key for the metadata, an empty name is none, and bf16 must name tensors
    that are saved: each raises, and no file is written."""
    w = np.zeros(2, np.float32)
    p = tmp_path / "refused.safetensors"
    for tensors, kw, error in (({"__metadata__": w}, {}, ValueError), ({"": w}, {}, ValueError),
                               ({1: w}, {}, TypeError), ({"w": w}, {"bf16": ["zz"]}, ValueError),
                               ({"w": w}, {"bf16": "w"}, TypeError)):
        with pytest.raises(error):
            clinit.save_safetensors(tensors, p, **kw)
        assert not p.exists()
    with pytest.raises(ValueError, match="zz"):
        clinit.save_safetensors({"w": w, "b": np.zeros(2, np.uint16)}, p, bf16=["b", "zz"])


def test_names_utf8_cannot_encode_are_refused(tmp_path):
    """save_safetensors({"\ud800": a}) wrote the header escape \ud800, which the safetensors library and other
    strict JSON readers refuse; metadata went the same way. Refused, as everywhere in the package, and no file is
    written."""
    w = np.zeros(2, np.float32)
    p = tmp_path / "surrogate.safetensors"
    for kw, message in (
            (dict(tensors={"ok": w, "a\ud800": w}),
             "tensor name 'a\\ud800' is not valid text (UTF-8 cannot encode it: surrogates not allowed)"),
            (dict(tensors={"ok": w}, metadata={"k\udfff": "v"}),
             "metadata key 'k\\udfff' is not valid text (UTF-8 cannot encode it: surrogates not allowed)"),
            (dict(tensors={"ok": w}, metadata={"k": "\ud800"}),
             "metadata value of 'k' '\\ud800' is not valid text (UTF-8 cannot encode it: surrogates not allowed)")):
        with pytest.raises(ValueError) as e:
            clinit.save_safetensors(path=p, **kw)
        assert type(e.value) is ValueError and str(e.value) == message
        assert not p.exists()
    clinit.save_safetensors({"é\U0001F600": w}, p, metadata={"ü": "\u2603"})  # valid text of any plane
    assert list(clinit.load_safetensors(p)) == ["é\U0001F600"]
    assert safetensors.read_header(p)["__metadata__"] == {"ü": "\u2603"}


def raw_file(header, data=b""):
    return struct.pack("<Q", len(header)) + header + data


NUMPY_LIMIT = "its non-zero dimensions times %d bytes are above 2^63 - 1, numpy's limit on an array (even an empty one)"
SURROGATE = "is not valid text (UTF-8 cannot encode it: surrogates not allowed)"
# (raw file bytes, message after "PATH: ", whether read_header refuses it too): hostile files. They raised
# OverflowError or MemoryError (a header length read as the size to allocate), RecursionError (deep nesting),
# OverflowError or a numpy ValueError on loading (an empty tensor of a huge extent), or were read (a name that
# is a lone surrogate, which save_file refuses to write and the safetensors library to read).
HOSTILE = [
    (struct.pack("<Q", 2**64 - 1), "header of 18446744073709551615 bytes, above the 100000000 that the "
                                   "safetensors library reads (its MAX_HEADER_SIZE)", True),
    (struct.pack("<Q", 2**40) + b"{}", "header of 1099511627776 bytes, above the 100000000 that the safetensors "
                                       "library reads (its MAX_HEADER_SIZE)", True),
    (struct.pack("<Q", 100000001) + b"{}", "header of 100000001 bytes, above the 100000000 that the safetensors "
                                           "library reads (its MAX_HEADER_SIZE)", True),
    (struct.pack("<Q", 50) + b"{}", "header of 50 bytes runs past the end of the file", True),
    (struct.pack("<Q", 200000) + b"[" * 200000, "the header nests arrays or objects deeper than Python's recursion "
                                                "limit (%d)", True),
    (raw_file(b'{"\\ud800": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}', bytes(4)),
     "tensor name '\\ud800' " + SURROGATE, True),
    (raw_file(b'{"__metadata__": {"\\udfff": ""}}'), "metadata key '\\udfff' " + SURROGATE, True),
    (raw_file(b'{"__metadata__": {"k": "\\ud800"}}'), "metadata value of 'k' '\\ud800' " + SURROGATE, True),
]


def numpy_case(shape, dtype="F32", size=4):
    h = json.dumps({"e": {"dtype": dtype, "shape": shape, "data_offsets": [0, 0]}}).encode()
    return (raw_file(h), "tensor 'e': \"shape\" %r: %s" % (tuple(shape), NUMPY_LIMIT % size), False)


HOSTILE += [numpy_case([0, 2**63]), numpy_case([0, 2**63 - 1]), numpy_case([2**62, 2, 0]),
            numpy_case([0, 2**62], "F16", 2), numpy_case([0] + [2**62] * 100000)]


@pytest.mark.parametrize("raw, message, in_header", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_files_are_value_errors(tmp_path, raw, message, in_header):
    import sys
    p = tmp_path / "hostile.safetensors"
    p.write_bytes(raw)
    if "%d" in message:
        message %= sys.getrecursionlimit()
    readers = [clinit.load_safetensors, lambda path: clinit.load_safetensors(path, names=["zz"])]
    if in_header:
        readers.append(safetensors.read_header)
    for read in readers:
        with pytest.raises(ValueError) as e:
            read(p)
        assert type(e.value) is ValueError and str(e.value) == "%s: %s" % (p, message)


def test_largest_empty_tensor_numpy_holds(tmp_path):
    """(0, (2^63 - 1) // 4) float32 is the largest empty array numpy makes: read back."""
    most = (2**63 - 1) // 4
    h = json.dumps({"e": {"dtype": "F32", "shape": [0, most], "data_offsets": [0, 0]}}).encode()
    p = tmp_path / "edge.safetensors"
    p.write_bytes(struct.pack("<Q", len(h)) + h)
    assert clinit.load_safetensors(p)["e"].shape == (0, most)


def test_values_numpy_cannot_hold():
    """reference((0, 2^63 - 1)) reached numpy's own 'array is too big'; refused naming the limit, and a box
    numpy holds of such a shape is made."""
    for shape, size, dtype in (((0, 2**63 - 1), 4, "f32"), ((2**61, 0, 4), 4, "f32"), ((0, 2**62), 2, "f16")):
        with pytest.raises(ValueError) as e:
            clinit.reference(shape, "normal", dtype=dtype)
        assert str(e.value) == "the values' shape %r: %s" % (shape, NUMPY_LIMIT % size)
    assert clinit.reference((0, 2**63 - 1), "normal", box=(slice(0, 0), slice(0, 3))).shape == (0, 3)


def test_save_replaces_atomically(tmp_path):
    """The replaced file keeps its permissions; a new one gets 0666 less the umask; nothing else is left."""
    a = {"w": np.arange(6, dtype=np.float32)}
    p = tmp_path / "t.safetensors"
    p.write_bytes(b"old")
    for mode in (0o600, 0o640, 0o755):
        os.chmod(p, mode)
        clinit.save_safetensors(a, p)
        assert stat.S_IMODE(os.stat(p).st_mode) == mode
        np.testing.assert_array_equal(clinit.load_safetensors(p)["w"], a["w"])
    old = os.umask(0o027)
    try:
        clinit.save_safetensors(a, tmp_path / "new.safetensors")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.safetensors").st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["new.safetensors", "t.safetensors"]
    # through a symbolic link: the file at its end is replaced, the link stays a link
    os.mkdir(tmp_path / "real")
    target = tmp_path / "real" / "r.safetensors"
    target.write_bytes(b"old")
    os.symlink(target, tmp_path / "link.safetensors")
    clinit.save_safetensors(a, tmp_path / "link.safetensors")
    assert os.path.islink(tmp_path / "link.safetensors") and list(clinit.load_safetensors(target)) == ["w"]
    assert os.listdir(tmp_path / "real") == ["r.safetensors"]
    clinit.save_safetensors(a, "/dev/null")  # a device is written in place, not replaced
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


FULL_DISK = """
import resource, signal, sys
import numpy as np
import clinit
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (65536, resource.RLIMIT_FSIZE and 65536))
try:
    clinit.save_safetensors({"w": np.ones(100000, np.float32)}, sys.argv[1])
except OSError as e:
    print(type(e).__name__, e.errno)
"""


def test_save_failing_leaves_the_old_file(tmp_path):
    """A write that fails half-way (a file-size limit: EFBIG, as a full disk gives ENOSPC) left the old file
    truncated: it stays as it was, and no temporary file is left."""
    import errno
    import subprocess
    import sys
    p = tmp_path / "t.safetensors"
    p.write_bytes(b"the old file")
    out = subprocess.run([sys.executable, "-c", FULL_DISK, str(p)], capture_output=True, text=True,
                         env=dict(os.environ))
    assert out.stdout.split() == ["OSError", str(errno.EFBIG)], out.stderr
    assert p.read_bytes() == b"the old file" and os.listdir(tmp_path) == ["t.safetensors"]


def test_atomic_write_interrupted(tmp_path):
    """An exception inside the writer leaves the folder as it was; while the data is written, no name shows
    in the folder (an unnamed O_TMPFILE file) where the file system has them."""
    from clinit._atomic import atomic_write
    p = tmp_path / "x.bin"
    p.write_bytes(b"old")
    for target in (p, tmp_path / "new.bin"):
        with pytest.raises(KeyboardInterrupt):
            with atomic_write(target) as f:
                f.write(b"partial")
                if hasattr(os, "O_TMPFILE"):
                    assert os.listdir(tmp_path) == ["x.bin"]
                raise KeyboardInterrupt
        assert os.listdir(tmp_path) == ["x.bin"] and p.read_bytes() == b"old"


def test_header_limit_refused_before_writing(tmp_path, monkeypatch):
    """A header above the safetensors library's limit is refused before anything is written (the limit made
    small here: a real one takes 100 MB of names)."""
    monkeypatch.setattr(safetensors, "HEADER_LIMIT", 64)
    p = tmp_path / "big.safetensors"
    with pytest.raises(ValueError) as e:
        clinit.save_safetensors({"w" * 40: np.zeros(1, np.float32)}, p)
    header = json.dumps({"w" * 40: {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, separators=(",", ":"))
    assert str(e.value) == ("the header would be %d bytes, above the 64 that the safetensors library reads (its "
                            "MAX_HEADER_SIZE): save fewer tensors per file" % (len(header) + (-(8 + len(header)) % 8)))
    assert not p.exists()
