"""Lesson 6: extrema sit where the derivative vanishes (if they exist at all).

The lesson's example ``f(x) = x^3 - 2x^2 + 1`` has ``f'(x) = 3x^2 - 4x`` with
zeros at 0 (a local maximum) and 4/3 (a local minimum). The task function
``log x`` has derivative ``1/x``, which is never zero on ``(0, oo)``: log is
strictly increasing there, so it has neither a maximum nor a minimum on its
open domain. (Saying "the maximum is at x = infinity" is a misreading: log is
unbounded, so no maximum exists.)

Each student has a task of their own (:mod:`calcml_tasks.lesson06`): ``k log x``
with k > 0, whose derivative k/x is as positive, and a cubic
``a x^3 + b x^2 + c x + d`` with a local maximum and a local minimum.
:class:`ScaledLog` and :class:`Cubic` give the answers for a variant; the
module-level functions answer the seed's task.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp

x = sp.Symbol("x", real=True)

#: Kinds returned by ``critical_points``.
LOCAL_MAX = "local max"
LOCAL_MIN = "local min"
NEITHER = "neither"

POSITIVE_REALS = sp.Interval.open(0, sp.oo)


def lesson_cubic() -> sp.Expr:
    """The lesson's worked example x^3 - 2x^2 + 1."""
    return Cubic().expr()


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
    return ScaledLog().derivative()


def log_derivative_zeros() -> sp.Set:
    """Zeros of 1/x on (0, oo): the empty set."""
    return ScaledLog().derivative_zeros()


def log_is_strictly_increasing() -> bool:
    """True: 1/x > 0 on the whole domain."""
    return ScaledLog().is_strictly_increasing()


def log_limits() -> tuple[sp.Expr, sp.Expr]:
    """Limits at both ends of the domain: -oo at 0+, +oo at oo (unbounded both ways)."""
    return ScaledLog().limits()


@dataclass(frozen=True)
class Cubic:
    """Part E's cubic a x^3 + b x^2 + c x + d of a variant (default: the seed's x^3 - 2x^2 + 1).

    >>> cubic = Cubic()
    >>> cubic.critical(), cubic.f2_at_critical()
    ([(0.0, 'local max'), (1.3333333333333333, 'local min')], [-4.0, 4.0])
    >>> Cubic(-1, 0, 3, 0).critical()  # a < 0: the left critical point is the minimum
    [(-1.0, 'local min'), (1.0, 'local max')]
    """

    a: int = 1
    b: int = -2
    c: int = 0
    d: int = 1

    @classmethod
    def of(cls, variant: Mapping | None) -> Cubic:
        """The cubic of a variant (None: the seed's task)."""
        if variant is None:
            return cls()
        return cls(variant["a"], variant["b"], variant["c"], variant["d"])

    def expr(self, var: sp.Symbol = x) -> sp.Expr:
        return self.a * var**3 + self.b * var**2 + self.c * var + self.d

    def f(self, t):
        """The cubic for numbers and NumPy arrays."""
        return self.a * t**3 + self.b * t**2 + self.c * t + self.d

    def second_derivative(self, t):
        return 6 * self.a * t + 2 * self.b

    def critical_exact(self) -> list[tuple[sp.Expr, str]]:
        """The critical points, exactly and sorted, with their kinds."""
        return critical_points(self.expr())

    def critical(self) -> list[tuple[float, str]]:
        """The critical points as floats, sorted, with their kinds."""
        return [(float(p), kind) for p, kind in self.critical_exact()]

    def f2_at_critical(self) -> list[float]:
        """f'' at the critical points, in increasing order of x."""
        return [float(self.second_derivative(p)) for p, _ in self.critical_exact()]


@dataclass(frozen=True)
class ScaledLog:
    """Parts A to D's f(x) = k log x of a variant, k > 0 (default: the seed's log x).

    >>> ScaledLog(3).derivative(), ScaledLog(3).derivative_zeros()
    (3/x, EmptySet)
    """

    k: int = 1

    @classmethod
    def of(cls, variant: Mapping | None) -> ScaledLog:
        """The function of a variant (None: the seed's task)."""
        return cls() if variant is None else cls(variant["k"])

    def expr(self, var: sp.Symbol = x) -> sp.Expr:
        return self.k * sp.log(var)

    def f(self, t):
        """k log x for numbers and NumPy arrays."""
        return self.k * np.log(t)

    def text(self) -> str:
        """``log x`` or ``3 log x``."""
        return "log x" if self.k == 1 else f"{self.k} log x"

    def derivative(self) -> sp.Expr:
        """k/x: positive on the whole domain."""
        return sp.diff(self.expr(), x)

    def derivative_zeros(self) -> sp.Set:
        """Zeros of k/x on (0, oo): the empty set."""
        return sp.solveset(self.derivative(), x, POSITIVE_REALS)

    def is_strictly_increasing(self) -> bool:
        return bool(sp.is_strictly_increasing(self.expr(), POSITIVE_REALS, x))

    def limits(self) -> tuple[sp.Expr, sp.Expr]:
        """Limits at both ends of the domain: -oo at 0+, +oo at oo (unbounded both ways)."""
        f = self.expr()
        return sp.limit(f, x, 0, "+"), sp.limit(f, x, sp.oo)


def summary(variant: Mapping | None = None) -> dict:
    """Key answers of lesson 6 as plain data (for ``variant``; None: the seed's task)."""
    cubic = Cubic.of(variant).expr()
    log = ScaledLog.of(variant)
    crit = critical_points(cubic)
    f2 = sp.diff(cubic, x, 2)
    lo, hi = log.limits()
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
        "log_derivative": str(log.derivative()),
        "log_derivative_zeros": [str(z) for z in log.derivative_zeros()],
        "log_strictly_increasing": log.is_strictly_increasing(),
        "log_limits": [str(lo), str(hi)],
        "log_has_max_or_min": False,
        "log_conclusion": (
            f"{log.derivative()} is positive for every x > 0, so {log.text()} is strictly "
            "increasing and unbounded on (0, oo): no critical point, hence no maximum or minimum."
        ),
    }
