"""Graded parts of lesson 6: extrema where f'(x) = 0, and the log function that has none.

Each student has a task of their own (:mod:`calcml_tasks.lesson06`): f(x) = k log x
(log x in the seed) for Parts A and D, and a cubic (x^3 - 2x^2 + 1 in the seed) for
Part E. The answers of Parts B and C are the same for every k > 0, so they do not vary.
"""

from __future__ import annotations

import functools
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


def _log(variant) -> l6.ScaledLog:
    return l6.ScaledLog.of(variant)


def _judge_log_derivative(v, variant) -> CheckResult:
    k = _log(variant).k
    function = "log(x)" if k == 1 else f"{k}*log(x)"
    verdict = check_derivative(v, function, domain=LOG_DOMAIN, name="log_derivative")
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
    if np.allclose(values, k / (xs * math.log(10)), rtol=1e-9):
        return CheckResult(
            0.5,
            "log_derivative: this is the derivative of the base-10 logarithm. In this lesson, as "
            "in NumPy and SymPy, log x is the natural logarithm (base e).",
            LOG10,
        )
    if np.allclose(values, -k / xs**2, rtol=1e-9):
        return CheckResult(
            0.0,
            f"log_derivative: this is the second derivative of {_log(variant).text()}; the "
            "question asks for the first one.",
            SECOND,
        )
    if np.allclose(values, k / xs**2, rtol=1e-9):
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
        description="d/dx k log x, as a formula (domain x > 0)",
        varies=True,
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


def plot_spec(variant) -> dict:
    """Part D states: f(x) = k log x for x from 0.01 to 10 (a line whose label contains "log"),
    a title, an x-axis label and a legend (with that entry)."""
    log = _log(variant)
    name = "the natural logarithm log x" if log.k == 1 else f"the function {log.text()}"
    return {
        "min_lines": 1,
        "curves": [
            {
                "function": log.f,
                "label": "log",
                "name": name,
                "x_range": (0.01, 10),
            }
        ],
        "title": True,
        "xlabel": True,
        "legend": ["log"],
    }


#: The seed's own figure spec (tests of the plot checks read it).
PLOT_SPEC = plot_spec(None)

register(
    Part(
        "lesson06.plot",
        2,
        judge=lambda d, v: check_figure(d, plot_spec(v)),
        description="fig6: f(x) = k log x on (0, 10]",
        varies=True,
    )
)

# -- beyond the seed: the cubic's critical points and the second-derivative test --------


@functools.lru_cache(maxsize=256)
def _cubic_answers(cubic: l6.Cubic) -> tuple[tuple[tuple[float, str], ...], tuple[float, ...]]:
    """The critical points with their kinds, and f'' there (SymPy solves once per cubic)."""
    return tuple(cubic.critical()), tuple(cubic.f2_at_critical())


def _expected_critical(variant=None) -> list[tuple[float, str]]:
    return list(_cubic_answers(l6.Cubic.of(variant))[0])


def _expected_f2(variant=None) -> np.ndarray:
    return np.array(_cubic_answers(l6.Cubic.of(variant))[1])


def _judge_critical(answer, variant) -> CheckResult:
    return ex.check_extrema(answer, _expected_critical(variant), name="cubic_critical")


register(
    Part(
        "lesson06.cubic_critical",
        2,
        judge=_judge_critical,
        description="critical points of the cubic (x^3 - 2x^2 + 1 in the seed) with their kinds",
        varies=True,
    )
)


def _judge_f2(value, variant) -> CheckResult:
    return check_array(value, _expected_f2(variant), rtol=1e-6, atol=1e-9, name="cubic_f2")


register(
    Part(
        "lesson06.cubic_f2",
        1,
        judge=_judge_f2,
        description="f'' at the cubic's critical points for the second-derivative test",
        varies=True,
    )
)
