"""The few OpenCL calls the package makes itself (buffers and reads for Context.sample, events), through the
ICD loader libOpenCL with ctypes, so that PyOpenCL stays optional."""
import ctypes
import ctypes.util
import os

CL_SUCCESS = 0
CL_MEM_READ_WRITE = 1 << 0
CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010
CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F

_cl = None


def lib():
    global _cl
    if _cl is not None:
        return _cl
    names = ["libOpenCL.so.1", ctypes.util.find_library("OpenCL") or "libOpenCL.so", "OpenCL"]
    err = None
    for name in names:
        try:
            cl = ctypes.CDLL(name)
            break
        except OSError as e:
            err = e
    else:
        raise OSError("the OpenCL ICD loader (libOpenCL.so.1) cannot be loaded: %s" % err)
    vp, u32, i32, sz = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int32, ctypes.c_size_t
    P = ctypes.POINTER
    protos = {
        "clCreateBuffer": (vp, [vp, ctypes.c_uint64, sz, vp, P(i32)]),
        "clReleaseMemObject": (i32, [vp]),
        "clCreateCommandQueue": (vp, [vp, vp, ctypes.c_uint64, P(i32)]),
        "clReleaseCommandQueue": (i32, [vp]),
        "clEnqueueReadBuffer": (i32, [vp, vp, u32, sz, sz, vp, u32, P(vp), P(vp)]),
        "clFinish": (i32, [vp]),
        "clWaitForEvents": (i32, [u32, P(vp)]),
        "clReleaseEvent": (i32, [vp]),
        "clGetDeviceInfo": (i32, [vp, u32, sz, vp, P(sz)]),
    }
    for fname, (restype, argtypes) in protos.items():
        f = getattr(cl, fname)
        f.restype = restype
        f.argtypes = argtypes
    _cl = cl
    return cl


def check(code, what):
    if code != CL_SUCCESS:
        raise OSError("%s failed with OpenCL error %d" % (what, code))


def device_ulong(device, param, name):
    """A cl_ulong device property (CL_DEVICE_MAX_MEM_ALLOC_SIZE, CL_DEVICE_GLOBAL_MEM_SIZE); name: the param's."""
    value = ctypes.c_uint64(0)
    check(lib().clGetDeviceInfo(device, param, ctypes.sizeof(value), ctypes.byref(value), None),
          "clGetDeviceInfo(%s)" % name)
    return value.value


def create_buffer(context, nbytes):
    err = ctypes.c_int32(0)
    mem = lib().clCreateBuffer(context, CL_MEM_READ_WRITE, max(int(nbytes), 1), None, ctypes.byref(err))
    check(err.value, "clCreateBuffer(%d bytes)" % nbytes)
    return mem


def create_queue(context, device):
    err = ctypes.c_int32(0)
    q = lib().clCreateCommandQueue(context, device, 0, ctypes.byref(err))
    check(err.value, "clCreateCommandQueue")
    return q


def read_buffer(queue, mem, host_ptr, nbytes, event):
    """Blocking read of nbytes after `event` (a cl_event handle or None)."""
    if nbytes == 0:
        return
    wait = (ctypes.c_void_p * 1)(event) if event else None
    check(lib().clEnqueueReadBuffer(queue, mem, 1, 0, nbytes, host_ptr, 1 if event else 0, wait, None),
          "clEnqueueReadBuffer")


class Event:
    """A cl_event clinit returned (when PyOpenCL is not imported): wait() for it; released when collected."""

    def __init__(self, handle):
        self.int_ptr = int(handle)
        self._pid = os.getpid()  # a fork()ed child must not release it: OpenCL calls there never return

    def wait(self):
        h = (ctypes.c_void_p * 1)(self.int_ptr)
        check(lib().clWaitForEvents(1, h), "clWaitForEvents")

    def __del__(self):
        if getattr(self, "int_ptr", 0) and _cl is not None and getattr(self, "_pid", None) == os.getpid():
            _cl.clReleaseEvent(self.int_ptr)
            self.int_ptr = 0
