"""Lesson 1 reference: checked against SymPy and against functions with known derivatives."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402
from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from reference.lessons import l1_derivatives as l1  # noqa: E402

x_sym = sp.Symbol("x")
POINTS = np.linspace(-5.0, 5.0, 41)
EPS = np.finfo(float).eps


def _loglog_slope(steps, errors) -> float:
    return float(np.polyfit(np.log10(steps), np.log10(errors), 1)[0])


def test_sympy_function_is_the_lessons_polynomial():
    assert sp.expand(l1.f_sympy() - (x_sym**3 - 2 * x_sym**2 + 1)) == 0
    np.testing.assert_allclose(l1.f(POINTS), sp.lambdify(x_sym, l1.f_sympy())(POINTS))


def test_rule_derivative_matches_sympy_diff():
    assert sp.simplify(l1.derivative_sympy() - sp.diff(l1.f_sympy(), x_sym)) == 0
    assert l1.derivative_sympy().free_symbols == {x_sym}


def test_numpy_derivative_matches_sympy_and_vectorises():
    exact = sp.lambdify(x_sym, sp.diff(l1.f_sympy(), x_sym))
    np.testing.assert_allclose(l1.f_prime(POINTS), exact(POINTS), rtol=1e-12, atol=1e-12)
    assert l1.f_prime(POINTS).shape == POINTS.shape


def test_difference_quotients_on_sine():
    # sin has the independently known derivative cos.
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(l1.forward_difference(np.sin, x, 1e-6), np.cos(x), atol=1e-5)
    np.testing.assert_allclose(l1.central_difference(np.sin, x, 1e-5), np.cos(x), atol=1e-9)


def test_central_difference_is_exact_up_to_h_squared_for_a_cubic():
    # For a cubic the central error is exactly h^2 * f'''/6 = h^2 (f''' = 6).
    h = 1e-2
    err = l1.central_difference(l1.f, POINTS, h) - l1.f_prime(POINTS)
    np.testing.assert_allclose(err, h**2, rtol=1e-6)


@pytest.mark.parametrize(
    ("func", "dfunc", "x"),
    [(l1.f, l1.f_prime, 2.0), (l1.f, l1.f_prime, -3.0), (np.exp, np.exp, 0.7)],
)
def test_error_orders_in_truncation_regime(func, dfunc, x):
    steps = np.logspace(-1, -4, 7)
    table = l1.step_error_table(func, dfunc, x, steps)
    assert set(table) == {"step", "forward", "central"}
    np.testing.assert_array_equal(table["step"], steps)
    assert _loglog_slope(steps, table["forward"]) == pytest.approx(1.0, abs=0.1)
    assert _loglog_slope(steps[:4], table["central"][:4]) == pytest.approx(2.0, abs=0.1)


def test_cancellation_makes_tiny_steps_worse():
    steps = np.logspace(-13, -10, 7)
    table = l1.step_error_table(l1.f, l1.f_prime, 2.0, steps)
    # Rounding error ~ eps/h: it falls as h grows, the opposite of truncation.
    assert _loglog_slope(steps, table["central"]) < -0.5
    best = l1.step_error_table(l1.f, l1.f_prime, 2.0, [1e-5])["central"][0]
    assert table["central"][0] > 100 * best


def test_best_step_theory_values():
    assert l1.best_step("forward") == pytest.approx(np.sqrt(EPS))
    assert l1.best_step("central") == pytest.approx(EPS ** (1 / 3))
    assert l1.best_step("central", scale=10.0) == pytest.approx(10 * EPS ** (1 / 3))
    with pytest.raises(ValueError):
        l1.best_step("backward")
    with pytest.raises(ValueError):
        l1.empirical_best_step(l1.f, l1.f_prime, 1.0, [1e-3], "backward")


@pytest.mark.parametrize("x", [2.0, -3.0, 5.0])
@pytest.mark.parametrize("method", ["forward", "central"])
def test_measured_best_step_agrees_with_theory(x, method):
    steps = np.logspace(-1, -14, 53)
    measured = l1.empirical_best_step(l1.f, l1.f_prime, x, steps, method)
    theory = l1.best_step(method, scale=max(1.0, abs(x)))
    assert theory / 30 < measured < theory * 30


@settings(max_examples=200, deadline=None)
@given(
    x=st.floats(-5.0, 5.0, allow_nan=False),
    h=st.floats(1e-4, 1e-2, allow_nan=False),
)
def test_central_beats_forward_for_moderate_steps(x, h):
    # Away from the inflection point x = 2/3, where f'' = 0 and the forward
    # quotient's leading error term vanishes.
    assume(abs(x - 2 / 3) >= 0.1)
    table = l1.step_error_table(l1.f, l1.f_prime, x, [h])
    assert table["central"][0] <= table["forward"][0]


@settings(max_examples=100, deadline=None)
@given(x=st.floats(-5.0, 5.0, allow_nan=False))
def test_derivative_matches_central_difference_anywhere(x):
    assert l1.f_prime(x) == pytest.approx(l1.central_difference(l1.f, x, 1e-5), abs=1e-7)


def _lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_plot_has_rule_and_rate_curves():
    fig = l1.plot_derivatives()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = _lines_by_label(ax)
    assert {"rule", "rate"} <= set(lines)
    exact = sp.lambdify(x_sym, sp.diff(l1.f_sympy(), x_sym))
    for name in ("rule", "rate"):
        xs, ys = lines[name].get_data()
        np.testing.assert_allclose(ys, exact(np.asarray(xs)), atol=1e-2)
    assert ax.get_title()
    assert ax.get_legend() is not None
    legend_texts = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"rule", "rate"} <= legend_texts


def test_plot_draws_on_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert l1.plot_derivatives(ax=ax) is fig
    assert len(ax.get_lines()) == 2


def test_summary_is_plain_and_consistent():
    summary = l1.summary()
    json.dumps(summary)  # plain data only
    assert sp.sympify(summary["derivative"]) == sp.diff(l1.f_sympy(), x_sym)
    assert summary["f_prime_at_2"] == pytest.approx(4.0)
    assert summary["central_difference_at_2_h1e-4"] == pytest.approx(4.0, abs=1e-6)
    assert len(summary["steps"]) == len(summary["forward_error_at_2"])
