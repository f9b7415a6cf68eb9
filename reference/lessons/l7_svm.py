"""Lesson 7: a hard-margin linear SVM is a constrained optimisation problem.

Find the line ``a x + b y + c = 0`` that solves

    minimise a^2 + b^2   subject to   t_i (a x_i + b y_i + c) >= 1  for every point i,

where ``t_i`` is the class label (+1 or -1). Minimising ``a^2 + b^2`` maximises
the margin ``1 / sqrt(a^2 + b^2)`` (distance from the line to the closest
points). We solve it numerically (SciPy SLSQP) and exactly (the KKT conditions
in SymPy); both give ``a = b = 2/3``, ``c = -1``.

With the Lagrangian ``L = a^2 + b^2 - sum_i lam_i (t_i (a x_i + b y_i + c) - 1)``
the KKT conditions are: stationarity (``dL/da = dL/db = dL/dc = 0``), primal
feasibility, ``lam_i >= 0`` and complementary slackness
``lam_i (t_i(...) - 1) = 0``. The multipliers of the three lesson points are
8/9, 4/9, 4/9. scikit-learn minimises ``||w||^2 / 2`` instead, so its dual
coefficients are ``t_i * lam_i / 2``.

Why six points give the same line: the three added points satisfy their
constraints with slack (values 7/3, 11/3 and 3, all > 1), so complementary
slackness forces their multipliers to zero; the old solution with zero extra
multipliers still satisfies every KKT condition, and the problem is convex, so
it is still the optimum. Only support vectors (active constraints) matter.

Each student has three extra points of their own (:mod:`calcml_tasks.lesson07`),
always strictly beyond the margin, so the same holds for every variant:
:class:`SixPoints` is a variant's data set (``SixPoints.of(None)`` the seed's).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp
from scipy.optimize import minimize

if TYPE_CHECKING:  # scikit-learn is imported where it is used: the grader never does
    from sklearn.svm import SVC

Point = tuple[float, float]

THREE_POINTS: list[Point] = [(0, 0), (1, 2), (2, 1)]
THREE_LABELS: list[int] = [-1, 1, 1]
SIX_POINTS: list[Point] = [*THREE_POINTS, (-1, -1), (-3, -1), (3, 3)]
SIX_LABELS: list[int] = [*THREE_LABELS, -1, -1, 1]


@dataclass(frozen=True)
class SixPoints:
    """A student's six points: the lesson's three, then three extra (classes -1, -1, +1).

    >>> six = SixPoints.of({"p3": (-2, 0), "p4": (0, -4), "p5": (4, 1)})
    >>> six.points[3:], six.labels
    (((-2, 0), (0, -4), (4, 1)), (-1, 1, 1, -1, -1, 1))
    >>> SixPoints.of(None) == SixPoints()  # the seed's
    True
    """

    points: tuple[tuple[int, int], ...] = tuple(SIX_POINTS)
    labels: tuple[int, ...] = tuple(SIX_LABELS)

    @classmethod
    def of(cls, variant: Mapping | None) -> SixPoints:
        """The six points of a variant (None: the seed's task)."""
        if variant is None:
            return cls()
        extra = tuple(tuple(int(c) for c in variant[k]) for k in ("p3", "p4", "p5"))
        return cls((*(tuple(p) for p in THREE_POINTS), *extra), tuple(SIX_LABELS))


def _exact(value) -> sp.Expr:
    """SymPy number for a value: ints and SymPy numbers as they are, floats via their decimal."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, int | np.integer):
        return sp.Integer(int(value))
    return sp.Rational(str(value))


def _validate(points: Sequence[Point], labels: Sequence[int]) -> None:
    if len(points) != len(labels) or not points:
        raise ValueError("need one label per point and at least one point")
    if set(labels) != {-1, 1}:
        raise ValueError("labels must be -1 and +1, with both classes present")


def margin(a: float, b: float, c: float = 0.0) -> float:
    """Distance from the line to either margin boundary: 1 / sqrt(a^2 + b^2).

    ``c`` only shifts the line, so it does not change the margin; it is
    accepted so callers can pass a whole ``(a, b, c)`` solution.
    """
    return 1.0 / float(np.hypot(a, b))


def distance(point: Point, a: float, b: float, c: float) -> float:
    """Distance |a x0 + b y0 + c| / sqrt(a^2 + b^2) from a point to the line."""
    x0, y0 = point
    return abs(a * x0 + b * y0 + c) / float(np.hypot(a, b))


def constraint_values(
    points: Sequence[Point], labels: Sequence[int], a: float, b: float, c: float
) -> list:
    """``t_i (a x_i + b y_i + c)`` per point; feasible when every value is >= 1."""
    return [t * (a * px + b * py + c) for (px, py), t in zip(points, labels, strict=True)]


# --------------------------------------------------------------------------
# numeric: SLSQP
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class NumericSolution:
    a: float
    b: float
    c: float
    objective: float
    active: list[int]  # indices of constraints holding with equality (support vectors)
    multipliers: list[float]


def solve_slsqp(
    points: Sequence[Point], labels: Sequence[int], active_tol: float = 1e-6
) -> NumericSolution:
    """Minimise a^2 + b^2 under the margin constraints with SciPy's SLSQP.

    Constraints are passed as one vector function with its Jacobian, so the
    same code serves any number of points. The multipliers are recovered from
    stationarity by least squares on the active constraints.
    """
    _validate(points, labels)
    P = np.asarray(points, dtype=float)
    t = np.asarray(labels, dtype=float)
    G = t[:, None] * np.column_stack([P, np.ones(len(P))])  # row i: gradient of constraint i

    result = minimize(
        lambda w: w[0] ** 2 + w[1] ** 2,
        x0=np.zeros(3),
        jac=lambda w: np.array([2 * w[0], 2 * w[1], 0.0]),
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda w: G @ w - 1.0, "jac": lambda w: G}],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    if not result.success:
        raise RuntimeError(f"SLSQP failed: {result.message}")
    w = result.x
    slack = G @ w - 1.0
    active = [int(i) for i in np.flatnonzero(slack < active_tol)]
    lam = np.zeros(len(P))
    if active:
        grad = np.array([2 * w[0], 2 * w[1], 0.0])
        lam[active] = np.linalg.lstsq(G[active].T, grad, rcond=None)[0]
    return NumericSolution(
        a=float(w[0]),
        b=float(w[1]),
        c=float(w[2]),
        objective=float(w[0] ** 2 + w[1] ** 2),
        active=active,
        multipliers=[float(v) for v in lam],
    )


# --------------------------------------------------------------------------
# exact: KKT conditions in SymPy
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class KKTSolution:
    a: sp.Rational
    b: sp.Rational
    c: sp.Rational
    multipliers: list[sp.Rational]
    active: list[int]

    @property
    def objective(self) -> sp.Rational:
        return self.a**2 + self.b**2


def _kkt_symbols(n: int):
    a, b, c = sp.symbols("a b c", real=True)
    lam = sp.symbols(f"lambda0:{n}", real=True)
    return a, b, c, lam


def kkt_conditions(
    points: Sequence[Point], labels: Sequence[int], a, b, c, multipliers
) -> dict[str, bool]:
    """Check each KKT condition exactly (use Rationals) for a candidate solution."""
    pts = [(_exact(px), _exact(py)) for px, py in points]
    lam = [_exact(v) for v in multipliers]
    vals = [_exact(v) for v in constraint_values(pts, labels, a, b, c)]
    grad_a = 2 * a - sum(lm * t * px for lm, t, (px, _) in zip(lam, labels, pts, strict=True))
    grad_b = 2 * b - sum(lm * t * py for lm, t, (_, py) in zip(lam, labels, pts, strict=True))
    grad_c = -sum(lm * t for lm, t in zip(lam, labels, strict=True))
    return {
        "stationarity": all(sp.simplify(g) == 0 for g in (grad_a, grad_b, grad_c)),
        "primal_feasibility": all(bool(v >= 1) for v in vals),
        "dual_feasibility": all(bool(lm >= 0) for lm in lam),
        "complementary_slackness": all(
            sp.simplify(lm * (v - 1)) == 0 for lm, v in zip(lam, vals, strict=True)
        ),
    }


def _solve_with_active_set(
    points: Sequence[Point], labels: Sequence[int], active: Iterable[int]
) -> KKTSolution | None:
    """Solve stationarity plus equality on ``active`` (lam = 0 elsewhere); verify KKT."""
    active = sorted(active)
    n = len(points)
    a, b, c, lam = _kkt_symbols(n)
    pts = [(_exact(px), _exact(py)) for px, py in points]
    lam_vals = [lam[i] if i in active else sp.Integer(0) for i in range(n)]
    eqs = [
        2 * a - sum(lm * t * px for lm, t, (px, _) in zip(lam_vals, labels, pts, strict=True)),
        2 * b - sum(lm * t * py for lm, t, (_, py) in zip(lam_vals, labels, pts, strict=True)),
        sum(lm * t for lm, t in zip(lam_vals, labels, strict=True)),
    ]
    eqs += [labels[i] * (a * pts[i][0] + b * pts[i][1] + c) - 1 for i in active]
    unknowns = [a, b, c, *(lam[i] for i in active)]
    sols = sp.linsolve(eqs, unknowns)
    if not isinstance(sols, sp.FiniteSet) or len(sols) != 1:
        return None
    (sol,) = sols
    if any(v.free_symbols for v in sol):  # not unique: skip this candidate set
        return None
    values = dict(zip(unknowns, sol, strict=True))
    a_val, b_val, c_val = values[a], values[b], values[c]
    multipliers = [values[lam[i]] if i in active else sp.Integer(0) for i in range(n)]
    if not all(kkt_conditions(points, labels, a_val, b_val, c_val, multipliers).values()):
        return None
    vals = constraint_values(pts, labels, a_val, b_val, c_val)
    support = [i for i, v in enumerate(vals) if sp.simplify(v - 1) == 0]
    return KKTSolution(a_val, b_val, c_val, multipliers, support)


def _candidate_active_sets(
    points: Sequence[Point], labels: Sequence[int], use_slsqp_guess: bool
) -> Iterator[tuple[int, ...]]:
    """SLSQP's active set and its subsets first, then all subsets of size 1 to 3.

    Size 3 is enough: with three unknowns (a, b, c) some optimal multiplier
    vector is supported on at most three constraints with independent
    gradients (Caratheodory), and for such a set the KKT system is nonsingular.
    """
    if use_slsqp_guess:
        try:
            guess = solve_slsqp(points, labels).active
        except RuntimeError:  # e.g. infeasible constraints; enumeration will decide
            guess = []
        for k in range(len(guess), 0, -1):
            yield from combinations(guess, k)
    for k in range(1, min(len(points), 3) + 1):
        yield from combinations(range(len(points)), k)


def solve_kkt(
    points: Sequence[Point], labels: Sequence[int], use_slsqp_guess: bool = True
) -> KKTSolution:
    """Exact solution from the KKT conditions, with exact multipliers.

    Each candidate active set turns the KKT system into linear equations; the
    first candidate whose solution passes every KKT check is returned (the
    problem is convex, so any KKT point is the optimum). Candidates come from
    the SLSQP solution first, if enabled, then every subset by increasing size.
    ``active`` in the result lists all constraints holding with equality.
    """
    _validate(points, labels)
    seen: set[tuple[int, ...]] = set()
    for subset in _candidate_active_sets(points, labels, use_slsqp_guess):
        if subset in seen:
            continue
        seen.add(subset)
        sol = _solve_with_active_set(points, labels, subset)
        if sol is not None:
            return sol
    raise ValueError("no KKT point found: are the classes linearly separable?")


# --------------------------------------------------------------------------
# scikit-learn cross-check
# --------------------------------------------------------------------------
def sklearn_svc(points: Sequence[Point], labels: Sequence[int], C: float = 1e8) -> SVC:
    """A linear SVC with a huge C, which approximates the hard-margin problem."""
    from sklearn.svm import SVC  # here: the grader imports this module, not scikit-learn

    _validate(points, labels)
    model = SVC(kernel="linear", C=C, tol=1e-10)
    return model.fit(np.asarray(points, dtype=float), np.asarray(labels))


def sklearn_solution(points: Sequence[Point], labels: Sequence[int]) -> dict:
    """(a, b, c), support indices and alphas from scikit-learn, as plain data.

    ``dual_coef_`` holds ``t_i * alpha_i`` with ``alpha = lambda / 2`` because
    scikit-learn's objective is half of ours.
    """
    model = sklearn_svc(points, labels)
    (a, b), c = model.coef_[0], model.intercept_[0]
    alpha = np.zeros(len(points))
    alpha[model.support_] = np.abs(model.dual_coef_[0])
    return {
        "a": float(a),
        "b": float(b),
        "c": float(c),
        "support": sorted(int(i) for i in model.support_),
        "alpha": [float(v) for v in alpha],
        "lambda": [float(2 * v) for v in alpha],
    }


def explain_same_solution(variant: Mapping | None = None) -> dict:
    """Why adding three points leaves the optimum unchanged, as plain data (for a variant's
    extra points; None: the seed's)."""
    six_points = SixPoints.of(variant)
    three = solve_kkt(THREE_POINTS, THREE_LABELS, use_slsqp_guess=False)
    six = solve_kkt(six_points.points, six_points.labels, use_slsqp_guess=False)
    vals = constraint_values(six_points.points, six_points.labels, three.a, three.b, three.c)
    extra = range(len(THREE_POINTS), len(six_points.points))
    return {
        "same_solution": (three.a, three.b, three.c) == (six.a, six.b, six.c),
        "extra_points": [list(six_points.points[i]) for i in extra],
        "extra_constraint_values": [str(vals[i]) for i in extra],
        "extra_active": [bool(vals[i] == 1) for i in extra],
        "extra_multipliers": [str(six.multipliers[i]) for i in extra],
        "support_vectors": six.active,
        "reason": (
            "The added points lie strictly beyond the margin (constraint values > 1), "
            "so their constraints are inactive and complementary slackness makes their "
            "multipliers zero. The three-point KKT solution, padded with zero "
            "multipliers, satisfies every KKT condition of the six-point problem, and "
            "the problem is convex, so it remains the optimum."
        ),
    }


def summary(variant: Mapping | None = None) -> dict:
    """Key answers of lesson 7 as plain data (for a variant's six points; None: the seed's)."""
    six_points = SixPoints.of(variant)
    three = solve_kkt(THREE_POINTS, THREE_LABELS)
    six = solve_kkt(six_points.points, six_points.labels)
    num = solve_slsqp(six_points.points, six_points.labels)
    return {
        "line": {"a": str(three.a), "b": str(three.b), "c": str(three.c)},
        "line_float": [float(three.a), float(three.b), float(three.c)],
        "objective": str(three.objective),
        "margin": margin(float(three.a), float(three.b), float(three.c)),
        "multipliers_three": [str(v) for v in three.multipliers],
        "multipliers_six": [str(v) for v in six.multipliers],
        "support_vectors_six": six.active,
        "slsqp_six": [num.a, num.b, num.c],
        "sklearn_six": sklearn_solution(six_points.points, six_points.labels),
        "same_solution": explain_same_solution(variant),
    }
