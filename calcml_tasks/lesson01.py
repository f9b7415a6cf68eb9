"""Lesson 1's variants: the cubic f(x) = a x^3 + b x^2 + c.

The seed's task is x^3 - 2x^2 + 1. Every variant keeps what the lesson
teaches about step sizes at x = 2: f'(2) is never zero (else a tiny step's
quotient is exactly 0 = f'(2), and cancellation goes unseen), f''(2) = 12a + 2b
is never zero (so the forward difference's error falls tenfold per decade of h),
f(2) is at least 1 in size (so rounding behaves as in the seed), and the two
critical points 0 and -2b/(3a) are distinct. Small integer coefficients keep
every variant equally hard.
"""

from __future__ import annotations

from .latex import signed_sum
from .space import Constraint, IntRange, Space

SPACE = Space(
    "lesson01",
    IntRange("a", 1, 3),
    IntRange("b", -4, 4, exclude=(0,)),
    IntRange("c", -3, 3, exclude=(0,)),
    constraints=[
        Constraint("f'(2) = 12a + 4b is not zero", lambda v: 12 * v["a"] + 4 * v["b"] != 0),
        Constraint("f''(2) = 12a + 2b is not zero", lambda v: 12 * v["a"] + 2 * v["b"] != 0),
        Constraint("|f(2)| >= 1", lambda v: abs(8 * v["a"] + 4 * v["b"] + v["c"]) >= 1),
        Constraint("two distinct critical points", lambda v: v["b"] != 0),
    ],
    base={"a": 1, "b": -2, "c": 1},
)


def f_of(v):
    """The variant's f, for numbers and NumPy arrays alike."""
    a, b, c = v["a"], v["b"], v["c"]

    def f(x):
        return a * x**3 + b * x**2 + c

    f.__doc__ = f"The function of this lesson: f(x) = {latex(v)} (numbers or NumPy arrays)."
    return f


def latex(v) -> str:
    """``x^3 - 2x^2 + 1`` for the seed's task."""
    return signed_sum([(v["a"], "x^3"), (v["b"], "x^2"), (v["c"], "")])


def describe(v) -> str:
    """The task as the student reads it (Markdown with math)."""
    return (
        f"**Your function:** $f(x) = {latex(v)}$, that is $a = {v['a']}$, $b = {v['b']}$, "
        f"$c = {v['c']}$ in $f(x) = ax^3 + bx^2 + c$. It is defined for you as `f`."
    )


def names(v) -> dict:
    """What the setup cell's ``task`` carries: the function ``f`` and its coefficients."""
    return {"f": f_of(v), "a": v["a"], "b": v["b"], "c": v["c"]}
