"""Lesson 7's variants: three extra points of one's own, always beyond the margin."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml_tasks import lesson07 as task
from calcml_tasks import variant_for
from reference.answers import collect
from reference.grading import get_part
from reference.grading import lesson07 as grading
from reference.lessons import l7_svm as l7

SPACE = task.SPACE
PARTS = ("w6", "support", "lambdas", "why_same", "sklearn")


def _values(v) -> list[Fraction]:
    """t_i (a x_i + b y_i + c) of the extra points for the lesson's line (2/3, 2/3, -1)."""
    a = b = Fraction(2, 3)
    points = task.points_of(v)[3:]
    return [t * (a * x + b * y - 1) for (x, y), t in zip(points, task.EXTRA_LABELS, strict=True)]


def test_constraints_hold_on_500_seeds():
    for seed in range(500):
        v = SPACE.draw(seed)
        assert not SPACE.broken(v), v
        assert v["p3"] != v["p4"]
        assert all(value > 1 for value in _values(v)), v  # strictly beyond the margin
        assert min(_values(v)) >= Fraction(5, 3)  # never near it: no tie with a support vector
        points = task.points_of(v)
        assert len(set(points)) == 6 and all(abs(c) <= 4 for p in points for c in p)


def test_the_base_is_the_seeds_task():
    base = SPACE.default()
    assert dict(base) == {"p3": (-1, -1), "p4": (-3, -1), "p5": (3, 3)}
    assert list(task.points_of(base)) == l7.SIX_POINTS
    assert list(task.LABELS) == l7.SIX_LABELS
    assert l7.SixPoints.of(base) == l7.SixPoints.of(None)
    assert _values(base) == [Fraction(7, 3), Fraction(11, 3), 3]


def test_there_are_many_tasks_and_students_get_different_ones():
    sound = [
        (p3, p4, p5)
        for p3 in task.NEGATIVE
        for p4 in task.NEGATIVE
        for p5 in task.POSITIVE
        if p3 != p4
    ]
    assert len(sound) == 36 * 35 * 15
    tasks = {variant_for("calcml", "lesson07", f"student{i:02d}").key() for i in range(20)}
    assert len(tasks) >= 10


def test_describe_shows_the_points_and_names_give_them():
    v = SPACE.draw(12345)
    text = task.describe(v)
    assert text.count("$") >= 2
    for x, y in task.points_of(v):
        assert f"$({x}, {y})$" in text
    given_names = task.names(v)
    assert given_names["points"] == task.points_of(v)
    assert given_names["labels"] == (-1, 1, 1, -1, -1, 1)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_the_reference_answers_get_full_marks_for_every_drawn_variant(seed):
    v = SPACE.draw(seed)
    six = l7.SixPoints.of(v)
    answers = grading.reference_answers(v)
    assert sorted(answers) == sorted(f"lesson07.{p}" for p in PARTS)
    for pid, answer in answers.items():
        verdict = get_part(pid).judge_data(collect(pid, answer), variant=v)
        assert verdict.score == 1.0, (pid, v, verdict.feedback)
    # The lesson's point holds: the solvers give the seed's line and multipliers.
    exact = l7.solve_kkt(six.points, six.labels, use_slsqp_guess=False)
    assert (exact.a, exact.b, exact.c) == (Fraction(2, 3), Fraction(2, 3), -1)
    assert [str(m) for m in exact.multipliers] == ["8/9", "4/9", "4/9", "0", "0", "0"]
    assert exact.active == [0, 1, 2]
    num = l7.solve_slsqp(six.points, six.labels)
    np.testing.assert_allclose([num.a, num.b, num.c], [2 / 3, 2 / 3, -1], atol=1e-7)
    sk = l7.sklearn_solution(six.points, six.labels)
    np.testing.assert_allclose([sk["a"], sk["b"], sk["c"]], [2 / 3, 2 / 3, -1], atol=1e-5)
    assert sk["support"] == [0, 1, 2]


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_a_class_slip_is_named_for_the_students_own_points(seed):
    """The best line with (0, 0) put in class +1 depends on the student's points."""
    v = SPACE.draw(seed)
    six = l7.SixPoints.of(v)
    labels = list(six.labels)
    labels[0] = 1
    slipped = l7.solve_kkt(six.points, labels)  # exact: SLSQP may stall on some of these
    w = [float(slipped.a), float(slipped.b), float(slipped.c)]
    verdict = get_part("lesson07.w6").judge_data(collect("lesson07.w6", w), variant=v)
    assert verdict.note == "constraint-sign-slip" and 0 < verdict.score < 1, verdict.feedback


@pytest.mark.parametrize("student", ["alice", "bob", "m-constraint-sign"])
def test_the_mistakes_are_typed_with_the_students_points(student):
    from autograder.demo.mistakes.lesson07 import MISTAKES

    v = variant_for("calcml", "lesson07", student)
    (mistake,) = [m for m in MISTAKES if m.name == "constraint-sign"]
    source = mistake.cells(v)["sol_w6"]
    assert source.count("'type': 'ineq'") == 6 and "w[2] - 1}" in source
    namespace = {"w": np.array([0.5, -0.25, 2.0])}
    rows = [line.split("lambda w: ")[1].rstrip("},") for line in source.splitlines()[1:7]]
    got = [eval(row, namespace) for row in rows]  # noqa: S307 - our own generated code
    pts, labels = np.array(task.points_of(v), dtype=float), np.array(task.LABELS, dtype=float)
    want = labels * (pts @ namespace["w"][:2] + namespace["w"][2]) - 1
    want[0] = namespace["w"][2] - 1  # the slip: (0, 0) written for class +1
    np.testing.assert_allclose(got, want)


def test_a_class_slip_is_named_where_slsqp_stalls_at_the_optimum():
    """(0, 0) in class +1 between (-4, 3) and (3, -4): the best line is (2, 2, 1), where SLSQP
    at its tightest tolerance reports failure; the judge's optimum is exact."""
    from calcml_tasks import Variant

    v = Variant("lesson07", None, {"p3": (-4, 3), "p4": (3, -4), "p5": (2, 3)})
    assert not SPACE.broken(v)
    verdict = get_part("lesson07.w6").judge_data(collect("lesson07.w6", [2.0, 2.0, 1.0]), variant=v)
    assert verdict.note == "constraint-sign-slip" and "check the class sign" in verdict.feedback
