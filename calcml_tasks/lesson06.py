"""Lesson 6's variants: the factor k of f(x) = k log x, and Part E's cubic a x^3 + b x^2 + c x + d.

The seed's task is log x (k = 1) for Parts A to D and x^3 - 2x^2 + 1 for Part E.

Parts A to D teach that f' > 0 everywhere on (0, oo) means no critical point
and no extremum. Every variant keeps that: f(x) = k log x with an integer k from
1 to 5, so f'(x) = k/x > 0 for every x > 0, f is strictly increasing and
unbounded both ways, and f(1) = 0 as in the seed (so the wrong answers "x = 1"
and "the maximum is at infinity" mean what they mean for log x). The answers of
Parts B and C do not vary (no zero of f', statement C): they are the lesson's
point. (The family log(kx) was left out: its derivative is 1/x whatever k, so
its k = 1 variant would be easier than the others, which need the chain rule.)

Part E teaches the second-derivative test. Every cubic has small integer
coefficients (a in -2..2 but not 0, b in -6..6, c in -9..9, d in -3..3) and
two distinct critical points p < q, one of each kind (f'' = +-3|a|(q - p) there,
never 0), at "nice" values: multiples of 1/3 at most 3 in size, like the
seed's 0 and 4/3. As in the seed, p <= 0 < q, so the warning of Part E (the
setup cell's symbol x is positive and solveset would skip a point x <= 0) matters
for every student. The leading coefficient may be negative: then the left
critical point is the minimum, and only the sign of f'' tells.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .latex import signed_sum
from .space import Constraint, IntRange, Space

#: The critical points of Part E's cubic are multiples of 1/3 at most this large in size.
MAX_CRITICAL = 3


def critical_points(v) -> tuple[Fraction, Fraction] | None:
    """The zeros p < q of f' = 3a x^2 + 2b x + c, exactly, or None when they are not rational.

    >>> [str(p) for p in critical_points(SPACE.default())]
    ['0', '4/3']
    """
    a, b, c = v["a"], v["b"], v["c"]
    disc = b * b - 3 * a * c  # f' = 0 at x = (-b +- sqrt(disc)) / (3a)
    if a == 0 or disc <= 0:
        return None
    root = math.isqrt(disc)
    if root * root != disc:
        return None
    p, q = sorted((Fraction(-b - root, 3 * a), Fraction(-b + root, 3 * a)))
    return p, q


def _nice(v) -> bool:
    points = critical_points(v)
    return points is not None and all(
        p.denominator in (1, 3) and abs(p) <= MAX_CRITICAL for p in points
    )


def _straddle(v) -> bool:
    p, q = critical_points(v)
    return p <= 0 < q


SPACE = Space(
    "lesson06",
    IntRange("k", 1, 5),
    IntRange("a", -2, 2, exclude=(0,)),
    IntRange("b", -6, 6),
    IntRange("c", -9, 9),
    IntRange("d", -3, 3),
    constraints=[
        Constraint("k > 0, so f'(x) = k/x > 0 on (0, oo)", lambda v: v["k"] > 0),
        Constraint(
            "f' = 3a x^2 + 2b x + c has two distinct rational zeros (a max and a min)",
            lambda v: critical_points(v) is not None,
        ),
        Constraint(
            f"the critical points are multiples of 1/3, at most {MAX_CRITICAL} in size", _nice
        ),
        Constraint(
            "the smaller critical point is <= 0 and the larger > 0 (a positive x misses one)",
            _straddle,
        ),
    ],
    base={"k": 1, "a": 1, "b": -2, "c": 0, "d": 1},
)


def cubic_latex(v) -> str:
    """``x^3 - 2x^2 + 1`` for the seed's task."""
    return signed_sum([(v["a"], "x^3"), (v["b"], "x^2"), (v["c"], "x"), (v["d"], "")])


def log_latex(v) -> str:
    r"""``\log x`` for the seed's task, ``3 \log x`` for k = 3."""
    return r"\log x" if v["k"] == 1 else rf"{v['k']} \log x"


def log_text(v) -> str:
    """``log x`` or ``3 log x``: the function in plain words (feedback, labels)."""
    return "log x" if v["k"] == 1 else f"{v['k']} log x"


def f_of(v):
    """The variant's f(x) = k log x, for numbers, NumPy arrays and SymPy expressions."""
    k = v["k"]

    def f(x):
        if type(x).__module__.startswith("sympy"):
            import sympy

            return k * sympy.log(x)
        import numpy

        return k * numpy.log(x)

    f.__doc__ = f"The function of Parts A to D: f(x) = {log_text(v)} (numbers, arrays or SymPy)."
    return f


def cubic_of(v):
    """The variant's cubic of Part E, for numbers, NumPy arrays and SymPy expressions."""
    a, b, c, d = v["a"], v["b"], v["c"], v["d"]

    def cubic(x):
        return a * x**3 + b * x**2 + c * x + d

    cubic.__doc__ = (
        f"The cubic of Part E: f(x) = {cubic_latex(v)} (numbers, NumPy arrays or SymPy symbols)."
    )
    return cubic


def describe(v) -> str:
    r"""The task as the student reads it (Markdown with math).

    >>> text = describe(SPACE.default())
    >>> r"f(x) = \log x" in text, "f(x) = x^3 - 2x^2 + 1" in text
    (True, True)
    """
    return (
        f"**Your functions.** Parts A to D: $f(x) = {log_latex(v)}$ on $x > 0$, that is "
        f"$k = {v['k']}$ in $f(x) = k \\log x$ (defined for you as `f`, and $k$ as `k`). "
        f"Part E: the cubic $f(x) = {cubic_latex(v)}$, that is $a = {v['a']}$, $b = {v['b']}$, "
        f"$c = {v['c']}$, $d = {v['d']}$ in $f(x) = ax^3 + bx^2 + cx + d$ (defined for you as "
        "`cubic`)."
    )


def names(v) -> dict:
    """What the setup cell's ``task`` carries: f and k of Parts A to D, Part E's cubic."""
    return {
        "k": v["k"],
        "f": f_of(v),
        "cubic": cubic_of(v),
        "a": v["a"],
        "b": v["b"],
        "c": v["c"],
        "d": v["d"],
    }
