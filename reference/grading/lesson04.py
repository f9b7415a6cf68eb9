"""Graded parts of lesson 4: the Jacobian of three sigmoid units of (x, y).

The symbolic answers travel as the text of their entries (a SymPy matrix is
collected as rows of strings), are parsed with the safe reader of
``reference.checks.parsing`` and compared numerically: every entry is
evaluated at seeded random values of all eight symbols and each point is
judged with ``check_jacobian``, so a 2x3 answer is recognised as transposed.

Only Part D, the Jacobian at one point, depends on the student's task
(:mod:`calcml_tasks.lesson04`: its weights and point); the formulas of Parts A
and B are judged in all eight symbols, for everyone alike. The finite-difference
Jacobian of Part C is judged in :mod:`.lesson04_fd`, imported at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from reference.answers.plain import SympyMatrixText, SympyText, Unsupported
from reference.checks import differences as dif
from reference.checks import misconceptions as mc
from reference.checks.discrete import check_choice
from reference.checks.matrices import OUTPUT_ORDER, check_jacobian, find_permutation
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
from reference.checks.tolerance import Tolerance
from reference.lessons import l4_jacobian as l4

from .carry import CarryForward
from .parts import Part, register

SYMBOLS = ("x", "y", "p", "q", "r", "s", "t", "u")
OUTPUTS = ("f1", "f2", "f3")
INPUTS = ("x", "y")
#: Seeded random values of (x, y, p, q, r, s, t, u) at which formulas are compared.
N_POINTS = 6
_RNG = np.random.default_rng(20240404)
POINTS = _RNG.uniform(-2.0, 2.0, size=(N_POINTS, len(SYMBOLS)))
#: The seed's weights and point of Part D (each student has their own: :func:`_layer`).
POINT_PARAMS = l4.EXAMPLE_PARAMS
POINT_XY = l4.EXAMPLE_POINT
#: The seed's Part D point, by symbol.
AT_POINT = l4.Layer().at_point_values()

NO_INNER = mc.NO_INNER
ONE_SIDED = dif.ONE_SIDED
EXACT = dif.EXACT
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


def _missing_inner(
    values: np.ndarray, expected: np.ndarray, no_inner: np.ndarray, name: str
) -> CheckResult | None:
    """Rows (outputs) whose entries lack the inner derivative, the others right; or None.

    ``values`` and the references have shape (points, 3, 2).
    """

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(np.allclose(a, b, rtol=1e-7, atol=1e-12))

    bare = [i for i in range(3) if same(values[:, i], no_inner[:, i])]
    right = [i for i in range(3) if same(values[:, i], expected[:, i])]
    bare = [i for i in bare if i not in right]
    if not bare or len(bare) + len(right) < 3:
        return None
    which = (
        "every entry" if len(bare) == 3 else "the row(s) of " + ", ".join(OUTPUTS[i] for i in bare)
    )
    return CheckResult(
        0.25 if len(bare) == 3 else 0.5,
        f"{name} has the sigmoid slope s(1 - s) in {which} but misses the derivative "
        "of the inner linear function (p, q, r, ...): apply the chain rule all the way in.",
        NO_INNER,
    )


# -- the symbolic Jacobian --------------------------------------------------------------


def judge_jacobian(data: Any, name: str = "J") -> CheckResult:
    try:
        rows = _parse_rows(data, name, SYMBOLS)
    except _Reject as rej:
        return rej.result
    values = _numeric(rows)
    expected = _expected(_closed_form)
    if values.shape[1:] == expected.shape[1:]:
        verdict = _missing_inner(values, expected, _expected(_no_inner), name)
        if verdict is not None:
            return verdict
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
    if find_permutation(values, expected, 1, Tolerance(rtol=1e-7)) is not None:
        return CheckResult(
            0.5,
            "f_vec holds the three outputs in another order: top to bottom they must be "
            "sigma(px + qy), sigma(rx + sy), sigma(tx + uy), as the task lists them.",
            OUTPUT_ORDER,
        )
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


# -- the Jacobian at the student's own point (Part D) ------------------------------------------


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


def _layer(variant: Any) -> l4.Layer:
    """The student's weights and point of Part D (None: the seed's)."""
    return l4.Layer.of(variant)


def judge_at_point(value: Any, variant: Any = None) -> CheckResult:
    try:
        value = _as_numbers(value, "J_at_point")
    except _Reject as rej:
        return rej.result
    layer = _layer(variant)
    expected = layer.jacobian_at_point()
    verdict = check_jacobian(
        value, expected, row_names=OUTPUTS, col_names=INPUTS, name="J_at_point", rtol=1e-6
    )
    if verdict.note != "wrong":
        return verdict
    got = np.asarray(value, dtype=float)
    if got.shape == expected.shape:
        no_inner = layer.no_inner_at_point()
        named = _missing_inner(got[None], expected[None], no_inner[None], "J_at_point")
        if named is not None:
            return named
    return verdict


def _at_point_follows(value: Any, earlier: Any, variant: Any) -> bool:
    """Is ``J_at_point`` the student's own ``J`` of Part A at their task's point?"""
    rows = _parse_rows(earlier["lesson04.jacobian"], "J", SYMBOLS)
    at = _layer(variant).at_point_values()
    own = np.array([[float(sp.N(e.subs(at))) for e in row] for row in rows])
    got = np.asarray(_as_numbers(value, "J_at_point"), dtype=float)
    return got.shape == own.shape and bool(np.allclose(got, own, rtol=1e-6, atol=1e-9))


register(
    Part(
        "lesson04.at_point",
        1,
        judge=judge_at_point,
        description="J_at_point: the Jacobian at the student's weights and (x, y)",
        carry=CarryForward(uses={"lesson04.jacobian": "J (Part A)"}, consistent=_at_point_follows),
        varies=True,
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


# The finite-difference Jacobian (Part C) registers from its own module.
from . import lesson04_fd  # noqa: E402, F401
