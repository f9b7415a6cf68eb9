"""Variant spaces: seeded draws that always meet their constraints; misuse raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calcml_tasks import variant_for
from calcml_tasks.seed import variant_seed
from calcml_tasks.space import MAX_TRIES, Choice, Constraint, IntRange, Space, Variant

SPACE = Space(
    "demo",
    IntRange("a", 1, 4),
    IntRange("b", -3, 3, exclude=(0,)),
    Choice("kind", ("sin", "cos")),
    constraints=[Constraint("a + b is not 0", lambda v: v["a"] + v["b"] != 0)],
    base={"a": 1, "b": 2, "kind": "sin"},
)


@given(st.integers(0, 2**64 - 1))
def test_every_draw_meets_the_constraints_and_repeats(seed):
    v = SPACE.draw(seed)
    assert not SPACE.broken(v) and v == SPACE.draw(seed)
    assert 1 <= v["a"] <= 4 and v["b"] != 0 and v["kind"] in ("sin", "cos")


def test_draws_cover_the_space():
    seen = {SPACE.draw(s).key() for s in range(400)}
    allowed = SPACE.size() - sum(1 for a in range(1, 5) if -a in range(-3, 4)) * 2
    assert len(seen) == allowed


def test_the_base_is_the_seeds_own_task():
    assert dict(SPACE.default()) == {"a": 1, "b": 2, "kind": "sin"}
    assert SPACE.default().label() == "a=1, b=2, kind=sin"


@pytest.mark.parametrize(
    "make",
    [
        lambda: IntRange("a", 3, 1),
        lambda: IntRange("a", 0, 0, exclude=(0,)),
        lambda: Choice("k", ()),
        lambda: Choice("k", (object(),)),
        lambda: Space("demo", IntRange("a", 1, 2), IntRange("a", 3, 4)),
        lambda: Space("demo", IntRange("a", 1, 2), base={"b": 1}),
        lambda: Space(
            "demo",
            IntRange("a", 1, 2),
            constraints=[Constraint("a is 2", lambda v: v["a"] == 2)],
            base={"a": 1},
        ),
    ],
)
def test_instructor_mistakes_raise(make):
    with pytest.raises((ValueError, TypeError)):
        make()


def test_a_space_whose_constraints_reject_everything_raises_when_drawn():
    never = Space(
        "demo",
        IntRange("a", 1, 2),
        constraints=[Constraint("a is 1, but not by draw", lambda v: v.seed is None)],
        base={"a": 1},
    )
    with pytest.raises(ValueError, match=str(MAX_TRIES)):
        never.draw(1)


def test_a_constraint_that_raises_counts_as_broken():
    v = Variant("demo", 1, {"a": 0})
    space = Space(
        "demo",
        IntRange("a", 1, 2),
        constraints=[Constraint("1/a is small", lambda v: 1 / v["a"] < 2)],
    )
    assert "could not be checked" in space.broken(v)[0]


def test_seeds_depend_on_course_lesson_and_student():
    seeds = {
        variant_seed(c, lesson, s)
        for c in ("calcml", "other")
        for lesson in ("lesson01", "lesson02")
        for s in ("ada", "bob")
    }
    assert len(seeds) == 8
    assert variant_seed("calcml", "lesson01", " ada ") == variant_seed("calcml", "lesson01", "ada")
    with pytest.raises(ValueError):
        variant_seed("calcml", "lesson01", "")


def test_a_lesson_without_a_space_has_one_task():
    assert variant_for("calcml", "lesson99", "ada") is None
