"""Graded parts of lesson 6: extrema where f'(x) = 0, and the log function that has none."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from reference.answers.plain import Unsupported
from reference.checks import extrema as ex
from reference.checks import misconceptions as mc
from reference.checks.calculus import check_derivative
from reference.checks.discrete import check_choice
from reference.checks.numeric import check_array
from reference.checks.parsing import ParseError, parse_expression
from reference.checks.plots import check_figure
from reference.checks.result import CheckResult, register_note
from reference.checks.safety import is_missing
from reference.lessons import l6_optimization as l6

from .parts import Part, register

#: log x is only defined for x > 0; formulas are sampled there.
LOG_DOMAIN = (0.05, 10.0)

LOG10 = register_note("log10-instead", "The derivative of log10 x was given for the natural log.")
SECOND = mc.SECOND
NOT_A_ZERO = ex.NOT_A_ZERO
MAX_AT_INFINITY = register_note(
    "max-at-infinity", "The maximum was placed at x = infinity, which is not in the domain."
)
WRONG_KIND = ex.WRONG_KIND
WRONG_POINTS = ex.WRONG_POINTS


def _judge_log_derivative(v) -> CheckResult:
    verdict = check_derivative(v, "log(x)", domain=LOG_DOMAIN, name="log_derivative")
    if verdict.passed or is_missing(v):
        return verdict
    try:
        expr = parse_expression(v, variables=("x",))
    except ParseError:
        return verdict
    x = sp.Symbol("x", real=True)
    expr = expr.xreplace({s: x for s in expr.free_symbols if s.name == "x"})
    xs = np.linspace(*LOG_DOMAIN, 7)
    try:
        values = np.array([float(expr.subs(x, t)) for t in xs])
    except (TypeError, ValueError):
        return verdict
    if np.allclose(values, 1 / (xs * math.log(10)), rtol=1e-9):
        return CheckResult(
            0.5,
            "log_derivative: this is the derivative of the base-10 logarithm. In this lesson, as "
            "in NumPy and SymPy, log x is the natural logarithm (base e).",
            LOG10,
        )
    if np.allclose(values, -1 / xs**2, rtol=1e-9):
        return CheckResult(
            0.0,
            "log_derivative: this is the second derivative of log x; the question asks for the "
            "first one.",
            SECOND,
        )
    if np.allclose(values, 1 / xs**2, rtol=1e-9):
        return CheckResult(
            0.0,
            "log_derivative: the power rule does not apply to log x (it is not a power of x). "
            "Look up the rule for the derivative of the logarithm.",
            "wrong",
        )
    return verdict


register(
    Part(
        "lesson06.log_derivative",
        2,
        judge=_judge_log_derivative,
        description="d/dx log x, as a formula (domain x > 0)",
    )
)


def _judge_log_zeros(answer) -> CheckResult:
    if isinstance(answer, Unsupported):
        answer = None if answer.type_name == "NoneType" else object()
    return ex.check_critical_points(
        answer,
        [],
        derivative=lambda x: 1 / x,
        domain=(0.0, math.inf),
        explain={1.0: "x = 1 is where log x itself is zero, not where its derivative is zero"},
        name="log_zeros",
    )


register(
    Part(
        "lesson06.log_zeros",
        1,
        judge=_judge_log_zeros,
        description="the x in (0, oo) with f'(x) = 0: none (an empty list)",
    )
)


def _judge_log_extremum(choice) -> CheckResult:
    return check_choice(
        choice, "C", choices="ABCD", explain=LOG_EXPLAIN, partial={"A": (0.25, MAX_AT_INFINITY)}
    )


LOG_EXPLAIN = {
    "A": "log x does keep growing as x grows, but infinity is not a number of the domain "
    "(0, oo): a maximum is a value f(x0) reached at some x0 with f(x) <= f(x0) for every x.",
    "B": "log 1 = 0 is where the function is zero, not where its derivative is zero; "
    "compare log 1 with log 0.5.",
    "D": "A derivative that is never zero says nothing like that; a constant has f' = 0 "
    "everywhere.",
}

register(
    Part(
        "lesson06.log_extremum",
        1,
        judge=_judge_log_extremum,
        description="what f' > 0 says about max/min of log on (0, oo)",
    )
)

#: Part D states: log x for x from 0.01 to 10 (line "log x"), a title, an x-axis label and a
#: legend (with that entry).
PLOT_SPEC = {
    "min_lines": 1,
    "curves": [
        {
            "function": np.log,
            "label": "log",
            "name": "the natural logarithm log x",
            "x_range": (0.01, 10),
        }
    ],
    "title": True,
    "xlabel": True,
    "legend": ["log"],
}

register(
    Part(
        "lesson06.plot",
        2,
        judge=lambda d: check_figure(d, PLOT_SPEC),
        description="fig6: log x on (0, 10]",
    )
)

# -- beyond the seed: the cubic's critical points and the second-derivative test --------


def _expected_critical() -> list[tuple[float, str]]:
    return [(float(p), kind) for p, kind in l6.critical_points(l6.lesson_cubic())]


def _judge_critical(answer) -> CheckResult:
    return ex.check_extrema(answer, _expected_critical(), name="cubic_critical")


register(
    Part(
        "lesson06.cubic_critical",
        2,
        judge=_judge_critical,
        description="critical points of x^3 - 2x^2 + 1 with their kinds",
    )
)


def _expected_f2() -> np.ndarray:
    f2 = sp.diff(l6.lesson_cubic(), l6.x, 2)
    return np.array([float(f2.subs(l6.x, p)) for p, _ in l6.critical_points(l6.lesson_cubic())])


register(
    Part(
        "lesson06.cubic_f2",
        1,
        judge=lambda v: check_array(v, _expected_f2(), rtol=1e-6, atol=1e-9, name="cubic_f2"),
        description="f''(0) and f''(4/3) for the second-derivative test",
    )
)
