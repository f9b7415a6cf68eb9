"""Rows for :func:`check_expression` and :func:`check_derivative`."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from reference.checks.symbolic import check_derivative, check_expression

from . import Case

X = sp.Symbol("x")
POS = {"domain": (0.1, 5)}
SIG = "1/(1+exp(-x))"
DSIG = "exp(-x)/(1+exp(-x))**2"


def _rows(prefix: str, check, expected, rows, options=None) -> list[Case]:
    """Build cases from (student, want[, note[, says]]) tuples."""
    out = []
    for i, row in enumerate(rows):
        student, want, *rest = row
        note = rest[0] if rest else None
        says = rest[1] if len(rest) > 1 else None
        out.append(
            Case(
                f"{prefix}-{i:02d}", check, student, expected, want, dict(options or {}), note, says
            )
        )
    return out


CASES: list[Case] = []

# The sigmoid's derivative: simplify cannot prove most of these, sampling can.
CASES += _rows(
    "sym-dsigmoid",
    check_expression,
    DSIG,
    [
        ("1/(1+e^-x)*(1-1/(1+e^-x))", "pass", "correct"),
        ("e^-x/(1+e^-x)^2", "pass"),
        ("1/(4cosh(x/2)^2)", "pass"),
        ("1/(2+2cosh(x))", "pass"),
        ("1/(1+e^-x) * 1/(1+e^x)", "pass"),
        ("e^x/(1+e^x)^2", "pass"),
        ("1/(e^x + 2 + e^-x)", "pass"),
        ("(1 - tanh(x/2)^2)/4", "pass"),
        ("sech(x/2)^2/4", "pass"),
        ("1/(1+e^-x) - 1/(1+e^-x)^2", "pass"),
        ("exp(-x)*(1+exp(-x))^-2", "pass"),
        (sp.exp(-X) / (1 + sp.exp(-X)) ** 2, "pass"),
        (1 / (4 * sp.cosh(X / 2) ** 2), "pass"),
        ("2/(1+e^-x)*(1-1/(1+e^-x))", "partial", "constant-factor"),
        ("-e^-x/(1+e^-x)^2", "partial", "sign-error"),
        ("e^-x/(1+e^-x)^2 + 0.001", "partial", "additive-constant"),
        ("e^-x/(1+e^-x)", "fail"),
        ("1/(1+e^-x)*(1+1/(1+e^-x))", "fail"),
        ("1/(4cosh(x)^2)", "fail"),
        ("1/(2+cosh(x))", "fail"),
        ("e^-x/(1+e^-x)^2*(1+1e-3)", "partial", "constant-factor"),
    ],
)
CASES += _rows(
    "sym-dsigmoid-d",
    check_derivative,
    SIG,
    [
        ("1/(1+e^-x)*(1-1/(1+e^-x))", "pass"),
        ("1/(4cosh(x/2)^2)", "pass"),
        ("1/(2+2cosh(x))", "pass"),
        ("1/(1+e^-x)", "fail", "returned-original"),
        ("log(1+e^x)", "partial", "integrated-instead"),
        ("2/(1+e^-x)*(1-1/(1+e^-x))", "partial", "constant-factor"),
    ],
)

# 1/x and its many spellings; log domains.
CASES += _rows(
    "sym-recip-pos",
    check_expression,
    "1/x",
    [
        ("x^-1", "pass"),
        ("exp(-log(x))", "pass"),
        ("exp(-ln(x))", "pass"),
        ("x^(-1.0)", "pass"),
        ("1/x^2", "fail"),
        ("-1/x", "partial", "sign-error"),
        ("2/x", "partial", "constant-factor"),
        ("log(x)", "fail"),
    ],
    POS,
)
CASES += _rows(
    "sym-recip",
    check_expression,
    "1/x",
    [
        ("x^-1", "pass"),
        ("exp(-log(x))", "pass"),  # = 1/x for every x != 0, log complex
        ("1/abs(x)", "fail"),
    ],
)
CASES += _rows(
    "sym-logsq-pos",
    check_expression,
    "log(x^2)",
    [
        ("2log(x)", "pass"),
        ("log(x)+log(x)", "pass"),
        ("2ln(x)", "pass"),
        ("log(x)^2", "fail"),
        ("log(2x)", "fail"),
    ],
    POS,
)
CASES += _rows(
    "sym-logsq",
    check_expression,
    "log(x^2)",
    [
        ("2log(x)", "message", "undefined-value", "undefined"),
        ("2log(abs(x))", "pass"),
        ("log(x*x)", "pass"),
    ],
)
CASES += _rows(
    "sym-dlog",
    check_derivative,
    "log(x)",
    [
        ("1/x", "pass"),
        ("x^-1", "pass"),
        ("log(x)", "fail", "returned-original"),
        ("1/x^2", "fail"),
        ("-1/x", "partial", "sign-error"),
        ("x log(x) - x", "partial", "integrated-instead"),
    ],
    POS,
)
CASES += _rows("sym-dlogabs", check_derivative, "log(abs(x))", [("1/x", "pass")])

# Trig identities.
TRIG = [
    ("sin(2x)", "2sin(x)cos(x)", "pass"),
    ("sin(2x)", "2cos(x)sin(x)", "pass"),
    ("cos(2x)", "cos(x)^2 - sin(x)^2", "pass"),
    ("cos(2x)", "1 - 2sin(x)^2", "pass"),
    ("cos(2x)", "2cos(x)^2 - 1", "pass"),
    ("1", "sin(x)^2 + cos(x)^2", "pass"),
    ("tan(x)", "sin(x)/cos(x)", "pass"),
    ("sec(x)^2", "1 + tan(x)^2", "pass"),
    ("sec(x)^2", "1/cos(x)^2", "pass"),
    ("sin(x + pi/2)", "cos(x)", "pass"),
    ("cos(x - pi/2)", "sin(x)", "pass"),
    ("sin(x)^2", "(1 - cos(2x))/2", "pass"),
    ("sin(2x)", "2sin(x)", "fail"),
    ("cos(2x)", "cos(x)^2 + sin(x)^2", "fail"),
    ("sin(x)^2", "sin(x^2)", "fail"),
    ("tan(x)", "cos(x)/sin(x)", "fail"),
    ("sin(x)^2", "(1 - cos(x))/2", "fail"),
    ("cos(2x)", "-cos(2x)", "partial"),
]
for i, (exp_, stu, want) in enumerate(TRIG):
    CASES.append(Case(f"sym-trig-{i:02d}", check_expression, stu, exp_, want))
CASES += _rows(
    "sym-dtrig",
    check_derivative,
    "sin(x)",
    [
        ("cos(x)", "pass"),
        ("cos(x) + 0*x", "pass"),
        ("sin(x + pi/2)", "pass"),
        ("-cos(x)", "partial"),  # sign error, or the integral of sin
        ("sin(x)", "fail", "returned-original"),
        ("2cos(x)", "partial", "constant-factor"),
    ],
)
CASES += _rows(
    "sym-dcos",
    check_derivative,
    "cos(x)",
    [("-sin(x)", "pass"), ("sin(x)", "partial"), ("-sin(x) + 1", "partial", "additive-constant")],
)
CASES += _rows(
    "sym-dsin2",
    check_derivative,
    "sin(x)^2",
    [("2sin(x)cos(x)", "pass"), ("sin(2x)", "pass"), ("2sin(x)", "fail"), ("cos(x)^2", "fail")],
)
CASES += _rows(
    "sym-dtan", check_derivative, "tan(x)", [("sec(x)^2", "pass"), ("1/cos(x)^2", "pass")]
)

# 3x^2 - 4x and the function it is the derivative of.
CASES += _rows(
    "sym-poly",
    check_expression,
    "3x^2 - 4x",
    [
        ("3x^2-4x", "pass", "correct"),
        ("x(3x-4)", "pass"),
        ("3*x**2 - 4*x", "pass"),
        ("-4x+3x^2", "pass"),
        ("3x*x - 4x", "pass"),
        ("(3x-4)x", "pass"),
        ("3(x^2) - 2*2x", "pass"),
        ("x^2*3 - x*4", "pass"),
        ("(x-2)^2 + 2x^2 - 4", "pass"),
        ("0.5*(6x^2-8x)", "pass"),
        ("3\u00b7x\u00b2 \u2212 4x", "pass"),
        (3 * X**2 - 4 * X, "pass"),
        (sp.Symbol("x", positive=True) * (3 * sp.Symbol("x", positive=True) - 4), "pass"),
        ("3x^2+4x", "fail"),
        ("3x^2-4", "fail"),
        ("6x-4", "fail"),
        ("3x^2-4x+x*1e-6", "fail"),
        ("3x^2-4x+1", "partial", "additive-constant"),
        ("-3x^2+4x", "partial", "sign-error"),
        ("6x^2-8x", "partial", "constant-factor"),
        ("3x^2 - 4x + C", "message", "unknown-variable", "'C'"),
    ],
)
CASES += _rows(
    "sym-dpoly",
    check_derivative,
    "x^3 - 2x^2 + 1",
    [
        ("3x^2-4x", "pass"),
        ("x(3x-4)", "pass"),
        ("3x^2 - 4x + 0", "pass"),
        ("x*(3*x - 4)", "pass"),
        ("3x^2-4x+1", "partial", "additive-constant"),
        ("x^4/4 - 2x^3/3 + x", "partial", "integrated-instead"),
        ("x^3-2x^2+1", "fail", "returned-original"),
        ("-3x^2+4x", "partial", "sign-error"),
        ("6x^2-8x", "partial", "constant-factor"),
        ("3x^2-4x+x*1e-6", "fail"),
        ("3x^2-2x", "fail"),
        ("6x-4", "fail"),
        ("3x^2-4y", "message", "unknown-variable", "'y'"),
    ],
)
CASES += _rows(
    "sym-cubic",
    check_expression,
    "x^3 - 2x^2 + 1",
    [
        ("x^2(x-2)+1", "pass"),
        ("(x-1)(x^2-x-1)", "pass"),
        ("1 + x^3 - 2x^2", "pass"),
        ("x^3-2x^2", "partial", "additive-constant"),
        ("x^3-2x^2+1+x*1e-6", "fail"),
        ("(x-1)(x^2+x-1)", "fail"),
    ],
)

# Exponentials, chain/product/quotient rule.
DERIV = [
    ("e^x", "e^x", "pass", None),
    ("e^x", "exp(x)", "pass", None),
    ("e^(2x)", "2e^(2x)", "pass", None),
    ("e^(2x)", "e^(2x)", "fail", "returned-original"),
    ("e^(2x)", "e^(2x)/2", "partial", "integrated-instead"),
    ("e^-x", "-e^-x", "pass", None),
    ("x e^x", "x e^x + e^x", "pass", None),
    ("x e^x", "(x+1)e^x", "pass", None),
    ("x e^x", "e^x", "fail", None),
    ("log(1+e^x)", "e^x/(1+e^x)", "pass", None),
    ("log(1+e^x)", "1/(1+e^-x)", "pass", None),
    ("tanh(x)", "1-tanh(x)^2", "pass", None),
    ("tanh(x)", "sech(x)^2", "pass", None),
    ("tanh(x)", "1/cosh(x)^2", "pass", None),
    ("e^(x^2)", "2x e^(x^2)", "pass", None),
    ("e^(x^2)", "e^(x^2)", "fail", "returned-original"),
    ("sin(x^2)", "2x cos(x^2)", "pass", None),
    ("sin(x^2)", "cos(x^2)", "fail", None),
    ("1/(1+x^2)", "-2x/(1+x^2)^2", "pass", None),
    ("1/(1+x^2)", "2x/(1+x^2)^2", "partial", "sign-error"),
    ("sqrt(x^2+1)", "x/sqrt(x^2+1)", "pass", None),
    ("atan(x)", "1/(1+x^2)", "pass", None),
    ("arctan(x)", "1/(1+x^2)", "pass", None),
    ("atan(x)", "atan(x)", "fail", "returned-original"),
    ("x^2 y", "2xy", "pass", None),  # y is a parameter of the function
    ("abs(x)", "sign(x)", "pass", None),
    ("abs(x)", "x/abs(x)", "pass", None),
    ("abs(x)", "1", "fail", None),
    ("x^x", "x^x (log(x) + 1)", "pass", None),
]
for i, (fn, stu, want, note) in enumerate(DERIV):
    opts = {"domain": (0.1, 3)} if "x^x" in fn else {}
    CASES.append(Case(f"sym-deriv-{i:02d}", check_derivative, stu, fn, want, opts, note))
CASES += _rows(
    "sym-dsqrt",
    check_derivative,
    "sqrt(x)",
    [
        ("1/(2sqrt(x))", "pass"),
        ("0.5x^-0.5", "pass"),
        ("x^(-1/2)/2", "pass"),
        ("1/sqrt(x)", "partial", "constant-factor"),
    ],
    POS,
)

# Several variables, parameters, declared names.
CASES += [
    Case("sym-multi-00", check_expression, "2xy", "2*x*y", "pass", {"variables": ("x", "y")}),
    Case("sym-multi-01", check_expression, "xy*2", "2*x*y", "pass", {"variables": ("x", "y")}),
    Case("sym-multi-02", check_expression, "2x+y", "2*x*y", "fail", {"variables": ("x", "y")}),
    Case(
        "sym-multi-03",
        check_derivative,
        "x^2",
        "x^2*y",
        "pass",
        {"var": "y", "variables": ("x", "y")},
    ),
    Case(
        "sym-multi-04",
        check_derivative,
        "2xy",
        "x^2*y",
        "pass",
        {"var": "x", "variables": ("x", "y")},
    ),
    Case("sym-multi-05", check_expression, "e*x", "e*x", "pass", {"variables": ("x", "e")}),
    Case("sym-multi-06", check_expression, "E*x", "e*x", "fail", {"variables": ("x", "e")}),
    Case("sym-multi-07", check_expression, "a x^2", "a*x**2", "pass", {"variables": ("x", "a")}),
    Case("sym-multi-08", check_expression, "a x^2", "a*x**2", "pass"),
    Case("sym-multi-09", check_expression, "b x^2", "a*x**2", "message", {}, "unknown-variable"),
    Case("sym-multi-10", check_derivative, "2t", "t^2", "pass", {"var": "t"}),
    Case(
        "sym-multi-11", check_derivative, "2x", "t^2", "message", {"var": "t"}, "unknown-variable"
    ),
]

# Constants, numbers, tolerances.
CASES += [
    Case("sym-const-00", check_expression, "pi", "pi", "pass"),
    Case("sym-const-01", check_expression, "3.14159", "pi", "fail"),
    Case("sym-const-02", check_expression, "3.14159", "pi", "pass", {"rtol": 1e-3}),
    Case("sym-const-03", check_expression, "2", "3", "fail", {}, "wrong"),
    Case("sym-const-04", check_expression, "-3", "3", "partial", {}, "sign-error"),
    Case("sym-const-05", check_expression, "1/3", 1 / 3, "pass"),
    Case("sym-const-06", check_expression, 0.5, "1/2", "pass"),
    Case("sym-const-07", check_expression, 3, "3", "pass"),
    Case("sym-const-08", check_expression, np.float64(2.0), "2", "pass"),
    Case("sym-const-09", check_expression, Fraction(1, 3), "1/3", "pass"),
    Case("sym-const-10", check_expression, 0, "sin(x)^2 + cos(x)^2 - 1", "pass"),
    Case("sym-const-11", check_expression, "1e-6", "0", "fail"),
    Case("sym-const-12", check_expression, "0.333x", "x/3", "partial", {}, "constant-factor"),
    Case("sym-const-13", check_expression, "0.333x", "x/3", "pass", {"rtol": 1e-2}),
    Case("sym-const-14", check_expression, "e", "exp(1)", "pass"),
    Case("sym-const-15", check_expression, "sqrt(2)/2", "1/sqrt(2)", "pass"),
    Case("sym-const-16", check_expression, "0.5", "1/3", "fail"),
]

# Domains, removable singularities, absolute values.
CASES += [
    Case("sym-domain-00", check_expression, "sqrt(x)*sqrt(x)", "x", "pass", POS),
    Case("sym-domain-01", check_expression, "sqrt(x)*sqrt(x)", "x", "pass"),  # SymPy: = x
    Case("sym-domain-02", check_expression, "(x^2-1)/(x-1)", "x+1", "pass"),
    Case("sym-domain-03", check_expression, "e^(ln(x))", "x", "pass", POS),
    Case("sym-domain-04", check_expression, "e^(ln(x))", "x", "pass"),  # x for x != 0
    Case("sym-domain-14", check_expression, "sqrt(x)^3", "x^(3/2)", "pass"),
    Case("sym-domain-15", check_expression, "sqrt(x^3)", "x^(3/2)", "pass", POS),
    Case("sym-domain-16", check_expression, "x*sqrt(x)", "sqrt(x^3)", "pass"),  # real for x >= 0
    Case(
        "sym-domain-17", check_expression, "log(x)", "log(abs(x))", "message", {}, "undefined-value"
    ),
    Case("sym-domain-05", check_expression, "ln(e^x)", "x", "pass"),
    Case("sym-domain-06", check_expression, "sqrt(x^2)", "abs(x)", "pass"),
    Case("sym-domain-07", check_expression, "x", "abs(x)", "fail"),
    Case("sym-domain-08", check_expression, "x", "abs(x)", "pass", POS),
    Case("sym-domain-09", check_expression, "log(abs(x))", "log(x)", "pass"),
    Case("sym-domain-10", check_expression, "x^2/x", "x", "pass"),
    Case(
        "sym-domain-11", check_expression, "sqrt(x)", "sqrt(x)", "pass", {"domain": {"x": (0, 4)}}
    ),
    Case("sym-domain-12", check_expression, "asin(x)", "pi/2 - acos(x)", "pass"),
    Case("sym-domain-13", check_expression, "acos(x)", "pi/2 - acos(x)", "fail"),
]

# Inputs that must be refused with an explanation, never a crash.
BAD = [
    ("", "empty"),
    ("   ", "empty"),
    ("x +", "incomplete"),
    ("import os", "formula"),
    ("y", "'y'"),
    ([1, 2], "list"),
    ({"x": 1}, "dictionary"),
    ("x==1", "equation"),
    ("sin x", "parentheses"),
    ("__import__('os').system('echo hi')", "character"),
    ("x.__class__", "attribute"),
    ("().__class__", "attribute"),
    ("lambda: 1", "character"),
    ("[x for x in ()]", "parentheses only"),
    ("9**9**9**9", "too large"),
    ("10^10^10", "too large"),
    ("x^1001", "too large"),
    ("1/0", "undefined"),
    ("(x+1", "unbalanced"),
    ("x+1)", "unbalanced"),
    ("foo(x)", "unknown function"),
    (sp.Eq(X, 1), "equation"),
    (sp.Matrix([X]), "matrix"),
    (sp.Integral(X, X), "unevaluated"),
    (sp.Function("f")(X), "unknown function"),
    (True, "true/false"),
    (1 + 2j, "complex"),
    ("x" * 3000, "too long"),
    ("(" * 60 + "x" + ")" * 60, "nested"),
    ("|x|", "abs("),
    ("x!", "factorial"),
    ("sinx", "sin(x)"),
    ("sin^-1(x)", "asin"),
    ("log(x, 2, 3)", "argument"),
    ("2**", "incomplete"),
    ("x; x", "character"),
    (np.array([1.0, 2.0]), "array"),
]
for i, (student, says) in enumerate(BAD):
    CASES.append(
        Case(f"sym-bad-{i:02d}", check_expression, student, "x^2", "message", {}, None, says)
    )
CASES += [
    Case("sym-bad-none", check_expression, None, "x^2", "message", {}, "missing"),
    Case("sym-bad-ellipsis", check_derivative, ..., "x^2", "message", {}, "missing"),
    Case("sym-bad-parse-note", check_expression, "x +", "x", "message", {}, "parse-error"),
    Case("sym-bad-deriv", check_derivative, "2x +", "x^2", "message", {}, "parse-error"),
    Case("sym-reveal", check_expression, "x", "x^2", "fail", {"reveal": True}, None, "x**2"),
    Case("sym-name", check_expression, "x", "x^2", "fail", {"name": "Q3"}, None, "Q3:"),
]

# A SymPy Symbol is also a logic Boolean: a bare symbol is a formula, an equation is not.
CASES += [
    Case("sym-bare-symbol", check_expression, X, "x", "pass"),
    Case("sym-bare-symbol-deriv", check_derivative, X, "x^2/2", "pass"),
    Case("sym-bare-symbol-wrong", check_derivative, X, "x^3", "fail"),
    Case(
        "sym-equation-object",
        check_expression,
        sp.Eq(X, 1),
        "x",
        "message",
        {},
        "parse-error",
        "equation",
    ),
    Case("sym-true-object", check_expression, sp.true, "x", "message", {}, "parse-error"),
]
