"""Property tests for the mistake detectors: a right answer in any equivalent form is never
called a mistake, and the mistake a detector knows is named whatever the numbers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from reference.checks.backprop import backward_layer, check_backward, name_relative_error
from reference.checks.calculus import check_antiderivative, check_derivative, without_inner
from reference.checks.differences import COMMON_STEPS, check_difference
from reference.checks.extrema import check_critical_points, check_extrema
from reference.checks.matrices import check_jacobian
from reference.checks.misconceptions import check_credit, diagnose
from reference.checks.plots import check_figure

X = sp.Symbol("x")
coefficients = st.lists(st.integers(-6, 6), min_size=3, max_size=5).filter(
    lambda c: sum(1 for v in c[1:] if v) >= 2
)


def _poly(coeffs: list[int]) -> sp.Expr:
    return sum(c * X**i for i, c in enumerate(coeffs))


@settings(max_examples=25, deadline=None)
@given(coefficients)
def test_a_derivative_in_any_form_is_right(coeffs):
    d = sp.diff(_poly(coeffs), X)
    for form in (sp.expand(d), sp.factor(d), sp.horner(d), str(d)):
        assert check_derivative(form, _poly(coeffs)).note == "correct"


@settings(max_examples=25, deadline=None)
@given(coefficients, st.data())
def test_one_term_with_the_wrong_sign_is_named(coeffs, data):
    d = sp.expand(sp.diff(_poly(coeffs), X))
    terms = sp.Add.make_args(d)
    assume(len(terms) >= 2)
    i = data.draw(st.integers(0, len(terms) - 1))
    student = sum(-t if j == i else t for j, t in enumerate(terms))
    result = check_derivative(student, _poly(coeffs))
    assert result.score < 1 and result.note != "wrong"


@settings(max_examples=25, deadline=None)
@given(coefficients, st.integers(-5, 5))
def test_an_antiderivative_with_any_constant_is_right(coeffs, c):
    f = _poly(coeffs)
    anti = sp.integrate(f, X)
    for form in (anti + c, sp.factor(anti) + c, str(anti + c) + " + C"):
        assert check_antiderivative(form, f).note == "correct"


def test_the_inner_factor_is_only_dropped_where_there_is_one():
    assert without_inner(X**3 + sp.exp(X), X) is None
    assert without_inner(sp.exp(2 * X), X) == sp.exp(2 * X)


H = 0.01
PTS = [-1.0, 0.3, 1.7]


@settings(max_examples=20, deadline=None)
@given(st.floats(0.1, 3.0), st.floats(-2.0, 2.0))
def test_a_forward_difference_written_any_way_is_right(a, b):
    def f(x):
        return a * np.exp(x) + b * x**2

    forms = [
        lambda x, h: (f(x + h) - f(x)) / h,
        lambda x, h: (f(x + h) - f(x)) * (1 / h),
        lambda x, h: -(f(x) - f(x + h)) / h,
    ]
    for form in forms:
        assert check_difference(form, f, points=PTS, step=H).note == "correct"


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([h for h in COMMON_STEPS if 1e-6 <= h <= 0.5 and h != H]))
def test_a_hard_coded_step_is_named(h):
    def student(x, step):
        return (np.exp(x + h) - np.exp(x)) / h

    result = check_difference(student, np.exp, points=PTS, step=H, dfunc=np.exp)
    assert result.note in ("ignores-step", "exact-instead")


matrices = st.lists(st.integers(-9, 9), min_size=6, max_size=6).map(
    lambda v: np.array(v, dtype=float).reshape(3, 2)
)


@settings(max_examples=40, deadline=None)
@given(matrices)
def test_a_jacobian_is_right_in_any_form_and_named_with_its_columns_swapped(m):
    assert check_jacobian(m.tolist(), m).note == "correct"
    assert check_jacobian(sp.Matrix(m.tolist()), m).note == "correct"
    assume(not np.array_equal(m[:, 0], m[:, 1]) and np.any(m))
    assert check_jacobian(m[:, ::-1], m).note == "variable-order"


@settings(max_examples=25, deadline=None)
@given(st.permutations([0.0, 4 / 3, -2.5]), st.sampled_from(["list", "tuple", "set", "text"]))
def test_critical_points_in_any_order_and_container_are_right(points, kind):
    student = {
        "list": list(points),
        "tuple": tuple(points),
        "set": set(points),
        "text": [str(sp.nsimplify(p)) for p in points],
    }[kind]
    assert check_critical_points(student, [0.0, 4 / 3, -2.5]).note == "correct"


@settings(max_examples=25, deadline=None)
@given(st.permutations([(0.0, "max"), (4 / 3, "min")]), st.sampled_from(["max", "Local Maximum"]))
def test_extrema_in_any_order_and_wording_are_right(pairs, word):
    student = {x: (word if kind == "max" else "minimum") for x, kind in pairs}
    assert check_extrema(student, [(0.0, "max"), (4 / 3, "min")]).note == "correct"


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(1, 4), st.integers(0, 10_000))
def test_a_right_backward_pass_is_right(n, i, o, seed):
    rng = np.random.default_rng(seed)
    layer = {
        "a_prev": rng.standard_normal((n, i)),
        "W": rng.standard_normal((i, o)),
        "z": rng.standard_normal((n, o)),
        "da": rng.standard_normal((n, o)),
        "dg": lambda z: (z > 0).astype(float),
    }
    right = backward_layer(layer)
    assert check_backward({k: v.tolist() for k, v in right.items()}, layer).note == "correct"


@given(st.floats(0.0, 1e-7))
def test_a_tiny_relative_error_is_never_a_named_slip(v):
    assert name_relative_error(v, batch=20) is None


def _arrows(scale: float, offset: float, unit: float) -> Figure:
    grid = np.linspace(-10, 10, 9)
    xv, yv = np.meshgrid(grid, grid, indexing="ij")
    fx, fy = 2 * xv, 3 * yv**2
    size = np.hypot(fx, fy)
    fig = Figure()
    with np.errstate(all="ignore"):
        fig.subplots().quiver(xv, yv, unit * fx / size, unit * fy / size, scale * size + offset)
    return fig


SPEC = {
    "quiver": {
        "function": lambda x, y: (2 * x, 3 * y**2),
        "unit": True,
        "color": "magnitude",
        "extent": (-10, 10),
    }
}


@settings(max_examples=20, deadline=None)
@given(st.floats(0.01, 100), st.floats(-50, 50))
def test_colours_by_any_increasing_map_of_the_length_are_right(scale, offset):
    assert check_figure(_arrows(scale, offset, 1.0), SPEC).note == "correct"


@settings(max_examples=20, deadline=None)
@given(st.floats(1.01, 50) | st.floats(0.02, 0.99))
def test_arrows_of_another_length_are_named(unit):
    assert check_figure(_arrows(1.0, 0.0, unit), SPEC).note == "plot-not-unit"


def test_a_credit_policy_for_an_unknown_note_is_an_instructors_mistake():
    with pytest.raises(ValueError):
        check_credit({"no-such-note": 0.5})
    with pytest.raises(ValueError):
        check_credit({"sign-error": 2.0})
    x = np.linspace(0.1, 1, 5)
    assert diagnose(-x, x, credit={"sign-error": 0.0}).score == 0.0


def test_an_unknown_spec_key_is_an_instructors_mistake():
    from reference.checks.tolerance import OptionError

    fig = _arrows(1.0, 0.0, 1.0)
    with pytest.raises(OptionError, match="titel"):
        check_figure(fig, {"titel": True})
    with pytest.raises(OptionError, match="colour"):
        check_figure(fig, {"quiver": {**SPEC["quiver"], "colour": "magnitude"}})
    with pytest.raises(OptionError, match="rtoll"):
        check_figure(fig, {}, rtoll=1e-3)


def test_permutations_of_equal_columns_are_not_a_mistake():
    m = np.array([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]])
    for perm in itertools.permutations(range(2)):
        assert check_jacobian(m[:, list(perm)], m).note == "correct"
