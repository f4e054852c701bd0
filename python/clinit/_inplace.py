"""What clinit.tinygrad and clinit.clarray share: a manifest matched against a framework's named device tensors,
checked whole before anything is written, then filled with one Context.fill_batch per queue."""
import collections
import json
import os
import re

from . import Error
from . import manifest as _manifest

# What init_state_dict / init_arrays return, as torch's load_state_dict(strict=False) does: the names filled,
# the given tensors the manifest does not name (left as they were) and the manifest's tensors not given.
InitResult = collections.namedtuple("InitResult", "initialized missing_keys unexpected_keys")


class Target:
    """A named tensor to fill: buffer (cl_mem handle or pyopencl buffer), offset_bytes, shape (tuple of ints),
    dtype (clinit's name: f32, f16, bf16, f64), what (the caller's name for it in messages), group (the key of
    the queue it is filled on)."""

    __slots__ = ("buffer", "offset_bytes", "shape", "dtype", "what", "group")

    def __init__(self, buffer, offset_bytes, shape, dtype, what, group):
        self.buffer, self.offset_bytes, self.shape, self.dtype = buffer, offset_bytes, shape, dtype
        self.what, self.group = what, group


def as_manifest(manifest):
    """A clinit.manifest.Manifest from a Manifest, a path (str or os.PathLike) or a dict of the JSON's
    structure."""
    if isinstance(manifest, _manifest.Manifest):
        return manifest
    if isinstance(manifest, (str, os.PathLike)):
        return _manifest.load(manifest)
    if isinstance(manifest, dict):
        return _manifest.loads(json.dumps(manifest), label="<manifest dict>")
    raise TypeError("manifest must be a clinit.manifest.Manifest, a path or a dict, not %r" % (manifest,))


def _names(names, limit=8):
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (", ... (%d in all)" % len(names) if len(names) > limit else "")


def match(manifest, names, strict):
    """(pairs of (ManifestTensor, name), missing_keys, unexpected_keys) of a manifest and the given tensors'
    names (an ordered sequence). strict: ValueError when either list is not empty."""
    missing = [n for n in names if n not in manifest.by_name]
    given = set(names)
    unexpected = [t.name for t in manifest if t.name not in given]
    if strict and (missing or unexpected):
        parts = []
        if missing:
            parts.append("given tensors the manifest does not name: %s" % _names(missing))
        if unexpected:
            parts.append("manifest tensors not given: %s" % _names(unexpected))
        raise ValueError("%s does not match the tensors (strict=True): %s; pass strict=False to fill only the "
                         "names in both" % (manifest.path, "; ".join(parts)))
    return [(t, t.name) for t in manifest if t.name in given], missing, unexpected


def check(entry, target):
    """ValueError when the target's shape or dtype is not the manifest's: the values would be another tensor's."""
    if tuple(target.shape) != entry.shape:
        raise ValueError("%s: shape %s is not the manifest's %s (%s)"
                         % (target.what, tuple(target.shape), entry.shape, entry.name))
    if target.dtype != entry.dtype:
        raise ValueError("%s: dtype %s is not the manifest's %s (%s); create the tensor with the manifest's dtype"
                         % (target.what, target.dtype, entry.dtype, entry.name))


def items(pairs):
    """fill_batch items of the (ManifestTensor, Target) pairs (fill_batch checks them all before it enqueues
    anything; the manifest's initializers were validated when it was read)."""
    out = []
    for entry, target in pairs:
        args = entry.fill_args()
        args.update(buffer=target.buffer, offset_bytes=target.offset_bytes)
        out.append(args)
    return out


_ITEM = re.compile(r"items\[(\d+)\]")


def fill_batch(ctx, queue, batch, whats, seed, wait_for=None):
    """ctx.fill_batch(queue, batch, seed), a refusal's "items[i]" replaced by whats[i] (the tensor's name)."""
    try:
        return ctx.fill_batch(queue, batch, seed=seed, wait_for=wait_for)
    except (Error, TypeError, ValueError) as e:
        text = e.message if isinstance(e, Error) else str(e)
        text = _ITEM.sub(lambda m: whats[int(m.group(1))], text)
        if isinstance(e, Error):
            raise Error(e.status, text) from None
        raise type(e)(text) from None
