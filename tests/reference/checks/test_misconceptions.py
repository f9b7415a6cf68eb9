import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reference.checks.misconceptions import diagnose

x = np.linspace(-3, 3, 41)
sig = 1 / (1 + np.exp(-x))
dsig = sig * (1 - sig)


def test_stray_factor_two_in_sigmoid_derivative():
    r = diagnose(2 * sig * (1 - sig), dsig)
    assert r.note == "constant-factor" and 0 < r.score < 1


def test_sign_error():
    assert diagnose(-(3 * x**2 - 4 * x), 3 * x**2 - 4 * x).note == "sign-error"


def test_additive_constant():
    assert diagnose(x**3 - 2 * x**2 + 5, x**3 - 2 * x**2).note == "additive-constant"


def test_integrated_instead_of_differentiated():
    f = x**3 - 2 * x**2 + 1
    antiderivative = x**4 / 4 - 2 * x**3 / 3 + x
    r = diagnose(antiderivative + 7, 3 * x**2 - 4 * x, related={"antiderivative": antiderivative})
    assert r.note == "integrated-instead"
    assert diagnose(f, 3 * x**2 - 4 * x, related={"original": f}).note == "returned-original"


def test_differentiated_instead_of_integrated():
    r = diagnose(6 * x - 4, x**3 - 2 * x**2, related={"derivative": 6 * x - 4})
    assert r.note == "differentiated-instead"


def test_unrelated_answer_is_not_diagnosed():
    assert diagnose(np.sin(x), x**2 + 1) is None


def test_factor_needs_zeros_to_match():
    expected = x.copy()
    student = 2 * x + (np.abs(x) < 1e-12) * 1.0  # right factor, wrong at x = 0
    assert diagnose(student, expected) is None or diagnose(student, expected).note != (
        "constant-factor"
    )


@given(st.floats(min_value=0.05, max_value=20).filter(lambda k: abs(k - 1) > 1e-3))
def test_any_constant_factor_is_named(k):
    r = diagnose(k * dsig, dsig)
    assert r is not None and r.note == "constant-factor"
