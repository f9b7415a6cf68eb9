"""Graded parts of lesson 6: extrema where f'(x) = 0, and the log function that has none."""

from __future__ import annotations

import math
import numbers

import numpy as np
import sympy as sp

from reference.answers.plain import SympyText, Unsupported
from reference.checks.discrete import check_choice
from reference.checks.numeric import check_array
from reference.checks.parsing import ParseError, parse_expression
from reference.checks.plots import check_figure
from reference.checks.result import WRONG_TYPE, CheckResult, correct, register_note
from reference.checks.safety import is_missing
from reference.checks.symbolic import check_derivative
from reference.lessons import l6_optimization as l6

from .parts import Part, register

#: log x is only defined for x > 0; formulas are sampled there.
LOG_DOMAIN = (0.05, 10.0)

LOG10 = register_note("log10-instead", "The derivative of log10 x was given for the natural log.")
SECOND = register_note("second-derivative", "The second derivative was given for the first.")
NOT_A_ZERO = register_note("not-a-zero", "A listed x is not a zero of the derivative.")
MAX_AT_INFINITY = register_note(
    "max-at-infinity", "The maximum was placed at x = infinity, which is not in the domain."
)
WRONG_KIND = register_note("wrong-kind", "A critical point has the wrong kind (max/min).")
WRONG_POINTS = register_note("wrong-critical-points", "Critical points are missing or extra.")


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


def _as_numbers(answer) -> list[float] | None:
    """The x values of a list/set/array (or a SymPy set as text), else None."""
    if isinstance(answer, SympyText):
        text = str(answer).strip()
        if text in ("EmptySet", "set()", "{}"):
            return []
        if text.startswith("{") and text.endswith("}"):
            parts = [p for p in text[1:-1].split(",") if p.strip()]
        else:
            parts = [text]
        try:
            return [float(sp.N(parse_expression(p, variables=()))) for p in parts]
        except (ParseError, TypeError, ValueError):
            return None
    if isinstance(answer, np.ndarray):
        return [float(v) for v in answer.ravel()]
    if isinstance(answer, list | tuple):
        out = []
        for item in answer:
            if isinstance(item, bool) or not isinstance(item, numbers.Real):
                return None
            out.append(float(item))
        return out
    return None


def _judge_log_zeros(answer) -> CheckResult:
    if is_missing(answer):
        return CheckResult(0.0, "log_zeros is missing.", "missing")
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        answer = [answer]  # a single number: judge it as a one-element list
    values = _as_numbers(answer)
    if values is None or isinstance(answer, Unsupported):
        return CheckResult(
            0.0,
            "log_zeros must be a list (or set, or array) of numbers; an empty list is allowed.",
            WRONG_TYPE,
        )
    if not values:
        return correct()
    hints = []
    for v in values[:3]:
        if math.isinf(v):
            hints.append(
                "infinity is not a number x of the domain: 1/x only tends to 0 as x grows, "
                "it never equals 0"
            )
        elif math.isnan(v):
            hints.append("NaN is not a value of x")
        elif v <= 0:
            hints.append(f"x = {v:g} is not in the domain of log x (x > 0)")
        elif abs(v - 1) < 1e-9:
            hints.append("x = 1 is where log x itself is zero, not where its derivative is zero")
        else:
            hints.append(f"f'({v:g}) is not zero")
    return CheckResult(0.0, "log_zeros lists a wrong value: " + "; ".join(hints) + ".", NOT_A_ZERO)


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
    "legend": True,
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

KIND_WORDS = {"max": l6.LOCAL_MAX, "min": l6.LOCAL_MIN, "neither": l6.NEITHER}


def _expected_critical() -> list[tuple[float, str]]:
    return [(float(p), kind) for p, kind in l6.critical_points(l6.lesson_cubic())]


def _kind(text) -> str | None:
    if not isinstance(text, str):
        return None
    t = text.strip().lower()
    if "max" in t:
        return l6.LOCAL_MAX
    if "min" in t:
        return l6.LOCAL_MIN
    if any(w in t for w in ("neither", "inflection", "saddle", "none")):
        return l6.NEITHER
    return None


def _key_value(key) -> float | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, numbers.Real):
        return float(key)
    if isinstance(key, str):
        try:
            return float(sp.N(parse_expression(key, variables=())))
        except (ParseError, TypeError, ValueError):
            return None
    return None


def _judge_critical(answer) -> CheckResult:
    if is_missing(answer):
        return CheckResult(0.0, "cubic_critical is missing.", "missing")
    if isinstance(answer, list):  # a list of (x, kind) pairs is fine too
        pairs = [p for p in answer if isinstance(p, list | tuple) and len(p) == 2]
        answer = dict(pairs) if len(pairs) == len(answer) else None
    if not isinstance(answer, dict):
        return CheckResult(
            0.0,
            'cubic_critical must be a dictionary {x: "max" or "min"}, '
            "one entry per critical point.",
            WRONG_TYPE,
        )
    got: list[tuple[float, str | None]] = []
    for key, value in answer.items():
        x = _key_value(key)
        if x is None or not math.isfinite(x):
            return CheckResult(
                0.0, f"cubic_critical: the key {key!r} is not a number x.", WRONG_TYPE
            )
        got.append((x, _kind(value)))
    expected = _expected_critical()
    score, problems, extra = 0.0, [], []
    matched = set()
    for x, kind in got:
        hit = next(
            (i for i, (p, _) in enumerate(expected) if abs(x - p) <= 1e-6 * max(1.0, abs(p))),
            None,
        )
        if hit is None or hit in matched:
            extra.append(x)
            continue
        matched.add(hit)
        score += 0.25
        if kind == expected[hit][1]:
            score += 0.25
        elif kind is None:
            problems.append(f'the kind at x = {x:.4g} should be "max" or "min"')
        else:
            problems.append(
                f"the kind of the critical point at x = {x:.4g} is wrong: "
                "look at the sign of f'' there"
            )
    if extra:
        score = max(0.0, score - 0.25 * len(extra))
        shown = ", ".join(f"{v:.4g}" for v in extra[:3])
        problems.append(f"f'(x) is not zero at x = {shown}")
    if len(matched) < len(expected):
        problems.append(f"{len(expected) - len(matched)} critical point(s) are missing")
    if not problems:
        return correct()
    note = WRONG_KIND if len(matched) == len(expected) and not extra else WRONG_POINTS
    return CheckResult(score, "cubic_critical: " + "; ".join(problems) + ".", note)


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
