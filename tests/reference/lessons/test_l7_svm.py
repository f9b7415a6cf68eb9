"""Lesson 7: SLSQP, exact KKT (SymPy) and scikit-learn must agree on the SVM line."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference.lessons import l7_svm as l7

R = sp.Rational
EXPECTED_LAMBDA = [R(8, 9), R(4, 9), R(4, 9)]


@pytest.mark.parametrize(
    ("points", "labels"),
    [(l7.THREE_POINTS, l7.THREE_LABELS), (l7.SIX_POINTS, l7.SIX_LABELS)],
)
def test_slsqp_line(points, labels):
    sol = l7.solve_slsqp(points, labels)
    np.testing.assert_allclose([sol.a, sol.b, sol.c], [2 / 3, 2 / 3, -1], atol=1e-8)
    assert sol.objective == pytest.approx(8 / 9, rel=1e-8)
    assert sol.active == [0, 1, 2]
    np.testing.assert_allclose(sol.multipliers[:3], [8 / 9, 4 / 9, 4 / 9], atol=1e-6)
    np.testing.assert_allclose(sol.multipliers[3:], 0.0, atol=1e-12)


@pytest.mark.parametrize("guess", [True, False])
def test_kkt_three_points_exact(guess):
    sol = l7.solve_kkt(l7.THREE_POINTS, l7.THREE_LABELS, use_slsqp_guess=guess)
    assert (sol.a, sol.b, sol.c) == (R(2, 3), R(2, 3), -1)
    assert all(isinstance(v, sp.Rational) for v in (sol.a, sol.b, sol.c))
    assert sol.multipliers == EXPECTED_LAMBDA
    assert sol.active == [0, 1, 2]
    assert sol.objective == R(8, 9)


@pytest.mark.parametrize("guess", [True, False])
def test_kkt_six_points_exact(guess):
    sol = l7.solve_kkt(l7.SIX_POINTS, l7.SIX_LABELS, use_slsqp_guess=guess)
    assert (sol.a, sol.b, sol.c) == (R(2, 3), R(2, 3), -1)
    assert sol.multipliers == [*EXPECTED_LAMBDA, 0, 0, 0]
    assert sol.active == [0, 1, 2]


def test_kkt_conditions_hold_for_solution_and_fail_for_wrong_ones():
    pts, labs = l7.SIX_POINTS, l7.SIX_LABELS
    lam = [*EXPECTED_LAMBDA, 0, 0, 0]
    ok = l7.kkt_conditions(pts, labs, R(2, 3), R(2, 3), R(-1), lam)
    assert all(ok.values())
    # the seed's "objective with + lambda" sign would flip every multiplier
    neg = l7.kkt_conditions(pts, labs, R(2, 3), R(2, 3), R(-1), [-v for v in lam])
    assert not neg["dual_feasibility"] and not neg["stationarity"]
    # a multiplier on an inactive constraint breaks complementary slackness
    slack = l7.kkt_conditions(pts, labs, R(2, 3), R(2, 3), R(-1), [*lam[:5], R(1, 10)])
    assert not slack["complementary_slackness"]
    # a too-small line violates the margins
    small = l7.kkt_conditions(pts, labs, R(1, 3), R(1, 3), R(-1, 2), lam)
    assert not small["primal_feasibility"]


def test_multipliers_satisfy_stationarity_by_hand():
    # dL/da: 2a = sum lam_i t_i x_i ; dL/db likewise ; dL/dc: sum lam_i t_i = 0
    lam, pts, t = EXPECTED_LAMBDA, l7.THREE_POINTS, l7.THREE_LABELS
    assert sum(lm * ti * p[0] for lm, ti, p in zip(lam, t, pts, strict=True)) == 2 * R(2, 3)
    assert sum(lm * ti * p[1] for lm, ti, p in zip(lam, t, pts, strict=True)) == 2 * R(2, 3)
    assert sum(lm * ti for lm, ti in zip(lam, t, strict=True)) == 0


def test_sklearn_agrees_with_kkt():
    sk = l7.sklearn_solution(l7.SIX_POINTS, l7.SIX_LABELS)
    np.testing.assert_allclose([sk["a"], sk["b"], sk["c"]], [2 / 3, 2 / 3, -1], atol=1e-6)
    assert sk["support"] == [0, 1, 2]
    np.testing.assert_allclose(sk["alpha"], [4 / 9, 2 / 9, 2 / 9, 0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(sk["lambda"], [8 / 9, 4 / 9, 4 / 9, 0, 0, 0], atol=1e-6)


def test_sklearn_dual_coef_is_label_times_half_lambda():
    model = l7.sklearn_svc(l7.SIX_POINTS, l7.SIX_LABELS)
    kkt = l7.solve_kkt(l7.SIX_POINTS, l7.SIX_LABELS, use_slsqp_guess=False)
    expected = [l7.SIX_LABELS[i] * float(kkt.multipliers[i]) / 2 for i in model.support_]
    np.testing.assert_allclose(model.dual_coef_[0], expected, atol=1e-6)
    np.testing.assert_allclose(model.coef_[0], [2 / 3, 2 / 3], atol=1e-6)
    assert model.intercept_[0] == pytest.approx(-1, abs=1e-6)


def test_margin_and_distance():
    a = b = 2 / 3
    c = -1.0
    assert l7.margin(a, b, c) == pytest.approx(3 / (2 * math.sqrt(2)))
    # support vectors sit exactly one margin away from the line
    for p in l7.THREE_POINTS:
        assert l7.distance(p, a, b, c) == pytest.approx(l7.margin(a, b, c))
    assert l7.distance((3, 3), a, b, c) == pytest.approx(3 * l7.margin(a, b, c))
    # independent check of the distance formula: project onto the line
    p = np.array([3.0, -2.0])
    n = np.array([a, b])
    foot = p - (n @ p + c) / (n @ n) * n
    assert n @ foot + c == pytest.approx(0, abs=1e-12)
    assert l7.distance(tuple(p), a, b, c) == pytest.approx(np.linalg.norm(p - foot))


def test_explain_same_solution():
    info = l7.explain_same_solution()
    json.dumps(info)
    assert info["same_solution"] is True
    assert info["extra_constraint_values"] == ["7/3", "11/3", "3"]
    assert info["extra_active"] == [False, False, False]
    assert info["extra_multipliers"] == ["0", "0", "0"]
    assert info["support_vectors"] == [0, 1, 2]


def test_a_students_extra_points_leave_the_line_unchanged():
    # every extra point exactly 5/3: as close to the margin as integer points of a variant get
    variant = {"p3": (0, -1), "p4": (-4, 3), "p5": (4, 0)}
    six = l7.SixPoints.of(variant)
    assert six.points == ((0, 0), (1, 2), (2, 1), (0, -1), (-4, 3), (4, 0))
    assert list(six.labels) == l7.SIX_LABELS
    info = l7.explain_same_solution(variant)
    json.dumps(info)
    assert info["same_solution"] is True
    assert info["extra_points"] == [[0, -1], [-4, 3], [4, 0]]
    assert info["extra_constraint_values"] == ["5/3", "5/3", "5/3"]
    assert info["extra_multipliers"] == ["0", "0", "0"]
    assert info["support_vectors"] == [0, 1, 2]
    s = l7.summary(variant)
    assert s["multipliers_six"] == ["8/9", "4/9", "4/9", "0", "0", "0"]
    np.testing.assert_allclose(s["slsqp_six"], [2 / 3, 2 / 3, -1], atol=1e-8)
    np.testing.assert_allclose([s["sklearn_six"][k] for k in "abc"], [2 / 3, 2 / 3, -1], atol=1e-6)
    assert l7.explain_same_solution(None) == l7.explain_same_solution()


def test_removing_a_support_vector_changes_the_solution():
    # contrast with the inactive extra points: dropping (1, 2) moves the line
    pts = [(0, 0), (2, 1), (-1, -1), (-3, -1), (3, 3)]
    labs = [-1, 1, -1, -1, 1]
    sol = l7.solve_kkt(pts, labs, use_slsqp_guess=False)
    assert (sol.a, sol.b, sol.c) != (R(2, 3), R(2, 3), -1)
    num = l7.solve_slsqp(pts, labs)
    np.testing.assert_allclose([num.a, num.b, num.c], [float(sol.a), float(sol.b), -1], atol=1e-7)


def test_kkt_with_non_simple_multipliers():
    # found by hypothesis: all three constraints active, multipliers with large denominators
    pts, labs = [(3, 5), (4, -5), (-5, -3)], [1, 1, -1]
    sol = l7.solve_kkt(pts, labs, use_slsqp_guess=False)
    assert (sol.a, sol.b, sol.c) == (R(5, 22), R(1, 44), R(9, 44))
    assert sol.multipliers == [R(29, 1936), R(9, 242), R(101, 1936)]
    num = l7.solve_slsqp(pts, labs)
    np.testing.assert_allclose([num.a, num.b, num.c], [5 / 22, 1 / 44, 9 / 44], atol=1e-8)


def test_float_coordinates_are_handled_exactly():
    # halving every coordinate doubles a and b, and keeps c
    pts = [(px / 2, py / 2) for px, py in l7.SIX_POINTS]
    sol = l7.solve_kkt(pts, l7.SIX_LABELS)
    assert (sol.a, sol.b, sol.c) == (R(4, 3), R(4, 3), -1)
    assert l7.margin(float(sol.a), float(sol.b)) == pytest.approx(l7.margin(2 / 3, 2 / 3) / 2)


def test_invalid_inputs():
    with pytest.raises(ValueError):
        l7.solve_slsqp([(0, 0), (1, 1)], [1, 1])
    with pytest.raises(ValueError):
        l7.solve_kkt([(0, 0)], [1, -1])
    with pytest.raises(ValueError):  # XOR-like: not linearly separable
        l7.solve_kkt([(0, 0), (1, 1), (1, 0), (0, 1)], [1, 1, -1, -1])


@st.composite
def separable_points(draw, max_points=7):
    """Integer points labelled by a random line, keeping a gap around it."""
    angle = draw(st.floats(0, 2 * math.pi))
    offset = draw(st.floats(-1, 1))
    n = draw(st.integers(3, max_points))
    coords = draw(
        st.lists(
            st.tuples(st.integers(-5, 5), st.integers(-5, 5)),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    w = (math.cos(angle), math.sin(angle))
    scores = [w[0] * px + w[1] * py + offset for px, py in coords]
    assume(min(abs(s) for s in scores) > 0.5)
    labels = [1 if s > 0 else -1 for s in scores]
    assume(set(labels) == {-1, 1})
    return coords, labels


@settings(max_examples=20, deadline=None)
@given(data=separable_points())
def test_random_separable_sets_slsqp_agrees_with_sklearn(data):
    points, labels = data
    num = l7.solve_slsqp(points, labels)
    sk = l7.sklearn_solution(points, labels)
    np.testing.assert_allclose([num.a, num.b, num.c], [sk["a"], sk["b"], sk["c"]], atol=1e-4)
    assert min(l7.constraint_values(points, labels, num.a, num.b, num.c)) >= 1 - 1e-7


@settings(max_examples=15, deadline=None)
@given(data=separable_points(max_points=6))
def test_random_separable_sets_kkt_agrees_with_slsqp(data):
    points, labels = data
    exact = l7.solve_kkt(points, labels)
    num = l7.solve_slsqp(points, labels)
    np.testing.assert_allclose(
        [float(exact.a), float(exact.b), float(exact.c)], [num.a, num.b, num.c], atol=1e-6
    )
    assert all(v >= 0 for v in exact.multipliers)
    checks = l7.kkt_conditions(points, labels, exact.a, exact.b, exact.c, exact.multipliers)
    assert all(checks.values())


def test_summary_is_plain_data():
    s = l7.summary()
    json.dumps(s)
    assert s["line"] == {"a": "2/3", "b": "2/3", "c": "-1"}
    assert s["objective"] == "8/9"
    assert s["multipliers_three"] == ["8/9", "4/9", "4/9"]
    assert s["multipliers_six"] == ["8/9", "4/9", "4/9", "0", "0", "0"]
    assert s["support_vectors_six"] == [0, 1, 2]
    assert s["margin"] == pytest.approx(1.0606601717798212)
    np.testing.assert_allclose(s["slsqp_six"], [2 / 3, 2 / 3, -1], atol=1e-8)
