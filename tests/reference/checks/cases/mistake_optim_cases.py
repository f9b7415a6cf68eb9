"""Typical mistakes in optimisation and the SVM, each with the note that names it.

Optimisation: a critical point at infinity (SymPy's ``oo`` is a list item,
not a type error), a point outside the domain, maxima and minima swapped.
SVM: the wrong support vectors, a violated margin, a sign slip in a class
label, multipliers at points that are not support vectors. Checked with
:mod:`reference.checks.extrema` and through lessons 6 and 7.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from reference.checks.extrema import check_critical_points, check_extrema
from reference.lessons import l7_svm as l7

from . import Case, mistake, part_check

CUBIC_POINTS = [0.0, 4 / 3]
CUBIC_KINDS = [(0.0, "max"), (4 / 3, "min")]
LOG = {"derivative": lambda v: 1 / v, "domain": (0.0, math.inf)}


def _cp(id_, student, expected, note, want="partial", **options):
    return mistake(f"mo-points-{id_}", check_critical_points, student, expected, note, want,
                   **options)  # fmt: skip


def _ek(id_, student, note, want="partial"):
    return mistake(f"mo-kinds-{id_}", check_extrema, student, CUBIC_KINDS, note, want)


def _p(id_, student, part, note, want="partial"):
    return mistake(f"mo-part-{id_}", part_check, student, part, note, want)


def w_with_label_flipped(i: int) -> np.ndarray:
    labels = list(l7.SIX_LABELS)
    labels[i] = -labels[i]
    best = l7.solve_slsqp(l7.SIX_POINTS, labels)
    return np.array([best.a, best.b, best.c], dtype=float)


W6 = np.array([2 / 3, 2 / 3, -1.0])

CASES: list[Case] = [
    # a critical point at +-infinity, which is a list item, not a type error
    _cp("oo", [sp.oo], [], "critical-at-infinity", **LOG),
    _cp("oo-text", ["oo"], [], "critical-at-infinity", **LOG),
    _cp("inf-float", [math.inf], [], "critical-at-infinity", **LOG),
    _cp("inf-array", np.array([np.inf]), [], "critical-at-infinity", **LOG),
    _cp("oo-alone", sp.oo, [], "critical-at-infinity", **LOG),
    _cp("oo-set", sp.FiniteSet(sp.oo), [], "critical-at-infinity", **LOG),
    _cp("minus-oo", ["-oo"], [], "critical-at-infinity"),
    _cp("cubic-plus-oo", [0, 4 / 3, sp.oo], CUBIC_POINTS, "critical-at-infinity"),
    _p("log-zeros-oo", [sp.oo], "lesson06.log_zeros", "critical-at-infinity"),
    _p("log-zeros-inf", [float("inf")], "lesson06.log_zeros", "critical-at-infinity"),
    _p("log-zeros-oo-alone", sp.oo, "lesson06.log_zeros", "critical-at-infinity"),
    _p(
        "cubic-key-oo",
        {0: "max", 4 / 3: "min", sp.oo: "max"},
        "lesson06.cubic_critical",
        "critical-at-infinity",
    ),  # fmt: skip
    _p("log-max-at-infinity", "A", "lesson06.log_extremum", "max-at-infinity"),
    # points that are not critical points
    _cp("outside-domain", [-1.0], [], "not-a-zero", "fail", **LOG),
    _cp("not-a-zero", [2.0], [], "not-a-zero", "fail", **LOG),
    _p("log-zeros-one", [1], "lesson06.log_zeros", "not-a-zero", "fail"),
    _cp("missing-one", [0.0], CUBIC_POINTS, "wrong-critical-points"),
    # maxima and minima confused
    _ek("swapped", {0: "min", 4 / 3: "max"}, "max-min-swapped"),
    _ek("swapped-words", {"0": "local minimum", "4/3": "local maximum"}, "max-min-swapped"),
    _ek("swapped-pairs", [(0, "minimum"), (4 / 3, "Maximum")], "max-min-swapped"),
    _ek("one-wrong", {0: "max", 4 / 3: "max"}, "wrong-kind"),
    _ek("oo-key", {0: "max", 4 / 3: "min", "oo": "max"}, "critical-at-infinity"),
    _p("cubic-swapped", {0: "min", 4 / 3: "max"}, "lesson06.cubic_critical", "max-min-swapped"),
    _p(
        "cubic-rational",
        {0: "min", sp.Rational(4, 3): "max"},
        "lesson06.cubic_critical",
        "max-min-swapped",
    ),  # fmt: skip
    _p("cubic-f2-sign", [4.0, -4.0], "lesson06.cubic_f2", "sign-error"),
    # SVM: a sign slip in a class label, a violated margin, not optimal
    _p("w6-label-0", w_with_label_flipped(0), "lesson07.w6", "constraint-sign-slip"),
    _p("w6-label-1", w_with_label_flipped(1), "lesson07.w6", "constraint-sign-slip"),
    _p("w6-label-2", w_with_label_flipped(2), "lesson07.w6", "constraint-sign-slip"),
    _p("w6-all-labels", -W6, "lesson07.w6", "sign-error"),
    _p("w6-violates", np.array([1.0, 0.0, -1.0]), "lesson07.w6", "infeasible", "fail"),
    _p("w6-not-optimal", np.array([1.0, 1.0, -1.0]), "lesson07.w6", "not-optimal"),
    _p("sklearn-sign", -W6, "lesson07.sklearn", "sign-error"),
    # SVM: the wrong support vectors
    _p("support-empty", [], "lesson07.support", "wrong-support-vectors", "fail"),
    _p("support-inverted", [3, 4, 5], "lesson07.support", "wrong-support-vectors", "fail"),
    _p("support-all", list(range(6)), "lesson07.support", "wrong-support-vectors"),
    _p("support-extra", [0, 1, 2, 5], "lesson07.support", "set-extra-items"),
    _p("support-missing", [0, 1], "lesson07.support", "set-missing-items"),
    # SVM: multipliers
    _p(
        "lambdas-off-support",
        np.array([8 / 9, 4 / 9, 4 / 9, 0.2, 0, 0]),
        "lesson07.lambdas",
        "complementary-slackness",
    ),  # fmt: skip
    _p(
        "lambdas-half", np.array([4 / 9, 2 / 9, 2 / 9, 0, 0, 0]), "lesson07.lambdas", "sklearn-half"
    ),  # fmt: skip
    _p(
        "lambdas-sign", -np.array([8 / 9, 4 / 9, 4 / 9, 0, 0, 0]), "lesson07.lambdas", "sign-error"
    ),  # fmt: skip
    _p("why-right-side", "C", "lesson07.why_same", "right-side-not-enough"),
]

# Right answers written other ways: never a mistake.
CASES += [
    Case("mo-ok-00", check_critical_points, [], [], "pass", LOG),
    Case("mo-ok-01", check_critical_points, sp.EmptySet, [], "pass", LOG),
    Case("mo-ok-02", check_critical_points, "EmptySet", [], "pass", LOG),
    Case("mo-ok-03", check_critical_points, {4 / 3, 0.0}, CUBIC_POINTS, "pass"),
    Case("mo-ok-04", check_critical_points, ["4/3", "0"], CUBIC_POINTS, "pass"),
    Case("mo-ok-05", check_critical_points, np.array([4 / 3, 0]), CUBIC_POINTS, "pass"),
    Case(
        "mo-ok-06", check_critical_points, (sp.Rational(4, 3), sp.Integer(0)), CUBIC_POINTS, "pass"
    ),  # fmt: skip
    Case("mo-ok-07", check_extrema, {"4/3": "local min", 0: "local max"}, CUBIC_KINDS, "pass"),
    Case("mo-ok-08", check_extrema, [(0.0, "Maximum"), (4 / 3, "minimum")], CUBIC_KINDS, "pass"),
    Case("mo-ok-part-00", part_check, [], "lesson06.log_zeros", "pass"),
    Case(
        "mo-ok-part-01",
        part_check,
        sp.solveset(1 / sp.Symbol("x", positive=True), sp.Symbol("x", positive=True)),
        "lesson06.log_zeros",
        "pass",
    ),  # fmt: skip
    Case(
        "mo-ok-part-02",
        part_check,
        {sp.Rational(4, 3): "min", 0: "max"},
        "lesson06.cubic_critical",
        "pass",
    ),  # fmt: skip
    Case("mo-ok-part-03", part_check, W6, "lesson07.w6", "pass"),
    Case("mo-ok-part-04", part_check, {2, 1, 0}, "lesson07.support", "pass"),
    Case("mo-ok-part-05", part_check, np.array([0, 1, 2]), "lesson07.support", "pass"),
]
