"""Unit and property tests for :mod:`reference.checks.numeric`."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.checks.numeric import as_float_array, check_array, check_number
from reference.checks.result import NOTES, CheckResult
from reference.checks.tolerance import Tolerance

finite = st.floats(allow_nan=False, allow_infinity=False)
sizable = st.floats(min_value=1e-10, max_value=1e300) | st.floats(
    min_value=-1e300, max_value=-1e-10
)
FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


def test_notes_are_registered():
    for tag in ("wrong-type", "wrong-shape", "not-finite", "transposed"):
        assert tag in NOTES


@given(finite)
def test_number_equals_itself(x):
    assert check_number(x, x).score == 1.0


@given(sizable)
def test_relative_error_1e_3_fails(x):
    r = check_number(x * (1 + 1e-3), x)
    assert r.score == 0.0 and r.note == "wrong"


@given(sizable)
def test_relative_error_1e_8_passes(x):
    assert check_number(x * (1 + 1e-8), x).passed


@given(sizable)
def test_sign_error_gets_partial_credit(x):
    r = check_number(-x, x)
    assert r.note == "sign-error" and 0 < r.score < 1


@given(finite)
def test_equivalent_containers_pass(x):
    for form in (x, [x], (x,), np.array(x), np.array([x]), np.float64(x)):
        assert check_number(form, x).passed, form


def test_integer_and_float32_forms():
    assert check_number(3, 3.0).passed
    assert check_number(np.int8(3), 3.0).passed
    assert check_number(np.float32(0.1), 0.1).passed
    assert check_number(sp.Rational(1, 3), 1 / 3).passed


def test_tiny_values_are_compared_relatively():
    assert check_number(1.0000001e-9, 1e-9).passed
    assert not check_number(2e-9, 1e-9).passed
    assert check_number(1e-15, 0.0).passed


def test_tolerance_options():
    assert check_number(1.01, 1.0, rtol=0.05).passed
    assert not check_number(1.01, 1.0).passed
    assert check_number(0.004, 0.0, atol=0.01).passed


@pytest.mark.parametrize(
    ("student", "note", "says"),
    [
        (None, "missing", "missing"),
        (..., "missing", "missing"),
        ("2.5", "wrong-type", "string"),
        (True, "wrong-type", "boolean"),
        ({"x": 1}, "wrong-type", "dictionary"),
        (math.sqrt, "wrong-type", "function"),
        ((i for i in range(2)), "wrong-type", "generator"),
        (1 + 1j, "wrong-type", "complex"),
        (sp.Symbol("x"), "wrong-type", "symbol"),
        (math.nan, "not-finite", "nan"),
        (math.inf, "not-finite", "infinity"),
        ([1.0, 2.0], "wrong-shape", "single number"),
    ],
)
def test_bad_number_inputs_have_clear_messages(student, note, says, capfd):
    r = check_number(student, 2.5)
    assert r.score == 0.0 and r.note == note and says in r.feedback.lower()
    assert capfd.readouterr().err == ""


def test_lying_eq_is_never_trusted():
    class Liar:
        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    assert check_number(Liar(), 2.0).note == "wrong-type"
    assert check_array([Liar(), Liar()], [1.0, 2.0]).note == "wrong-type"


def test_hostile_float_does_not_raise(capfd):
    class Hostile:
        def __float__(self):
            raise SystemError("nope")

        def __array__(self, dtype=None, copy=None):
            raise KeyError("nope")

    r = check_number(Hostile(), 1.0)
    assert isinstance(r, CheckResult) and r.score == 0.0
    assert capfd.readouterr().err == ""


def test_slow_conversion_times_out():
    class Slow:
        def __float__(self):
            while True:
                pass

    start = time.process_time()
    r = check_number(Slow(), 1.0, timeout=0.3)
    assert r.note == "timeout"
    assert time.process_time() - start < 5


@pytest.mark.parametrize("expected", [3.14159, -271.828, 6.02e23])
def test_feedback_hides_expected_unless_revealed(expected):
    for student in (expected * 1.5, expected + 1, "x", [expected, expected]):
        r = check_number(student, expected)
        assert f"{expected:.6g}" not in r.feedback and repr(expected) not in r.feedback
    assert f"{expected:.6g}" in check_number(expected * 1.5, expected, reveal=True).feedback


def test_feedback_hides_array_entries_unless_revealed():
    exp = np.array([3.14159, 2.71828, 1.41421])
    r = check_array([3.14159, 9.0, 1.41421], exp)
    assert "2.71828" not in r.feedback and "[1]" in r.feedback
    assert "2.71828" in check_array([3.14159, 9.0, 1.41421], exp, reveal=True).feedback
    r = check_array(2 * exp, exp)
    assert r.note == "constant-factor" and "3.14159" not in r.feedback


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4), elements=finite))
def test_array_equals_itself_in_any_container(a):
    assert check_array(a, a).passed
    assert check_array(a.tolist(), a).passed


@given(
    hnp.arrays(
        np.float64, st.tuples(st.integers(2, 5), st.integers(2, 5)), elements=st.floats(-1e6, 1e6)
    )
)
def test_transposed_matrix_is_flagged(a):
    assume(not np.all(Tolerance().close(a, a.T)) if a.shape[0] == a.shape[1] else True)
    r = check_array(a.T, a)
    assert r.note == "transposed" and 0 < r.score < 1


def test_wrong_entries_are_counted_and_located():
    exp = np.arange(10.0)
    student = exp.copy()
    student[[2, 7]] += 1
    r = check_array(student, exp)
    assert r.note == "wrong" and "2 of 10" in r.feedback and "[2]" in r.feedback
    assert "[7]" in r.feedback


def test_shape_messages():
    r = check_array([1.0, 2.0], [1.0, 2.0, 3.0])
    assert r.note == "wrong-shape" and "(3,)" in r.feedback and "(2,)" in r.feedback
    r = check_array([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0, 4.0]])
    assert r.note == "wrong-shape" and "ragged" in r.feedback
    assert check_array([5.0, 5.0], 5.0, shape=(2,)).passed


def test_nan_and_inf_entries():
    assert check_array([1.0, np.nan], [1.0, 2.0]).note == "not-finite"
    assert check_array([1.0, np.nan], [1.0, np.nan]).passed
    assert check_array([np.inf], [np.inf]).passed
    assert not check_array([np.inf], [-np.inf]).passed


def test_huge_array_returns_quickly():
    big = np.ones(10**7)
    start = time.process_time()
    assert check_array(big, np.ones(3)).note == "wrong-shape"
    assert check_number(big, 1.0).note == "wrong-shape"
    assert check_array(big, big).passed
    assert time.process_time() - start < 5


def test_as_float_array_accepts_sympy_matrix():
    assert as_float_array(sp.Matrix([[1, 2]])).tolist() == [[1.0, 2.0]]


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.complex_numbers(),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.dictionaries(st.text(max_size=2), st.floats(), max_size=2),
    st.lists(st.one_of(st.floats(), st.text(max_size=2), st.none()), max_size=4),
    st.lists(st.lists(st.floats(), max_size=3), max_size=3),
)


@FIXTURE_OK
@given(student=junk)
def test_never_raises_never_writes_stderr(student, capfd):
    for check, expected in ((check_number, 1.5), (check_array, [1.0, 2.0])):
        r = check(student, expected)
        assert isinstance(r, CheckResult)
        assert r.note != "check-error", (student, r)
    assert capfd.readouterr().err == ""
