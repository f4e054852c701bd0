"""clinit.tinygrad and clinit.clarray import without their frameworks (import clinit never needs them) and say
what is missing when called (the framework hidden from import here, as where it is not installed)."""
import sys

import pytest

import clinit.clarray as cca
import clinit.tinygrad as cit


def test_tinygrad_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "tinygrad", None)  # import tinygrad raises ImportError
    with pytest.raises(ImportError, match=r"clinit.tinygrad needs tinygrad \(pip install tinygrad\)"):
        cit.init_tensor(object(), "normal")
    with pytest.raises(ImportError, match="clinit.tinygrad needs tinygrad"):
        cit.context("CL")


def test_pyopencl_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyopencl", None)
    monkeypatch.setitem(sys.modules, "pyopencl.array", None)
    with pytest.raises(ImportError, match=r"clinit.clarray needs PyOpenCL \(pip install pyopencl\)"):
        cca.init_array(object(), "normal")


def test_not_a_dict():
    with pytest.raises(TypeError, match=r"state_dict must be a dict \{name: tinygrad.Tensor\}, not \[\]"):
        cit.init_state_dict([], {"tensors": []})
    with pytest.raises(TypeError, match=r"arrays must be a dict \{name: pyopencl.array.Array\}, not \[\]"):
        cca.init_arrays([], {"tensors": []})
    with pytest.raises(TypeError, match="manifest must be a clinit.manifest.Manifest, a path or a dict, not 5"):
        cit.init_state_dict({}, 5)
