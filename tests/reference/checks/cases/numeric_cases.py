"""Case rows for :func:`check_number` and :func:`check_array`."""

from __future__ import annotations

import math
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import sympy as sp

from reference.checks.numeric import check_array, check_number

from . import Case


class LyingEq:
    """Claims to equal everything; a check must never trust it."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class LyingFloat(LyingEq):
    def __float__(self):
        raise RuntimeError("no float for you")


class SlowFloat:
    """Converting it to a number never finishes."""

    def __float__(self):
        while True:
            time.sleep(0.01)


class SlowArray:
    def __array__(self, dtype=None, copy=None):
        while True:
            time.sleep(0.01)


class Boom:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("boom")


def _n(id_, student, expected, want, note=None, says=None, **options):
    return Case(f"number-{id_}", check_number, student, expected, want, options, note, says)


def _a(id_, student, expected, want, note=None, says=None, **options):
    return Case(f"array-{id_}", check_array, student, expected, want, options, note, says)


A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
S = np.array([[1.0, 2.0], [3.0, 4.0]])
BIG = np.linspace(1.0, 2.0, 10**7)

NUMBER_CASES = [
    # Equivalent forms that must pass.
    _n("float", 0.1 + 0.2, 0.3, "pass", "correct"),
    _n("int-for-float", 3, 3.0, "pass"),
    _n("np-int64", np.int64(7), 7.0, "pass"),
    _n("np-float32", np.float32(0.1), 0.1, "pass"),
    _n("np-float64", np.float64(math.pi), math.pi, "pass"),
    _n("0d-array", np.array(2.5), 2.5, "pass"),
    _n("1-element-array", np.array([2.5]), 2.5, "pass"),
    _n("1-element-list", [2.5], 2.5, "pass"),
    _n("1x1-array", np.array([[2.5]]), 2.5, "pass"),
    _n("tiny-equal", 1.0000001e-9, 1e-9, "pass"),
    _n("large-magnitude", 6.02214076e23 * (1 + 1e-9), 6.02214076e23, "pass"),
    _n("huge-magnitude", 1e300, 1e300 * (1 + 1e-8), "pass"),
    _n("negative", -2.718281828459045, -math.e, "pass"),
    _n("zero", 0.0, 0.0, "pass"),
    _n("near-zero-in-level", 1e-15, 0.0, "pass"),
    _n("negative-zero", -0.0, 0.0, "pass"),
    _n("within-rtol", 1.0 + 5e-7, 1.0, "pass"),
    _n("custom-rtol", 1.01, 1.0, "pass", rtol=0.02),
    _n("custom-atol", 0.001, 0.0, "pass", atol=0.01),
    _n("fraction", Fraction(1, 3), 1 / 3, "pass"),
    _n("decimal", Decimal("0.5"), 0.5, "pass"),
    _n("sympy-rational", sp.Rational(1, 4), 0.25, "pass"),
    _n("sympy-pi", sp.pi, math.pi, "pass"),
    _n("sympy-sqrt", sp.sqrt(2), math.sqrt(2), "pass"),
    _n("complex-zero-imag", 2 + 0j, 2.0, "pass"),
    _n("np-complex-zero-imag", np.complex128(2.0), 2.0, "pass"),
    _n("same-inf", math.inf, math.inf, "pass"),
    _n("python-bigint", 10**20, 1e20, "pass"),
    # Near misses that must fail.
    _n("tiny-factor-2", 2e-9, 1e-9, "fail", "wrong"),
    _n("rel-1e-4", 1.0001, 1.0, "fail", "wrong", says="close"),
    _n("rel-1e-3", 3.0 * (1 + 1e-3), 3.0, "fail", "wrong"),
    _n("rounded-pi", 3.14, math.pi, "fail", "wrong"),
    _n("nonzero-for-zero", 1e-6, 0.0, "fail", "wrong"),
    _n("zero-for-nonzero", 0.0, 0.5, "fail", "wrong"),
    _n("opposite-inf", -math.inf, math.inf, "fail"),
    _n("nan", math.nan, 1.0, "message", "not-finite", says="NaN"),
    _n("np-nan", np.float64("nan"), 1.0, "message", "not-finite", says="NaN"),
    _n("inf", math.inf, 1.0, "message", "not-finite", says="infinity"),
    _n("float-overflow", 10**400, 1.0, "message", "not-finite"),
    _n("two-values", [1.0, 2.0], 1.0, "message", "wrong-shape", says="single number"),
    _n("empty-list", [], 1.0, "message", "wrong-shape"),
    _n("array-of-three", np.ones(3), 1.0, "message", "wrong-shape"),
    # Partial credit.
    _n("sign-error", -0.75, 0.75, "partial", "sign-error"),
    _n("sign-error-large", 4.2e10, -4.2e10, "partial", "sign-error"),
    # Bad inputs with a clear message.
    _n("none", None, 1.0, "message", "missing", says="missing"),
    _n("ellipsis", ..., 1.0, "message", "missing"),
    _n("string", "3.0", 3.0, "message", "wrong-type", says="string"),
    _n("bytes", b"3.0", 3.0, "message", "wrong-type"),
    _n("bool-true", True, 1.0, "message", "wrong-type", says="boolean"),
    _n("np-bool", np.bool_(False), 0.0, "message", "wrong-type", says="boolean"),
    _n("dict", {"answer": 3.0}, 3.0, "message", "wrong-type", says="dictionary"),
    _n("set", {3.0}, 3.0, "message", "wrong-type", says="set"),
    _n("function", math.sin, 0.0, "message", "wrong-type", says="function"),
    _n("lambda", lambda: 3.0, 3.0, "message", "wrong-type", says="call it"),
    _n("class", float, 0.0, "message", "wrong-type"),
    _n("lying-eq", LyingEq(), 3.0, "message", "wrong-type", says="LyingEq"),
    _n("lying-float", LyingFloat(), 3.0, "message", "wrong-type"),
    _n("generator", (x for x in [3.0]), 3.0, "message", "wrong-type", says="generator"),
    _n("map-object", map(float, [3]), 3.0, "message", "wrong-type", says="iterator"),
    _n("complex", 1 + 2j, 1.0, "message", "wrong-type", says="complex"),
    _n("sympy-symbol", sp.Symbol("x"), 1.0, "message", "wrong-type", says="symbol"),
    _n("sympy-expr", sp.Symbol("a") + 1, 1.0, "message", "wrong-type", says="a"),
    _n("list-with-string", ["1.0"], 1.0, "message", "wrong-type"),
    _n("raising-array", Boom(), 1.0, "message", "wrong-type"),
    _n("slow-float", SlowFloat(), 1.0, "message", "timeout", timeout=0.2),
    _n("slow-array", SlowArray(), 1.0, "message", "timeout", timeout=0.2),
    _n("huge-array", BIG, 1.0, "message", "wrong-shape"),
    # Reveal only on request.
    _n("reveal", 2.5, 4.0, "fail", "wrong", says="expected value is 4", reveal=True),
    _n("custom-name", 2.5, 4.0, "fail", "wrong", says="the gradient", name="the gradient"),
]

ARRAY_CASES = [
    _a("list", [1, 2, 3], np.array([1.0, 2.0, 3.0]), "pass", "correct"),
    _a("tuple", (1.0, 2.0, 3.0), [1.0, 2.0, 3.0], "pass"),
    _a("float32", np.array([0.1, 0.2], dtype=np.float32), [0.1, 0.2], "pass"),
    _a("int-array", np.arange(4), [0.0, 1.0, 2.0, 3.0], "pass"),
    _a("nested-lists", [[1, 2, 3], [4, 5, 6]], A, "pass"),
    _a("list-of-np-scalars", [np.float64(1), np.int32(2)], [1.0, 2.0], "pass"),
    _a("list-of-arrays", [np.array([1.0, 2.0]), np.array([3.0, 4.0])], S, "pass"),
    _a("tiny-entries", [1e-9, 1.0000001e-9], [1e-9, 1e-9], "pass"),
    _a("near-zero-entries", [1e-14, -1e-13, 1.0], [0.0, 0.0, 1.0], "pass"),
    _a("large-entries", [1e20, -3e25], [1e20 * (1 + 1e-9), -3e25], "pass"),
    _a("range", range(3), [0.0, 1.0, 2.0], "pass"),
    _a("sympy-matrix", sp.Matrix([[1, 2], [3, 4]]), S, "pass"),
    _a("complex-zero-imag", np.array([1 + 0j, 2 + 0j]), [1.0, 2.0], "pass"),
    _a("both-nan", [1.0, np.nan], [1.0, np.nan], "pass"),
    _a("shape-option", [2.0, 2.0, 2.0], 2.0, "pass", shape=(3,)),
    _a("big-equal", BIG, BIG, "pass"),
    _a("one-entry-off", [1.0, 2.0, 3.5], [1.0, 2.0, 3.0], "fail", "wrong", says="1 of 3"),
    _a("rel-1e-4", [1.0, 2.0002], [1.0, 2.0], "fail", "wrong", says="[1]"),
    _a("tiny-factor-2-entry", [1e-9, 2e-9], [1e-9, 1e-9], "fail", "wrong"),
    _a("many-wrong", np.arange(10.0) ** 2, np.arange(10.0), "fail", "wrong", says="and more"),
    _a("off-by-one-length", [1.0, 2.0], [1.0, 2.0, 3.0], "message", "wrong-shape", says="(3,)"),
    _a("extra-entry", [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0], "message", "wrong-shape"),
    _a("row-for-column", [[1.0, 2.0, 3.0]], [[1.0], [2.0], [3.0]], "partial", "transposed"),
    _a("flat-for-matrix", [1, 2, 3, 4, 5, 6], A, "message", "wrong-shape", says="reshape"),
    _a("scalar-for-array", 1.0, [1.0, 1.0], "message", "wrong-shape", says="single number"),
    _a("nan-entry", [1.0, np.nan, 3.0], [1.0, 2.0, 3.0], "message", "not-finite", says="[1]"),
    _a("inf-entry", [np.inf, 2.0], [1.0, 2.0], "message", "not-finite", says="infinity"),
    _a("inf-mismatch", [np.inf, 2.0], [-np.inf, 2.0], "fail"),
    _a("sign-error", [-1.0, -2.0, 3.0], [1.0, 2.0, -3.0], "partial", "sign-error"),
    _a("factor-2", [2.0, 4.0, 6.0], [1.0, 2.0, 3.0], "partial", "constant-factor"),
    _a("shifted", [2.0, 3.0, 4.0], [1.0, 2.0, 3.0], "partial", "additive-constant"),
    _a("transposed", A.T, A, "partial", "transposed", says="transpose"),
    _a("transposed-square", S.T, S, "partial", "transposed"),
    _a("symmetric-not-transposed", [[1.0, 2.0], [2.0, 5.0]], [[1.0, 2.0], [2.0, 4.0]], "fail"),
    _a("none", None, [1.0], "message", "missing"),
    _a("ellipsis", ..., [1.0], "message", "missing"),
    _a("string", "[1, 2]", [1.0, 2.0], "message", "wrong-type", says="string"),
    _a("list-of-strings", ["1", "2"], [1.0, 2.0], "message", "wrong-type", says="text"),
    _a("dict", {0: 1.0, 1: 2.0}, [1.0, 2.0], "message", "wrong-type", says="dictionary"),
    _a("ragged", [[1.0, 2.0], [3.0]], S, "message", "wrong-shape", says="ragged"),
    _a("generator", (float(i) for i in range(3)), [0.0, 1.0, 2.0], "message", "wrong-type"),
    _a("bool-array", np.array([True, False]), [1.0, 0.0], "message", "wrong-type", says="boolean"),
    _a("list-with-none", [1.0, None], [1.0, 2.0], "message", "wrong-type", says="None"),
    _a("lying-entries", [LyingEq(), LyingEq()], [1.0, 2.0], "message", "wrong-type"),
    _a("complex-entries", [1.0, 1j], [1.0, 0.0], "message", "wrong-type", says="complex"),
    _a(
        "sympy-with-symbol", sp.Matrix([sp.Symbol("t"), 1]), [[1.0], [1.0]], "message", "wrong-type"
    ),
    _a("datetime", np.array(["2020-01-01"], dtype="datetime64[D]"), [1.0], "message", "wrong-type"),
    _a("huge-vs-small", BIG, [1.0, 2.0], "message", "wrong-shape"),
    _a("slow-entries", [SlowFloat()], [1.0], "message", "timeout", timeout=0.2),
    _a("reveal", [1.0, 5.0], [1.0, 2.0], "fail", "wrong", says="expected 2", reveal=True),
]

CASES = NUMBER_CASES + ARRAY_CASES
