"""Checks of derivatives and antiderivatives given as formulas.

They build on :mod:`.symbolic` (parsing, sampling, the shared comparison) and
add what a calculus question knows beyond its answer: the function itself, its
antiderivative and second derivative, the terms of the answer and the answer
without the chain rule's inner factor. With these the detectors of
:mod:`.misconceptions` name a confusion instead of saying "does not match".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from . import misconceptions as mc
from .result import CheckResult
from .safety import TimeLimitExceeded, answer_check, is_missing, run_in_child
from .symbolic import (
    CONSTANT_NAMES,
    CREDIT,
    DIAGNOSE_TOL,
    EXPRESSION_OPTIONS,
    MISSING_CONSTANT,
    UNDEFINED,
    UNVERIFIED,
    WRONG_CONSTANT,
    _compare,
    _diagnose,
    _mp_value,
    _read_student,
    _read_trusted,
    _related_from_options,
    _Sample,
    _sample,
    _Setup,
    _show,
    _symbolic_zero,
    _values,
)
from .tolerance import reject_unknown

__all__ = ["check_antiderivative", "check_derivative", "terms_of", "without_inner"]

#: Options of the checks here: those of :func:`.symbolic.check_expression` and ``var``.
_OPTIONS = EXPRESSION_OPTIONS | {"var"}


def _known_options(options: dict, extra: tuple[str, ...] = (), check: str = "check") -> None:
    reject_unknown(check, options, _OPTIONS | set(extra))


def terms_of(expr: sp.Expr) -> list[sp.Expr]:
    """The terms of a sum (expanded when that gives a few more); [] for one term.

    >>> x = sp.Symbol("x")
    >>> sorted(map(str, terms_of(3 * x**2 - 4 * x)))
    ['-4*x', '3*x**2']
    >>> sorted(map(str, terms_of(x * (3 * x - 4))))
    ['-4*x', '3*x**2']
    >>> terms_of(sp.sin(x))
    []
    """
    terms = list(sp.Add.make_args(expr))
    if len(terms) < 2 and sp.count_ops(expr) <= 40:
        terms = list(sp.Add.make_args(sp.expand(expr)))
    return terms if 2 <= len(terms) <= mc.MAX_TERMS else []


def without_inner(fn: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """d fn / dx with every outer chain rule left without its inner factor, or None.

    Each term ``c * g(h(x))`` (or ``c * h(x)**n``) whose inner ``h`` is not ``x``
    itself becomes ``c * g'(h)``; other terms keep their derivative.

    >>> x = sp.Symbol("x")
    >>> without_inner(sp.sin(x**2), x)
    cos(x**2)
    >>> without_inner(x**3 - 2 * x, x) is None
    True
    """
    changed = False
    out = []
    for term in sp.Add.make_args(fn):
        coeff, rest = term.as_independent(x, as_Add=False)
        inner = None
        if isinstance(rest, sp.Pow) and rest.exp.is_number and not rest.base.is_Symbol:
            inner = rest.base
        elif isinstance(rest, sp.Function) and len(rest.args) == 1 and not rest.args[0].is_Symbol:
            inner = rest.args[0]
        d_inner = sp.diff(inner, x) if inner is not None else 0
        if inner is None or not inner.has(x) or d_inner == 0:
            out.append(sp.diff(term, x))
            continue
        changed = True
        out.append(coeff * sp.diff(rest, x) / d_inner)
    return sp.Add(*out) if changed else None


def _integrate(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    return sp.integrate(expr, var)


@answer_check
def check_derivative(student: Any, function: Any, **options: Any) -> CheckResult:
    """Is the student's formula the derivative of ``function`` with respect to ``var``?

    Takes the options of :func:`check_expression` and ``var`` (default "x").
    An antiderivative or the function itself given as the answer is named.

    >>> check_derivative("2x", "x^2").note
    'correct'
    >>> check_derivative("x^3/3", "x^2").note
    'integrated-instead'
    """
    _known_options(options, check="check_derivative")
    var = str(options.get("var", "x"))
    variables = options.get("variables", (var,))
    if isinstance(variables, str):
        variables = (variables,)
    setup = _Setup.from_options(options, (var, *[v for v in variables if v != var]))
    fn = _read_trusted(function, setup)
    x = sp.Symbol(var, real=True)
    expected = sp.diff(fn, x)
    shown = expected
    if is_missing(student):
        return setup.result(0.0, "No answer was given.", "missing", shown)
    setup.variables = tuple(dict.fromkeys([*setup.variables, *(s.name for s in fn.free_symbols)]))
    parsed = _read_student(student, setup, (), shown)
    if isinstance(parsed, CheckResult):
        return parsed

    def related() -> dict[str, Any]:
        out: dict[str, Any] = {"original": fn, "second_derivative": sp.diff(fn, x, 2)}
        terms = terms_of(expected)
        if terms:
            out["terms"] = terms
        no_inner = without_inner(fn, x)
        if no_inner is not None:
            out["no_inner"] = no_inner
        extra = _related_from_options(options.get("related"), setup)
        if extra is not None:
            out.update(extra())
        if "antiderivative" not in out:
            try:
                anti = run_in_child(_integrate, fn, x, timeout=setup.timeout)
            except (TimeLimitExceeded, RuntimeError):
                anti = None
            if isinstance(anti, sp.Expr) and not anti.has(sp.Integral):
                out["antiderivative"] = anti
        return out

    return _compare(parsed, expected, setup, related, shown)


@answer_check
def check_antiderivative(student: Any, integrand: Any, **options: Any) -> CheckResult:
    """Is the student's formula an antiderivative of ``integrand`` (in ``var``)?

    The student's derivative is compared with the integrand, so any additive
    constant is fine. Options as :func:`check_expression`, plus ``var``
    (default "x"), ``constant`` ("any" or "required": the answer must carry an
    arbitrary constant such as ``C``) and ``value_at=(x0, y0)`` (the particular
    antiderivative with F(x0) = y0).

    >>> check_antiderivative("x^3/3 + C", "x^2").note
    'correct'
    >>> check_antiderivative("2x", "x^2").note
    'differentiated-instead'
    """
    _known_options(options, ("constant", "value_at"), "check_antiderivative")
    var = str(options.get("var", "x"))
    variables = options.get("variables", (var,))
    if isinstance(variables, str):
        variables = (variables,)
    setup = _Setup.from_options(options, (var, *[v for v in variables if v != var]))
    constant = options.get("constant", "any")
    if constant not in ("any", "required"):
        raise ValueError(f"constant must be 'any' or 'required', got {constant!r}")
    value_at = options.get("value_at")
    f = _read_trusted(integrand, setup)
    x = sp.Symbol(var, real=True)
    shown = f"an antiderivative of {_show(f)}"
    if is_missing(student):
        return setup.result(0.0, "No answer was given.", "missing", shown)
    setup.variables = tuple(dict.fromkeys([*setup.variables, *(s.name for s in f.free_symbols)]))
    const_names = tuple(c for c in CONSTANT_NAMES if c not in setup.variables)
    parsed = _read_student(student, setup, const_names, shown)
    if isinstance(parsed, CheckResult):
        return parsed
    consts = sorted(s.name for s in parsed.free_symbols if s.name in const_names)
    d_student = sp.diff(parsed, x)
    sample = _sample(d_student, f, setup, [*setup.variables, *consts])
    if sample is None:
        ok = _symbolic_zero(d_student - f, setup.timeout)
        if not ok:
            return setup.result(
                0.0,
                "Your answer could not be checked automatically; ask your TA to look at it.",
                UNVERIFIED,
                shown,
            )
    elif not (np.all(sample.close) and np.all(np.isfinite(sample.student))):
        return _antiderivative_mistake(parsed, d_student, f, x, consts, sample, setup, shown)
    else:
        # log(x) has the derivative 1/x but is no antiderivative of 1/x for x < 0.
        bad = ~np.isfinite(_values(parsed, sample.points))
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            return setup.result(
                0.0,
                f"Your answer is undefined at {sample.at(i)}, where the integrand is defined "
                "(is an absolute value missing?).",
                UNDEFINED,
                shown,
            )
    if value_at is not None:
        return _check_value_at(parsed, x, consts, value_at, setup, shown)
    if constant == "required" and not consts:
        return setup.result(
            CREDIT[MISSING_CONSTANT],
            "Right antiderivative, but the arbitrary constant of integration (+ C) is missing.",
            MISSING_CONSTANT,
            shown,
        )
    return setup.result(1.0, "Correct.", "correct")


def _antiderivative_mistake(
    parsed: sp.Expr,
    d_student: sp.Expr,
    f: sp.Expr,
    x: sp.Symbol,
    consts: list[str],
    sample: _Sample,
    setup: _Setup,
    shown: Any,
) -> CheckResult:
    # Confusions are about the answer itself (with the constant set to 0) ...
    plain = parsed.xreplace({sp.Symbol(c, real=True): 0 for c in consts})
    pts = {k: v for k, v in sample.points.items() if k not in consts}
    values = _values(plain, pts)
    defined = np.isfinite(values)
    if defined.sum() >= 2:
        sub = {k: v[defined] for k, v in pts.items()}
        verdict = mc.diagnose(
            values[defined],
            sample.expected[defined],
            tol=DIAGNOSE_TOL,
            related={
                "original": _values(f, sub),
                "derivative": _values(sp.diff(f, x), sub),
            },
            detectors=(mc.detect_returned_original, mc.detect_differentiated_instead),
            credit=setup.credit,
        )
        if verdict is not None:
            return setup.rewrap(verdict, shown)
    # ... slips of sign (of the whole or of one term) or factor show in its derivative.
    d_defined = np.isfinite(sample.student)
    terms = terms_of(f)
    verdict = _diagnose(
        sample,
        d_defined,
        (lambda: {"terms": terms}) if terms else None,
        detectors=(mc.detect_sign_error, mc.detect_term_sign, mc.detect_constant_factor),
        credit=setup.credit,
    )
    if verdict is not None:
        return setup.rewrap(verdict, shown)
    if not np.all(d_defined):
        i = int(np.flatnonzero(~d_defined)[0])
        return setup.result(
            0.0,
            f"Your answer (or its derivative) is undefined at {sample.at(i)}, "
            "where the integrand is defined.",
            UNDEFINED,
            shown,
        )
    i = int(np.flatnonzero(~sample.close)[0])
    return setup.result(
        0.0,
        f"The derivative of your answer is not the integrand (for example at {sample.at(i)}).",
        "wrong",
        shown,
    )


def _check_value_at(
    parsed: sp.Expr,
    x: sp.Symbol,
    consts: list[str],
    value_at: tuple[Any, Any],
    setup: _Setup,
    shown: Any,
) -> CheckResult:
    x0, y0 = value_at
    if consts:
        return setup.result(
            CREDIT[WRONG_CONSTANT],
            f"Right family of antiderivatives, but the question asks for the one with "
            f"F({_show(x0)}) = {_show(y0)}: solve for the constant instead of leaving it free.",
            WRONG_CONSTANT,
            shown,
        )
    x0v = float(sp.N(_read_trusted(x0, setup)))
    y0v = float(sp.N(_read_trusted(y0, setup)))
    got = _mp_value(parsed, {x.name: x0v})
    if bool(setup.tol.close(got, y0v)):
        return setup.result(1.0, "Correct.", "correct")
    return setup.result(
        CREDIT[WRONG_CONSTANT],
        f"Right derivative, but your function does not satisfy F({_show(x0)}) = {_show(y0)}: "
        "adjust the constant.",
        WRONG_CONSTANT,
        shown,
    )
