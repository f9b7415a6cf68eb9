"""Lesson 4 reference: the sigmoid-layer Jacobian checked by SymPy and finite differences."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from reference.lessons import l4_jacobian as l4

x, y = sp.symbols("x y")
p, q, r, s, t, u = sp.symbols("p q r s t u")
weights = st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=6, max_size=6)
coords = st.floats(-2.0, 2.0, allow_nan=False)


def test_sigmoid_matches_scipy_and_survives_extremes():
    z = np.array([-800.0, -40.0, -1.0, 0.0, 0.5, 40.0, 800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(l4.sigmoid(z), expit(z), rtol=1e-12, atol=1e-300)
    assert float(l4.sigmoid(0.0)) == 0.5


def test_function_is_the_three_sigmoid_units():
    expected = sp.Matrix(
        [1 / (1 + sp.exp(-(p * x + q * y))), 1 / (1 + sp.exp(-(r * x + s * y)))]
        + [1 / (1 + sp.exp(-(t * x + u * y)))]
    )
    assert sp.simplify(l4.function_sympy() - expected) == sp.zeros(3, 1)


def test_sympy_jacobian_shape_and_orientation():
    jac = l4.jacobian_sympy()
    assert jac.shape == (3, 2)
    # Row i depends only on unit i's weights; column j holds d/d(input j).
    assert jac[0, 0].free_symbols == {p, q, x, y}
    assert jac[2, 1].free_symbols == {t, u, x, y}
    assert sp.simplify(jac[1, 0] - sp.diff(l4.function_sympy()[1], x)) == 0


def test_closed_form_equals_sympy_jacobian():
    diff = sp.simplify(l4.jacobian_closed_form() - l4.jacobian_sympy())
    assert diff == sp.zeros(3, 2)


def test_closed_form_uses_sigmoid_slope_per_row():
    sig = [1 / (1 + sp.exp(-z)) for z in (p * x + q * y, r * x + s * y, t * x + u * y)]
    expected = sp.Matrix(
        [
            [w * g * (1 - g) for w in pair]
            for pair, g in zip(((p, q), (r, s), (t, u)), sig, strict=True)
        ]
    )
    assert sp.simplify(l4.jacobian_closed_form() - expected) == sp.zeros(3, 2)


def test_numeric_jacobian_matches_sympy_at_random_points():
    lam = sp.lambdify((p, q, r, s, t, u, x, y), l4.jacobian_sympy(), "numpy")
    rng = np.random.default_rng(4)
    for _ in range(25):
        params = rng.normal(size=6) * 2
        px, py = rng.uniform(-2, 2, size=2)
        np.testing.assert_allclose(
            l4.jacobian_numeric(params, px, py), lam(*params, px, py), rtol=1e-10, atol=1e-14
        )


@settings(max_examples=100, deadline=None)
@given(params=weights, px=coords, py=coords)
def test_numeric_jacobian_matches_finite_differences(params, px, py):
    numeric = l4.jacobian_numeric(params, px, py)
    fd = l4.jacobian_finite_difference(lambda v: l4.vector_function(params, v), [px, py])
    np.testing.assert_allclose(numeric, fd, atol=1e-8)
    assert numeric.shape == (3, 2)


def test_finite_difference_on_the_lessons_example():
    # The lesson's worked Jacobian of (2xy, x^2 y) is [[2y, 2x], [2xy, x^2]].
    def g(v):
        return np.array([2 * v[0] * v[1], v[0] ** 2 * v[1]])

    for px, py in [(1.0, 2.0), (-0.5, 3.0), (2.5, -1.5)]:
        expected = np.array([[2 * py, 2 * px], [2 * px * py, px**2]])
        np.testing.assert_allclose(l4.jacobian_finite_difference(g, [px, py]), expected, atol=1e-7)


def test_finite_difference_rows_are_outputs_columns_are_inputs():
    a = np.array([[1.0, 2.0, 3.0], [-4.0, 5.0, 0.5]])
    jac = l4.jacobian_finite_difference(lambda v: a @ v, [0.3, -0.2, 1.0])
    assert jac.shape == (2, 3)
    np.testing.assert_allclose(jac, a, atol=1e-9)


def test_bad_params_are_rejected():
    with pytest.raises(ValueError):
        l4.jacobian_numeric([1.0, 2.0, 3.0], 0.0, 0.0)


def test_summary_is_plain_and_consistent():
    summary = l4.summary()
    json.dumps(summary)
    np.testing.assert_allclose(
        summary["example_jacobian"], summary["example_jacobian_finite_difference"], atol=1e-8
    )
    s1 = sp.Symbol("s1")
    assert sp.sympify(summary["jacobian"])[0][0] == p * s1 * (1 - s1)
