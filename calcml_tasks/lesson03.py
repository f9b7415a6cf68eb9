"""Lesson 3's variants: f(x, y) = a x^2 + b y^2 at a point (x0, y0), and g = c x^2 + d y^3.

The seed's task is x^2 + y^2 at (1, 1) (Part A) and the field of the lesson's
example x^2 + y^3 (Part D). Every variant keeps what the lesson teaches:

* Part A: both components of the gradient (2 a x0, 2 b y0) are nonzero, so the
  largest rate of change, the gradient's length, is larger than either
  partial derivative (a student who reports one of them is found out); the
  gradient is not a unit vector (a unit direction, the "constant factor"
  slip, is told apart from the gradient); and its components are not
  opposite (a x0 + b y0 != 0), so swapping them is not the same as flipping
  the sign, and each slip is named for what it is.
* Part D: the y component 3 d y^2 of the field is never the slip 2 d y of the
  lesson's plotting code, nor the x component, on the sampled grid (c and d
  are at least 1); g's gradient vanishes at the origin as in the seed.

Small integer coefficients (1 to 3) and points (-3 to 3, not 0) keep every
variant equally hard.

What stays fixed, and why: the sweep of Part B is a routine for *any*
function and is graded on fixed functions and points (x^2 + y^2 at (1, 1) and
an unseen function), which test the routine rather than a student's numbers;
Part C asks why the lesson writes sin for the x step, a question about the
angle convention with one answer; Part E quotes two readers' results on the
seed's x^2 + y^2 at (1, 1), which are what they are.
"""

from __future__ import annotations

from .space import Constraint, IntRange, Space

SPACE = Space(
    "lesson03",
    IntRange("a", 1, 3),
    IntRange("b", 1, 3),
    IntRange("x0", -3, 3, exclude=(0,)),
    IntRange("y0", -3, 3, exclude=(0,)),
    IntRange("c", 1, 3),
    IntRange("d", 1, 3),
    constraints=[
        Constraint(
            "both partial derivatives 2a x0 and 2b y0 are nonzero at the point",
            lambda v: v["a"] * v["x0"] != 0 and v["b"] * v["y0"] != 0,
        ),
        Constraint(
            "the gradient at the point is not a unit vector",
            lambda v: (2 * v["a"] * v["x0"]) ** 2 + (2 * v["b"] * v["y0"]) ** 2 != 1,
        ),
        Constraint(
            "the gradient's components are not opposite (a x0 + b y0 != 0): swapped is not -grad",
            lambda v: v["a"] * v["x0"] + v["b"] * v["y0"] != 0,
        ),
    ],
    base={"a": 1, "b": 1, "x0": 1, "y0": 1, "c": 1, "d": 1},
)


def f_sq_of(v):
    """The variant's f(x, y) = a x^2 + b y^2 (Part A), for numbers and NumPy arrays alike."""
    a, b = v["a"], v["b"]

    def f_sq(x, y):
        return a * x**2 + b * y**2

    f_sq.__doc__ = f"Your function of Part A: f(x, y) = {latex_sq(v)} (numbers or NumPy arrays)."
    return f_sq


def f_cube_of(v):
    """The variant's g(x, y) = c x^2 + d y^3 (Part D), for numbers and NumPy arrays alike."""
    c, d = v["c"], v["d"]

    def f_cube(x, y):
        return c * x**2 + d * y**3

    f_cube.__doc__ = (
        f"Your function of Part D: g(x, y) = {latex_cube(v)} (numbers or NumPy arrays)."
    )
    return f_cube


def _term(coef: int, body: str) -> str:
    return body if coef == 1 else f"{coef}{body}"


def latex_sq(v) -> str:
    """``x^2 + y^2`` for the seed's task.

    >>> latex_sq({"a": 2, "b": 1})
    '2x^2 + y^2'
    """
    return f"{_term(v['a'], 'x^2')} + {_term(v['b'], 'y^2')}"


def latex_cube(v) -> str:
    """``x^2 + y^3`` for the seed's task."""
    return f"{_term(v['c'], 'x^2')} + {_term(v['d'], 'y^3')}"


def point_text(v) -> str:
    """``(1, 1)`` for the seed's task."""
    return f"({v['x0']}, {v['y0']})"


def describe(v) -> str:
    """The task as the student reads it (Markdown with math)."""
    return (
        f"**Your task.** Part A: $f(x, y) = {latex_sq(v)}$ (that is $a = {v['a']}$, "
        f"$b = {v['b']}$ in $ax^2 + by^2$), defined for you as `f_sq`, at your point "
        f"$(x_0, y_0) = {point_text(v)}$, defined as `x0`, `y0`. "
        f"Part D: $g(x, y) = {latex_cube(v)}$ (that is $c = {v['c']}$, $d = {v['d']}$ in "
        "$cx^2 + dy^3$), defined for you as `f_cube`."
    )


def names(v) -> dict:
    """What the setup cell's ``task`` carries: the two functions, their constants, the point."""
    return {
        "f_sq": f_sq_of(v),
        "f_cube": f_cube_of(v),
        "a": v["a"],
        "b": v["b"],
        "x0": v["x0"],
        "y0": v["y0"],
        "c": v["c"],
        "d": v["d"],
    }
