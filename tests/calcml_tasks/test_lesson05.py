"""Lesson 5's variant space: every draw is a measured-sound task, and its answers get full marks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml_tasks import Variant, variant_for
from calcml_tasks import lesson05 as t5
from reference.answers import collect
from reference.grading import get_part
from reference.lessons import l5_backprop as l5

SEEDS = st.integers(0, 2**64 - 1)


def _variant(d: int, h1: int, h2: int) -> Variant:
    return Variant("lesson05", None, {"data_seed": d, "h1": h1, "h2": h2})


def test_constraints_hold_on_500_seeds():
    for seed in range(500):
        v = t5.SPACE.draw(seed)
        assert not t5.SPACE.broken(v) and v == t5.SPACE.draw(seed)
        assert v["data_seed"] in t5.DATA_SEEDS and v["data_seed"] % 2 == 0
        assert 3 <= v["h1"] <= 6 and 2 <= v["h2"] <= 6
        assert (v["data_seed"], v["h1"], v["h2"]) in t5.SOUND


def test_the_base_is_the_seeds_task():
    base = t5.SPACE.default()
    assert dict(base) == {"data_seed": 0, "h1": 4, "h2": 3}
    names = t5.names(base)
    assert names["layersizes"] == (2, 4, 3, 1)
    assert (names["data_seed"], names["test_seed"], names["check_seed"]) == (0, 1, 0)
    circles = l5.Circles.of(base)
    assert circles == l5.Circles.of(None) == l5.Circles()
    assert circles.layersizes == (2, 4, 3, 1) and circles.test_seed == 1
    # the seed's own network and data, as the lesson's module functions build them
    X, y = circles.data()
    np.testing.assert_array_equal(X, l5.circles_data()[0])
    model = circles.network()
    for l in (1, 2, 3):
        np.testing.assert_array_equal(model.W[l], l5.circles_model().W[l])


def test_there_are_enough_tasks():
    assert len(t5.SOUND) >= 30
    assert len({t5.SPACE.draw(s).key() for s in range(3000)}) == len(t5.SOUND)
    tasks = {variant_for("calcml", "lesson05", f"student{i:02d}").key() for i in range(20)}
    assert len(tasks) >= 10


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_describe_shows_the_numbers(seed):
    v = t5.SPACE.default() if seed is None else t5.SPACE.draw(seed)
    text = t5.describe(v)
    assert text.count("$") >= 2
    d, h1, h2 = v["data_seed"], v["h1"], v["h2"]
    assert f"2 \\to {h1} \\to {h2} \\to 1" in text
    for shown in (f"random_state={d})`", f"random_state={d + 1}`", f"default_rng({d})`"):
        assert shown in text


def test_the_held_out_labels_are_what_make_circles_draws_for_every_data_seed():
    from sklearn.datasets import make_circles

    from reference.grading import lesson05 as g

    assert set(g.HELD_OUT_LABELS) == {d + 1 for d in t5.DATA_SEEDS}
    for d in t5.DATA_SEEDS:
        _, labels = make_circles(n_samples=200, factor=0.5, noise=0.1, random_state=d + 1)
        assert list(g._test_labels(_variant(d, 4, 3))) == [float(c) for c in labels], d


def test_predictions_for_another_students_circles_fail():
    """The training part varies: the held-out points of another data seed are not one's own."""
    own, other = _variant(0, 4, 3), _variant(2, 4, 3)
    circles = l5.Circles.of(other)
    predictions = circles.predictions(circles.trained())
    part = get_part("lesson05.training")
    assert part.judge_data(collect(part.id, predictions), variant=other).passed
    assert part.judge_data(collect(part.id, predictions), variant=own).score < 0.5


def _central(loss_fn, W, eps=1e-6):
    grad = np.zeros(W.shape)
    for i in np.ndindex(W.shape):
        old = W[i]
        W[i] = old + eps
        up = loss_fn(W)
        W[i] = old - eps
        down = loss_fn(W)
        W[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def _reference_answers(v) -> dict:
    circles = l5.Circles.of(v)
    errors = circles.check_errors()
    return {
        "lesson05.dsigmoid": l5.dsigmoid,
        "lesson05.numerical_gradient": _central,
        "lesson05.check_given": errors["given"],
        "lesson05.check_fixed": errors["fixed"],
        "lesson05.jacobian_items": [1, 2],
        "lesson05.why_elementwise": "A",
        "lesson05.bug_effect": "A",
        "lesson05.training": circles.predictions(circles.trained()),
    }


@settings(max_examples=6, deadline=None)
@given(SEEDS)
def test_the_reference_answers_get_full_marks_for_every_drawn_task(seed):
    v = t5.SPACE.draw(seed)
    for pid, answer in _reference_answers(v).items():
        result = get_part(pid).judge_data(collect(pid, answer), variant=v)
        assert result.score == 1.0, (v, pid, result.feedback)


@settings(max_examples=4, deadline=None)
@given(SEEDS)
def test_every_drawn_task_measures_as_sound_as_the_seeds(seed):
    """The table the constraint reads holds: the drawn task trains and checks like the seed's."""
    v = t5.SPACE.draw(seed)
    assert l5.Circles.of(v).broken() == [], v


def test_the_seeds_task_is_sound_and_the_measure_rejects_a_dead_check():
    measured = l5.Circles().soundness()
    assert l5.Circles().broken(measured) == []
    assert measured["short"] == pytest.approx(0.805) and measured["full"] == 1.0
    assert measured["given"] == pytest.approx(1 / 3, rel=1e-6) and measured["fixed"] < 1e-8
    # [2, 3, 2, 1] with data seed 0: no path through active ReLUs in Part C, so dW[1] is 0
    dead = l5.Circles(0, (3, 2))
    assert (0, 3, 2) not in t5.SOUND
    assert dead.check_errors()["gradient"] == 0.0
    assert any("vanishing gradient" in b for b in dead.broken())


def test_the_task_module_imports_nothing_of_the_solutions():
    code = (
        "import sys, calcml_tasks.lesson05 as t\n"
        "t.SPACE.draw(1); t.describe(t.SPACE.default())\n"
        "print(sorted(m for m in sys.modules if m.startswith('reference') or m == 'sklearn'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
