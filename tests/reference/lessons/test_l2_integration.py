"""Lesson 2 reference: checked against SymPy integration and SciPy quadrature."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy.integrate import cumulative_trapezoid, quad  # noqa: E402

from reference.lessons import l2_integration as l2  # noqa: E402

x_sym = sp.Symbol("x")


def _integrand(t):
    # Written out again so the checks do not lean on the module under test.
    return 3 * t**2 - 4 * t


def test_integrand_is_the_lessons_function():
    assert sp.expand(l2.f_sympy() - (3 * x_sym**2 - 4 * x_sym)) == 0
    t = np.linspace(-10, 10, 33)
    np.testing.assert_allclose(l2.f(t), _integrand(t))


def test_antiderivative_matches_sympy_integrate():
    anti = l2.antiderivative_sympy()
    assert sp.simplify(sp.diff(anti, x_sym) - l2.f_sympy()) == 0
    # SymPy also drops the constant, so the two agree exactly.
    assert sp.simplify(sp.integrate(l2.f_sympy(), x_sym) - anti) == 0


@pytest.mark.parametrize(("a", "b"), [(-10, 10), (-1.5, 2.25), (0, 4 / 3), (3, -2)])
def test_numpy_antiderivative_gives_quad_areas(a, b):
    area, _ = quad(_integrand, a, b)
    assert l2.F(b) - l2.F(a) == pytest.approx(area, rel=1e-12, abs=1e-12)


def test_running_sum_follows_the_lesson_recipe():
    x, y = l2.running_sum()
    assert len(x) == 200
    assert x[0] == -10.0
    assert x[-1] == pytest.approx(9.9)
    total = 0.0
    for i, xi in enumerate(x):  # one rectangle at a time, left edge height
        total += _integrand(xi) * 0.1
        assert y[i] == pytest.approx(total, rel=1e-12, abs=1e-9)


def test_running_sum_accepts_other_functions_and_ranges():
    x, y = l2.running_sum(np.cos, start=0.0, stop=np.pi / 2, step=1e-4)
    assert y[-1] == pytest.approx(1.0, abs=1e-4)
    assert x[0] == 0.0


def test_running_sum_approximates_area_up_to_right_edge():
    # For a constant the left sum is exact at x_i + step, and one step off at x_i.
    x, y = l2.running_sum(lambda t: np.full_like(t, 2.0), start=0.0, stop=1.0, step=0.125)
    np.testing.assert_allclose(y, 2.0 * (x + 0.125))
    error = l2.running_sum_error(lambda t: np.full_like(t, 2.0), lambda t: 2.0 * t, 0.0, 1.0, 0.125)
    assert error == pytest.approx(0.0, abs=1e-12)


def test_running_sum_error_matches_quad_reference():
    step = 0.1
    x, y = l2.running_sum(step=step)
    exact = np.array([quad(_integrand, -10.0, xi + step)[0] for xi in x])
    assert l2.running_sum_error(step=step) == pytest.approx(np.max(np.abs(y - exact)), rel=1e-9)


def test_running_sum_close_to_cumulative_trapezoid():
    step = 0.001
    x, y = l2.running_sum(step=step)
    grid = np.append(x, x[-1] + step)
    # Trapezoid error on a quadratic is step^2 * 6 * length / 12: about 1e-5 here.
    area = cumulative_trapezoid(_integrand(grid), grid, initial=0.0)[1:]
    tolerance = step / 2 * np.ptp(_integrand(grid)) + 1e-4
    assert np.max(np.abs(y - area)) <= tolerance


def test_error_shrinks_linearly_with_step():
    steps = np.array([0.1, 0.05, 0.02, 0.01, 0.005])
    errors = np.array([l2.running_sum_error(step=h) for h in steps])
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert slope == pytest.approx(1.0, abs=0.05)
    # Leading term: step/2 times the largest change of f from its value at -10.
    dense = np.linspace(-10, 10, 200_001)
    constant = np.max(np.abs(_integrand(dense) - _integrand(-10.0))) / 2
    assert errors[-1] / steps[-1] == pytest.approx(constant, rel=0.01)


@settings(max_examples=60, deadline=None)
@given(
    start=st.floats(-10.0, 0.0, allow_nan=False),
    length=st.floats(1.0, 10.0, allow_nan=False),
    step=st.floats(1e-3, 1e-1, allow_nan=False),
)
def test_left_sum_error_bound_anywhere(start, length, step):
    stop = start + length
    x, y = l2.running_sum(start=start, stop=stop, step=step)
    right = x[-1] + step
    exact, _ = quad(_integrand, start, right)
    # Left Riemann sum of this quadratic: error = h/2 (f(b)-f(a)) - h^2 (b-a)/2.
    dense = np.linspace(start, right, 2001)
    bound = step / 2 * np.max(np.abs(_integrand(dense) - _integrand(start)))
    bound += step**2 * (right - start) + 1e-9 * (1 + abs(exact))
    assert abs(y[-1] - exact) <= bound
    assert l2.running_sum_error(start=start, stop=stop, step=step) <= bound


def _lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_plot_has_both_curves():
    fig = l2.plot_antiderivative()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = _lines_by_label(ax)
    assert {"antiderivative", "running sum"} <= set(lines)
    xs, ys = lines["antiderivative"].get_data()
    np.testing.assert_allclose(ys, sp.lambdify(x_sym, sp.integrate(l2.f_sympy(), x_sym))(xs))
    xs, ys = lines["running sum"].get_data()
    exact = np.array([quad(_integrand, -10.0, xi + 0.1)[0] for xi in xs])
    assert np.max(np.abs(ys - exact)) < 0.1 / 2 * 400
    assert ax.get_title()
    assert ax.get_legend() is not None


def test_plot_draws_on_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert l2.plot_antiderivative(ax=ax) is fig
    assert len(ax.get_lines()) == 2


def test_summary_is_plain_and_consistent():
    summary = l2.summary()
    json.dumps(summary)
    assert sp.sympify(summary["antiderivative"]) == sp.integrate(l2.f_sympy(), x_sym)
    assert summary["exact_area_-10_to_10"] == pytest.approx(quad(_integrand, -10, 10)[0])
    errors = summary["running_sum_max_error"]
    assert errors == sorted(errors, reverse=True)
