"""Graded parts of lesson 1: the derivative of a cubic (x^3 - 2x^2 + 1 in the seed), by rules
and by rate; each student has a cubic of their own (:mod:`calcml_tasks.lesson01`)."""

from __future__ import annotations

import numpy as np

from reference.answers.kinds import Sampled
from reference.answers.lesson01 import ERROR_X, POINTS, RATE_STEP, STEPS
from reference.checks import differences as dif
from reference.checks.calculus import check_derivative
from reference.checks.discrete import check_choice
from reference.checks.functions import check_function
from reference.checks.numeric import check_array
from reference.checks.pictures import curve_picture
from reference.checks.plots import check_figure
from reference.checks.result import CheckResult
from reference.checks.steps import check_step_size
from reference.lessons import l1_derivatives as l1

from .carry import CarryForward, close
from .declare import declare
from .parts import Part, register

#: The errors a student's table may hold, by the difference they come from.
_ERROR_SOURCES = {"central": dif.CENTRAL, "backward": dif.BACKWARD}


def _cubic(v) -> l1.Cubic:
    return l1.Cubic.of(v)


def judge_formula(value, v) -> CheckResult:
    return check_derivative(value, _cubic(v).f_sympy(), variables=("x",), name="derivative_formula")


declare(
    "lesson01.rule",
    points=2,
    collect=Sampled(POINTS),
    check=check_function,
    reference=lambda v: _cubic(v).f_prime,
    options=lambda v: {
        "points": POINTS,
        "related": {
            "antiderivative": _cubic(v).antiderivative,
            "original": _cubic(v).f,
            "second_derivative": _cubic(v).second_derivative,
            "terms": _cubic(v).terms(),
        },
        "name": "df_rule",
    },
    description="df_rule(x), vectorised",
)


def judge_rate(samples, v) -> CheckResult:
    cubic = _cubic(v)
    return dif.judge_difference_samples(
        samples,
        cubic.f,
        points=POINTS,
        step=RATE_STEP,
        scheme="forward",
        dfunc=cubic.f_prime,
        name="df_rate",
    )


def plot_spec(v) -> dict:
    """Part D states: one set of axes, f' for x from -10 to 10 by the rule (line "rule") and by
    the rate with dx = 0.0001 (line "rate"), a title and a legend (with both entries)."""
    cubic = _cubic(v)
    return {
        "axes": 1,
        "min_lines": 2,
        "curves": [
            {
                "function": cubic.f_prime,
                "label": "rule",
                "name": "the derivative by the rules",
                "x_range": (-10, 10),
            },
            {
                "function": lambda x: l1.forward_difference(cubic.f, x, 1e-4),
                "label": "rate",
                "name": "the rate of change",
                "x_range": (-10, 10),
            },
        ],
        "title": True,
        "legend": ["rule", "rate"],
    }


#: The seed's own figure spec (tests of the plot checks read it).
PLOT_SPEC = plot_spec(None)

for _part in (
    Part("lesson01.formula", 2, judge_formula, "f'(x) by the rules, as a formula", varies=True),
    Part("lesson01.rate", 1, judge_rate, "df_rate(x, dx), the forward difference", varies=True),
    Part(
        "lesson01.plot",
        2,
        lambda d, v: check_figure(d, plot_spec(v)),
        "fig1: f' by rule and by rate on one axes",
        varies=True,
    ),
):
    register(_part)


def _errors(cubic: l1.Cubic, scheme: str) -> np.ndarray:
    """The table the task asks for, computed with another difference ``scheme``."""
    return np.abs(dif.difference(cubic.f, ERROR_X, STEPS, scheme) - cubic.f_prime(ERROR_X))


def _rounding(cubic: l1.Cubic) -> np.ndarray:
    """How far rounding may move each entry: a loop of Python floats and one vectorised call
    round differently, about eps |f(2)| / h."""
    return 10 * np.finfo(float).eps * (1.0 + abs(float(cubic.f(ERROR_X)))) / STEPS


def judge_errors(errors, v) -> CheckResult:
    """The table of Part E, with the student's error-versus-step curve when it is wrong."""
    verdict = _judge_errors(errors, v)
    if verdict.passed or verdict.note in ("wrong-type", "wrong-shape", "missing"):
        return verdict
    cubic = _cubic(v)
    try:
        got = np.abs(np.asarray(errors, dtype=float).reshape(-1))
        expected = _errors(cubic, "forward")
        bad = ~(np.abs(got - expected) <= 1e-2 * expected + _rounding(cubic))
        picture = curve_picture(
            STEPS,
            got.tolist(),
            reference=expected.tolist(),
            marked=np.flatnonzero(bad[:7]),  # only where truncation makes the error exact
            title="your errors against the step h",
            xlabel="step h",
            ylabel="|error| at x = 2",
            log="xy",
        )
    except (TypeError, ValueError):
        return verdict
    return verdict.with_picture(picture)


def _judge_errors(errors, v) -> CheckResult:
    cubic = _cubic(v)
    expected = _errors(cubic, "forward")
    shape = check_array(errors, expected, rtol=1e30, name="errors")  # type, shape, finiteness only
    if not shape.passed:
        return shape
    errors = np.asarray(errors, dtype=float).reshape(-1)
    # Steps down to 1e-7 are dominated by truncation error and are reproducible;
    # below that the error is rounding noise, of which only the growth is checked.
    off = np.abs(errors[:7] - expected[:7]) > 1e-2 * expected[:7] + _rounding(cubic)[:7]
    if off.any():
        i = int(np.flatnonzero(off)[0])
        return _name_errors(cubic, errors) or CheckResult(
            0.0,
            f"errors is not right for the step h = {STEPS[i]:g}: each entry must be "
            "|df_rate(2, h) - df_rule(2)| for its own step h.",
            "wrong",
        )
    if not np.max(errors[9:]) > 10 * np.min(errors):
        return CheckResult(
            0.5,
            "errors for the smallest steps should grow again; "
            "check that each error uses its own step.",
            "wrong",
        )
    return CheckResult(1.0, "errors is right for every step.", "correct")


def _name_errors(cubic: l1.Cubic, errors: np.ndarray) -> CheckResult | None:
    """Name a wrong error table: another difference, or one step used for every entry.

    Tables are compared for the steps 1e-1 to 1e-4 only, where the truncation error of
    every scheme is far above rounding.
    """
    for scheme, note in _ERROR_SOURCES.items():
        if np.allclose(errors[:4], _errors(cubic, scheme)[:4], rtol=1e-2, atol=0.0):
            return CheckResult(
                0.5,
                f"errors are those of the {scheme} difference: they must come from the forward "
                "rate of change (f(x + h) - f(x)) / h of Part C, step by step.",
                note,
            )
    if np.ptp(errors) <= 1e-12 * max(float(np.max(np.abs(errors))), 1e-300):
        return CheckResult(
            0.25,
            "errors holds the same error for every step: compute each one with its own step h "
            "(pass h to df_rate instead of a fixed step).",
            dif.IGNORES_STEP,
        )
    return None


def _table_follows(errors, earlier, v) -> bool:
    """Is ``errors`` the table the student's own answers give, |df_rate(2, h) - df_rule(2)|?

    The task's table compares with ``df_rule(2)``; the exact f'(2) is taken too.
    """
    cubic = _cubic(v)
    rate = np.asarray(earlier["lesson01.rate"]["by_step"]["values"], dtype=float)
    exact = [float(cubic.f_prime(ERROR_X))]
    rule = earlier.get("lesson01.rule")
    if rule is not None and ERROR_X in rule["points"]:
        exact.append(float(rule["values"][rule["points"].index(ERROR_X)]))
    got = np.asarray(errors, dtype=float).reshape(-1)
    if not rate.size == got.size == STEPS.size:
        return False
    allowed = 1e-6 * np.abs(got) + 100 * _rounding(cubic)
    return any(bool(np.all(np.abs(got - np.abs(rate - d)) <= allowed)) for d in exact)


def _best_follows(h, earlier, _v) -> bool:
    """Is ``h`` the step of the smallest error in the student's own table?"""
    table = np.asarray(earlier["lesson01.errors"], dtype=float).reshape(-1)
    if table.size != STEPS.size or not np.all(np.isfinite(table)):
        return False
    got = float(np.asarray(h, dtype=float).reshape(-1)[0])
    return any(close(got, STEPS[i], rtol=1e-9) for i in np.flatnonzero(table == table.min()))


def judge_best_step(h, v) -> CheckResult:
    cubic = _cubic(v)
    return check_step_size(h, func=cubic.f, dfunc=cubic.f_prime, x=ERROR_X, scheme="forward")


register(
    Part(
        "lesson01.errors",
        1,
        judge_errors,
        "errors of the rate vs step",
        varies=True,
        carry=CarryForward(
            uses={"lesson01.rate": "df_rate (Part C)", "lesson01.rule": "df_rule (Part B)"},
            consistent=_table_follows,
        ),
    )
)
register(
    Part(
        "lesson01.best_step",
        1,
        judge_best_step,
        "the step with the smallest error",
        varies=True,
        carry=CarryForward(
            uses={"lesson01.errors": "errors table (Part E)"}, consistent=_best_follows
        ),
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
