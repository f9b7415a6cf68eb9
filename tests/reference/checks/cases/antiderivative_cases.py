"""Rows for :func:`check_antiderivative`: constants, log domains, confusions."""

from __future__ import annotations

import sympy as sp

from reference.checks.symbolic import check_antiderivative

from . import Case

POS = {"domain": (0.1, 5)}

ROWS = [
    # integrand x^2
    ("x^2", "x^3/3", "pass", {}, "correct"),
    ("x^2", "x^3/3 + C", "pass", {}, None),
    ("x^2", "x^3/3 + 7", "pass", {}, None),
    ("x^2", "(x^3+1)/3", "pass", {}, None),
    ("x^2", "x^3/3 + K", "pass", {}, None),
    ("x^2", "x^3/3 - C", "pass", {}, None),
    ("x^2", "1/3 x^3", "pass", {}, None),
    ("x^2", "x*x*x/3", "pass", {}, None),
    ("x^2", "x^3/3 + C^2", "pass", {}, None),
    ("x^2", "2x", "partial", {}, "differentiated-instead"),
    ("x^2", "x^2", "fail", {}, "returned-original"),
    ("x^2", "x^3", "partial", {}, "constant-factor"),
    ("x^2", "x^3/2", "partial", {}, "constant-factor"),
    ("x^2", "-x^3/3", "partial", {}, "sign-error"),
    ("x^2", "x^3/3 + C x", "fail", {}, None),
    ("x^2", "x^3/3 + x", "fail", {}, None),
    ("x^2", "x^3/3 + D", "message", {}, "unknown-variable"),
    ("x^2", "", "message", {}, "parse-error"),
    ("x^2", "x^3/3 +", "message", {}, "parse-error"),
    ("x^2", None, "message", {}, "missing"),
    ("x^2", ["x^3/3"], "message", {}, "parse-error"),
    # constant="required"
    ("x^2", "x^3/3", "partial", {"constant": "required"}, "missing-constant"),
    ("x^2", "x^3/3 + 5", "partial", {"constant": "required"}, "missing-constant"),
    ("x^2", "x^3/3 + C", "pass", {"constant": "required"}, None),
    ("x^2", "C + x^3/3", "pass", {"constant": "required"}, None),
    ("x^2", "x^3/3 + c", "pass", {"constant": "required"}, None),
    ("x^2", "2x + C", "partial", {"constant": "required"}, "differentiated-instead"),
    # value_at: a particular antiderivative
    ("x^2", "x^3/3 + 1", "pass", {"value_at": (0, 1)}, None),
    ("x^2", "x^3/3", "partial", {"value_at": (0, 1)}, "wrong-constant"),
    ("x^2", "x^3/3 + C", "partial", {"value_at": (0, 1)}, "wrong-constant"),
    ("x^2", "x^3/3 + 1", "pass", {"value_at": (3, 10)}, None),
    ("x^2", "x^3/3 + 1", "partial", {"value_at": (3, 9)}, "wrong-constant"),
    ("cos(x)", "sin(x) + 2", "pass", {"value_at": ("pi/2", 3)}, None),
    # 1/x: log domains and absolute values
    ("1/x", "log(abs(x))", "pass", {}, None),
    ("1/x", "ln(abs(x)) + C", "pass", {}, None),
    ("1/x", "log(abs(2x))", "pass", {}, None),
    ("1/x", "log(x^2)/2", "pass", {}, None),
    ("1/x", "log(x)", "message", {}, "undefined-value"),
    ("1/x", "log(x)", "pass", POS, None),
    ("1/x", "log(2x)", "pass", POS, None),
    ("1/x", "-1/x^2", "partial", {}, "differentiated-instead"),
    ("1/x", "1/x", "fail", {}, "returned-original"),
    ("1/x", "|x|", "message", {}, "parse-error"),
    ("1/x", "log(abs(x))^2", "fail", {}, None),
    # exponentials
    ("e^x", "e^x", "pass", {}, None),
    ("e^x", "e^x + C", "pass", {}, None),
    ("e^x", "exp(x) - 1", "pass", {}, None),
    ("e^x", "e^(x+1)", "partial", {}, "constant-factor"),
    ("e^(2x)", "e^(2x)/2", "pass", {}, None),
    ("e^(2x)", "e^(2x)", "fail", {}, "returned-original"),
    ("e^(2x)", "2e^(2x)", "partial", {}, "differentiated-instead"),
    ("e^-x", "-e^-x", "pass", {}, None),
    ("e^-x", "e^-x", "fail", {}, "returned-original"),
    ("x e^x", "(x-1)e^x", "pass", {}, None),
    ("x e^x", "x e^x - e^x + C", "pass", {}, None),
    ("x e^x", "x^2/2 e^x", "fail", {}, None),
    # trig
    ("cos(x)", "sin(x)", "pass", {}, None),
    ("cos(x)", "sin(x) + C", "pass", {}, None),
    ("cos(x)", "-sin(x)", "partial", {}, "differentiated-instead"),
    ("sin(x)", "-cos(x)", "pass", {}, None),
    ("sin(x)", "1 - cos(x)", "pass", {}, None),
    ("sin(x)", "cos(x)", "partial", {}, "differentiated-instead"),
    ("sin(x)", "cos(x) + C", "partial", {}, "differentiated-instead"),
    ("2x cos(x^2)", "sin(x^2)", "pass", {}, None),
    ("2x cos(x^2)", "sin(x^2)*2x", "fail", {}, None),
    ("sec(x)^2", "tan(x)", "pass", {}, None),
    ("sin(2x)", "sin(x)^2", "pass", {}, None),
    ("sin(2x)", "-cos(x)^2", "pass", {}, None),
    ("sin(2x)", "-cos(2x)/2", "pass", {}, None),
    ("sin(2x)", "-cos(2x)", "partial", {}, "constant-factor"),
    # inverse trig, hyperbolic
    ("1/(1+x^2)", "atan(x)", "pass", {}, None),
    ("1/(1+x^2)", "arctan(x) + pi", "pass", {}, None),
    ("1/(1+x^2)", "-acot(x)", "pass", {}, None),
    ("1/sqrt(1-x^2)", "asin(x)", "pass", {}, None),
    ("1/sqrt(1-x^2)", "-acos(x)", "pass", {}, None),
    ("1/sqrt(1-x^2)", "acos(x)", "partial", {}, "sign-error"),
    ("tanh(x)", "log(cosh(x))", "pass", {}, None),
    ("cosh(x)", "sinh(x)", "pass", {}, None),
    # the sigmoid and softplus
    ("1/(1+e^-x)", "log(1+e^x)", "pass", {}, None),
    ("1/(1+e^-x)", "x + log(1+e^-x)", "pass", {}, None),
    ("1/(1+e^-x)", "log(1+e^x) + C", "pass", {}, None),
    ("1/(1+e^-x)", "e^-x/(1+e^-x)^2", "partial", {}, "differentiated-instead"),
    ("1/(1+e^-x)", "1/(1+e^-x)", "fail", {}, "returned-original"),
    ("1/(1+e^-x)", "log(1+e^-x)", "fail", {}, None),
    # log(x) on x > 0
    ("log(x)", "x log(x) - x", "pass", POS, None),
    ("log(x)", "x(log(x)-1)", "pass", POS, None),
    ("log(x)", "x log(x) - x + C", "pass", POS, None),
    ("log(x)", "1/x", "partial", POS, "differentiated-instead"),
    ("log(x)", "x log(x)", "fail", POS, None),
    ("log(x)", "xlog(x)", "message", POS, "parse-error"),
    # constants and parameters
    ("3", "3x", "pass", {}, None),
    ("3", "3x + C", "pass", {}, None),
    ("3", "3", "fail", {}, "returned-original"),
    ("3", "3x^2/2", "fail", {}, None),
    ("a*x", "a x^2/2", "pass", {"variables": ("x", "a")}, None),
    ("a*x", "a x^2", "partial", {"variables": ("x", "a")}, "constant-factor"),
    ("2t", "t^2", "pass", {"var": "t"}, None),
    ("2t", "t^2 + C", "pass", {"var": "t"}, None),
    ("2t", "x^2", "message", {"var": "t"}, "unknown-variable"),
    ("3x^2 - 4x", "x^3 - 2x^2 + 1", "pass", {}, None),
    ("3x^2 - 4x", "x^2(x-2)", "pass", {}, None),
    ("3x^2 - 4x", "6x - 4", "partial", {}, "differentiated-instead"),
]

CASES: list[Case] = [
    Case(f"anti-{i:03d}", check_antiderivative, student, integrand, want, opts, note)
    for i, (integrand, student, want, opts, note) in enumerate(ROWS)
]
CASES += [
    Case(
        "anti-reveal",
        check_antiderivative,
        "x^2",
        "x^2",
        "fail",
        {"reveal": True},
        None,
        "antiderivative of x**2",
    ),
    Case("anti-name", check_antiderivative, "x^2", "x^2", "fail", {"name": "Q7"}, None, "Q7:"),
]

# The antiderivative of a constant can be a bare symbol (regression: it was refused).
CASES += [
    Case("anti-bare-symbol", check_antiderivative, sp.Symbol("x"), "1", "pass"),
    Case("anti-bare-symbol-plus-c", check_antiderivative, "x + C", 1, "pass"),
]
