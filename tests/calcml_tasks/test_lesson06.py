"""Lesson 6's variants: k log x, and a cubic with a maximum and a minimum, sound for everyone."""

from __future__ import annotations

from fractions import Fraction

import matplotlib
import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml_tasks import base_variant, lesson06, variant_for
from reference.answers import collect
from reference.grading import get_part
from reference.lessons import l6_optimization as l6

matplotlib.use("Agg")

SPACE = lesson06.SPACE
SEED_TASK = {"k": 1, "a": 1, "b": -2, "c": 0, "d": 1}
PARTS = (
    "lesson06.log_derivative",
    "lesson06.log_zeros",
    "lesson06.log_extremum",
    "lesson06.plot",
    "lesson06.cubic_critical",
    "lesson06.cubic_f2",
)
VARYING = {
    "lesson06.log_derivative",
    "lesson06.plot",
    "lesson06.cubic_critical",
    "lesson06.cubic_f2",
}
X = sp.Symbol("x", positive=True)  # the notebook's symbol


def _figure(v):
    from matplotlib.figure import Figure

    xs = np.linspace(0.01, 10, 500)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(xs, lesson06.f_of(v)(xs), label=f"{v['k']} log x")
    ax.set_title("f rises")
    ax.set_xlabel("x")
    ax.legend()
    return fig


def reference_answers(v) -> dict:
    """The right answer of every part for the variant ``v``, as the notebook's solution gives it."""
    t = sp.Symbol("t", real=True)
    expr = lesson06.cubic_of(v)(t)
    points = sorted(sp.solveset(sp.diff(expr, t), t, sp.S.Reals))
    f2 = [float(sp.diff(expr, t, 2).subs(t, p)) for p in points]
    kinds = {float(p): "max" if s < 0 else "min" for p, s in zip(points, f2, strict=True)}
    return {
        "lesson06.log_derivative": sp.diff(lesson06.f_of(v)(X), X),
        "lesson06.log_zeros": [],
        "lesson06.log_extremum": "C",
        "lesson06.plot": _figure(v),
        "lesson06.cubic_critical": kinds,
        "lesson06.cubic_f2": f2,
    }


def test_constraints_hold_on_500_seeds():
    draws = [SPACE.draw(seed) for seed in range(500)]
    assert all(not SPACE.broken(v) for v in draws)
    for v in draws:
        assert 1 <= v["k"] <= 5
        cubic = l6.Cubic.of(v)
        crit = cubic.critical_exact()
        assert [kind for _, kind in crit] in (
            [l6.LOCAL_MAX, l6.LOCAL_MIN],
            [l6.LOCAL_MIN, l6.LOCAL_MAX],
        )
        (p, _), (q, _) = crit
        assert p <= 0 < q  # the setup cell's positive x would miss p
        for point in (p, q):
            frac = Fraction(int(sp.numer(point)), int(sp.denom(point)))
            assert frac.denominator in (1, 3) and abs(frac) <= lesson06.MAX_CRITICAL
        f2 = cubic.f2_at_critical()
        assert f2[0] == -f2[1] != 0 and (f2[0] < 0) == (v["a"] > 0)
        assert [float(z) for z in lesson06.critical_points(v)] == [float(p), float(q)]
    assert len({v.key() for v in draws}) >= 300
    assert len({(v["a"], v["b"], v["c"]) for v in draws}) >= 30


def test_twenty_students_get_at_least_ten_tasks():
    tasks = {variant_for("calcml", "lesson06", f"student{i:02d}").key() for i in range(20)}
    assert len(tasks) >= 10


def test_the_base_is_the_seeds_task():
    base = base_variant("lesson06")
    assert dict(base) == SEED_TASK and not SPACE.broken(base)
    assert l6.Cubic.of(base) == l6.Cubic() == l6.Cubic.of(None)
    assert l6.Cubic().expr() == l6.lesson_cubic() == l6.x**3 - 2 * l6.x**2 + 1
    assert l6.ScaledLog.of(base) == l6.ScaledLog() and l6.ScaledLog().expr() == sp.log(l6.x)
    assert l6.summary(base) == l6.summary()


def test_describe_shows_the_numbers():
    v = next(
        variant_for("calcml", "lesson06", f"s{i}")
        for i in range(100)
        if variant_for("calcml", "lesson06", f"s{i}")["k"] > 1
    )
    text = lesson06.describe(v)
    assert text.count("$") >= 2
    assert rf"f(x) = {v['k']} \log x" in text and f"$k = {v['k']}$" in text
    assert f"f(x) = {lesson06.cubic_latex(v)}$" in text
    for name in "abcd":
        assert f"${name} = {v[name]}$" in text
    seed = lesson06.describe(SPACE.default())
    assert r"$f(x) = \log x$" in seed and "$f(x) = x^3 - 2x^2 + 1$" in seed
    assert lesson06.cubic_latex({"a": -2, "b": 0, "c": 6, "d": 0}) == "-2x^3 + 6x"
    names = lesson06.names(v)
    assert names["k"] == v["k"] and float(names["f"](np.e)) == v["k"]
    assert names["f"](X) == v["k"] * sp.log(X)
    assert names["cubic"](2) == l6.Cubic.of(v).f(2)
    assert sp.expand(names["cubic"](l6.x) - l6.Cubic.of(v).expr()) == 0


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_the_reference_answer_of_every_part_gets_full_marks(seed):
    v = SPACE.draw(seed)
    for pid, answer in reference_answers(v).items():
        verdict = get_part(pid).judge_data(collect(pid, answer), variant=v)
        assert verdict.passed and verdict.score == 1, (v, pid, verdict)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_the_seeds_answers_fail_another_task(seed):
    v = SPACE.draw(seed)
    seed_answers = reference_answers(SPACE.default())
    if v["k"] != 1:
        for pid in ("lesson06.log_derivative", "lesson06.plot"):
            assert not get_part(pid).judge_data(collect(pid, seed_answers[pid]), variant=v).passed
    if l6.Cubic.of(v).critical() != l6.Cubic().critical():
        pid = "lesson06.cubic_critical"
        assert not get_part(pid).judge_data(collect(pid, seed_answers[pid]), variant=v).passed


def test_swapped_kinds_and_a_lost_point_are_named_for_every_cubic():
    critical, f2 = get_part("lesson06.cubic_critical"), get_part("lesson06.cubic_f2")
    for v in {SPACE.draw(s) for s in range(200)}:
        cubic = l6.Cubic.of(v)
        swapped = {p: ("min" if kind == l6.LOCAL_MAX else "max") for p, kind in cubic.critical()}
        verdict = critical.judge_data(collect(critical.id, swapped), variant=v)
        assert 0 < verdict.score < 1 and verdict.note == "max-min-swapped"
        lost = {p: kind for p, kind in cubic.critical() if p > 0}  # a positive symbol's solve
        verdict = critical.judge_data(collect(critical.id, lost), variant=v)
        assert 0 < verdict.score < 1 and "missing" in verdict.feedback
        negated = [-s for s in cubic.f2_at_critical()]
        verdict = f2.judge_data(collect(f2.id, negated), variant=v)
        assert 0 < verdict.score < 1 and verdict.note == "sign-error"


def test_which_parts_vary():
    assert {pid for pid in PARTS if get_part(pid).varies} == VARYING
