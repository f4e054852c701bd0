"""The ctypes Structures of the package have the layout of clinit.h's structs, field for field (offsets and
sizes from tests/install/abi_layout.c: ctest passes the built helper as CLINIT_ABI_LAYOUT; elsewhere it is
compiled here with cc when the repository's include/ is beside the package)."""
import ctypes
import json
import os
import pathlib
import shutil
import subprocess

import pytest

from clinit import _lib

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    exe = os.environ.get("CLINIT_ABI_LAYOUT")
    if not exe:
        src = REPO / "tests" / "install" / "abi_layout.c"
        cc = shutil.which("cc") or shutil.which("gcc")
        if not (src.exists() and cc):
            pytest.skip("no CLINIT_ABI_LAYOUT helper, and no compiler or source to build one")
        exe = str(tmp_path_factory.mktemp("abi") / "abi_layout")
        subprocess.run([cc, "-std=c11", "-I", str(REPO / "include"), str(src), "-o", exe], check=True)
    return json.loads(subprocess.run([exe], check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("cname, pytype", [("clinit_tensor", _lib.Tensor), ("clinit_init_spec", _lib.InitSpec),
                                           ("clinit_distribution", _lib.Distribution),
                                           ("clinit_batch_item", _lib.BatchItem),
                                           ("clinit_init_info", _lib.InitInfo),
                                           ("clinit_param_info", _lib.ParamInfo)])
def test_structure_layout(layout, cname, pytype):
    c = dict(layout[cname])
    assert ctypes.sizeof(pytype) == c.pop("sizeof"), cname
    py = {name: getattr(pytype, name).offset for name, _ in pytype._fields_}
    assert py == c, cname  # same fields, same order of declaration, same offsets


def test_enums_and_rank(layout):
    assert layout["enum"] == ctypes.sizeof(_lib.c_enum)
    assert layout["CLINIT_MAX_RANK"] == _lib.MAX_RANK
