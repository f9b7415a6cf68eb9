"""Unit and property tests for :mod:`reference.checks.matrices`."""

from __future__ import annotations

import time

import numpy as np
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.checks.matrices import check_jacobian, check_matrix
from reference.checks.result import CheckResult
from reference.checks.tolerance import Tolerance

entries = st.floats(-1e6, 1e6)
square = hnp.arrays(np.float64, st.integers(2, 5).map(lambda n: (n, n)), elements=entries)
rect = hnp.arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=entries)

J = np.array([[2.0, 1.0], [1.0, 4.0], [0.5, 0.0]])
NAMES = {"row_names": ["f1", "f2", "f3"], "col_names": ["x", "y"]}


@given(rect)
def test_matrix_equals_itself(a):
    assert check_matrix(a, a).passed
    assert check_matrix(a.tolist(), a).passed


@given(square)
def test_square_transpose_is_detected(a):
    assume(not np.all(Tolerance().close(a, a.T)))
    r = check_matrix(a.T, a)
    assert r.note == "transposed" and r.score == 0.5


@given(rect)
def test_rectangular_transpose_is_detected(a):
    assume(a.shape[0] != a.shape[1])
    assert check_jacobian(a.T, a).note == "transposed"


def test_symmetric_matrix_is_not_called_transposed():
    s = np.array([[2.0, 1.0], [1.0, 3.0]])
    assert check_matrix(s, s).passed
    assert check_matrix([[2.0, 1.0], [1.0, 4.0]], s).note == "wrong"


def test_jacobian_names_wrong_entries():
    student = J.copy()
    student[1, 1] = 5.0
    r = check_jacobian(student, J, **NAMES)
    assert r.score == 0.0 and "d f2 / d y" in r.feedback and "4" not in r.feedback
    assert "expected 4" in check_jacobian(student, J, reveal=True, **NAMES).feedback


def test_jacobian_default_names_and_shape_hint():
    student = J.copy()
    student[2, 0] = 1.0
    assert "d f3 / d x1" in check_jacobian(student, J).feedback
    r = check_jacobian(J[:2], J, **NAMES)
    assert r.note == "wrong-shape" and "one row per output" in r.feedback


def test_transposed_square_jacobian():
    j = np.array([[0.0, 1.0], [5.0, 1.0]])
    r = check_jacobian(j.T, j, row_names=["u", "v"], col_names=["x", "y"])
    assert r.note == "transposed" and 0 < r.score < 1


def test_sympy_matrices():
    assert check_matrix(sp.Matrix([[1, sp.Rational(1, 2)]]), [[1.0, 0.5]]).passed
    assert check_jacobian(sp.Matrix([[2, 1], [1, 4], [sp.Rational(1, 2), 0]]), J).passed
    r = check_matrix(sp.Matrix([[sp.Symbol("t"), 1]]), [[1.0, 1.0]])
    assert r.note == "wrong-type" and "t" in r.feedback


def test_vector_for_matrix_is_rejected():
    r = check_matrix([1.0, 2.0], [[1.0, 2.0]])
    assert r.note == "wrong-shape" and "2-D" in r.feedback


def test_transposed_credit_option():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert check_matrix(a.T, a, transposed_credit=0.25).score == 0.25


def test_pathological_inputs_return_quickly(capfd):
    class Slow:
        def __array__(self, dtype=None, copy=None):
            time.sleep(30)

    start = time.process_time()
    assert check_matrix(Slow(), J, timeout=0.3).note == "timeout"
    assert check_matrix(np.ones((3000, 3000)), J).note == "wrong-shape"
    assert time.process_time() - start < 5
    assert capfd.readouterr().err == ""


junk = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.floats(),
    st.lists(st.lists(st.one_of(st.floats(), st.none(), st.text(max_size=1)), max_size=3)),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(student=junk)
def test_never_raises_never_writes_stderr(student, capfd):
    for check in (check_matrix, check_jacobian):
        r = check(student, J)
        assert isinstance(r, CheckResult) and r.note != "check-error"
    assert capfd.readouterr().err == ""
