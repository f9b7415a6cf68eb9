"""Graded parts of lesson 2: the antiderivative of a quadratic (3x^2 - 4x in the seed), by the
rules and by a running sum; each student has an integrand of their own
(:mod:`calcml_tasks.lesson02`)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from reference.answers.lesson02 import GAP_STEPS
from reference.checks import differences as dif
from reference.checks.calculus import check_antiderivative
from reference.checks.discrete import check_choice
from reference.checks.functions import check_function
from reference.checks.numeric import BadAnswer, as_float_array, check_array, check_number
from reference.checks.plots import check_figure
from reference.checks.result import TAMPERED, CheckResult, register_note
from reference.checks.tolerance import Tolerance
from reference.lessons import l2_integration as l2

from .parts import Part, register

SUM_TOL = {"rtol": 1e-6, "atol": 1e-6}


def _task(v) -> l2.Integrand:
    """The variant's integrand (None: the seed's task)."""
    return l2.Integrand.of(v)


@lru_cache(maxsize=256)
def _running(task: l2.Integrand) -> tuple[np.ndarray, np.ndarray]:
    """The lesson's grid (x from -10 to 9.9 in steps of 0.1) and the task's running sum."""
    return task.running_sum()


#: The seed's grid and running sum.
GRID, RUNNING = _running(_task(None))

AREAS_ONLY = register_note(
    "areas-not-summed", "The rectangle areas were given where their running sum was asked."
)
NUMERIC_SHIFT = register_note(
    "numeric-estimate", "A numerical estimate was given where an exact value was asked."
)
LEFT_EDGE = register_note(
    "left-edge-gap",
    "The running sum was compared with the area up to the left edge of the last rectangle.",
)


register(
    Part(
        "lesson02.antiderivative",
        2,
        judge=lambda value, v: check_antiderivative(
            value, _task(v).f_sympy(), variables=("x",), name="antiderivative"
        ),
        description="an antiderivative of f (3x^2 - 4x in the seed), as a formula",
        varies=True,
    )
)


def _judge_running(values, v) -> CheckResult:
    task = _task(v)
    grid, running = _running(task)
    result = check_array(values, running, name="running", **SUM_TOL)
    if result.passed or result.note in ("wrong-type", "wrong-shape", "missing"):
        return result
    try:
        got = as_float_array(values, "running")
    except BadAnswer as bad:  # pragma: no cover - check_array already accepted it
        return bad.result
    tol = Tolerance(**SUM_TOL)
    if np.all(tol.close(got, task.f(grid) * l2.STEP)):
        return CheckResult(
            0.25,
            "running holds the area of each rectangle on its own; the running sum adds them up "
            "from the left end, one after the other.",
            AREAS_ONLY,
        )
    return result


register(
    Part(
        "lesson02.running",
        2,
        judge=_judge_running,
        description="the running sum of f(x) * dx on [-10, 10) with dx = 0.1",
        varies=True,
    )
)


def _plot_spec(task: l2.Integrand) -> dict:
    grid, running = _running(task)
    return {
        "axes": 1,
        "min_lines": 2,
        "curves": [
            {
                "function": task.F,
                "label": "antiderivative",
                "name": "your antiderivative F (no constant)",
                "x_range": (-10, 9.9),
            },
            {
                "function": {"x": grid.tolist(), "y": running.tolist()},
                "label": "running sum",
                "name": "the running sum",
                "x_range": (-10, 9.9),
            },
        ],
        "title": True,
        "legend": ["antiderivative", "running sum"],
    }


def plot_spec(v) -> dict:
    """Part C states: one set of axes, the antiderivative with no constant (line
    "antiderivative") and the running sum (line "running sum") against xs, a title and a
    legend."""
    return _plot_spec(_task(v))


#: The seed's own figure spec (tests of the plot checks read it).
PLOT_SPEC = plot_spec(None)

register(
    Part(
        "lesson02.plot",
        2,
        judge=lambda d, v: check_figure(d, plot_spec(v)),
        description="fig2: the antiderivative and the running sum on one axes",
        varies=True,
    )
)

#: The seed's shift, -F(-10) = 1200.
SHIFT = _task(None).shift()


def _judge_shift(value, v) -> CheckResult:
    shift = _task(v).shift()
    result = check_number(value, shift, name="shift", rtol=1e-9)
    if result.passed or result.note != "wrong":
        return result
    if check_number(value, shift, rtol=0.05).passed:
        return CheckResult(
            0.5,
            "shift is close, but it looks read off the running sum, which carries the error of "
            "the rectangles; work the constant out exactly from F instead.",
            NUMERIC_SHIFT,
        )
    return result


register(
    Part(
        "lesson02.shift",
        1,
        judge=_judge_shift,
        description="the constant that moves F onto the running sum, -F(-10)",
        varies=True,
    )
)


def _gap_left_edge(task: l2.Integrand, step: float) -> float:
    x, y = task.running_sum(step=step)
    return float(np.max(np.abs(y - (task.F(x) - task.F(l2.START)))))


def _judge_gap(samples, v) -> CheckResult:
    task = _task(v)
    expected = lambda s: np.array([task.running_sum_error(float(h)) for h in np.ravel(s)])  # noqa: E731
    result = check_function(samples, expected, points=GAP_STEPS, rtol=1e-6, name="max_gap")
    if result.passed or result.note == TAMPERED or not isinstance(samples, dict):
        return result
    left = lambda s: np.array([_gap_left_edge(task, float(h)) for h in np.ravel(s)])  # noqa: E731
    if check_function(samples, left, points=GAP_STEPS, rtol=1e-6).passed:
        return CheckResult(
            0.5,
            "max_gap compares the sum up to rectangle k with the area up to x_k, the left edge "
            "of that rectangle; the sum already covers it completely, so compare with the area "
            "up to its right edge, x_k + step.",
            LEFT_EDGE,
        )
    values = samples.get("values") or []
    finite = [v for v in values if v is not None and np.isfinite(v)]
    if len(finite) == len(GAP_STEPS) and np.ptp(finite) <= 1e-12 * max(1.0, abs(finite[0])):
        return CheckResult(
            0.0,
            "max_gap gives the same value for every step: it ignores the step it is given; "
            "build the grid and the sum from that step.",
            dif.IGNORES_STEP,
        )
    return result


register(
    Part(
        "lesson02.max_gap",
        2,
        judge=_judge_gap,
        description="max_gap(step): largest gap between running sum and exact area",
        varies=True,
    )
)

register(
    Part(
        "lesson02.gap_halving",
        1,
        judge=lambda c: check_choice(
            c,
            "A",
            choices="ABCD",
            explain={
                "B": "A fourfold drop belongs to rules that are exact for straight lines "
                "(trapezoids, midpoints); rectangles that take the height at the left end are not.",
                "C": "Compare max_gap(0.1) with max_gap(0.05).",
            },
        ),
        description="how the gap changes when the step is halved",
    )
)
