"""The binding under a decimal-comma locale set with Python's locale.setlocale (which sets the C library's
too): parameters reach libclinit as text with a decimal point ("std = \"0.02\" is not a number" before) and
its messages come back with one ("-0,5" before); the caller's locale stays. scripts/setup.sh generates
de_DE.UTF-8."""
import locale

import numpy as np
import pytest

import clinit

CANDIDATES = ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "es_ES.UTF-8", "it_IT.UTF-8",
              "nl_NL.UTF-8", "ru_RU.UTF-8", "pt_BR.UTF-8")


@pytest.fixture
def comma_locale():
    old = locale.setlocale(locale.LC_ALL)
    for name in CANDIDATES:
        try:
            locale.setlocale(locale.LC_ALL, name)
        except locale.Error:
            continue
        if locale.localeconv()["decimal_point"] == ",":
            break
    else:
        locale.setlocale(locale.LC_ALL, old)
        pytest.fail("no locale with a decimal comma is installed (scripts/setup.sh generates de_DE.UTF-8)")
    yield name
    assert locale.localeconv()["decimal_point"] == ","  # still the caller's
    locale.setlocale(locale.LC_ALL, old)


def test_values_and_parameters(comma_locale):
    locale.setlocale(locale.LC_NUMERIC, "C")
    want = clinit.reference((5, 4), "trunc_normal", seed=3, mean=0.25, std=0.02, a=-0.5, b=0.75)
    kaiming = clinit.reference((6, 3), "kaiming_uniform", seed=4, a=0.01, mode="fan_out")
    locale.setlocale(locale.LC_NUMERIC, comma_locale)
    np.testing.assert_array_equal(
        clinit.reference((5, 4), "trunc_normal", seed=3, mean=0.25, std=0.02, a=-0.5, b=0.75), want)
    np.testing.assert_array_equal(clinit.reference((6, 3), "kaiming_uniform", seed=4, a="0.01", mode="fan_out"),
                                  kaiming)
    assert clinit.resolve((4, 3), "uniform", a=-0.5, b=0.5)["high"] == 0.5


def test_messages(comma_locale, ctx):
    with pytest.raises(clinit.Error) as e:
        clinit.resolve((4, 3), "normal", std=-0.5)
    assert e.value.message == "normal: std = -0.5 must be finite and >= 0"
    with pytest.raises(clinit.Error) as e:
        clinit.reference((4, 3), "uniform", a=0.5, b=0.25)
    assert e.value.message == "uniform: a = 0.5 is greater than b = 0.25"
    with pytest.raises(clinit.Error) as e:
        ctx.sample((4, 3), "trunc_normal", a=2.5, b=1.5)
    assert e.value.message == "trunc_normal: need a <= b, got a = 2.5, b = 1.5"
    with pytest.raises(clinit.Error) as e:
        clinit.reference((4,), "normal", std="0,5")  # the comma is not a decimal point to the library
    assert e.value.message == 'std = "0,5" is not a number'
