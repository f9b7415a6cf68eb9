"""Graded parts of lesson 4: the Jacobian of three sigmoid units of (x, y).

The symbolic answers travel as the text of their entries (a SymPy matrix is
collected as rows of strings), are parsed with the safe reader of
``reference.checks.parsing`` and compared numerically: every entry is
evaluated at seeded random values of all eight symbols and each point is
judged with ``check_jacobian``, so a 2x3 answer is recognised as transposed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from reference.answers.lesson04 import FD_CASES, FD_STEP
from reference.answers.plain import SympyMatrixText, SympyText, Unsupported
from reference.checks.discrete import check_choice
from reference.checks.matrices import check_jacobian
from reference.checks.numeric import check_array
from reference.checks.parsing import ParseError, parse_expression
from reference.checks.result import (
    PARSE_ERROR,
    WRONG_SHAPE,
    WRONG_TYPE,
    CheckResult,
    correct,
    register_note,
    wrong,
)
from reference.checks.safety import time_limit
from reference.checks.symbolic import check_expression
from reference.lessons import l4_jacobian as l4

from .parts import Part, register

SYMBOLS = ("x", "y", "p", "q", "r", "s", "t", "u")
OUTPUTS = ("f1", "f2", "f3")
INPUTS = ("x", "y")
#: Seeded random values of (x, y, p, q, r, s, t, u) at which formulas are compared.
N_POINTS = 6
_RNG = np.random.default_rng(20240404)
POINTS = _RNG.uniform(-2.0, 2.0, size=(N_POINTS, len(SYMBOLS)))
POINT_PARAMS = (1.0, 2.0, -1.0, 0.5, 0.0, 3.0)
POINT_XY = (0.5, -0.25)

NO_INNER = register_note(
    "missing-inner-derivative",
    "The chain rule was applied without the derivative of the inner function.",
)
ONE_SIDED = register_note(
    "one-sided-difference", "A one-sided difference was used where a central one was asked."
)
EXACT = register_note(
    "exact-instead", "The exact derivative was returned where a rate of change was asked."
)
INCONSISTENT = register_note(
    "inconsistent", "The answer is right at some sample points and wrong at others."
)


# -- judging helpers ------------------------------------------------------------------


class _Reject(Exception):
    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.feedback)
        self.result = result


def _values(expr: sp.Expr, points: np.ndarray) -> np.ndarray:
    """Values of a parsed formula at the rows of ``points`` (NaN where not real)."""
    syms = [sp.Symbol(n) for n in SYMBOLS]
    n = points.shape[0]
    try:
        with np.errstate(all="ignore"):
            fn = sp.lambdify(syms, expr, modules="numpy", dummify=True)
            raw = np.broadcast_to(np.asarray(fn(*points.T), dtype=complex), (n,))
    except Exception:  # noqa: BLE001 - fall back to SymPy's own evaluation
        raw = np.empty(n, dtype=complex)
        for i, row in enumerate(points):
            try:
                raw[i] = complex(expr.evalf(15, subs=dict(zip(syms, row, strict=True))))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                raw[i] = np.nan
    real = raw.real.copy()
    real[~np.isfinite(raw) | (np.abs(raw.imag) > 1e-12 * np.maximum(1.0, np.abs(real)))] = np.nan
    return real


def _parse_rows(data: Any, name: str, variables: Sequence[str]) -> list[list[sp.Expr]]:
    """The entries of a collected formula matrix as parsed SymPy expressions."""
    if isinstance(data, SympyMatrixText):
        data = {"rows": [list(r) for r in data.rows]}
    if isinstance(data, Unsupported) or not isinstance(data, dict):
        raise _Reject(wrong(f"{name} could not be read; build it with sp.Matrix(...).", WRONG_TYPE))
    if data.get("missing"):
        raise _Reject(
            wrong(f"{name} is missing: replace the placeholder with your answer.", "missing")
        )
    if "error" in data:
        raise _Reject(wrong(f"{name} {data['error']}.", WRONG_TYPE))
    rows = data.get("rows") or []
    if not rows or any(len(r) != len(rows[0]) for r in rows) or not rows[0]:
        raise _Reject(wrong(f"{name} is empty or ragged.", WRONG_SHAPE))
    out = []
    for i, row in enumerate(rows):
        parsed = []
        for j, text in enumerate(row):
            try:
                with time_limit(5.0):
                    parsed.append(parse_expression(text, variables=variables))
            except ParseError as exc:
                raise _Reject(
                    wrong(f"{name}, row {i + 1}, column {j + 1}: {exc}", PARSE_ERROR)
                ) from None
        out.append(parsed)
    return out


def _numeric(rows: list[list[sp.Expr]]) -> np.ndarray:
    """Shape (N_POINTS, rows, columns): every entry at every sample point.

    All entries go through one ``lambdify`` (it costs ~30 ms a call, most of a
    submission's grading time when done per entry); an entry that cannot be
    evaluated that way falls back to :func:`_values` on its own.
    """
    m, n = len(rows), len(rows[0])
    entries = [e for row in rows for e in row]
    syms = [sp.Symbol(name) for name in SYMBOLS]
    try:
        with np.errstate(all="ignore"):
            fn = sp.lambdify(syms, entries, modules="numpy", dummify=False, cse=False)
            results = fn(*POINTS.T)
        columns = []
        for value in results:
            raw = np.broadcast_to(np.asarray(value, dtype=complex), (N_POINTS,))
            real = raw.real.copy()
            bad = ~np.isfinite(raw) | (np.abs(raw.imag) > 1e-12 * np.maximum(1.0, np.abs(real)))
            real[bad] = np.nan
            columns.append(real)
    except Exception:  # noqa: BLE001 - evaluate entry by entry instead
        columns = [_values(e, POINTS) for e in entries]
    return np.stack(columns, axis=1).reshape(N_POINTS, m, n)


def _expected(build: Callable[[dict], np.ndarray]) -> np.ndarray:
    return np.array([build(dict(zip(SYMBOLS, row, strict=True))) for row in POINTS])


def _closed_form(v: dict) -> np.ndarray:
    params = [v[k] for k in ("p", "q", "r", "s", "t", "u")]
    return l4.jacobian_numeric(params, v["x"], v["y"])


def _no_inner(v: dict) -> np.ndarray:
    """The chain rule without the inner derivative: s_i (1 - s_i) in both columns."""
    w = np.array([v[k] for k in ("p", "q", "r", "s", "t", "u")]).reshape(3, 2)
    out = l4.sigmoid(w @ np.array([v["x"], v["y"]]))
    return np.repeat((out * (1 - out))[:, None], 2, axis=1)


def _units(v: dict) -> np.ndarray:
    w = np.array([v[k] for k in ("p", "q", "r", "s", "t", "u")]).reshape(3, 2)
    return l4.sigmoid(w @ np.array([v["x"], v["y"]]))


def _agree_all(results: list[CheckResult]) -> CheckResult:
    """One verdict from per-point verdicts: partial credit only for a consistent mistake."""
    if all(r.passed for r in results):
        return correct()
    failing = [r for r in results if not r.passed]
    first = failing[0]
    if len(failing) == len(results) and all(r.note == first.note for r in failing):
        return min(failing, key=lambda r: r.score)
    if len(failing) < len(results):
        return wrong(
            first.feedback + " (It is right for some values of the symbols but not for all.)",
            INCONSISTENT,
        )
    return wrong(first.feedback, first.note)


# -- the symbolic Jacobian --------------------------------------------------------------


def judge_jacobian(data: Any, name: str = "J") -> CheckResult:
    try:
        rows = _parse_rows(data, name, SYMBOLS)
    except _Reject as rej:
        return rej.result
    values = _numeric(rows)
    expected = _expected(_closed_form)
    if values.shape[1:] == expected.shape[1:]:
        no_inner = _expected(_no_inner)
        if np.allclose(values, no_inner, rtol=1e-7, atol=1e-12) and not np.allclose(
            values, expected, rtol=1e-7, atol=1e-12
        ):
            return CheckResult(
                0.25,
                f"{name} has the sigmoid slope s(1 - s) in every entry but misses the derivative "
                "of the inner linear function: apply the chain rule all the way in.",
                NO_INNER,
            )
    results = [
        check_jacobian(
            values[k], expected[k], row_names=OUTPUTS, col_names=INPUTS, name=name, rtol=1e-7
        )
        for k in range(N_POINTS)
    ]
    return _agree_all(results)


register(
    Part(
        "lesson04.jacobian",
        3,
        judge=judge_jacobian,
        description="J: the 3x2 Jacobian of the three sigmoid units, by hand",
    )
)


def judge_function_vector(data: Any) -> CheckResult:
    try:
        rows = _parse_rows(data, "f_vec", SYMBOLS)
    except _Reject as rej:
        return rej.result
    shape = (len(rows), len(rows[0]))
    if shape not in ((3, 1), (1, 3)):
        return wrong(
            f"f_vec should hold the three outputs (a 3x1 column), but it has shape {shape}.",
            WRONG_SHAPE,
        )
    values = _numeric(rows).reshape(N_POINTS, 3)
    expected = _expected(_units)
    results = [
        check_array(values[k], expected[k], name="f_vec", rtol=1e-7) for k in range(N_POINTS)
    ]
    return _agree_all(results)


register(
    Part(
        "lesson04.function_vector",
        1,
        judge=judge_function_vector,
        description="f_vec: the vector function as a SymPy Matrix",
    )
)

register(
    Part(
        "lesson04.jacobian_sympy",
        1,
        judge=lambda d: judge_jacobian(d, name="J_sympy"),
        description="J_sympy: the Jacobian computed by SymPy's .jacobian",
    )
)


# -- the finite-difference Jacobian --------------------------------------------------------


def _fd_reference(params: Sequence[float], x: float, y: float, kind: str) -> np.ndarray:
    def func(v):
        return l4.vector_function(params, v)

    if kind == "central":
        return l4.jacobian_finite_difference(func, (x, y), FD_STEP)
    point = np.array([x, y], dtype=float)
    base = func(point)
    cols = []
    for j in range(2):
        e = np.zeros(2)
        e[j] = FD_STEP
        if kind == "forward":
            cols.append((func(point + e) - base) / FD_STEP)
        else:
            cols.append((base - func(point - e)) / FD_STEP)
    return np.column_stack(cols)


def judge_fd(data: Any) -> CheckResult:
    if not isinstance(data, dict):
        return wrong("jacobian_fd could not be called.", WRONG_TYPE)
    if "error" in data:
        return wrong(f"{data['error']}.", WRONG_TYPE)
    calls = data.get("calls", [])
    values = []
    for (params, x, y), call in zip(FD_CASES, calls, strict=True):
        if "raised" in call:
            if call["raised"].startswith("NotImplementedError"):
                return wrong("jacobian_fd is not implemented yet.", "missing")
            return wrong(
                f"jacobian_fd raised {call['raised']} for params={list(params)}, x={x}, y={y}.",
                "student-error",
            )
        values.append(np.array(call["value"], dtype=float).reshape(call["shape"]))
    results = [
        check_jacobian(
            v,
            _fd_reference(params, x, y, "central"),
            row_names=OUTPUTS,
            col_names=INPUTS,
            name="your jacobian_fd",
            rtol=1e-7,
            atol=1e-12,
        )
        for v, (params, x, y) in zip(values, FD_CASES, strict=True)
    ]
    verdict = _agree_all(results)
    if verdict.passed or any(v.shape != (3, 2) for v in values):
        return verdict

    def matches(kind: str, rtol: float = 1e-7) -> bool:
        return all(
            np.allclose(v, _fd_reference(p, x, y, kind), rtol=rtol, atol=1e-12)
            for v, (p, x, y) in zip(values, FD_CASES, strict=True)
        )

    if matches("forward") or matches("backward"):
        return CheckResult(
            0.5,
            "jacobian_fd uses a one-sided difference (x to x + h, or x - h to x); this part asks "
            "for the central difference over x - h to x + h, which is far more accurate.",
            ONE_SIDED,
        )
    exact = all(
        np.allclose(v, l4.jacobian_numeric(p, x, y), rtol=1e-6, atol=1e-12)
        for v, (p, x, y) in zip(values, FD_CASES, strict=True)
    )
    if exact:
        return CheckResult(
            0.25,
            "jacobian_fd returns the exact Jacobian (or ignores the step h it is given); it "
            "should compute central differences with the step h passed to it.",
            EXACT,
        )
    return verdict


register(
    Part(
        "lesson04.jacobian_fd",
        2,
        judge=judge_fd,
        description="jacobian_fd(params, x, y, h): central-difference Jacobian",
    )
)


# -- beyond the seed ------------------------------------------------------------------------


def _as_numbers(value: Any, name: str) -> Any:
    """A SymPy matrix of numbers travels as text; turn it back into floats."""
    if not isinstance(value, SympyMatrixText):
        return value
    out = []
    for row in value.rows:
        vals = []
        for text in row:
            try:
                expr = parse_expression(text, variables=SYMBOLS)
            except ParseError as exc:
                raise _Reject(wrong(f"{name}: {exc}", PARSE_ERROR)) from None
            if expr.free_symbols:
                names = ", ".join(sorted(str(s) for s in expr.free_symbols))
                raise _Reject(
                    wrong(
                        f"{name} still contains the symbol(s) {names}; substitute the numbers "
                        "(for example with .subs(...)) and convert to floats.",
                        WRONG_TYPE,
                    )
                )
            vals.append(float(sp.N(expr)))
        out.append(vals)
    return np.array(out, dtype=float)


def judge_at_point(value: Any) -> CheckResult:
    try:
        value = _as_numbers(value, "J_at_point")
    except _Reject as rej:
        return rej.result
    return check_jacobian(
        value,
        l4.jacobian_numeric(POINT_PARAMS, *POINT_XY),
        row_names=OUTPUTS,
        col_names=INPUTS,
        name="J_at_point",
        rtol=1e-6,
    )


register(
    Part(
        "lesson04.at_point",
        1,
        judge=judge_at_point,
        description="J_at_point: the Jacobian at fixed weights and (x, y)",
    )
)


def judge_slope_in_s(value: Any) -> CheckResult:
    if isinstance(value, SympyText):
        value = str(value)
    return check_expression(
        value, "S*(1 - S)", variables=("S",), domain=(0.05, 0.95), name="dsigma_in_S"
    )


register(
    Part(
        "lesson04.slope_in_s",
        1,
        judge=judge_slope_in_s,
        description="dsigma_in_S: sigma'(z) written with S = sigma(z)",
    )
)

register(
    Part(
        "lesson04.jacobian_shape",
        0.5,
        judge=lambda c: check_choice(
            c,
            "B",
            choices="ABCD",
            explain={
                "A": "That is the transposed layout: the rows of a Jacobian belong to the outputs."
            },
        ),
        description="shape of the Jacobian of a map from R^n to R^m",
    )
)
