"""tinygrad tensors initialized in place by clinit, on the tensor's own OpenCL device (tinygrad's "CL" device,
selected with DEV=CL or device="CL"; tested with tinygrad 0.14.0 on PoCL):

    from tinygrad import Tensor, nn
    import clinit.tinygrad as cit
    w = cit.init_tensor(Tensor.empty(64, 3, 7, 7, device="CL"), "kaiming_normal", seed=1,
                        stream="conv1.weight", mode="fan_out", nonlinearity="relu")
    model = MyNet()                                   # tinygrad.nn layers, their init left unrun
    cit.init_state_dict(nn.state.get_state_dict(model), "resnet.json", seed=0)

The values are bit for bit those of clinit.reference (and of `clinit init`'s file for the same manifest and
seed). The fills are enqueued on tinygrad's own in-order command queue of the device, so that every command
tinygrad enqueued before (a copy into the buffer, a kernel reading it) completes first and every later one (the
first forward pass, .numpy()) sees the values; nothing waits on the host. Device[t.device].synchronize() waits
for them, as for any tinygrad work.

Which tensors can be filled, and how:
- a tensor that is a buffer of its own (realized, or Tensor.empty, possibly reshaped or detached): filled in
  place, in its buffer (allocated first if Tensor.empty left it unallocated); every tensor sharing that buffer
  sees the new values;
- a tensor whose buffer has writes pending (an unrealized assign): realized first, then filled in place;
- an unrealized computation (tinygrad.nn layers' weights, Tensor.uniform(...), x + 1): gets a new buffer of its
  shape, dtype and device, filled by clinit, and the tensor object is pointed at it (Tensor.replace, as
  tinygrad's load_state_dict does): the lazy computation is never run, and references to the Tensor object
  (an optimizer's parameter list) see the new values;
- a view of another tensor's buffer (a permute, a slice, an expand: tinygrad's OpenCL device has no buffer
  views) is refused (ValueError): fill the tensor that owns the buffer, or .contiguous() a copy first.
Tensors of no elements are left as they are. dtypes: float32 (f32), float16 (f16), bfloat16 (bf16), float64 (f64, on
a device with cl_khr_fp64), and int32 and int64 (i32, i64: a model's integer buffers, such as BatchNorm's
num_batches_tracked; constant, zeros and ones only); any other is a ValueError naming it. A tensor on a device that
is not tinygrad's OpenCL one ("CPU", "CUDA", "METAL", a tuple of devices for a sharded tensor) is a ValueError
naming the device.
"""
import ctypes
import math

from . import Context, _inplace, validate
from ._inplace import InitResult

__all__ = ["init_tensor", "init_state_dict", "context", "dtype_of", "InitResult"]

# tinygrad dtypes (their attribute names) -> clinit dtype.
_DTYPES = {"float32": "f32", "float16": "f16", "bfloat16": "bf16", "float64": "f64", "int32": "i32", "int64": "i64"}
_DTYPE_NAMES = "float32, float16, bfloat16, float64, int32, int64"
# The movement ops that leave a tensor exactly its buffer's bytes, in order.
_SAME_BYTES = ("RESHAPE", "DETACH")

_contexts = {}


def _tinygrad():
    """(tinygrad.Device, tinygrad.Tensor), imported when first needed: `import clinit` works without tinygrad."""
    try:
        from tinygrad import Device, Tensor
    except ImportError as e:
        raise ImportError("clinit.tinygrad needs tinygrad (pip install tinygrad): %s" % e) from None
    return Device, Tensor


def _ptr(handle):
    """The address of a tinygrad ctypes OpenCL handle (cl_context, cl_mem, ...), as an int."""
    return ctypes.cast(handle, ctypes.c_void_p).value


def _cl_device(device, what):
    """tinygrad's CLDevice of a tensor's device name; ValueError naming the device when it is not OpenCL."""
    if not isinstance(device, str):
        raise ValueError("%s is on the devices %r (a sharded tensor): clinit fills one OpenCL device's buffer; "
                         "initialize the tensor before sharding it" % (what, device))
    if device.split(":")[0] != "CL":
        raise ValueError("%s is on tinygrad device %r, not on tinygrad's OpenCL device: create it with "
                         "device=\"CL\" (or run with DEV=CL), or move it with .to(\"CL\")" % (what, device))
    Device, _ = _tinygrad()
    return Device[device]


def context(device):
    """The clinit.Context on tinygrad's OpenCL device `device` ("CL", "CL:1"; a Tensor's .device), made once per
    device on tinygrad's own cl_context and cl_device_id (the kernels are built then) and kept for the process.
    Raises ValueError for a device that is not OpenCL, clinit.Error when the context cannot be made."""
    dev = _cl_device(device, "device")
    ctx = _contexts.get(device)
    if ctx is None:
        ctx = _contexts[device] = Context(_ptr(dev.context), _ptr(dev.cl_dev))
    return ctx


def dtype_of(t, what="tensor"):
    """clinit's dtype name ("f32", "f16", "bf16", "f64", "i32", "i64") of a tinygrad tensor; ValueError for another
    dtype."""
    from tinygrad import dtypes
    key = next((k for name, k in _DTYPES.items() if t.dtype == getattr(dtypes, name)), None)
    if key is None:
        raise ValueError("%s has dtype %s: clinit writes %s" % (what, t.dtype, _DTYPE_NAMES))
    return key


def _shape(t, what):
    shape = t.shape
    if not all(isinstance(n, int) for n in shape):
        raise ValueError("%s has a symbolic shape %s: clinit needs concrete dimensions" % (what, shape))
    return tuple(shape)


def _own_buffer(t):
    """The uop whose buffer the tensor is, byte for byte (through reshapes and detaches), or None."""
    u = t.uop
    while u.op.name in _SAME_BYTES:
        u = u.src[0]
    return u if u.op.name == "BUFFER" else None


def _pending(t):
    """True when the tensor is its buffer with writes not yet run (an AFTER of an assign)."""
    u = t.uop
    while u.op.name in _SAME_BYTES + ("AFTER",):
        if u.op.name == "AFTER":
            return True
        u = u.src[0]
    return False


def _is_view(t):
    """True when the tensor is a movement (permute, shrink, expand, ...) of a buffer: no buffer of its own."""
    u = t.uop
    return u.base.op.name == "BUFFER" and _own_buffer(t) is None


class _Place:
    """Where a tensor's values go: its own buffer (in place) or a new tensor that replaces it after the fill."""

    def __init__(self, t, what):
        _, Tensor = _tinygrad()
        if not isinstance(t, Tensor):
            raise TypeError("%s must be a tinygrad.Tensor, not %r" % (what, t))
        self.t, self.what = t, what
        self.device = t.device
        _cl_device(self.device, what)
        self.dtype = dtype_of(t, what)
        self.shape = _shape(t, what)
        self.numel = math.prod(self.shape)
        self.new = None
        if self.numel and _is_view(t):
            raise ValueError("%s is a view (%s) of another tensor's buffer, and tinygrad's OpenCL device has no "
                             "buffer views: initialize the tensor that owns the buffer, or pass .contiguous() "
                             "for a copy" % (what, t.uop.op.name))

    def target(self):
        """Makes the buffer ready (allocates it, or makes the new tensor) and returns the _inplace.Target. Called
        once every tensor has been checked and the pending ones realized (_realize_pending)."""
        _, Tensor = _tinygrad()
        t = self.t
        owner = _own_buffer(t)
        if owner is None:
            self.new = Tensor.empty(*self.shape, dtype=t.dtype, device=self.device)
            owner = _own_buffer(self.new)
        buf = owner.buffer
        if buf.size != self.numel:
            raise ValueError("%s: its buffer holds %d elements, not the %d of its shape" % (self.what, buf.size,
                                                                                           self.numel))
        buf.ensure_allocated()
        return _inplace.Target(_ptr(buf._buf), 0, self.shape, self.dtype, self.what, self.device)

    def commit(self):
        if self.new is not None:
            self.t.replace(self.new)


def _realize_pending(places):
    """Runs the writes pending into the tensors' buffers (one tinygrad schedule for all), so that they land
    before clinit's fill and every tensor sharing the buffer sees the fill."""
    _, Tensor = _tinygrad()
    pending = [p.t for p in places if _pending(p.t)]
    if pending:
        Tensor.realize(*pending)


def _fill(batches, seed):
    """One fill_batch per device, on tinygrad's in-order queue of that device. batches: {device: [(fill_batch
    item, the tensor's name for messages)]}."""
    for device, batch in batches.items():
        queue = _ptr(_cl_device(device, "device").queue)
        _inplace.fill_batch(context(device), queue, [b for b, _ in batch], [w for _, w in batch], seed)


def init_tensor(t, init, /, *, seed=0, stream=None, layout=None, in_axes=None, out_axes=None, batch_axes=None,
                **params):
    """Initializes the tinygrad tensor t (on tinygrad's OpenCL device) with initializer `init`, on its device,
    and returns t. The values are clinit.reference(t.shape, init, dtype=t's, layout=..., seed=seed,
    stream=stream, **params), bit for bit.

    t: a tinygrad.Tensor of dtype float32, float16, bfloat16, float64, int32 or int64 (see the module's docstring
    for which tensors are filled in place, which get a new buffer, and which are refused). t and init are
    positional.
    init, params, layout, in_axes, out_axes, batch_axes: as Context.fill's (layout "oi", PyTorch's (out, in,
    *kernel), is the default and tinygrad.nn's layout; "io" for Keras-style kernels).
    seed: an int in [0, 2^64). stream: an int in [0, 2^64), a tensor name (str: clinit_stream_from_name, as
    `clinit init` names a manifest's tensors) or None (0).
    Raises TypeError (t not a tinygrad.Tensor; an argument of a wrong type, as Context.fill), ValueError (t on
    another device, sharded, a view, of another dtype or a symbolic shape; a value out of range, as
    Context.fill), clinit.Error (the library's refusal, as Context.fill: INVALID_RANK for a rank-1 tensor with
    an initializer that needs fans, UNSUPPORTED_DTYPE for float64 without cl_khr_fp64, ...). Nothing is written
    and t is unchanged when it raises."""
    place = _Place(t, "t")
    if not place.numel:
        return t
    args = dict(shape=place.shape, init=init, dtype=place.dtype, layout=layout, stream=stream, **params)
    for key, axes in (("in_axes", in_axes), ("out_axes", out_axes), ("batch_axes", batch_axes)):
        if axes is not None:
            args[key] = axes
    validate(**{k: v for k, v in args.items() if k != "stream"})  # before the pending writes run
    _realize_pending([place])
    args.update(buffer=place.target().buffer, offset_bytes=0)
    _fill({place.device: [(args, "t")]}, seed)
    place.commit()
    return t


def init_state_dict(state_dict, manifest, *, seed=None, strict=True):
    """Initializes the tensors of a tinygrad state dict (tinygrad.nn.state.get_state_dict(model), or any
    {name: Tensor}) by a manifest's rules, each on its own OpenCL device: the tensor named N gets the values of
    the manifest's tensor N, bit for bit those of `clinit init --manifest M --seed S`'s file (the stream of each
    is clinit_stream_from_name(N)). Returns InitResult(initialized, missing_keys, unexpected_keys): the names
    filled (manifest order), the state dict's names the manifest lacks (left as they were) and the manifest's
    names the state dict lacks.

    manifest: a clinit.manifest.Manifest, a path to a manifest (JSON, README "Manifests"), or a dict of its
    structure; read and validated whole first (clinit.manifest.ManifestError naming the file, tensor and field).
    seed: an int in [0, 2^64), or None for the manifest's seed (as `clinit init` without --seed).
    strict: True (default) raises ValueError when either list is not empty, as torch's load_state_dict.
    Every tensor is checked before anything is written: a shape or dtype other than the manifest's (the values
    would be another tensor's), and what init_tensor refuses, raise ValueError or TypeError naming the tensor
    (state_dict['fc.weight']); nothing is written and no tensor changes then. The tensors on one device are
    filled with one clinit fill_batch on tinygrad's queue; with several devices, one each (a refusal by a later
    device's clinit.Error leaves the earlier devices' tensors filled)."""
    if not isinstance(state_dict, dict):
        raise TypeError("state_dict must be a dict {name: tinygrad.Tensor}, not %r" % (state_dict,))
    m = _inplace.as_manifest(manifest)
    pairs, missing, unexpected = _inplace.match(m, list(state_dict), strict)
    places = [(entry, _Place(state_dict[name], "state_dict[%r]" % name)) for entry, name in pairs]
    for entry, place in places:
        _inplace.check(entry, place)
    batches = {}
    filled = [(entry, place) for entry, place in places if place.numel]
    _realize_pending([place for _, place in filled])
    for entry, place in filled:
        item = dict(entry.fill_args(), buffer=place.target().buffer, offset_bytes=0)
        batches.setdefault(place.device, []).append((item, place.what))
    _fill(batches, m.seed if seed is None else seed)
    for _, place in filled:
        place.commit()
    return InitResult([entry.name for entry, _ in places], missing, unexpected)
