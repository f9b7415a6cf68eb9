"""Lesson 4's variants: Part D's weights and point, sound for every student."""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml_tasks import base_variant, lesson04, variant_for
from reference.answers import collect
from reference.grading import get_part
from reference.grading.carry import CARRIED_FORWARD, Handed
from reference.lessons import l4_jacobian as l4

SPACE = lesson04.SPACE
SEED_TASK = {"p": 1, "q": 2, "r": -1, "s": 0.5, "t": 0, "u": 3, "x": 0.5, "y": -0.25}
PARTS = (
    "lesson04.jacobian",
    "lesson04.function_vector",
    "lesson04.jacobian_sympy",
    "lesson04.jacobian_fd",
    "lesson04.at_point",
    "lesson04.slope_in_s",
    "lesson04.jacobian_shape",
)


def _fd(params, x, y, h):
    return l4.jacobian_finite_difference(lambda v: l4.vector_function(params, v), [x, y], h)


def reference_answers(v) -> dict:
    """The right answer of every part for the variant ``v``, as a student hands it in."""
    f_vec = l4.function_sympy()
    return {
        "lesson04.jacobian": l4.jacobian_closed_form(),
        "lesson04.function_vector": f_vec,
        "lesson04.jacobian_sympy": f_vec.jacobian(sp.Matrix(l4.INPUTS)),
        "lesson04.jacobian_fd": _fd,
        "lesson04.at_point": l4.Layer.of(v).jacobian_at_point(),
        "lesson04.slope_in_s": sp.Symbol("S") * (1 - sp.Symbol("S")),
        "lesson04.jacobian_shape": "B",
    }


def test_constraints_hold_on_500_seeds():
    draws = [SPACE.draw(seed) for seed in range(500)]
    assert all(not SPACE.broken(v) for v in draws)
    for v in draws:
        units = lesson04.units(v)
        assert all(a != b for a, b in units)
        assert sum(v[n] == 0 for n in lesson04.WEIGHT_NAMES) <= 1
        assert all(abs(a * v["x"] + b * v["y"]) <= lesson04.MAX_INPUT for a, b in units)
        assert abs(v["x"]) != abs(v["y"]) and v["x"] != 0 and v["y"] != 0
        out = l4.vector_function(l4.Layer.of(v).params, l4.Layer.of(v).point)
        assert np.min(out * (1 - out)) >= 0.1  # no saturated unit
    assert len({v.key() for v in draws}) >= 300


def test_twenty_students_get_at_least_ten_tasks():
    tasks = {variant_for("calcml", "lesson04", f"student{i:02d}").key() for i in range(20)}
    assert len(tasks) >= 10


def test_the_base_is_the_seeds_task():
    base = base_variant("lesson04")
    assert dict(base) == SEED_TASK and not SPACE.broken(base)
    assert l4.Layer.of(base) == l4.Layer() == l4.Layer.of(None)
    assert l4.Layer().params == (1.0, 2.0, -1.0, 0.5, 0.0, 3.0)
    assert l4.Layer().point == (0.5, -0.25)


def test_describe_shows_the_numbers():
    v = variant_for("calcml", "lesson04", "ada")
    text = lesson04.describe(v)
    assert text.count("$") >= 2
    weights = ", ".join(f"{v[n]:g}" for n in lesson04.WEIGHT_NAMES)
    assert f"({weights})" in text and f"({v['x']:g}, {v['y']:g})" in text
    seed = lesson04.describe(SPACE.default())
    assert "(1, 2, -1, 0.5, 0, 3)" in seed and "(0.5, -0.25)" in seed
    assert r"\sigma(x + 2y)" in seed and r"\sigma(-x + 0.5y)" in seed and r"\sigma(3y)" in seed
    names = lesson04.names(v)
    assert names["weights"] == tuple(v[n] for n in "pqrstu") and names["point"] == (v["x"], v["y"])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_the_reference_answer_of_every_part_gets_full_marks(seed):
    v = SPACE.draw(seed)
    for pid, answer in reference_answers(v).items():
        verdict = get_part(pid).judge_data(collect(pid, answer), variant=v)
        assert verdict.passed, (v, pid, verdict)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_part_d_is_judged_at_the_students_own_point(seed):
    v = SPACE.draw(seed)
    part = get_part("lesson04.at_point")
    layer = l4.Layer.of(v)
    if layer != l4.Layer():
        seeds = collect(part.id, l4.Layer().jacobian_at_point())
        assert not part.judge_data(seeds, variant=v).passed
    named = part.judge_data(collect(part.id, layer.no_inner_at_point()), variant=v)
    assert 0 < named.score < 1 and named.note == "missing-inner-derivative"
    swapped = part.judge_data(collect(part.id, layer.jacobian_at_point()[:, ::-1]), variant=v)
    assert 0 < swapped.score < 1 and swapped.note == "variable-order"


def test_part_d_follows_a_wrong_j_at_the_students_own_point():
    v = next(SPACE.draw(s) for s in range(100) if l4.Layer.of(SPACE.draw(s)) != l4.Layer())
    wrong_j = 2 * l4.jacobian_closed_form()  # the 2 s (1 - s) slip of Part A
    data = collect("lesson04.jacobian", wrong_j)
    earlier = {"lesson04.jacobian": Handed(data, get_part("lesson04.jacobian").judge_data(data))}
    assert earlier["lesson04.jacobian"].wrong
    own = np.array(wrong_j.subs(l4.Layer.of(v).at_point_values()).evalf().tolist(), dtype=float)
    part = get_part("lesson04.at_point")
    verdict = part.judge_data(collect(part.id, own), earlier, variant=v)
    assert verdict.score == 1 and verdict.note == CARRIED_FORWARD
    at_seed = np.array(wrong_j.subs(l4.Layer().at_point_values()).evalf().tolist(), dtype=float)
    assert part.judge_data(collect(part.id, at_seed), earlier, variant=v).score < 1


def test_every_part_of_lesson04_registers_with_the_lesson_module():
    import reference.grading.lesson04  # noqa: F401 - the split module registers from it

    assert all(get_part(pid).lesson == "lesson04" for pid in PARTS)
    assert get_part("lesson04.at_point").varies
    assert not any(get_part(pid).varies for pid in PARTS if pid != "lesson04.at_point")
