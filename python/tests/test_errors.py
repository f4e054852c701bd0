"""Every refused call raises clinit.Error with the status, its string and the library's message."""
import numpy as np
import pyopencl as cl
import pytest

import clinit


def test_error_fields(ctx, cl_ctx, queue):
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        ctx.fill(queue, buf, (16,), "kaiming_normal")
    err = e.value
    assert err.status == 2 and err.name == "INVALID_RANK" and err.status_string == "invalid rank"
    assert "rank" in err.message and str(err).startswith("invalid rank: ")
    assert ctx.message == err.message


@pytest.mark.parametrize("call, name, words", [
    (lambda c, b, q: c.fill(q, b, (100,), "uniform"), "BUFFER_TOO_SMALL", "bytes"),
    (lambda c, b, q: c.fill(q, b, (4,), "uniform", offset_bytes=2), "MISALIGNED_OFFSET", "offset"),
    (lambda c, b, q: c.fill(q, b, (4,), "uniform", a=1, b=0), "INVALID_PARAMETER", ""),
    (lambda c, b, q: c.fill(q, b, (4, -1), "uniform"), "INVALID_SHAPE", ""),
    (lambda c, b, q: c.fill(q, b, (4, 4), "uniform", box=((0, 2), (4, 3))), "INVALID_BOX", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "kaiming_normal", mode="fan_avg"), "INVALID_MODE", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "kaiming_normal", nonlinearity="gelu"), "INVALID_NONLINEARITY", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "kaiming_normal", gain=2), "UNKNOWN_PARAMETER", "a, mode, nonlinearity"),
    (lambda c, b, q: c.fill(q, b, (2, 2), "he_glorot"), "INVALID_INIT", "xavier_uniform"),
    (lambda c, b, q: c.fill(q, b, (2, 2), "normal", std=float("nan")), "INVALID_PARAMETER", ""),
    (lambda c, b, q: c.fill(q, b, (2, 2), "normal", std="wide"), "INVALID_PARAMETER",
     'std = "wide" is not a number'),
    (lambda c, b, q: c.fill(q, b, (2, 3), "xavier_uniform", in_axes=[0], out_axes=[0]),
     "INVALID_LAYOUT", ""),
])
def test_fill_errors(ctx, cl_ctx, queue, call, name, words):
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        call(ctx, buf, queue)
    assert e.value.name == name, str(e.value)
    assert words in str(e.value)


def test_read_only_buffer(ctx, cl_ctx, queue):
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_ONLY, 64)
    with pytest.raises(clinit.Error) as e:
        ctx.fill(queue, buf, (4,), "ones")
    assert e.value.name == "READ_ONLY_BUFFER"
    assert e.value.message == "tensor.buffer: created with CL_MEM_READ_ONLY, which kernels must not write"


def test_status_names_are_the_headers():
    """STATUS_NAMES holds every clinit_status of include/clinit.h, by value, and nothing else."""
    import os
    import re
    header = os.path.join(os.path.dirname(__file__), "..", "..", "include", "clinit.h")
    if not os.path.exists(header):
        pytest.skip("no source tree beside the package")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    enum = text[text.index("typedef enum clinit_status {"):text.index("} clinit_status;")]
    names = {int(v): ("SUCCESS" if n == "SUCCESS" else n[len("ERROR_"):])
             for n, v in re.findall(r"CLINIT_(\w+) = (\d+)", enum)}
    assert names == clinit.STATUS_NAMES


def test_other_context_queue(ctx, cl_ctx, device):
    other = cl.Context([device])
    q = cl.CommandQueue(other)
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        ctx.fill(q, buf, (4,), "ones")
    assert e.value.name == "INVALID_QUEUE"


def test_host_errors():
    with pytest.raises(clinit.Error) as e:
        clinit.reference((4,), "xavier_uniform")
    assert e.value.name == "INVALID_RANK" and "rank" in e.value.message
    with pytest.raises(clinit.Error) as e:
        clinit.reference(tuple([1] * 9), "ones")
    assert e.value.name == "INVALID_RANK"
    with pytest.raises(clinit.Error) as e:
        clinit.calculate_gain("swish")
    assert e.value.name == "INVALID_NONLINEARITY"
    with pytest.raises(clinit.Error) as e:
        clinit.compute_fans((5,))
    assert e.value.name == "INVALID_RANK"
    with pytest.raises(clinit.Error) as e:
        clinit.validate((3, 3), "uniform", a=2.0, b=1.0)
    assert e.value.name == "INVALID_PARAMETER" and e.value.message
    with pytest.raises(TypeError):
        clinit.reference((3,), "uniform", a=True)
    with pytest.raises(ValueError):
        clinit.reference((3,), "uniform", seed=-1)
    with pytest.raises(ValueError):
        clinit.reference((3,), "uniform", dtype="int8")
    assert clinit.validate((3, 3), "uniform", a=1.0, b=2.0) is None
    assert np.isfinite(clinit.reference((3, 3), "trunc_normal", a=float("-inf"), b=0.0)).all()


def test_statuses_the_docstrings_list():
    # resolve refuses a uniform whose width b - a is no double, as fills do (it resolved one with an infinite std)
    with pytest.raises(clinit.Error) as e:
        clinit.resolve((3, 4), "uniform", a=-1e308, b=1e308)
    assert e.value.name == "INVALID_PARAMETER"
    assert e.value.message == "uniform: b = 1e+308 minus a = -1e+308 overflows double"
    half = np.finfo(np.float64).max / 2
    assert clinit.resolve((3, 4), "uniform", a=-half, b=half)["high"] == half  # b - a = DBL_MAX: the widest
    # an integer dtype takes constant, zeros and ones only: validate, scratch_bytes and reference say so
    for call in (clinit.validate, clinit.scratch_bytes, clinit.reference):
        with pytest.raises(clinit.Error) as e:
            call((3,), "normal", dtype="i32")
        assert e.value.name == "UNSUPPORTED_DTYPE"
        assert "integer tensors take constant, zeros or ones" in e.value.message


def test_set_local_size_error_has_the_library_message(ctx, cl_ctx, device, queue):
    """set_local_size used to raise clinit.Error('invalid parameter') with message '' although
    clinit_ctx_message said why; the refused size leaves the previous one."""
    limit = device.max_work_group_size
    with pytest.raises(clinit.Error) as e:
        ctx.set_local_size(limit + 1)
    msg = "local_size %d exceeds the device's CL_DEVICE_MAX_WORK_GROUP_SIZE %d" % (limit + 1, limit)
    assert (e.value.name, e.value.message) == ("INVALID_PARAMETER", msg)
    assert str(e.value) == "invalid parameter: " + msg
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 16)
    ctx.fill(queue, buf, (4,), "ones").wait()
    out = np.empty(4, np.float32)
    cl.enqueue_copy(queue, out, buf)
    np.testing.assert_array_equal(out, np.ones(4, np.float32))


def _fill_batch_overlap(c, b, q, other_q):
    c.fill_batch(q, [dict(shape=(4,), init="ones"), dict(shape=(4,), init="ones", offset_bytes=8)], buffer=b)


@pytest.mark.parametrize("call, name, message", [
    (lambda c, b, q, oq: c.fill(oq, b, (4,), "ones"), "INVALID_QUEUE",
     "queue: belongs to another context or device than ctx"),
    (lambda c, b, q, oq: c.fill(q, b, (4,), "normal", std=float("nan")), "INVALID_PARAMETER",
     "normal: std = nan must be finite and >= 0"),
    (_fill_batch_overlap, "INVALID_PARAMETER",
     "items[0] and items[1] overlap: bytes [0, 16) and [8, 24) of one buffer"),
    (lambda c, b, q, oq: c.fill_batch(oq, [dict(shape=(4,), init="ones")], buffer=b), "INVALID_QUEUE",
     "queue: belongs to another context or device than ctx"),
    (lambda c, b, q, oq: c.fill_batch(q, [dict(shape=(4,), init="ones"),
                                          dict(shape=(4,), init="normal", offset_bytes=16, std=np.nan)], buffer=b),
     "INVALID_PARAMETER", "items[1]: normal: std = nan must be finite and >= 0"),
    (lambda c, b, q, oq: c.sample((4,), "ones", queue=oq), "INVALID_QUEUE",
     "queue: belongs to another context or device than ctx"),
    (lambda c, b, q, oq: c.sample((4,), "normal", std=float("nan")), "INVALID_PARAMETER",
     "normal: std = nan must be finite and >= 0"),
], ids=["fill", "fill-nan", "fill_batch-overlap", "fill_batch-queue", "fill_batch-nan", "sample-queue", "sample-nan"])
def test_context_method_errors_have_the_library_message(ctx, cl_ctx, device, queue, call, name, message):
    """Every Context method that calls a library function on the handle puts clinit_ctx_message in its Error
    (set_local_size: the test above; the constructors: the test below)."""
    other_q = cl.CommandQueue(cl.Context([device]))
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        call(ctx, buf, queue, other_q)
    assert (e.value.name, e.value.message) == (name, message)
    assert str(e.value) == "%s: %s" % (e.value.status_string, message)


@pytest.mark.parametrize("env, make, name, message", [
    ({"CLINIT_DEVICE": "9:9"}, lambda c, d: clinit.Context.default(), "DEVICE_NOT_FOUND",
     'CLINIT_DEVICE="9:9" names no OpenCL device'),
    ({"CLINIT_ITEM_BLOCKS": "3"}, lambda c, d: clinit.Context(c, d), "INVALID_PARAMETER",
     'CLINIT_ITEM_BLOCKS="3" is not 1 or 16'),
], ids=["default", "init"])
def test_context_creation_errors_have_the_library_message(monkeypatch, cl_ctx, device, env, make, name, message):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(clinit.Error) as e:
        make(cl_ctx, device)
    assert (e.value.name, e.value.message) == (name, message)


def test_context_arguments_are_required(cl_ctx, device):
    """Context(None, None) and Context(cl_ctx, None) raised clinit.Error NULL_ARGUMENT with an empty message:
    the argument at fault is now named."""
    ctxt = "cl_context: expected a pyopencl.Context or an int cl_context handle, not None"
    dev = "cl_device: expected a pyopencl.Device or an int cl_device_id handle, not None"
    for args, exc, message in (((None, None), TypeError, ctxt), ((None, device), TypeError, ctxt),
                               ((cl_ctx, None), TypeError, dev),
                               ((0, device), ValueError, "cl_context: 0 is a NULL cl_context"),
                               ((cl_ctx.int_ptr, 0), ValueError, "cl_device: 0 is a NULL cl_device_id")):
        with pytest.raises(exc) as e:
            clinit.Context(*args)
        assert type(e.value) is exc and str(e.value) == message
    with clinit.Context(cl_ctx.int_ptr, device.int_ptr) as c:  # raw handles stay accepted
        assert c.device == device.int_ptr


# (init, shape, params, status, message): the reasons clinit_init_spec_set_message gives (the CLI's too) for the
# text of a parameter, a Python number's str() or repr().
PARAMETER_TEXT = [
    ("normal", (3,), dict(std=" 1"), "INVALID_PARAMETER", 'std = " 1": no blanks are allowed around a value'),
    ("normal", (3,), dict(std="1\t"), "INVALID_PARAMETER", 'std = "1\\t": no blanks are allowed around a value'),
    ("normal", (3,), dict(std="+1"), "INVALID_PARAMETER", 'std = "+1": numbers take no \'+\' sign (write "1")'),
    ("normal", (3,), dict(std="1e999"), "INVALID_PARAMETER",
     'std = "1e999" is beyond the range of a double (it would be inf)'),
    ("normal", (3,), dict(mean="-1e999"), "INVALID_PARAMETER",
     'mean = "-1e999" is beyond the range of a double (it would be -inf)'),
    ("normal", (3,), dict(std="1e-400"), "INVALID_PARAMETER",
     'std = "1e-400" is beyond the range of a double (it would be 0)'),
    # a long value is quoted in its first 64 bytes
    ("normal", (3,), dict(std=10**400), "INVALID_PARAMETER",
     'std = "1%s..." is beyond the range of a double (it would be inf)' % ("0" * 63)),
    # an int is its digits, which a double must hold exactly: 2^53 + 1 was rounded, so an i64 constant wrote 2^53
    ("constant", (3,), dict(val=2**53 + 1), "INVALID_PARAMETER",
     'val = "9007199254740993" is an integer a double does not hold exactly (the doubles on either side are '
     '9007199254740992 and 9007199254740994): give one of them, or write a decimal point to take the nearest'),
    ("constant", (3,), dict(val=np.int64(2**63 - 1)), "INVALID_PARAMETER",
     'val = "9223372036854775807" is an integer a double does not hold exactly (the doubles on either side are '
     '9223372036854774784 and 9223372036854775808): give one of them, or write a decimal point to take the nearest'),
    ("uniform", (3,), dict(a=-(2**60) - 1), "INVALID_PARAMETER",
     'a = "-1152921504606846977" is an integer a double does not hold exactly (the doubles on either side are '
     '-1152921504606846976 and -1152921504606847232): give one of them, or write a decimal point to take the nearest'),
    ("normal", (3,), dict(std="abc"), "INVALID_PARAMETER", 'std = "abc" is not a number'),
    ("normal", (3,), dict(std="nan"), "INVALID_PARAMETER", 'std = "nan" is not a number'),
    ("normal", (3,), dict(std=""), "INVALID_PARAMETER", 'std = "" is not a number'),
    ("normal", (3,), dict(std="0x1p3"), "INVALID_PARAMETER",
     'std = "0x1p3" is not a number (decimal only: no hexadecimal floats)'),
    ("linear_default_bias", (3,), dict(fan_in="1.5"), "INVALID_PARAMETER",
     'fan_in = "1.5" is not a non-negative integer (decimal digits)'),
    ("linear_default_bias", (3,), dict(fan_in=1.5), "INVALID_PARAMETER",
     'fan_in = "1.5" is not a non-negative integer (decimal digits)'),
    ("linear_default_bias", (3,), dict(fan_in=-1), "INVALID_PARAMETER",
     'fan_in = "-1" is not a non-negative integer (decimal digits)'),
    ("linear_default_bias", (3,), dict(fan_in="+1"), "INVALID_PARAMETER",
     'fan_in = "+1": numbers take no \'+\' sign (write "1")'),
    ("linear_default_bias", (3,), dict(fan_in=2**63), "INVALID_PARAMETER",
     'fan_in = "9223372036854775808" is beyond the range of int64_t (at most 9223372036854775807)'),
    ("dirac", (2, 2, 3), dict(groups="two"), "INVALID_PARAMETER",
     'groups = "two" is not a non-negative integer (decimal digits)'),
    ("kaiming_normal", (3, 3), dict(mode="fan_avg"), "INVALID_MODE",
     'unknown mode "fan_avg" for kaiming_normal: not one of fan_in, fan_out'),
    ("kaiming_normal", (3, 3), dict(mode="fan_ot"), "INVALID_MODE",
     'unknown mode "fan_ot" for kaiming_normal: did you mean fan_out?'),
    ("variance_scaling", (3, 3), dict(mode="fan"), "INVALID_MODE",
     'unknown mode "fan" for variance_scaling: not one of fan_in, fan_out, fan_avg, fan_geo_avg'),
    ("kaiming_normal", (3, 3), dict(mode=" fan_in"), "INVALID_MODE",
     'mode = " fan_in": no blanks are allowed around a value'),
    ("kaiming_normal", (3, 3), dict(nonlinearity="swish"), "INVALID_NONLINEARITY",
     'unknown nonlinearity "swish": not one of linear, conv1d, conv2d, conv3d, conv_transpose1d, '
     'conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu, selu'),
    ("kaiming_normal", (3, 3), dict(nonlinearity="rleu"), "INVALID_NONLINEARITY",
     'unknown nonlinearity "rleu": did you mean relu?'),
    ("variance_scaling", (3, 3), dict(distribution="normal"), "INVALID_PARAMETER",
     'distribution "normal" is ambiguous (Keras: truncated, JAX: untruncated): give truncated_normal '
     'or untruncated_normal'),
    ("variance_scaling", (3, 3), dict(distribution="gauss"), "INVALID_PARAMETER",
     'unknown distribution "gauss": not one of truncated_normal, untruncated_normal, uniform'),
    ("normal", (3,), dict(stdev=1), "UNKNOWN_PARAMETER", 'normal takes no parameter "stdev": did you mean std?'),
    ("zeros", (3,), dict(val=1), "UNKNOWN_PARAMETER", 'zeros takes no parameters ("val" given)'),
]


@pytest.mark.parametrize("init, shape, params, name, message", PARAMETER_TEXT,
                         ids=[("%s-%s" % (p[0], "-".join("%s=%r" % kv for kv in p[2].items())))[:60]
                              for p in PARAMETER_TEXT])
def test_refused_parameter_text_says_why(init, shape, params, name, message):
    """The message used to be 'parameter std= 1', without a reason and with the blank invisible; then Python
    rebuilt the CLI's reasons from the library's rules, and the two disagreed (fan_in above INT64_MAX)."""
    for call in (clinit.reference, clinit.validate, clinit.resolve):
        with pytest.raises(clinit.Error) as e:
            call(shape, init, **params)
        assert (e.value.name, e.value.message) == (name, message), call.__name__


def test_refused_parameter_text_in_fill_and_batch(ctx, cl_ctx, queue):
    buf = cl.Buffer(cl_ctx, cl.mem_flags.READ_WRITE, 64)
    with pytest.raises(clinit.Error) as e:
        ctx.fill(queue, buf, (3,), "normal", std=" 1")
    assert e.value.message == 'std = " 1": no blanks are allowed around a value'
    with pytest.raises(clinit.Error) as e:
        ctx.fill_batch(queue, [dict(shape=(3,), init="ones"), dict(shape=(3,), init="normal", std="+1")], buffer=buf)
    assert e.value.message == 'items[1]: std = "+1": numbers take no \'+\' sign (write "1")'
    with pytest.raises(clinit.Error) as e:
        ctx.sample((3,), "normal", std="1e999")
    assert e.value.message == 'std = "1e999" is beyond the range of a double (it would be inf)'


@pytest.mark.parametrize("init, shape, params, message", [
    ("normal", (3,), dict(std=float("nan")), "normal: std = nan must be finite and >= 0"),
    ("normal", (3,), dict(std=np.float32("nan")), "normal: std = nan must be finite and >= 0"),
    ("normal", (3,), dict(mean=np.nan), "normal: mean = nan must be finite"),
    ("uniform", (3,), dict(a=float("nan")), "uniform: a = nan must be finite"),
    ("trunc_normal", (3,), dict(b=float("nan")), "trunc_normal: b = nan must be a number (not NaN)"),
    ("constant", (3,), dict(val=float("nan")), "constant: val = nan must be finite"),
    ("xavier_uniform", (3, 3), dict(gain=float("nan")), "xavier_uniform: gain = nan must be finite and >= 0"),
    ("variance_scaling", (3, 3), dict(scale=float("nan")), "variance_scaling: scale = nan must be finite and > 0"),
    ("sparse", (3, 3), dict(sparsity=float("nan")), "sparse: sparsity = nan must be in [0, 1]"),
    ("normal", (3,), dict(std=float("inf")), "normal: std = inf must be finite and >= 0"),
    ("normal", (3,), dict(std=float("-inf")), "normal: std = -inf must be finite and >= 0"),
])
def test_float_nan_and_inf_reach_the_library_range_check(init, shape, params, message):
    """A float NaN used to go as the text "nan", which clinit_init_spec_set refuses without a reason
    ('parameter std=nan'); it now reaches the range check, whose message says what the value must be."""
    for call in (clinit.reference, clinit.validate, clinit.resolve, clinit.scratch_bytes):
        with pytest.raises(clinit.Error) as e:
            call(shape, init, **params)
        assert (e.value.name, e.value.message) == ("INVALID_PARAMETER", message), call.__name__


def test_nan_of_a_parameter_the_initializer_does_not_take():
    """NaN is set only after the library accepted the name: an unknown one is still UNKNOWN_PARAMETER, and an
    integer parameter refuses it as text."""
    with pytest.raises(clinit.Error) as e:
        clinit.reference((3, 3), "xavier_uniform", std=float("nan"))
    assert (e.value.name, e.value.message) == ("UNKNOWN_PARAMETER", 'xavier_uniform takes no parameter "std": not one of gain')
    with pytest.raises(clinit.Error) as e:
        clinit.reference((3,), "linear_default_bias", fan_in=float("nan"))
    assert (e.value.name, e.value.message) == (
        "INVALID_PARAMETER", 'fan_in = "nan" is not a non-negative integer (decimal digits)')
    assert np.isfinite(clinit.reference((3, 3), "trunc_normal", a=float("-inf"), b=float("inf"))).all()


def test_misspelt_initializer_suggests_the_nearest():
    """As the CLI says it (the library's clinit_init_from_name_message): the nearest name within two edits or in
    other capitals, else the list of every name; INVALID_INIT either way."""
    cases = (("normall", 'unknown initializer "normall": did you mean normal?'),
             ("Kaiming_Normal", 'unknown initializer "Kaiming_Normal": did you mean kaiming_normal?'),
             ("gaussian", 'unknown initializer "gaussian": not one of ' + ", ".join(clinit.initializers())))
    for name, message in cases:
        for call in (lambda: clinit.reference((3,), name), lambda: clinit.param_names(name),
                     lambda: clinit.validate((3,), name)):
            with pytest.raises(clinit.Error) as e:
                call()
            assert (e.value.name, e.value.message) == ("INVALID_INIT", message)
