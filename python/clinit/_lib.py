"""Loading libclinit with ctypes, its structures and its function prototypes (include/clinit.h)."""
import ctypes
import ctypes.util
import os
import pathlib
import shutil
import sys

from ._version import __version__

MAX_RANK = 8  # CLINIT_MAX_RANK

c_enum = ctypes.c_int  # C enums of clinit.h are int-sized (all values fit an int)
c_status = ctypes.c_int
cl_mem = ctypes.c_void_p
cl_context = ctypes.c_void_p
cl_device_id = ctypes.c_void_p
cl_command_queue = ctypes.c_void_p
cl_event = ctypes.c_void_p
cl_uint = ctypes.c_uint32


class Tensor(ctypes.Structure):
    """clinit_tensor, field for field."""
    _fields_ = [
        ("buffer", cl_mem),
        ("offset_bytes", ctypes.c_size_t),
        ("dtype", c_enum),
        ("rank", ctypes.c_int),
        ("shape", ctypes.c_int64 * MAX_RANK),
        ("layout", c_enum),
        ("has_box", ctypes.c_int),
        ("box_start", ctypes.c_int64 * MAX_RANK),
        ("box_extent", ctypes.c_int64 * MAX_RANK),
        ("in_axes", ctypes.c_uint32),
        ("out_axes", ctypes.c_uint32),
        ("batch_axes", ctypes.c_uint32),
    ]


class InitSpec(ctypes.Structure):
    """clinit_init_spec, field for field."""
    _fields_ = [
        ("kind", c_enum),
        ("a", ctypes.c_double),
        ("b", ctypes.c_double),
        ("mean", ctypes.c_double),
        ("std", ctypes.c_double),
        ("val", ctypes.c_double),
        ("gain", ctypes.c_double),
        ("mode", c_enum),
        ("nonlinearity", c_enum),
        ("fan_in", ctypes.c_int64),
        ("scale", ctypes.c_double),
        ("distribution", c_enum),
        ("groups", ctypes.c_int64),
        ("sparsity", ctypes.c_double),
        ("generation", ctypes.c_int),
        ("has_column_axis", ctypes.c_int),
        ("column_axis", ctypes.c_int),
    ]


class Distribution(ctypes.Structure):
    """clinit_distribution, field for field."""
    _fields_ = [
        ("kind", c_enum),
        ("value", ctypes.c_double),
        ("low", ctypes.c_double),
        ("high", ctypes.c_double),
        ("mean", ctypes.c_double),
        ("std", ctypes.c_double),
        ("count", ctypes.c_int64),
        ("expected_mean", ctypes.c_double),
        ("expected_std", ctypes.c_double),
    ]


class BatchItem(ctypes.Structure):
    """clinit_batch_item, field for field: one tensor of clinit_fill_batch."""
    _fields_ = [
        ("tensor", Tensor),
        ("spec", InitSpec),
        ("stream", ctypes.c_uint64),
    ]


class InitInfo(ctypes.Structure):
    """clinit_init_info, field for field: one initializer as the library's registry states it."""
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("dist", c_enum),
        ("needs_fans", ctypes.c_int),
        ("min_rank", ctypes.c_int),
        ("max_rank", ctypes.c_int),
        ("layouts", ctypes.c_uint),
        ("param_count", ctypes.c_int),
        ("source", ctypes.c_char_p),
        ("doc", ctypes.c_char_p),
    ]


class ParamInfo(ctypes.Structure):
    """clinit_param_info, field for field: one parameter of one initializer."""
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("type", c_enum),
        ("required", ctypes.c_int),
        ("default_value", ctypes.c_double),
        ("min", ctypes.c_double),
        ("max", ctypes.c_double),
        ("min_open", ctypes.c_int),
        ("max_open", ctypes.c_int),
        ("value_count", ctypes.c_int),
        ("values", ctypes.c_char_p),
        ("doc", ctypes.c_char_p),
    ]


class LibraryNotFound(OSError):
    """libclinit could not be found or loaded."""


_P = ctypes.POINTER
_PROTOTYPES = {
    "clinit_version_number": (ctypes.c_uint, []),
    "clinit_version_string": (ctypes.c_char_p, []),
    "clinit_status_string": (ctypes.c_char_p, [c_status]),
    "clinit_ctx_create": (c_status, [_P(ctypes.c_void_p), cl_context, cl_device_id]),
    "clinit_ctx_create_default": (c_status, [_P(ctypes.c_void_p)]),
    "clinit_ctx_destroy": (None, [ctypes.c_void_p]),
    "clinit_ctx_message": (ctypes.c_char_p, [ctypes.c_void_p]),
    "clinit_ctx_cl_context": (cl_context, [ctypes.c_void_p]),
    "clinit_ctx_device": (cl_device_id, [ctypes.c_void_p]),
    "clinit_ctx_queue": (cl_command_queue, [ctypes.c_void_p]),
    "clinit_ctx_set_local_size": (c_status, [ctypes.c_void_p, ctypes.c_size_t]),
    "clinit_ctx_launch_count": (ctypes.c_uint64, [ctypes.c_void_p]),
    "clinit_dtype_size": (ctypes.c_size_t, [c_enum]),
    "clinit_tensor_numel": (c_status, [_P(Tensor), _P(ctypes.c_int64)]),
    "clinit_compute_fans": (c_status, [ctypes.c_int, _P(ctypes.c_int64), c_enum, _P(ctypes.c_int64),
                                       _P(ctypes.c_int64)]),
    "clinit_compute_fans_axes": (c_status, [ctypes.c_int, _P(ctypes.c_int64), ctypes.c_uint32, ctypes.c_uint32,
                                            ctypes.c_uint32, _P(ctypes.c_int64), _P(ctypes.c_int64)]),
    "clinit_calculate_gain": (c_status, [c_enum, ctypes.c_double, _P(ctypes.c_double)]),
    "clinit_nonlinearity_name": (ctypes.c_char_p, [c_enum]),
    "clinit_nonlinearity_from_name": (c_status, [ctypes.c_char_p, _P(c_enum)]),
    "clinit_init_spec_default": (InitSpec, [c_enum]),
    "clinit_init_name": (ctypes.c_char_p, [c_enum]),
    "clinit_init_from_name": (c_status, [ctypes.c_char_p, _P(c_enum)]),
    "clinit_init_from_name_message": (c_status, [ctypes.c_char_p, _P(c_enum), ctypes.c_char_p, ctypes.c_size_t]),
    "clinit_init_spec_set": (c_status, [_P(InitSpec), ctypes.c_char_p, ctypes.c_char_p]),
    "clinit_init_spec_set_message": (c_status, [_P(InitSpec), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                                ctypes.c_size_t]),
    "clinit_init_param_names": (ctypes.c_char_p, [c_enum]),
    "clinit_init_count": (ctypes.c_int, []),
    "clinit_init_get_info": (c_status, [c_enum, _P(InitInfo)]),
    "clinit_init_get_param_info": (c_status, [c_enum, ctypes.c_int, _P(ParamInfo)]),
    "clinit_validate": (c_status, [_P(Tensor), _P(InitSpec), ctypes.c_char_p, ctypes.c_size_t]),
    "clinit_scratch_bytes": (c_status, [_P(Tensor), _P(InitSpec), _P(ctypes.c_uint64), _P(ctypes.c_uint64)]),
    "clinit_scratch_fits": (c_status, [ctypes.c_void_p, _P(Tensor), _P(InitSpec), ctypes.c_uint64]),
    "clinit_init_resolve": (c_status, [_P(InitSpec), _P(Tensor), _P(Distribution)]),
    "clinit_stream_from_name": (ctypes.c_uint64, [ctypes.c_char_p]),
    "clinit_fill": (c_status, [ctypes.c_void_p, cl_command_queue, _P(Tensor), _P(InitSpec), ctypes.c_uint64,
                               ctypes.c_uint64, cl_uint, _P(cl_event), _P(cl_event)]),
    "clinit_fill_batch": (c_status, [ctypes.c_void_p, cl_command_queue, _P(BatchItem), ctypes.c_size_t,
                                     ctypes.c_uint64, cl_uint, _P(cl_event), _P(cl_event)]),
    "clinit_reference_fill": (c_status, [_P(Tensor), _P(InitSpec), ctypes.c_uint64, ctypes.c_uint64,
                                         ctypes.c_void_p, ctypes.c_size_t]),
}

_lib = None
_lib_path = None


def _installed_prefixes():
    """(description, prefix) of the places `cmake --install` may have put libclinit, in search order: this
    Python's own prefix (cmake --install build --prefix "$VIRTUAL_ENV", or a conda environment's), the prefix of
    a clinit tool on PATH (PREFIX/bin/clinit), and CMake's default /usr/local."""
    out = [("sys.prefix", sys.prefix)]
    tool = shutil.which("clinit")
    if tool:
        out.append(("the prefix of %s" % tool, str(pathlib.Path(tool).resolve().parent.parent)))
    out.append(("CMake's default prefix", "/usr/local"))
    return out


def _prefix_libraries(prefix):
    """libclinit.so.0 in a prefix's library folders, as GNUInstallDirs names them: lib, lib64, lib/<multiarch>."""
    root = pathlib.Path(prefix)
    folders = [root / "lib", root / "lib64"] + sorted(p for p in root.glob("lib/*-linux-gnu*") if p.is_dir())
    return [str(d / "libclinit.so.0") for d in folders if (d / "libclinit.so.0").exists()]


def _candidates():
    """(description, name or path) in search order."""
    out = []
    env = os.environ.get("CLINIT_LIBRARY")
    if env:
        return [("CLINIT_LIBRARY", env)]  # an explicit choice is never silently replaced by another library
    here = pathlib.Path(__file__).resolve().parent
    for name in ("libclinit.so.0", "libclinit.so", "libclinit.dylib", "clinit.dll"):
        if (here / name).exists():
            out.append(("package directory", str(here / name)))
    found = ctypes.util.find_library("clinit")
    if found:
        out.append(("ctypes.util.find_library", found))
    seen = set()
    for where, prefix in _installed_prefixes():
        for path in _prefix_libraries(prefix):
            if os.path.realpath(path) not in seen:
                seen.add(os.path.realpath(path))
                out.append((where, path))
    repo = here.parent.parent  # python/clinit/ -> the repository root, in a source checkout
    if (repo / "include" / "clinit.h").exists():
        for name in ("libclinit.so.0", "libclinit.so"):
            if (repo / "build" / name).exists():
                out.append(("repository build/", str(repo / "build" / name)))
                break
    return out


def load():
    """The loaded libclinit (cached): CLINIT_LIBRARY, else the package's directory (where `pip install ./python`
    puts the library it builds), else ctypes.util.find_library('clinit') (the dynamic linker's search: ldconfig's
    cache, LD_LIBRARY_PATH), else the lib folders of an installation prefix (sys.prefix, the prefix of a clinit
    tool on PATH, /usr/local: where `cmake --install` puts it), else the repository's build/ folder of a source
    checkout."""
    global _lib, _lib_path
    if _lib is not None:
        return _lib
    tried = []
    for where, path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s): %s" % (path, where, e))
            if where == "CLINIT_LIBRARY":
                break
            continue
        missing = [name for name in _PROTOTYPES if not hasattr(lib, name)]
        if missing:  # a stale build: try the next place, say why if none fits
            tried.append("%s (%s): lacks %s (an older build?)" % (path, where, ", ".join(missing)))
            if where == "CLINIT_LIBRARY":
                break
            continue
        wrong = _version_mismatch(lib)
        if wrong:
            tried.append("%s (%s): %s" % (path, where, wrong))
            if where == "CLINIT_LIBRARY":
                break
            continue
        for name, (restype, argtypes) in _PROTOTYPES.items():
            f = getattr(lib, name)
            f.restype = restype
            f.argtypes = argtypes
        _lib, _lib_path = lib, path
        return lib
    raise LibraryNotFound(
        "libclinit not found; tried: " + ("; ".join(tried) if tried else "CLINIT_LIBRARY (unset), the package "
        "directory, ctypes.util.find_library('clinit'), lib/, lib64/ and lib/<multiarch>/ of %s, the repository's "
        "build/ folder" % ", ".join(p for _, p in _installed_prefixes())) +
        ". `pip install ./python` from clinit's source tree builds the library into the package; else install it "
        "into one of those prefixes (cmake --install build --prefix PREFIX) or set CLINIT_LIBRARY to the path of "
        "libclinit.so.0")


def _version_mismatch(lib):
    """Why this library does not fit the structures above (which mirror clinit.h of this package's version),
    or None: another MAJOR.MINOR is refused (0.x minors may change the ABI)."""
    lib.clinit_version_number.restype = ctypes.c_uint
    lib.clinit_version_number.argtypes = []
    n = lib.clinit_version_number()
    have = (n // 10000, n // 100 % 100)
    want = tuple(int(x) for x in __version__.split(".")[:2])
    if have != want:
        return "it is libclinit %d.%d.%d; this Python package (%s) needs %d.%d.x" % (
            have[0], have[1], n % 100, __version__, want[0], want[1])
    return None


def library_path():
    """The path or name libclinit was loaded from (loading it if needed)."""
    load()
    return _lib_path
