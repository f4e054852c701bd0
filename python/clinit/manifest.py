"""Model manifests (the JSON `clinit init --manifest` reads, README "Manifests") read in Python, with the CLI's
rules (host/cli/manifest.c), so that a model initialized in place from a manifest gets exactly the values of
`clinit init`'s file for the same manifest and seed:

    m = clinit.manifest.load("examples/manifests/resnet50.json")
    m.seed                      # the manifest's seed (0 when it has none)
    m.tensors[0].name           # 'conv1.weight'
    m.tensors[0].fill_args()    # {'shape': (64, 3, 7, 7), 'init': 'kaiming_normal', 'dtype': 'f32', ...}

Top level: `seed` (a number in [0, 2^53) or a string of decimal or 0x-hex digits below 2^64; default 0), `layout`
("oi" default, "io", "axes") and `dtype` ("f32" default, "f16", "bf16", "f64", "i32", "i64", or another name of
clinit.DTYPE_NAMES, in any ASCII case as the CLI reads them: "BF16"; the integer dtypes take constant, zeros and
ones only), which each tensor may override, `tensors` (a non-empty array), `config` (an object:
the model's config.json, which `clinit init --out DIR/` writes); other top-level keys are free text. Per tensor:
`name` (unique, non-empty, not "__metadata__"), `shape` (at most 8 integers in [0, 2^53)), `init`, optional `params`
(numbers or strings), `fan_from` (the weight whose fan_in a linear_default_bias takes), `layout`, `dtype`,
`in_axes`, `out_axes`, `batch_axes` (with layout "axes"; integers in [-rank, rank), negative ones from the end),
`split_dim` (clinit-mpi's; checked, else unused). Each tensor's stream is clinit_stream_from_name(name).
"""
import json
import math
import os
import re

from . import DTYPE_NAMES, Error, _ascii_lower, compute_fans, init_info, validate
from ._version import GENERATION_VERSION

__all__ = ["Manifest", "ManifestTensor", "ManifestError", "load", "loads"]

# JSON numbers are doubles: integers are exact only below 2^53 (host/cli/manifest.c JSON_EXACT_LIMIT).
_EXACT = 2**53
_TENSOR_KEYS = ("name", "shape", "init", "params", "fan_from", "layout", "dtype", "in_axes", "out_axes",
                "batch_axes", "split_dim")
_LAYOUTS = ("oi", "io", "axes")
_DTYPES = ("f32", "f16", "bf16", "f64", "i32", "i64")
_AXES_KEYS = ("in_axes", "out_axes", "batch_axes")


class ManifestError(ValueError):
    """A manifest the CLI would refuse. The message names the file, the tensor and the field as `clinit init`'s
    does: 'm.json: tensors[1] "attn.qkv": in_axes: axis 5 >= rank 3'."""


class ManifestTensor:
    """One tensor of a manifest, with the top level's defaults and fan_from applied.

    name: str; shape: tuple of ints; init: the initializer name; dtype: "f32", "f16", "bf16", "f64", "i32" or
    "i64"; layout: "oi", "io" or "axes"; in_axes, out_axes, batch_axes: tuples of dimensions in [0, rank)
    (layout "axes"; negative ones given in the manifest counted from the end) or None;
    params: {name: value} as the manifest gives them, fan_in added from fan_from; split_dim: int or None;
    generation: the manifest's top-level "generation" (the generation contract of docs/ALGORITHMS.md), or 0 for
    the newest; stream: the name (fill and reference take a name as clinit_stream_from_name(name))."""

    __slots__ = ("name", "shape", "init", "dtype", "layout", "in_axes", "out_axes", "batch_axes", "params",
                 "split_dim", "generation")

    def __init__(self, **fields):
        for k in self.__slots__:
            setattr(self, k, fields.get(k))

    @property
    def stream(self):
        return self.name

    @property
    def numel(self):
        return math.prod(self.shape)

    def fill_args(self):
        """The keyword arguments of Context.fill, clinit.reference and fill_batch's items for this tensor
        (shape, init, dtype, layout, the axes when given, stream, and the initializer's parameters)."""
        args = dict(shape=self.shape, init=self.init, dtype=self.dtype, layout=self.layout, stream=self.name)
        for k in _AXES_KEYS:
            if getattr(self, k) is not None:
                args[k] = getattr(self, k)
        args.update(self.params)
        if self.generation:
            args["generation"] = self.generation
        return args

    def __repr__(self):
        return "ManifestTensor(%r, shape=%r, init=%r, dtype=%r)" % (self.name, self.shape, self.init, self.dtype)


class Manifest:
    """A validated manifest: `path` (the file, or the label given to loads), `seed` (int in [0, 2^64)),
    `tensors` (list of ManifestTensor, in the manifest's order), `by_name` ({name: ManifestTensor}), `config`
    (the "config" object, a dict, or None), `generation` (the top-level "generation", 1 … GENERATION_VERSION, or 0
    for the newest)."""

    def __init__(self, path, seed, tensors, config=None, generation=0):
        self.path, self.seed, self.tensors, self.config = path, seed, tensors, config
        self.generation = generation
        self.by_name = {t.name: t for t in tensors}

    def __len__(self):
        return len(self.tensors)

    def __iter__(self):
        return iter(self.tensors)

    def __repr__(self):
        return "<clinit.manifest.Manifest %s: %d tensors, seed %d>" % (self.path, len(self.tensors), self.seed)


def load(path):
    """Reads and validates the manifest at `path` (str or os.PathLike) as `clinit init` does: the whole file is
    checked before anything is returned. Raises ManifestError (a ValueError) naming the file, the tensor and the
    field; OSError when the file cannot be read."""
    path = os.fspath(path)
    with open(path, "rb") as f:
        data = f.read()
    return loads(data, label=path if isinstance(path, str) else os.fsdecode(path))


def loads(text, label="<manifest>"):
    """As load, from the JSON text (str or bytes); messages name `label` as the file."""
    if isinstance(text, (bytes, bytearray)):
        if b"\0" in text:
            raise ManifestError("%s: contains a NUL byte" % label)
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise ManifestError("%s: not valid UTF-8 (%s)" % (label, e.reason)) from None
    elif not isinstance(text, str):
        raise TypeError("text must be str or bytes, not %r" % (text,))
    return _Reader(label).read(text)


def _constant(name):
    raise _Bad("%s is not JSON (a number must be finite)" % name)


class _Bad(Exception):
    """A refusal inside json.loads' hooks, reported with the file's label."""


def _pairs(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise _Bad("the key %r is given twice in one object" % (k,))
        seen.add(k)
    return dict(pairs)


def _beyond(text, would_be):
    """The refusal of a JSON number a double cannot hold, as the CLI words it (at most 64 characters of it)."""
    return _Bad("the number %s%s is beyond the range of a double (it would be %s)"
                % (text[:64], "..." if len(text) > 64 else "", would_be))


def _float(text):
    """A JSON number with a fraction or exponent. One that a double cannot hold (1e999, 1e-400) is refused as the
    CLI refuses it, rather than read as inf or 0; subnormals are kept."""
    v = float(text)
    if math.isinf(v) or (v == 0 and re.search(r"[1-9]", text.split("e")[0].split("E")[0])):
        raise _beyond(text, "0" if v == 0 else "-inf" if v < 0 else "inf")
    return v


def _int(text):
    """A JSON number without a fraction or exponent. The CLI reads every JSON number as a double: one beyond its
    range (10^400) is refused as there, rather than taken whole (float() of it raised OverflowError, and Python
    refuses over 4300 digits with a ValueError). JSON has no leading zeros: over 309 digits is above DBL_MAX."""
    digits = len(text) - text.startswith("-")
    v = int(text) if digits <= 309 else None
    if v is not None:
        try:
            float(v)  # rounds as strtod does: overflows exactly where the CLI's reads inf
            return v
        except OverflowError:
            pass
    raise _beyond(text, "-inf" if text.startswith("-") else "inf")


def _has_nul(v):
    if isinstance(v, str):
        return "\0" in v
    if isinstance(v, dict):
        return any(_has_nul(k) or _has_nul(x) for k, x in v.items())
    if isinstance(v, list):
        return any(_has_nul(x) for x in v)
    return False


def _uint(v):
    """v as a non-negative integer below 2^53: an int, or a float with no fraction (JSON's 3.0); else None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if isinstance(v, float) and (v != v or v != math.floor(v)):
        return None
    if not 0 <= v < _EXACT:
        return None
    return int(v)


def _uint_why(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= _EXACT and v == math.floor(v):
        return " is 2^53 or more: JSON numbers are exact only below 2^53"
    return " is not a non-negative integer"


class _Reader:
    def __init__(self, label):
        self.label = label

    def fail(self, index, name, field, message):
        where = ""
        if index is not None:
            where = "tensors[%d]" % index + (' "%s"' % name if name is not None else "") + ": "
        return ManifestError("%s: %s%s%s" % (self.label, where, field + ": " if field else "", message))

    def read(self, text):
        try:
            root = json.loads(text, object_pairs_hook=_pairs, parse_float=_float, parse_int=_int,
                              parse_constant=_constant)
        except _Bad as e:
            raise ManifestError("%s: %s" % (self.label, e)) from None
        except json.JSONDecodeError as e:
            raise ManifestError("%s: invalid JSON near line %d, column %d" % (self.label, e.lineno, e.colno)) \
                from None
        if _has_nul(root):
            raise ManifestError("%s: \\u0000 (NUL) in a string: names and values cannot hold it" % self.label)
        if not isinstance(root, dict):
            raise ManifestError("%s: not a JSON object" % self.label)
        for key in ("shape", "init", "params", "fan_from") + _AXES_KEYS + ("split_dim",):
            if key in root:
                raise self.fail(None, None, key, "belongs to each tensor, not to the top level")
        seed = self.seed(root.get("seed"))
        generation = root.get("generation")
        if generation is not None and (_uint(generation) is None or not 1 <= _uint(generation) <= GENERATION_VERSION):
            raise self.fail(None, None, "generation", "not a generation of docs/ALGORITHMS.md, an integer 1 to %d "
                            "(absent: %d, the newest)" % (GENERATION_VERSION, GENERATION_VERSION))
        generation = _uint(generation) if generation is not None else 0
        if "config" in root and not isinstance(root["config"], dict):
            raise self.fail(None, None, "config", "not an object (the model's config.json)")
        layout = self.choice(None, None, "layout", root.get("layout", "oi"), _LAYOUTS)
        dtype = self.dtype(None, None, root.get("dtype", "f32"))
        tensors = root.get("tensors")
        if tensors is None:
            raise self.fail(None, None, "tensors", "missing")
        if not isinstance(tensors, list) or not tensors:
            raise self.fail(None, None, "tensors", "not a non-empty array")
        raw = [self.tensor(i, t, layout, dtype) for i, t in enumerate(tensors)]
        for t, _ in raw:
            t.generation = generation
        index = {}
        for i, (t, _) in enumerate(raw):
            if t.name in index:
                raise self.fail(i, t.name, "name", "duplicate of tensors[%d]" % index[t.name])
            index[t.name] = i
        for i, (t, fan_from) in enumerate(raw):
            if fan_from is not None:
                self.apply_fan_from(i, t, fan_from, raw[index[fan_from]][0] if fan_from in index else None)
        for i, (t, _) in enumerate(raw):
            try:
                validate(**{k: v for k, v in t.fill_args().items() if k != "stream"})
            except (Error, TypeError, ValueError) as e:
                raise self.fail(i, t.name, None, getattr(e, "message", None) or str(e)) from e
        return Manifest(self.label, seed, [t for t, _ in raw], root.get("config"), generation)

    def seed(self, v):
        if v is None:
            return 0
        if isinstance(v, str) and re.fullmatch(r"0[xX][0-9a-fA-F]+|[0-9]+", v):
            n = int(v[2:], 16) if v[:2] in ("0x", "0X") else int(v, 10)
            if n < 2**64:
                return n
        if _uint(v) is not None:
            return _uint(v)
        raise self.fail(None, None, "seed", "not an unsigned integer (a number below 2^53, or a string \"123\" / "
                                            "\"0x7b\" up to 2^64-1)")

    def choice(self, index, name, field, v, accepted):
        if not isinstance(v, str):
            quoted = ['"%s"' % a for a in accepted]
            raise self.fail(index, name, field, "not a string (%s or %s)" % (", ".join(quoted[:-1]), quoted[-1]))
        if v not in accepted:
            raise self.fail(index, name, field, 'unknown %s "%s": one of %s' % (field, v, ", ".join(accepted)))
        return v

    def dtype(self, index, name, v):
        """The canonical name of a dtype as the CLI reads it: any of DTYPE_NAMES, in any ASCII case ("BF16")."""
        canonical = DTYPE_NAMES.get(_ascii_lower(v)) if isinstance(v, str) else None
        return canonical or self.choice(index, name, "dtype", v, _DTYPES)

    def tensor(self, i, t, layout, dtype):
        """(ManifestTensor without fan_from applied, the fan_from name or None)."""
        if not isinstance(t, dict):
            raise self.fail(i, None, None, "not an object")
        name = t.get("name")
        if name is None:
            raise self.fail(i, None, "name", "missing")
        if not isinstance(name, str) or not name:
            raise self.fail(i, None, "name", "not a non-empty string")
        if name == "__metadata__":
            raise self.fail(i, None, "name", '"__metadata__" is reserved')
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            raise self.fail(i, None, "name", "not valid UTF-8") from None
        for key in t:
            if key not in _TENSOR_KEYS:
                raise self.fail(i, name, key, "unknown key: one of %s" % ", ".join(_TENSOR_KEYS))
        for key in ("shape", "init"):
            if key not in t:
                raise self.fail(i, name, key, "missing")
        shape = t["shape"]
        if not isinstance(shape, list):
            raise self.fail(i, name, "shape", "not an array of integers")
        if len(shape) > 8:
            raise self.fail(i, name, "shape", "rank %d is more than 8" % len(shape))
        for d, n in enumerate(shape):
            if _uint(n) is None:
                raise self.fail(i, name, "shape", "dimension %d%s" % (d, _uint_why(n)))
        shape = tuple(_uint(n) for n in shape)
        split_dim = t.get("split_dim")
        if split_dim is not None:
            if isinstance(split_dim, bool) or not isinstance(split_dim, (int, float)) or split_dim != math.floor(
                    split_dim):
                raise self.fail(i, name, "split_dim", "not an integer or null")
            if not 0 <= split_dim < len(shape):
                if not shape:
                    raise self.fail(i, name, "split_dim", "a scalar cannot be split: give null")
                raise self.fail(i, name, "split_dim", "%s is not a dimension of the rank-%d shape: give 0..%d, or "
                                                      "null" % (split_dim, len(shape), len(shape) - 1))
            split_dim = int(split_dim)
        entry = ManifestTensor(name=name, shape=shape, split_dim=split_dim,
                               layout=self.choice(i, name, "layout", t.get("layout", layout), _LAYOUTS),
                               dtype=self.dtype(i, name, t.get("dtype", dtype)))
        self.axes(i, entry, t)
        init = t["init"]
        if not isinstance(init, str):
            raise self.fail(i, name, "init", "not a string (an initializer name)")
        entry.init = init
        entry.params = self.params(i, name, init, t.get("params", {}), entry.dtype in ("i32", "i64"))
        fan_from = t.get("fan_from")
        if fan_from is not None and not isinstance(fan_from, str):
            raise self.fail(i, name, "fan_from", "not a string")
        return entry, fan_from

    def axes(self, i, entry, t):
        """in_axes, out_axes, batch_axes: integers in [-rank, rank), negative ones counted from the end (as in the
        Python binding), none twice in a list nor in two lists; kept as tuples of dimensions in [0, rank)."""
        rank, owner = len(entry.shape), {}
        for key in _AXES_KEYS:
            v = t.get(key)
            if v is None:
                continue
            if entry.layout != "axes":
                raise self.fail(i, entry.name, key, 'only with layout "axes" (this tensor\'s layout is "%s")'
                                % entry.layout)
            if not isinstance(v, list):
                raise self.fail(i, entry.name, key, "not an array of dimensions")
            dims = []
            for a in v:
                if isinstance(a, bool) or not isinstance(a, (int, float)) or a != math.floor(a):
                    raise self.fail(i, entry.name, key, "not an array of integers (axes, negative ones from the end)")
                a = int(a)
                if not -rank <= a < rank:
                    raise self.fail(i, entry.name, key, "axis %d is out of range for rank %d (axes are in [-%d, %d))"
                                    % (a, rank, rank, rank))
                d = a + rank if a < 0 else a
                if d in dims:
                    raise self.fail(i, entry.name, key, ("axis %d is dimension %d, given twice" % (a, d)) if a < 0
                                    else "axis %d given twice" % a)
                dims.append(d)
            for d in dims:
                if d in owner:
                    raise self.fail(i, entry.name, key, "axis %d is in %s too" % (d, owner[d]))
            for d in dims:
                owner[d] = key
            setattr(entry, key, tuple(dims))

    def params(self, i, name, init, params, integer_dtype=False):
        if not isinstance(params, dict):
            raise self.fail(i, name, "params", "not an object")
        # the parameters the library reads as integers (its registry's integer and axis types): a JSON number of
        # them goes as its digits ("3", not "3.0"); an unknown init is refused later, at the CLI's place
        try:
            integers = {p.name for p in init_info(init).params if p.type in ("integer", "axis")}
        except (Error, ValueError):
            integers = set()
        out = {}
        for k, v in params.items():
            field = "params.%s" % k
            if isinstance(v, bool) or not isinstance(v, (int, float, str)):
                raise self.fail(i, name, field, "not a number or a string")
            if k in integers and not isinstance(v, str):
                if abs(v) >= _EXACT:
                    raise self.fail(i, name, field, "%r%s (give a larger one as a string)" % (v, _uint_why(abs(v))))
                if v == math.floor(v):
                    v = int(v)
            elif integer_dtype and not isinstance(v, str) and abs(v) >= _EXACT:
                # the CLI reads JSON numbers as doubles, which round above 2^53: an integer tensor's constant must
                # be exact, so neither reader takes such a number
                raise self.fail(i, name, field, "%.17g: JSON numbers are exact only below 2^53 in magnitude, and the "
                                                "constant of an integer dtype must be exact (give it as a string)"
                                % float(v))
            elif not isinstance(v, str) and k not in integers and abs(v) >= _EXACT:
                v = float(v)  # a JSON number is a double, as the CLI reads it (9007199254740993 is 2^53 there too)
            out[k] = v
        return out

    def apply_fan_from(self, i, t, fan_from, w):
        if "fan_in" in t.params:
            raise self.fail(i, t.name, "fan_from", "conflicts with params.fan_in: give one of them")
        if w is None:
            raise self.fail(i, t.name, "fan_from", 'no tensor named "%s"' % fan_from)
        try:
            fan_in, _ = compute_fans(w.shape, layout=w.layout, in_axes=w.in_axes, out_axes=w.out_axes,
                                     batch_axes=w.batch_axes)
        except Error as e:
            if e.name == "INVALID_RANK":
                raise self.fail(i, t.name, "fan_from", 'tensor "%s" has rank %d; fans need rank >= 2'
                                % (fan_from, len(w.shape))) from None
            raise self.fail(i, t.name, "fan_from", 'tensor "%s" has no fans: %s (give it in_axes and out_axes)'
                            % (fan_from, e.status_string)) from None
        t.params["fan_in"] = fan_in
