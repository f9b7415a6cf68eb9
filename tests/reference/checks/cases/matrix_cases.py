"""Case rows for :func:`check_matrix` and :func:`check_jacobian`."""

from __future__ import annotations

import time
import warnings

import numpy as np
import sympy as sp

from reference.checks.matrices import check_jacobian, check_matrix

from . import Case


class LyingMatrix:
    """Pretends to equal any matrix; has a shape but is no array."""

    shape = (2, 2)

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class SlowMatrix:
    def __array__(self, dtype=None, copy=None):
        time.sleep(30)


def _m(id_, student, expected, want, note=None, says=None, **options):
    return Case(f"matrix-{id_}", check_matrix, student, expected, want, options, note, says)


def _j(id_, student, expected, want, note=None, says=None, **options):
    return Case(f"jacobian-{id_}", check_jacobian, student, expected, want, options, note, says)


M = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
SQ = np.array([[1.0, 2.0], [3.0, 4.0]])
SYM = np.array([[2.0, 1.0], [1.0, 3.0]])
# Jacobian of (x*y, x + y**2, sin(x)) at (x, y) = (1, 2): rows = outputs.
J32 = np.array([[2.0, 1.0], [1.0, 4.0], [np.cos(1.0), 0.0]])
# Jacobian of (x**2 * y, 5*x + sin(y)) at (1, 0): square and not symmetric.
J22 = np.array([[0.0, 1.0], [5.0, 1.0]])
NAMES = {"row_names": ["f1", "f2", "f3"], "col_names": ["x", "y"]}
NAMES2 = {"row_names": ["u", "v"], "col_names": ["x", "y"]}
BIG = np.ones((3000, 3000))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    NP_MATRIX = np.asmatrix(SQ)

MATRIX_CASES = [
    _m("array", M.copy(), M, "pass", "correct"),
    _m("nested-list", [[1, 2, 3], [4, 5, 6]], M, "pass"),
    _m("tuple-of-tuples", ((1, 2), (3, 4)), SQ, "pass"),
    _m("float32", SQ.astype(np.float32), SQ, "pass"),
    _m("int-matrix", np.array([[1, 2], [3, 4]]), SQ, "pass"),
    _m("np-matrix", NP_MATRIX, SQ, "pass"),
    _m("sympy-matrix", sp.Matrix([[1, 2], [3, 4]]), SQ, "pass"),
    _m("sympy-rationals", sp.Matrix([[sp.Rational(1, 2), 0], [0, 2]]), [[0.5, 0], [0, 2]], "pass"),
    _m("sympy-immutable", sp.ImmutableMatrix(SQ.tolist()), SQ, "pass"),
    _m("near-zero", [[1e-14, 1.0], [1.0, -1e-13]], [[0.0, 1.0], [1.0, 0.0]], "pass"),
    _m("within-rtol", SQ * (1 + 1e-7), SQ, "pass"),
    _m("symmetric", SYM.T, SYM, "pass"),
    _m("1x1", [[3.0]], [[3.0]], "pass"),
    _m("transposed-rect", M.T, M, "partial", "transposed", says="shape (2, 3)"),
    _m("transposed-square", SQ.T, SQ, "partial", "transposed", says=".T"),
    _m("transposed-credit", SQ.T, SQ, "fail", "transposed", transposed_credit=0.0),
    _m("one-entry", [[1.0, 2.0], [3.0, 4.5]], SQ, "fail", "wrong", says="row 1, column 1"),
    _m("rel-1e-4", SQ * (1 + 1e-4), SQ, "partial", "constant-factor"),
    _m("rel-1e-4-one", [[1.0001, 2.0], [3.0, 4.0]], SQ, "fail", "wrong", says="row 0, column 0"),
    _m("sign", -SQ, SQ, "partial", "sign-error"),
    _m("factor", 0.5 * M, M, "partial", "constant-factor"),
    _m("extra-row", np.vstack([M, M[:1]]), M, "message", "wrong-shape", says="(2, 3)"),
    _m("missing-column", M[:, :2], M, "message", "wrong-shape"),
    _m("vector", [1.0, 2.0, 3.0, 4.0], SQ, "message", "wrong-shape", says="2-D"),
    _m("scalar", 1.0, [[1.0]], "message", "wrong-shape"),
    _m("3d", np.ones((2, 2, 1)), SQ, "message", "wrong-shape"),
    _m("flat-right-entries", [[1.0, 2.0, 3.0, 4.0]], SQ, "message", "wrong-shape", says="reshape"),
    _m("nan", [[1.0, np.nan], [3.0, 4.0]], SQ, "message", "not-finite", says="NaN"),
    _m("inf", [[1.0, 2.0], [np.inf, 4.0]], SQ, "message", "not-finite"),
    _m("ragged", [[1.0, 2.0], [3.0]], SQ, "message", "wrong-shape", says="ragged"),
    _m("none", None, SQ, "message", "missing"),
    _m("string", "[[1, 2], [3, 4]]", SQ, "message", "wrong-type"),
    _m("dict", {"a": 1}, SQ, "message", "wrong-type"),
    _m("lying", LyingMatrix(), SQ, "message", "wrong-type"),
    _m("sympy-symbolic", sp.Matrix([[sp.Symbol("x"), 2], [3, 4]]), SQ, "message", "wrong-type"),
    _m("complex", SQ + 1j, SQ, "message", "wrong-type"),
    _m("bool", np.eye(2, dtype=bool), np.eye(2), "message", "wrong-type"),
    _m("huge", BIG, SQ, "message", "wrong-shape"),
    _m("slow", SlowMatrix(), SQ, "message", "timeout", timeout=0.2),
    _m("reveal", [[1.0, 2.0], [3.0, 5.0]], SQ, "fail", "wrong", says="expected 4", reveal=True),
]

JACOBIAN_CASES = [
    _j("array", J32.copy(), J32, "pass", "correct", **NAMES),
    _j("list", [[2, 1], [1, 4], [float(np.cos(1.0)), 0]], J32, "pass", **NAMES),
    _j("sympy", sp.Matrix([[2, 1], [1, 4], [sp.cos(1), 0]]), J32, "pass", **NAMES),
    _j("square", J22.copy(), J22, "pass", **NAMES2),
    _j("default-names", J32 + 0.0, J32, "pass"),
    _j("transposed-rect", J32.T, J32, "partial", "transposed", says="one row per output", **NAMES),
    _j("transposed-square", J22.T, J22, "partial", "transposed", says="transpose", **NAMES2),
    _j(
        "wrong-entry-named",
        [[2, 1], [1, 5], [np.cos(1.0), 0]],
        J32,
        "fail",
        says="d f2 / d y",
        **NAMES,
    ),
    _j("wrong-entry-default", [[2, 1], [1, 4], [np.sin(1.0), 0]], J32, "fail", says="d f3 / d x1"),
    _j("wrong-square", [[0.0, 1.0], [5.0, 0.0]], J22, "fail", says="d v / d y", **NAMES2),
    _j("sign", -J32, J32, "partial", "sign-error", **NAMES),
    _j("factor", 2 * J22, J22, "partial", "constant-factor", **NAMES2),
    _j("gradient-vector", [2.0, 1.0], [[2.0, 1.0]], "message", "wrong-shape", says="2-D"),
    _j(
        "missing-output", J32[:2], J32, "message", "wrong-shape", says="one row per output", **NAMES
    ),
    _j("missing-input", J32[:, :1], J32, "message", "wrong-shape", **NAMES),
    _j("nan", [[2, 1], [1, np.nan], [np.cos(1.0), 0]], J32, "message", "not-finite", **NAMES),
    _j("none", None, J32, "message", "missing"),
    _j("function", lambda x, y: x * y, J32, "message", "wrong-type", says="function"),
    _j("string", "J", J32, "message", "wrong-type"),
    _j("symbolic", sp.Matrix([[sp.Symbol("y"), 1]]), [[2.0, 1.0]], "message", "wrong-type"),
    _j("slow", SlowMatrix(), J22, "message", "timeout", timeout=0.2),
    _j("reveal", [[0.0, 1.0], [5.0, 0.0]], J22, "fail", says="expected 1", reveal=True, **NAMES2),
]

CASES = MATRIX_CASES + JACOBIAN_CASES
