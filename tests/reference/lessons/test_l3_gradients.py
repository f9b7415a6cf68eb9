"""Lesson 3 reference: gradients checked against SymPy and plain central differences."""

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
from matplotlib.quiver import Quiver  # noqa: E402

from reference.lessons import l3_gradients as l3  # noqa: E402

x_sym, y_sym = sp.symbols("x y")
coords = st.floats(-5.0, 5.0, allow_nan=False)


def _central_gradient(func, x, y, h=1e-5):
    gx = (func(x + h, y) - func(x - h, y)) / (2 * h)
    gy = (func(x, y + h) - func(x, y - h)) / (2 * h)
    return np.array([gx, gy])


def test_functions_match_their_sympy_forms():
    pts = np.linspace(-3, 3, 7)
    xv, yv = np.meshgrid(pts, pts)
    np.testing.assert_allclose(l3.f_sq(xv, yv), xv**2 + yv**2)
    np.testing.assert_allclose(l3.f_cube(xv, yv), xv**2 + yv**3)
    for func, expr in ((l3.f_sq, l3.f_sq_sympy()), (l3.f_cube, l3.f_cube_sympy())):
        np.testing.assert_allclose(func(xv, yv), sp.lambdify((x_sym, y_sym), expr)(xv, yv))


def test_sympy_gradients_are_the_lessons_partials():
    assert list(l3.gradient_sympy(l3.f_cube_sympy())) == [2 * x_sym, 3 * y_sym**2]
    assert list(l3.gradient_sympy(l3.f_sq_sympy())) == [2 * x_sym, 2 * y_sym]


@pytest.mark.parametrize(
    ("func", "grad", "expr"),
    [
        (l3.f_sq, l3.grad_f_sq, l3.f_sq_sympy()),
        (l3.f_cube, l3.grad_f_cube, l3.f_cube_sympy()),
    ],
)
def test_numpy_gradients_match_sympy_and_finite_differences(func, grad, expr):
    sym_grad = sp.lambdify((x_sym, y_sym), list(l3.gradient_sympy(expr)))
    rng = np.random.default_rng(3)
    for x, y in rng.uniform(-5, 5, size=(20, 2)):
        np.testing.assert_allclose(grad(x, y), sym_grad(x, y), rtol=1e-12)
        np.testing.assert_allclose(grad(x, y), _central_gradient(func, x, y), atol=1e-6)


def test_exact_gradients_at_the_lessons_points():
    np.testing.assert_array_equal(l3.grad_f_cube(2, 3), [4.0, 27.0])
    np.testing.assert_array_equal(l3.grad_f_sq(1, 1), [2.0, 2.0])


def test_sweep_reproduces_the_lesson_output():
    grad, angle, rate = l3.gradient_by_direction_sweep(l3.f_cube, 2, 3)
    # The lesson prints 8.4 degrees and (3.987419..., 27.002750...).
    assert angle == pytest.approx(8.4)
    np.testing.assert_allclose(grad, [3.987419245872443, 27.002750276227097], rtol=1e-8)
    assert rate == pytest.approx(np.hypot(*grad))
    np.testing.assert_allclose(grad, [4, 27], atol=0.02)


def test_sweep_solves_the_task_at_1_1():
    grad, angle, rate = l3.gradient_by_direction_sweep(l3.f_sq, 1, 1)
    np.testing.assert_allclose(grad, [2, 2], atol=1e-3)
    assert angle == pytest.approx(45.0)
    assert rate == pytest.approx(2 * np.sqrt(2), abs=1e-3)


def test_central_refined_sweep_is_more_accurate():
    exact = l3.grad_f_cube(2, 3)
    rough, _, _ = l3.gradient_by_direction_sweep(l3.f_cube, 2, 3)
    fine, angle, _ = l3.gradient_by_direction_sweep(
        l3.f_cube, 2, 3, difference="central", refine=True
    )
    assert np.linalg.norm(fine - exact) < np.linalg.norm(rough - exact) / 100
    np.testing.assert_allclose(fine, exact, atol=1e-6)
    assert angle == pytest.approx(np.degrees(np.arctan2(4, 27)), abs=1e-5)


def test_central_alone_removes_the_forward_bias():
    # On the grid-aligned 45 degrees only the forward quotient's O(step) bias remains.
    fwd, _, _ = l3.gradient_by_direction_sweep(l3.f_sq, 1, 1, step=1e-3)
    ctr, _, _ = l3.gradient_by_direction_sweep(l3.f_sq, 1, 1, step=1e-3, difference="central")
    assert np.linalg.norm(fwd - [2, 2]) > 1e-4
    assert np.linalg.norm(ctr - [2, 2]) < 1e-9


@pytest.mark.parametrize(
    ("func", "expected_angle"),
    [
        (lambda x, y: y, 0.0),
        (lambda x, y: x, 90.0),
        (lambda x, y: -y, 180.0),
        (lambda x, y: -x, 270.0),
    ],
)
def test_angle_is_clockwise_from_positive_y(func, expected_angle):
    _, angle, rate = l3.gradient_by_direction_sweep(func, 0.5, -0.5, angle_step_deg=1.0)
    assert angle == pytest.approx(expected_angle)
    assert rate == pytest.approx(1.0)


def test_refine_wraps_around_zero_degrees():
    # Steepest direction at -0.3 degrees sits between the last and first grid angles.
    theta = np.radians(-0.3)
    grad, angle, _ = l3.gradient_by_direction_sweep(
        lambda x, y: np.sin(theta) * x + np.cos(theta) * y,
        0.0,
        0.0,
        angle_step_deg=1.0,
        difference="central",
        refine=True,
    )
    assert angle == pytest.approx(359.7, abs=1e-3)
    np.testing.assert_allclose(grad, [np.sin(theta), np.cos(theta)], atol=1e-5)


def test_unknown_difference_is_rejected():
    with pytest.raises(ValueError):
        l3.gradient_by_direction_sweep(l3.f_sq, 1, 1, difference="backward")


@settings(max_examples=40, deadline=None)
@given(x=coords, y=coords)
def test_sweep_close_to_exact_gradient_anywhere(x, y):
    step, angle_step = 1e-4, 0.1
    grad, _, rate = l3.gradient_by_direction_sweep(l3.f_sq, x, y, step, angle_step)
    exact = _central_gradient(l3.f_sq, x, y)
    norm = np.linalg.norm(exact)
    # Half a grid angle of direction error, plus the forward bias step*u'Hu/2 = step.
    bound = norm * np.sin(np.radians(angle_step / 2)) + step + 1e-6
    assert np.linalg.norm(grad - exact) <= bound
    assert rate == pytest.approx(norm, abs=2 * step + 1e-6)


@settings(max_examples=40, deadline=None)
@given(x=coords, y=coords)
def test_refined_sweep_close_to_exact_gradient_anywhere(x, y):
    grad, _, _ = l3.gradient_by_direction_sweep(l3.f_cube, x, y, difference="central", refine=True)
    exact = _central_gradient(l3.f_cube, x, y)
    assert np.linalg.norm(grad - exact) <= 1e-5 * (1 + np.linalg.norm(exact))


def test_gradient_field_is_the_correct_one():
    pts = np.linspace(-10, 10, 9)
    xv, yv = np.meshgrid(pts, pts, indexing="ij")
    fx, fy = l3.gradient_field(xv, yv)
    ref = _central_gradient(l3.f_cube, xv, yv, h=1e-4)
    np.testing.assert_allclose(fx, ref[0], atol=1e-6)
    np.testing.assert_allclose(fy, ref[1], atol=1e-6)
    # The lesson's code used 2*y for the second component; that is wrong here.
    assert not np.allclose(fy, 2 * yv)


def test_plot_gradient_field_draws_unit_arrows_coloured_by_size():
    fig = l3.plot_gradient_field(n=21)  # odd n puts the zero gradient on the grid
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    quivers = [c for c in ax.collections if isinstance(c, Quiver)]
    assert len(quivers) == 1
    quiv = quivers[0]
    u, v = np.asarray(quiv.U), np.asarray(quiv.V)
    colour = np.asarray(quiv.get_array())
    assert np.all(np.isfinite(u)) and np.all(np.isfinite(v))
    lengths = np.hypot(u, v)
    nonzero = colour > 0
    np.testing.assert_allclose(lengths[nonzero], 1.0)
    xs, ys = quiv.X, quiv.Y
    ref = _central_gradient(l3.f_cube, xs, ys, h=1e-4)
    np.testing.assert_allclose(colour, np.hypot(*ref), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(v[nonzero] * colour[nonzero], ref[1][nonzero], atol=1e-5)
    assert ax.get_title()


def test_plot_gradient_field_draws_on_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert l3.plot_gradient_field(ax=ax) is fig
    assert len(ax.collections) == 1


def test_summary_is_plain_and_consistent():
    summary = l3.summary()
    json.dumps(summary)
    assert summary["exact_gradient_at_(2,3)"] == [4.0, 27.0]
    np.testing.assert_allclose(summary["sweep_gradient_at_(1,1)"], [2, 2], atol=1e-3)
    np.testing.assert_allclose(summary["refined_gradient_at_(2,3)"], [4, 27], atol=1e-6)
    assert summary["sweep_angle_at_(2,3)"] == pytest.approx(8.4)


@pytest.mark.parametrize(
    "task",
    [l3.GradientTask(), l3.GradientTask(2, 3, -1, 2, 3, 2), l3.GradientTask(1, 2, 3, -3, 2, 1)],
)
def test_a_variants_gradients_match_sympy_and_finite_differences(task):
    grad_sq = sp.lambdify((x_sym, y_sym), list(l3.gradient_sympy(task.f_sq_sympy())))
    grad_cube = sp.lambdify((x_sym, y_sym), list(l3.gradient_sympy(task.f_cube_sympy())))
    rng = np.random.default_rng(4)
    for x, y in rng.uniform(-5, 5, size=(10, 2)):
        np.testing.assert_allclose(task.grad_f_sq(x, y), grad_sq(x, y), rtol=1e-12)
        np.testing.assert_allclose(task.grad_f_cube(x, y), grad_cube(x, y), rtol=1e-12)
        np.testing.assert_allclose(task.gradient_field(x, y), grad_cube(x, y), rtol=1e-12)
        np.testing.assert_allclose(
            task.grad_f_sq(x, y), _central_gradient(task.f_sq, x, y), atol=1e-6
        )
    np.testing.assert_allclose(task.gradient(), grad_sq(task.x0, task.y0))
    assert task.max_rate() == pytest.approx(np.hypot(*grad_sq(task.x0, task.y0)))
    sweep, _, rate = l3.gradient_by_direction_sweep(task.f_sq, *task.point)
    np.testing.assert_allclose(sweep, task.gradient(), rtol=0.01)
    assert rate == pytest.approx(task.max_rate(), rel=1e-3)


def test_plot_gradient_field_of_a_variant():
    task = l3.GradientTask(c=3, d=2)
    (ax,) = l3.plot_gradient_field(n=21, task=task).axes
    (quiv,) = [c for c in ax.collections if isinstance(c, Quiver)]
    ref = np.hypot(*task.gradient_field(quiv.X, quiv.Y))
    np.testing.assert_allclose(np.asarray(quiv.get_array()), ref, rtol=1e-6, atol=1e-6)
    assert "3*x**2" in ax.get_title()
