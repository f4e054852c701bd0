"""pyopencl.array.Array objects initialized in place by clinit, on the array's queue:

    import pyopencl as cl, pyopencl.array as cla, numpy as np
    import clinit.clarray as cca
    queue = cl.CommandQueue(cl.create_some_context())
    w = cca.init_array(cla.empty(queue, (64, 3, 7, 7), np.float32), "kaiming_normal", seed=1,
                       stream="conv1.weight", mode="fan_out", nonlinearity="relu")
    params = {"fc.weight": cla.empty(queue, (1000, 2048), np.float32), "fc.bias": cla.empty(queue, 1000, np.float32)}
    cca.init_arrays(params, "model.json")

The values are bit for bit those of clinit.reference (and of `clinit init`'s file for the same manifest and
seed). PyOpenCL's own protocol orders the fill: it waits for the events of the array (array.events: the
commands that still write or read it) and its event is added to them (array.add_event), so that PyOpenCL's later
operations on the array (array.get(), arithmetic) wait for it; nothing waits on the host.

Arrays: C-contiguous (a slice of rows is; a transpose or a slice of columns is not: ValueError), of dtype float32,
float16, float64 (f64 on a device with cl_khr_fp64), int32 or int64 (constant, zeros and ones only), or uint16
holding bfloat16 bits with dtype="bf16" (numpy has no bfloat16); the array's offset into its buffer is kept. Arrays
of no elements are left as they are.
"""
import numpy as np

from . import Context, _inplace
from ._inplace import InitResult

__all__ = ["init_array", "init_arrays", "context", "dtype_of", "InitResult"]

_NUMPY = {"float32": "f32", "float16": "f16", "float64": "f64", "int32": "i32", "int64": "i64"}
_contexts = {}


def _pyopencl():
    try:
        import pyopencl
        import pyopencl.array
    except ImportError as e:
        raise ImportError("clinit.clarray needs PyOpenCL (pip install pyopencl): %s" % e) from None
    return pyopencl


def context(queue):
    """The clinit.Context of a pyopencl.CommandQueue's context and device, made once per (context, device) and
    kept for the process (it keeps the PyOpenCL context alive). Pass ctx= to init_array / init_arrays to use a
    Context of your own instead."""
    cl = _pyopencl()
    if not isinstance(queue, cl.CommandQueue):
        raise TypeError("queue must be a pyopencl.CommandQueue, not %r" % (queue,))
    key = (queue.context.int_ptr, queue.device.int_ptr)
    ctx = _contexts.get(key)
    if ctx is None:
        ctx = _contexts[key] = Context(queue.context, queue.device)
    return ctx


def dtype_of(a, dtype=None, what="array"):
    """clinit's dtype name ("f32", "f16", "bf16", "f64", "i32", "i64") of a pyopencl array (dtype="bf16" for a
    uint16 array of bfloat16 bits); ValueError for any other dtype or pairing."""
    name = np.dtype(a.dtype).name
    if dtype is None:
        key = _NUMPY.get(name)
        if key is None:
            hint = ' (bfloat16 bits? pass dtype="bf16")' if name == "uint16" else ""
            raise ValueError("%s has dtype %s: clinit writes float32, float16, float64, int32, int64, or bfloat16 "
                             "into uint16 with dtype=\"bf16\"%s" % (what, name, hint))
        return key
    if dtype not in ("bf16", "bfloat16"):
        raise ValueError('%s: dtype=%r: only "bf16" may be given (for a uint16 array); the other dtypes are the '
                         "array's own" % (what, dtype))
    if name != "uint16":
        raise ValueError('%s: dtype="bf16" needs a uint16 array (the bfloat16 bits), not %s' % (what, name))
    return "bf16"


def _target(a, dtype, queue, what):
    cl = _pyopencl()
    if not isinstance(a, cl.array.Array):
        raise TypeError("%s must be a pyopencl.array.Array, not %r" % (what, a))
    key = dtype_of(a, dtype, what)
    if a.size and not a.flags.c_contiguous:
        raise ValueError("%s is not C-contiguous (strides %s): clinit writes whole row-major tensors; fill a "
                         "C-contiguous array (cla.empty(queue, shape, dtype)) and copy from it" % (what, a.strides))
    q = queue if queue is not None else a.queue
    if q is None:
        raise ValueError("%s has no queue: pass queue=" % what)
    return _inplace.Target(a.base_data, a.offset, tuple(a.shape), key, what, q)


def _fill(ctx, arrays, batch, whats, queue, seed):
    waits = [e for a in arrays for e in a.events]
    ev = _inplace.fill_batch(ctx or context(queue), queue, batch, whats, seed, wait_for=waits)
    for a in arrays:
        a.add_event(ev)
    return ev


def init_array(array, init, /, *, seed=0, stream=None, dtype=None, layout=None, in_axes=None, out_axes=None,
               batch_axes=None, queue=None, ctx=None, **params):
    """Initializes the pyopencl.array.Array `array` in place with initializer `init` and returns it; the fill
    waits for array.events and is added to them. The values are clinit.reference(array.shape, init,
    dtype=array's, ...) bit for bit. array and init are positional (kaiming's and uniform's parameter `a` is a
    keyword).

    dtype: None (the array's: float32, float16, float64, int32, int64) or "bf16" for a uint16 array of bfloat16
    bits.
    init, params, layout, in_axes, out_axes, batch_axes, seed, stream: as Context.fill's.
    queue: the pyopencl.CommandQueue to fill on (default: array.queue). ctx: a clinit.Context of the queue's
    context and device (default: one made once per context and device, see context()).
    Raises TypeError (array not a pyopencl.array.Array; arguments as Context.fill), ValueError (another dtype, a
    non-C-contiguous array, no queue; values as Context.fill), clinit.Error (the library's refusal, as
    Context.fill). Nothing is enqueued when it raises."""
    target = _target(array, dtype, queue, "array")
    if not array.size:
        return array
    item = dict(shape=target.shape, init=init, dtype=target.dtype, layout=layout, stream=stream,
                buffer=target.buffer, offset_bytes=target.offset_bytes, **params)
    for key, axes in (("in_axes", in_axes), ("out_axes", out_axes), ("batch_axes", batch_axes)):
        if axes is not None:
            item[key] = axes
    _fill(ctx, [array], [item], ["array"], target.group, seed)
    return array


def init_arrays(arrays, manifest, *, seed=None, strict=True, bf16=(), queue=None, ctx=None):
    """Initializes a dict {name: pyopencl.array.Array} by a manifest's rules: the array named N gets the values
    of the manifest's tensor N, bit for bit those of `clinit init --manifest M --seed S`'s file. Returns
    InitResult(initialized, missing_keys, unexpected_keys), as clinit.tinygrad.init_state_dict.

    manifest, seed, strict: as clinit.tinygrad.init_state_dict (a Manifest, a path or a dict; None: the
    manifest's seed; strict=True: ValueError unless the names are the same).
    bf16: the names of uint16 arrays that hold bfloat16 bits (the manifest's "bf16" tensors); a name that is not
    a key of arrays is a ValueError.
    queue: the queue of every fill (default: each array's own); ctx as init_array. One fill_batch per queue,
    waiting for the events of its arrays, its event added to them.
    Every array is checked before anything is enqueued (a shape or dtype other than the manifest's, what
    init_array refuses: ValueError or TypeError naming arrays['name']; the library's refusal of any item,
    clinit.Error naming it); with arrays on several queues, a refusal on a later queue leaves the earlier
    queues' arrays filled."""
    if not isinstance(arrays, dict):
        raise TypeError("arrays must be a dict {name: pyopencl.array.Array}, not %r" % (arrays,))
    m = _inplace.as_manifest(manifest)
    pairs, missing, unexpected = _inplace.match(m, list(arrays), strict)
    bf16 = set(bf16)
    stray = sorted(bf16 - set(arrays))
    if stray:
        raise ValueError("bf16 names arrays that are not given: %s" % ", ".join(map(repr, stray)))
    groups = {}
    for entry, name in pairs:
        what = "arrays[%r]" % name
        target = _target(arrays[name], "bf16" if name in bf16 else None, queue, what)
        _inplace.check(entry, target)
        if arrays[name].size:
            groups.setdefault(target.group, []).append((entry, target, arrays[name]))
    for q, group in groups.items():
        _fill(ctx, [a for _, _, a in group], _inplace.items([(e, t) for e, t, _ in group]),
              [t.what for _, t, _ in group], q, m.seed if seed is None else seed)
    return InitResult([entry.name for entry, _ in pairs], missing, unexpected)
