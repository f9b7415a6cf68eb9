"""Graded parts of lesson 7: the six-point hard-margin SVM as constrained optimisation.

Point order (fixed in the notebook): 0 (0,0), 1 (1,2), 2 (2,1), then the student's three
extra points 3, 4, 5 ((-1,-1), (-3,-1), (3,3) in the seed; :mod:`calcml_tasks.lesson07`),
with classes -1, +1, +1, -1, -1, +1. Multipliers follow the convention
L = a^2 + b^2 - sum_i lam_i (t_i (a x_i + b y_i + c) - 1), lam_i >= 0.

The extra points always lie strictly beyond the margin, so the right answers of parts A
to E are those of the seed for every student; what depends on the student's points is
which wrong answers are named (a class sign slipped at one of *their* points, a tolerance
that takes in a point near the margin), so those parts are judged for the variant.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from reference.checks.discrete import check_choice, check_index_set
from reference.checks.numeric import BadAnswer, as_float_array, check_array
from reference.checks.result import CheckResult, register_note
from reference.lessons import l7_svm as l7

from .parts import Part, register

#: SLSQP stops at ftol ~1e-6 by default, so its solutions agree to about 1e-4 only.
RTOL = 1e-3
SLIP = register_note("constraint-sign-slip", "One constraint was written for the other class.")
INFEASIBLE = register_note("infeasible", "The line violates some margin constraints.")
NOT_OPTIMAL = register_note("not-optimal", "The line is feasible but a^2 + b^2 is not minimal.")
HALF = register_note("sklearn-half", "Multipliers halved: scikit-learn's alpha = lambda / 2.")
WRONG_SUPPORT = register_note(
    "wrong-support-vectors",
    "The support vectors are not the points on the margin, where t_i (a x_i + b y_i + c) = 1.",
)
SLACKNESS = register_note(
    "complementary-slackness",
    "A multiplier is nonzero at a point whose constraint is not active (not a support vector).",
)
NOT_ENOUGH = register_note(
    "right-side-not-enough", "Correct classification was given as the reason; the margin matters."
)


def _six(v) -> l7.SixPoints:
    return l7.SixPoints.of(v)


@lru_cache(maxsize=1024)
def _exact(six: l7.SixPoints) -> l7.KKTSolution:
    return l7.solve_kkt(six.points, six.labels)


def _arrays(six: l7.SixPoints) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(six.points, dtype=float), np.asarray(six.labels, dtype=float)


def _expected_w(six: l7.SixPoints) -> np.ndarray:
    s = _exact(six)
    return np.array([float(s.a), float(s.b), float(s.c)])


def _values(six: l7.SixPoints, w: np.ndarray, labels: np.ndarray) -> np.ndarray:
    points, _ = _arrays(six)
    return labels * (points @ w[:2] + w[2])


@lru_cache(maxsize=4096)
def _flipped_optimum(six: l7.SixPoints, i: int) -> float | None:
    """Optimal a^2 + b^2 when point ``i`` changes class (None if not separable).

    Exact (KKT): SLSQP at its tightest tolerance may stop at the optimum yet report
    failure, e.g. when (0, 0) in class +1 meets two extra points symmetric about the
    diagonal, such as (-4, 3) and (3, -4).
    """
    labels = list(six.labels)
    labels[i] = -labels[i]
    try:
        return float(l7.solve_kkt(six.points, labels).objective)
    except ValueError:
        return None


def _show(six: l7.SixPoints, i: int) -> str:
    x, y = six.points[i]
    return f"({x:g}, {y:g})"


def _judge_w(w, v) -> CheckResult:
    six = _six(v)
    points, own_labels = _arrays(six)
    verdict = check_array(w, _expected_w(six), rtol=RTOL, atol=RTOL, name="w6")
    if verdict.note == "sign-error":
        return CheckResult(
            verdict.score,
            "w6 is the right line with every sign flipped: it puts class +1 on the negative "
            "side, as if every class label t_i had the other sign. Check the sign of t_i in "
            "the constraints t_i (a x_i + b y_i + c) >= 1.",
            verdict.note,
        )
    if verdict.passed or verdict.note not in ("wrong", "constant-factor"):
        return verdict
    w = np.asarray(w, dtype=float)
    objective = float(w[0] ** 2 + w[1] ** 2)
    for i in range(len(points)):
        best = _flipped_optimum(six, i)
        labels = own_labels.copy()
        labels[i] = -labels[i]
        if (
            best is not None
            and np.all(_values(six, w, labels) >= 1 - RTOL)
            and abs(objective - best) <= RTOL * max(best, 1.0)
        ):
            return CheckResult(
                0.5,
                f"w6 is the best line for a problem in which point {i} {_show(six, i)} belongs "
                "to the other class: check the class sign in the constraint of that point.",
                SLIP,
            )
    violated = [int(i) for i in np.flatnonzero(_values(six, w, own_labels) < 1 - RTOL)]
    if violated:
        return CheckResult(
            0.0,
            f"w6 violates the margin constraint t_i (a x_i + b y_i + c) >= 1 of point(s) "
            f"{violated}: check those constraints and that the optimiser succeeded.",
            INFEASIBLE,
        )
    return CheckResult(
        0.25,
        "w6 satisfies every constraint but a^2 + b^2 is not as small as possible: "
        "did the optimiser stop early, or is the objective different?",
        NOT_OPTIMAL,
    )


register(
    Part(
        "lesson07.w6",
        2,
        judge=_judge_w,
        description="(a, b, c) of the six-point SVM by SLSQP",
        varies=True,
    )
)


def _judge_support(answer, v) -> CheckResult:
    six = _six(v)
    n = len(six.points)
    active = set(_exact(six).active)
    verdict = check_index_set(answer, active, name="support6")
    if verdict.passed or verdict.note in ("missing", "wrong-type"):
        return verdict
    got = {int(i) for i in answer}
    values = _values(six, _expected_w(six), _arrays(six)[1])
    if not got:
        why = (
            "support6 is empty, but some constraints hold with equality: SLSQP's solution is "
            "only accurate to about 1e-4, so test |t_i (a x_i + b y_i + c) - 1| < 1e-4 "
            "rather than == 1"
        )
    elif got == set(range(n)) - active:
        why = (
            "support6 holds exactly the points beyond the margin: the comparison is the "
            "wrong way round (the support vectors have t_i (...) = 1, the others > 1)"
        )
    elif got == set(range(n)):
        why = "support6 holds every point: only those with t_i (...) = 1 are support vectors"
    elif got - active and all(values[i] < 1 + 0.5 for i in got):
        why = (
            "support6 includes points near but not on the margin: the tolerance of the "
            "test t_i (...) = 1 is too loose (within 1e-4 is enough)"
        )
    else:
        return verdict
    return CheckResult(verdict.score, why + ".", WRONG_SUPPORT)


register(
    Part(
        "lesson07.support",
        1,
        judge=_judge_support,
        description="indices of the support vectors",
        varies=True,
    )
)


def _expected_lambdas(six: l7.SixPoints) -> np.ndarray:
    return np.array([float(v) for v in _exact(six).multipliers])


def _judge_lambdas(lam, v) -> CheckResult:
    expected = _expected_lambdas(_six(v))
    verdict = check_array(lam, expected, rtol=RTOL, atol=RTOL, name="lambdas6")
    if verdict.passed or verdict.note == "missing":
        return verdict
    try:
        values = as_float_array(lam, "lambdas6")
    except BadAnswer:
        return verdict
    if values.shape == expected.shape and np.allclose(values, expected / 2, rtol=RTOL, atol=RTOL):
        return CheckResult(
            0.5,
            "lambdas6 are half of the multipliers asked for. scikit-learn minimises "
            "(a^2 + b^2) / 2, so its dual coefficients are half of the multipliers for the "
            "objective a^2 + b^2 used here.",
            HALF,
        )
    same_shape = values.shape == expected.shape
    off = [int(i) for i in np.flatnonzero(expected == 0) if same_shape and abs(values[i]) > RTOL]
    if off:
        return CheckResult(
            0.25,
            f"lambdas6 has a nonzero multiplier at point(s) {off}, whose constraints hold with "
            "room to spare: complementary slackness makes those multipliers 0. Solve the "
            "equations with the support vectors only.",
            SLACKNESS,
        )
    if values.shape == expected.shape and np.allclose(values, -expected, rtol=RTOL, atol=RTOL):
        return CheckResult(
            0.5,
            "The sign of lambdas6 is flipped: with L = a^2 + b^2 - sum of lambda_i (t_i (...) - 1) "
            "the multipliers of >= constraints are never negative.",
            "sign-error",
        )
    return verdict


register(
    Part(
        "lesson07.lambdas",
        2,
        judge=_judge_lambdas,
        description="Lagrange multipliers, objective a^2 + b^2",
        varies=True,
    )
)


def _judge_why(choice) -> CheckResult:
    return check_choice(
        choice, "B", choices="ABCD", explain=WHY_EXPLAIN, partial={"C": (0.5, NOT_ENOUGH)}
    )


WHY_EXPLAIN = {
    "A": "SLSQP solves a convex problem here; its answer does not depend on the start.",
    "C": "True, but not enough: a point on the right side that lies inside the margin "
    "(t_i (a x_i + b y_i + c) < 1) would violate its constraint and move the line.",
    "D": "The objective is a^2 + b^2 in both problems, but the constraints change with the points.",
}

register(Part("lesson07.why_same", 1, judge=_judge_why, description="why six points = three"))


def _judge_sklearn(w, v) -> CheckResult:
    return check_array(w, _expected_w(_six(v)), rtol=RTOL, atol=RTOL, name="w_sklearn")


register(
    Part(
        "lesson07.sklearn",
        1,
        judge=_judge_sklearn,
        description="(coef_, intercept_) of SVC(kernel='linear', C large)",
        varies=True,
    )
)


def reference_answers(v) -> dict:
    """The right answer of every part for a variant (None: the seed's), as a student hands
    it in: exact values, the way SLSQP and scikit-learn approach them."""
    six = _six(v)
    return {
        "lesson07.w6": _expected_w(six),
        "lesson07.support": sorted(_exact(six).active),
        "lesson07.lambdas": _expected_lambdas(six),
        "lesson07.why_same": "B",
        "lesson07.sklearn": _expected_w(six),
    }
