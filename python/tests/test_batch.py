"""Context.fill_batch (clinit_fill_batch) and Context.launch_count (clinit_ctx_launch_count): a batch writes
exactly the bytes of one fill per tensor, in one launch per (buffer, dtype) group of element-wise tensors, and
a refused batch raises naming the item and enqueues nothing."""
import numpy as np
import pyopencl as cl
import pytest

import clinit

SENTINEL = 0xA5  # every byte no tensor covers keeps it

# Element-wise initializers, all f32, packed with gaps: the batch kernel's case (one launch for all of them).
ELEMENTWISE = [
    dict(shape=(64, 3, 7, 7), init="kaiming_normal", stream="conv1.weight", mode="fan_out", nonlinearity="relu"),
    dict(shape=(64,), init="ones", stream="bn1.weight"),
    dict(shape=(64,), init="zeros", stream="bn1.bias"),
    dict(shape=(1000, 37), init="linear_default_weight", stream="fc.weight"),
    dict(shape=(1000,), init="linear_default_bias", stream="fc.bias", fan_in=37),
    dict(shape=(33, 17), init="uniform", stream=7, a=-0.5, b=0.25),
    dict(shape=(50, 40), init="trunc_normal", stream=8, std=0.02, a=-0.04, b=0.04),
    dict(shape=(3, 3, 16, 32), init="he_normal", layout="io", stream="conv2.kernel"),
    dict(shape=(768, 12, 64), init="glorot_uniform", in_axes=[0], out_axes=[1, 2], stream="attn.qkv"),
    dict(shape=(5, 7), init="constant", stream=9, val=0.1),
    dict(shape=(0, 4), init="normal", stream=10),  # empty: no bytes, no launch
]


def nbytes(item):
    size = {"f32": 4, "f16": 2, "bf16": 2, "f64": 8}[item.get("dtype", "f32")]
    shape = item["box"][1] if "box" in item else item["shape"]
    return int(np.prod(shape, dtype=np.int64)) * size


def pack(items, gap=24):
    """The items with offset_bytes set: one after the other, `gap` sentinel bytes between them (each offset a
    multiple of 8, so of every dtype's size); and the bytes the buffer needs."""
    out, offset = [], gap
    for item in items:
        out.append(dict(item, offset_bytes=offset))
        offset += (nbytes(item) + gap + 7) // 8 * 8
    return out, offset


def sentinel_buffer(cl_ctx, size):
    host = np.full(size, SENTINEL, dtype=np.uint8)
    return cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE | cl.mem_flags.COPY_HOST_PTR, hostbuf=host)


def read(queue, buf, size, ev=None):
    out = np.empty(size, dtype=np.uint8)
    cl.enqueue_copy(queue, out, buf, wait_for=[ev] if ev is not None else None)
    return out


def one_by_one(ctx, cl_ctx, queue, items, size, seed):
    """The buffer's bytes after one Context.fill per item, same arguments."""
    buf = sentinel_buffer(cl_ctx, size)
    for item in items:
        kw = dict(item)
        kw.pop("buffer", None)
        ctx.fill(queue, buf, kw.pop("shape"), kw.pop("init"), seed=seed, **kw)
    return read(queue, buf, size)


def test_batch_equals_one_fill_per_tensor_in_one_launch(ctx, cl_ctx, queue):
    items, size = pack(ELEMENTWISE)
    buf = sentinel_buffer(cl_ctx, size)
    before = ctx.launch_count
    ev = ctx.fill_batch(queue, items, seed=1234, buffer=buf)
    assert ctx.launch_count - before == 1  # ten non-empty f32 element-wise tensors in one buffer: one launch
    assert isinstance(ev, cl.Event)
    got = read(queue, buf, size, ev)
    before = ctx.launch_count
    want = one_by_one(ctx, cl_ctx, queue, items, size, 1234)
    assert ctx.launch_count - before == 10  # one per non-empty tensor; the empty one is a marker
    assert got.tobytes() == want.tobytes()
    # Real values were written (not sentinel bytes on both sides), and they are the host reference's.
    first = items[0]
    w = got[first["offset_bytes"]:first["offset_bytes"] + nbytes(first)].view(np.float32).reshape(first["shape"])
    np.testing.assert_array_equal(w, clinit.reference(first["shape"], "kaiming_normal", seed=1234,
                                                      stream="conv1.weight", mode="fan_out", nonlinearity="relu"))
    bias = items[4]
    b = got[bias["offset_bytes"]:bias["offset_bytes"] + nbytes(bias)].view(np.float32)
    np.testing.assert_array_equal(b, clinit.reference((1000,), "linear_default_bias", seed=1234, stream="fc.bias",
                                                      fan_in=37))
    assert (got[:items[0]["offset_bytes"]] == SENTINEL).all()
    assert (got[items[1]["offset_bytes"] - 24:items[1]["offset_bytes"]] == SENTINEL).all()


def test_mixed_batch_equals_one_fill_per_tensor(ctx, cl_ctx, device, queue):
    """Other dtypes, boxes and the initializers that are not element-wise (each its own fill inside the batch)
    give the same bytes too; launches: one per (buffer, dtype) group plus those of the others."""
    mixed = [
        dict(shape=(40, 30), init="normal", dtype="f16", stream="a", std=0.5),
        dict(shape=(40, 30), init="xavier_normal", dtype="bf16", stream="b"),
        dict(shape=(12, 10, 3), init="kaiming_uniform", stream="c", box=((4, 0, 0), (5, 10, 3))),  # one run
        dict(shape=(12, 10, 3), init="kaiming_uniform", stream="c", box=((4, 2, 0), (5, 8, 3))),  # five runs
        dict(shape=(16, 8), init="orthogonal", stream="d", gain=2.0),
        dict(shape=(6, 6), init="eye", stream="e"),
        dict(shape=(20, 10), init="sparse", stream="f", sparsity=0.3),
        dict(shape=(100,), init="uniform", dtype="f16", stream="g", a=-1, b=1),
    ]
    if "cl_khr_fp64" in device.extensions:
        mixed.append(dict(shape=(30, 20), init="lecun_normal", dtype="f64", stream="h"))
    items, size = pack(mixed)
    buf = sentinel_buffer(cl_ctx, size)
    single = {}
    for k, item in enumerate(items):  # each item's own launches, on a scratch buffer
        kw = dict(item)
        scratch = sentinel_buffer(cl_ctx, size)
        before = ctx.launch_count
        ctx.fill(queue, scratch, kw.pop("shape"), kw.pop("init"), seed=5, **kw)
        single[k] = ctx.launch_count - before
    assert single[4] == 2 * 8 + 2 * 1 + 2  # orthogonal, 16 x 8: 2n + 2⌈n/16⌉ + 2
    before = ctx.launch_count
    ev = ctx.fill_batch(queue, items, seed=5, buffer=buf)
    batched = ctx.launch_count - before
    # f16 (items 0, 7), bf16 (1), f32 one-run box (2): three groups; the rest (3: five runs, 4, 5, 6, 8) alone.
    alone = [3, 4, 5, 6] + ([8] if len(items) > 8 else [])
    assert batched == 3 + sum(single[k] for k in alone)
    assert read(queue, buf, size, ev).tobytes() == one_by_one(ctx, cl_ctx, queue, items, size, 5).tobytes()


def test_groups_per_buffer_and_per_item_buffers(ctx, cl_ctx, queue):
    items, size = pack(ELEMENTWISE[:4])
    a, b = sentinel_buffer(cl_ctx, size), sentinel_buffer(cl_ctx, size)
    items = [dict(item, buffer=a if k % 2 else b) for k, item in enumerate(items)]  # item buffers win
    before = ctx.launch_count
    ev = ctx.fill_batch(queue, items, seed=3, buffer=cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 8))
    assert ctx.launch_count - before == 2  # one launch per buffer
    ev.wait()
    want_a = one_by_one(ctx, cl_ctx, queue, [i for k, i in enumerate(items) if k % 2], size, 3)
    want_b = one_by_one(ctx, cl_ctx, queue, [i for k, i in enumerate(items) if not k % 2], size, 3)
    assert read(queue, a, size).tobytes() == want_a.tobytes()
    assert read(queue, b, size).tobytes() == want_b.tobytes()
    assert not (want_a == SENTINEL).all() and not (want_b == SENTINEL).all()


def test_seed_and_streams_matter(ctx, cl_ctx, queue):
    items, size = pack([dict(shape=(256,), init="normal", stream=s) for s in (0, 1)])
    buf = sentinel_buffer(cl_ctx, size)
    got = read(queue, buf, size, ctx.fill_batch(queue, items, seed=11, buffer=buf))
    x, y = (got[i["offset_bytes"]:i["offset_bytes"] + 1024].view(np.float32) for i in items)
    assert not np.array_equal(x, y)
    np.testing.assert_array_equal(x, clinit.reference((256,), "normal", seed=11, stream=0))
    np.testing.assert_array_equal(y, clinit.reference((256,), "normal", seed=11, stream=1))
    again = read(queue, buf, size, ctx.fill_batch(queue, items, seed=12, buffer=buf))
    np.testing.assert_array_equal(again[items[0]["offset_bytes"]:][:1024].view(np.float32),
                                  clinit.reference((256,), "normal", seed=12, stream=0))


def test_empty_batch_and_wait_for(ctx, cl_ctx, queue):
    before = ctx.launch_count
    ev = ctx.fill_batch(queue, [], seed=1)
    ev.wait()  # a marker: it completes, no launch
    assert ctx.launch_count == before
    # Every launch waits for wait_for: nothing is written before the user event completes.
    items, size = pack(ELEMENTWISE[:3])
    buf = sentinel_buffer(cl_ctx, size)
    gate = cl.UserEvent(cl_ctx)
    ev = ctx.fill_batch(queue, items, seed=2, buffer=buf, wait_for=[gate])
    assert ev.command_execution_status != cl.command_execution_status.COMPLETE
    gate.set_status(cl.command_execution_status.COMPLETE)
    ev.wait()
    assert read(queue, buf, size).tobytes() == one_by_one(ctx, cl_ctx, queue, items, size, 2).tobytes()
    with pytest.raises(ValueError, match="closed"):
        closed = clinit.Context(cl_ctx, cl_ctx.devices[0])
        closed.close()
        closed.launch_count


def ones(**kw):
    return dict(dict(shape=(4,), init="ones"), **kw)


BAD = [
    # (items, exception, clinit.Error name or None, words the message holds)
    ("ones", TypeError, None, ["items must be a list or tuple"]),
    ({"shape": (4,), "init": "ones"}, TypeError, None, ["items must be a list or tuple"]),
    ([ones(), 4], TypeError, None, ["items[1]: 4 is not a dict"]),
    ([ones(), dict(shape=(4,))], TypeError, None, ["items[1]: no 'init'"]),
    ([dict(init="ones")], TypeError, None, ["items[0]: no 'shape'"]),
    ([ones(shape=(2.9,))], TypeError, None, ["items[0]: shape[0] must be an int"]),
    ([ones(offset_bytes=16.0)], TypeError, None, ["items[0]: offset_bytes must be an int"]),
    ([ones(), ones(offset_bytes=-4)], ValueError, None, ["items[1]: offset_bytes must be in [0, 2^64)"]),
    ([ones(stream=-1)], ValueError, None, ["items[0]: stream must be in [0, 2^64)"]),
    ([ones(dtype="int8")], ValueError, None, ["items[0]: dtype 'int8'"]),
    ([ones(), ones(offset_bytes=8)], clinit.Error, "INVALID_PARAMETER",
     ["items[0] and items[1] overlap: bytes [0, 16) and [8, 24) of one buffer"]),
    ([ones(offset_bytes=32), ones(shape=(2, 3), offset_bytes=64), ones(shape=(60,), offset_bytes=0)], clinit.Error,
     "INVALID_PARAMETER", ["items[0] and items[2] overlap: bytes [32, 48) and [0, 240) of one buffer"]),
    ([ones(), ones(offset_bytes=248)], clinit.Error, "BUFFER_TOO_SMALL", ["items[1]: ", "offset"]),
    ([ones(), ones(offset_bytes=18)], clinit.Error, "MISALIGNED_OFFSET", ["items[1]: ", "offset_bytes 18"]),
    ([ones(), ones(shape=(4,), init="kaiming_normal", offset_bytes=32)], clinit.Error, "INVALID_RANK",
     ["items[1]: "]),
    ([ones(), dict(shape=(4,), init="uniform", a=1, b=0, offset_bytes=32)], clinit.Error, "INVALID_PARAMETER",
     ["items[1]: "]),
    ([ones(), dict(shape=(4,), init="constant", offset_bytes=32)], clinit.Error, "INVALID_PARAMETER",
     ["items[1]: ", "val"]),
    ([ones(), dict(shape=(2, 2), init="kaiming_normal", gain=2, offset_bytes=32)], clinit.Error,
     "UNKNOWN_PARAMETER", ["items[1]: ", "a, mode, nonlinearity"]),
    ([dict(shape=(2, 2), init="he_glorot")], clinit.Error, "INVALID_INIT", ["items[0]: "]),
    ([ones(), ones(shape=(4, -1), offset_bytes=32)], clinit.Error, "INVALID_SHAPE", ["items[1]: "]),
]


@pytest.mark.parametrize("items, exc, name, words", BAD, ids=["bad%d" % k for k in range(len(BAD))])
def test_refused_batch_enqueues_nothing(ctx, cl_ctx, queue, items, exc, name, words):
    buf = sentinel_buffer(cl_ctx, 256)
    before = ctx.launch_count
    with pytest.raises(exc) as e:
        ctx.fill_batch(queue, items, seed=1, buffer=buf)
    if name:
        assert e.value.name == name, str(e.value)
        assert e.value.message.startswith(words[0]), e.value.message
    for w in words:
        assert w in str(e.value), str(e.value)
    assert ctx.launch_count == before
    assert (read(queue, buf, 256) == SENTINEL).all()  # items[0], valid in most cases, was not written either


def test_refused_arguments(ctx, cl_ctx, device, queue):
    buf = sentinel_buffer(cl_ctx, 64)
    with pytest.raises(TypeError, match=r"items\[0\]: no 'buffer'"):
        ctx.fill_batch(queue, [ones()])
    with pytest.raises(TypeError, match=r"items\[0\]: buffer: expected a pyopencl.Buffer or an int cl_mem handle, not 'buf'"):
        ctx.fill_batch(queue, [ones()], buffer="buf")
    with pytest.raises(ValueError, match=r"seed must be in \[0, 2\^64\)"):
        ctx.fill_batch(queue, [ones()], seed=1 << 64, buffer=buf)
    with pytest.raises(TypeError, match="seed must be an int"):
        ctx.fill_batch(queue, [ones()], seed=1.5, buffer=buf)
    with pytest.raises(ValueError, match="queue is required"):
        ctx.fill_batch(None, [ones()], buffer=buf)
    other = cl.CommandQueue(cl.Context([device]))
    with pytest.raises(clinit.Error) as e:
        ctx.fill_batch(other, [ones()], buffer=buf)
    # the queue is the call's, not an item's: refused before the items (an empty batch too)
    assert (e.value.name, e.value.message) == ("INVALID_QUEUE", "queue: belongs to another context or device than ctx")
    with pytest.raises(clinit.Error) as e:
        ctx.fill_batch(other, [], buffer=buf)
    assert (e.value.name, e.value.message) == ("INVALID_QUEUE", "queue: belongs to another context or device than ctx")
    # Touching ends and a zero-size item inside another's bytes are no overlap.
    ev = ctx.fill_batch(queue, [ones(), ones(offset_bytes=16), ones(shape=(0,), offset_bytes=4)], buffer=buf)
    got = read(queue, buf, 64, ev)
    np.testing.assert_array_equal(got[:32].view(np.float32), np.ones(8, np.float32))
    assert (got[32:] == SENTINEL).all()
