"""Typical mistakes with derivatives and antiderivatives, each with the note that names it.

Families: a sign error in one term, the wrong derivative order, integrated
instead of differentiated and the reverse, a missing, extra or wrong constant,
a constant factor, a missing chain-rule factor. Checked as formulas
(:func:`check_derivative`, :func:`check_antiderivative`), as functions
(:func:`check_function`) and through the graded parts of lessons 1, 2, 5 and 6.
Correct answers written other ways are rows too: they must never lose credit.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from reference.checks.calculus import check_antiderivative, check_derivative
from reference.checks.functions import check_function

from . import Case, mistake, part_check

CUBIC = "x^3 - 2x^2 + 1"
X = sp.Symbol("x")


def _d(id_, student, function, note, want="partial", **options):
    return mistake(f"mc-deriv-{id_}", check_derivative, student, function, note, want, **options)


def _a(id_, student, integrand, note, want="partial", **options):
    return mistake(
        f"mc-anti-{id_}", check_antiderivative, student, integrand, note, want, **options
    )


def _p(id_, student, part, note, want="partial", says=None):
    return mistake(f"mc-part-{id_}", part_check, student, part, note, want, says)


GRID = np.arange(-10, 10, 0.1)


def _f2(x):
    return 3 * x**2 - 4 * x


def sig(z):
    return 1 / (1 + np.exp(-z))


CASES: list[Case] = [
    # a sign error in one term (not the whole answer)
    _d("term-sign-00", "3x^2 + 4x", CUBIC, "term-sign-error"),
    _d("term-sign-01", "-3x^2 - 4x", CUBIC, "term-sign-error"),
    _d("term-sign-02", "x(3x + 4)", CUBIC, "term-sign-error"),
    _d("term-sign-03", "cos(x) - 3x^2", "sin(x) + x^3", "term-sign-error"),
    _d("term-sign-04", "2e^(2x) - 2x", "e^(2x) + x^2", "term-sign-error"),
    _d("term-sign-05", "2x + 1/x^2", "x^2 + 1/x", "term-sign-error", domain=(0.2, 3)),
    _d("term-sign-06", "4x^3 + 6x - 5", "x^4 - 3x^2 + 5x", "term-sign-error"),
    _d("term-sign-07", "-4x^3 + 6x + 5", "x^4 - 3x^2 + 5x", "term-sign-error"),
    _d("term-sign-08", "2x - sin(x)", "x^2 - cos(x)", "term-sign-error"),
    _a("term-sign-00", "x^3 + 2x^2", "3x^2 - 4x", "term-sign-error"),
    _a("term-sign-01", "x^3 + 2x^2 + C", "3x^2 - 4x", "term-sign-error"),
    _a("term-sign-02", "sin(x) - cos(x)", "cos(x) - sin(x)", "term-sign-error"),
    _a("term-sign-03", "x^2/2 + e^x", "x - e^x", "term-sign-error"),
    # the sign of the whole answer
    _d("sign-00", "4x - 3x^2", CUBIC, "sign-error"),
    _d("sign-01", "-2x - 1", "x^2 + x", "sign-error"),
    _a("sign-00", "-x^3 + 2x^2", "3x^2 - 4x", "sign-error"),
    # the wrong derivative order: the second derivative (named, no credit: the lessons' policy)
    _d("second-00", "6x - 4", CUBIC, "second-derivative", "fail"),
    _d("second-01", "-sin(x)", "sin(x)", "second-derivative", "fail"),
    _d("second-02", "12x^2 - 6", "x^4 - 3x^2 + 5x", "second-derivative", "fail"),
    _d("second-03", "-1/x^2", "log(x)", "second-derivative", "fail", domain=(0.1, 5)),
    _d("second-04", "4e^(2x)", "e^(2x)", "second-derivative", "fail"),
    _d("second-05", "2/x^3", "1/x", "second-derivative", "fail", domain=(0.2, 3)),
    # integrated instead of differentiated, and the reverse
    _d("integrated-00", "x^4/4 - 2x^3/3 + x", CUBIC, "integrated-instead"),
    _d("integrated-01", "x^4/4 - 2x^3/3 + x + 7", CUBIC, "integrated-instead"),
    _d("integrated-02", "-cos(x)", "sin(x)", "integrated-instead"),
    _d("integrated-03", "x^3/3", "x^2", "integrated-instead"),
    _a("differentiated-00", "6x - 4", "3x^2 - 4x", "differentiated-instead"),
    _a("differentiated-01", "-sin(x)", "cos(x)", "differentiated-instead"),
    _a("differentiated-02", "2e^(2x)", "e^(2x)", "differentiated-instead"),
    _a("differentiated-03", "-1/x^2", "1/x", "differentiated-instead", domain=(0.1, 5)),
    # a missing, extra or wrong constant
    _d("kept-constant-00", "3x^2 - 4x + 1", CUBIC, "additive-constant"),
    _d("kept-constant-01", "cos(x) + 5", "sin(x) + 5", "additive-constant"),
    _a("missing-constant-00", "x^3 - 2x^2", "3x^2 - 4x", "missing-constant", constant="required"),
    _a("missing-constant-01", "sin(x)", "cos(x)", "missing-constant", constant="required"),
    _a("wrong-constant-00", "x^3 - 2x^2", "3x^2 - 4x", "wrong-constant", value_at=(1, 0)),
    _a("wrong-constant-01", "x^3 - 2x^2 + 5", "3x^2 - 4x", "wrong-constant", value_at=(0, 1)),
    _a("wrong-constant-02", "x^3 - 2x^2 + C", "3x^2 - 4x", "wrong-constant", value_at=(0, 1)),
    # a constant factor
    _d("factor-00", "6x^2 - 8x", CUBIC, "constant-factor"),
    _d("factor-01", "2/(1+e^-x)*(1-1/(1+e^-x))", "1/(1+e^-x)", "constant-factor"),
    _a("factor-00", "x^3/3 - 2x^2/3", "3x^2 - 4x", "constant-factor"),
    _a("factor-01", "3x^3 - 6x^2", "3x^2 - 4x", "constant-factor"),
    # the chain rule without the inner derivative (named; the lessons' policy gives no credit)
    _d("chain-00", "cos(x^2)", "sin(x^2)", "missing-inner-derivative", "fail"),
    _d("chain-01", "2sin(x)", "sin(x)^2", "missing-inner-derivative", "fail"),
    _d("chain-02", "cos(3x)", "sin(3x)", "missing-inner-derivative", "fail"),
    _d("chain-03", "1/(1+x^2)", "log(1+x^2)", "missing-inner-derivative", "fail"),
    _d("chain-04", "10(x^2+1)^9", "(x^2+1)^10", "missing-inner-derivative", "fail"),
    _d("chain-05", "-(1+e^-x)^-2", "1/(1+e^-x)", "missing-inner-derivative", "fail"),
    # the same families as functions (sampled), lesson 1's df_rule and lesson 5's dsigmoid
    _p("rule-term-sign", lambda x: 3 * x**2 + 4 * x, "lesson01.rule", "term-sign-error"),
    _p("rule-second", lambda x: 6 * x - 4, "lesson01.rule", "second-derivative", "fail"),
    _p("rule-sign", lambda x: 4 * x - 3 * x**2, "lesson01.rule", "sign-error"),
    _p(
        "rule-integrated",
        lambda x: x**4 / 4 - 2 * x**3 / 3 + x,
        "lesson01.rule",
        "integrated-instead",
    ),
    _p("rule-kept-constant", lambda x: 3 * x**2 - 4 * x + 1, "lesson01.rule", "additive-constant"),
    _p("rule-factor", lambda x: 6 * x**2 - 8 * x, "lesson01.rule", "constant-factor"),
    _p(
        "rule-original", lambda x: x**3 - 2 * x**2 + 1, "lesson01.rule", "returned-original", "fail"
    ),
    _p("formula-term-sign", "3*x**2 + 4*x", "lesson01.formula", "term-sign-error"),
    _p("formula-second", "6*x - 4", "lesson01.formula", "second-derivative", "fail"),
    _p("formula-integrated", X**4 / 4 - 2 * X**3 / 3 + X, "lesson01.formula", "integrated-instead"),
    _p("anti-term-sign", X**3 + 2 * X**2, "lesson02.antiderivative", "term-sign-error"),
    _p("anti-differentiated", "6*x - 4", "lesson02.antiderivative", "differentiated-instead"),
    _p("anti-factor", "x**3/3 - 2*x**2/3", "lesson02.antiderivative", "constant-factor"),
    _p("dsigmoid-2s", lambda z: 2 * sig(z) * (1 - sig(z)), "lesson05.dsigmoid", "sigmoid-slope-2"),
    _p("dsigmoid-sign", lambda z: sig(z) * (sig(z) - 1), "lesson05.dsigmoid", "sign-error"),
    _p("dsigmoid-original", sig, "lesson05.dsigmoid", "returned-original", "fail"),
    _p(
        "dsigmoid-softplus",
        lambda z: np.log1p(np.exp(z)),
        "lesson05.dsigmoid",
        "integrated-instead",
    ),
    _p("log-second", "-1/x**2", "lesson06.log_derivative", "second-derivative", "fail"),
    _p("log-10", "1/(x*log(10))", "lesson06.log_derivative", "log10-instead"),
    _p("log-sign", "-1/x", "lesson06.log_derivative", "sign-error"),
    _p("log-integrated", "x*log(x) - x", "lesson06.log_derivative", "integrated-instead"),
    _p("cubic-f2-sign", [4.0, -4.0], "lesson06.cubic_f2", "sign-error"),
    _p("shift-sign", -1200.0, "lesson02.shift", "sign-error"),
    _p("running-no-width", np.cumsum(_f2(GRID)), "lesson02.running", "constant-factor"),
    _p("running-areas", _f2(GRID) * 0.1, "lesson02.running", "areas-not-summed"),
]

# Right answers written other ways: never a mistake.
CASES += [
    Case("mc-ok-deriv-00", check_derivative, "x(3x - 4)", CUBIC, "pass"),
    Case("mc-ok-deriv-01", check_derivative, "-4x + 3x^2 + 0", CUBIC, "pass"),
    Case("mc-ok-deriv-02", check_derivative, "(3x-4)*x", CUBIC, "pass"),
    Case("mc-ok-deriv-03", check_derivative, "cos(x) - sin(x)", "sin(x) + cos(x)", "pass"),
    Case("mc-ok-deriv-04", check_derivative, "2x cos(x^2)", "sin(x^2)", "pass"),
    Case("mc-ok-deriv-05", check_derivative, "sin(2x)", "sin(x)^2", "pass"),
    Case("mc-ok-deriv-06", check_derivative, "2x/(1+x^2)", "log(1+x^2)", "pass"),
    Case("mc-ok-deriv-07", check_derivative, "20x(x^2+1)^9", "(x^2+1)^10", "pass"),
    Case("mc-ok-deriv-08", check_derivative, "e^-x/(1+e^-x)^2", "1/(1+e^-x)", "pass"),
    Case("mc-ok-anti-00", check_antiderivative, "x^2(x - 2)", "3x^2 - 4x", "pass"),
    Case("mc-ok-anti-01", check_antiderivative, "x^3 - 2x^2 - 7", "3x^2 - 4x", "pass"),
    Case("mc-ok-anti-02", check_antiderivative, "sin(x) - cos(x) + C", "cos(x) + sin(x)", "pass"),
    Case(
        "mc-ok-anti-03",
        check_antiderivative,
        "x^3 - 2x^2 + 1",
        "3x^2 - 4x",
        "pass",
        {"value_at": (0, 1)},
    ),  # fmt: skip
    Case(
        "mc-ok-function-00",
        check_function,
        lambda x: x * (3 * x - 4),
        lambda x: 3 * x**2 - 4 * x,
        "pass",
        {"related": {"terms": [lambda x: 3 * x**2, lambda x: -4 * x]}},
    ),
    Case("mc-ok-part-00", part_check, lambda x: (3 * x - 4) * x, "lesson01.rule", "pass"),
    Case("mc-ok-part-01", part_check, "x*(3*x - 4)", "lesson01.formula", "pass"),
    Case("mc-ok-part-02", part_check, sp.Rational(1, 1) / X, "lesson06.log_derivative", "pass"),
    Case("mc-ok-part-03", part_check, lambda z: sig(z) * sig(-z), "lesson05.dsigmoid", "pass"),
    Case(
        "mc-ok-part-04",
        part_check,
        lambda z: 1 / (4 * np.cosh(z / 2) ** 2),
        "lesson05.dsigmoid",
        "pass",
    ),
]
