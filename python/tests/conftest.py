"""Fixtures: a PyOpenCL context, device and queue on the first OpenCL device (PoCL in CI), and one
clinit.Context on them for the whole session (building the kernels once)."""
import os

import pytest

import clinit


@pytest.fixture(scope="session")
def cl_ctx():
    cl = pytest.importorskip("pyopencl")
    platform = cl.get_platforms()[0]
    device = platform.get_devices()[0]
    return cl.Context([device])


@pytest.fixture(scope="session")
def device(cl_ctx):
    return cl_ctx.devices[0]


@pytest.fixture(scope="session")
def queue(cl_ctx):
    import pyopencl as cl
    return cl.CommandQueue(cl_ctx)


@pytest.fixture(scope="session")
def ctx(cl_ctx, device):
    c = clinit.Context(cl_ctx, device)
    yield c
    c.close()


def pytest_report_header(config):
    try:
        return "libclinit: %s (%s), CLINIT_LIBRARY=%s" % (clinit.library_path(), clinit.library_version(),
                                                          os.environ.get("CLINIT_LIBRARY", "(unset)"))
    except OSError as e:
        return "libclinit: not loaded: %s" % e
