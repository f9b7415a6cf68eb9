"""Lesson 6: symbolic critical points against numeric root finding and minimisation."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize_scalar

from reference.lessons import l6_optimization as l6

x = l6.x


def _f(expr):
    return sp.lambdify(x, expr, "numpy")


def test_lesson_cubic_critical_points_exact():
    crit = l6.critical_points(l6.lesson_cubic())
    assert crit == [(0, l6.LOCAL_MAX), (sp.Rational(4, 3), l6.LOCAL_MIN)]
    f2 = sp.diff(l6.lesson_cubic(), x, 2)
    assert [f2.subs(x, p) for p, _ in crit] == [-4, 4]


def test_lesson_cubic_against_numeric_optimisation():
    f = _f(l6.lesson_cubic())
    local_min = minimize_scalar(f, bounds=(0.5, 2.0), method="bounded", options={"xatol": 1e-10})
    local_max = minimize_scalar(
        lambda t: -f(t), bounds=(-1.0, 0.5), method="bounded", options={"xatol": 1e-10}
    )
    assert local_min.x == pytest.approx(4 / 3, abs=1e-6)
    assert local_max.x == pytest.approx(0.0, abs=1e-6)
    roots = np.sort(np.roots([3.0, -4.0, 0.0]).real)
    np.testing.assert_allclose(roots, [0.0, 4 / 3], atol=1e-12)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (x**3, [(0, "neither")]),
        (x**4, [(0, "local min")]),
        (-(x**6), [(0, "local max")]),
        (x**5, [(0, "neither")]),
        (sp.exp(-(x**2)), [(0, "local max")]),
        (x * sp.exp(x), [(-1, "local min")]),
    ],
)
def test_higher_derivative_fallback(expr, expected):
    assert l6.critical_points(expr) == expected


def test_first_derivative_sign_fallback_when_derivatives_all_vanish():
    # every derivative up to order 4 of x**6 vanishes at 0; max_order=4 forces the sign test
    assert l6.critical_points(x**6, max_order=4) == [(0, "local min")]
    assert l6.critical_points(-(x**6), max_order=4) == [(0, "local max")]
    assert l6.critical_points(x**7, max_order=4) == [(0, "neither")]


def test_domain_restricts_points():
    crit = l6.critical_points(l6.lesson_cubic(), domain=l6.POSITIVE_REALS)
    assert crit == [(sp.Rational(4, 3), "local min")]


def test_non_finite_critical_set_raises():
    with pytest.raises(ValueError):
        l6.critical_points(sp.Integer(3))
    with pytest.raises(ValueError):
        l6.critical_points(sp.sin(x))


def test_log_derivative_and_no_zero():
    assert sp.simplify(l6.log_derivative() - 1 / x) == 0
    assert l6.log_derivative_zeros() == sp.S.EmptySet
    assert l6.critical_points(sp.log(x), domain=l6.POSITIVE_REALS) == []


def test_log_increasing_and_unbounded():
    assert l6.log_is_strictly_increasing() is True
    assert l6.log_limits() == (-sp.oo, sp.oo)
    # numerically: 1/x stays positive on a wide grid, and log keeps growing
    grid = np.logspace(-8, 8, 400)
    assert np.all(1 / grid > 0)
    assert np.all(np.diff(np.log(grid)) > 0)


def test_log_numeric_optimum_runs_to_the_boundary():
    # a bounded minimiser of log (or of -log) always ends at an interval end:
    # there is no interior extremum to find
    for lo, hi in [(0.01, 5.0), (1.0, 100.0)]:
        res_min = minimize_scalar(np.log, bounds=(lo, hi), method="bounded")
        res_max = minimize_scalar(lambda t: -np.log(t), bounds=(lo, hi), method="bounded")
        assert res_min.x == pytest.approx(lo, abs=1e-3 * hi)
        assert res_max.x == pytest.approx(hi, abs=1e-3 * hi)
    # and there is no sign change of 1/x for a root finder to bracket
    with pytest.raises(ValueError):
        brentq(lambda t: 1 / t, 1e-6, 1e6)


@settings(max_examples=40, deadline=None)
@given(
    a=st.integers(-5, 5).filter(lambda v: v != 0),
    b=st.integers(-9, 9),
    c=st.integers(-9, 9),
    d=st.integers(-9, 9),
)
def test_random_cubics_agree_with_numpy_roots(a, b, c, d):
    cubic = a * x**3 + b * x**2 + c * x + d
    crit = l6.critical_points(cubic)
    disc = 4 * b * b - 12 * a * c  # discriminant of f' = 3a x^2 + 2b x + c
    roots = np.roots([3 * a, 2 * b, c])
    real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    if disc < 0:
        assert crit == []
    elif disc == 0:
        # double root of f': an inflection point, neither max nor min
        assert len(crit) == 1 and crit[0][1] == "neither"
        assert float(crit[0][0]) == pytest.approx(-b / (3 * a))
    else:
        assert len(crit) == 2
        np.testing.assert_allclose([float(p) for p, _ in crit], real, rtol=1e-9, atol=1e-12)
        # for a > 0 the left critical point is the max; for a < 0 it is the min
        kinds = [k for _, k in crit]
        assert kinds == (["local max", "local min"] if a > 0 else ["local min", "local max"])


@settings(max_examples=25, deadline=None)
@given(
    a=st.integers(-5, 5).filter(lambda v: v != 0),
    b=st.integers(-9, 9),
    c=st.integers(-9, 9),
)
def test_random_cubic_kinds_match_numeric_minimisation(a, b, c):
    cubic = a * x**3 + b * x**2 + c * x
    assume(4 * b * b - 12 * a * c > 0)
    f = _f(cubic)
    crit = l6.critical_points(cubic)
    p0, p1 = (float(p) for p, _ in crit)
    gap = p1 - p0
    for p, kind in crit:
        lo, hi = float(p) - gap / 2, float(p) + gap / 2
        sign = 1.0 if kind == "local min" else -1.0
        res = minimize_scalar(
            lambda t, s=sign: s * f(t), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}
        )
        assert res.x == pytest.approx(float(p), abs=1e-4 * max(1.0, gap))


def test_summary_is_plain_data():
    s = l6.summary()
    json.dumps(s)
    pts = s["cubic_critical_points"]
    assert [p["x"] for p in pts] == ["0", "4/3"]
    assert [p["kind"] for p in pts] == ["local max", "local min"]
    assert [p["f2"] for p in pts] == [-4.0, 4.0]
    assert s["log_derivative"] == "1/x"
    assert s["log_derivative_zeros"] == []
    assert s["log_strictly_increasing"] is True
    assert s["log_has_max_or_min"] is False


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_scaled_log_has_no_critical_point(k):
    log = l6.ScaledLog(k)
    assert sp.simplify(log.derivative() - k / x) == 0
    assert log.derivative_zeros() == sp.S.EmptySet
    assert log.is_strictly_increasing() is True
    assert log.limits() == (-sp.oo, sp.oo)
    assert float(log.f(np.e)) == pytest.approx(k)


def test_cubic_of_a_variant_against_numeric_optimisation():
    cubic = l6.Cubic(2, 1, -8, 3)  # f' = 6x^2 + 2x - 8 = 2(3x + 4)(x - 1)
    assert cubic.critical_exact() == [(sp.Rational(-4, 3), l6.LOCAL_MAX), (1, l6.LOCAL_MIN)]
    assert cubic.f2_at_critical() == [-14.0, 14.0]
    local_min = minimize_scalar(cubic.f, bounds=(0.0, 2.0), method="bounded")
    assert local_min.x == pytest.approx(1.0, abs=1e-5)
    summary = l6.summary({"k": 3, "a": 2, "b": 1, "c": -8, "d": 3})
    json.dumps(summary)
    assert summary["log_derivative"] == "3/x" and summary["cubic"] == "2*x**3 + x**2 - 8*x + 3"
