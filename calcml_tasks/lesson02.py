"""Lesson 2's variants: the integrand f(x) = a x^2 + b x.

The seed's task is 3x^2 - 4x. Every variant keeps the seed's shape: a
quadratic and a linear term, both present (so an antiderivative with one
term's sign lost is seen, and the derivative given in its place is not
constant), with a a multiple of 3 and b even, so that the antiderivative
(a/3) x^3 + (b/2) x^2 has small integer coefficients as in the seed, never
fractions.

What the lesson teaches holds for every one of them:

* the constant between F and the running sum, -F(-10) = 1000 a/3 - 50 b, is
  never zero (|b/2| < 10 |a/3|), and it is at least 700 |a|/3 in size: far
  more than the few percent by which an estimate read off the running sum
  misses it (about 10 |a|, one rectangle at the right end), so an exact value
  and an estimate are told apart as in the seed;
* the running sum's gap at t is exactly (step/2) (f(t) - f(-10)) - a step^2 (t + 10)/6;
  the second term is under 1% of the largest first one for the steps 0.1 and
  0.05 of every variant (|f(0) - f(-10)| = 10 |10a - b| > 70 |a|), so halving
  the step halves the largest gap, as Part E asks the student to see;
* the values stay of the seed's size (|F| at most a few thousand on [-10, 10]),
  so the tolerances of the checks behave as in the seed.

The interval [-10, 10), the step 0.1 of the running sum and the steps at which
``max_gap`` is called do not vary: they are the lesson's recipe, stated in its
text, and the hidden tests sample ``max_gap`` at fixed steps; the teaching
point (the gap halves with the step) does not depend on them.
"""

from __future__ import annotations

from .latex import signed_sum
from .space import Choice, Constraint, Space

SPACE = Space(
    "lesson02",
    Choice("a", (-9, -6, -3, 3, 6, 9)),
    Choice("b", (-8, -6, -4, -2, 2, 4, 6, 8)),
    constraints=[
        Constraint(
            "a is a non-zero multiple of 3 and b a non-zero even number (F has integer "
            "coefficients, and both terms)",
            lambda v: v["a"] % 3 == 0 and v["b"] % 2 == 0 and v["a"] != 0 and v["b"] != 0,
        ),
        Constraint(
            "the shift -F(-10) = 1000a/3 - 50b is at least 700|a|/3 in size",
            lambda v: abs(1000 * v["a"] - 150 * v["b"]) >= 700 * abs(v["a"]),
        ),
    ],
    base={"a": 3, "b": -4},
)


def f_of(v):
    """The variant's integrand, for numbers and NumPy arrays alike."""
    a, b = v["a"], v["b"]

    def f(x):
        return a * x**2 + b * x

    f.__doc__ = f"The integrand of this lesson: f(x) = {latex(v)} (numbers or NumPy arrays)."
    return f


def latex(v) -> str:
    """``3x^2 - 4x`` for the seed's task.

    >>> latex({"a": -6, "b": 2})
    '-6x^2 + 2x'
    """
    return signed_sum([(v["a"], "x^2"), (v["b"], "x")])


def describe(v) -> str:
    """The task as the student reads it (Markdown with math)."""
    return (
        f"**Your integrand:** $f(x) = {latex(v)}$, that is $a = {v['a']}$, $b = {v['b']}$ in "
        "$f(x) = ax^2 + bx$. It is defined for you as `f`."
    )


def names(v) -> dict:
    """What the setup cell's ``task`` carries: the integrand ``f`` and its coefficients."""
    return {"f": f_of(v), "a": v["a"], "b": v["b"]}
