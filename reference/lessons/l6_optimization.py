"""Lesson 6: extrema sit where the derivative vanishes (if they exist at all).

The lesson's example ``f(x) = x^3 - 2x^2 + 1`` has ``f'(x) = 3x^2 - 4x`` with
zeros at 0 (a local maximum) and 4/3 (a local minimum). The task function
``log x`` has derivative ``1/x``, which is never zero on ``(0, oo)``: log is
strictly increasing there, so it has neither a maximum nor a minimum on its
open domain. (Saying "the maximum is at x = infinity" is a misreading: log is
unbounded, so no maximum exists.)
"""

from __future__ import annotations

import sympy as sp

x = sp.Symbol("x", real=True)

#: Kinds returned by ``critical_points``.
LOCAL_MAX = "local max"
LOCAL_MIN = "local min"
NEITHER = "neither"

POSITIVE_REALS = sp.Interval.open(0, sp.oo)


def lesson_cubic() -> sp.Expr:
    """The lesson's worked example x^3 - 2x^2 + 1."""
    return x**3 - 2 * x**2 + 1


def _classify(expr: sp.Expr, var: sp.Symbol, point: sp.Expr, max_order: int) -> str:
    """Second-derivative test, extended to the first non-vanishing derivative.

    If ``f^(k)(p)`` is the first non-zero derivative of order ``k >= 2``: for even
    ``k`` its sign decides min/max, for odd ``k`` the point is an inflection.
    If all vanish up to ``max_order`` we fall back to the sign of ``f'`` just
    left and right of the point.
    """
    deriv = sp.diff(expr, var)
    for order in range(2, max_order + 1):
        deriv = sp.diff(deriv, var)
        value = sp.simplify(deriv.subs(var, point))
        if value.is_zero:
            continue
        if value.is_zero is None:  # undecidable symbolically: use the sign test
            break
        if order % 2:
            return NEITHER
        return LOCAL_MIN if value.is_positive else LOCAL_MAX
    return _first_derivative_sign_test(expr, var, point)


def _first_derivative_sign_test(expr: sp.Expr, var: sp.Symbol, point: sp.Expr) -> str:
    """Compare the sign of f' on either side of ``point`` (small offset, numeric)."""
    fprime = sp.lambdify(var, sp.diff(expr, var), "mpmath")
    p = float(point)
    h = 1e-6 * max(1.0, abs(p))
    left, right = float(fprime(p - h)), float(fprime(p + h))
    if left > 0 > right:
        return LOCAL_MAX
    if left < 0 < right:
        return LOCAL_MIN
    return NEITHER


def critical_points(
    expr: sp.Expr,
    var: sp.Symbol = x,
    domain: sp.Set = sp.S.Reals,
    max_order: int = 12,
) -> list[tuple[sp.Expr, str]]:
    """Points of ``domain`` where ``expr'`` is zero, sorted, each with its kind.

    Kinds are ``"local max"``, ``"local min"`` or ``"neither"``. Raises
    ``ValueError`` when the zero set is not a finite set SymPy can list
    (e.g. a constant function or ``sin``).
    """
    zeros = sp.solveset(sp.diff(expr, var), var, domain)
    if zeros is sp.S.EmptySet:
        return []
    if not isinstance(zeros, sp.FiniteSet):
        raise ValueError(f"cannot list the critical points: {zeros}")
    points = sorted(zeros, key=lambda p: float(p))
    return [(p, _classify(expr, var, p, max_order)) for p in points]


def log_derivative() -> sp.Expr:
    """d/dx log x = 1/x."""
    return sp.diff(sp.log(x), x)


def log_derivative_zeros() -> sp.Set:
    """Zeros of 1/x on (0, oo): the empty set."""
    return sp.solveset(log_derivative(), x, POSITIVE_REALS)


def log_is_strictly_increasing() -> bool:
    """True: 1/x > 0 on the whole domain."""
    return bool(sp.is_strictly_increasing(sp.log(x), POSITIVE_REALS, x))


def log_limits() -> tuple[sp.Expr, sp.Expr]:
    """Limits at both ends of the domain: -oo at 0+, +oo at oo (unbounded both ways)."""
    f = sp.log(x)
    return sp.limit(f, x, 0, "+"), sp.limit(f, x, sp.oo)


def summary() -> dict:
    """Key answers of lesson 6 as plain data."""
    cubic = lesson_cubic()
    crit = critical_points(cubic)
    f2 = sp.diff(cubic, x, 2)
    lo, hi = log_limits()
    return {
        "cubic": str(cubic),
        "cubic_derivative": str(sp.diff(cubic, x)),
        "cubic_critical_points": [
            {
                "x": str(p),
                "x_float": float(p),
                "kind": kind,
                "f": float(cubic.subs(x, p)),
                "f2": float(f2.subs(x, p)),
            }
            for p, kind in crit
        ],
        "log_derivative": str(log_derivative()),
        "log_derivative_zeros": [str(z) for z in log_derivative_zeros()],
        "log_strictly_increasing": log_is_strictly_increasing(),
        "log_limits": [str(lo), str(hi)],
        "log_has_max_or_min": False,
        "log_conclusion": (
            "1/x is positive for every x > 0, so log x is strictly increasing and "
            "unbounded on (0, oo): no critical point, hence no maximum or minimum."
        ),
    }
