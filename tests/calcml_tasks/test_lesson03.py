"""Lesson 3's variant space: sound draws, the seed's own task, and full marks for every variant."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from calcml_tasks import base_variant, variant_for  # noqa: E402
from calcml_tasks.lesson03 import SPACE, describe, names  # noqa: E402
from reference.answers import collect  # noqa: E402
from reference.grading import get_part  # noqa: E402
from reference.grading.carry import Handed  # noqa: E402
from reference.lessons import l3_gradients as l3  # noqa: E402

seeds = st.integers(0, 2**64 - 1)
PARTS = ("grad_11", "max_rate_11", "sweep", "sin_choice", "field", "quiver")


def _judge(part: str, answer, v, earlier=None):
    pid = f"lesson03.{part}"
    return get_part(pid).judge_data(collect(pid, answer), earlier, variant=v)


def _sweep(func, x, y):
    """The lesson's sweep (vectorised): a right answer to Part B."""
    return l3.gradient_by_direction_sweep(func, x, y)[0]


def _reference(v) -> dict:
    task = l3.GradientTask.of(v)
    return {
        "grad_11": task.gradient(),
        "max_rate_11": task.max_rate(),
        "sweep": _sweep,
        "sin_choice": "B",
        "field": task.gradient_field,
        "quiver": l3.plot_gradient_field(task=task),
    }


def test_constraints_hold_on_500_seeds():
    draws = [SPACE.draw(seed) for seed in range(500)]
    for v in draws:
        assert not SPACE.broken(v)
        gx, gy = 2 * v["a"] * v["x0"], 2 * v["b"] * v["y0"]
        assert gx != 0 and gy != 0  # the largest rate beats either partial derivative
        assert gx**2 + gy**2 != 1  # a unit direction is not the gradient
        assert gx != -gy  # swapped components are not the sign flipped
        assert np.hypot(gx, gy) > max(abs(gx), abs(gy))
        assert 1 <= v["c"] <= 3 and 1 <= v["d"] <= 3
    assert len({v.key() for v in draws}) >= 30


def test_twenty_students_get_at_least_ten_tasks():
    tasks = {variant_for("calcml", "lesson03", f"student{i:02d}").key() for i in range(20)}
    assert len(tasks) >= 10


def test_the_base_is_the_seeds_task():
    v = base_variant("lesson03")
    assert dict(v) == {"a": 1, "b": 1, "x0": 1, "y0": 1, "c": 1, "d": 1}
    given_names = names(v)
    xs = np.linspace(-2, 2, 5)
    np.testing.assert_allclose(given_names["f_sq"](xs, xs[::-1]), l3.f_sq(xs, xs[::-1]))
    np.testing.assert_allclose(given_names["f_cube"](xs, xs[::-1]), l3.f_cube(xs, xs[::-1]))
    assert (given_names["x0"], given_names["y0"]) == (1, 1)
    assert l3.GradientTask.of(v) == l3.GradientTask.of(None) == l3.GradientTask()
    np.testing.assert_array_equal(l3.GradientTask.of(v).gradient(), l3.grad_f_sq(1, 1))
    # The seed's answers are the case table's: (2, 2) and 2 sqrt(2).
    assert _judge("grad_11", [2.0, 2.0], None).passed
    assert _judge("max_rate_11", np.hypot(2, 2), None).passed


def test_describe_shows_the_numbers():
    v = SPACE.draw(11)
    text = describe(v)
    assert text.count("$") >= 2
    for name in ("a", "b", "c", "d"):
        assert f"${name} = {v[name]}$" in text
    assert f"({v['x0']}, {v['y0']})" in text
    assert "`f_sq`" in text and "`f_cube`" in text and "`x0`" in text
    seed_text = describe(SPACE.default())
    assert "x^2 + y^2" in seed_text and "x^2 + y^3" in seed_text and "(1, 1)" in seed_text


def test_the_setup_names_are_the_variants_functions():
    v = SPACE.draw(5)
    given_names = names(v)
    task = l3.GradientTask.of(v)
    xs, ys = np.meshgrid(np.linspace(-3, 3, 7), np.linspace(-2, 2, 5))
    np.testing.assert_allclose(given_names["f_sq"](xs, ys), task.f_sq(xs, ys))
    np.testing.assert_allclose(given_names["f_cube"](xs, ys), task.f_cube(xs, ys))
    assert "x^2" in given_names["f_sq"].__doc__


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_every_parts_reference_answer_gets_full_marks(seed):
    v = SPACE.draw(seed)
    try:
        for part, answer in _reference(v).items():
            result = _judge(part, answer, v)
            assert result.score == 1.0, (part, v, result.feedback)
    finally:
        plt.close("all")


@settings(max_examples=40, deadline=None)
@given(seed=seeds)
def test_the_largest_rate_follows_from_a_wrong_gradient_in_every_variant(seed):
    v = SPACE.draw(seed)
    wrong = l3.GradientTask.of(v).gradient() / 2  # the factor 2 of the power rule forgotten
    grad = _judge("grad_11", wrong, v)
    assert not grad.passed
    earlier = {"lesson03.grad_11": Handed(collect("lesson03.grad_11", wrong), grad)}
    rate = _judge("max_rate_11", float(np.linalg.norm(wrong)), v, earlier)
    assert rate.score > 0 and "grad_11" in rate.feedback
    assert _judge("max_rate_11", float(np.linalg.norm(wrong)) + 1, v, earlier).score == 0


@settings(max_examples=40, deadline=None)
@given(seed=seeds)
def test_typical_mistakes_are_named_in_every_variant(seed):
    v = SPACE.draw(seed)
    task = l3.GradientTask.of(v)
    g = task.gradient()
    assert _judge("grad_11", g / np.linalg.norm(g), v).note == "constant-factor"
    assert _judge("grad_11", -g, v).note == "sign-error"
    if g[0] != g[1]:
        assert _judge("grad_11", g[::-1], v).note == "swapped-components"
    slip = _judge("field", lambda xv, yv: (2 * task.c * xv, 2 * task.d * yv), v)
    assert slip.note == "field-y-component" and 0 < slip.score < 1
    swapped = _judge("field", lambda xv, yv: task.gradient_field(xv, yv)[::-1], v)
    assert swapped.note == "swapped-components"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_sweep_on_the_students_own_function_is_named(seed):
    v = SPACE.draw(seed)
    task = l3.GradientTask.of(v)
    for fixed in (task.f_sq, task.f_cube):
        result = _judge("sweep", lambda func, x, y, fixed=fixed: _sweep(fixed, x, y), v)
        assert result.note == "fixed-function" and 0 < result.score < 1
        assert "func" in result.feedback
