"""Graded parts of lesson 1: the derivative of x^3 - 2x^2 + 1, by rules and by rate."""

from __future__ import annotations

import numpy as np

from reference.answers.lesson01 import POINTS, RATE_STEP
from reference.checks.discrete import check_choice
from reference.checks.functions import check_function
from reference.checks.numeric import check_array
from reference.checks.plots import check_figure
from reference.checks.result import TAMPERED, CheckResult, register_note
from reference.checks.steps import check_step_size
from reference.checks.symbolic import check_derivative
from reference.lessons import l1_derivatives as l1

from .parts import Part, register

STEPS = 10.0 ** -np.arange(1, 16)
CENTRAL = register_note(
    "central-instead", "A central difference was used where the forward one was asked."
)
EXACT = register_note(
    "exact-instead", "The exact derivative was returned where a rate of change was asked."
)


def _antiderivative(x):
    return x**4 / 4 - 2 * x**3 / 3 + x


register(
    Part(
        "lesson01.formula",
        2,
        judge=lambda v: check_derivative(
            v, l1.f_sympy(), variables=("x",), name="derivative_formula"
        ),
        description="f'(x) by the rules, as a formula",
    )
)

register(
    Part(
        "lesson01.rule",
        2,
        judge=lambda s: check_function(
            s,
            l1.f_prime,
            points=POINTS,
            related={"antiderivative": _antiderivative, "original": l1.f},
            name="df_rule",
        ),
        description="df_rule(x), vectorised",
    )
)


def _judge_rate(samples) -> CheckResult:
    forward = check_function(
        samples, lambda x: l1.forward_difference(l1.f, x, RATE_STEP), points=POINTS, name="df_rate"
    )
    if forward.passed or forward.note == TAMPERED:
        return forward
    central = lambda x: l1.central_difference(l1.f, x, RATE_STEP)  # noqa: E731
    if check_function(samples, central, points=POINTS).passed:
        return CheckResult(
            0.5,
            "df_rate computes a central difference (x - dx to x + dx); this part asks for the "
            "forward rate of change from x to x + dx.",
            CENTRAL,
        )
    if check_function(samples, l1.f_prime, points=POINTS).passed:
        return CheckResult(
            0.25,
            "df_rate returns the exact derivative; it should compute the slope of the secant "
            "(f(x + dx) - f(x)) / dx for the step it is given.",
            EXACT,
        )
    return forward


register(
    Part(
        "lesson01.rate",
        1,
        judge=_judge_rate,
        description="df_rate(x, dx), the forward difference",
    )
)

PLOT_SPEC = {
    "min_lines": 2,
    "curves": [
        {
            "function": l1.f_prime,
            "label": "rule",
            "name": "the derivative by the rules",
            "x_range": (-10, 10),
        },
        {
            "function": lambda x: l1.forward_difference(l1.f, x, 1e-4),
            "label": "rate",
            "name": "the rate of change",
            "x_range": (-10, 10),
        },
    ],
    "title": True,
    "legend": True,
}

register(
    Part(
        "lesson01.plot",
        2,
        judge=lambda d: check_figure(d, PLOT_SPEC),
        description="fig1: f' by rule and by rate on one axes",
    )
)


def _judge_errors(errors) -> CheckResult:
    expected = np.abs(l1.forward_difference(l1.f, 2.0, STEPS) - l1.f_prime(2.0))
    shape = check_array(errors, expected, rtol=1e30, name="errors")  # type, shape, finiteness only
    if not shape.passed:
        return shape
    errors = np.asarray(errors, dtype=float)
    # Steps down to 1e-7 are dominated by truncation error and are reproducible;
    # below that the error is rounding noise, of which only the growth is checked.
    head = check_array(
        errors[:7], expected[:7], rtol=1e-2, name="the errors for steps 1e-1 to 1e-7"
    )
    if not head.passed:
        return head
    if not np.max(errors[9:]) > 10 * np.min(errors):
        return CheckResult(
            0.5,
            "errors for the smallest steps should grow again; "
            "check that each error uses its own step.",
            "wrong",
        )
    return head


register(Part("lesson01.errors", 1, judge=_judge_errors, description="errors of the rate vs step"))
register(
    Part(
        "lesson01.best_step",
        1,
        judge=lambda h: check_step_size(h, func=l1.f, dfunc=l1.f_prime, x=2.0, scheme="forward"),
        description="the step with the smallest error",
    )
)
register(
    Part(
        "lesson01.error_shrinks",
        0.5,
        judge=lambda c: check_choice(
            c,
            "A",
            choices="ABCD",
            explain={
                "B": "A hundredfold drop belongs to the central difference, not the forward one."
            },
        ),
    )
)
register(
    Part(
        "lesson01.tiny_step_cause",
        0.5,
        judge=lambda c: check_choice(
            c,
            "B",
            choices="ABCD",
            explain={
                "C": "A step of 1e-15 is still far from zero in floating point (about 1e-308)."
            },
        ),
    )
)
